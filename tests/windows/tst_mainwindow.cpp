// SPDX-License-Identifier: GPL-3.0-or-later
#include "baselineoverlay.h"
#include "baselinesdialog.h"
#include "comparisonview.h"
#include "comparisonwindow.h"
#include "configjson.h"
#include "core/train/trainer.h"
#include "helpdialogs.h"
#include "lambdachart.h"
#include "mainwindow.h"
#include "measuredfile.h"
#include "metricstable.h"
#include "panels/paneltestutil.h"
#include "parameterpanel.h"
#include "runcheckpoint.h"
#include "runhistory.h"
#include "runhistorypanel.h"
#include "runjournal.h"
#include "runtimeline.h"
#include "settings.h"
#include "testutil.h"
#include "trainingchart.h"
#include "translations.h"
#include "windows/windowtestutil.h"

#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>

#include <QAbstractSpinBox>
#include <QAction>
#include <QChart>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGraphicsView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolBar>
#include <QValueAxis>

using namespace sobolev;
using namespace sobolev::testutil;
using State = TrainingController::State;
Q_DECLARE_METATYPE(sobolev::KnobChange)

class TestMainWindow : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void firstScreenShowsTheTarget();
    void baselinesFollowTheSlider();
    void slowMotionIsAViewSetting();
    void slowMotionDoesNotCountAsTrainingTime();
    void batchSlowMotionRedrawsTheFitEveryBatch();
    void configRoundTripsThroughTheWindow();
    void invalidInputExplainsItself();
    void epochCounterFollowsThePanelBeforeARun();
    void trainRevealsTheFirstProblem_data();
    void trainRevealsTheFirstProblem();
    void trainWaitsForTheTargetCheck();
    void shortRunFillsChartsAndTable();
    void pauseStepStopReset();
    void falseStartIsKeptOnlyWhenAsked();
    void viewsFollowTheTargetAndTheNewestRun();
    void spaceNeverTypesIntoAField();
    void helpListsEveryShortcut();
    void f1ExplainsTheChartInView();
    void aboutNamesTheBuild();
    void pausedStatusAgreesEverywhere();
    void changedKnobStartsFreshRun();
    void betaChangedAtEpoch300ReplaysAndIsMarked();
    void lambdaChartShowsVaryingWeights();
    void liveChangeWhileRunning();
    void otherKnobWhilePausedAsksBeforeResume();
    void betaAfterResetMakesANewRun();
    void resumeKeepsTheRunsFieldsLocked();
    void exportReportNeedsARun();
    void closingMidRunAsks();
    void settingsRestoreLastConfig();
    void settingsAreSavedAsTheyChange();
    void finishedRunsPersistAcrossRestart();
    void killedRunReopensInterruptedAndResumesBitIdentically();
    void restartSaysARunWasInterrupted();
    void comparisonLabelsNameTheRunsNumbers();
    void newRunStartsFreshWhateverTheState();

  private:
    QTemporaryDir m_config;
};

namespace {
QString metricValue(MetricsTable* table, int row) {
    return table->item(row, 1)->text();
}
} // namespace

void TestMainWindow::initTestCase() {
    installTranslations(QCoreApplication::instance());
    // Keep the user's real settings out of the tests.
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", (m_config.path() + "/data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_mainwindow");
}

void TestMainWindow::firstScreenShowsTheTarget() {
    MainWindow w;
    QCOMPARE(w.config().gridPoints, TrainConfig{}.gridPoints); // a fresh start: the reference
    FitChart* fprime = w.fitChart(FitChart::Kind::Derivative);
    auto series = [](FitChart* chart) {
        return qobject_cast<QLineSeries*>(chart->chart()->series().at(0));
    };
    // Before any Train or Reset: the true f' on the whole grid, the network curve empty.
    const QList<QPointF> truth = series(fprime)->points();
    QCOMPARE(truth.size(), TrainConfig{}.gridPoints);
    QVERIFY(qobject_cast<QLineSeries*>(fprime->chart()->series().at(1))->points().isEmpty());
    double lo = 0, hi = 0;
    for (const QPointF& p : truth) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
    }
    QVERIFY2(lo < -3 && hi > 3, qPrintable(QString("%1 %2").arg(lo).arg(hi))); // Runge: ±3.25
    auto* axis = qobject_cast<QValueAxis*>(fprime->chart()->axes(Qt::Vertical).at(0));
    QVERIFY(axis);
    QVERIFY2(axis->min() <= lo && axis->max() >= hi,
             qPrintable(QString("%1..%2").arg(axis->min()).arg(axis->max())));
    QVERIFY(axis->min() > 2 * lo && axis->max() < 2 * hi); // fitted, not just wide
    QCOMPARE(series(w.fitChart(FitChart::Kind::Function))->points().size(), truth.size());

    // A knob that changes the data shows the new target at once.
    TrainConfig c = w.config();
    c.gridPoints = 101;
    w.setConfig(c);
    QTRY_COMPARE(series(fprime)->points().size(), 101);
    // A knob that does not leaves the charts as they are.
    const int redraws = fprime->redrawCount();
    c.width = 8;
    w.setConfig(c);
    QTest::qWait(100);
    QCOMPARE(fprime->redrawCount(), redraws);
}

void TestMainWindow::baselinesFollowTheSlider() {
    QSettings().remove(QStringLiteral("baselines"));
    auto named = [](FitChart* chart, const QString& name) -> QLineSeries* {
        for (QAbstractSeries* s : chart->chart()->series())
            if (s->name().startsWith(name))
                return qobject_cast<QLineSeries*>(s);
        return nullptr;
    };
    auto largest = [](const QLineSeries* series) {
        double m = 0;
        for (const QPointF& p : series->points())
            m = std::max(m, std::abs(p.y()));
        return m;
    };
    {
        MainWindow w;
        QVERIFY(w.baselines()->results().empty()); // none by default
        FitChart* f = w.fitChart(FitChart::Kind::Function);
        FitChart* errors = w.fitChart(FitChart::Kind::Error);
        const int plainSeries = int(f->chart()->series().size());
        BaselinesDialog* dialog = w.openBaselinesDialog();
        QVERIFY(dialog->isVisible());
        dialog->setN(10);
        dialog->setKindChecked(BaselineKind::Equispaced, true);
        dialog->setKindChecked(BaselineKind::Chebyshev, true);
        QCOMPARE(int(f->chart()->series().size()), plainSeries + 2);
        QLineSeries* equi = named(f, QStringLiteral("equi n=10"));
        QVERIFY(equi);
        QCOMPARE(equi->points().size(), TrainConfig{}.gridPoints);
        // Degree 10 at equispaced nodes: |p| reaches 1.92 + the target's ~0.04 near the ends.
        QVERIFY2(std::abs(largest(equi) - 1.96) < 0.05, qPrintable(QString::number(largest(equi))));
        QVERIFY(named(errors, QStringLiteral("cheb n=10")));
        QVERIFY(named(errors, QStringLiteral("equi n=10 (f′)")));
        // A column of legend entries on the right, one per baseline in the error chart.
        QCOMPARE(f->chart()->legend()->alignment(), Qt::AlignRight);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        int shownMarkers = 0;
        for (QLegendMarker* marker : errors->chart()->legend()->markers())
            shownMarkers += marker->isVisible() ? 1 : 0;
        QCOMPARE(shownMarkers, 2 + 2);
        // A column each in the metrics table, equispaced first.
        MetricsTable* table = w.metricsTable();
        QCOMPARE(table->columnCount(), 5);
        QCOMPARE(table->horizontalHeaderItem(4)->text(), QString("cheb n=10"));
        QVERIFY(std::abs(table->item(MetricsTable::MaxErrF, 3)->text().toDouble() - 1.916) < 1e-3);
        QVERIFY(std::abs(table->item(MetricsTable::MaxErrF, 4)->text().toDouble() - 0.1091) < 1e-4);

        // The slider to 20: equispaced blows up and is clipped on the f chart (whose range stays
        // that of the target), Chebyshev converges, and the error axis still shows both.
        dialog->setN(20);
        equi = named(f, QStringLiteral("equi n=20"));
        QVERIFY(equi);
        QVERIFY(equi->name().contains("clipped"));
        QVERIFY(largest(equi) > 59);
        auto* fAxis = qobject_cast<QValueAxis*>(f->chart()->axes(Qt::Vertical).at(0));
        QVERIFY2(fAxis->max() < 2, qPrintable(QString::number(fAxis->max())));
        QVERIFY(std::abs(table->item(MetricsTable::MaxErrF, 4)->text().toDouble() - 0.01533) <
                1e-4);
        auto* errorAxis = qobject_cast<QLogValueAxis*>(errors->chart()->axes(Qt::Vertical).at(0));
        QVERIFY(errorAxis);
        QVERIFY2(errorAxis->max() >= 59.8 && errorAxis->min() <= 1e-4,
                 qPrintable(QString("%1..%2").arg(errorAxis->min()).arg(errorAxis->max())));
        // Unchecking takes a baseline out of the charts and the table.
        dialog->setKindChecked(BaselineKind::Equispaced, false);
        QVERIFY(!named(f, QStringLiteral("equi ")));
        QCOMPARE(table->columnCount(), 4);
    }
    // The choice is kept for the next session.
    MainWindow again;
    QCOMPARE(again.baselines()->specs(),
             (std::vector<BaselineSpec>{{BaselineKind::Chebyshev, 20}}));
    QCOMPARE(again.metricsTable()->columnCount(), 4);
    QSettings().remove(QStringLiteral("baselines"));
}

void TestMainWindow::slowMotionIsAViewSetting() {
    const int fifty = int(MainWindow::slowMotionCaps().indexOf(50));
    QVERIFY(fifty > 0);
    {
        MainWindow w;
        w.show();
        QCOMPARE(w.slowMotionBox()->currentData().toInt(), 0); // full speed by default
        w.slowMotionBox()->setCurrentIndex(fifty);
        QCOMPARE(w.controller()->epochsPerSecondCap(), 50);
        w.close();
    }
    QCOMPARE(settings::epochsPerSecondCap().get(), 50);
    // Not a knob of the experiment: the saved config does not mention it.
    const QByteArray config = settings::lastConfig().get();
    QVERIFY(!config.isEmpty());
    QVERIFY(!config.contains("second") && !config.contains("slow"));
    MainWindow restored;
    restored.show();
    QCOMPARE(restored.slowMotionBox()->currentIndex(), fifty);
    QCOMPARE(restored.controller()->epochsPerSecondCap(), 50);
    // Batches a second, kept the same way.
    const int fiveBatches = restored.slowMotionBox()->findData(5, MainWindow::slowMotionBatchRole);
    QVERIFY(fiveBatches > fifty);
    restored.slowMotionBox()->setCurrentIndex(fiveBatches);
    QCOMPARE(restored.controller()->batchesPerSecondCap(), 5);
    QCOMPARE(restored.controller()->epochsPerSecondCap(), 0);
    restored.close();
    QCOMPARE(settings::batchesPerSecondCap().get(), 5);
    MainWindow again;
    again.show();
    QCOMPARE(again.slowMotionBox()->currentIndex(), fiveBatches);
    QCOMPARE(again.controller()->batchesPerSecondCap(), 5);
    again.slowMotionBox()->setCurrentIndex(0);
    QCOMPARE(again.controller()->batchesPerSecondCap(), 0);
    again.close(); // the later tests train at full speed
}

// In slow motion the worker waits between epochs: the metrics' "training time" is the
// trainer's, during the run as at its end, never the wall time with the waits.
void TestMainWindow::slowMotionDoesNotCountAsTrainingTime() {
    MainWindow w;
    w.show();
    w.slowMotionBox()->setCurrentIndex(int(MainWindow::slowMotionCaps().indexOf(50)));
    w.setConfig(tinyConfig(25)); // half a second of waits, milliseconds of training
    double largestShown = 0;
    QTimer watch;
    connect(&watch, &QTimer::timeout, [&] {
        const QString text = metricValue(w.metricsTable(), MetricsTable::TrainTime);
        largestShown = std::max(largestShown, text.section(' ', 0, 0).toDouble());
    });
    watch.start(10);
    w.train();
    QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), TrainingController::State::Finished, 60'000);
    watch.stop();
    const double trained = w.controller()->report()->trainSeconds;
    QVERIFY2(largestShown <= trained + 0.005,
             qPrintable(QStringLiteral("shown %1 s, trained %2 s").arg(largestShown).arg(trained)));
    w.slowMotionBox()->setCurrentIndex(0);
}

// Slow motion in batches: the f chart shows the network after every batch, not per frame.
void TestMainWindow::batchSlowMotionRedrawsTheFitEveryBatch() {
    MainWindow w;
    w.show();
    const TrainConfig config = smallConfig(2);
    w.setConfig(config);
    QList<std::pair<int, int>> drawn; // (epoch, batch) of the network each redraw showed
    connect(w.fitChart(FitChart::Kind::Function), &FitChart::redrawn, &w, [&] {
        if (w.controller()->predictionsBatch() > 0)
            drawn.append({w.controller()->predictionsEpoch(), w.controller()->predictionsBatch()});
    });
    // The menu's caps are 2 to 10 a second; the same path, faster, for a test.
    w.controller()->setBatchesPerSecondCap(200);
    w.train();
    QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), TrainingController::State::Finished, 60'000);
    QList<std::pair<int, int>> expected;
    for (int epoch = 1; epoch <= config.epochs; ++epoch)
        for (int batch = 1; batch < batchesPerEpoch(config); ++batch)
            expected.append({epoch, batch});
    QCOMPARE(drawn, expected);
    w.controller()->setBatchesPerSecondCap(0);
}

void TestMainWindow::configRoundTripsThroughTheWindow() {
    MainWindow w;
    TrainConfig c = smallConfig();
    c.activation = Activation::Sin;
    c.alpha = 0.25;
    c.beta = 8;
    c.learningRate = 3e-3;
    c.seed = 987654321987654321ULL;
    c.depth = 3;
    w.setConfig(c);
    QVERIFY(w.config() == c);
}

// An invalid field has its message under it and in the status bar, which goes back to what it
// said once the field is fixed. Train stays enabled and, pressed, starts nothing.
void TestMainWindow::invalidInputExplainsItself() {
    MainWindow w;
    w.show();
    const QString ready = w.statusBar()->currentMessage();
    TrainConfig c = smallConfig();
    c.target = "1/x"; // undefined at x = 0
    w.setConfig(c);
    QVERIFY(testutil::waitForTargetCheck(*w.parameterPanel()));
    auto* message = w.parameterPanel()->findChild<QLabel*>("target_message");
    QVERIFY(message);
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains("undefined at x = 0", Qt::CaseInsensitive),
             qPrintable(message->text()));
    QVERIFY2(w.statusBar()->currentMessage().startsWith("Not ready: Target: "),
             qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(w.trainAction()->isEnabled());
    w.train(); // refused with a message, no run
    QVERIFY(!w.controller()->hasRun());
    QVERIFY2(w.statusBar()->currentMessage().startsWith("Cannot train: Target: "),
             qPrintable(w.statusBar()->currentMessage()));
    w.setConfig(smallConfig());
    QVERIFY(testutil::waitForTargetCheck(*w.parameterPanel()));
    QVERIFY(!message->isVisible());
    QVERIFY(w.trainAction()->isEnabled());
    QCOMPARE(w.statusBar()->currentMessage(), ready);
    // A newer message (here a run's) is not replaced when the form is valid again.
    auto* rate = w.parameterPanel()->findChild<QAbstractSpinBox*>("learning_rate");
    rate->selectAll();
    QTest::keyClicks(rate, "5");
    QVERIFY2(w.statusBar()->currentMessage().startsWith("Not ready: Learning rate: "),
             qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(w.findChild<QLabel*>("learning_rate_message")->isVisible());
    w.statusBar()->showMessage("Finished");
    rate->selectAll();
    QTest::keyClicks(rate, "1");
    QVERIFY(w.parameterPanel()->isValid());
    QCOMPARE(w.statusBar()->currentMessage(), QString("Finished"));
}

// Ctrl+R on an invalid form scrolled far from the invalid field: the panel scrolls to it, the
// field takes the focus, and the status bar says what is wrong.
void TestMainWindow::epochCounterFollowsThePanelBeforeARun() {
    MainWindow w;
    auto* counter = w.findChild<QLabel*>("epochLabel");
    QVERIFY(counter);
    TrainConfig c = smallConfig(3000);
    w.setConfig(c);
    QCOMPARE(counter->text(), QString("epoch 0 / 3000"));
    c.epochs = 40;
    w.setConfig(c);
    QCOMPARE(counter->text(), QString("epoch 0 / 40"));
}

void TestMainWindow::trainRevealsTheFirstProblem_data() {
    QTest::addColumn<QKeySequence>("keys");
    QTest::newRow("Train (Ctrl+R)") << QKeySequence(Qt::CTRL | Qt::Key_R);
    QTest::newRow("New Run (Ctrl+N)") << QKeySequence(QKeySequence::New);
}

void TestMainWindow::trainRevealsTheFirstProblem() {
    QFETCH(QKeySequence, keys);
    MainWindow w;
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.setConfig(smallConfig());
    ParameterPanel* panel = w.parameterPanel();
    auto* epsilon = panel->findChild<QAbstractSpinBox*>("adam_epsilon");
    QVERIFY(epsilon);
    epsilon->selectAll();
    QTest::keyClicks(epsilon, "abc");
    QVERIFY(!panel->isValid());
    auto* area = qobject_cast<QScrollArea*>(panel->parentWidget()->parentWidget());
    QVERIFY(area);
    const auto inView = [&](QWidget* widget) {
        const QRect shown(widget->mapTo(area->viewport(), QPoint(0, 0)), widget->size());
        return area->viewport()->rect().contains(shown);
    };
    auto* alpha = panel->findChild<QWidget*>("alpha");
    alpha->setFocus();
    area->ensureWidgetVisible(alpha);
    QTRY_VERIFY(!inView(epsilon)); // the form is taller than the dock
    QTest::keySequence(alpha, keys);
    QVERIFY(!w.controller()->hasRun());
    QTRY_VERIFY(inView(epsilon));
    QVERIFY(inView(panel->findChild<QLabel*>("adam_epsilon_message")));
    QVERIFY(epsilon->hasFocus() || epsilon->isAncestorOf(QApplication::focusWidget()));
    QVERIFY2(w.statusBar()->currentMessage().contains("Adam ε: must be"),
             qPrintable(w.statusBar()->currentMessage()));
}

// Train pressed while a typed target is being checked starts the run when the check says the
// target is fine, and says why not otherwise.
void TestMainWindow::trainWaitsForTheTargetCheck() {
    MainWindow w;
    w.show();
    TrainConfig c = smallConfig(1);
    c.nTrain = c.nVal = c.gridPoints = limits::maxSamples; // a check of about a second
    c.batchSize = limits::maxSamples;
    c.target = "exp(sin(exp(sin(x))))";
    w.setConfig(c);
    QCOMPARE(w.parameterPanel()->verdict(), ParameterPanel::Verdict::Checking);
    QVERIFY(w.trainAction()->isEnabled());
    w.train();
    QVERIFY(!w.controller()->hasRun());
    QVERIFY2(w.statusBar()->currentMessage().contains("Checking the target"),
             qPrintable(w.statusBar()->currentMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->hasRun(), 60'000);
    QCOMPARE(w.controller()->config().target, c.target);
    QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), TrainingController::State::Finished, 60'000);

    c.target = "log(x - 0.5) + sin(exp(sin(x)))"; // undefined below x = 0.5
    w.setConfig(c);
    QCOMPARE(w.parameterPanel()->verdict(), ParameterPanel::Verdict::Checking);
    w.train();
    QVERIFY(testutil::waitForTargetCheck(*w.parameterPanel()));
    QVERIFY(w.trainAction()->isEnabled()); // pressed again, it would say why
    QVERIFY2(w.statusBar()->currentMessage().startsWith("Not started: Target: f(x) is undefined"),
             qPrintable(w.statusBar()->currentMessage()));
    QCOMPARE(w.controller()->config().target, std::string("exp(sin(exp(sin(x))))"));
}

void TestMainWindow::shortRunFillsChartsAndTable() {
    MainWindow w;
    w.show();
    const TrainConfig c = smallConfig();
    w.setConfig(c);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.trainAction()->trigger();
    QVERIFY(finished.wait(60000));

    // The charts draw at their next frame: wait for what they show, not for a time.
    QTRY_COMPARE_WITH_TIMEOUT(w.trainingChart()->storedEpochs(), c.epochs, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.trainingChart()->drawnPointCount() > 0, 30000);
    for (auto kind :
         {FitChart::Kind::Function, FitChart::Kind::Derivative, FitChart::Kind::Error}) {
        const auto series = w.fitChart(kind)->chart()->series();
        QVERIFY(!series.isEmpty());
        auto* line = qobject_cast<QLineSeries*>(series.first());
        QVERIFY(line);
        QTRY_COMPARE_WITH_TIMEOUT(line->count(), c.gridPoints, 30000);
    }

    Trainer core(c);
    core.trainAll();
    const FitReport r = core.report();
    MetricsTable* table = w.metricsTable();
    QCOMPARE(metricValue(table, MetricsTable::MseF), QString::number(r.mseF, 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::MseFprime), QString::number(r.mseFprime, 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::H1), QString::number(r.h1(), 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::MaxErrF), QString::number(r.maxErrF, 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::MaxErrFprime),
             QString::number(r.maxErrFprime, 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::RelL2F), QString::number(r.relL2F, 'e', 3));
    QCOMPARE(metricValue(table, MetricsTable::EpochsRun), QString::number(c.epochs));

    table->setFocus();
    table->clearSelection();
    QTest::keySequence(table, QKeySequence::Copy);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains("MSE f\t" + QString::number(r.mseF, 'e', 3)), qPrintable(copied));
}

void TestMainWindow::pauseStepStopReset() {
    MainWindow w;
    w.show();
    w.setConfig(smallConfig(100000));
    TrainingController* c = w.controller();
    w.train();
    QTRY_VERIFY(c->epochsDone() >= 2);
    // While running only α, β and the learning rate can be edited (live changes).
    const auto field = [&](const char* key) {
        return w.parameterPanel()->findChild<QWidget*>(key);
    };
    QVERIFY(!field("width")->isEnabled());
    QVERIFY(!field("seed")->isEnabled());
    emit qobject_cast<QAbstractSpinBox*>(field("beta"))->editingFinished(); // an edit re-checks
    QVERIFY(!field("target_param")->isEnabled());
    QVERIFY(field("beta")->isEnabled() && field("learning_rate")->isEnabled());
    w.togglePause();
    QTRY_COMPARE(c->state(), State::Paused);
    QVERIFY(field("width")->isEnabled() && field("seed")->isEnabled());
    const int paused = c->epochsDone();
    w.step();
    QTRY_COMPARE(c->epochsDone(), paused + 1);
    QTRY_COMPARE(c->state(), State::Paused);
    w.resetRun();
    QTRY_COMPARE(c->epochsDone(), 0);
    QCOMPARE(w.trainingChart()->storedEpochs(), 0);
    w.togglePause(); // resume from the initial weights
    QTRY_VERIFY(c->epochsDone() >= 1);
    w.stop();
    QTRY_COMPARE(c->state(), State::Finished);
    QCOMPARE(c->report()->stopReason, StopReason::Stopped);
    QVERIFY(w.statusBar()->currentMessage().contains("Stopped at epoch"));
}

void TestMainWindow::falseStartIsKeptOnlyWhenAsked() {
    MainWindow w;
    w.show();
    w.setConfig(smallConfig(100000));
    const qsizetype before = w.runHistory()->runs().size();
    w.train();
    QTRY_VERIFY(w.controller()->epochsDone() >= 2);
    w.stop();
    QTRY_COMPARE(w.controller()->state(), State::Finished);
    QCOMPARE(w.runHistory()->runs().size(), before);
    QVERIFY2(w.statusBar()->currentMessage().contains("not kept"),
             qPrintable(w.statusBar()->currentMessage()));
    QAction* keep = nullptr;
    for (QAction* action : w.findChildren<QAction*>())
        if (action->text() == "&Keep Stopped Run")
            keep = action;
    QVERIFY(keep && keep->isEnabled());
    keep->trigger();
    QCOMPARE(w.runHistory()->runs().size(), before + 1);
    QVERIFY(!keep->isEnabled());
    QVERIFY2(w.statusBar()->currentMessage().contains("stopped at epoch"),
             qPrintable(w.statusBar()->currentMessage()));
}

// A finished run's loss and errors are not shown beside another target, the metrics' header
// follows the data, and the Runs list selects the run just finished.
void TestMainWindow::viewsFollowTheTargetAndTheNewestRun() {
    MainWindow w;
    w.show();
    TrainConfig c = tinyConfig(20);
    for (int run = 0; run < 2; ++run) {
        w.setConfig(c);
        w.train();
        QTRY_COMPARE(w.controller()->state(), State::Finished);
        const QStringList selected = w.runHistoryPanel()->selectedIds();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(w.runHistory()->runs().constLast().id, selected.constFirst());
        c.seed += 1;
    }
    QVERIFY(w.trainingChart()->storedEpochs() > 0);
    QVERIFY(metricValue(w.metricsTable(), MetricsTable::MseF) != "–");
    c.target = "tanh";
    w.setConfig(c);
    QCOMPARE(w.trainingChart()->storedEpochs(), 0);
    QCOMPARE(metricValue(w.metricsTable(), MetricsTable::MseF), QString("–"));

    QTemporaryDir dir;
    QFile csv(dir.filePath("data.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("x,f\n0,1\n0.5,2\n1,0\n1.5,1\n");
    csv.close();
    TrainConfig data = c;
    data.data = csv.fileName().toStdString();
    QVERIFY(loadMeasuredData(data, {}, {}).isEmpty());
    w.setConfig(data);
    w.train();
    QTRY_COMPARE(w.controller()->state(), State::Finished);
    QCOMPARE(w.metricsTable()->horizontalHeaderItem(0)->text(), QString("Metric (training data)"));
    w.setConfig(c); // back to the target
    QCOMPARE(w.metricsTable()->horizontalHeaderItem(0)->text(), QString("Metric (test grid)"));
}

void TestMainWindow::pausedStatusAgreesEverywhere() {
    MainWindow w;
    w.show();
    w.setConfig(tinyConfig(1000000)); // many epochs a frame: some are on their way at Pause
    TrainingController* c = w.controller();
    auto* counter = w.findChild<QProgressBar*>();
    QVERIFY(counter);
    for (int round = 0; round < 3; ++round) {
        w.train();
        QTRY_COMPARE(c->state(), State::Running);
        QTRY_VERIFY(c->epochsDone() >= 20 * (round + 1));
        w.togglePause();
        QTRY_COMPARE(c->state(), State::Paused);
        const int epoch = c->epochsDone();
        // The status bar, the epoch counter and the metrics table name the same epoch.
        QCOMPARE(w.statusBar()->currentMessage(), QString("Paused at epoch %1").arg(epoch));
        QCOMPARE(counter->value(), epoch);
        QCOMPARE(metricValue(w.metricsTable(), MetricsTable::EpochsRun), QString::number(epoch));
        QCOMPARE(metricValue(w.metricsTable(), MetricsTable::StopReasonRow), QString("paused"));
        // Resuming replaces the message, and the table says it runs again.
        w.togglePause();
        QTRY_COMPARE(c->state(), State::Running);
        QVERIFY2(!w.statusBar()->currentMessage().contains("Paused"),
                 qPrintable(w.statusBar()->currentMessage()));
        QTRY_COMPARE(metricValue(w.metricsTable(), MetricsTable::StopReasonRow),
                     QString("running"));
        w.togglePause();
        QTRY_COMPARE(c->state(), State::Paused);
    }
    w.stop();
    QTRY_COMPARE(c->state(), State::Finished);
}

void TestMainWindow::helpListsEveryShortcut() {
    MainWindow w;
    w.show();
    const QList<ShortcutRow> rows = shortcutRows(&w);
    // Every action of the window that has a shortcut is listed, with its keys.
    QStringList keys;
    for (const QAction* action : w.findChildren<QAction*>())
        for (const QKeySequence& sequence : action->shortcuts()) {
            const ShortcutRow row{QString(action->text()).remove('&'),
                                  sequence.toString(QKeySequence::NativeText)};
            QVERIFY2(rows.contains(row), qPrintable(row.action + ": " + row.keys));
            keys << row.keys;
        }
    // (Standard keys such as Quit depend on the platform; these are the window's own.)
    for (const char* expected : {"Space", "Ctrl+R", "Ctrl+T", "Esc", "Ctrl+Shift+R", "Ctrl+G",
                                 "Ctrl+Shift+O", "Ctrl+E", "Ctrl+Shift+W", "F2"})
        QVERIFY2(keys.contains(expected), expected);
    QVERIFY(std::any_of(rows.begin(), rows.end(),
                        [](const ShortcutRow& row) { return row.keys == "Ctrl+C"; }));
    // The charts' own keys: pan, zoom in and out, reset the zoom.
    for (const char* chartKeys : {"Left, Right, Up, Down", "+, =", "-", "0"})
        QVERIFY2(std::any_of(rows.begin(), rows.end(),
                             [&](const ShortcutRow& row) {
                                 return row.keys == chartKeys && row.action.startsWith("Chart:");
                             }),
                 chartKeys);
    // Help ▸ Keyboard Shortcuts shows them all.
    QAction* item = nullptr;
    for (QAction* menu : w.menuBar()->actions())
        for (QAction* action : menu->menu()->actions())
            if (action->text().remove('&') == "Keyboard Shortcuts")
                item = action;
    QVERIFY(item);
    item->trigger();
    auto* dialog = w.findChild<ShortcutsDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto* table = dialog->findChild<QTableWidget*>("shortcutsTable");
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(rows.size()));
    for (int r = 0; r < table->rowCount(); ++r)
        QCOMPARE(table->item(r, 1)->text(), rows[r].keys);
}

// F1 opens "What am I seeing?" on the chart under the mouse, else on the one with the focus;
// each chart's help names its curves as its legend does, and its axes.
void TestMainWindow::f1ExplainsTheChartInView() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QAction* item = nullptr;
    for (QAction* menu : w.menuBar()->actions())
        for (QAction* action : menu->menu()->actions())
            if (action->text().remove('&') == "What Am I Seeing?")
                item = action;
    QVERIFY(item);
    QCOMPARE(item->shortcut(), QKeySequence(QKeySequence::HelpContents));

    // The focus in the loss chart, the mouse over the status bar.
    QCursor::setPos(w.statusBar()->mapToGlobal(w.statusBar()->rect().center()));
    auto* lossView = w.trainingChart()->findChild<QGraphicsView*>();
    QVERIFY(lossView);
    lossView->setFocus();
    QTRY_VERIFY(lossView->hasFocus());
    QTest::keyClick(lossView, Qt::Key_F1);
    auto* dialog = w.findChild<ChartHelpDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->topic(), ChartTopic::Loss);
    QVERIFY2(dialog->shownText().contains("band is the train loss"),
             qPrintable(dialog->shownText()));

    // The mouse over the error chart wins over the focus; the dialog closed meanwhile opens
    // again.
    dialog->close();
    FitChart* errors = w.fitChart(FitChart::Kind::Error);
    QCursor::setPos(errors->mapToGlobal(errors->rect().center()));
    QTRY_COMPARE(QApplication::widgetAt(QCursor::pos())->window(), &w);
    w.activateWindow();
    QTRY_VERIFY(lossView->hasFocus());
    QTest::keyClick(lossView, Qt::Key_F1);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->topic(), ChartTopic::Error);

    // Every chart's help names what its legend shows, and its axes.
    const QList<std::pair<ChartTopic, QStringList>> named = {
        {ChartTopic::Function, {"true f", "network f", "Across is x"}},
        {ChartTopic::Derivative, {"true f′", "network ∂xfθ", "Across is x"}},
        {ChartTopic::Loss, {"train loss", "train MSE f", "train MSE f′", "Across is the epoch"}},
        {ChartTopic::Error, {"|f − fθ|", "|f′ − ∂xfθ|", "log scale"}},
        {ChartTopic::Lambda, {"β/α", "Across is the epoch", "log scale", "balancing rule"}}};
    QCOMPARE(named.size(), chartTopics().size());
    for (const auto& [topic, words] : named) {
        dialog->showTopic(topic);
        for (const QString& word : words)
            QVERIFY2(dialog->shownText().contains(word), qPrintable(word));
    }
}

void TestMainWindow::aboutNamesTheBuild() {
    const QString about = aboutText();
    QVERIFY2(QRegularExpression("Sobolev Workbench \\d+\\.\\d+\\.\\d+").match(about).hasMatch(),
             qPrintable(about));
    QVERIFY2(about.contains(QString("Qt ") + qVersion()), qPrintable(about));
    QVERIFY2(QRegularExpression("Eigen 3\\.\\d+\\.\\d+").match(about).hasMatch(),
             qPrintable(about));
    QVERIFY2(about.contains("GCC ") || about.contains("Clang "), qPrintable(about));
    QVERIFY2(about.contains("native") != about.contains("portable"), qPrintable(about));
}

void TestMainWindow::spaceNeverTypesIntoAField() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.setConfig(smallConfig(100000));
    auto* rate = w.parameterPanel()->findChild<QAbstractSpinBox*>("learning_rate");
    auto* seed = w.parameterPanel()->findChild<QLineEdit*>("seed");
    QVERIFY(rate && seed);
    // Idle, Pause disabled: Space in a field (the whole text selected, as after Tab) does nothing.
    for (QWidget* field : {static_cast<QWidget*>(rate), static_cast<QWidget*>(seed)}) {
        field->setFocus();
        QTRY_VERIFY(field->hasFocus());
        const QString before = field == rate ? rate->text() : seed->text();
        if (field == rate)
            rate->selectAll();
        else
            seed->selectAll();
        QTest::keyClick(field, Qt::Key_Space);
        QCOMPARE(field == rate ? rate->text() : seed->text(), before);
        QVERIFY(w.trainAction()->isEnabled());
        QCOMPARE(w.controller()->state(), State::Idle);
    }
    // Paused: Space in the field resumes, as anywhere else in the window.
    TrainingController* c = w.controller();
    w.train();
    QTRY_VERIFY(c->epochsDone() >= 2);
    w.togglePause();
    QTRY_COMPARE(c->state(), State::Paused);
    rate->setFocus();
    QTRY_VERIFY(rate->hasFocus());
    rate->selectAll();
    QTest::keyClick(rate, Qt::Key_Space);
    QCOMPARE(c->state(), State::Running);
    QCOMPARE(rate->text(), QString("0.001"));
    w.stop();
    QTRY_COMPARE(c->state(), State::Finished);
}

void TestMainWindow::changedKnobStartsFreshRun() {
    MainWindow w;
    w.show();
    TrainConfig c = smallConfig(100000);
    w.setConfig(c);
    TrainingController* ctl = w.controller();
    w.train();
    QTRY_VERIFY(ctl->epochsDone() >= 2);
    w.togglePause();
    QTRY_COMPARE(ctl->state(), State::Paused);
    const int before = ctl->epochsDone();
    QVERIFY(w.trainingChart()->storedEpochs() > 0 || before > 0); // previous run stays in view
    // Width needs a new run; β alone would be a live change of the paused run.
    c.width = 8;
    c.beta = 5;
    w.setConfig(c);
    QVERIFY2(w.statusBar()->currentMessage().contains("needs a new run"),
             qPrintable(w.statusBar()->currentMessage()));
    QSignalSpy started(ctl, &TrainingController::runStarted);
    w.train();
    QCOMPARE(started.count(), 1);
    QCOMPARE(ctl->config().width, 8);
    QCOMPARE(ctl->config().beta, 5.0);
    w.stop();
    QTRY_COMPARE(ctl->state(), State::Finished);
}

// β changed in the window while the run is paused after epoch 299 applies from
// epoch 300 on; the stored run says so, replays to the bit from its config.json, equals the
// headless `--change 300:beta=10`, and the loss chart marks the change.
void TestMainWindow::betaChangedAtEpoch300ReplaysAndIsMarked() {
    MainWindow w;
    w.show();
    TrainConfig c = tinyConfig(400);
    w.setConfig(c);
    TrainingController* ctl = w.controller();
    // Slow motion (50 epochs a second) so that the pause lands before epoch 299; Step then
    // finishes epochs one at a time up to the end of 299.
    w.slowMotionBox()->setCurrentIndex(int(MainWindow::slowMotionCaps().indexOf(50)));
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->epochsDone() >= 240, 120000);
    w.togglePause();
    QTRY_COMPARE_WITH_TIMEOUT(ctl->state(), State::Paused, 30000);
    QVERIFY2(ctl->epochsDone() < 299, qPrintable(QString::number(ctl->epochsDone())));
    w.slowMotionBox()->setCurrentIndex(0);
    while (ctl->epochsDone() < 299) {
        const int before = ctl->epochsDone();
        w.step();
        QTRY_VERIFY_WITH_TIMEOUT(ctl->epochsDone() == before + 1 && ctl->state() == State::Paused,
                                 30000);
    }
    auto* beta = w.parameterPanel()->findChild<QDoubleSpinBox*>("beta");
    QVERIFY(beta && beta->isEnabled());
    beta->setValue(10);
    QVERIFY2(w.statusBar()->currentMessage().contains("β 1 → 10"),
             qPrintable(w.statusBar()->currentMessage()));
    QSignalSpy finished(ctl, &TrainingController::runFinished);
    w.togglePause(); // Resume: the change applies to the paused run, not a new one
    QVERIFY(finished.wait(120000));
    const std::vector<KnobChange> expected{{300, 1, Knob::Beta, 10}};
    QCOMPARE(ctl->config().changes, expected);
    QCOMPARE(ctl->config().beta, 1.0);
    QCOMPARE(w.trainingChart()->changeLabels(), QStringList{"β 1 → 10"});

    // The stored run, read back from disk: its config and its name carry the change.
    MainWindow again;
    const StoredRun& stored = again.runHistory()->runs().constLast();
    QCOMPARE(stored.record.config.changes, expected);
    QVERIFY2(stored.name.contains("β 1→10 @300"), qPrintable(stored.name));
    Trainer replay(stored.record.config);
    replay.trainAll();
    const QList<EpochMetrics> live = ctl->history();
    QVERIFY(sameHistory({live.begin(), live.end()}, replay.history()));
    // What `--headless --change 300:beta=10` trains: the same config, so the same run.
    TrainConfig headless = c;
    headless.changes = expected;
    QCOMPARE(stored.record.config, headless);
    // Without the change the run is another one from epoch 300 on.
    Trainer plain(c);
    plain.trainAll();
    QVERIFY(sameHistory({live.begin(), live.begin() + 299},
                        {plain.history().begin(), plain.history().begin() + 299}));
    QVERIFY(!sameHistory({live.begin(), live.begin() + 300},
                         {plain.history().begin(), plain.history().begin() + 300}));
}

// λ(t) under the loss chart: shown for a run whose weights change, drawn as it trains and
// marking a replayed step as the loss chart does; hidden for constant weights, and when the
// View menu says so, which is kept.
void TestMainWindow::lambdaChartShowsVaryingWeights() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    LambdaChart* lambda = w.lambdaChart();
    QVERIFY(lambda && w.lambdaAction()->isChecked());
    TrainConfig c = tinyConfig(40);
    c.snapshots = 10;
    w.setConfig(c);
    QVERIFY(!lambda->isVisible());
    c.changes = {{20, 1, Knob::Beta, 10}, {30, 1, Knob::Alpha, 4}};
    w.setConfig(c); // a planned change: the chart is there to watch it happen
    QVERIFY(lambda->isVisible());
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.train();
    QVERIFY(finished.wait(120000));
    lambda->redrawNow();
    const QList<QPointF> curve = lambda->curves().value(0);
    QCOMPARE(curve.size(), 40);
    QCOMPARE(curve[18], QPointF(19, 1));
    QCOMPARE(curve[19], QPointF(20, 10));
    QCOMPARE(curve.constLast(), QPointF(40, 2.5));
    // The same epochs as the loss chart, one over the other.
    auto* lossX = qobject_cast<QValueAxis*>(w.trainingChart()->chart()->axes(Qt::Horizontal)[0]);
    QCOMPARE(lambda->epochAxis()->max(), lossX->max());
    // A replayed step is marked in both.
    QTRY_VERIFY(w.timeline()->stepCount() > 2);
    w.timeline()->setStep(1);
    QVERIFY(w.trainingChart()->stepMark());
    QCOMPARE(lambda->stepMark(), w.trainingChart()->stepMark());

    const std::vector<KnobChange> varying = std::exchange(c.changes, {});
    w.setConfig(c);
    w.newRun();
    QVERIFY(finished.wait(120000));
    QVERIFY(!lambda->isVisible());

    // The varying run again, from the Runs list; then switched off in the View menu.
    QString varyingId;
    for (const StoredRun& run : w.runHistory()->runs())
        if (run.record.config.changes == varying)
            varyingId = run.id;
    QVERIFY(w.reopenRun(varyingId));
    QVERIFY(lambda->isVisible());
    QCOMPARE(lambda->curves().value(0).size(), 40);
    w.lambdaAction()->trigger();
    QVERIFY(!lambda->isVisible());
    w.close();
    QCOMPARE(settings::showLambdaChart().get(), false);
    MainWindow again;
    QVERIFY(!again.lambdaAction()->isChecked());
    again.lambdaAction()->trigger();
    again.close();
}

// While the run trains, α, β and the rate stay editable; a finished edit changes the run at the
// batch the worker is at, and the run's config records exactly that place.
void TestMainWindow::liveChangeWhileRunning() {
    MainWindow w;
    w.show();
    TrainConfig c = smallConfig(100000);
    w.setConfig(c);
    TrainingController* ctl = w.controller();
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->epochsDone() >= 3, 60000);
    auto* panel = w.parameterPanel();
    auto* beta = panel->findChild<QDoubleSpinBox*>("beta");
    QVERIFY(beta->isEnabled());
    QVERIFY(!panel->findChild<QSpinBox*>("width")->isEnabled());
    QSignalSpy changed(ctl, &TrainingController::knobChanged);
    beta->setValue(0.5);
    QCOMPARE(changed.count(), 0); // not finished yet
    emit beta->editingFinished();
    QVERIFY(changed.wait(30000));
    const KnobChange change = changed.at(0).at(0).value<KnobChange>();
    QCOMPARE(change.knob, Knob::Beta);
    QCOMPARE(change.value, 0.5);
    QVERIFY(change.epoch >= 4);
    QCOMPARE(ctl->config().changes, std::vector<KnobChange>{change});
    QVERIFY2(w.statusBar()->currentMessage().contains("β 1 → 0.5 from epoch"),
             qPrintable(w.statusBar()->currentMessage()));
    w.togglePause();
    QTRY_COMPARE(ctl->state(), State::Paused);
    QCOMPARE(w.trainingChart()->changeLabels(), QStringList{"β 1 → 0.5"});
    // Replayed from the recorded config, the first epochs after the change are the same.
    const int done = ctl->epochsDone();
    TrainConfig replayed = ctl->config();
    Trainer replay(replayed);
    replay.train(done);
    const QList<EpochMetrics> live = ctl->history();
    QVERIFY(sameHistory({live.begin(), live.end()}, replay.history()));
    w.stop();
    QTRY_COMPARE(ctl->state(), State::Finished);
}

// Any other knob changed while paused: the status bar says it needs a new run; Resume asks and
// does nothing when declined, and goes on with the run's own knobs when confirmed.
void TestMainWindow::otherKnobWhilePausedAsksBeforeResume() {
    MainWindow w;
    w.show();
    TrainConfig c = smallConfig(100000);
    w.setConfig(c);
    TrainingController* ctl = w.controller();
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->epochsDone() >= 2, 60000);
    w.togglePause();
    QTRY_COMPARE(ctl->state(), State::Paused);
    TrainConfig changed = c;
    changed.epochs = 500;
    w.setConfig(changed);
    QVERIFY2(w.statusBar()->currentMessage().contains("500 epochs: that needs a new run"),
             qPrintable(w.statusBar()->currentMessage()));
    for (const auto button : {QMessageBox::No, QMessageBox::Yes}) {
        QString question;
        QTimer::singleShot(0, this, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            question = box->text();
            box->button(button)->click();
        });
        w.togglePause();
        QVERIFY2(question.contains("500 epochs"), qPrintable(question));
        if (button == QMessageBox::No) {
            QCOMPARE(ctl->state(), State::Paused); // declined: nothing resumes
            QCOMPARE(w.config().epochs, 500);
        }
    }
    QCOMPARE(ctl->state(), State::Running);
    QCOMPARE(w.config().epochs, c.epochs); // the panel shows the run's knobs again
    QCOMPARE(ctl->config().epochs, c.epochs);
    w.stop();
    QTRY_COMPARE(ctl->state(), State::Finished);
}

// Reset, then β = 0, then Train: the run has trained nothing since the reset, so it starts
// afresh with β = 0. Its config is β = 0 without changes, and so is its name; no change
// "β 1 → 0 from epoch 1, batch 1" is recorded. Resume after a reset does the same.
void TestMainWindow::betaAfterResetMakesANewRun() {
    MainWindow w;
    w.show();
    TrainConfig c = smallConfig(20);
    w.setConfig(c);
    TrainingController* ctl = w.controller();
    QSignalSpy finished(ctl, &TrainingController::runFinished);
    w.train();
    QVERIFY(finished.wait(60000));
    auto* beta = w.parameterPanel()->findChild<QDoubleSpinBox*>("beta");
    for (const bool viaResume : {false, true}) {
        w.setConfig(c);
        w.resetRun();
        QTRY_COMPARE(ctl->state(), State::Paused);
        QCOMPARE(ctl->epochsDone(), 0);
        beta->setValue(0);
        emit beta->editingFinished();
        const QString said = w.statusBar()->currentMessage(); // no change "β 1 → 0" foretold
        QSignalSpy started(ctl, &TrainingController::runStarted);
        QSignalSpy changed(ctl, &TrainingController::knobChanged);
        finished.clear();
        if (viaResume)
            w.togglePause();
        else
            w.train();
        QCOMPARE(started.count(), 1);
        QVERIFY(finished.wait(60000));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(ctl->config().beta, 0.0);
        QVERIFY(ctl->config().changes.empty());
        QVERIFY2(!said.contains("→"), qPrintable(said));

        // As stored, read back from disk.
        MainWindow again;
        const StoredRun& stored = again.runHistory()->runs().constLast();
        QCOMPARE(stored.record.config.beta, 0.0);
        QVERIFY(stored.record.config.changes.empty());
        QVERIFY2(stored.name.contains("β=0") && !stored.name.contains("→"),
                 qPrintable(stored.name));
        TrainConfig expected = c;
        expected.beta = 0;
        QCOMPARE(stored.record.config, expected);
    }
}

// Pause, edit β, resume: the run trains again, so only α, β and the rate stay editable. The
// target, domain, sampling, noise and every other knob of the run stay locked until it stops.
void TestMainWindow::resumeKeepsTheRunsFieldsLocked() {
    MainWindow w;
    w.show();
    w.setConfig(smallConfig(100000));
    TrainingController* ctl = w.controller();
    ParameterPanel* panel = w.parameterPanel();
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(ctl->epochsDone() >= 2, 60000);
    w.togglePause();
    QTRY_COMPARE(ctl->state(), State::Paused);
    auto* beta = panel->findChild<QDoubleSpinBox*>("beta");
    beta->setFocus();
    beta->setValue(5);
    emit beta->editingFinished();
    QSignalSpy changed(ctl, &TrainingController::knobChanged);
    w.togglePause();
    QTRY_COMPARE(ctl->state(), State::Running);
    QVERIFY(changed.wait(30000));
    QTRY_VERIFY(ctl->epochsDone() >= 4);
    const QStringList locked{"target",   "target_param", "domain",       "domain_min", "domain_max",
                             "sampling", "noise_f",      "noise_fprime", "width",      "seed",
                             "epochs",   "n_train",      "schedule"};
    for (const QString& key : locked) {
        auto* field = panel->findChild<QWidget*>(key);
        QVERIFY2(field, qPrintable(key));
        QVERIFY2(!field->isEnabled(), qPrintable(key + " is editable while the run trains"));
    }
    QVERIFY(beta->isEnabled());
    w.stop();
    QTRY_COMPARE(ctl->state(), State::Finished);
}

// File ▸ Export Report is greyed out until there is a run to report: one trained in the
// window, or one opened from the history.
void TestMainWindow::exportReportNeedsARun() {
    MainWindow w;
    w.show();
    auto* report = w.findChild<QAction*>("exportReportAction");
    QVERIFY(report);
    QVERIFY(!report->isEnabled());
    w.setConfig(tinyConfig(3));
    QVERIFY(!report->isEnabled()); // knobs alone are no run
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.train();
    QVERIFY(report->isEnabled());
    QVERIFY(finished.wait(60000));
    QVERIFY(report->isEnabled());
}

// Closing the window while a run trains, or is paused mid-way, asks first: Cancel goes on,
// "Stop it and quit" ends the run, keeps it in the Runs list (even in its first tenth, as the
// question says) and closes. With no run in progress it closes without asking.
void TestMainWindow::closingMidRunAsks() {
    for (const bool paused : {false, true}) {
        auto* w = new MainWindow;
        w->show();
        const qsizetype before = w->runHistory()->runs().size();
        w->setConfig(smallConfig(1000000));
        w->train();
        QTRY_VERIFY(w->controller()->epochsDone() >= 1);
        if (paused) {
            w->togglePause();
            QTRY_COMPARE(w->controller()->state(), State::Paused);
        }
        const State state = w->controller()->state();
        QVERIFY(!w->close());
        auto* box = w->findChild<QMessageBox*>();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY2(box->text().contains(paused ? "paused at epoch" : "A run is training"),
                 qPrintable(box->text()));
        QVERIFY(box->informativeText().contains("kept in the Runs list"));
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!w->findChild<QMessageBox*>());
        QVERIFY(w->isVisible());
        QCOMPARE(w->controller()->state(), state); // the run goes on, or stays paused
        QVERIFY(!w->close());
        auto* stopAndQuit = w->findChild<QPushButton*>("stopAndQuit");
        QVERIFY(stopAndQuit);
        stopAndQuit->click();
        QTRY_VERIFY(!w->isVisible());
        QCOMPARE(w->controller()->state(), State::Finished);
        const auto& runs = w->runHistory()->runs();
        QCOMPARE(runs.size(), before + 1);
        QCOMPARE(runs.last().record.report.stopReason, StopReason::Stopped);
        delete w;
    }
    MainWindow idle;
    idle.show();
    QVERIFY(idle.close());
    MainWindow finished;
    finished.show();
    finished.setConfig(smallConfig(3));
    QSignalSpy ended(finished.controller(), &TrainingController::runFinished);
    finished.train();
    QVERIFY(ended.wait(60000));
    QVERIFY(finished.close());
}

void TestMainWindow::settingsRestoreLastConfig() {
    TrainConfig c = smallConfig();
    c.beta = 3;
    c.seed = 4242;
    {
        MainWindow w;
        w.show();
        w.setConfig(c);
        w.close();
    }
    MainWindow again;
    QVERIFY(again.config() == c);
}

// The knobs shown and the view toggles are written half a second after they change, not
// only on closing: a window killed without closing loses none of them. An edit that makes the
// form invalid does not replace the last good config.
void TestMainWindow::settingsAreSavedAsTheyChange() {
    const auto savedConfig = [] {
        return configFromJson(QJsonDocument::fromJson(settings::lastConfig().get()).object())
            .config;
    };
    {
        MainWindow w;
        w.show();
        auto* beta = w.parameterPanel()->findChild<QDoubleSpinBox*>("beta");
        QVERIFY(beta);
        beta->selectAll();
        QTest::keyClicks(beta, "7");
        QTest::keyClick(beta, Qt::Key_Enter);
        QTRY_COMPARE(savedConfig().beta, 7.0);
        const double rate = savedConfig().learningRate;
        auto* rateBox = w.parameterPanel()->findChild<QDoubleSpinBox*>("learning_rate");
        rateBox->selectAll();
        QTest::keyClicks(rateBox, "abc");
        QVERIFY(!w.parameterPanel()->isValid());
        QTest::qWait(1000);
        QCOMPARE(savedConfig().learningRate, rate);
        QAction* points = nullptr;
        for (QAction* action : w.findChildren<QAction*>())
            if (action->text().remove('&') == "Show Training Points")
                points = action;
        QVERIFY(points);
        const bool shown = points->isChecked();
        points->toggle();
        QTRY_COMPARE(settings::showTrainingPoints().get(), !shown);
        points->toggle();
        QTRY_COMPARE(settings::showTrainingPoints().get(), shown);
    } // gone without a close, as after kill -9
    MainWindow again;
    QCOMPARE(again.config().beta, 7.0);
}

void TestMainWindow::finishedRunsPersistAcrossRestart() {
    int before = 0;
    QString folder;
    {
        MainWindow w;
        w.show();
        before = int(w.runHistory()->runs().size());
        folder = w.runHistory()->folder();
        QSignalSpy finished(w.controller(), &TrainingController::runFinished);
        TrainConfig c = smallConfig(5);
        w.setConfig(c);
        w.train();
        QVERIFY(finished.wait(60000));
        c.beta = 4;
        w.setConfig(c);
        w.train();
        QVERIFY(finished.wait(60000));
        QCOMPARE(int(w.runHistory()->runs().size()), before + 2);
    } // closing the window: nothing more to save, it is on disk already
    {
        MainWindow again;
        const auto& runs = again.runHistory()->runs();
        QCOMPARE(int(runs.size()), before + 2);
        QCOMPARE(runs.last().record.config.beta, 4.0);
        QCOMPARE(int(runs.last().record.report.epochsRun), 5);
        // The curves stay on disk until the run is opened.
        QVERIFY(runs.last().record.history.empty());
        const RunReadResult reopened = again.runHistory()->readRun(runs.last().id);
        QCOMPARE(int(reopened.run.history.size()), 5);
        // With what it recorded on its way, as the trainer records it.
        TrainConfig c = smallConfig(5);
        c.beta = 4;
        Trainer same(c);
        same.trainAll();
        QVERIFY(!reopened.run.snapshots.empty());
        QVERIFY(sameSnapshots(reopened.run.snapshots, same.snapshots()));
    }
    // A corrupt entry is skipped with a warning; the others still load.
    const QStringList entries =
        QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QFile history(QDir(folder).filePath(entries.last() + "/history.csv"));
    QVERIFY(history.open(QIODevice::WriteOnly));
    history.write("garbage\n");
    history.close();
    MainWindow recovered;
    QCOMPARE(int(recovered.runHistory()->runs().size()), before + 1);
    QVERIFY2(recovered.statusBar()->currentMessage().contains("skipped an unreadable run"),
             qPrintable(recovered.statusBar()->currentMessage()));
}

namespace {

// A history as history.csv has it, without the seconds, which differ between two trainings.
QByteArrayList rowsWithoutSeconds(const std::vector<EpochMetrics>& history) {
    QByteArrayList rows = historyCsv(history).split('\n');
    for (QByteArray& row : rows) {
        QByteArrayList cells = row.split(',');
        if (cells.size() > 7)
            cells.removeAt(7);
        row = cells.join(',');
    }
    return rows;
}

} // namespace

// The window writes its run into the history as it trains: killed mid-run, it leaves the run
// interrupted at its last checkpoint, and the run continued from there ends as if it had never
// stopped.
void TestMainWindow::killedRunReopensInterruptedAndResumesBitIdentically() {
    qputenv("SOBOLEV_CHECKPOINT_SECONDS", "0"); // after every row
    const QTemporaryDir folder;
    TrainConfig config = smallConfig(400);
    config.beta = 3;
    {
        RunHistory history(folder.path());
        QVERIFY(history.load().isEmpty());
        TrainingController controller;
        RunJournal journal(&controller, &history);
        controller.setEpochsPerSecondCap(200); // still training when it is killed
        controller.start(config);
        QTRY_VERIFY(controller.epochsDone() >= 20);
        QVERIFY(!journal.entryId().isEmpty());
        // Another window on the same history does not list a run that is training.
        RunHistory other(folder.path());
        QVERIFY(other.load().isEmpty());
        QVERIFY(other.runs().isEmpty());
        // The kill: the run is neither ended nor stored; its process (here: its lock) goes.
        controller.setCheckpointFolders({});
    }
    RunHistory history(folder.path());
    QVERIFY(history.load().isEmpty());
    QCOMPARE(history.runs().size(), 1);
    const StoredRun interrupted = history.runs().constFirst();
    QVERIFY(interrupted.interrupted);
    QVERIFY(interrupted.record.report.epochsRun >= 20);
    QVERIFY(interrupted.record.report.epochsRun < 400);
    QCOMPARE(interrupted.record.config.beta, 3.0);

    TrainingController controller;
    RunJournal journal(&controller, &history);
    const InterruptedRun read = readInterruptedRun(history.entryFolder(interrupted.id));
    QVERIFY2(read.errors.isEmpty(), qPrintable(read.errors.join('\n')));
    QVERIFY(read.checkpoint);
    QString error;
    QVERIFY2(controller.prepareFrom(read.config, *read.checkpoint, &error), qPrintable(error));
    QVERIFY2(journal.continueEntry(interrupted.id, &error), qPrintable(error));
    QVERIFY(history.runs().isEmpty()); // in hand again
    QCOMPARE(controller.epochsDone(), interrupted.record.report.epochsRun);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    controller.resume();
    QVERIFY(finished.wait(60000));
    const QList<EpochMetrics> resumed = controller.history();
    const RunRecord run{controller.config(),
                        std::vector<EpochMetrics>(resumed.begin(), resumed.end()),
                        *controller.predictions(), *controller.report(), controller.snapshots()};
    QCOMPARE(journal.store(run, &error), interrupted.id);
    QCOMPARE(history.runs().size(), 1);
    QVERIFY(!history.runs().constFirst().interrupted);
    QCOMPARE(history.runs().constFirst().number, 1);
    QCOMPARE(runFolderState(history.entryFolder(interrupted.id)), RunFolderState::Finished);
    QVERIFY(!QFile::exists(history.entryFolder(interrupted.id) + "/checkpoint.bin"));

    Trainer uninterrupted(config);
    uninterrupted.trainAll();
    const RunReadResult stored = history.readRun(interrupted.id);
    QVERIFY2(stored.errors.isEmpty(), qPrintable(stored.errors.join('\n')));
    QCOMPARE(rowsWithoutSeconds(stored.run.history), rowsWithoutSeconds(uninterrupted.history()));
    QCOMPARE(predictionsCsv(stored.run.predictions, config.precision),
             predictionsCsv(uninterrupted.predictions(), config.precision));
    QVERIFY(sameSnapshots(stored.run.snapshots, uninterrupted.snapshots()));
    qunsetenv("SOBOLEV_CHECKPOINT_SECONDS");
}

// A window started after a kill says at once that the run is not lost and how to go on.
void TestMainWindow::restartSaysARunWasInterrupted() {
    qputenv("SOBOLEV_CHECKPOINT_SECONDS", "0");
    QString folder;
    {
        MainWindow first;
        folder = first.runHistory()->folder();
    }
    {
        RunHistory history(folder);
        history.load();
        TrainingController controller;
        RunJournal journal(&controller, &history);
        controller.setEpochsPerSecondCap(200);
        controller.start(smallConfig(400));
        QTRY_VERIFY(controller.epochsDone() >= 5);
        controller.setCheckpointFolders({}); // killed: neither ended nor stored
    }
    qunsetenv("SOBOLEV_CHECKPOINT_SECONDS");
    MainWindow w;
    QTRY_VERIFY2(w.statusBar()->currentMessage().contains("1 run stopped by a crash"),
                 qPrintable(w.statusBar()->currentMessage()));
    QString error;
    for (const StoredRun& run : w.runHistory()->runs())
        if (run.interrupted)
            QVERIFY2(w.runHistory()->remove(run.id, &error), qPrintable(error));
}

// Runs #n and #m of one config compared: the labels name the runs' numbers, not their rows.
void TestMainWindow::comparisonLabelsNameTheRunsNumbers() {
    MainWindow w;
    Trainer trainer(smallConfig(3));
    trainer.trainAll();
    const RunRecord run{smallConfig(3), trainer.history(), trainer.predictions(), trainer.report()};
    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << w.runHistory()->add(run);
    const int first = w.runHistory()->find(ids[0])->number;
    const int last = w.runHistory()->find(ids[2])->number;
    QCOMPARE(last, first + 2);
    ComparisonWindow* compared = w.compareRuns({ids[2], ids[0]});
    QVERIFY(compared);
    QCOMPARE(compared->view()->labels(),
             QStringList({QString("run %1").arg(last), QString("run %1").arg(first)}));
}

// New Run (Ctrl+N) starts a fresh run with the knobs as shown, whatever the state; a run in
// hand is stopped and kept first.
void TestMainWindow::newRunStartsFreshWhateverTheState() {
    MainWindow w;
    w.show();
    QCOMPARE(w.newRunAction()->shortcut(), QKeySequence(QKeySequence::New));
    for (const QAction* action : w.findChildren<QAction*>())
        QVERIFY(action == w.newRunAction() || !action->shortcuts().contains(QKeySequence::New));
    QVERIFY(w.findChild<QToolBar*>()->actions().contains(w.newRunAction()));
    const auto& runs = w.runHistory()->runs();
    const qsizetype before = runs.size();
    TrainConfig c = smallConfig(200);
    w.setConfig(c);
    w.controller()->setEpochsPerSecondCap(50); // 4 s a run

    // Running: the run ends stopped (past its first tenth, so it is kept).
    w.train();
    QTRY_VERIFY(w.controller()->epochsDone() >= 30);
    w.newRunAction()->trigger();
    QTRY_COMPARE(runs.size(), before + 1); // once the worker has ended its batch
    QCOMPARE(runs.constLast().record.report.stopReason, StopReason::Stopped);
    QTRY_COMPARE(w.controller()->state(), State::Running);
    QVERIFY(w.controller()->epochsDone() < runs.constLast().record.report.epochsRun);

    // Paused mid-run, with a knob edited: kept, and the new run has the knob.
    QTRY_VERIFY(w.controller()->epochsDone() >= 30);
    w.togglePause();
    QTRY_COMPARE(w.controller()->state(), State::Paused);
    c.width = 12;
    w.setConfig(c);
    w.newRunAction()->trigger();
    QCOMPARE(runs.size(), before + 2);
    QCOMPARE(runs.constLast().record.config.width, 16);
    QCOMPARE(w.controller()->state(), State::Running);
    QCOMPARE(w.controller()->config().width, 12);

    // Finished: a fresh run.
    w.controller()->setEpochsPerSecondCap(0);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(runs.size(), before + 3);
    w.newRunAction()->trigger();
    QCOMPARE(w.controller()->state(), State::Running);
    QVERIFY(finished.wait(60000));
    QCOMPARE(runs.size(), before + 4);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
