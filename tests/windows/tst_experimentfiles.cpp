// SPDX-License-Identifier: GPL-3.0-or-later
// Opening and saving experiments and run folders from the window, and every way it can fail.
#include "configjson.h"
#include "exportdialogs.h"
#include "fileactions.h"
#include "mainwindow.h"
#include "metricstable.h"
#include "reportdialog.h"
#include "runcheckpoint.h"
#include "settings.h"
#include "testutil.h"
#include "trainingchart.h"
#include "trainingcontroller.h"

#include "core/train/trainer.h"

#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>

#include <csignal>
#include <sys/resource.h>

using namespace sobolev;
using namespace sobolev::testutil;

class TestExperimentFiles : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void saveThenOpenRoundTrips();
    void savedConfigReproducesHeadlessHistory();
    void badExperimentFile_data();
    void badExperimentFile();
    void unwritableSaveLeavesNothing_data();
    void unwritableSaveLeavesNothing();
    void fullDiskLeavesOldFileIntact();
    void openRunFolderShowsTheRun();
    void corruptRunFolderChangesNothing();
    void interruptedRunFolderContinues();
    void dropOpensConfig();
    void recentFilesRemember();
    void exportRunBundleFromTheWindow();
    void exportFolderDialogCreatesANewFolder();
    void exportReportFromTheWindow();
    void reportDialogRefusesBadPaths_data();
    void reportDialogRefusesBadPaths();

  private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
};

namespace {

// Every knob away from its default, so that a round trip that drops one shows.
TrainConfig nonDefaultConfig() {
    TrainConfig c = tinyConfig(6);
    c.width = 8;
    c.nTrain = 128;
    c.nVal = 32;
    c.gridPoints = 51;
    c.seed = 31337;
    c.beta = 2.5;
    return c;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

int runHeadless(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), args);
    return p.waitForFinished(120000) ? p.exitCode() : -1;
}

QList<QByteArray> historyWithoutSeconds(const QString& dir) {
    QList<QByteArray> rows = readAll(dir + "/history.csv").split('\n');
    for (QByteArray& row : rows) {
        QList<QByteArray> cells = row.split(',');
        if (cells.size() > 7)
            cells.removeAt(7); // seconds
        row = cells.join(',');
    }
    return rows;
}

// Files may not grow past `bytes` while this lives: a full disk, as the writer sees it.
class FileSizeLimit {
  public:
    explicit FileSizeLimit(rlim_t bytes) {
        std::signal(SIGXFSZ, SIG_IGN); // make the write fail with EFBIG instead of killing us
        getrlimit(RLIMIT_FSIZE, &m_saved);
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &m_saved); }

  private:
    rlimit m_saved;
};

} // namespace

void TestExperimentFiles::initTestCase() {
    qputenv("XDG_CONFIG_HOME", m_dir.filePath("xdg").toLocal8Bit());
    qputenv("XDG_DATA_HOME", m_dir.filePath("xdg-data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_experimentfiles");
}

void TestExperimentFiles::saveThenOpenRoundTrips() {
    MainWindow w;
    w.setConfig(nonDefaultConfig());
    QString error;
    QVERIFY2(w.saveExperiment(path("exp.json"), &error), qPrintable(error));
    w.setConfig(TrainConfig{});
    QVERIFY2(w.openExperiment(path("exp.json"), &error), qPrintable(error));
    QVERIFY(w.config() == nonDefaultConfig());
}

void TestExperimentFiles::savedConfigReproducesHeadlessHistory() {
    MainWindow w;
    w.setConfig(nonDefaultConfig());
    QString error;
    QVERIFY(w.saveExperiment(path("first.json"), &error));
    QCOMPARE(runHeadless(
                 {"--headless", "--quiet", "--config", path("first.json"), "--out", path("runA")}),
             0);
    // Open what was saved, save it again, run again: the same history, bit for bit.
    MainWindow other;
    QVERIFY(other.openExperiment(path("first.json"), &error));
    QVERIFY(other.saveExperiment(path("second.json"), &error));
    QCOMPARE(runHeadless(
                 {"--headless", "--quiet", "--config", path("second.json"), "--out", path("runB")}),
             0);
    const auto a = historyWithoutSeconds(path("runA")), b = historyWithoutSeconds(path("runB"));
    QCOMPARE(a.size(), nonDefaultConfig().epochs + 2); // header, rows, trailing newline
    QCOMPARE(a, b);
}

void TestExperimentFiles::badExperimentFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QJsonObject full = configToJson(nonDefaultConfig());
    full.remove("beta");
    QJsonObject range = configToJson(nonDefaultConfig());
    range["learning_rate"] = 7;
    QTest::addRow("malformed") << QByteArray("{\"width\": 8,") << "not valid JSON at byte";
    QTest::addRow("foreign array") << QByteArray("[1, 2, 3]") << "must hold a JSON object";
    QTest::addRow("foreign object")
        << QByteArray(R"({"name": "my cat"})") << "unknown key \"name\"";
    QTest::addRow("missing key") << QJsonDocument(full).toJson() << "missing key \"beta\"";
    QTest::addRow("out of range")
        << QJsonDocument(range).toJson()
        << "learning_rate: must be a number greater than 0 and at most 1; got 7";
    QTest::addRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << "not valid JSON";
}

void TestExperimentFiles::badExperimentFile() {
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    MainWindow w;
    TrainConfig before = nonDefaultConfig();
    before.depth = 3;
    w.setConfig(before);
    writeAll(path("bad.json"), content);
    QString error;
    QVERIFY(!w.openExperiment(path("bad.json"), &error));
    QVERIFY2(error.contains(path("bad.json")), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(w.config() == before); // settings untouched
}

void TestExperimentFiles::unwritableSaveLeavesNothing_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("message");
    QTest::addRow("missing folder") << "no/such/folder/exp.json"
                                    << "cannot write";
    QTest::addRow("a folder") << "afolder"
                              << "cannot write";
}

void TestExperimentFiles::unwritableSaveLeavesNothing() {
    QFETCH(QString, target);
    QFETCH(QString, message);
    QDir(m_dir.path()).mkpath("afolder");
    MainWindow w;
    w.setConfig(nonDefaultConfig());
    QString error;
    QVERIFY(!w.saveExperiment(path(target), &error));
    QVERIFY2(error.startsWith(path(target)), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!QFileInfo(path(target)).isFile());
    QVERIFY(w.config() == nonDefaultConfig());
}

void TestExperimentFiles::fullDiskLeavesOldFileIntact() {
    MainWindow w;
    w.setConfig(nonDefaultConfig());
    QString error;
    QVERIFY(w.saveExperiment(path("keep.json"), &error));
    const QByteArray before = readAll(path("keep.json"));
    const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);
    TrainConfig changed = nonDefaultConfig();
    changed.width = 999;
    w.setConfig(changed);
    {
        FileSizeLimit full(16);
        QVERIFY(!w.saveExperiment(path("keep.json"), &error));
    }
    QVERIFY2(error.startsWith(path("keep.json")), qPrintable(error));
    QCOMPARE(readAll(path("keep.json")), before);                     // the old file is whole
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore); // no temporary left
}

void TestExperimentFiles::openRunFolderShowsTheRun() {
    const QString run = path("shown");
    QCOMPARE(runHeadless({"--headless", "--quiet", "--width", "8", "--epochs", "7", "--n-train",
                          "64", "--batch-size", "16", "--grid-points", "41", "--out", run}),
             0);
    MainWindow w;
    QString error;
    QVERIFY2(w.openRunFolder(run, &error), qPrintable(error));
    QCOMPARE(w.trainingChart()->storedEpochs(), 7);
    QCOMPARE(w.config().epochs, 7);
    const QJsonObject metrics = QJsonDocument::fromJson(readAll(run + "/metrics.json")).object();
    QCOMPARE(w.metricsTable()->item(0, 1)->text(),
             QString::number(metrics["mse_f"].toDouble(), 'e', 3));
    QVERIFY(!w.controller()->hasRun()); // nothing was trained
    const auto shown = w.currentRun();
    QVERIFY(shown);
    QCOMPARE(shown->predictions.x.size(), std::size_t(41));
}

void TestExperimentFiles::corruptRunFolderChangesNothing() {
    const QString run = path("corrupt");
    QCOMPARE(runHeadless({"--headless", "--quiet", "--width", "8", "--epochs", "3", "--n-train",
                          "64", "--batch-size", "16", "--out", run}),
             0);
    writeAll(run + "/history.csv", "epoch,loss\n1,2\n");
    MainWindow w;
    w.setConfig(nonDefaultConfig());
    QString error;
    QVERIFY(!w.openRunFolder(run, &error));
    QVERIFY2(error.contains(run + "/history.csv: line 1: expected the header"), qPrintable(error));
    QVERIFY(w.config() == nonDefaultConfig());
    QCOMPARE(w.trainingChart()->storedEpochs(), 0);
    QVERIFY(!w.currentRun());
}

// A folder a killed headless run left (config.json, checkpoint.json, checkpoint.bin) opens
// paused where it was, with its history so far, and Resume ends it as a run never stopped.
void TestExperimentFiles::interruptedRunFolderContinues() {
    TrainConfig c = tinyConfig(12);
    c.changes = {{3, 2, Knob::Beta, 4}};
    const QString dir = path("interrupted");
    QVERIFY(QDir().mkpath(dir));
    QString error;
    QVERIFY2(beginRunFolder(dir, c, {}, &error), qPrintable(error));
    Trainer killed(c);
    killed.train(5);
    QVERIFY2(writeCheckpoint(dir, killed.checkpoint(), {}, &error), qPrintable(error));
    Trainer whole(c);
    whole.trainAll();

    MainWindow w;
    QVERIFY2(w.openRunFolder(dir, &error), qPrintable(error));
    TrainingController* controller = w.controller();
    QCOMPARE(controller->state(), TrainingController::State::Paused);
    QCOMPARE(controller->epochsDone(), 5);
    QCOMPARE(w.trainingChart()->storedEpochs(), 5);
    // Its errors at the checkpoint, as for a run paused by hand.
    QTRY_VERIFY(w.metricsTable()->item(MetricsTable::MseF, 1)->text().toDouble() > 0);
    QVERIFY(w.config() == controller->config()); // the panel shows the run's knobs
    w.togglePause();                             // Resume
    QTRY_COMPARE_WITH_TIMEOUT(controller->state(), TrainingController::State::Finished, 60'000);
    const QList<EpochMetrics> history = controller->history();
    QVERIFY(
        sameHistory(std::vector<EpochMetrics>(history.begin(), history.end()), whole.history()));
    QVERIFY(samePredictions(*controller->predictions(), whole.predictions()));
    QCOMPARE(w.trainingChart()->storedEpochs(), 12);
}

void TestExperimentFiles::dropOpensConfig() {
    MainWindow w;
    w.show();
    QString error;
    TrainConfig c = nonDefaultConfig();
    c.learningRate = 0.02;
    QVERIFY(writeExperimentFile(path("dropped.json"), c, &error));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path("dropped.json"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &drop);
    QTRY_VERIFY(w.config() == c);

    QMimeData text;
    text.setText("not a file");
    QDragEnterEvent refuse(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refuse.setAccepted(false);
    QCoreApplication::sendEvent(&w, &refuse);
    QVERIFY(!refuse.isAccepted());
}

void TestExperimentFiles::recentFilesRemember() {
    QString error;
    {
        MainWindow w;
        w.setConfig(nonDefaultConfig());
        QVERIFY(w.saveExperiment(path("recent.json"), &error));
    }
    const QStringList recent = settings::recentPaths().get();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first(), QFileInfo(path("recent.json")).absoluteFilePath());
}

void TestExperimentFiles::exportRunBundleFromTheWindow() {
    MainWindow w;
    QString error;
    QVERIFY(!w.exportRun(path("nothing"), &error)); // no run yet
    QVERIFY2(error.contains("no run to export"), qPrintable(error));
    QVERIFY(!QFileInfo::exists(path("nothing")));

    const QString run = path("source");
    QCOMPARE(runHeadless({"--headless", "--quiet", "--width", "8", "--epochs", "4", "--n-train",
                          "64", "--batch-size", "16", "--grid-points", "41", "--out", run}),
             0);
    QVERIFY(w.openRunFolder(run, &error));
    QVERIFY2(w.exportRun(path("exported"), &error), qPrintable(error));
    for (const char* name : {"config.json", "history.csv", "predictions.csv", "metrics.json",
                             "metrics.md", "training.png", "training.svg", "f.png", "f.svg",
                             "fprime.png", "fprime.svg", "error.png", "error.svg", "snapshots.bin"})
        QVERIFY2(QFileInfo(path("exported/") + name).size() > 0, name);
    QCOMPARE(readAll(path("exported/history.csv")), readAll(run + "/history.csv"));
    // The opened run's snapshots go with it.
    QCOMPARE(readAll(path("exported/snapshots.bin")), readAll(run + "/snapshots.bin"));

    // A folder that holds something is never written into.
    QVERIFY(!w.exportRun(run, &error));
    QVERIFY2(error.contains("not empty"), qPrintable(error));
    QCOMPARE(QDir(run).entryList(QDir::Files).size(), 5); // with snapshots.bin
}

void TestExperimentFiles::exportFolderDialogCreatesANewFolder() {
    QTemporaryDir dir;
    ExportFolderDialog dialog(nullptr, "Export Run Bundle (choose a new or empty folder)",
                              dir.path());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // A name that is not there yet, typed as a user would, then OK.
    auto* name = dialog.findChild<QLineEdit*>("fileNameEdit");
    QVERIFY(name);
    name->setFocus();
    QTest::keyClicks(name, "bundle-1");
    // A refusal would come as a message box: close any, so that the test fails instead of hanging.
    QTimer closer;
    QObject::connect(&closer, &QTimer::timeout, [&] {
        if (QWidget* box = QApplication::activeModalWidget(); box && box != &dialog)
            box->close();
    });
    closer.start(50);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.accept();
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.folder(), QDir(dir.path()).filePath("bundle-1"));
    QVERIFY(QFileInfo(dir.path() + "/bundle-1").isDir());
    // An existing folder is taken as it is.
    QDir(dir.path()).mkdir("old");
    ExportFolderDialog again(nullptr, "Export", dir.path());
    again.selectFile(dir.path() + "/old");
    again.accept();
    QCOMPARE(again.result(), int(QDialog::Accepted));
    QCOMPARE(again.folder(), QDir(dir.path()).filePath("old"));
}

void TestExperimentFiles::exportReportFromTheWindow() {
    MainWindow w;
    auto* files = w.findChild<FileActions*>();
    QVERIFY(files);
    QString error;
    const ReportTarget target{path("report.pdf"), ReportPage::Letter, true, "report_files"};
    QVERIFY(!files->exportReport(target, &error)); // no run yet
    QVERIFY2(error.contains("no run to report"), qPrintable(error));
    QVERIFY(!QFileInfo::exists(target.pdfPath));

    const QString run = path("reported");
    QCOMPARE(runHeadless({"--headless", "--quiet", "--width", "8", "--epochs", "4", "--n-train",
                          "64", "--batch-size", "16", "--grid-points", "41", "--out", run}),
             0);
    QVERIFY(w.openRunFolder(run, &error));
    QVERIFY2(files->exportReport(target, &error), qPrintable(error));
    QVERIFY(readAll(target.pdfPath).startsWith("%PDF-"));
    const QString md = QString::fromUtf8(readAll(path("report.md")));
    QVERIFY2(md.contains("](report_files/training.png)"), qPrintable(md));
    for (const char* name : {"training", "f", "fprime", "error"})
        QVERIFY2(QFileInfo(path("report_files/") + name + ".svg").size() > 0, name);
}

void TestExperimentFiles::reportDialogRefusesBadPaths_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("problem"); // empty: accepted
    QTest::addRow("pdf") << "a.pdf"
                         << "";
    QTest::addRow("no suffix gets .pdf") << "b"
                                         << "";
    QTest::addRow("other suffix") << "c.txt"
                                  << "must end in .pdf, not .txt";
    QTest::addRow("missing folder") << "no/such/d.pdf"
                                    << "does not exist";
    QTest::addRow("a folder") << "adir.pdf"
                              << "is a folder";
    QTest::addRow("empty") << ""
                           << "Give the PDF a file name";
}

void TestExperimentFiles::reportDialogRefusesBadPaths() {
    QFETCH(QString, name);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    QDir(dir.path()).mkdir("adir.pdf");
    ReportDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setPath(name.isEmpty() ? QString() : dir.filePath(name));
    dialog.findChild<QComboBox*>("reportPage")->setCurrentIndex(int(ReportPage::Letter));
    dialog.findChild<QCheckBox*>("reportMarkdown")->setChecked(true);
    dialog.accept();
    auto* label = dialog.findChild<QLabel*>("reportProblem");
    if (problem.isEmpty()) {
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!label->isVisible());
        const ReportTarget target = dialog.target();
        QVERIFY2(target.pdfPath.endsWith(".pdf"), qPrintable(target.pdfPath));
        QCOMPARE(target.page, ReportPage::Letter);
        QVERIFY(target.markdown);
        QCOMPARE(target.figureDir, QFileInfo(target.pdfPath).completeBaseName() + "_files");
        // The paper is offered again next time.
        ReportDialog next;
        QCOMPARE(next.target().page, ReportPage::Letter);
    } else {
        QVERIFY(dialog.isVisible()); // still open, for another try
        QVERIFY(label->isVisible());
        QVERIFY2(label->text().contains(problem), qPrintable(label->text()));
    }
}

QTEST_MAIN(TestExperimentFiles)
#include "tst_experimentfiles.moc"
