// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/exporttestutil.h"
#include "comparisonview.h"
#include "comparisonwindow.h"
#include "core/config/knobregistry.h"
#include "duplicatedialog.h"
#include "mainwindow.h"
#include "noisynote.h"
#include "parameterpanel.h"
#include "picturetestutil.h"
#include "reportcontent.h"
#include "runhistory.h"
#include "runhistoryactions.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"
#include "storage/storagetestutil.h"
#include "sweepdialog.h"
#include "tablewriter.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <QLineEdit>

#include <functional>
#include <memory>

using namespace sobolev;
using namespace sobolev::testutil;

// The sweep dialog, the duplicate dialog and how the main window wires them to the run
// history; the widgets they show have their own tests (tst_sweepcharts, tst_comparison).
class TestSweepDialog : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void init();
    void cleanup();
    void formProblems_data();
    void checkingEveryRunLeavesTheFormFluid();
    void formProblems();
    void sweepStoresEveryRun();
    void seedEnsembleWithoutKnob();
    void cancelKeepsFinishedRuns();
    void closingMidSweepLosesNothing();
    void cancelHammer();
    void duplicateChangesOneKnob_data();
    void duplicateChangesOneKnob();
    void mainWindowWiresTheHistory();
    void closingTheWindowMidSweepKeepsRuns();
    void formAndResultsSurviveReopening();
    void knobListIsWhatSweepAccepts();
    void panelShapeReachesTheSweep_data();
    void panelShapeReachesTheSweep();
    void shapeTypedDuringASweepReachesTheNext();
    void noisyFinalValuesNote_data();
    void noisyFinalValuesNote();
    void sweepReport();
    void mapTab();
    void openSweepFolder_data();
    void openSweepFolder();

  private:
    QTemporaryDir m_xdg; // the main window's settings and history, away from the user's
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RunHistory> m_history;
};

namespace {

bool waitFinished(QSignalSpy& spy, int ms = 60000) {
    return spy.count() > 0 || spy.wait(ms);
}

// A base config on which learning rate 1 (a deep sin net, loss weights 1e12) overflows in
// the first epoch, while the rates of slowRates would train for a million epochs. A sweep
// over "1, " + slowRates has runs that end at once (diverged) and runs that are still going
// whenever the test acts, however loaded the machine is: no test depends on how long
// anything takes.
TrainConfig divergesAtRateOne() {
    TrainConfig base = tinyConfig(limits::maxEpochs);
    base.activation = Activation::Sin;
    base.depth = 8;
    base.alpha = base.beta = limits::maxLossWeight;
    return base;
}
const QString slowRates = QStringLiteral("1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3, 7e-3");

} // namespace

void TestSweepDialog::initTestCase() {
    QVERIFY(m_xdg.isValid());
    qputenv("XDG_CONFIG_HOME", m_xdg.filePath("config").toLocal8Bit());
    qputenv("XDG_DATA_HOME", m_xdg.filePath("data").toLocal8Bit());
}

void TestSweepDialog::init() {
    // The dialog keeps its form and last sweep in the settings; each test starts afresh.
    QSettings().remove(QStringLiteral("sweep"));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_history = std::make_unique<RunHistory>(m_dir->filePath(QStringLiteral("runs")));
}

void TestSweepDialog::cleanup() {
    m_history.reset();
    m_dir.reset();
}

void TestSweepDialog::formProblems_data() {
    QTest::addColumn<int>("knob"); // -1 = none
    QTest::addColumn<QString>("values");
    QTest::addColumn<QString>("seeds");
    QTest::addColumn<QString>("problem"); // a piece of the message; empty = none
    QTest::addRow("good") << int(Knob::Beta) << "0, 0.1, 1"
                          << "1-2"
                          << "";
    QTest::addRow("log grid") << int(Knob::LearningRate) << "log:1e-4:1e-2:3"
                              << "1"
                              << "";
    QTest::addRow("seeds only") << -1 << ""
                                << "1-4"
                                << "";
    QTest::addRow("not a number") << int(Knob::Beta) << "0, abc"
                                  << "1"
                                  << "Knob 1";
    QTest::addRow("no values") << int(Knob::Beta) << ""
                               << "1"
                               << "enter values";
    QTest::addRow("values without knob") << -1 << "1,2"
                                         << "1"
                                         << "choose a knob";
    QTest::addRow("negative beta") << int(Knob::Beta) << "-1"
                                   << "1"
                                   << "beta";
    QTest::addRow("width too large") << int(Knob::Width) << "4096"
                                     << "1"
                                     << "width";
    QTest::addRow("bad seeds") << int(Knob::Beta) << "1"
                               << "x"
                               << "Seeds";
}

void TestSweepDialog::formProblems() {
    QFETCH(int, knob);
    QFETCH(QString, values);
    QFETCH(QString, seeds);
    QFETCH(QString, problem);
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(tinyConfig());
    dialog.setAxis(0, knob < 0 ? std::nullopt : std::optional(Knob(knob)), values);
    dialog.setSeeds(seeds);
    const QStringList problems = dialog.problems();
    if (problem.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    } else {
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.join('\n').contains(problem, Qt::CaseInsensitive),
                 qPrintable(problems.join('\n')));
        QVERIFY(!dialog.start());
        QVERIFY(!dialog.isRunning());
    }
}

// Each seed checks the target at its own points: three seeds of a formula at three million
// points take seconds, on the worker thread, while the GUI thread serves a 5 ms timer.
void TestSweepDialog::checkingEveryRunLeavesTheFormFluid() {
    SweepDialog dialog(m_history.get());
    dialog.show();
    TrainConfig c = tinyConfig(1);
    c.nTrain = c.nVal = c.gridPoints = limits::maxSamples;
    c.target = "exp(sin(exp(sin(x)))) + exp(sin(exp(sin(2*x))))";
    dialog.setBaseConfig(c);
    dialog.setAxis(0, std::nullopt, QString());
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&] {
        worst = std::max(worst, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    ticker.start(5);
    dialog.setSeeds(QStringLiteral("1-3"));
    auto* plan = dialog.findChild<QLabel*>(QStringLiteral("plan"));
    QVERIFY(plan);
    QVERIFY2(plan->text().startsWith("Checking"), qPrintable(plan->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!plan->text().startsWith("Checking"), 120'000);
    const qint64 checked = clock.elapsed();
    qInfo("3 seeds checked in %lld ms; the GUI thread's largest delay meanwhile: %lld ms", checked,
          worst);
    QVERIFY2(worst < checked / 2,
             qPrintable(QStringLiteral("%1 of %2 ms").arg(worst).arg(checked)));
    QVERIFY2(plan->text().startsWith("3 runs"), qPrintable(plan->text()));
    QVERIFY(dialog.problems().isEmpty());
}

void TestSweepDialog::sweepStoresEveryRun() {
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(tinyConfig());
    dialog.setAxis(0, Knob::Beta, QStringLiteral("0, 1"));
    dialog.setAxis(1, Knob::Width, QStringLiteral("4, 8"));
    dialog.setSeeds(QStringLiteral("1-2"));
    dialog.setThreads(2);
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(dialog.runIds().size(), 8);
    QCOMPARE(m_history->runs().size(), 8);
    QCOMPARE(dialog.table()->model()->rowCount(), 8);
    // Sorted by the seed column (after the two knobs), numbers by value, as every table sorts.
    dialog.table()->sortByColumn(2, Qt::DescendingOrder);
    QStringList seeds;
    for (int row = 0; row < 8; ++row)
        seeds << dialog.table()->model()->index(row, 2).data().toString();
    QCOMPARE(seeds, (QStringList{"2", "2", "2", "2", "1", "1", "1", "1"}));
    // The final β/α column, before the run's name: β/α = β here, since α is 1.
    const QAbstractItemModel* model = dialog.table()->model();
    const int ratioColumn = model->columnCount() - 2;
    QCOMPARE(model->headerData(ratioColumn, Qt::Horizontal).toString(),
             QStringLiteral("Final β/α"));
    for (int row = 0; row < 8; ++row)
        QCOMPARE(model->index(row, ratioColumn).data().toString(),
                 model->index(row, 0).data().toString());

    // Every row of the summary is the stored run's own report, knobs and seed.
    const DataTable table = dialog.summaryTable();
    QCOMPARE(table.columns.mid(0, 3), (QStringList{"beta", "width", "seed"}));
    QCOMPARE(table.rows.size(), 8);
    for (int i = 0; i < 8; ++i) {
        const StoredRun* run = m_history->find(dialog.runIds()[i]);
        QVERIFY(run);
        const auto& row = table.rows[i];
        QCOMPARE(row[0].toDouble(), run->record.config.beta);
        QCOMPARE(row[1].toDouble(), double(run->record.config.width));
        QCOMPARE(row[2].toULongLong(), qulonglong(run->record.config.seed));
        QCOMPARE(row[3].toDouble(), run->record.report.mseF);
        QCOMPARE(row[4].toDouble(), run->record.report.mseFprime);
        // The weights in force at the last row: β is the swept value (a constant weighting).
        const qsizetype finalAlpha = table.columns.indexOf(QStringLiteral("final_alpha"));
        QVERIFY(finalAlpha > 0);
        QCOMPARE(row[finalAlpha].toDouble(), run->record.config.alpha);
        QCOMPARE(row[finalAlpha + 1].toDouble(), run->record.config.beta);
        QCOMPARE(run->record.report.epochsRun, 4);
        QVERIFY(run->name.contains(QStringLiteral("seed %1").arg(run->record.config.seed)));
    }
    // Reloading the history (a restart) finds the same runs.
    RunHistory reopened(m_history->folder());
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), 8);
}

void TestSweepDialog::seedEnsembleWithoutKnob() {
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(tinyConfig());
    dialog.setSeeds(QStringLiteral("3,5,7"));
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    QCOMPARE(dialog.sweepView().knobs.size(), std::size_t(0));
    QCOMPARE(dialog.runIds().size(), 3);
    QSignalSpy compare(&dialog, &SweepDialog::compareRequested);
    for (QPushButton* b : dialog.findChildren<QPushButton*>())
        if (b->text().remove('&') == QStringLiteral("Compare Runs"))
            b->click();
    QCOMPARE(compare.count(), 1);
    QCOMPARE(compare.first().first().toStringList(), dialog.runIds());
}

void TestSweepDialog::cancelKeepsFinishedRuns() {
    // The two runs of lr 1 end at once (diverged); the six others are still going when the
    // cancel comes.
    const TrainConfig base = divergesAtRateOne();
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(base);
    dialog.setAxis(0, Knob::LearningRate, QStringLiteral("1, 1e-3, 2e-3, 5e-3"));
    dialog.setSeeds(QStringLiteral("1-2"));
    const int threads = 2, total = 8;
    dialog.setThreads(threads);
    QSignalSpy ended(&dialog, &SweepDialog::runEnded);
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 60000);
    const QStringList finishedBefore = dialog.runIds();
    QCOMPARE(finishedBefore.size(), 2);
    for (const QString& id : finishedBefore) {
        const StoredRun* run = m_history->find(id);
        QVERIFY(run);
        QCOMPARE(run->record.config.learningRate, 1.0);
        QCOMPARE(run->record.report.stopReason, StopReason::Diverged);
    }
    QVERIFY(dialog.isRunning());

    dialog.cancel();
    QVERIFY(waitFinished(finished));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!dialog.isRunning());

    // What the sweep reports: the runs that ended before the cancel, then at most one
    // stopped run per thread (those in progress; one not yet begun when the cancel came is
    // skipped); the remaining runs of lr 1e-3 and up never start.
    // (In numeric order of the learning rate, so the runs of lr 1 come last.)
    const QStringList ids = dialog.runIds();
    for (const QString& id : finishedBefore)
        QVERIFY(ids.contains(id));
    QVERIFY2(ids.size() <= 2 + threads, qPrintable(ids.join(' ')));
    QCOMPARE(ended.count(), ids.size());
    QCOMPARE(dialog.sweepView().runs.size(), ids.size());
    QCOMPARE(dialog.table()->model()->rowCount(), ids.size());
    bool reported = false;
    for (const QLabel* label : dialog.findChildren<QLabel*>())
        reported |= label->text().startsWith(
            QStringLiteral("%1 of %2 runs ended").arg(ids.size()).arg(total));
    QVERIFY2(reported, "no \"N of 8 runs ended\" line for the runs the sweep kept");
    for (const QString& id : ids) {
        if (finishedBefore.contains(id))
            continue;
        const StoredRun* run = m_history->find(id);
        QVERIFY(run);
        QVERIFY(run->record.config.learningRate < 1.0);
        QCOMPARE(run->record.report.stopReason, StopReason::Stopped);
        QVERIFY(run->record.report.epochsRun < base.epochs);
        const RunReadResult stored = m_history->readRun(id);
        QVERIFY(stored.errors.isEmpty());
        QCOMPARE(qsizetype(stored.run.history.size()), qsizetype(run->record.report.epochsRun));
    }

    // What was stored: exactly those runs, also for a fresh reader of the folder.
    QCOMPARE(m_history->runs().size(), ids.size());
    for (const QString& id : ids)
        QVERIFY(m_history->find(id));
    RunHistory reopened(m_history->folder());
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), ids.size());
    for (const QString& id : ids) {
        QVERIFY(reopened.find(id));
        QCOMPARE(reopened.find(id)->record.report.stopReason,
                 m_history->find(id)->record.report.stopReason);
    }

    // A second sweep can start after a cancel.
    dialog.setBaseConfig(tinyConfig());
    dialog.setAxis(0, Knob::Beta, QStringLiteral("1"));
    dialog.setSeeds(QStringLiteral("1"));
    finished.clear();
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(dialog.runIds().size(), 1);
}

void TestSweepDialog::closingMidSweepLosesNothing() {
    const int threads = 2, total = 8;
    {
        SweepDialog dialog(m_history.get());
        dialog.setBaseConfig(divergesAtRateOne());
        dialog.setAxis(0, Knob::LearningRate, QStringLiteral("1, ") + slowRates);
        dialog.setSeeds(QStringLiteral("1"));
        dialog.setThreads(threads);
        QSignalSpy ended(&dialog, &SweepDialog::runEnded);
        QVERIFY(dialog.start());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 60000); // the run of lr 1
        QVERIFY(dialog.isRunning());
        // Destroyed while runs are in progress: they stop, and what ended is stored.
    }
    RunHistory reopened(m_history->folder());
    QVERIFY(reopened.load().isEmpty());
    QVERIFY(reopened.runs().size() >= 1);
    QVERIFY(reopened.runs().size() <= 1 + threads);
    QVERIFY(reopened.runs().size() < total);
    QCOMPARE(reopened.runs().size(), m_history->runs().size());
}

void TestSweepDialog::cancelHammer() {
    // Cancel, cancel-and-wait or destroy the window at random moments of a sweep: every run
    // that ended is in the history exactly once, and nothing else is.
    QRandomGenerator random(20261129);
    qsizetype expected = 0;
    for (int round = 0; round < 30; ++round) {
        auto dialog = std::make_unique<SweepDialog>(m_history.get());
        dialog->setBaseConfig(tinyConfig(40));
        dialog->setAxis(0, Knob::Beta, QStringLiteral("0, 1, 2"));
        dialog->setSeeds(QStringLiteral("1-2"));
        dialog->setThreads(1 + (round / 3) % 3);
        QSignalSpy finished(dialog.get(), &SweepDialog::sweepFinished);
        QSignalSpy ended(dialog.get(), &SweepDialog::runEnded);
        QVERIFY(dialog->start());
        QTest::qWait(random.bounded(25));
        if (round % 3 == 0) {
            dialog->cancel();
            QVERIFY(waitFinished(finished));
        } else if (round % 3 == 1) {
            dialog->cancelAndWait();
        } // else destroyed below while running
        dialog.reset();
        expected += ended.count();
        QCOMPARE(m_history->runs().size(), expected);
        for (const QList<QVariant>& signal : ended)
            QVERIFY(m_history->find(signal.first().toString()));
    }
    RunHistory reopened(m_history->folder());
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), m_history->runs().size());
    QSet<QString> ids;
    for (const StoredRun& run : reopened.runs())
        ids.insert(run.id);
    QCOMPARE(ids.size(), reopened.runs().size());
}

void TestSweepDialog::duplicateChangesOneKnob_data() {
    QTest::addColumn<int>("knob");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    QTest::addRow("beta") << int(Knob::Beta) << "5" << true;
    QTest::addRow("learning rate in e-notation") << int(Knob::LearningRate) << "3e-3" << true;
    QTest::addRow("width") << int(Knob::Width) << "32" << true;
    QTest::addRow("not a number") << int(Knob::Beta) << "five" << false;
    QTest::addRow("out of range") << int(Knob::Depth) << "9" << false;
    QTest::addRow("fractional width") << int(Knob::Width) << "3.5" << false;
    QTest::addRow("unchanged") << int(Knob::Beta) << "1" << false;
}

void TestSweepDialog::duplicateChangesOneKnob() {
    QFETCH(int, knob);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    TrainConfig original = tinyConfig();
    original.seed = 77;
    DuplicateRunDialog dialog(original, QStringLiteral("#3 test"));
    dialog.setKnob(Knob(knob));
    dialog.setValueText(value);
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QCOMPARE(ok->isEnabled(), accepted);
    if (!accepted)
        return;
    const TrainConfig changed = dialog.config();
    QCOMPARE(knobValue(changed, Knob(knob)), value.toDouble());
    QCOMPARE(changed.seed, original.seed);
    TrainConfig back = changed;
    setKnob(back, Knob(knob), knobValue(original, Knob(knob)));
    QVERIFY(back == original); // nothing else changed
}

void TestSweepDialog::mainWindowWiresTheHistory() {
    MainWindow window;
    RunHistory* history = window.runHistory();
    const qsizetype before = history->runs().size();
    TrainConfig config = tinyConfig();
    config.beta = 3;
    window.setConfig(config);
    QSignalSpy finished(window.controller(), &TrainingController::runFinished);
    window.train();
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE(history->runs().size(), before + 1);
    const QString id = history->runs().last().id;

    // Re-open: the stored run's knobs go back into the panel.
    window.setConfig(tinyConfig());
    QVERIFY(window.reopenRun(id));
    QCOMPARE(window.config().beta, 3.0);
    QVERIFY(window.currentRun());
    QCOMPARE(window.currentRun()->report.mseF, history->find(id)->record.report.mseF);

    // Compare: a window over the chosen runs.
    window.train();
    finished.clear();
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE(history->runs().size(), before + 2);
    const QStringList ids{history->runs()[before].id, history->runs()[before + 1].id};
    ComparisonWindow* compare = window.compareRuns(ids);
    QVERIFY(compare);
    QCOMPARE(compare->view()->runs().size(), 2);
    QCOMPARE(compare->view()->runs()[1].id, ids[1]);
    compare->close();

    // The sweep dialog starts from the panel's knobs.
    SweepDialog* sweep = window.openSweepDialog();
    QCOMPARE(sweep->baseConfig(), window.config());
    config.width = 5;
    window.setConfig(config);
    QCOMPARE(sweep->baseConfig().width, 5);
    QVERIFY(!window.reopenRun(QStringLiteral("no-such-run")));
}

void TestSweepDialog::closingTheWindowMidSweepKeepsRuns() {
    auto window = std::make_unique<MainWindow>();
    window->setConfig(divergesAtRateOne());
    const QString folder = window->runHistory()->folder();
    const qsizetype before = window->runHistory()->runs().size();
    SweepDialog* sweep = window->openSweepDialog();
    sweep->setAxis(0, Knob::LearningRate, QStringLiteral("1, ") + slowRates);
    sweep->setSeeds(QStringLiteral("1"));
    sweep->setThreads(2);
    QSignalSpy ended(sweep, &SweepDialog::runEnded);
    QSignalSpy finished(sweep, &SweepDialog::sweepFinished);
    QVERIFY(sweep->start());
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 60000); // the run of lr 1; the others go on
    QVERIFY(sweep->isRunning());
    QCOMPARE(finished.count(), 0);
    QVERIFY(window->close());
    const qsizetype stored = window->runHistory()->runs().size() - before;
    QVERIFY(!sweep->isRunning());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toBool(), true); // cancelled by the close
    // The worker has been joined, so its own "ended" message is already queued: deliver it.
    // It is ignored, the sweep ended once.
    QCoreApplication::sendPostedEvents(sweep, QEvent::MetaCall);
    QCOMPARE(finished.count(), 1);
    QVERIFY(stored >= 1);
    QVERIFY(stored <= 3); // the diverged run and at most the two in progress
    QCOMPARE(stored, sweep->runIds().size());
    window.reset();
    RunHistory reopened(folder);
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), before + stored);
}

void TestSweepDialog::formAndResultsSurviveReopening() {
    const auto column = [](const SweepDialog* sweep, int c) {
        QStringList texts;
        for (int r = 0; r < sweep->table()->model()->rowCount(); ++r)
            texts << sweep->table()->model()->index(r, c).data().toString();
        return texts;
    };
    const auto formTexts = [](const SweepDialog* sweep) {
        QStringList texts;
        for (const QLineEdit* edit : sweep->findChildren<QLineEdit*>())
            texts << edit->text();
        return texts;
    };
    QStringList ids;
    {
        MainWindow window;
        window.setConfig(tinyConfig());
        SweepDialog* sweep = window.openSweepDialog();
        sweep->setAxis(0, Knob::Beta, "10, 0.5");
        sweep->setAxis(1, std::nullopt, QString());
        sweep->setSeeds("2, 1");
        sweep->setThreads(3);
        QSignalSpy finished(sweep, &SweepDialog::sweepFinished);
        QVERIFY(sweep->start());
        QVERIFY(waitFinished(finished));
        // Rows, ids and charts in numeric order, whatever order the threads finished in.
        QCOMPARE(column(sweep, 0), QStringList({"0.5", "0.5", "10", "10"}));
        QCOMPARE(column(sweep, 1), QStringList({"1", "2", "1", "2"}));
        ids = sweep->runIds();
        QCOMPARE(ids.size(), 4);
        QCOMPARE(window.runHistory()->find(ids[0])->record.config.seed, std::uint64_t(1));
        QCOMPARE(window.runHistory()->find(ids[3])->record.config.beta, 10.0);
        sweep->close();
        QCOMPARE(window.openSweepDialog(), sweep);
        QCOMPARE(sweep->runIds(), ids);
    }
    // The next session: the same form, and the last sweep's results read back from the history.
    MainWindow again;
    SweepDialog* sweep = again.openSweepDialog();
    QVERIFY(formTexts(sweep).contains("10, 0.5"));
    QVERIFY(formTexts(sweep).contains("2, 1"));
    QVERIFY(sweep->problems().isEmpty());
    QCOMPARE(sweep->runIds(), ids);
    QCOMPARE(column(sweep, 0), QStringList({"0.5", "0.5", "10", "10"}));
    QCOMPARE(column(sweep, 1), QStringList({"1", "2", "1", "2"}));
    // The final β/α, read from the stored runs' folders (α is 1, so it is β).
    QCOMPARE(column(sweep, sweep->table()->model()->columnCount() - 2),
             QStringList({"0.5", "0.5", "10", "10"}));
    QCOMPARE(int(sweep->sweepView().knobs.size()), 1);
    // Compared as seed groups, listed in seed order even when picked the other way round.
    ComparisonWindow* compare = again.compareRuns({ids[1], ids[0], ids[3], ids[2]});
    QVERIFY(compare);
    const auto& runs = compare->view()->runs();
    for (const QList<int>& group : compare->view()->groups()) {
        QCOMPARE(group.size(), 2);
        QCOMPARE(runs[group[0]].run.config.seed, std::uint64_t(1));
        QCOMPARE(runs[group[1]].run.config.seed, std::uint64_t(2));
    }
    compare->close();
}

namespace {

// A sweep folder as `--sweep beta=… --seeds …` writes it, from copies of one stored run:
// summary.csv and one run folder per β × seed. `edit` may then damage it.
using SweepEdit = std::function<void(const QString& dir)>;

QString writeSweepFolder(const QString& dir, int betas, int seeds) {
    const RunRecord sample = sampleRuns()[0];
    const std::vector<Knob> knobs{Knob::Beta};
    DataTable summary = sweepSummaryTable(knobs, QStringLiteral("folder"));
    for (int b = 0; b < betas; ++b)
        for (int s = 1; s <= seeds; ++s) {
            RunRecord run = sample;
            run.config.beta = b;
            run.config.seed = std::uint64_t(s);
            run.report.mseF = 1e-3 * (b + 1);
            const QString folder = QStringLiteral("beta=%1_seed=%2").arg(b).arg(s);
            QString error;
            if (!writeRunFolder(dir + QLatin1Char('/') + folder, run, &error))
                return error;
            appendSweepRow(summary, knobs, {double(b)}, std::uint64_t(s), run.report, folder);
        }
    QFile file(dir + QStringLiteral("/summary.csv"));
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(renderTable(summary, TableFormat::Csv));
    return {};
}

void replaceInFile(const QString& path, const QByteArray& from, const QByteArray& to) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray data = file.readAll();
    file.close();
    QVERIFY(data.contains(from));
    data.replace(from, to);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(data);
}

} // namespace

Q_DECLARE_METATYPE(SweepEdit)

// The Sweep window's knob menus against the knobs --sweep accepts, each side computed.
void TestSweepDialog::knobListIsWhatSweepAccepts() {
    SweepDialog dialog(m_history.get());
    for (const QString& name : {QStringLiteral("knob1"), QStringLiteral("knob2")}) {
        const auto* combo = dialog.findChild<QComboBox*>(name);
        QVERIFY(combo);
        QSet<QString> offered;
        for (int i = 0; i < combo->count(); ++i)
            if (const int knob = combo->itemData(i).toInt(); knob >= 0)
                offered << QString::fromLatin1(knobInfo(Knob(knob)).key);
        // Every name the registry knows, tried as --sweep would read it.
        QSet<QString> accepted;
        for (const KnobInfo& k : knobRegistry())
            for (const char* knobName : {k.key, k.alias}) {
                if (!knobName)
                    continue;
                const std::string value = k.choices ? k.choices().front() : "1";
                std::string error;
                if (const auto axis = parseSweepAxis(std::string(knobName) + "=" + value, &error))
                    accepted << QString::fromLatin1(knobInfo(axis->knob).key);
            }
        QCOMPARE(offered, accepted);
        QVERIFY(offered.contains(QStringLiteral("schedule")));
        QVERIFY(offered.contains(QStringLiteral("sampling")));
    }
}

void TestSweepDialog::panelShapeReachesTheSweep_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("typed");
    QTest::addRow("width") << "width"
                           << "5";
    QTest::addRow("depth") << "depth"
                           << "3";
}

namespace {
// Types `text` over the panel field `field` of `window` and presses Enter, as a user would.
void typeIntoField(MainWindow& window, const QString& field, const QString& text) {
    auto* box = window.findChild<QSpinBox*>(field);
    QVERIFY2(box, qPrintable(field));
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, text);
    QTest::keyClick(box, Qt::Key_Return);
}
} // namespace

// Width and depth typed into the main window's panel are the base of the next sweep, also
// while another field of the panel has a problem: the Sweep window then lists it and waits,
// where it used to fall back to the reference experiment's 64x2 and run that.
void TestSweepDialog::panelShapeReachesTheSweep() {
    QFETCH(QString, key);
    QFETCH(QString, typed);
    MainWindow window;
    window.setConfig(tinyConfig());
    typeIntoField(window, QStringLiteral("n_val"),
                  QStringLiteral("0")); // a problem elsewhere in the panel
    SweepDialog* sweep = window.openSweepDialog();
    typeIntoField(window, key, typed);
    QCOMPARE(knobValue(sweep->baseConfig(), *knobFromName(key.toStdString())), typed.toDouble());
    QVERIFY(!sweep->problems().filter(QStringLiteral("Validation points")).isEmpty());
    sweep->setAxis(0, std::nullopt, QString());
    sweep->setSeeds(QStringLiteral("1"));
    QVERIFY(!sweep->start());

    typeIntoField(window, QStringLiteral("n_val"), QStringLiteral("16"));
    QCOMPARE(sweep->baseConfig(), window.config());
    QVERIFY2(sweep->problems().isEmpty(), qPrintable(sweep->problems().join('\n')));
    QSignalSpy finished(sweep, &SweepDialog::sweepFinished);
    QVERIFY(sweep->start());
    QVERIFY(waitFinished(finished));
    const StoredRun* run = window.runHistory()->find(sweep->runIds().value(0));
    QVERIFY(run);
    QCOMPARE(knobValue(run->record.config, *knobFromName(key.toStdString())), typed.toDouble());
}

// Width 32 and depth 3 typed into the panel while a sweep runs are the base of the next sweep:
// the running sweep keeps the knobs it started with, and the next one starts from the panel's.
void TestSweepDialog::shapeTypedDuringASweepReachesTheNext() {
    MainWindow window;
    window.setConfig(tinyConfig(limits::maxEpochs)); // runs until cancelled
    SweepDialog* sweep = window.openSweepDialog();
    sweep->setAxis(0, std::nullopt, QString());
    sweep->setAxis(1, std::nullopt, QString());
    sweep->setSeeds(QStringLiteral("1"));
    QVERIFY2(sweep->problems().isEmpty(), qPrintable(sweep->problems().join('\n')));
    QSignalSpy finished(sweep, &SweepDialog::sweepFinished);
    QVERIFY(sweep->start());
    QTRY_VERIFY(sweep->isRunning());
    typeIntoField(window, QStringLiteral("width"), QStringLiteral("32"));
    typeIntoField(window, QStringLiteral("depth"), QStringLiteral("3"));
    typeIntoField(window, QStringLiteral("epochs"), QStringLiteral("2"));
    QCOMPARE(window.config().width, 32);
    QCOMPARE(window.config().depth, 3);
    sweep->cancel();
    QVERIFY(waitFinished(finished));
    QCOMPARE(sweep->baseConfig(), window.config());

    finished.clear();
    QVERIFY2(sweep->problems().isEmpty(), qPrintable(sweep->problems().join('\n')));
    QVERIFY(sweep->start());
    QVERIFY(waitFinished(finished));
    QCOMPARE(finished.first().first().toBool(), false);
    const StoredRun* run = window.runHistory()->find(sweep->runIds().value(0));
    QVERIFY(run);
    QCOMPARE(run->record.config.width, 32);
    QCOMPARE(run->record.config.depth, 3);
    QCOMPARE(run->record.config.epochs, 2);
}

void TestSweepDialog::noisyFinalValuesNote_data() {
    QTest::addColumn<int>("schedule");
    QTest::addColumn<bool>("noisy");
    QTest::addRow("constant-rate Adam") << int(Schedule::Constant) << true;
    QTest::addRow("cosine schedule") << int(Schedule::Cosine) << false;
}

// A sweep of constant-rate Adam ranked by final errors says that those are noisy; the note's
// button shows the best-epoch errors (and asks the other views to), which hides it; a sweep
// with a schedule has no note.
void TestSweepDialog::noisyFinalValuesNote() {
    QFETCH(int, schedule);
    QFETCH(bool, noisy);
    SweepDialog dialog(m_history.get());
    TrainConfig base = tinyConfig(6);
    base.schedule = Schedule(schedule);
    dialog.setBaseConfig(base);
    dialog.setAxis(0, Knob::Beta, QStringLiteral("0, 1"));
    dialog.setAxis(1, std::nullopt, QString());
    dialog.setSeeds(QStringLiteral("1-2"));
    dialog.show();
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    NoisyFinalNote* note = dialog.noisyNote();
    QCOMPARE(note->isVisible(), noisy);
    if (!noisy)
        return;
    QVERIFY(note->plainText().contains(QStringLiteral("× from seed to seed")));
    QSignalSpy asked(&dialog, &SweepDialog::shownEpochRequested);
    auto* button = note->findChild<QPushButton*>(QStringLiteral("showBestEpoch"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(asked.count(), 1);
    QVERIFY(!note->isVisible());
    QVERIFY(dialog.table()
                ->model()
                ->headerData(2, Qt::Horizontal)
                .toString()
                .endsWith(QStringLiteral("(best epoch)")));
    dialog.setShownEpoch(ShownEpoch::Final);
    QVERIFY(note->isVisible());
}

// Export Report… of the Sweep window: the Markdown has every row of the table as shown, best
// epochs included, and the notes; the PDF has the figures drawn into it.
void TestSweepDialog::sweepReport() {
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(tinyConfig(6));
    dialog.setAxis(0, Knob::Beta, QStringLiteral("0, 1, 10"));
    dialog.setAxis(1, std::nullopt, QString());
    dialog.setSeeds(QStringLiteral("1-2"));
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    const DataTable table = dialog.reportTable();
    QCOMPARE(table.rows.size(), 6);
    QVERIFY(table.columns.contains(QStringLiteral("Best epoch")));
    QVERIFY(table.columns.contains(QStringLiteral("MSE f′ (best epoch)")));
    QTemporaryDir dir;
    keepImagesIfAsked(dir);
    const ReportTarget target{dir.filePath(QStringLiteral("sweep.pdf")), ReportPage::Letter, true,
                              QStringLiteral("sweep_files")};
    QString error;
    QVERIFY2(dialog.writeReport(target, QStringLiteral("Homework: β_opt ≈ 1 <- *why*?"), &error),
             qPrintable(error));
    QFile md(markdownPathFor(target.pdfPath));
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(md.readAll());
    QVERIFY2(text.contains(QStringLiteral("Homework: β\\_opt ≈ 1 \\<- \\*why\\*?")),
             qPrintable(text));
    const QString rows = QString::fromUtf8(
        renderTable(DataTable{{}, table.columns, table.rows}, TableFormat::Markdown, 3));
    for (const QString& line : rows.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(text.contains(line), qPrintable(line + "\n" + text));
    for (const char* name : {"tradeoff", "knob-mse-f", "knob-mse-fprime"})
        QVERIFY2(QFileInfo(dir.filePath(QStringLiteral("sweep_files/%1.svg").arg(name))).size() > 0,
                 name);
    bool skipped = false;
    const QString pdfText = testutil::popplerOutput(
        QStringLiteral("pdftotext"), {target.pdfPath, QStringLiteral("-")}, &skipped);
    if (skipped)
        QSKIP("pdftotext (poppler-utils) is not on the PATH");
    for (const char* words : {"Sobolev Workbench sweep", "Figure 3.", "β_opt"})
        QVERIFY2(pdfText.contains(QString::fromUtf8(words)), qPrintable(words + pdfText));
    QVERIFY2(QFileInfo(target.pdfPath).size() > 30000,
             qPrintable(QString::number(QFileInfo(target.pdfPath).size())));
}

void TestSweepDialog::mapTab() {
    SweepDialog dialog(m_history.get());
    dialog.setBaseConfig(tinyConfig());
    dialog.setAxis(0, Knob::Alpha, QStringLiteral("0.1, 1"));
    dialog.setAxis(1, Knob::Beta, QStringLiteral("1, 10"));
    dialog.setSeeds(QStringLiteral("1-2"));
    dialog.setThreads(2);
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(finished));
    dialog.resize(1400, 800);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* tabs = dialog.findChild<QTabWidget*>();
    QVERIFY(tabs);
    int mapIndex = -1;
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i).remove('&') == QStringLiteral("Map"))
            mapIndex = i;
    QVERIFY(mapIndex >= 0);
    tabs->setCurrentIndex(mapIndex);
    QTRY_VERIFY(dialog.mapChart()->isVisible());

    SweepMapChart* map = dialog.mapChart();
    QTRY_COMPARE(map->grid() ? map->grid()->cells.size() : 0, 4);
    QVERIFY(dialog.sliceChart()->isVisible());
    QCOMPARE(map->error(), MapError::H1);
    dialog.mapErrorBox()->setCurrentIndex(dialog.mapErrorBox()->findData(int(MapError::MseF)));
    QCOMPARE(map->error(), MapError::MseF);
    QVERIFY(map->chart()->title().contains(QStringLiteral("MSE f")));

    // A click on a cell opens its two seeds in the Compare window.
    QSignalSpy compare(&dialog, &SweepDialog::compareRequested);
    QChart* chart = map->chart();
    auto* view = qobject_cast<QChartView*>(chart->scene()->views().constFirst());
    const QPoint at = view->mapFromScene(
        chart->mapToScene(chart->mapToPosition({1, 10}, chart->series().constFirst())));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(compare.count(), 1);
    const QStringList ids = compare.first().first().toStringList();
    QCOMPARE(ids.size(), 2);
    for (const QString& id : ids) {
        const StoredRun* run = m_history->find(id);
        QVERIFY(run);
        QCOMPARE(run->record.config.alpha, 1.0);
        QCOMPARE(run->record.config.beta, 10.0);
    }

    // A sweep of one knob: the map's place says why there is none, and no slice.
    dialog.setAxis(1, std::nullopt, {});
    QSignalSpy again(&dialog, &SweepDialog::sweepFinished);
    QVERIFY(dialog.start());
    QVERIFY(waitFinished(again));
    QTRY_VERIFY(!map->grid());
    QVERIFY(map->whyNoMap().contains(QStringLiteral("two knobs")));
    QVERIFY(!dialog.sliceChart()->isVisible());
    bool reasonShown = false;
    for (QLabel* label : map->findChildren<QLabel*>())
        reasonShown |= label->isVisible() && label->text() == map->whyNoMap();
    QVERIFY(reasonShown);
}

void TestSweepDialog::openSweepFolder_data() {
    QTest::addColumn<int>("betas");
    QTest::addColumn<int>("seeds");
    QTest::addColumn<SweepEdit>("edit");
    QTest::addColumn<int>("shown");       // runs in the Sweep window; -1: refused
    QTest::addColumn<QString>("message"); // the refusal, or the problem named after opening
    const SweepEdit none = [](const QString&) {};
    QTest::addRow("2 β × 2 seeds") << 2 << 2 << none << 4 << "";
    // More than the loader copies at once: copied on its worker with a progress bar.
    QTest::addRow("5 β × 5 seeds, in the background") << 5 << 5 << none << 25 << "";
    QTest::addRow("a run folder missing") << 2 << 2 << SweepEdit([](const QString& dir) {
        QDir(dir + QStringLiteral("/beta=1_seed=2")).removeRecursively();
    }) << 3 << "beta=1_seed=2: listed in summary.csv but not there";
    QTest::addRow("a run folder damaged") << 2 << 2 << SweepEdit([](const QString& dir) {
        QFile::remove(dir + QStringLiteral("/beta=0_seed=1/history.csv"));
    }) << 3 << "beta=0_seed=1";
    QTest::addRow("no summary.csv") << 1 << 2 << SweepEdit([](const QString& dir) {
        QFile::remove(dir + QStringLiteral("/summary.csv"));
    }) << -1 << "no summary.csv";
    QTest::addRow("not a folder") << 1 << 1 << SweepEdit([](const QString& dir) {
        QDir(dir).removeRecursively();
    }) << -1 << "not a folder";
    QTest::addRow("an unknown knob") << 1 << 1 << SweepEdit([](const QString& dir) {
        replaceInFile(dir + QStringLiteral("/summary.csv"), "beta,seed", "gamma,seed");
    }) << -1 << "\"gamma\" is not a sweep knob";
    QTest::addRow("a run folder outside the sweep") << 1 << 1 << SweepEdit([](const QString& dir) {
        replaceInFile(dir + QStringLiteral("/summary.csv"), "beta=0_seed=1", "../elsewhere");
    }) << -1 << "line 2: \"../elsewhere\" is not the name of a run folder";
    QTest::addRow("a short row") << 1 << 2 << SweepEdit([](const QString& dir) {
        QFile file(dir + QStringLiteral("/summary.csv"));
        QVERIFY(file.open(QIODevice::Append));
        file.write("0,3\n");
    }) << -1 << "line 4: 2 cells";
    QTest::addRow("every run folder missing") << 1 << 2 << SweepEdit([](const QString& dir) {
        for (const char* f : {"beta=0_seed=1", "beta=0_seed=2"})
            QDir(dir + QLatin1Char('/') + f).removeRecursively();
    }) << -1 << "none of its 2 run folders";
}

// File ▸ Open Sweep: the folder's runs join the history (once) and the Sweep window shows
// them; a folder that is not a sweep is refused with a message naming what is wrong.
void TestSweepDialog::openSweepFolder() {
    QFETCH(int, betas);
    QFETCH(int, seeds);
    QFETCH(SweepEdit, edit);
    QFETCH(int, shown);
    QFETCH(QString, message);
    const QString dir = m_dir->filePath(QStringLiteral("sweep"));
    QVERIFY(QDir().mkpath(dir));
    QCOMPARE(writeSweepFolder(dir, betas, seeds), QString());
    edit(dir);
    if (QTest::currentTestFailed())
        return;
    MainWindow window;
    RunHistoryActions* actions = window.runHistoryActions();
    RunHistory* history = window.runHistory();
    const qsizetype before = history->runs().size();
    QSignalSpy opened(actions, &RunHistoryActions::sweepFolderOpened);
    QString error;
    const bool accepted = actions->openSweepFolder(dir, &error);
    if (shown < 0) {
        QVERIFY(!accepted);
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(history->runs().size(), before);
        return;
    }
    QVERIFY2(accepted, qPrintable(error));
    QVERIFY(waitFinished(opened));
    const QStringList problems = opened[0][1].toStringList();
    if (message.isEmpty())
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    else
        QVERIFY2(problems.join('\n').contains(message), qPrintable(problems.join('\n')));
    QCOMPARE(history->runs().size(), before + shown);
    QCOMPARE(window.runHistoryPanel()->model()->rowCount(), int(before + shown));
    const SweepView view = actions->sweepDialog()->sweepView();
    QCOMPARE(view.runs.size(), shown);
    QCOMPARE(view.knobs, std::vector<Knob>{Knob::Beta});
    QCOMPARE(actions->sweepDialog()->table()->model()->rowCount(), shown);
    QVERIFY(actions->sweepDialog()->isVisible());
    // The form describes the sweep, ready to run it again.
    QVERIFY2(actions->sweepDialog()->problems().isEmpty(),
             qPrintable(actions->sweepDialog()->problems().join('\n')));
    QCOMPARE(actions->sweepDialog()->baseConfig().epochs, sampleRuns()[0].config.epochs);
    // The knob values and errors come from the runs' own files.
    for (const SweepRunView& run : view.runs) {
        const StoredRun* stored = history->find(run.id);
        QVERIFY(stored);
        QCOMPARE(run.knobValues, std::vector<double>{stored->record.config.beta});
        QCOMPARE(run.report.mseF, 1e-3 * (stored->record.config.beta + 1));
        QVERIFY(stored->source.startsWith(QDir(dir).absolutePath()));
        // Opening a run reads its curves from the history's copy.
        QVERIFY(history->readRun(run.id).errors.isEmpty());
    }
    // Opened again: the same runs, not copies of them.
    opened.clear();
    QVERIFY2(actions->openSweepFolder(dir, &error), qPrintable(error));
    QVERIFY(waitFinished(opened));
    QCOMPARE(history->runs().size(), before + shown);
    QCOMPARE(actions->sweepDialog()->sweepView().runs.size(), shown);
}

QTEST_MAIN(TestSweepDialog)
#include "tst_sweepdialog.moc"
