// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistory.h"
#include "testutil.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace sobolev;
using namespace sobolev::testutil;

// Damages one entry folder (or the history folder) and names the path the warning must name.
Q_DECLARE_METATYPE(sobolev::TrainConfig)

using Damage = std::function<QString(const QString& root, const QString& entry)>;
Q_DECLARE_METATYPE(Damage)

class TestRunHistory : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void persistsAcrossRestart();
    void renameAndRemovePersist();
    void renameRejectsEmptyName();
    void refusesUnfinishedRun();
    void defaultName_data();
    void defaultName();
    void badEntrySkipped_data();
    void badEntrySkipped();
    void missingFolderIsEmpty();

  private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString freshFolder();
    QList<RunRecord> m_runs; // completed, stopped, diverged
};

namespace {

bool same(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

void compareRecords(const RunRecord& got, const RunRecord& want) {
    QVERIFY(got.config == want.config);
    QCOMPARE(got.history.size(), want.history.size());
    for (std::size_t i = 0; i < want.history.size(); ++i) {
        const EpochMetrics& g = got.history[i];
        const EpochMetrics& w = want.history[i];
        QCOMPARE(g.epoch, w.epoch);
        for (auto [x, y] : {std::pair{g.loss, w.loss},
                            {g.mseF, w.mseF},
                            {g.mseFprime, w.mseFprime},
                            {g.valLoss, w.valLoss},
                            {g.valMseF, w.valMseF},
                            {g.valMseFprime, w.valMseFprime},
                            {g.seconds, w.seconds}})
            QVERIFY2(same(x, y),
                     qPrintable(QStringLiteral("epoch %1: %2 vs %3").arg(w.epoch).arg(x).arg(y)));
    }
    const FitReport& g = got.report;
    const FitReport& w = want.report;
    QVERIFY(same(g.mseF, w.mseF) && same(g.mseFprime, w.mseFprime));
    QVERIFY(same(g.maxErrF, w.maxErrF) && same(g.maxErrFprime, w.maxErrFprime));
    QCOMPARE(g.epochsRun, w.epochsRun);
    QCOMPARE(g.trainSeconds, w.trainSeconds);
    QCOMPARE(g.stopReason, w.stopReason);
    QCOMPARE(g.stopMessage, w.stopMessage);
    QCOMPARE(got.predictions.x.size(), want.predictions.x.size());
}

void writeFile(const QString& path, const QByteArray& data) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

} // namespace

void TestRunHistory::initTestCase() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_runs = sampleRuns();
    QCOMPARE(m_runs[0].report.stopReason, StopReason::Completed);
    QCOMPARE(m_runs[1].report.stopReason, StopReason::Stopped);
}

QString TestRunHistory::freshFolder() {
    static int n = 0;
    return m_dir->filePath(QStringLiteral("runs%1").arg(++n));
}

void TestRunHistory::persistsAcrossRestart() {
    const QString folder = freshFolder();
    QStringList ids, names;
    QList<QDateTime> created;
    {
        RunHistory history(folder);
        QVERIFY(history.load().isEmpty());
        QSignalSpy added(&history, &RunHistory::runAdded);
        ids = addRuns(history, m_runs);
        QCOMPARE(added.size(), 3);
        QCOMPARE(added[1][0].toString(), ids[1]);
        for (const QString& id : ids) {
            QVERIFY(!id.isEmpty());
            QVERIFY(QFile::exists(folder + QLatin1Char('/') + id + QStringLiteral("/run.json")));
            names << history.find(id)->name;
            created << history.find(id)->created;
        }
        // Ids sort in the order the runs were added.
        QStringList sorted = ids;
        sorted.sort();
        QCOMPARE(sorted, ids);
        QCOMPARE(history.runs().size(), 3);
        // Nothing is left over from the temporary folders.
        QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 ids);
    }
    RunHistory reopened(folder);
    QSignalSpy loaded(&reopened, &RunHistory::runsLoaded);
    const QStringList problems = reopened.load();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(reopened.runs().size(), 3);
    for (int i = 0; i < 3; ++i) {
        const StoredRun& run = reopened.runs()[i];
        QCOMPARE(run.id, ids[i]);
        QCOMPARE(run.name, names[i]);
        QCOMPARE(run.created, created[i]);
        compareRecords(run.record, m_runs[i]);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(reopened.find(ids[1])->id, ids[1]);
    QCOMPARE(reopened.find(QStringLiteral("nope")), nullptr);
}

void TestRunHistory::renameAndRemovePersist() {
    const QString folder = freshFolder();
    QStringList ids;
    {
        RunHistory history(folder);
        ids = addRuns(history, m_runs);
        QSignalSpy renamed(&history, &RunHistory::runRenamed);
        QSignalSpy removed(&history, &RunHistory::runRemoved);
        QString error;
        QVERIFY2(history.rename(ids[0], QStringLiteral("  baseline, β = 1  "), &error),
                 qPrintable(error));
        QCOMPARE(renamed.size(), 1);
        QCOMPARE(renamed[0][0].toString(), ids[0]);
        QCOMPARE(history.find(ids[0])->name, QStringLiteral("baseline, β = 1"));
        QVERIFY2(history.remove(ids[1], &error), qPrintable(error));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(history.find(ids[1]), nullptr);
        QVERIFY(!QFileInfo::exists(folder + QLatin1Char('/') + ids[1]));
        QVERIFY(!history.remove(ids[1], &error));
        QVERIFY(error.contains(ids[1]));
        QVERIFY(!history.rename(ids[1], QStringLiteral("x"), &error));
    }
    RunHistory reopened(folder);
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), 2);
    QCOMPARE(reopened.runs()[0].id, ids[0]);
    QCOMPARE(reopened.runs()[0].name, QStringLiteral("baseline, β = 1"));
    QCOMPARE(reopened.runs()[1].id, ids[2]);
}

void TestRunHistory::renameRejectsEmptyName() {
    RunHistory history(freshFolder());
    const QString id = history.add(m_runs[0], QStringLiteral("kept"));
    QString error;
    QVERIFY(!history.rename(id, QStringLiteral("   "), &error));
    QVERIFY(error.contains(QStringLiteral("empty")));
    QCOMPARE(history.find(id)->name, QStringLiteral("kept"));
}

void TestRunHistory::refusesUnfinishedRun() {
    const QString folder = freshFolder();
    RunHistory history(folder);
    RunRecord running = m_runs[0];
    running.report.stopReason = StopReason::None;
    QString error;
    QVERIFY(history.add(running, {}, &error).isEmpty());
    QVERIFY(!error.isEmpty());
    RunRecord inconsistent = m_runs[0];
    inconsistent.report.epochsRun = 99;
    QVERIFY(history.add(inconsistent, {}, &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("99")));
    QVERIFY(history.runs().isEmpty());
}

void TestRunHistory::defaultName_data() {
    QTest::addColumn<TrainConfig>("config");
    QTest::addColumn<QString>("name");
    TrainConfig reference;
    QTest::addRow("reference") << reference << "#1 reference";
    TrainConfig c = reference;
    c.beta = 5;
    c.seed = 3;
    QTest::addRow("beta and seed") << c << "#1 β=5 seed 3";
    c = reference;
    c.width = 32;
    c.depth = 3;
    c.activation = Activation::Sin;
    c.learningRate = 3e-4;
    QTest::addRow("network and lr") << c << "#1 32×3 sin lr=3e-4";
    c = reference;
    c.epochs = 3000;
    c.batchSize = 32;
    QTest::addRow("epochs and batch") << c << "#1 3000 epochs batch 32";
    c = reference;
    c.nTrain = 512;
    c.nVal = 128;
    c.gridPoints = 201;
    QTest::addRow("data") << c << "#1 n_train 512 n_val 128 grid 201";
    c = reference;
    c.width = 16;
    c.activation = Activation::Softplus;
    c.alpha = 0.5;
    c.beta = 10;
    c.learningRate = 1e-2;
    c.seed = 7;
    c.epochs = 200;
    c.batchSize = 128;
    c.nTrain = 4096;
    c.nVal = 64;
    c.gridPoints = 11;
    QTest::addRow("every knob") << c
                                << "#1 16×2 softplus α=0.5 β=10 lr=0.01 seed 7 200 epochs "
                                   "batch 128 n_train 4096 n_val 64 grid 11";
}

void TestRunHistory::defaultName() {
    QFETCH(TrainConfig, config);
    QFETCH(QString, name);
    RunHistory history(freshFolder());
    QCOMPARE(history.defaultName(config), name);
    // The next number follows the highest one given so far.
    history.add(m_runs[0], QStringLiteral("#7 mine"));
    QCOMPARE(history.defaultName(config),
             QString(name).replace(QStringLiteral("#1"), QStringLiteral("#8")));
}

void TestRunHistory::badEntrySkipped_data() {
    QTest::addColumn<Damage>("damage");
    QTest::addColumn<QString>("expected");
    auto inEntry = [](const char* file, QByteArray data) {
        return Damage([file, data](const QString&, const QString& entry) {
            writeFile(entry + QLatin1Char('/') + QLatin1String(file), data);
            return entry;
        });
    };
    QTest::addRow("garbage history.csv")
        << inEntry("history.csv", "\x01\x02garbage\n1,2") << "history.csv";
    QTest::addRow("history.csv with a bad number")
        << inEntry("history.csv",
                   "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds\n"
                   "1,x,1,1,1,1,1,1\n")
        << "history.csv: line 2";
    QTest::addRow("invalid metrics.json")
        << inEntry("metrics.json", "{ not json") << "metrics.json";
    QTest::addRow("invalid run.json") << inEntry("run.json", "[1, 2") << "run.json";
    QTest::addRow("run.json without a name")
        << inEntry("run.json", R"({"created": "2026-01-01T00:00:00Z", "format": 1})") << "\"name\"";
    QTest::addRow("run.json from a newer version")
        << inEntry("run.json", R"({"name": "a", "created": "2026-01-01T00:00:00Z", "format": 2})")
        << "newer version";
    QTest::addRow("missing run.json") << Damage([](const QString&, const QString& entry) {
        QFile::remove(entry + QStringLiteral("/run.json"));
        return entry;
    }) << "no run.json";
    QTest::addRow("missing predictions.csv") << Damage([](const QString&, const QString& entry) {
        QFile::remove(entry + QStringLiteral("/predictions.csv"));
        return entry;
    }) << "predictions.csv";
    QTest::addRow("stray .tmp- folder") << Damage([](const QString& root, const QString& entry) {
        // An add() that crashed before renaming its folder into place.
        const QString tmp = root + QStringLiteral("/.tmp-20000101-000000-0001");
        QDir().rename(entry, tmp);
        QFile::remove(tmp + QStringLiteral("/run.json"));
        return tmp;
    }) << "saving was interrupted";
    QTest::addRow("plain file") << Damage([](const QString& root, const QString& entry) {
        QDir(entry).removeRecursively();
        writeFile(root + QStringLiteral("/notes.txt"), "hello");
        return root + QStringLiteral("/notes.txt");
    }) << "not a run folder";
}

void TestRunHistory::badEntrySkipped() {
    QFETCH(Damage, damage);
    QFETCH(QString, expected);
    const QString folder = freshFolder();
    QStringList ids;
    {
        RunHistory history(folder);
        ids = addRuns(history, m_runs);
    }
    // The middle entry is the bad one.
    const QString named = damage(folder, folder + QLatin1Char('/') + ids[1]);
    if (QTest::currentTestFailed())
        return;
    RunHistory history(folder);
    const QStringList problems = history.load();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(named), qPrintable(problems[0]));
    QVERIFY2(problems[0].contains(expected), qPrintable(problems[0]));
    QCOMPARE(history.runs().size(), 2);
    QCOMPARE(history.runs()[0].id, ids[0]);
    QCOMPARE(history.runs()[1].id, ids[2]);
    // A bad entry does not stop new runs from being kept.
    QVERIFY(!history.add(m_runs[0]).isEmpty());
    QCOMPARE(history.runs().size(), 3);
}

void TestRunHistory::missingFolderIsEmpty() {
    const QString folder = freshFolder();
    RunHistory history(folder);
    QVERIFY(history.load().isEmpty());
    QVERIFY(history.runs().isEmpty());
    QVERIFY(!history.add(m_runs[0]).isEmpty()); // creates the folder
    writeFile(m_dir->filePath(QStringLiteral("a-file")), "x");
    RunHistory onFile(m_dir->filePath(QStringLiteral("a-file")));
    const QStringList problems = onFile.load();
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems[0].contains(QStringLiteral("a-file")));
    QString error;
    QVERIFY(onFile.add(m_runs[0], {}, &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("a-file")));
}

QTEST_GUILESS_MAIN(TestRunHistory)

#include "tst_runhistory.moc"
