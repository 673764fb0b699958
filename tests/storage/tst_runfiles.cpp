// SPDX-License-Identifier: GPL-3.0-or-later
#include "configjson.h"
#include "fileio.h"
#include "measuredfile.h"
#include "runfolder.h"
#include "sweepfolder.h"
#include "testutil.h"
#include "textformat.h"

#include <QtTest>

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace sobolev;

class TestRunFiles : public QObject {
    Q_OBJECT
  private slots:
    void measuredDataInConfig();
    void configRoundTrip_data();
    void configRoundTrip();
    void partialConfigKeepsBase();
    void badConfigJson_data();
    void badConfigJson();
    void listsTheFirstConfigProblems_data();
    void listsTheFirstConfigProblems();
    void badConfigFile_data();
    void badConfigFile();
    void numbersReadBackExactly_data();
    void numbersReadBackExactly();
    void historyCsvFormat();
    void historyWithoutOptimiserColumnsReads();
    void historyWithoutWeightColumnsReads();
    void metricsJsonKeys();
    void metricsWithoutNewerMeasuresRead();
    void atomicWriteLeavesNoPartialFile();
    void runFolderRoundTrip();
    void measuredRunWithoutFprimeWritesNulls();
    void measuredValuesAreWrittenAsRead();
    void measuredRunFolderKeepsItsCurve();
    void olderMeasuredRunWithoutFprimeReadsAsNotAvailable();
    void badRunFolder_data();
    void badRunFolder();
    void sweepSpecRoundTrips_data();
    void sweepSpecRoundTrips();
};

namespace {
RunRecord sampleRun() {
    RunRecord run;
    run.config.epochs = 3;
    run.config.seed = 77;
    for (int e = 1; e <= 3; ++e)
        run.history.push_back({e, 1.0 / e, 0.1 / e, 0.9 / e, 1.1 / e, 0.2 / e, 0.9 / e, 0.01 * e});
    run.predictions.x = {-1, 0, 1};
    run.predictions.f = {0.038461538461538464, 1, 0.038461538461538464};
    run.predictions.fHat = {double(0.04f), double(0.99f), double(0.03f)};
    run.predictions.fprime = {0.07396449704142012, 0, -0.07396449704142012};
    run.predictions.fprimeHat = {double(0.07f), double(0.001f), double(-0.08f)};
    run.report = compareOnGrid(run.predictions);
    run.report.epochsRun = 3;
    run.report.trainSeconds = 0.03;
    run.report.stopReason = StopReason::Completed;
    run.report.stopMessage = "completed 3 epochs";
    return run;
}

// A run on measured rows of x and f only (no f'), its network also on a dense curve. The run
// files do not depend on where the rows came from, so the config is the default one.
RunRecord measuredRunWithoutFprime() {
    RunRecord run = sampleRun();
    const double nan = std::nan("");
    run.predictions.fprime = {nan, nan, nan};
    for (int i = 0; i < 5; ++i) {
        run.predictions.curveX.push_back(double(float(-1 + 0.5 * i)));
        run.predictions.curveFHat.push_back(double(float(0.1 * i)));
        run.predictions.curveFprimeHat.push_back(double(float(-0.2 * i)));
    }
    const FitReport errors = compareOnGrid(run.predictions);
    run.report.mseF = errors.mseF;
    run.report.mseFprime = errors.mseFprime;
    run.report.maxErrF = errors.maxErrF;
    run.report.maxErrFprime = errors.maxErrFprime;
    run.report.xMaxErrF = errors.xMaxErrF;
    run.report.xMaxErrFprime = errors.xMaxErrFprime;
    run.report.relL2F = errors.relL2F;
    run.report.relL2Fprime = errors.relL2Fprime;
    run.report.hasFprime = errors.hasFprime;
    run.report.metricsOn = MetricsSet::ValidationData;
    run.report.best = errorsOf(errors);
    run.report.best.epoch = 2;
    run.report.best.valLoss = 0.5;
    for (EpochMetrics& m : run.history)
        m.mseFprime = m.valMseFprime = nan;
    return run;
}

QJsonObject readJsonObject(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}
} // namespace

void TestRunFiles::configRoundTrip_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<double>("lr");
    QTest::addRow("reference") << quint64(12345) << 1e-3;
    QTest::addRow("seed 0") << quint64(0) << 0.5;
    QTest::addRow("seed 2^53") << quint64(1ULL << 53) << 1.0;
    QTest::addRow("seed 2^53+1 (string)") << quint64((1ULL << 53) + 1) << 3e-7;
    QTest::addRow("seed max") << ~quint64(0) << 0.1;
}

void TestRunFiles::configRoundTrip() {
    QFETCH(quint64, seed);
    QFETCH(double, lr);
    TrainConfig c;
    c.seed = seed;
    c.learningRate = lr;
    c.width = 17;
    c.depth = 3;
    c.activation = Activation::Sin;
    c.alpha = 0.1;
    c.beta = 0;
    c.epochs = 7;
    c.batchSize = 5;
    c.nTrain = 33;
    c.nVal = 9;
    c.gridPoints = 11;
    // Changes during the run: an odd rate and a mid-epoch batch survive too.
    c.changes = {
        {2, 3, Knob::Beta, 10}, {2, 3, Knob::Alpha, 0.3}, {5, 1, Knob::LearningRate, lr / 3}};
    const QByteArray text = QJsonDocument(configToJson(c)).toJson();
    const ConfigReadResult r = configFromJson(QJsonDocument::fromJson(text).object());
    QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join('\n')));
    QVERIFY(r.config == c);
    // A file written before live changes existed has no "changes": it reads, complete, with none.
    QJsonObject old = QJsonDocument::fromJson(text).object();
    old.remove("changes");
    QVERIFY(missingConfigKeys(old).isEmpty());
    const ConfigReadResult before = configFromJson(old);
    QVERIFY2(before.errors.isEmpty(), qPrintable(before.errors.join('\n')));
    QVERIFY(before.config.changes.empty());
}

void TestRunFiles::partialConfigKeepsBase() {
    const ConfigReadResult r = configFromJson(QJsonObject{{"beta", 5}});
    QVERIFY(r.errors.isEmpty());
    TrainConfig expected;
    expected.beta = 5;
    QVERIFY(r.config == expected);
}

void TestRunFiles::badConfigJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown key") << QByteArray(R"({"widht": 3})")
                                 << "unknown key \"widht\"; allowed keys: width";
    QTest::addRow("width string") << QByteArray(R"({"width": "64"})")
                                  << "width: must be an integer; got a string";
    QTest::addRow("width fraction")
        << QByteArray(R"({"width": 6.5})") << "width: must be an integer; got 6.5";
    QTest::addRow("width huge") << QByteArray(R"({"width": 1e300})") << "width: must be an integer";
    QTest::addRow("width range") << QByteArray(R"({"width": 2000})")
                                 << "width: must be an integer from 1 to 1024; got 2000";
    QTest::addRow("alpha null") << QByteArray(R"({"alpha": null})")
                                << "alpha: must be a number; got null";
    QTest::addRow("lr range") << QByteArray(R"({"learning_rate": 5})")
                              << "learning_rate: must be a number greater than 0 and at most 1";
    QTest::addRow("activation") << QByteArray(R"({"activation": "relu6"})")
                                << "activation: must be one of tanh, sin, softplus; got \"relu6\"";
    QTest::addRow("seed negative") << QByteArray(R"({"seed": -1})")
                                   << "seed: must be an integer from 0 to 18446744073709551615";
    QTest::addRow("seed text") << QByteArray(R"({"seed": "abc"})")
                               << "seed: must be an integer from 0";
    QTest::addRow("batch 0") << QByteArray(R"({"n_train": 10, "batch_size": 0})")
                             << "batch_size: must be an integer from 1 to 1000000; got 0";
    QTest::addRow("domain reversed")
        << QByteArray(R"({"domain": [1, -1]})") << "domain: must be [a, b] with a < b";
    QTest::addRow("domain not a pair")
        << QByteArray(R"({"domain": [1]})") << "domain: must be an array of two numbers";
    QTest::addRow("sampling") << QByteArray(R"({"sampling": "random"})")
                              << "sampling: must be one of uniform, equispaced, chebyshev";
    QTest::addRow("target not a string")
        << QByteArray(R"({"target": 3})") << "target: must be a preset name or a formula";
    QTest::addRow("changes not a list")
        << QByteArray(R"({"changes": 3})") << "changes: must be an array of";
    QTest::addRow("change unknown knob")
        << QByteArray(R"({"changes": [{"epoch": 3, "knob": "gamma", "value": 1}]})")
        << "changes[0].knob: must be one of alpha, beta, lr; got \"gamma\"";
    QTest::addRow("change missing value")
        << QByteArray(R"({"changes": [{"epoch": 3, "knob": "beta"}]})")
        << "changes[0]: missing key \"value\"";
    QTest::addRow("change epoch fraction")
        << QByteArray(R"({"changes": [{"epoch": 3.5, "knob": "beta", "value": 1}]})")
        << "changes[0].epoch: must be an integer; got 3.5";
    QTest::addRow("change epoch out of range")
        << QByteArray(R"({"changes": [{"epoch": 1001, "knob": "beta", "value": 1}]})")
        << "changes: the change at epoch 1001, batch 1 (beta=1): the epoch must be an Adam epoch "
           "from 1 to 1000";
    QTest::addRow("target formula")
        << QByteArray(R"({"target": "sin(x"})") << "target: unexpected end of input at column 6";
}

void TestRunFiles::badConfigJson() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const ConfigReadResult r = configFromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(!r.errors.isEmpty());
    QVERIFY2(r.errors.join('\n').contains(message), qPrintable(r.errors.join('\n')));
}

// A 1 MiB config can hold half a million bad entries; the first 20 are named, then one line.
void TestRunFiles::listsTheFirstConfigProblems_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("errors");
    QTest::addColumn<QString>("first");
    QByteArray keys = "{";
    for (int i = 0; i < 100'000; ++i)
        keys += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":0";
    keys += "}";
    QTest::addRow("100000 unknown keys") << keys << 21 << "unknown key \"k0\"";
    const QByteArray numbers = "[" + QByteArrayList(500'000, "1").join(',') + "]";
    QTest::addRow("500000 changes that are numbers")
        << "{\"changes\": " + numbers + "}" << 21 << "changes[0]: must be an object";
    const QByteArray badKeys =
        "[" + QByteArrayList(30'000, R"({"a":1,"b":2,"c":3,"d":4,"e":5})").join(',') + "]";
    QTest::addRow("30000 changes of unknown keys")
        << "{\"changes\": " + badKeys + "}" << 21 << "changes[0]: unknown key \"a\"";
    const QByteArray oneUnknownKey = R"({"epoch":1,"knob":"beta","value":1,"a":1})";
    QTest::addRow("20 problems: all named")
        << "{\"changes\": [" + QByteArrayList(20, oneUnknownKey).join(',') + "]}" << 20
        << "changes[0]: unknown key \"a\"";
    QTest::addRow("21 problems: 20 named")
        << "{\"changes\": [" + QByteArrayList(21, oneUnknownKey).join(',') + "]}" << 21
        << "changes[0]: unknown key \"a\"";
}

void TestRunFiles::listsTheFirstConfigProblems() {
    QFETCH(QByteArray, json);
    QFETCH(int, errors);
    QFETCH(QString, first);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const ConfigReadResult r = configFromJson(doc.object());
    QCOMPARE(r.errors.size(), errors);
    QVERIFY2(r.errors[0].startsWith(first), qPrintable(r.errors[0]));
    if (errors > 20)
        QCOMPARE(r.errors.last(), "more problems follow; only the first 20 are listed");
}

void TestRunFiles::badConfigFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::addRow("not json") << QByteArray("width=3") << "not valid JSON at byte";
    QTest::addRow("truncated") << QByteArray(R"({"width": 3)") << "not valid JSON";
    QTest::addRow("array") << QByteArray("[1, 2]") << "must hold a JSON object";
    QTest::addRow("empty") << QByteArray("") << "not valid JSON";
    QTest::addRow("bad value") << QByteArray(R"({"depth": 0})")
                               << "depth: must be an integer from 1 to 8; got 0";
}

void TestRunFiles::badConfigFile() {
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath("config.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    const ConfigReadResult r = readConfigFile(path);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors[0].startsWith(path + ": "), qPrintable(r.errors[0]));
    QVERIFY2(r.errors[0].contains(message), qPrintable(r.errors[0]));

    const ConfigReadResult missing = readConfigFile(dir.filePath("nope.json"));
    QVERIFY(missing.errors.value(0).contains("nope.json: cannot open"));
    // A device that never ends is refused after 1 MiB, not read forever.
    const ConfigReadResult endless = readConfigFile("/dev/zero");
    QVERIFY(endless.errors.value(0).contains("/dev/zero: is larger than 1 MiB"));
}

void TestRunFiles::numbersReadBackExactly_data() {
    QTest::addColumn<double>("value");
    QTest::addRow("third") << 1.0 / 3;
    QTest::addRow("tiny") << 4.9406564584124654e-324;
    QTest::addRow("huge") << 1.7976931348623157e308;
    QTest::addRow("float-ish") << double(0.1f);
    QTest::addRow("negative") << -2.5e-7;
}

void TestRunFiles::numbersReadBackExactly() {
    QFETCH(double, value);
    QCOMPARE(formatNumber(value).toDouble(), value);
    const float f = float(value);
    if (std::isfinite(f) && f != 0)
        QCOMPARE(formatNumber(f).toFloat(), f);
}

void TestRunFiles::historyCsvFormat() {
    std::vector<EpochMetrics> h(2);
    h[0] = {1, 2.0, 0.5, 1.5, 2.5, 1.0 / 3, 2.0, 0.01, 1e-3, Phase::Adam, 1.0, 0.1};
    h[1] = {2, std::nan(""), 0.25, 0.75, 1.0, 0.5, 0.5, 0.02, std::nan(""), Phase::Lbfgs, 1.0, 10};
    const QList<QByteArray> lines = historyCsv(h).split('\n');
    QCOMPARE(lines[0], QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                  "val_mse_fprime,seconds,learning_rate,phase,alpha,beta"));
    const QList<QByteArray> cells = lines[1].split(',');
    QCOMPARE(cells.size(), 12);
    QCOMPARE(cells[5].toDouble(), 1.0 / 3);
    QCOMPARE(cells[8], QByteArray("0.001"));
    QCOMPARE(cells[9], QByteArray("adam"));
    QCOMPARE(cells[11], QByteArray("0.1"));
    QVERIFY(lines[2].startsWith("2,nan,0.25,"));
    QVERIFY(lines[2].endsWith(",nan,lbfgs,1,10"));
    std::vector<EpochMetrics> back;
    QVERIFY(parseHistoryCsv(historyCsv(h), QStringLiteral("h"), &back).isEmpty());
    QVERIFY(testutil::sameHistory(back, h));
}

// Run folders written before the optimiser knobs have no learning_rate and phase columns.
void TestRunFiles::historyWithoutOptimiserColumnsReads() {
    std::vector<EpochMetrics> back;
    QVERIFY(parseHistoryCsv("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,"
                            "seconds\r\n1,2,3,4,5,6,7,8\r\n",
                            QStringLiteral("h"), &back)
                .isEmpty());
    QCOMPARE(back.size(), std::size_t(1));
    QCOMPARE(back[0].valMseFprime, 7.0);
    QVERIFY(std::isnan(back[0].learningRate));
    QCOMPARE(int(back[0].phase), int(Phase::Adam));
    QVERIFY(std::isnan(back[0].alpha));
}

// Run folders written before the weights in force were kept end at the phase.
void TestRunFiles::historyWithoutWeightColumnsReads() {
    std::vector<EpochMetrics> back;
    QVERIFY(parseHistoryCsv("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,"
                            "seconds,learning_rate,phase\n1,2,3,4,5,6,7,8,0.001,lbfgs\n",
                            QStringLiteral("h"), &back)
                .isEmpty());
    QCOMPARE(back.size(), std::size_t(1));
    QCOMPARE(back[0].learningRate, 0.001);
    QCOMPARE(int(back[0].phase), int(Phase::Lbfgs));
    QVERIFY(std::isnan(back[0].alpha));
    QVERIFY(std::isnan(back[0].beta));
}

void TestRunFiles::metricsJsonKeys() {
    FitReport r;
    r.mseF = 1e-7;
    r.maxErrFprime = std::nan("");
    r.epochsRun = 12;
    r.stopReason = StopReason::Diverged;
    const QJsonObject o = metricsToJson(r);
    for (const char* key : {"mse_f", "mse_fprime", "max_err_f", "max_err_fprime", "x_max_err_f",
                            "x_max_err_fprime", "rel_l2_f", "rel_l2_fprime", "h1_error",
                            "epochs_run", "train_seconds", "stop_reason", "precision", "best"})
        QVERIFY2(o.contains(key), key);
    QVERIFY(!o.contains("baselines")); // only when there are some
    QCOMPARE(o["mse_f"].toDouble(), 1e-7);
    QVERIFY(o["max_err_fprime"].isNull());
    QCOMPARE(o["stop_reason"].toString(), QString("diverged"));
}

// metrics.json as written before the relative errors, H1 and the x of the maxima: it still
// reads, the final measures come from predictions.csv and the best epoch's stay unknown.
void TestRunFiles::metricsWithoutNewerMeasuresRead() {
    QTemporaryDir dir;
    const RunRecord run = sampleRun();
    QString error;
    QVERIFY2(writeRunFolder(dir.filePath("run"), run, &error), qPrintable(error));
    QFile metrics(dir.filePath("run/metrics.json"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(metrics.readAll()).object();
    metrics.close();
    QJsonObject best = o["best"].toObject();
    for (const char* key :
         {"x_max_err_f", "x_max_err_fprime", "rel_l2_f", "rel_l2_fprime", "h1_error"}) {
        QVERIFY2(o.contains(key) && best.contains(key), key);
        o.remove(key);
        best.remove(key);
    }
    o["best"] = best;
    QVERIFY(writeFileAtomically(metrics.fileName(), QJsonDocument(o).toJson(), &error));
    const RunReadResult back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(testutil::sameReport(back.run.report, run.report));
    QCOMPARE(back.run.report.xMaxErrFprime, 1.0); // |-0.08 + 0.0739...| is the largest f' error
    QVERIFY(std::isnan(back.run.report.best.relL2F));
    QVERIFY(std::isnan(back.run.report.best.xMaxErrF));
}

void TestRunFiles::atomicWriteLeavesNoPartialFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("out.csv");
    QString error;
    QVERIFY(writeFileAtomically(path, "old", &error));
    // A folder in the way of the final name: the write fails, names the file, and leaves
    // neither the final name nor a temporary behind.
    const QString blocked = dir.filePath("blocked");
    QVERIFY(QDir().mkpath(blocked));
    QVERIFY(!writeFileAtomically(blocked, "new", &error));
    QVERIFY2(error.startsWith(blocked), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"out.csv"});
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("old"));
}

void TestRunFiles::runFolderRoundTrip() {
    QTemporaryDir dir;
    const RunRecord run = sampleRun();
    QString error;
    QVERIFY2(writeRunFolder(dir.filePath("run"), run, &error), qPrintable(error));
    const RunReadResult back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(back.run.config == run.config);
    QCOMPARE(back.run.history.size(), run.history.size());
    for (std::size_t i = 0; i < run.history.size(); ++i) {
        QCOMPARE(back.run.history[i].valMseF, run.history[i].valMseF);
        QCOMPARE(back.run.history[i].seconds, run.history[i].seconds);
    }
    // Every column of every file, to the bit: a reader that swaps or drops one fails here.
    QVERIFY(testutil::sameHistory(back.run.history, run.history));
    QVERIFY(testutil::samePredictions(back.run.predictions, run.predictions));
    QVERIFY(testutil::sameReport(back.run.report, run.report));
    QCOMPARE(back.run.report.mseF, run.report.mseF);
    QCOMPARE(back.run.report.stopReason, StopReason::Completed);
    QCOMPARE(back.run.report.stopMessage, run.report.stopMessage);
}

// Every f' error of data without f' is null in metrics.json, final and best, and reads back
// as not available; the f errors stay numbers.
void TestRunFiles::measuredRunWithoutFprimeWritesNulls() {
    QTemporaryDir dir;
    const RunRecord run = measuredRunWithoutFprime();
    QVERIFY(!run.report.hasFprime);
    QString error;
    QVERIFY2(writeRunFolder(dir.filePath("run"), run, &error), qPrintable(error));
    const QJsonObject o = readJsonObject(dir.filePath("run/metrics.json"));
    for (const QJsonObject& errors : {o, o["best"].toObject()}) {
        for (const char* key :
             {"mse_fprime", "max_err_fprime", "x_max_err_fprime", "rel_l2_fprime", "h1_error"})
            QVERIFY2(errors.contains(key) && errors[key].isNull(), key);
        QVERIFY(errors["mse_f"].isDouble() && errors["max_err_f"].isDouble());
    }
    const RunReadResult back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(!back.run.report.hasFprime);
    QVERIFY(!back.run.report.best.hasFprime);
    QVERIFY(std::isnan(back.run.report.mseFprime) && std::isnan(back.run.report.best.mseFprime));
    QVERIFY(testutil::sameReport(back.run.report, run.report));
    // The history's f' columns are nan, and stay so.
    QVERIFY(std::isnan(back.run.history.front().mseFprime));
    QVERIFY(std::isnan(back.run.history.front().valMseFprime));
    // A diverged network's NaN errors are null for f as well: those stay errors of f'.
    FitReport diverged = run.report;
    diverged.hasFprime = true;
    diverged.mseF = diverged.mseFprime = std::nan("");
    FitReport read;
    QVERIFY(
        parseMetricsJson(QJsonDocument(metricsToJson(diverged)).toJson(), "m", &read).isEmpty());
    QVERIFY(read.hasFprime);
}

// Measured f and f′ were read into floats: predictions.csv gives them back as the data file
// wrote them ("0.126"), not as the double nearest that float (0.12600000202655792). A
// target's truth is a double and keeps all its digits.
void TestRunFiles::measuredValuesAreWrittenAsRead() {
    RunRecord run = sampleRun();
    run.predictions.f[0] = double(0.126f);
    run.predictions.fprime[0] = double(-2.5e-3f);
    QTemporaryDir dir;
    QString error;
    for (const bool measured : {true, false}) {
        run.config.data = measured ? "points.csv" : "";
        const QString folder = dir.filePath(measured ? "measured" : "target");
        QVERIFY2(writeRunFolder(folder, run, &error), qPrintable(error));
        QFile file(folder + "/predictions.csv");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> first = file.readAll().split('\n').value(1).split(',');
        QCOMPARE(first.value(1),
                 measured ? QByteArray("0.126") : QByteArray("0.12600000202655792"));
        QCOMPARE(first.value(3),
                 measured ? QByteArray("-0.0025") : QByteArray("-0.0024999999441206455"));
        // Read back as it was written: the same floats, to the bit.
        const RunReadResult back = readRunFolder(folder);
        QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
        QCOMPARE(back.run.predictions.f[0], run.predictions.f[0]);
        QCOMPARE(back.run.predictions.fprime[0], run.predictions.fprime[0]);
    }
}

// predictions.csv keeps the data rows (where the truth is known); the dense curve goes into
// curve.csv and reads back to the bit. A folder without curve.csv (written before it
// existed) still opens, its network then drawn at the rows.
void TestRunFiles::measuredRunFolderKeepsItsCurve() {
    QTemporaryDir dir;
    const RunRecord run = measuredRunWithoutFprime();
    QString error;
    QVERIFY2(writeRunFolder(dir.filePath("run"), run, &error), qPrintable(error));
    QFile curve(dir.filePath("run/curve.csv"));
    QVERIFY(curve.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = curve.readAll().trimmed().split('\n');
    curve.close();
    QCOMPARE(lines.front(), QByteArray("x,f_hat,fprime_hat"));
    QCOMPARE(lines.size(), 1 + 5);
    RunReadResult back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(testutil::samePredictions(back.run.predictions, run.predictions));
    QCOMPARE(back.run.predictions.x.size(), std::size_t(3));

    QVERIFY(QFile::remove(curve.fileName()));
    back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(back.run.predictions.curveX.empty());
    QCOMPARE(back.run.predictions.x.size(), std::size_t(3));

    // A damaged curve.csv is named.
    QVERIFY(writeFileAtomically(curve.fileName(), "x,f_hat\n1,2\n", &error));
    back = readRunFolder(dir.filePath("run"));
    QVERIFY(!back.errors.isEmpty());
    QVERIFY2(back.errors.join('\n').contains("curve.csv: line 1: expected the header"),
             qPrintable(back.errors.join('\n')));

    // A target's run has no curve, and writing one over a measured run's folder leaves none.
    const QString reused = dir.filePath("reused");
    QVERIFY(writeRunFolder(reused, run, &error));
    QVERIFY(writeRunFolder(reused, sampleRun(), &error));
    QVERIFY(!QFile::exists(reused + "/curve.csv"));
}

// Folders written when data without f' still had f' errors of 0: their predictions show that
// no row had f', so those errors read as not available.
void TestRunFiles::olderMeasuredRunWithoutFprimeReadsAsNotAvailable() {
    QTemporaryDir dir;
    const RunRecord run = measuredRunWithoutFprime();
    QString error;
    QVERIFY(writeRunFolder(dir.filePath("run"), run, &error));
    const QString path = dir.filePath("run/metrics.json");
    QJsonObject o = readJsonObject(path);
    QJsonObject best = o["best"].toObject();
    for (QJsonObject* errors : {&o, &best})
        for (const char* key : {"mse_fprime", "max_err_fprime"})
            (*errors)[key] = 0.0;
    o["best"] = best;
    QVERIFY(writeFileAtomically(path, QJsonDocument(o).toJson(), &error));
    const RunReadResult back = readRunFolder(dir.filePath("run"));
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(!back.run.report.hasFprime && !back.run.report.best.hasFprime);
    QVERIFY(std::isnan(back.run.report.mseFprime) && std::isnan(back.run.report.best.maxErrFprime));
}

void TestRunFiles::badRunFolder_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::addRow("history header") << "history.csv" << QByteArray("epoch,loss\n1,2\n")
                                    << "history.csv: line 1: expected the header";
    QTest::addRow("history short row")
        << "history.csv"
        << QByteArray(
               "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds\n1,2,3\n")
        << "history.csv: line 2: expected 8 values; got 3";
    QTest::addRow("history text") << "history.csv"
                                  << QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                                "val_mse_fprime,seconds\n1,x,3,4,5,6,7,8\n")
                                  << "line 2: \"x\" is not a number";
    QTest::addRow("history epochs") << "history.csv"
                                    << QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                                  "val_mse_fprime,seconds\n2,1,3,4,5,6,7,8\n")
                                    << "epoch should be 1; got 2";
    QTest::addRow("history phase") << "history.csv"
                                   << QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                                 "val_mse_fprime,seconds,learning_rate,phase\n"
                                                 "1,1,3,4,5,6,7,8,0.1,sgd\n")
                                   << "line 2: \"sgd\" is not one of adam, lbfgs";
    QTest::addRow("predictions") << "predictions.csv" << QByteArray("garbage")
                                 << "predictions.csv: line 1: expected the header";
    QTest::addRow("metrics json") << "metrics.json" << QByteArray("{")
                                  << "metrics.json: not valid JSON";
    QTest::addRow("metrics reason")
        << "metrics.json"
        << QByteArray(
               R"({"mse_f":1,"mse_fprime":1,"max_err_f":1,"max_err_fprime":1,"epochs_run":3,"train_seconds":1,"stop_reason":"exploded"})")
        << "\"stop_reason\" must be completed, stopped or diverged; got \"exploded\"";
    QTest::addRow("metrics epochs")
        << "metrics.json"
        << QByteArray(
               R"({"mse_f":1,"mse_fprime":1,"max_err_f":1,"max_err_fprime":1,"epochs_run":5,"train_seconds":1,"stop_reason":"completed"})")
        << "epochs_run is 5 but history.csv has 3 epochs";
    // The rows the knobs' limits allow, and no more; they are counted as they are read.
    QTest::addRow("history beyond the rows limit")
        << "history.csv"
        << QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds,"
                      "learning_rate,phase\n") +
               QByteArray("1,0,0,0,0,0,0,0,0,adam\n").repeated(2'000'001)
        << "history.csv: line 2000002: more than 2000000 rows; a run has at most 1000000 Adam "
           "epochs and 1000000 L-BFGS iterations";
    QTest::addRow("predictions beyond the rows limit")
        << "predictions.csv"
        << QByteArray("x,f,f_hat,fprime,fprime_hat\n") +
               QByteArray("0,0,0,0,0\n").repeated(1'000'001)
        << "predictions.csv: line 1000002: more than 1000000 rows; a run predicts at most "
           "1000000 grid points or 1000000 measured rows";
    // A line's commas are counted before it is split.
    QTest::addRow("history line of a million commas")
        << "history.csv"
        << QByteArray("epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds,"
                      "learning_rate,phase\n") +
               QByteArray(1'000'000, ',')
        << "history.csv: line 2: expected 10 values; got 1000001";
    QTest::addRow("metrics beyond 1 MiB")
        << "metrics.json"
        << "{\"stop_message\": \"" + QByteArray(1 << 20, 'a') + "\"}"
        << "metrics.json: is larger than 1 MiB; not a run file";
    QTest::addRow("config") << "config.json" << QByteArray(R"({"width": -4})")
                            << "config.json: width: must be an integer from 1 to 1024";
}

void TestRunFiles::badRunFolder() {
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QString error;
    QVERIFY(writeRunFolder(dir.path(), sampleRun(), &error));
    QVERIFY(writeFileAtomically(dir.filePath(file), content, &error));
    const RunReadResult r = readRunFolder(dir.path());
    QVERIFY(!r.errors.isEmpty());
    QVERIFY2(r.errors.join('\n').contains(message), qPrintable(r.errors.join('\n')));
    QVERIFY(r.errors.join('\n').contains(dir.filePath(file)));

    QVERIFY(QFile::remove(dir.filePath("predictions.csv")));
    QVERIFY(readRunFolder(dir.path()).errors.join('\n').contains("predictions.csv: cannot open"));
}

void TestRunFiles::sweepSpecRoundTrips_data() {
    QTest::addColumn<QStringList>("axes");
    QTest::addColumn<QString>("seeds");
    QTest::addColumn<QString>("seedsText"); // as sweep.json writes them
    QTest::addRow("grid") << QStringList{"beta=0,0.1,1,10", "width=4,8"} << "1,2"
                          << "1,2";
    QTest::addRow("log grid") << QStringList{"beta_over_alpha=log:1e-3:1e3:7"} << "1-20,25,27-28"
                              << "1-20,25,27,28";
    QTest::addRow("categorical") << QStringList{"schedule=cosine,constant", "sampling=chebyshev"}
                                 << "7"
                                 << "7";
    QTest::addRow("seed ensemble, huge seeds")
        << QStringList{} << "18446744073709551614-18446744073709551615"
        << "18446744073709551614,18446744073709551615";
}

// sweep.json reads back as the same sweep, value for value (a log grid's values are not
// short decimals), and a changed knob value, seed list or base config key is named.
void TestRunFiles::sweepSpecRoundTrips() {
    QFETCH(QStringList, axes);
    QFETCH(QString, seeds);
    QFETCH(QString, seedsText);
    SweepSpec spec;
    spec.base = testutil::smallConfig(12);
    spec.base.lbfgsIterations = 3;
    for (const QString& a : axes) {
        std::string error;
        const auto axis = parseSweepAxis(a.toStdString(), &error);
        QVERIFY2(axis, error.c_str());
        spec.axes.push_back(*axis);
    }
    std::string error;
    spec.seeds = *parseSeedList(seeds.toStdString(), &error);
    QTemporaryDir dir;
    QString writeError;
    QVERIFY2(writeSweepSpec(dir.path(), spec, &writeError), qPrintable(writeError));
    const SweepSpecReadResult read = readSweepSpec(dir.path());
    QVERIFY2(read.errors.isEmpty(), qPrintable(read.errors.join('\n')));
    QCOMPARE(sweepDifferences(spec, read.spec), QStringList());
    QCOMPARE(sweepSpecToJson(read.spec)["seeds"].toString(), seedsText);
    QCOMPARE(sweepSpecToJson(read.spec)["runs"].toInt(), int(spec.points().size()));
    for (std::size_t i = 0; i < spec.axes.size(); ++i)
        QVERIFY(read.spec.axes[i].values == spec.axes[i].values); // bit for bit
    // The base config's seed is not part of the sweep: its seed list is.
    SweepSpec other = read.spec;
    other.base.seed = spec.base.seed + 1;
    QCOMPARE(sweepDifferences(spec, other), QStringList());
    other.base.epochs = 13;
    other.seeds.push_back(100);
    QCOMPARE(sweepDifferences(spec, other),
             (QStringList{"the seed lists differ: " + seedsText + " vs " + seedsText + ",100",
                          "the base config's epochs differs: 12 vs 13"}));
}

// The data key: relative to the config file, hashed, written absolute with its hash, read
// back to the same rows; a changed file refused by name; a stored run opens without it.
void TestRunFiles::measuredDataInConfig() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath("cfg"));
    const QByteArray csv = "x,f,fprime\n0,1,2\n0.5,1.5,\n1,2,1\n";
    const QString dataPath = dir.filePath("cfg/samples.csv");
    {
        QFile f(dataPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv);
        QFile c(dir.filePath("cfg/config.json"));
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write(R"({"data": "samples.csv", "data_validation": 0.3, "epochs": 3})");
    }
    const ConfigReadResult r = readConfigFile(dir.filePath("cfg/config.json"));
    QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join('\n')));
    QCOMPARE(QString::fromStdString(r.config.data), QFileInfo(dataPath).absoluteFilePath());
    QCOMPARE(
        QString::fromStdString(r.config.dataSha256),
        QString::fromLatin1(QCryptographicHash::hash(csv, QCryptographicHash::Sha256).toHex()));
    QVERIFY(r.config.measured);
    QCOMPARE(r.config.measured->rows(), 3);
    QCOMPARE(r.config.measured->rowsWithFprime(), 2);
    QCOMPARE(measuredSummary(r.config), QStringLiteral("samples.csv: 3 rows of x, f; f′ on 2"));

    // Written and read back: the same config, rows included.
    const QJsonObject json = configToJson(r.config);
    QCOMPARE(json["data_sha256"].toString(), QString::fromStdString(r.config.dataSha256));
    const ConfigReadResult back = configFromJson(json);
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(back.config == r.config);
    // A config without data writes no data keys.
    QVERIFY(!configToJson(TrainConfig{}).contains("data"));

    // A run folder of this config: once the file changed, --config refuses it by name, while
    // the stored run still opens.
    RunRecord run = sampleRun();
    run.config = r.config;
    QString error;
    QVERIFY2(writeRunFolder(dir.filePath("run"), run, &error), qPrintable(error));
    {
        QFile f(dataPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x,f\n0,1\n1,3\n");
    }
    const ConfigReadResult changed = readConfigFile(dir.filePath("run/config.json"));
    QCOMPARE(changed.errors.size(), 1);
    QVERIFY2(changed.errors[0].contains(QFileInfo(dataPath).absoluteFilePath() + " has changed"),
             qPrintable(changed.errors[0]));
    const RunReadResult stored = readRunFolder(dir.filePath("run"));
    QVERIFY2(stored.errors.isEmpty(), qPrintable(stored.errors.join('\n')));
    QCOMPARE(stored.run.config.dataSha256, r.config.dataSha256);
    QVERIFY(!stored.run.config.measured);
}

QTEST_GUILESS_MAIN(TestRunFiles)
#include "tst_runfiles.moc"
