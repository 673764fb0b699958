// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistory.h"
#include "runindex.h"
#include "storagetestutil.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
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
// Does something to the index file (or the folders behind its back).
using IndexDamage = std::function<void(const QString& indexPath)>;
Q_DECLARE_METATYPE(IndexDamage)
// Changes the history (folder first, then index) while the index cannot be written.
using Change = std::function<void(RunHistory& history, const QStringList& ids)>;
Q_DECLARE_METATYPE(Change)

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
    void stoppedRunsSayWhere_data();
    void stoppedRunsSayWhere();
    void badEntrySkipped_data();
    void badEntrySkipped();
    void missingFolderIsEmpty();
    void indexHoldsTheRuns();
    void corruptIndexRebuilt_data();
    void corruptIndexRebuilt();
    void staleIndexReconciled_data();
    void staleIndexReconciled();
    void runKeptWhenIndexWriteFails_data();
    void runKeptWhenIndexWriteFails();
    void twoWindowsNumberAndSeeEachOthersRuns();

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
    QVERIFY(sameSnapshots(got.snapshots, want.snapshots));
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
        // Nothing is left over from the temporary folders; beside the runs only the index.
        QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral(".index.sqlite")} + ids);
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
        // Only the config and the report are kept in memory; the curves are read on request.
        QVERIFY(run.record.config == m_runs[i].config);
        QVERIFY(run.record.history.empty());
        QVERIFY(run.record.predictions.x.empty());
        QVERIFY(run.record.snapshots.empty());
        QVERIFY(!m_runs[i].snapshots.empty());
        const RunReadResult full = reopened.readRun(run.id);
        QVERIFY2(full.errors.isEmpty(), qPrintable(full.errors.join('\n')));
        compareRecords(full.run, m_runs[i]);
        if (QTest::currentTestFailed())
            return;
    }
    // The second start read the index, not the folders.
    QVERIFY(reopened.indexNote().isEmpty());
    QVERIFY(reopened.planLoad().toRead.isEmpty());
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
    c.changes = {KnobChange{300, 1, Knob::Beta, 10}};
    QTest::addRow("a live change") << c << "#1 β 1→10 @300";
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

void TestRunHistory::stoppedRunsSayWhere_data() {
    QTest::addColumn<int>("stopReason");
    QTest::addColumn<int>("plannedEpochs"); // the run trained `trained` of them
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("falseStart");
    const int trained = int(m_runs[1].history.size());
    const QString at = QString::number(trained);
    QTest::addRow("completed") << int(StopReason::Completed) << trained << "" << false;
    QTest::addRow("stopped in the first tenth")
        << int(StopReason::Stopped) << 10 * trained + 1 << ", stopped at epoch " + at << true;
    QTest::addRow("stopped at a tenth")
        << int(StopReason::Stopped) << 10 * trained << ", stopped at epoch " + at << false;
    QTest::addRow("diverged early")
        << int(StopReason::Diverged) << 100 * trained << ", diverged at epoch " + at << false;
}

// Fifteen quick Start/Stop cycles must not fill the list with fifteen "#N reference".
void TestRunHistory::stoppedRunsSayWhere() {
    QFETCH(int, stopReason);
    QFETCH(int, plannedEpochs);
    QFETCH(QString, suffix);
    QFETCH(bool, falseStart);
    RunRecord run = m_runs[1];
    run.config.epochs = plannedEpochs;
    run.report.stopReason = StopReason(stopReason);
    RunHistory history(freshFolder());
    QVERIFY(history.load().isEmpty());
    const QString name = history.defaultName(run.config) + suffix;
    QCOMPARE(history.defaultName(run), name);
    QCOMPARE(RunHistory::isFalseStart(run), falseStart);
    QString error;
    const QString id = history.add(run, {}, &error);
    QVERIFY2(history.find(id), qPrintable(error));
    QCOMPARE(history.find(id)->name, name);
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

namespace {

// Runs `statements` on the index file through a connection of its own.
QString execOnIndex(const QString& path, const QStringList& statements) {
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("t"));
        db.setDatabaseName(path);
        if (!db.open())
            error = db.lastError().text();
        QSqlQuery q(db);
        for (const QString& s : statements)
            if (error.isEmpty() && !q.exec(s))
                error = q.lastError().text();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("t"));
    return error;
}

bool copyFolder(const QString& from, const QString& to) {
    if (!QDir().mkpath(to))
        return false;
    for (const QString& f : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(from + QLatin1Char('/') + f, to + QLatin1Char('/') + f))
            return false;
    return true;
}

} // namespace

// The index holds each run's name, folder, knobs, metrics and status.
void TestRunHistory::indexHoldsTheRuns() {
    const QString folder = freshFolder();
    RunHistory history(folder);
    const QStringList ids = addRuns(history, m_runs);
    RunIndex index(history.indexPath());
    QString why;
    QVERIFY2(index.open(&why), qPrintable(why));
    bool ok = false;
    const QList<IndexedRun> rows = index.readAll(&ok, &why);
    QVERIFY2(ok, qPrintable(why));
    QCOMPARE(rows.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(rows[i].id, ids[i]);
        QCOMPARE(rows[i].name, history.find(ids[i])->name);
        QCOMPARE(rows[i].stamp, RunHistory::entryStamp(folder + QLatin1Char('/') + ids[i]));
        QCOMPARE(rows[i].status, toQString(stopReasonName(m_runs[i].report.stopReason)));
        QVERIFY(rows[i].configJson.contains("\"beta\""));
        QVERIFY(rows[i].metricsJson.contains("\"mse_f\""));
    }
    QVERIFY(same(rows[0].mseF, m_runs[0].report.mseF));
}

void TestRunHistory::corruptIndexRebuilt_data() {
    QTest::addColumn<IndexDamage>("damage");
    QTest::addColumn<QString>("note"); // what the note on the index says
    QTest::addRow("deleted") << IndexDamage([](const QString& p) { QFile::remove(p); })
                             << "no index yet";
    QTest::addRow("garbage bytes") << IndexDamage([](const QString& p) {
        QByteArray garbage;
        for (int i = 0; i < 20000; ++i)
            garbage += char((i * 7919) % 251);
        writeFile(p, garbage);
    }) << "not a database";
    QTest::addRow("empty file") << IndexDamage([](const QString& p) { writeFile(p, {}); })
                                << "not a run index";
    QTest::addRow("truncated") << IndexDamage([](const QString& p) {
        QFile f(p);
        QVERIFY(f.resize(f.size() / 2 + 100));
    }) << "malformed";
    QTest::addRow("pages overwritten") << IndexDamage([](const QString& p) {
        QFile f(p);
        QVERIFY(f.open(QIODevice::ReadWrite));
        // The page after the first (which holds the header and the schema).
        f.seek(4096);
        f.write(QByteArray(4096, '\xa5'));
    }) << "damaged";
    QTest::addRow("another schema version") << IndexDamage([](const QString& p) {
        QCOMPARE(execOnIndex(p, {QStringLiteral("UPDATE meta SET value = '99'")}), QString());
    }) << "schema 99";
    QTest::addRow("a column missing") << IndexDamage([](const QString& p) {
        QCOMPARE(execOnIndex(p, {QStringLiteral("ALTER TABLE runs DROP COLUMN status")}),
                 QString());
    }) << "status";
    QTest::addRow("another program's database") << IndexDamage([](const QString& p) {
        QFile::remove(p);
        QCOMPARE(execOnIndex(p, {QStringLiteral("CREATE TABLE t (x)")}), QString());
    }) << "not a run index";
}

void TestRunHistory::corruptIndexRebuilt() {
    QFETCH(IndexDamage, damage);
    QFETCH(QString, note);
    const QString folder = freshFolder();
    QStringList ids;
    QString path;
    {
        RunHistory history(folder);
        ids = addRuns(history, m_runs);
        QVERIFY(history.rename(ids[1], QStringLiteral("renamed"), nullptr));
        path = history.indexPath();
    }
    QVERIFY(QFile::exists(path));
    damage(path);
    if (QTest::currentTestFailed())
        return;
    {
        RunHistory history(folder);
        const RunHistory::LoadPlan plan = history.planLoad();
        QVERIFY2(history.indexNote().contains(note), qPrintable(history.indexNote()));
        // Every folder is read again.
        QCOMPARE(plan.toRead, ids);
        const QStringList problems =
            history.finishLoad(plan, RunHistory::readEntries(folder, plan.toRead));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QCOMPARE(history.runs().size(), 3);
        QCOMPARE(history.find(ids[1])->name, QStringLiteral("renamed"));
    }
    // The rebuilt index serves the next start on its own.
    RunHistory again(folder);
    const RunHistory::LoadPlan plan = again.planLoad();
    QVERIFY2(again.indexNote().isEmpty(), qPrintable(again.indexNote()));
    QVERIFY(plan.toRead.isEmpty());
    QCOMPARE(plan.kept.size(), 3);
    QCOMPARE(plan.kept[1].name, QStringLiteral("renamed"));
    QVERIFY(plan.kept[2].record.config == m_runs[2].config);
    QVERIFY(sameReport(plan.kept[2].record.report, m_runs[2].report));
}

void TestRunHistory::staleIndexReconciled_data() {
    QTest::addColumn<Damage>("change"); // returns the id expected to be re-read, or ""
    QTest::addColumn<int>("runs");
    QTest::addColumn<QString>("nameOfSecond");
    QTest::addRow("run folder added") << Damage([](const QString& root, const QString& entry) {
        // A run copied in by hand (or stored by a program whose index write failed).
        const QString id = QStringLiteral("29990101-000000-0001");
        copyFolder(entry, root + QLatin1Char('/') + id);
        return id;
    }) << 4 << "second";
    QTest::addRow("run folder removed") << Damage([](const QString&, const QString& entry) {
        QDir(entry).removeRecursively();
        return QString();
    }) << 2 << "third";
    QTest::addRow("run.json changed in place") << Damage([](const QString&, const QString& entry) {
        QFile f(entry + QStringLiteral("/run.json"));
        if (!f.open(QIODevice::ReadOnly))
            return QString();
        QByteArray json = f.readAll();
        f.close();
        json.replace("\"second\"", "\"changed by hand\"");
        writeFile(entry + QStringLiteral("/run.json"), json);
        return QFileInfo(entry).fileName();
    }) << 3 << "changed by hand";
    QTest::addRow("metrics.json damaged in place")
        << Damage([](const QString&, const QString& entry) {
               writeFile(entry + QStringLiteral("/metrics.json"), "{ broken");
               return QFileInfo(entry).fileName();
           })
        << 2 << "third";
}

void TestRunHistory::staleIndexReconciled() {
    QFETCH(Damage, change);
    QFETCH(int, runs);
    QFETCH(QString, nameOfSecond);
    const QString folder = freshFolder();
    QStringList ids;
    {
        RunHistory history(folder);
        ids = addRuns(history, m_runs);
        QVERIFY(history.rename(ids[0], QStringLiteral("first"), nullptr));
        QVERIFY(history.rename(ids[1], QStringLiteral("second"), nullptr));
        QVERIFY(history.rename(ids[2], QStringLiteral("third"), nullptr));
    }
    // Within the same millisecond a change would keep the stamp; a file system may be coarser.
    QTest::qWait(20);
    const QString reread = change(folder, folder + QLatin1Char('/') + ids[1]);
    {
        RunHistory history(folder);
        const RunHistory::LoadPlan plan = history.planLoad();
        QVERIFY2(history.indexNote().isEmpty(), qPrintable(history.indexNote()));
        QCOMPARE(plan.toRead, reread.isEmpty() ? QStringList() : QStringList{reread});
        history.finishLoad(plan, RunHistory::readEntries(folder, plan.toRead));
        QCOMPARE(int(history.runs().size()), runs);
        QCOMPARE(history.runs()[1].name, nameOfSecond);
    }
    // Reconciled: the next start finds the index in step (a damaged entry is read again
    // until it is repaired).
    RunHistory again(folder);
    const RunHistory::LoadPlan plan = again.planLoad();
    QCOMPARE(plan.dropped, QStringList());
    QCOMPARE(int(plan.kept.size()), runs);
    QCOMPARE(plan.toRead.size(), int(plan.stamps.size()) - runs);
}

void TestRunHistory::runKeptWhenIndexWriteFails_data() {
    QTest::addColumn<Change>("change");
    QTest::addColumn<QStringList>("names"); // after a restart
    QTest::addRow("add") << Change([](RunHistory& h, const QStringList&) {
        QVERIFY(!h.add(sampleRuns()[0], QStringLiteral("added while locked")).isEmpty());
    }) << QStringList{"a", "b", "c", "added while locked"};
    QTest::addRow("rename") << Change([](RunHistory& h, const QStringList& ids) {
        QVERIFY(h.rename(ids[1], QStringLiteral("renamed while locked"), nullptr));
    }) << QStringList{"a", "renamed while locked", "c"};
    QTest::addRow("remove") << Change([](RunHistory& h, const QStringList& ids) {
        QVERIFY(h.remove(ids[0], nullptr));
    }) << QStringList{"b", "c"};
}

void TestRunHistory::runKeptWhenIndexWriteFails() {
    QFETCH(Change, change);
    QFETCH(QStringList, names);
    const QString folder = freshFolder();
    RunHistory history(folder);
    QStringList ids;
    for (const char* name : {"a", "b", "c"})
        ids << history.add(m_runs[0], QLatin1String(name));
    QVERIFY(history.indexNote().isEmpty());
    QTest::qWait(20);
    {
        // Another connection holds the write lock for the whole change: the history's index
        // write fails (after its busy timeout), its folder write does not.
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("lock"));
        db.setDatabaseName(history.indexPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY2(q.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(q.lastError().text()));
        change(history, ids);
        QVERIFY2(history.indexNote().contains(QStringLiteral("locked")),
                 qPrintable(history.indexNote()));
        QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("lock"));
    if (QTest::currentTestFailed())
        return;
    RunHistory restarted(folder);
    QVERIFY(restarted.load().isEmpty());
    QStringList got;
    for (const StoredRun& run : restarted.runs())
        got << run.name;
    QCOMPARE(got, names);
    // And the index has caught up.
    RunHistory again(folder);
    QVERIFY(again.planLoad().toRead.isEmpty());
}

// Two windows open on one history: each stores a run; the numbers differ, and each window
// lists both runs without a restart.
void TestRunHistory::twoWindowsNumberAndSeeEachOthersRuns() {
    const QString folder = freshFolder();
    RunHistory first(folder), second(folder);
    QVERIFY(first.load().isEmpty());
    QVERIFY(second.load().isEmpty());
    QSignalSpy added(&second, &RunHistory::runAdded);
    const QString a = first.add(m_runs[0]);
    const QString b = second.add(m_runs[0]);
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    QCOMPARE(first.find(a)->number, 1);
    QCOMPARE(second.find(b)->number, 2);
    QVERIFY(first.find(a)->name.startsWith("#1 "));
    QVERIFY(second.find(b)->name.startsWith("#2 "));
    QTRY_COMPARE(first.runs().size(), 2);
    QTRY_COMPARE(second.runs().size(), 2);
    QCOMPARE(added.count(), 2); // its own and the other's
    QCOMPARE(second.find(a)->number, 1);
    // A third run, stored by the first window: above both, whoever stored last.
    const QString c = first.add(m_runs[1]);
    QCOMPARE(first.find(c)->number, 3);
    QTRY_VERIFY(second.find(c));
    // Renames and deletions reach the other window too.
    QVERIFY(first.rename(a, "mine", nullptr));
    QVERIFY(second.remove(b, nullptr));
    QTRY_COMPARE(second.find(a) ? second.find(a)->name : QString(), QString("mine"));
    QTRY_VERIFY(!first.find(b));
}

QTEST_GUILESS_MAIN(TestRunHistory)

#include "tst_runhistory.moc"
