// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparisonview.h"
#include "fitchart.h"
#include "mainwindow.h"
#include "metricstable.h"
#include "runreplay.h"
#include "runtimeline.h"
#include "testutil.h"
#include "textformat.h"
#include "trainingchart.h"
#include "trainingcontroller.h"
#include "windowtestutil.h"

#include <QAction>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

using namespace sobolev;
using namespace sobolev::testutil;

namespace {

Snapshot snapshotOf(Trainer& trainer, double position, int epoch, int batch) {
    const Predictions p = trainer.predictions();
    Snapshot s;
    s.position = position;
    s.epoch = epoch;
    s.batch = batch;
    s.alpha = trainer.knobValue(Knob::Alpha);
    s.beta = trainer.knobValue(Knob::Beta);
    s.fHat.assign(p.fHat.cbegin(), p.fHat.cend());
    s.fprimeHat.assign(p.fprimeHat.cbegin(), p.fprimeHat.cend());
    return s;
}

// A real run's snapshots, as the recorder takes them: the initial network, every batch of the
// first epoch, then every epoch's end.
struct RecordedRun {
    SnapshotSeries series;
    RunRecord run; // as it ended
};

RecordedRun recordRun(const TrainConfig& config) {
    Trainer trainer(config);
    RecordedRun run;
    run.series.x = trainer.predictions().x;
    run.series.snapshots.push_back(snapshotOf(trainer, 0, 0, 0));
    const int batches = (config.nTrain + config.batchSize - 1) / config.batchSize;
    trainer.train(
        config.epochs, nullptr,
        [&](const EpochMetrics& m) {
            run.series.snapshots.push_back(snapshotOf(trainer, m.epoch, m.epoch, 0));
        },
        [&](int epoch, int batch) {
            if (epoch == 1)
                run.series.snapshots.push_back(
                    snapshotOf(trainer, double(batch) / batches, epoch, batch));
        });
    run.run.config = config;
    run.run.history = trainer.history();
    run.run.predictions = trainer.predictions();
    run.run.report = trainer.report();
    run.run.snapshots = run.series;
    return run;
}

} // namespace

class TestRunTimeline : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void init() { QSettings().clear(); }
    void captionsNameTheStep();
    void predictionsAtAStep();
    void snapshotAtPosition();
    void stepsOfSeveralRuns();
    void logTimeIsTheAnimations();
    void keysStep();
    void spaceInAFieldIsTyped();
    void playReachesTheEnd();
    void unavailableSaysWhy();
    void replayDrawsTheStep();
    void compareTimelineMovesEveryRun();
    void runWithoutSnapshotsSaysWhy();
    void mainWindowReplaysTheRunInView();
    void pausedRunReplaysTrainingRunDoesNot();
    void speedIsKept();

  private:
    QTemporaryDir m_config;
    RecordedRun m_run;
};

void TestRunTimeline::initTestCase() {
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", (m_config.path() + "/data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_runtimeline");
    m_run = recordRun(smallConfig(6));
}

void TestRunTimeline::captionsNameTheStep() {
    const QList<TimelineStep> steps = timelineSteps(m_run.series);
    QCOMPARE(steps.size(), qsizetype(m_run.series.snapshots.size()));
    QCOMPARE(steps.first().caption, QStringLiteral("initial network · α 1 · β 1"));
    QCOMPARE(steps[2].caption, QStringLiteral("epoch 1, batch 2 · α 1 · β 1"));
    QCOMPARE(steps.last().caption, QStringLiteral("epoch 6 · α 1 · β 1"));
    QCOMPARE(snapshotWhen(m_run.series.snapshots[2]), QStringLiteral("at epoch 1, batch 2"));

    RunTimeline timeline;
    timeline.setSteps(steps);
    QCOMPARE(timeline.step(), int(steps.size()) - 1); // the run as it ended
    QCOMPARE(timeline.caption(), steps.last().caption);
    timeline.setStep(2);
    QCOMPARE(timeline.caption(), steps[2].caption);
    QCOMPARE(timeline.position(), steps[2].position);
}

void TestRunTimeline::predictionsAtAStep() {
    const Snapshot& early = m_run.series.snapshots[3];
    const Predictions p = predictionsAt(m_run.series, early, m_run.run.predictions);
    QVERIFY(sameValues(p.x, m_run.run.predictions.x));
    QVERIFY(sameValues(p.f, m_run.run.predictions.f));
    QVERIFY(sameValues(p.fprime, m_run.run.predictions.fprime));
    QCOMPARE(p.fprimeHat.size(), early.fprimeHat.size());
    for (std::size_t i = 0; i < p.fprimeHat.size(); ++i)
        QCOMPARE(p.fprimeHat[i], double(early.fprimeHat[i]));
    // An early network is further from the target than the end's, and the last snapshot is
    // the end's network to a float's precision.
    const double finalError = compareOnGrid(m_run.run.predictions).mseFprime;
    QVERIFY(compareOnGrid(p).mseFprime > 1.1 * finalError);
    const Predictions last =
        predictionsAt(m_run.series, m_run.series.snapshots.back(), m_run.run.predictions);
    QVERIFY(std::abs(compareOnGrid(last).mseFprime - finalError) < 1e-5 * finalError);
}

void TestRunTimeline::snapshotAtPosition() {
    const SnapshotSeries& series = m_run.series;
    QCOMPARE(snapshotAt(series, -1), 0);
    QCOMPARE(snapshotAt(series, 0), 0);
    QCOMPARE(snapshotAt(series, 1), int(series.snapshots.size()) - 6);   // epoch 1's end
    QCOMPARE(snapshotAt(series, 2.5), int(series.snapshots.size()) - 5); // epoch 2's
    QCOMPARE(snapshotAt(series, 100), int(series.snapshots.size()) - 1);
    QCOMPARE(snapshotAt(SnapshotSeries{}, 1), -1);
}

void TestRunTimeline::stepsOfSeveralRuns() {
    SnapshotSeries other;
    other.x = m_run.series.x;
    for (double position : {0.0, 0.3, 3.0, 6.0}) {
        Snapshot s;
        s.position = position;
        s.epoch = int(std::ceil(position));
        other.snapshots.push_back(s);
    }
    const QList<TimelineStep> steps = timelineSteps({&m_run.series, &other});
    // Every position of either run once, in order; the captions leave out α and β.
    QCOMPARE(steps.size(), qsizetype(m_run.series.snapshots.size()) + 1); // 0.3 is new
    for (qsizetype i = 1; i < steps.size(); ++i)
        QVERIFY(steps[i - 1].position < steps[i].position);
    QCOMPARE(steps.last().caption, QStringLiteral("epoch 6"));
}

void TestRunTimeline::logTimeIsTheAnimations() {
    RunTimeline timeline;
    timeline.setSteps(timelineSteps(m_run.series)); // from 0 to epoch 6
    timeline.logTimeBox()->setChecked(false);
    QCOMPARE(timeline.timeFraction(1), 1.0 / 6);
    timeline.logTimeBox()->setChecked(true);
    // The animations' log time (animationframes), so a replay and its export agree.
    QVERIFY(std::abs(timeline.timeFraction(1) - std::log(2.0) / std::log(7.0)) < 1e-12);
    QVERIFY(std::abs(logReplayPosition(timeline.timeFraction(2.5), 6) - 2.5) < 1e-12);
    QCOMPARE(timeline.timeFraction(0), 0.0);
    QCOMPARE(timeline.timeFraction(6), 1.0);
    QVERIFY(timeline.timeFraction(3) > timeline.timeFraction(2));
}

void TestRunTimeline::keysStep() {
    // In a window where Space has a meaning of its own (the main window's Pause).
    QWidget window;
    QAction pauseRun(&window);
    pauseRun.setShortcut(Qt::Key_Space);
    window.addAction(&pauseRun);
    QSignalSpy paused(&pauseRun, &QAction::triggered);
    auto* layout = new QVBoxLayout(&window);
    auto& timeline = *new RunTimeline;
    layout->addWidget(&timeline);
    timeline.setSteps(timelineSteps(m_run.series));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    timeline.slider()->setFocus();
    QSignalSpy moved(&timeline, &RunTimeline::stepChanged);
    const int last = timeline.stepCount() - 1;
    QTest::keyClick(timeline.slider(), Qt::Key_Home);
    QCOMPARE(timeline.step(), 0);
    QTest::keyClick(timeline.slider(), Qt::Key_Right);
    QTest::keyClick(timeline.slider(), Qt::Key_Right);
    QCOMPARE(timeline.step(), 2);
    QTest::keyClick(timeline.slider(), Qt::Key_Left);
    QCOMPARE(timeline.step(), 1);
    QTest::keyClick(timeline.slider(), Qt::Key_End);
    QCOMPARE(timeline.step(), last);
    QCOMPARE(moved.size(), 5);
    QCOMPARE(moved.last().at(0).toInt(), last);
    QTest::keyClick(timeline.slider(), Qt::Key_Space);
    QVERIFY(timeline.isPlaying());
    QCOMPARE(timeline.step(), 0); // Play at the end starts again
    QTest::keyClick(timeline.slider(), Qt::Key_Space);
    QVERIFY(!timeline.isPlaying());
    QVERIFY(paused.isEmpty());
    // Focus elsewhere: the window's.
    window.setFocus();
    QTest::keyClick(&window, Qt::Key_Space);
    QCOMPARE(paused.size(), 1);
    QVERIFY(!timeline.isPlaying());
}

void TestRunTimeline::spaceInAFieldIsTyped() {
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* field = new QLineEdit;
    auto* spin = new QSpinBox;
    auto* timeline = new RunTimeline;
    layout->addWidget(field);
    layout->addWidget(spin);
    layout->addWidget(timeline);
    timeline->setSteps(timelineSteps(m_run.series));
    timeline->setWindowShortcuts(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    field->setFocus();
    QTest::keyClicks(field, QStringLiteral("a b"));
    QCOMPARE(field->text(), QStringLiteral("a b"));
    QTest::keyClick(field, Qt::Key_Home); // the cursor's, not the timeline's
    QCOMPARE(field->cursorPosition(), 0);
    QVERIFY(!timeline->isPlaying());
    QCOMPARE(timeline->step(), timeline->stepCount() - 1);

    spin->setFocus();
    QTest::keyClick(spin, Qt::Key_Space);
    QVERIFY(!timeline->isPlaying());

    // Elsewhere in the window the keys are the timeline's.
    window.setFocus();
    QTest::keyClick(&window, Qt::Key_Home);
    QCOMPARE(timeline->step(), 0);
    QTest::keyClick(&window, Qt::Key_Space);
    QVERIFY(timeline->isPlaying());
}

void TestRunTimeline::playReachesTheEnd() {
    RunTimeline timeline;
    timeline.setSteps(timelineSteps(m_run.series));
    timeline.speedBox()->setCurrentIndex(0); // the shortest
    timeline.setStep(0);
    QSignalSpy moved(&timeline, &RunTimeline::stepChanged);
    timeline.play();
    QVERIFY(timeline.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!timeline.isPlaying(), 60000);
    QVERIFY(timeline.atLastStep());
    // Each step was shown at most once, in order.
    for (qsizetype i = 1; i < moved.size(); ++i)
        QVERIFY(moved[i - 1].at(0).toInt() < moved[i].at(0).toInt());
    QVERIFY(moved.size() > 3);
}

void TestRunTimeline::unavailableSaysWhy() {
    RunTimeline timeline;
    timeline.setSteps(timelineSteps(m_run.series));
    timeline.setSteps({});
    QVERIFY(!timeline.isAvailable());
    QVERIFY(!timeline.slider()->isEnabled());
    QCOMPARE(timeline.toolTip(), QStringLiteral("The run recorded no snapshots"));
    timeline.setUnavailable(QStringLiteral("training"));
    QCOMPARE(timeline.slider()->toolTip(), QStringLiteral("training"));
    timeline.play();
    QVERIFY(!timeline.isPlaying());
}

void TestRunTimeline::speedIsKept() {
    {
        RunTimeline timeline;
        timeline.speedBox()->setCurrentIndex(timeline.speedBox()->findData(60));
        timeline.logTimeBox()->setChecked(false);
    }
    RunTimeline timeline;
    QCOMPARE(timeline.speedBox()->currentData().toInt(), 60);
    QVERIFY(!timeline.logTimeBox()->isChecked());
}

// The network's curve as the chart draws it.
QList<QPointF> networkPoints(FitChart& chart) {
    chart.redrawNow();
    return static_cast<QLineSeries*>(chart.chart()->series().at(1))->points();
}

// The y axis of `chart` as drawn now.
std::pair<double, double> yRange(FitChart& chart) {
    chart.redrawNow();
    const auto* axis = static_cast<QAbstractAxis*>(chart.chart()->axes(Qt::Vertical).first());
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return {log->min(), log->max()};
    const auto* value = static_cast<const QValueAxis*>(axis);
    return {value->min(), value->max()};
}

void TestRunTimeline::replayDrawsTheStep() {
    FitChart f(FitChart::Kind::Function), fprime(FitChart::Kind::Derivative),
        error(FitChart::Kind::Error);
    TrainingChart loss;
    MetricsTable metrics;
    RunTimeline timeline;
    RunReplay replay(&timeline, {{&f, &fprime, &error}, &loss, &metrics});
    const RunRecord& run = m_run.run;
    loss.setHistory(QList<EpochMetrics>(run.history.cbegin(), run.history.cend()));
    for (FitChart* chart : {&f, &fprime, &error})
        chart->setPredictions(run.predictions);
    metrics.setReport(run.report);
    replay.setRun(run);
    const QList<QPointF> atEnd = networkPoints(fprime);
    const auto fRangeAtEnd = yRange(f);
    const QString finalMse = metrics.item(MetricsTable::MseFprime, 1)->text();

    // Dragged to the third batch of the first epoch.
    timeline.slider()->setSliderDown(true);
    timeline.slider()->setSliderPosition(3);
    timeline.slider()->setSliderDown(false);
    QCOMPARE(timeline.step(), 3);
    const Snapshot& step = m_run.series.snapshots[3];
    const QList<QPointF> atStep = networkPoints(fprime);
    QCOMPARE(atStep.size(), atEnd.size());
    QCOMPARE(atStep.first().y(), double(step.fprimeHat.front()));
    QVERIFY(atStep != atEnd);
    QVERIFY(yRange(f) != fRangeAtEnd); // the first batches' network leaves the target's range
    QVERIFY(fprime.chart()->title().endsWith(QStringLiteral("at epoch 1, batch 3")));
    QCOMPARE(loss.stepMark(), std::optional<double>(step.position));
    QCOMPARE(metrics.horizontalHeaderItem(1)->text(), QStringLiteral("at epoch 1, batch 3"));
    const FitReport errors = compareOnGrid(predictionsAt(m_run.series, step, run.predictions));
    QCOMPARE(metrics.item(MetricsTable::MseFprime, 1)->text(), errorText(errors.mseFprime, 4));
    QCOMPARE(metrics.item(MetricsTable::EpochsRun, 1)->text(), QStringLiteral("–"));

    // The last step is the run as it ended, to the bit.
    timeline.setStep(timeline.stepCount() - 1);
    QCOMPARE(networkPoints(fprime), atEnd);
    QCOMPARE(yRange(f), fRangeAtEnd);
    QVERIFY(!fprime.chart()->title().contains(QStringLiteral("epoch")));
    QVERIFY(!loss.stepMark());
    QCOMPARE(metrics.horizontalHeaderItem(1)->text(), QStringLiteral("Final"));
    QCOMPARE(metrics.item(MetricsTable::MseFprime, 1)->text(), finalMse);

    // A run trains again: live drawing, no step.
    timeline.setStep(2);
    replay.leave(QStringLiteral("A run is training"));
    QVERIFY(!timeline.isAvailable());
    QVERIFY(fprime.stepLabel().isEmpty());
    QVERIFY(!loss.stepMark());
}

// The curve of the run labelled `label` in the comparison's f′ chart.
QList<QPointF> derivativeCurve(const ComparisonView& view, const QString& label) {
    for (QAbstractSeries* series : view.charts().at(2)->series())
        if (series->name() == label)
            return static_cast<QLineSeries*>(series)->points();
    return {};
}

void TestRunTimeline::compareTimelineMovesEveryRun() {
    TrainConfig withoutFprime = smallConfig(6);
    withoutFprime.beta = 0;
    const RecordedRun other = recordRun(withoutFprime);
    ComparisonView view;
    RunRecord oldA = m_run.run, oldB = other.run; // as folders from before snapshots read
    oldA.snapshots = oldB.snapshots = {};
    view.setRuns({{QStringLiteral("a"), QStringLiteral("β 1"), oldA, 1},
                  {QStringLiteral("b"), QStringLiteral("β 0"), oldB, 2}});
    RunTimeline* timeline = view.timeline();
    QVERIFY(!timeline->isAvailable());
    QVERIFY(timeline->isHidden());
    view.setRuns({{QStringLiteral("a"), QStringLiteral("β 1"), m_run.run, 1},
                  {QStringLiteral("b"), QStringLiteral("β 0"), other.run, 2}});
    QVERIFY(timeline->isAvailable());
    QVERIFY(!timeline->isHidden());
    const QStringList labels = view.labels();
    QCOMPARE(labels.size(), 2);
    const QList<QPointF> endA = derivativeCurve(view, labels[0]);
    const QList<QPointF> endB = derivativeCurve(view, labels[1]);
    QVERIFY(!endA.isEmpty() && !endB.isEmpty());

    timeline->setStep(2); // batch 2 of the first epoch, recorded by both runs
    QCOMPARE(timeline->position(), m_run.series.snapshots[2].position);
    const QList<QPointF> stepA = derivativeCurve(view, labels[0]);
    const QList<QPointF> stepB = derivativeCurve(view, labels[1]);
    QVERIFY(stepA != endA);
    QVERIFY(stepB != endB);
    QCOMPARE(stepA.first().y(), double(m_run.series.snapshots[2].fprimeHat.front()));
    QCOMPARE(stepB.first().y(), double(other.series.snapshots[2].fprimeHat.front()));
    const QString derivativeTitle = view.charts().at(2)->title();
    QVERIFY2(derivativeTitle.endsWith(QStringLiteral(" — at epoch 1, batch 2")),
             qPrintable(derivativeTitle));

    // Keys work anywhere in the window.
    view.show();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    QTest::keyClick(&view, Qt::Key_End);
    QVERIFY(timeline->atLastStep());
    QCOMPARE(derivativeCurve(view, labels[0]), endA);
    QCOMPARE(derivativeCurve(view, labels[1]), endB);
    QVERIFY(!view.charts().at(2)->title().contains(QStringLiteral("epoch")));
}

void TestRunTimeline::runWithoutSnapshotsSaysWhy() {
    MainWindow window;
    RunTimeline* timeline = window.timeline();
    QVERIFY(!timeline->isAvailable());
    QVERIFY(timeline->isHidden()); // no run in view
    RunRecord old = m_run.run;     // as a folder from before snapshots reads
    old.snapshots = {};
    window.showRun(old);
    QVERIFY(!timeline->isHidden());
    QVERIFY(!timeline->isAvailable());
    QVERIFY(!timeline->slider()->isEnabled());
    QVERIFY(timeline->toolTip().contains(QStringLiteral("no snapshots")));
    QCOMPARE(timeline->caption(), timeline->toolTip());
    QVERIFY(closeStoppingAnyRun(window));
}

void TestRunTimeline::mainWindowReplaysTheRunInView() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showRun(m_run.run);
    RunTimeline* timeline = window.timeline();
    QVERIFY(timeline->isVisible());
    QVERIFY(timeline->isAvailable());
    QVERIFY(timeline->atLastStep());
    FitChart* fprime = window.fitChart(FitChart::Kind::Derivative);
    const QList<QPointF> atEnd = networkPoints(*fprime);

    // Dragged to the start of the run.
    timeline->slider()->setSliderDown(true);
    timeline->slider()->setSliderPosition(1);
    timeline->slider()->setSliderDown(false);
    const QList<QPointF> atStep = networkPoints(*fprime);
    QVERIFY(atStep != atEnd);
    QVERIFY(fprime->stepLabel().contains(QStringLiteral("epoch 1, batch 1")));
    QCOMPARE(window.trainingChart()->stepMark(), m_run.series.snapshots[1].position);
    QVERIFY(window.metricsTable()->horizontalHeaderItem(1)->text().contains(
        QStringLiteral("epoch 1, batch 1")));

    // With the focus in the timeline, End is the run as it ended.
    timeline->slider()->setFocus();
    QTest::keyClick(timeline->slider(), Qt::Key_End);
    QCOMPARE(networkPoints(*fprime), atEnd);
    QVERIFY(fprime->stepLabel().isEmpty());
    QVERIFY(closeStoppingAnyRun(window));
}

void TestRunTimeline::pausedRunReplaysTrainingRunDoesNot() {
    using State = TrainingController::State;
    MainWindow window;
    window.show();
    window.setConfig(tinyConfig(1000000));
    TrainingController* controller = window.controller();
    RunTimeline* timeline = window.timeline();
    window.train();
    QTRY_COMPARE(controller->state(), State::Running);
    QVERIFY(timeline->isVisible());
    QVERIFY(!timeline->isAvailable());
    QVERIFY(timeline->toolTip().contains(QStringLiteral("paused")));
    QTRY_VERIFY(controller->epochsDone() >= 20);
    window.togglePause();
    QTRY_COMPARE(controller->state(), State::Paused);
    QVERIFY(timeline->isAvailable()); // the snapshots so far
    QVERIFY(timeline->atLastStep());
    timeline->setStep(0);
    QCOMPARE(window.fitChart(FitChart::Kind::Function)->stepLabel(),
             QStringLiteral("at the start"));
    // Resume: live drawing again.
    window.togglePause();
    QTRY_COMPARE(controller->state(), State::Running);
    QVERIFY(!timeline->isAvailable());
    QVERIFY(window.fitChart(FitChart::Kind::Function)->stepLabel().isEmpty());
    window.stop();
    QTRY_COMPARE(controller->state(), State::Finished);
    QVERIFY(timeline->isAvailable());
}

QTEST_MAIN(TestRunTimeline)
#include "tst_runtimeline.moc"
