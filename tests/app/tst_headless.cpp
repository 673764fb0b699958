// SPDX-License-Identifier: GPL-3.0-or-later
// The command line and the headless mode, end to end: runs the real executable.
#include "chartstyle.h"
#include "commandline.h"
#include "core/train/trainer.h"
#include "picturetestutil.h"
#include "runfolder.h"
#include "testutil.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QImage>
#include <QThread>

using namespace sobolev;
using namespace sobolev::testutil;

class TestHeadless : public QObject {
    Q_OBJECT
  private slots:
    void flagsOverrideConfigFile();
    void changeFlagsMakeTheList();
    void badFlags_data();
    void badFlags();
    void helpNamesTheExecutable();
    void noDesktopWarningsWithoutARuntimeDir_data();
    void noDesktopWarningsWithoutARuntimeDir();
    void writesRunFolder();
    void writesTargetRun();
    void sameConfigSameHistory();
    void changesReplayFromConfig();
    void refusesNonEmptyOrUnwritableOut_data();
    void refusesNonEmptyOrUnwritableOut();
    void divergedRunExitsWithReason();
    void plotsWriteTheBundle();
    void figureScaleSizesTheFigures();
    void reportWritesPdfAndMarkdown_data();
    void reportWritesPdfAndMarkdown();
    void sweepWritesRunsAndSummary();
    void seedEnsembleWithPlots();
    void twoKnobSweepWritesMap_data();
    void twoKnobSweepWritesMap();
    void badSweepFlags_data();
    void badSweepFlags();
    void shardRerunRedoesOnlyUnfinishedRuns_data();
    void shardRerunRedoesOnlyUnfinishedRuns();
    void killedShardResumes_data();
    void killedShardResumes();
    void shardOfSlurmArray();
    void shardRefusesAnotherSweepsFolder();
    void mergeAssemblesTheSweep();
    void mergeRefuses_data();
    void mergeRefuses();
    void refusesBadDataFile_data();
    void refusesBadDataFile();
    void measuredRoundTrip();
    void measuredHalfMissingFprime();
    void measuredWithoutFprime();
    void baselinesGoToMetrics();
    void killedRunResumesBitIdentically_data();
    void killedRunResumesBitIdentically();
    void resumeRefuses_data();
    void resumeRefuses();

  private:
    struct Result {
        int exitCode;
        QString stdErr;
    };
    Result run(const QStringList& args,
               const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());
    QTemporaryDir m_dir;
};

TestHeadless::Result TestHeadless::run(const QStringList& args,
                                       const QProcessEnvironment& environment) {
    QProcess p;
    p.setProcessEnvironment(environment);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), args);
    if (!p.waitForFinished(120000))
        return {-1, QStringLiteral("did not finish")};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromLocal8Bit(p.readAllStandardError())};
}

namespace {
const QStringList smallRun = {"--headless",    "--quiet", "--width", "8",  "--epochs",     "5",
                              "--n-train",     "128",     "--n-val", "32", "--batch-size", "16",
                              "--grid-points", "21"};

QList<QByteArrayList> readCsv(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArrayList> rows;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.isEmpty())
            rows << line.split(',');
    return rows;
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A summary's rows without the train_seconds column, which differs between two trainings.
QList<QByteArrayList> withoutSeconds(QList<QByteArrayList> rows) {
    const qsizetype column = rows.isEmpty() ? -1 : rows[0].indexOf("train_seconds");
    for (QByteArrayList& row : rows)
        if (column >= 0 && column < row.size())
            row.removeAt(column);
    return rows;
}

// smallRun without --quiet: the shard's progress lines say what it trained and skipped.
QStringList talkative(const QStringList& args) {
    QStringList a = args;
    a.removeAll(QStringLiteral("--quiet"));
    return a;
}

// 2 x 2 x 2 = 8 runs; shard 2/3 of it is runs 1, 4 and 7.
const QStringList gridSweep = {"--sweep", "beta=0,1", "--sweep", "width=4,8", "--seeds", "1,2"};
const QStringList shardTwoOfThree = {"beta=0_width=4_seed=2", "beta=1_width=4_seed=1",
                                     "beta=1_width=8_seed=2"};
} // namespace

// `--change 300:beta=10` is the change the window records when β is set to 10 while a run is
// paused after epoch 299 (tests/windows: betaChangedAtEpoch300ReplaysAndIsMarked); flags in any
// order come out in the order of the run, and they replace a config file's list.
void TestHeadless::changeFlagsMakeTheList() {
    const QString path = m_dir.filePath("with-changes.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"changes": [{"epoch": 5, "knob": "alpha", "value": 3}]})");
    f.close();
    const CommandLine cl = parseCommandLine({"app", "--headless", "--config", path, "--change",
                                             "600:lr=1e-4", "--change", "300:beta=10"});
    QVERIFY2(cl.errors.isEmpty(), qPrintable(cl.errors.join('\n')));
    const std::vector<KnobChange> expected{{300, 1, Knob::Beta, 10},
                                           {600, 1, Knob::LearningRate, 1e-4}};
    QCOMPARE(cl.config.changes, expected);
    const CommandLine fromFile = parseCommandLine({"app", "--headless", "--config", path});
    QCOMPARE(fromFile.config.changes, (std::vector<KnobChange>{{5, 1, Knob::Alpha, 3}}));
}

void TestHeadless::flagsOverrideConfigFile() {
    const QString path = m_dir.filePath("cfg.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"width": 32, "beta": 7, "seed": 99})");
    f.close();
    const CommandLine cl =
        parseCommandLine({"app", "--headless", "--config", path, "--beta", "0.5", "--lr", "1e-2"});
    QVERIFY2(cl.errors.isEmpty(), qPrintable(cl.errors.join('\n')));
    QVERIFY(cl.headless);
    QCOMPARE(cl.config.width, 32);
    QCOMPARE(cl.config.beta, 0.5);
    QCOMPARE(cl.config.learningRate, 1e-2);
    QCOMPARE(cl.config.seed, std::uint64_t(99));
    QCOMPARE(cl.config.depth, 2);
}

void TestHeadless::badFlags_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown flag") << QStringList{"--headless", "--wdth", "3"}
                                  << "Unknown option 'wdth'";
    QTest::addRow("missing value")
        << QStringList{"--headless", "--width"} << "Missing value after '--width'";
    QTest::addRow("not a number") << QStringList{"--headless", "--lr", "fast"}
                                  << "--lr: must be a number; got \"fast\"";
    QTest::addRow("out of range") << QStringList{"--headless", "--depth", "9"}
                                  << "--depth (depth): must be an integer from 1 to 8; got 9";
    QTest::addRow("fraction") << QStringList{"--headless", "--epochs", "2.5"}
                              << "epochs: must be an integer; got 2.5";
    QTest::addRow("alpha = beta = 0")
        << QStringList{"--headless", "--alpha", "0", "--beta", "0"} << "cannot both be 0";
    QTest::addRow("negative seed")
        << QStringList{"--headless", "--seed", "-3"} << "--seed: must be an integer from 0";
    QTest::addRow("activation") << QStringList{"--headless", "--activation", "relu"}
                                << "activation: must be one of tanh, sin, softplus";
    QTest::addRow("stray argument")
        << QStringList{"--headless", "64"} << "unexpected argument \"64\"";
    QTest::addRow("missing config")
        << QStringList{"--headless", "--config", "no-such.json"} << "no-such.json: cannot open";
    QTest::addRow("repeated flag")
        << QStringList{"--headless", "--width", "8", "--depth", "2", "--width", "16"}
        << "--width: given more than once";
    QTest::addRow("repeated switch")
        << QStringList{"--headless", "--quiet", "--quiet"} << "--quiet: given more than once";
    QTest::addRow("repeated with =")
        << QStringList{"--headless", "--lr=1e-3", "--lr", "1e-2"} << "--lr: given more than once";
    QTest::addRow("figure scale out of range")
        << QStringList{"--headless", "--plots", "--figure-scale", "5"}
        << "--figure-scale: must be a number from 0.5 to 3; got \"5\"";
    QTest::addRow("figure scale without plots")
        << QStringList{"--headless", "--figure-scale", "2"} << "--figure-scale goes with --plots";
    QTest::addRow("out without headless")
        << QStringList{"--out", "x"} << "--quiet, --out, --plots and --report go with --headless";
    QTest::addRow("report without headless")
        << QStringList{"--report"} << "--quiet, --out, --plots and --report go with --headless";
    QTest::addRow("report page unknown")
        << QStringList{"--headless", "--report", "--report-page", "a3"}
        << "--report-page: must be a4 or letter; got \"a3\"";
    QTest::addRow("report page without report")
        << QStringList{"--headless", "--report-page", "letter"}
        << "--report-page goes with --report";
    // Targets and data: ten malformed formulas, then the other knobs.
    const QList<std::pair<QString, QString>> formulas{
        {"sin(", "unexpected end of input at column 5"},
        {"x + y", "unknown name 'y' (the variable is x)"},
        {"1/x", "f(x) is undefined at x = 0 (division by zero)"},
        {"sqrt(abs(x))", "f′(x) is undefined at x = 0 (division by zero)"},
        {"2x", "unexpected 'x' at column 2"},
        {"foo(x)", "unknown function 'foo'"},
        {"(x + 1",
         "unexpected end of input at column 7; expected ')' to close the '(' at column 1"},
        {"10^10^10", "number too large at column 3"},
        {"x $ 2", "unexpected character '$' at column 3"},
        {"log(x)", "f(x) is undefined at x = 0 (logarithm of 0)"},
    };
    for (const auto& [formula, message] : formulas)
        QTest::addRow("target %s", qPrintable(formula))
            << QStringList{"--headless", "--target", formula} << "--target (target): " + message;
    QTest::addRow("domain reversed") << QStringList{"--headless", "--domain", "1,-1"}
                                     << "--domain (domain): must be [a, b] with a < b";
    QTest::addRow("domain one number")
        << QStringList{"--headless", "--domain", "2"} << "--domain: must be two numbers A,B";
    QTest::addRow("sampling") << QStringList{"--headless", "--sampling", "random"}
                              << "sampling: must be one of uniform, equispaced, chebyshev";
    QTest::addRow("noise negative") << QStringList{"--headless", "--noise-f", "-0.1"}
                                    << "--noise-f (noise_f): must be a standard deviation";
    QTest::addRow("param of pinn")
        << QStringList{"--headless", "--target", "pinn", "--target-param", "3"}
        << "the pinn preset has no parameter";
    // Changes during the run.
    QTest::addRow("change unknown knob")
        << QStringList{"--headless", "--change", "300:gamma=1"}
        << "--change: unknown knob \"gamma\"; the knobs that can change are alpha, beta, lr";
    QTest::addRow("change malformed") << QStringList{"--headless", "--change", "beta=10"}
                                      << "--change: must be EPOCH:KNOB=VALUE, e.g. 300:beta=10";
    QTest::addRow("change epoch out of range")
        << QStringList{"--headless", "--change", "1001:beta=10"}
        << "--change (changes): the change at epoch 1001, batch 1 (beta=10): the epoch must be an "
           "Adam epoch from 1 to 1000";
    QTest::addRow("change value out of range")
        << QStringList{"--headless", "--change", "3:lr=2"}
        << "lr must be a number greater than 0 and at most 1";
    QTest::addRow("change value not a number")
        << QStringList{"--headless", "--change", "3:beta=ten"} << "the value must be a number";
    QTest::addRow("param of a formula")
        << QStringList{"--headless", "--target", "sin(x)", "--target-param", "3"}
        << "only a preset has a parameter";
    // Baselines.
    QTest::addRow("baseline unknown")
        << QStringList{"--headless", "--baselines", "cheb:20,newton:5"}
        << "--baselines: 'newton:5': unknown baseline 'newton'; allowed: equi, cheb, lsq, "
           "spline, hermite";
    QTest::addRow("baseline degree too high")
        << QStringList{"--headless", "--baselines", "equi:101"}
        << "--baselines: 'equi:101': n must be a degree from 1 to 100; got '101'";
    QTest::addRow("baseline without n")
        << QStringList{"--headless", "--baselines", "hermite"}
        << "'hermite': no n; write hermite:N with N a number of intervals from 1 to 10000";
    QStringList changes{"--headless"};
    for (int i = 0; i < 1000; ++i)
        changes << "--change"
                << "5000:beta=1";
    QTest::addRow("1000 bad changes: the first 20 named")
        << changes
        << "--change (changes): 980 more problems with changes; only the first 20 are listed";
    QTest::addRow("baselines empty")
        << QStringList{"--headless", "--baselines", ""} << "--baselines: needs at least one KIND:N";
    QTest::addRow("baselines without headless")
        << QStringList{"--baselines", "cheb:10"} << "--baselines goes with --headless";
}

void TestHeadless::badFlags() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
}

void TestHeadless::helpNamesTheExecutable() {
    QProcess p;
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), {"--help"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
    QVERIFY2(out.startsWith("Usage: sobolev-workbench [options] [DIR...]\n"), qPrintable(out));
    QVERIFY(!out.contains("executable_name"));
}

void TestHeadless::noDesktopWarningsWithoutARuntimeDir_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addRow("run") << QStringList{};
    QTest::addRow("run with plots") << QStringList{"--plots"};
    QTest::addRow("seeds with plots") << QStringList{"--seeds", "1,2", "--plots"};
}

void TestHeadless::noDesktopWarningsWithoutARuntimeDir() {
    QFETCH(QStringList, args);
    static int n = 0;
    const QString out = m_dir.filePath(QStringLiteral("noruntime%1").arg(++n));
    // As under cron or ssh: no XDG_RUNTIME_DIR, no display.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("XDG_RUNTIME_DIR");
    env.remove("QT_QPA_PLATFORM");
    env.remove("DISPLAY");
    // Qt logs to the journal, not to stderr, when stderr is not a terminal.
    env.insert("QT_FORCE_STDERR_LOGGING", "1");
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), smallRun + args + QStringList{"--out", out});
    QVERIFY(p.waitForFinished(120000));
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(p.exitCode() == 0, qPrintable(err));
    QVERIFY2(!err.contains("QStandardPaths") && !err.contains("XDG_RUNTIME_DIR"), qPrintable(err));
}

void TestHeadless::writesTargetRun() {
    const QString out = m_dir.filePath("target-run");
    QStringList args = smallRun;
    args.removeAll("--quiet");
    // Each flag once: n_train replaces the small run's.
    const qsizetype nTrain = args.indexOf("--n-train");
    if (nTrain >= 0)
        args.remove(nTrain, 2);
    args << "--out" << out << "--target"
         << "sin(3*x)*exp(-x^2)"
         << "--domain"
         << "-2,2"
         << "--sampling"
         << "chebyshev"
         << "--noise-f"
         << "0.01"
         << "--n-train"
         << "10";
    const Result r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    // batch_size 16 > n_train 10: the batch follows, and the run says so.
    QVERIFY2(r.stdErr.contains("note: batch_size 16 exceeds n_train 10: training in batches of 10"),
             qPrintable(r.stdErr));
    const QJsonObject config = readJson(out + "/config.json");
    QCOMPARE(config.value("target").toString(), QStringLiteral("sin(3*x)*exp(-x^2)"));
    QCOMPARE(config.value("sampling").toString(), QStringLiteral("chebyshev"));
    QCOMPARE(config.value("noise_f").toDouble(), 0.01);
    QCOMPARE(config.value("domain").toArray().at(0).toDouble(), -2.0);
    const QString derivative = config.value("target_derivative").toString();
    QVERIFY2(derivative.contains("cos(3*x)"), qPrintable(derivative));
    // The test grid spans the domain and holds the clean target.
    const QList<QByteArrayList> rows = readCsv(out + "/predictions.csv");
    QCOMPARE(rows.size(), 22);
    QCOMPARE(rows[1][0].toDouble(), -2.0);
    QCOMPARE(rows.last()[0].toDouble(), 2.0);
    const double x = rows[5][0].toDouble();
    QVERIFY(std::abs(rows[5][1].toDouble() - std::sin(3 * x) * std::exp(-x * x)) < 1e-6);
}

void TestHeadless::writesRunFolder() {
    const QString out = m_dir.filePath("run1");
    const Result r = run(smallRun + QStringList{"--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY(r.stdErr.isEmpty()); // --quiet

    const QJsonObject config = readJson(out + "/config.json");
    QCOMPARE(config["width"].toInt(), 8);
    QCOMPARE(config["grid_points"].toInt(), 21);

    const auto history = readCsv(out + "/history.csv");
    QCOMPARE(history.size(), 6);
    QCOMPARE(history[0].join(','), QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                              "val_mse_fprime,seconds,learning_rate,phase,"
                                              "alpha,beta"));
    QCOMPARE(history[5][0], QByteArray("5"));

    const auto predictions = readCsv(out + "/predictions.csv");
    QCOMPARE(predictions.size(), 22);
    QCOMPARE(predictions[0].join(','), QByteArray("x,f,f_hat,fprime,fprime_hat"));
    QCOMPARE(predictions[1][0].toDouble(), -1.0);
    QCOMPARE(predictions[21][0].toDouble(), 1.0);

    // metrics.json agrees with predictions.csv.
    double mse = 0, maxErr = 0;
    for (int i = 1; i <= 21; ++i) {
        const double e = predictions[i][2].toDouble() - predictions[i][1].toDouble();
        mse += e * e / 21;
        maxErr =
            std::max(maxErr, std::abs(predictions[i][4].toDouble() - predictions[i][3].toDouble()));
    }
    const QJsonObject metrics = readJson(out + "/metrics.json");
    QVERIFY(qAbs(metrics["mse_f"].toDouble() - mse) <= 1e-6 * mse);
    QVERIFY(qAbs(metrics["max_err_fprime"].toDouble() - maxErr) <= 1e-6 * maxErr);
    QCOMPARE(metrics["epochs_run"].toInt(), 5);
    QCOMPARE(metrics["stop_reason"].toString(), QString("completed"));
    QVERIFY(metrics["train_seconds"].toDouble() > 0);

    // The folder holds what the trainer gives for this config, to the bit: the same config
    // trained here (one seed, one thread: bit-identical) has the same history and report.
    const RunReadResult back = readRunFolder(out);
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    Trainer reference(back.run.config);
    QCOMPARE(reference.trainAll(), StopReason::Completed);
    QVERIFY(sameHistory(back.run.history, reference.history()));
    QVERIFY(!back.run.snapshots.empty()); // snapshots.bin, as the trainer records them
    QVERIFY(sameSnapshots(back.run.snapshots, reference.snapshots()));
    // The last history row's loss, as the file spells it, is the run's loss at epoch 5.
    const EpochMetrics& last = reference.history().back();
    QCOMPARE(last.epoch, 5);
    QVERIFY2(sameBits(history[5][1].toDouble(), last.loss),
             qPrintable(QStringLiteral("history.csv %1, trained here %2")
                            .arg(QString::fromUtf8(history[5][1]))
                            .arg(last.loss, 0, 'g', 17)));
    QVERIFY(sameBits(history[5][4].toDouble(), last.valLoss));
    // metrics.json has the run's report, number for number.
    const FitReport report = reference.report();
    QVERIFY(sameBits(metrics["mse_f"].toDouble(), report.mseF));
    QVERIFY(sameBits(metrics["mse_fprime"].toDouble(), report.mseFprime));
    QVERIFY(sameBits(metrics["max_err_f"].toDouble(), report.maxErrF));
    QVERIFY(sameBits(metrics["max_err_fprime"].toDouble(), report.maxErrFprime));
}

// --change is repeatable, lands in config.json's `changes`, and that config.json
// replays the run to the bit.
void TestHeadless::changesReplayFromConfig() {
    const QString a = m_dir.filePath("changed-a"), b = m_dir.filePath("changed-b"),
                  plain = m_dir.filePath("changed-plain");
    const QStringList changes{"--change", "4:lr=0.01", "--change", "3:beta=10"};
    QCOMPARE(run(smallRun + changes + QStringList{"--out", a}).exitCode, 0);
    QFile file(a + "/config.json");
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray list = QJsonDocument::fromJson(file.readAll()).object()["changes"].toArray();
    QCOMPARE(list.size(), 2); // in the order of the run
    QCOMPARE(list[0].toObject()["epoch"].toInt(), 3);
    QCOMPARE(list[0].toObject()["knob"].toString(), QString("beta"));
    QCOMPARE(list[0].toObject()["value"].toDouble(), 10.0);
    QCOMPARE(list[1].toObject()["knob"].toString(), QString("lr"));
    QCOMPARE(run({"--headless", "--quiet", "--config", a + "/config.json", "--out", b}).exitCode,
             0);
    QCOMPARE(run(smallRun + QStringList{"--out", plain}).exitCode, 0);
    auto withoutSeconds = [](QList<QByteArrayList> rows) {
        for (auto& row : rows)
            row.removeAt(7); // seconds
        return rows;
    };
    const auto ha = readCsv(a + "/history.csv"), hb = readCsv(b + "/history.csv"),
               hp = readCsv(plain + "/history.csv");
    QCOMPARE(withoutSeconds(ha), withoutSeconds(hb));
    QCOMPARE(readCsv(a + "/predictions.csv"), readCsv(b + "/predictions.csv"));
    // Header and epochs 1-2 as without changes; epoch 3 on differs.
    QCOMPARE(withoutSeconds(ha).mid(0, 3), withoutSeconds(hp).mid(0, 3));
    QVERIFY(withoutSeconds(ha)[3] != withoutSeconds(hp)[3]);
    QCOMPARE(ha[4][8], QByteArray("0.01")); // the rate from epoch 4 on
}

void TestHeadless::sameConfigSameHistory() {
    const QString a = m_dir.filePath("a"), b = m_dir.filePath("b");
    QCOMPARE(run(smallRun + QStringList{"--out", a}).exitCode, 0);
    // The second run reads the first one's config.json: the round trip keeps every bit.
    QCOMPARE(run({"--headless", "--quiet", "--config", a + "/config.json", "--out", b}).exitCode,
             0);
    auto withoutSeconds = [](QList<QByteArrayList> rows) {
        for (auto& row : rows)
            row.removeAt(7); // seconds
        return rows;
    };
    const auto ha = readCsv(a + "/history.csv"), hb = readCsv(b + "/history.csv");
    QCOMPARE(ha.size(), 6);
    QCOMPARE(withoutSeconds(ha), withoutSeconds(hb));
    QCOMPARE(readCsv(a + "/predictions.csv"), readCsv(b + "/predictions.csv"));
}

void TestHeadless::refusesNonEmptyOrUnwritableOut_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("non-empty") << "full" << 1 << "the folder is not empty";
    QTest::addRow("a file") << "file.txt" << 1 << "exists and is not a folder";
    QTest::addRow("under a file") << "file.txt/run" << 1 << "cannot create the folder";
}

void TestHeadless::refusesNonEmptyOrUnwritableOut() {
    QFETCH(QString, name);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QDir(m_dir.path()).mkpath("full");
    QFile keep(m_dir.filePath("full/keep.txt"));
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("precious");
    keep.close();
    QFile file(m_dir.filePath("file.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    const Result r = run(smallRun + QStringList{"--out", m_dir.filePath(name)});
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
    QVERIFY(r.stdErr.contains(m_dir.filePath(name)));
    QVERIFY(keep.open(QIODevice::ReadOnly));
    QCOMPARE(keep.readAll(), QByteArray("precious"));
    QCOMPARE(QDir(m_dir.filePath("full")).entryList(QDir::Files), QStringList{"keep.txt"});
}

void TestHeadless::divergedRunExitsWithReason() {
    const QString out = m_dir.filePath("diverged");
    const Result r =
        run({"--headless", "--quiet", "--activation", "softplus", "--depth", "8", "--lr", "1",
             "--n-train", "256", "--batch-size", "32", "--epochs", "50", "--out", out});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.stdErr.contains("loss became NaN at epoch 1"), qPrintable(r.stdErr));
    QVERIFY(r.stdErr.contains("try a smaller learning rate"));
    const QJsonObject metrics = readJson(out + "/metrics.json");
    QCOMPARE(metrics["stop_reason"].toString(), QString("diverged"));
    QVERIFY(metrics["stop_message"].toString().contains("NaN"));
}

void TestHeadless::plotsWriteTheBundle() {
    const QString out = m_dir.filePath("bundle");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QT_QPA_PLATFORM"); // the headless mode must choose offscreen by itself
    env.remove("DISPLAY");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH),
            smallRun + QStringList{"--plots", "--out", out});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    for (const char* name : {"config.json", "history.csv", "predictions.csv", "metrics.json",
                             "metrics.md", "training.png", "training.svg", "f.png", "f.svg",
                             "fprime.png", "fprime.svg", "error.png", "error.svg"})
        QVERIFY2(QFileInfo(QDir(out).filePath(name)).size() > 0, name);
    QImage png;
    QVERIFY(png.load(out + "/fprime.png"));
    // A document's figure: 6.25 in wide at 288 dpi, so placed at 100 % its text is 9 pt or
    // more (12 px or more at the SVG's 96 dpi; a subscript aside).
    QCOMPARE(png.size(), QSize(1800, 1125));
    const double inches = png.width() / (png.dotsPerMeterX() * 0.0254);
    QVERIFY2(std::abs(inches - 6.25) < 0.01, qPrintable(QString::number(inches)));
    for (const char* svg : {"training.svg", "f.svg", "fprime.svg", "error.svg"}) {
        QFile file(QDir(out).filePath(svg));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        static const QRegularExpression sized(R"re(font-size="([\d.]+)"[^>]*>\s*([^<]*)<)re");
        int texts = 0;
        for (auto it = sized.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            if (m.captured(2).trimmed().size() < 2)
                continue; // a subscript
            ++texts;
            QVERIFY2(m.captured(1).toDouble() >= 12,
                     qPrintable(QString(svg) + ": " + m.captured(0)));
        }
        QVERIFY2(texts >= 10, svg);
    }
    // A drawn figure, not a blank one: the network's f' (green, dashed) and the true f'
    // (near-black) in the plot, the title above it and the legend below it. Where those are
    // is known only roughly, as fractions of the picture.
    const QRect plot = imagePart(png, 0.1, 0.1, 0.95, 0.8);
    const QColor network = chartstyle::color(chartstyle::Role::Fprime);
    const QColor truth = chartstyle::color(chartstyle::Role::Truth);
    QVERIFY(distinctColours(png) >= 16);
    QVERIFY2(pixelsNear(png, network, plot) >= 500,
             qPrintable(QString::number(pixelsNear(png, network, plot))));
    QVERIFY2(pixelsNear(png, truth, plot) >= 500,
             qPrintable(QString::number(pixelsNear(png, truth, plot))));
    QVERIFY2(darkPixels(png, imagePart(png, 0.3, 0, 0.7, 0.06)) >= 100, "no title");
    const QRect legend = imagePart(png, 0.25, 0.92, 0.75, 1);
    QVERIFY2(darkPixels(png, legend) >= 100, "no legend text");
    QVERIFY2(pixelsNear(png, network, legend) >= 10, "no legend marker for the network");
}

void TestHeadless::figureScaleSizesTheFigures() {
    const QString out = m_dir.filePath("scaled");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QT_QPA_PLATFORM");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH),
            smallRun + QStringList{"--plots", "--figure-scale", "1.5", "--out", out});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QImage png;
    QVERIFY(png.load(out + "/f.png"));
    QCOMPARE(png.size(), QSize(2700, 1689)); // 900 × 563 px at 96 dpi, times 3
    const double inches = png.width() / (png.dotsPerMeterX() * 0.0254);
    QVERIFY2(std::abs(inches - 9.375) < 0.01, qPrintable(QString::number(inches))); // 6.25 × 1.5
}

void TestHeadless::reportWritesPdfAndMarkdown_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<QSizeF>("points");
    QTest::addRow("a4") << "a4" << QSizeF(595.28, 841.89);
    QTest::addRow("letter") << "letter" << QSizeF(612, 792);
}

void TestHeadless::reportWritesPdfAndMarkdown() {
    QFETCH(QString, page);
    QFETCH(QSizeF, points);
    const QString out = m_dir.filePath("report-" + page);
    const Result r = run(smallRun + QStringList{"--report", "--report-page", page, "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    for (const char* name : {"config.json", "history.csv", "predictions.csv", "metrics.json",
                             "report.pdf", "report.md", "training.png", "training.svg", "f.png",
                             "f.svg", "fprime.png", "fprime.svg", "error.png", "error.svg"})
        QVERIFY2(QFileInfo(QDir(out).filePath(name)).size() > 0, name);
    QFile pdf(QDir(out).filePath("report.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    static const QRegularExpression box(R"(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\])");
    const auto m = box.match(QString::fromLatin1(bytes));
    QVERIFY2(m.hasMatch(), "no /MediaBox");
    // Qt rounds the page size to whole points.
    QVERIFY2(std::abs(m.captured(1).toDouble() - points.width()) < 0.5 &&
                 std::abs(m.captured(2).toDouble() - points.height()) < 0.5,
             qPrintable(m.captured(0)));
    QFile md(QDir(out).filePath("report.md"));
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(md.readAll());
    const QJsonObject metrics = readJson(QDir(out).filePath("metrics.json"));
    QVERIFY2(text.contains(QString::number(metrics["mse_f"].toDouble(), 'g', 3)), qPrintable(text));
    QVERIFY2(text.contains("](training.png)"), qPrintable(text));
}

void TestHeadless::sweepWritesRunsAndSummary() {
    const QString out = m_dir.filePath("sweep");
    const Result r = run(smallRun + QStringList{"--sweep", "beta=0,1", "--sweep", "width=4,8",
                                                "--seeds", "1", "--threads", "2", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const auto summary = readCsv(out + "/summary.csv");
    QCOMPARE(summary.size(), 5);
    QCOMPARE(summary[0].join(','),
             QByteArray("beta,width,seed,mse_f,mse_fprime,max_err_f,max_err_fprime,h1_error,"
                        "rel_l2_f,rel_l2_fprime,x_max_err_f,x_max_err_fprime,"
                        "epochs_run,train_seconds,stop_reason,best_epoch,best_mse_f,"
                        "best_mse_fprime,best_max_err_f,best_max_err_fprime,best_h1_error,"
                        "best_rel_l2_f,best_rel_l2_fprime,best_x_max_err_f,"
                        "best_x_max_err_fprime,final_alpha,final_beta,folder"));
    QStringList folders;
    for (int i = 1; i < summary.size(); ++i) {
        const auto& row = summary[i];
        const QString folder = QString::fromUtf8(row.last());
        folders << folder;
        const QJsonObject metrics = readJson(out + "/" + folder + "/metrics.json");
        const QJsonObject best = metrics["best"].toObject();
        QCOMPARE(row[15].toInt(), best["epoch"].toInt());
        QCOMPARE(row[16].toDouble(), best["mse_f"].toDouble());
        QCOMPARE(row[20].toDouble(), best["h1_error"].toDouble());
        QCOMPARE(row[3].toDouble(), metrics["mse_f"].toDouble());
        QCOMPARE(row[4].toDouble(), metrics["mse_fprime"].toDouble());
        QCOMPARE(row[6].toDouble(), metrics["max_err_fprime"].toDouble());
        QCOMPARE(row[7].toDouble(), metrics["h1_error"].toDouble());
        QCOMPARE(row[8].toDouble(), metrics["rel_l2_f"].toDouble());
        // x is a float on the grid, and summary.csv writes it as one ("0.126").
        QCOMPARE(float(row[11].toDouble()), float(metrics["x_max_err_fprime"].toDouble()));
        QCOMPARE(row[12].toInt(), metrics["epochs_run"].toInt());
        QCOMPARE(QString::fromUtf8(row[14]), metrics["stop_reason"].toString());
        const QJsonObject config = readJson(out + "/" + folder + "/config.json");
        QVERIFY(QFileInfo(out + "/" + folder + "/snapshots.bin").size() > 0);
        QCOMPARE(config["beta"].toDouble(), row[0].toDouble());
        QCOMPARE(config["width"].toDouble(), row[1].toDouble());
        // The weights in force at the last history row: here the configured ones.
        QCOMPARE(row[25].toDouble(), config["alpha"].toDouble());
        QCOMPARE(row[26].toDouble(), config["beta"].toDouble());
    }
    QCOMPARE(folders, (QStringList{"beta=0_width=4_seed=1", "beta=0_width=8_seed=1",
                                   "beta=1_width=4_seed=1", "beta=1_width=8_seed=1"}));
    QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 4);
}

void TestHeadless::seedEnsembleWithPlots() {
    // --seeds alone runs the config once per seed; --plots adds every run's figures and the
    // sweep's own (the trade-off scatter and the errors against the knob, here the seed).
    const QString out = m_dir.filePath("ensemble");
    const Result r = run(smallRun + QStringList{"--seeds", "4-5", "--plots", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY2(!r.stdErr.contains("propagateSizeHints"), qPrintable(r.stdErr));
    const auto summary = readCsv(out + "/summary.csv");
    QCOMPARE(summary.size(), 3);
    QCOMPARE(summary[0].first(), QByteArray("seed"));
    QCOMPARE(summary[1].last(), QByteArray("seed=4"));
    for (const char* name :
         {"tradeoff.png", "tradeoff.svg", "knob-mse-f.png", "knob-mse-fprime.svg",
          "seed=4/training.png", "seed=5/error.svg", "seed=5/metrics.md"})
        QVERIFY2(QFileInfo(QDir(out).filePath(name)).size() > 0, name);
    QImage png;
    QVERIFY(png.load(out + "/tradeoff.png"));
    // Two runs, two dots in the plot (one colour: the ensemble has no knob), and a title
    // and a legend with text.
    const QColor dot = chartstyle::color(chartstyle::Role::Loss);
    const QRect plot = imagePart(png, 0.1, 0.06, 0.8, 0.92);
    QVERIFY(distinctColours(png) >= 16);
    // A dot is about 230 pixels of its colour here: more than one and a half dots.
    QVERIFY2(pixelsNear(png, dot, plot) >= 350,
             qPrintable(QString::number(pixelsNear(png, dot, plot))));
    QVERIFY2(darkPixels(png, imagePart(png, 0.3, 0, 0.7, 0.05)) >= 100, "no title");
    const QRect legend = imagePart(png, 0.82, 0.3, 1, 0.7);
    QVERIFY2(darkPixels(png, legend) >= 100, "no legend text");
    QVERIFY2(pixelsNear(png, dot, legend) >= 10, "no legend marker for the runs");
    // A seed ensemble is no grid: no map.
    QVERIFY(!QFileInfo::exists(out + "/map.png"));
}

void TestHeadless::twoKnobSweepWritesMap_data() {
    QTest::addColumn<QStringList>("sweep");
    QTest::addColumn<bool>("map");
    QTest::addColumn<bool>("slice");
    QTest::addRow("alpha x beta") << QStringList{"alpha=0.1,1", "beta=0.1,1"} << true << true;
    QTest::addRow("width x depth") << QStringList{"width=4,8", "depth=1,2"} << true << false;
    QTest::addRow("beta alone") << QStringList{"beta=0.1,1"} << false << false;
    QTest::addRow("beta x schedule")
        << QStringList{"beta=0.1,1", "schedule=constant,cosine"} << false << false;
}

void TestHeadless::twoKnobSweepWritesMap() {
    QFETCH(QStringList, sweep);
    QFETCH(bool, map);
    QFETCH(bool, slice);
    const QString out = m_dir.filePath(QStringLiteral("map-") + QTest::currentDataTag());
    QStringList args = smallRun + QStringList{"--plots", "--out", out};
    for (const QString& axis : sweep)
        args << "--sweep" << axis;
    const Result r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY(QFileInfo::exists(out + "/summary.csv"));
    for (const char* name : {"map.png", "map.svg", "map-best.png", "map-best.svg"})
        QCOMPARE(QFileInfo(QDir(out).filePath(name)).size() > 0, map);
    for (const char* name :
         {"map-slice.png", "map-slice.svg", "map-slice-best.png", "map-slice-best.svg"})
        QCOMPARE(QFileInfo(QDir(out).filePath(name)).size() > 0, slice);
    if (!map)
        return;
    QImage png;
    QVERIFY(png.load(out + "/map.png"));
    // Four cells of viridis colours and a colour bar: many distinct colours, and a title.
    QVERIFY(distinctColours(png) >= 16);
    QVERIFY2(darkPixels(png, imagePart(png, 0.2, 0, 0.8, 0.05)) >= 100, "no title");
}

void TestHeadless::badSweepFlags_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown knob") << QStringList{"--headless", "--sweep", "gamma=1"}
                                  << "--sweep: unknown knob \"gamma\"";
    QTest::addRow("three knobs") << QStringList{"--headless", "--sweep", "beta=1", "--sweep",
                                                "alpha=1",    "--sweep", "lr=0.1"}
                                 << "at most two knobs";
    QTest::addRow("bad seeds") << QStringList{"--headless", "--sweep", "beta=1", "--seeds", "a-b"}
                               << "--seeds: \"a-b\" is not a seed";
    QTest::addRow("seeds beyond the run limit")
        << QStringList{"--headless", "--seeds", QStringList(18000, "1-9999").join(',')}
        << "--seeds: \"1-9999,1-9999,1-9999,1-9999,1-9999,1-999...\" makes more than 10000 seeds; "
           "a sweep has at most 10000 runs";
    QTest::addRow("threads") << QStringList{"--headless", "--sweep", "beta=1", "--threads", "0"}
                             << "--threads: must be an integer from 1 to 256";
    QTest::addRow("threads alone")
        << QStringList{"--headless", "--threads", "2"} << "--threads goes with --sweep or --seeds";
    QTest::addRow("invalid point") << QStringList{"--headless", "--sweep", "lr=0.1,5"}
                                   << "at learning_rate=5: learning_rate must be";
    QTest::addRow("shard zero-based")
        << QStringList{"--headless", "--sweep", "beta=0,1", "--shard", "0/2"}
        << "--shard: \"0/2\" must be K/N with 1 <= K <= N";
    QTest::addRow("shard without a sweep")
        << QStringList{"--headless", "--shard", "1/2"} << "--shard goes with --sweep or --seeds";
    QTest::addRow("merge with a sweep")
        << QStringList{"--merge", "a", "--sweep", "beta=0,1"}
        << "--merge goes with --out, --plots, --figure-scale and --quiet only; got --sweep";
    QTest::addRow("merge of nothing")
        << QStringList{"--merge"} << "--merge: name the sweep folders";
    QTest::addRow("merge of no sweep folder")
        << QStringList{"--merge", "."} << "sweep.json: missing";
}

void TestHeadless::badSweepFlags() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(args + QStringList{"--out", m_dir.filePath("never")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("never")));
}

void TestHeadless::shardRerunRedoesOnlyUnfinishedRuns_data() {
    QTest::addColumn<QString>("damage"); // what happens to the shard's first run folder
    QTest::addColumn<int>("retrained");
    QTest::addRow("nothing") << "nothing" << 0;
    QTest::addRow("metrics.json deleted") << "delete" << 1;
    QTest::addRow("metrics.json half-written") << "truncate" << 1;
    QTest::addRow("the run was stopped") << "stopped" << 1;
    QTest::addRow("run folder deleted") << "folder" << 1;
}

// A shard run again trains only what is not finished: the finished runs' files are untouched
// (their metrics.json, with its train_seconds, is byte for byte the same).
void TestHeadless::shardRerunRedoesOnlyUnfinishedRuns() {
    QFETCH(QString, damage);
    QFETCH(int, retrained);
    const QString out = m_dir.filePath("resume-" + damage);
    const QStringList args =
        smallRun + gridSweep + QStringList{"--shard", "2/3", "--threads", "2", "--out", out};
    Result r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot), shardTwoOfThree);
    QMap<QString, QByteArray> before;
    for (const QString& folder : shardTwoOfThree)
        before[folder] = readAll(out + "/" + folder + "/metrics.json");

    const QString first = out + "/" + shardTwoOfThree[0];
    if (damage == "delete") {
        QVERIFY(QFile::remove(first + "/metrics.json"));
    } else if (damage == "truncate") {
        QFile f(first + "/metrics.json");
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
    } else if (damage == "stopped") {
        QByteArray m = before[shardTwoOfThree[0]];
        m.replace("\"completed\"", "\"stopped\"");
        QFile f(first + "/metrics.json");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(m);
    } else if (damage == "folder") {
        QVERIFY(QDir(first).removeRecursively());
    }

    r = run(talkative(args));
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const QString counts = QStringLiteral("shard 2/3: 3 of the sweep's 8 runs; %1 already "
                                          "finished, %2 to train")
                               .arg(3 - retrained)
                               .arg(retrained);
    QVERIFY2(r.stdErr.contains(counts), qPrintable(r.stdErr));
    QCOMPARE(r.stdErr.count(QStringLiteral(" ended (")), retrained);
    for (qsizetype i = 0; i < shardTwoOfThree.size(); ++i) {
        const QString folder = shardTwoOfThree[i];
        const QByteArray now = readAll(out + "/" + folder + "/metrics.json");
        QCOMPARE(readJson(out + "/" + folder + "/metrics.json")["stop_reason"].toString(),
                 QStringLiteral("completed"));
        if (i > 0 || retrained == 0)
            QVERIFY2(now == before[folder], qPrintable(folder + " was trained again"));
        const RunReadResult read = readRunFolder(out + "/" + folder);
        QVERIFY2(read.errors.isEmpty(), qPrintable(read.errors.join('\n')));
    }
    const auto summary = readCsv(out + "/summary-shard-2-of-3.csv");
    QCOMPARE(summary.size(), 4);
    for (int i = 1; i < 4; ++i)
        QCOMPARE(QString::fromUtf8(summary[i].last()), shardTwoOfThree[i - 1]);
    QVERIFY(!QFileInfo::exists(out + "/summary.csv"));
}

void TestHeadless::killedShardResumes_data() {
    QTest::addColumn<bool>("terminate"); // SIGTERM (as Slurm ends a job), else SIGKILL
    QTest::addRow("SIGTERM") << true;
    QTest::addRow("SIGKILL") << false;
}

// A shard killed after its first run: the re-run trains exactly the runs not finished, and
// the shard ends with each of its runs finished once. SIGTERM saves the run in progress where
// it stopped, and the re-run continues it; either way every run ends as if never stopped.
void TestHeadless::killedShardResumes() {
    QFETCH(bool, terminate);
    const QString out = m_dir.filePath(terminate ? "killed-term" : "killed-kill");
    QStringList args = talkative(smallRun) + gridSweep +
                       QStringList{"--shard", "2/3", "--threads", "1", "--out", out};
    args[args.indexOf("--epochs") + 1] = "400";
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), args);
    QByteArray err;
    while (!err.contains("run 1/3 ended") && p.waitForReadyRead(120000))
        err += p.readAll();
    QVERIFY2(err.contains("run 1/3 ended"), err.constData());
    // The second run has begun its folder: a SIGTERM now stops it in the middle.
    const QString second = out + "/" + shardTwoOfThree[1] + "/checkpoint.json";
    while (!QFileInfo::exists(second) && p.state() != QProcess::NotRunning)
        QThread::msleep(1);
    if (terminate)
        p.terminate();
    else
        p.kill();
    QVERIFY(p.waitForFinished(120000));
    QMap<QString, QByteArray> finished;
    for (const QString& folder : shardTwoOfThree) {
        const QByteArray m = readAll(out + "/" + folder + "/metrics.json");
        if (QJsonDocument::fromJson(m).object()["stop_reason"] == QStringLiteral("completed"))
            finished[folder] = m;
    }
    QVERIFY(finished.size() >= 1);

    const Result r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const qsizetype toTrain = 3 - finished.size();
    QVERIFY2(
        r.stdErr.contains(
            QStringLiteral("%1 already finished, %2 to train").arg(finished.size()).arg(toTrain)),
        qPrintable(r.stdErr));
    QCOMPARE(r.stdErr.count(QStringLiteral(" ended (")), toTrain);
    for (const QString& folder : shardTwoOfThree) {
        const QByteArray m = readAll(out + "/" + folder + "/metrics.json");
        QCOMPARE(QJsonDocument::fromJson(m).object()["stop_reason"].toString(),
                 QStringLiteral("completed"));
        if (finished.contains(folder))
            QVERIFY2(m == finished[folder], qPrintable(folder + " was trained again"));
        QVERIFY(!QFileInfo::exists(out + "/" + folder + "/checkpoint.json"));
    }
    QCOMPARE(readCsv(out + "/summary-shard-2-of-3.csv").size(), 4);
    if (terminate)
        QVERIFY2(r.stdErr.contains(" resumes at row "), qPrintable(r.stdErr));

    const QString clean = out + "-clean";
    args[args.indexOf(out)] = clean;
    QCOMPARE(run(args).exitCode, 0);
    auto withoutSecondsColumn = [](QList<QByteArrayList> rows) {
        for (auto& row : rows)
            row.removeAt(7); // seconds
        return rows;
    };
    for (const QString& folder : shardTwoOfThree) {
        QCOMPARE(withoutSecondsColumn(readCsv(out + "/" + folder + "/history.csv")),
                 withoutSecondsColumn(readCsv(clean + "/" + folder + "/history.csv")));
        QCOMPARE(readAll(out + "/" + folder + "/predictions.csv"),
                 readAll(clean + "/" + folder + "/predictions.csv"));
        QVERIFY(QFileInfo(out + "/" + folder + "/snapshots.bin").size() > 0);
        QCOMPARE(readAll(out + "/" + folder + "/snapshots.bin"),
                 readAll(clean + "/" + folder + "/snapshots.bin"));
    }
}

void TestHeadless::shardOfSlurmArray() {
    // --array=1-3, task 3: the third of three shards, runs 2 and 5 (0-based) of the 8.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("SLURM_ARRAY_TASK_ID", "3");
    env.insert("SLURM_ARRAY_TASK_MIN", "1");
    env.insert("SLURM_ARRAY_TASK_COUNT", "3");
    env.remove("SLURM_ARRAY_TASK_STEP");
    const QString out = m_dir.filePath("slurm-shard");
    Result r =
        run(talkative(smallRun) + gridSweep + QStringList{"--shard", "slurm", "--out", out}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("shard 3/3: 2 of the sweep's 8 runs"), qPrintable(r.stdErr));
    QVERIFY(QFileInfo::exists(out + "/summary-shard-3-of-3.csv"));
    QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             (QStringList{"beta=0_width=8_seed=1", "beta=1_width=4_seed=2"}));

    env.remove("SLURM_ARRAY_TASK_MIN");
    r = run(smallRun + gridSweep + QStringList{"--shard", "slurm", "--out", out + "-never"}, env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains("--shard: slurm: SLURM_ARRAY_TASK_MIN not set"),
             qPrintable(r.stdErr));
    env.insert("SLURM_ARRAY_TASK_MIN", "0");
    r = run(smallRun + gridSweep + QStringList{"--shard", "slurm", "--out", out + "-never"}, env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains("SLURM_ARRAY_TASK_ID=3 is not one of the array's tasks"),
             qPrintable(r.stdErr));
    QVERIFY(!QFileInfo::exists(out + "-never"));
}

void TestHeadless::shardRefusesAnotherSweepsFolder() {
    const QString out = m_dir.filePath("shared");
    Result r = run(smallRun + QStringList{"--sweep", "beta=0,1", "--shard", "1/2", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    r = run(smallRun + QStringList{"--sweep", "beta=0,2", "--shard", "2/2", "--out", out});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains("holds another sweep (the values of beta differ: beta=0,1 vs "
                               "beta=0,2)"),
             qPrintable(r.stdErr));
    QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{"beta=0_seed=12345"});
    // A folder with other things in it is not a sweep folder.
    QDir(m_dir.path()).mkpath("cluttered/notes");
    r = run(smallRun + QStringList{"--sweep", "beta=0,1", "--shard", "1/2", "--out",
                                   m_dir.filePath("cluttered")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains("not empty and not a sweep folder (no sweep.json)"),
             qPrintable(r.stdErr));
}

// Two shards in folders of their own, merged: the summary of the sweep run in one go, the
// seconds aside; merging one shard alone lists the other's runs as missing.
void TestHeadless::mergeAssemblesTheSweep() {
    const QString local = m_dir.filePath("merge-local");
    Result r = run(smallRun + gridSweep + QStringList{"--out", local});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    for (const char* k : {"1", "2"}) {
        r = run(smallRun + gridSweep +
                QStringList{"--shard", QString("%1/2").arg(k), "--out",
                            m_dir.filePath(QString("merge-shard%1").arg(k))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    }
    const QString merged = m_dir.filePath("merged");
    r = run({"--merge", m_dir.filePath("merge-shard1"), m_dir.filePath("merge-shard2"),
             m_dir.filePath("merge-shard1"), "--out", merged});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("merged 8 of 8 runs (8 copied) from 2 folders"),
             qPrintable(r.stdErr));
    const auto expected = readCsv(local + "/summary.csv");
    QCOMPARE(expected.size(), 9);
    QCOMPARE(withoutSeconds(readCsv(merged + "/summary.csv")), withoutSeconds(expected));
    QCOMPARE(readAll(merged + "/missing-runs.txt"), QByteArray());
    QCOMPARE(readAll(merged + "/sweep.json"), readAll(local + "/sweep.json"));
    for (const auto& row : expected.mid(1)) {
        const RunReadResult read = readRunFolder(merged + "/" + QString::fromUtf8(row.last()));
        QVERIFY2(read.errors.isEmpty(), qPrintable(read.errors.join('\n')));
    }

    // In place, with a shard missing: its runs are listed, and the exit status says so.
    r = run({"--merge", m_dir.filePath("merge-shard1"), "--out", m_dir.filePath("merge-shard1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.stdErr.contains("missing run: beta=0_width=4_seed=2"), qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("4 of 8 runs missing"), qPrintable(r.stdErr));
    QCOMPARE(readAll(m_dir.filePath("merge-shard1/missing-runs.txt")),
             QByteArray("beta=0_width=4_seed=2\nbeta=0_width=8_seed=2\nbeta=1_width=4_seed=2\n"
                        "beta=1_width=8_seed=2\n"));
    QCOMPARE(readCsv(m_dir.filePath("merge-shard1/summary.csv")).size(), 5);
}

void TestHeadless::mergeRefuses_data() {
    QTest::addColumn<QStringList>("first");  // sweep arguments of the first folder
    QTest::addColumn<QStringList>("second"); // of the second; empty: a copy of the first
    QTest::addColumn<QString>("message");
    const QStringList beta = {"--sweep", "beta=0,1", "--seeds", "1"};
    QTest::addRow("knob values") << beta << QStringList{"--sweep", "beta=0,2", "--seeds", "1"}
                                 << "are shards of different sweeps: the values of beta differ: "
                                    "beta=0,1 vs beta=0,2";
    QTest::addRow("knobs") << beta << QStringList{"--sweep", "width=4,8", "--seeds", "1"}
                           << "the swept knobs differ: beta vs width";
    QTest::addRow("seed lists") << beta << QStringList{"--sweep", "beta=0,1", "--seeds", "1-3"}
                                << "the seed lists differ: 1 vs 1-3";
    QTest::addRow("base config") << beta << beta + QStringList{"--lr", "0.002"}
                                 << "the base config's learning_rate differs: 0.001 vs 0.002";
    QTest::addRow("conflicting results") << beta << QStringList{} << "run beta=1_seed=1 is in ";
}

// Folders of different sweeps, or one run twice with different results: refused, naming the
// difference, and nothing written.
void TestHeadless::mergeRefuses() {
    QFETCH(QStringList, first);
    QFETCH(QStringList, second);
    QFETCH(QString, message);
    const QString tag = QTest::currentDataTag();
    const QString a = m_dir.filePath("refuse-a-" + tag), b = m_dir.filePath("refuse-b-" + tag);
    Result r = run(smallRun + first + QStringList{"--out", a});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    if (second.isEmpty()) {
        // The same sweep again, then one result changed, as if one copy were from elsewhere.
        r = run(smallRun + first + QStringList{"--out", b});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QJsonObject m = readJson(b + "/beta=1_seed=1/metrics.json");
        m["mse_f"] = m["mse_f"].toDouble() * 2;
        QFile f(b + "/beta=1_seed=1/metrics.json");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(m).toJson());
    } else {
        r = run(smallRun + second + QStringList{"--out", b});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    }
    const QString out = m_dir.filePath("refused-" + tag);
    r = run({"--merge", a, b, "--out", out});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
    if (second.isEmpty())
        QVERIFY2(r.stdErr.contains("with different results: mse_f "), qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("nothing was written"), qPrintable(r.stdErr));
    QVERIFY(!QFileInfo::exists(out));
}

// Malformed measured-data files: each refused before training with the file, the line and
// column and the problem named, exit status 2 and no run folder.
void TestHeadless::refusesBadDataFile_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::addRow("non-numeric cell") << "cell.csv" << QByteArray("x,f\n0,1\n1,abc\n2,1\n")
                                      << "cell.csv: line 3, column 2: f is not a number: \"abc\"";
    QTest::addRow("too few columns") << "few.csv" << QByteArray("x,f,fprime\n0,1,2\n1\n")
                                     << "few.csv: line 3: too few columns: 1";
    QTest::addRow("too many columns")
        << "many.csv" << QByteArray("0,1,2\n1,2,3,4\n") << "many.csv: line 2: too many columns: 4";
    QTest::addRow("not finite") << "inf.csv" << QByteArray("x,f,df\n0,1,2\n1,2,inf\n")
                                << "inf.csv: line 3, column 3: f' is not finite: \"inf\"";
    QTest::addRow("one row") << "one.csv" << QByteArray("x,f\n0,1\n")
                             << "one.csv: has 1 row of data; at least 2 rows";
    QTest::addRow("empty file") << "empty.csv" << QByteArray()
                                << "empty.csv: is empty; expected lines of x,f or x,f,f'";
    QTest::addRow("missing file") << "absent.csv" << QByteArray("-") << "absent.csv: no such file";
}

void TestHeadless::refusesBadDataFile() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(name);
    if (content != "-") {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const QString out = m_dir.filePath("never-" + name);
    const Result r = run(smallRun + QStringList{"--data", path, "--out", out});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains("--data") || r.stdErr.contains("data: "), qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
    QVERIFY(!QFileInfo::exists(out));
}

namespace {

// x, f and f' of a run's predictions.csv, as a measured-data CSV: x and the network's f_hat
// and fprime_hat. Every `dropEvery`-th row (0: none) leaves f' empty.
QByteArray networkAsData(const QList<QByteArrayList>& predictions, int dropEvery) {
    QByteArray csv = "x,f,fprime\n";
    for (qsizetype i = 1; i < predictions.size(); ++i) {
        const QByteArrayList& row = predictions[i];
        const bool drop = dropEvery > 0 && i % dropEvery == 0;
        csv += row[0] + ',' + row[2] + ',' + (drop ? QByteArray() : row[4]) + '\n';
    }
    return csv;
}

// The most points of one line in an SVG: a <polyline>'s points, or a <path>'s M and L
// commands.
int longestPolyline(const QString& svg) {
    static const QRegularExpression polyline(R"re(<polyline[^>]*\spoints="([^"]*)")re");
    static const QRegularExpression path(R"re(<path[^>]*\sd="([^"]*)")re");
    static const QRegularExpression command(R"re([MLml])re");
    static const QRegularExpression space(R"re(\s+)re");
    qsizetype most = 0;
    for (auto it = polyline.globalMatch(svg); it.hasNext();)
        most = std::max(most, it.next().captured(1).trimmed().split(space).size());
    for (auto it = path.globalMatch(svg); it.hasNext();)
        most = std::max(most, it.next().captured(1).count(command));
    return int(most);
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace

// Export a run's predictions, train on its x, f and f' as measured data, re-run the config,
// and refuse the file once it changed.
void TestHeadless::measuredRoundTrip() {
    const QString source = m_dir.filePath("rt-source");
    QStringList sourceRun = smallRun;
    sourceRun[sourceRun.indexOf("--epochs") + 1] = "40";
    const Result trained = run(sourceRun + QStringList{"--out", source});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.stdErr));
    const QList<QByteArrayList> predictions = readCsv(source + "/predictions.csv");
    QCOMPARE(predictions.first(), (QByteArrayList{"x", "f", "f_hat", "fprime", "fprime_hat"}));
    QCOMPARE(predictions.size(), 22);
    const QString data = m_dir.filePath("rt-data.csv");
    writeFile(data, networkAsData(predictions, 0));

    const QString out = m_dir.filePath("rt-run");
    const Result r = run(QStringList{"--headless", "--width", "16", "--epochs", "300", "--data",
                                     data, "--data-validation", "0.2", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const QJsonObject metrics = readJson(out + "/metrics.json");
    QCOMPARE(metrics.value("metrics_on").toString(), QStringLiteral("validation_data"));
    const double mseF = metrics.value("mse_f").toDouble(-1);
    const double mseFprime = metrics.value("mse_fprime").toDouble(-1);
    qInfo("round trip (21 rows, 4 validation, 300 epochs): validation MSE f %.3g, MSE f' %.3g",
          mseF, mseFprime);
    QVERIFY(mseF >= 0 && mseF < 1e-2);
    QVERIFY(mseFprime >= 0 && mseFprime < 1e-1);
    const QJsonObject config = readJson(out + "/config.json");
    QCOMPARE(config.value("data").toString(), QFileInfo(data).absoluteFilePath());
    QCOMPARE(config.value("data_sha256").toString().size(), 64);
    QCOMPARE(config.value("data_validation").toDouble(), 0.2);
    // The predictions span the data's x; the target there is unknown (empty cells).
    const QList<QByteArrayList> rows = readCsv(out + "/predictions.csv");
    QCOMPARE(rows[1][0].toDouble(), predictions[1][0].toDouble());
    QCOMPARE(rows.last()[0].toDouble(), predictions.last()[0].toDouble());

    // Re-running the config trains the same run.
    const QString again = m_dir.filePath("rt-again");
    QCOMPARE(
        run({"--headless", "--quiet", "--config", out + "/config.json", "--out", again}).exitCode,
        0);
    QCOMPARE(readCsv(again + "/history.csv").size(), readCsv(out + "/history.csv").size());
    QCOMPARE(readJson(again + "/metrics.json").value("mse_f"), metrics.value("mse_f"));
    // A changed file is refused by name.
    writeFile(data, networkAsData(predictions, 2));
    const Result changed =
        run({"--headless", "--quiet", "--config", out + "/config.json", "--out", again + "2"});
    QCOMPARE(changed.exitCode, 2);
    QVERIFY2(changed.stdErr.contains(QFileInfo(data).absoluteFilePath() + " has changed"),
             qPrintable(changed.stdErr));
    QVERIFY(!QFileInfo::exists(again + "2"));
}

// f' missing on half the rows: the beta term averages over the other half; without a
// validation split the metrics are on the training data, and the run says so.
void TestHeadless::measuredHalfMissingFprime() {
    QByteArray csv = "x,f,fprime\n";
    for (int i = 0; i < 200; ++i) {
        const double x = -1 + 2.0 * i / 199;
        csv += QByteArray::number(x, 'g', 17) + ',' + QByteArray::number(std::sin(3 * x), 'g', 17) +
               ',' + (i % 2 ? QByteArray() : QByteArray::number(3 * std::cos(3 * x), 'g', 17)) +
               '\n';
    }
    const QString data = m_dir.filePath("half.csv");
    writeFile(data, csv);
    const QString out = m_dir.filePath("half-run");
    const Result r = run(QStringList{"--headless", "--width", "16", "--epochs", "200",
                                     "--batch-size", "32", "--data", data, "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("f' is given on 100 of 200 rows: the beta term averages over those"),
             qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("no validation split"), qPrintable(r.stdErr));
    const QJsonObject metrics = readJson(out + "/metrics.json");
    QCOMPARE(metrics.value("metrics_on").toString(), QStringLiteral("training_data"));
    const double mseF = metrics.value("mse_f").toDouble(-1);
    const double mseFprime = metrics.value("mse_fprime").toDouble(-1);
    qInfo("half f' missing (200 rows, 200 epochs): training-data MSE f %.3g, MSE f' %.3g", mseF,
          mseFprime);
    QVERIFY(mseF >= 0 && mseF < 1e-2);
    QVERIFY(mseFprime >= 0 && mseFprime < 1e-1);
    // The history's f' columns are finite: the rows without f' are left out, not NaN.
    const QList<QByteArrayList> history = readCsv(out + "/history.csv");
    QCOMPARE(history.first()[3], QByteArray("mse_fprime"));
    for (qsizetype i = 1; i < history.size(); ++i)
        QVERIFY(std::isfinite(history[i][3].toDouble()) && std::isfinite(history[i][6].toDouble()));
}

// 60 rows of x and f only: no f' error is reported as a number (0 would read as a perfect
// fit); the network is drawn on a dense grid, the rows stay the predictions.
void TestHeadless::measuredWithoutFprime() {
    QByteArray csv = "x,f\n";
    for (int i = 0; i < 60; ++i) {
        const double x = std::cos(1.0 + i * 7.0); // unsorted x in [-1, 1]
        csv += QByteArray::number(x, 'g', 17) + ',' + QByteArray::number(std::sin(3 * x), 'g', 17) +
               '\n';
    }
    const QString data = m_dir.filePath("no-fprime.csv");
    writeFile(data, csv);
    const QString out = m_dir.filePath("no-fprime-run");
    const Result r = run(QStringList{"--headless", "--width", "8", "--epochs", "30", "--data", data,
                                     "--data-validation", "0.2", "--plots", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("MSE f' —, max |err| f "), qPrintable(r.stdErr));
    QVERIFY2(r.stdErr.contains("max |err| f' — (the data have no f'; validation_data;"),
             qPrintable(r.stdErr));

    const QJsonObject metrics = readJson(out + "/metrics.json");
    for (const QJsonObject& errors : {metrics, metrics["best"].toObject()}) {
        for (const char* key :
             {"mse_fprime", "max_err_fprime", "x_max_err_fprime", "rel_l2_fprime", "h1_error"})
            QVERIFY2(errors.contains(key) && errors[key].isNull(), key);
        QVERIFY(errors["mse_f"].toDouble(-1) > 0);
    }
    QFile markdown(out + "/metrics.md");
    QVERIFY(markdown.open(QIODevice::ReadOnly));
    const QString md = QString::fromUtf8(markdown.readAll());
    for (const char* row : {"| MSE f' | — | — |", "| H1 error | — | — |",
                            "| max \\|err\\| f' | — | — |", "| relative L2 f' | — | — |"})
        QVERIFY2(md.contains(QString::fromUtf8(row)), qPrintable(md));
    const QList<QByteArrayList> history = readCsv(out + "/history.csv");
    QCOMPARE(history.first()[3], QByteArray("mse_fprime"));
    for (qsizetype i = 1; i < history.size(); ++i)
        QVERIFY(history[i][3] == "nan" && history[i][6] == "nan" &&
                std::isfinite(history[i][1].toDouble()));

    // predictions.csv: the 60 rows, where the truth is known; curve.csv: the network on a
    // dense grid over [min x, max x], as the figures draw it.
    const QList<QByteArrayList> rows = readCsv(out + "/predictions.csv");
    QCOMPARE(rows.size(), 1 + 60);
    const QList<QByteArrayList> curve = readCsv(out + "/curve.csv");
    QCOMPARE(curve.first(), (QByteArrayList{"x", "f_hat", "fprime_hat"}));
    QCOMPARE(curve.size(), 1 + 1000);
    QCOMPARE(curve[1][0], rows[1][0]);
    QCOMPARE(curve.last()[0], rows.last()[0]);
    // The figures draw that curve: the f' figure's longest line has about its 1000 points,
    // far more than the 60 rows.
    QFile svg(out + "/fprime.svg");
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const int points = longestPolyline(QString::fromUtf8(svg.readAll()));
    QVERIFY2(points >= 500, qPrintable(QString::number(points)));
}

void TestHeadless::baselinesGoToMetrics() {
    const QString out = m_dir.filePath("baselines");
    const Result r =
        run(smallRun + QStringList{"--baselines", "cheb:10,equi:10,hermite:4,lsq:3", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const QJsonObject metrics = readJson(out + "/metrics.json");
    const QJsonArray baselines = metrics["baselines"].toArray();
    QCOMPARE(baselines.size(), 4);
    QCOMPARE(baselines[0].toObject()["kind"].toString(), "cheb");
    QCOMPARE(baselines[0].toObject()["n"].toInt(), 10);
    // Chebyshev degree 10 on Runge: max |error| 0.109 on a fine grid; on this 21-point grid a
    // little less, and never more.
    const double maxErr = baselines[0].toObject()["max_err_f"].toDouble();
    QVERIFY2(maxErr > 0.05 && maxErr <= 0.11, qPrintable(QString::number(maxErr)));
    for (const QJsonValue& v : baselines) {
        const QJsonObject b = v.toObject();
        for (const char* key : {"mse_f", "mse_fprime", "max_err_f", "x_max_err_f", "max_err_fprime",
                                "x_max_err_fprime", "rel_l2_f", "rel_l2_fprime", "h1_error"})
            QVERIFY2(b[key].isDouble(), key);
        QCOMPARE(b["h1_error"].toDouble(),
                 std::sqrt(b["mse_f"].toDouble() + b["mse_fprime"].toDouble()));
    }
    // The network's own measures, and metrics.md with the table of every fit.
    QVERIFY(metrics["h1_error"].isDouble());
    QVERIFY(metrics["best"].toObject()["rel_l2_fprime"].isDouble());
    QFile md(out + "/metrics.md");
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(md.readAll());
    QVERIFY2(text.contains("Chebyshev interpolation, n = 10") && text.contains("| network |"),
             qPrintable(text));
    // Without --baselines: no key, no metrics.md.
    const QString plain = m_dir.filePath("no-baselines");
    QCOMPARE(run(smallRun + QStringList{"--out", plain}).exitCode, 0);
    QVERIFY(!readJson(plain + "/metrics.json").contains("baselines"));
    QVERIFY(!QFile::exists(plain + "/metrics.md"));
}

void TestHeadless::killedRunResumesBitIdentically_data() {
    QTest::addColumn<QStringList>("knobs");
    QTest::addColumn<QString>("interval"); // SOBOLEV_CHECKPOINT_SECONDS
    QTest::addColumn<int>("killAfter");    // rows the checkpoint holds before the kill
    const QStringList adam = {"--width", "16",           "--epochs", "300",           "--n-train",
                              "256",     "--batch-size", "32",       "--grid-points", "101"};
    QTest::addRow("in Adam") << adam << "0" << 30;
    QTest::addRow("plateau, restore_best, a change")
        << adam + QStringList{"--schedule",     "plateau",  "--patience", "3",
                              "--restore-best", "--change", "40:beta=3"}
        << "0" << 25;
    QStringList lbfgs = adam;
    lbfgs[lbfgs.indexOf("--epochs") + 1] = "40";
    lbfgs << "--lbfgs-iterations"
          << "200"
          << "--lbfgs-history"
          << "5";
    QTest::addRow("in L-BFGS") << lbfgs << "0" << 60;
    // No checkpoint within the run but the one at the end of the Adam phase: resumed from
    // there, or from the start when killed before it.
    QTest::addRow("without timed checkpoints") << lbfgs << "1e6" << 0;
}

// A headless run killed (SIGKILL) once it has written a checkpoint, then --resume'd, leaves
// the history and predictions of a run never stopped, to the bit (seconds aside).
void TestHeadless::killedRunResumesBitIdentically() {
    QFETCH(QStringList, knobs);
    QFETCH(QString, interval);
    QFETCH(int, killAfter);
    const QString whole = m_dir.filePath(QStringLiteral("whole-%1").arg(QTest::currentDataTag()));
    const QString killed = m_dir.filePath(QStringLiteral("killed-%1").arg(QTest::currentDataTag()));
    const Result first = run(QStringList{"--headless", "--quiet", "--out", whole} + knobs);
    QVERIFY2(first.exitCode == 0, qPrintable(first.stdErr));
    QVERIFY(!QFileInfo::exists(whole + "/checkpoint.json")); // a finished run keeps none
    QVERIFY(!QFileInfo::exists(whole + "/checkpoint.bin"));

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("SOBOLEV_CHECKPOINT_SECONDS", interval);
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH),
            QStringList{"--headless", "--quiet", "--out", killed} + knobs);
    QVERIFY(p.waitForStarted());
    // Polls the status file until it says the checkpoint holds `killAfter` rows.
    while (p.state() != QProcess::NotRunning) {
        const QJsonObject status = readJson(killed + "/checkpoint.json");
        if (!status.isEmpty() && status["rows_done"].toInt() >= killAfter)
            break;
        QThread::msleep(1);
    }
    p.kill();
    QVERIFY(p.waitForFinished());
    QVERIFY2(p.exitStatus() == QProcess::CrashExit, "the run ended before it was killed");
    QVERIFY(!QFileInfo::exists(killed + "/metrics.json"));
    QCOMPARE(readJson(killed + "/checkpoint.json")["status"].toString(),
             QStringLiteral("interrupted"));

    const Result resumed = run({"--resume", killed});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.stdErr));
    QVERIFY(!QFileInfo::exists(killed + "/checkpoint.json"));
    QVERIFY(!QFileInfo::exists(killed + "/checkpoint.bin"));
    auto withoutSecondsColumn = [](QList<QByteArrayList> rows) {
        for (auto& row : rows)
            row.removeAt(7); // seconds
        return rows;
    };
    const auto hw = readCsv(whole + "/history.csv"), hk = readCsv(killed + "/history.csv");
    QVERIFY(hw.size() > killAfter + 1);
    QCOMPARE(withoutSecondsColumn(hk), withoutSecondsColumn(hw));
    QCOMPARE(readAll(killed + "/predictions.csv"), readAll(whole + "/predictions.csv"));
    QCOMPARE(readAll(killed + "/config.json"), readAll(whole + "/config.json"));
    QVERIFY(QFileInfo(whole + "/snapshots.bin").size() > 0);
    QCOMPARE(readAll(killed + "/snapshots.bin"), readAll(whole + "/snapshots.bin"));
    QJsonObject mw = readJson(whole + "/metrics.json"), mk = readJson(killed + "/metrics.json");
    mw.remove("train_seconds");
    mk.remove("train_seconds");
    QCOMPARE(mk, mw);
}

void TestHeadless::resumeRefuses_data() {
    QTest::addColumn<QString>("folder"); // under the test's folder; "finished": a finished run
    QTest::addColumn<QStringList>("more");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("finished") << "finished" << QStringList() << 2 << "the run already finished";
    QTest::addRow("not a run") << "." << QStringList() << 2
                               << "not an interrupted run folder (it needs config.json";
    QTest::addRow("missing") << "no-such-folder" << QStringList() << 2
                             << "not an interrupted run folder";
    QTest::addRow("other flags") << "finished" << QStringList{"--epochs", "5"} << 2
                                 << "--resume goes with --quiet only; got --epochs";
    QTest::addRow("a broken checkpoint")
        << "broken" << QStringList() << 1 << "checkpoint.bin: not a valid checkpoint";
}

void TestHeadless::resumeRefuses() {
    QFETCH(QString, folder);
    QFETCH(QStringList, more);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString dir = m_dir.filePath(folder);
    if (folder == QLatin1String("finished") && !QFileInfo::exists(dir + "/metrics.json"))
        QCOMPARE(run(smallRun + QStringList{"--out", dir}).exitCode, 0);
    if (folder == QLatin1String("broken")) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SOBOLEV_CHECKPOINT_SECONDS", "0");
        QCOMPARE(run(smallRun + QStringList{"--out", dir}, env).exitCode, 0);
        // As a run killed after a checkpoint whose file was damaged afterwards.
        QFile::remove(dir + "/metrics.json");
        QFile status(dir + "/checkpoint.json"), state(dir + "/checkpoint.bin");
        QVERIFY(status.open(QIODevice::WriteOnly));
        status.write(R"({"status": "interrupted", "report_page": "a4"})");
        QVERIFY(state.open(QIODevice::WriteOnly));
        state.write("sobolev-workbench checkpoint\n\1\0\0");
    }
    const Result r = run(QStringList{"--resume", dir} + more);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
