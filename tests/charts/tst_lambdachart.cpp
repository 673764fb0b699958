// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartview.h"
#include "comparison.h"
#include "lambdachart.h"
#include "lossweights.h"
#include "runhistory.h"
#include "trainingchart.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

using namespace sobolev;

class TestLambdaChart : public QObject {
    Q_OBJECT
  private slots:
    void drawsTheRatioInForce();
    void olderHistoriesDrawNothing();
    void followsTheLossChartsEpochAxis();
    void marksTheReplayedStep();
    void comparesRunsWithALegend();
    void finalWeightsName();
    void runNamesSayTheRuleAndWhereTheWeightsEnded();
};

namespace {

// β = 1 until `changeEpoch`, then `after`, with α = 2 throughout: β/α 0.5, then after/2.
QList<EpochMetrics> changedHistory(int n, int changeEpoch, double after) {
    QList<EpochMetrics> history;
    for (int e = 1; e <= n; ++e) {
        EpochMetrics m;
        m.epoch = e;
        m.loss = m.valLoss = 1.0 / e;
        m.alpha = 2;
        m.beta = e < changeEpoch ? 1 : after;
        history.append(m);
    }
    return history;
}

QLineSeries* stepLine(QChart* chart) {
    for (QAbstractSeries* s : chart->series())
        if (s->name() == QStringLiteral("replayed step"))
            return qobject_cast<QLineSeries*>(s);
    return nullptr;
}

} // namespace

void TestLambdaChart::drawsTheRatioInForce() {
    LambdaChart chart;
    chart.resize(640, 240);
    // Few enough epochs to be drawn one point each.
    chart.appendEpochs(changedHistory(99, 100, 10));
    chart.appendEpochs(changedHistory(150, 100, 10).mid(99));
    chart.redrawNow();
    const QList<QList<QPointF>> curves = chart.curves();
    QCOMPARE(curves.size(), 1);
    const QList<QPointF>& points = curves.constFirst();
    QCOMPARE(points.size(), 150);
    QCOMPARE(points.constFirst(), QPointF(1, 0.5));
    QCOMPARE(points[98], QPointF(99, 0.5));
    QCOMPARE(points[99], QPointF(100, 5));
    QCOMPARE(points.constLast(), QPointF(150, 5));
    // A log axis of whole decades holding both values with room, and the run's epochs.
    QVERIFY(chart.ratioAxis()->min() < 0.5 / 2 && chart.ratioAxis()->max() > 5 * 2);
    QCOMPARE(chart.epochAxis()->min(), 1.0);
    QCOMPARE(chart.epochAxis()->max(), 150.0);
    QVERIFY(!chart.chart()->legend()->isVisible()); // one run: the window names it
}

void TestLambdaChart::olderHistoriesDrawNothing() {
    QList<EpochMetrics> history = changedHistory(50, 20, 10);
    for (EpochMetrics& m : history)
        m.alpha = m.beta = std::nan("");
    history[10].alpha = 0; // no ratio either
    history[10].beta = 1;
    LambdaChart chart;
    chart.setHistory(history);
    QVERIFY(chart.curves().constFirst().isEmpty());
    QVERIFY(std::isfinite(chart.ratioAxis()->min()) && chart.ratioAxis()->min() > 0);
}

void TestLambdaChart::followsTheLossChartsEpochAxis() {
    // One over the other, as in the main window.
    QWidget column;
    auto* layout = new QVBoxLayout(&column);
    auto* lossChart = new TrainingChart;
    auto* lambdaChart = new LambdaChart;
    layout->addWidget(lossChart, 2);
    layout->addWidget(lambdaChart, 1);
    TrainingChart& loss = *lossChart;
    LambdaChart& lambda = *lambdaChart;
    column.resize(640, 640);
    column.show();
    QVERIFY(QTest::qWaitForWindowExposed(&column));
    lambda.followEpochAxis(qobject_cast<QValueAxis*>(loss.chart()->axes(Qt::Horizontal).first()));
    const QList<EpochMetrics> history = changedHistory(400, 100, 0.1);
    loss.appendEpochs(history);
    lambda.appendEpochs(history);
    loss.redrawNow();
    lambda.redrawNow();
    auto* lossX = qobject_cast<QValueAxis*>(loss.chart()->axes(Qt::Horizontal).first());
    QCOMPARE(lambda.epochAxis()->min(), lossX->min());
    QCOMPARE(lambda.epochAxis()->max(), lossX->max());
    QCOMPARE(lambda.epochAxis()->tickInterval(), lossX->tickInterval());
    // The loss chart's legend stands beside its plot: the plots still line up, epoch over epoch.
    QTRY_VERIFY(std::abs(lambda.chart()->plotArea().left() - loss.chart()->plotArea().left()) <= 1);
    QTRY_VERIFY(std::abs(lambda.chart()->plotArea().right() - loss.chart()->plotArea().right()) <=
                1);
    // The student zooms into the loss chart: λ(t) shows the same epochs.
    ChartView* view = ChartView::of(loss.chart());
    view->zoomAt(view->mapFromScene(loss.chart()->mapToScene(loss.chart()->plotArea().center())), 4,
                 Qt::Horizontal);
    QVERIFY(lossX->max() - lossX->min() < 200);
    QCOMPARE(lambda.epochAxis()->min(), lossX->min());
    QCOMPARE(lambda.epochAxis()->max(), lossX->max());
    view->resetZoom();
    QCOMPARE(lambda.epochAxis()->max(), 400.0);
}

void TestLambdaChart::marksTheReplayedStep() {
    LambdaChart chart;
    chart.setHistory(changedHistory(100, 50, 10));
    QLineSeries* line = stepLine(chart.chart());
    QVERIFY(line);
    QVERIFY(!line->isVisible());
    chart.setStepMark(42.5);
    QVERIFY(line->isVisible());
    QCOMPARE(line->count(), 2);
    QCOMPARE(line->at(0).x(), 42.5);
    QCOMPARE(line->at(0).y(), chart.ratioAxis()->min());
    QCOMPARE(line->at(1).y(), chart.ratioAxis()->max());
    chart.setStepMark(std::nullopt);
    QVERIFY(!line->isVisible());
}

void TestLambdaChart::comparesRunsWithALegend() {
    LambdaChart chart;
    chart.resize(640, 240);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setRuns({{QStringLiteral("#1 lra"), Qt::red, changedHistory(100, 50, 10)},
                   {QStringLiteral("#2 β=1"), Qt::blue, changedHistory(80, 1000, 1)}});
    QCOMPARE(chart.curves().size(), 2);
    QCOMPARE(chart.curves()[1].constLast(), QPointF(80, 0.5));
    QVERIFY(chart.chart()->legend()->isVisible());
    QCoreApplication::processEvents(); // the legend lays its entries out
    QStringList labels;
    for (QLegendMarker* marker : chart.chart()->legend()->markers())
        if (marker->isVisible())
            labels << marker->label();
    QCOMPARE(labels, QStringList({"#1 lra", "#2 β=1"}));
    QCOMPARE(chart.epochAxis()->max(), 100.0);
    chart.setHistory(changedHistory(10, 5, 3)); // back to one run: no legend
    QVERIFY(!chart.chart()->legend()->isVisible());
}

void TestLambdaChart::finalWeightsName() {
    const QList<EpochMetrics> changed = changedHistory(20, 10, 6.4);
    const std::vector<EpochMetrics> varied(changed.cbegin(), changed.cend());
    TrainConfig config;
    QVERIFY(weightsVary(varied));
    QCOMPARE(finalWeightsLabel(config, varied), QStringLiteral("β/α→3.2"));
    const QList<EpochMetrics> still = changedHistory(20, 100, 6.4);
    const std::vector<EpochMetrics> constant(still.cbegin(), still.cend());
    QVERIFY(!weightsVary(constant));
    QCOMPARE(finalWeightsLabel(config, constant), QString());
    // A change planned after the run's end still makes its weights a question.
    config.changes.push_back({100, 1, Knob::Beta, 5.0});
    QVERIFY(weightsVary(config));
    QCOMPARE(finalWeightsLabel(config, constant), QStringLiteral("β/α→0.5"));
    QCOMPARE(finalWeightsLabel(config, {}), QString());
}

void TestLambdaChart::runNamesSayTheRuleAndWhereTheWeightsEnded() {
    RunRecord run;
    run.config.balance = Balance::Lra;
    const QList<EpochMetrics> history = changedHistory(20, 10, 6.4);
    run.history.assign(history.cbegin(), history.cend());
    QCOMPARE(RunHistory::numberedName(run, 3), QStringLiteral("#3 balance lra, β/α→3.2"));
    // A constant weighting is named by its knobs alone, as before.
    RunRecord plain;
    plain.config.beta = 10;
    const QList<EpochMetrics> still = changedHistory(20, 100, 1);
    plain.history.assign(still.cbegin(), still.cend());
    QCOMPARE(RunHistory::numberedName(plain, 4), QStringLiteral("#4 β=10"));
    // Comparisons name the rule where the runs differ in it.
    TrainConfig off, lra;
    lra.balance = Balance::Lra;
    QCOMPARE(differenceLabels({off, lra}), QStringList({"off", "lra"}));
}

QTEST_MAIN(TestLambdaChart)
#include "tst_lambdachart.moc"
