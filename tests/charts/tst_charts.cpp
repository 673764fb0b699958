// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"
#include "charttestutil.h"
#include "core/problem/target.h"
#include "fitchart.h"
#include "testutil.h"
#include "trainingchart.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QHBoxLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolTip>
#include <QValueAxis>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace sobolev;
using namespace sobolev::testutil;
namespace cs = sobolev::chartstyle;

class TestCharts : public QObject {
    Q_OBJECT
  private slots:
    void storesAllDrawsFew_data();
    void storesAllDrawsFew();
    void decimationKeepsSpikes();
    void lossShowsBesideTheTermItEquals();
    void curvesWithoutValuesLeaveTheLegend();
    void redrawsAreCoalesced();
    void legendClickTogglesSeries_data();
    void legendClickTogglesSeries();
    void hiddenSeriesLeaveTheRange();
    void hoverShowsStoredValue();
    void zeroWeightTermIsNotDrawn();
    void fitShowsPredictions_data();
    void fitShowsPredictions();
    void fitDrawsAtNextFrame();
    void fitDrawsAboutAPointAPixel();
    void fitLeavesUnchangedCurves();
    void hiddenFitWaitsUntilShown();
    void measuredFitDrawsTheNetworkOnItsDenseCurve();
    void fitRangeIsStable();
    void trainingMarkers_data();
    void trainingMarkers();
    void renders_data();
    void renders();
};

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

// Falling losses with some noise; a few zeros, a NaN and an infinity as a diverging or
// underflowing run would produce them.
QList<EpochMetrics> syntheticHistory(int n) {
    QList<EpochMetrics> history;
    history.reserve(n);
    for (int i = 0; i < n; ++i) {
        EpochMetrics m;
        m.epoch = i + 1;
        const double t = m.epoch;
        // Epoch-to-epoch jitter of a few per cent, like minibatch noise.
        const double jitter = std::sin(t * 12.9898) * 43758.5453;
        const double noise = 0.15 * (jitter - std::floor(jitter) - 0.5);
        m.mseF = 0.05 / (1 + 0.05 * t) * (1 + noise);
        m.mseFprime = 20 / (1 + 0.02 * t) * (1 - noise);
        m.loss = m.mseF + 0.1 * m.mseFprime;
        m.valMseF = 1.2 * m.mseF;
        m.valMseFprime = 1.3 * m.mseFprime;
        m.valLoss = m.valMseF + 0.1 * m.valMseFprime;
        m.seconds = 0.01 * t;
        history.append(m);
    }
    if (n > 40) {
        history[10].mseF = 0;
        history[20].valLoss = 0;
        history[25].valMseF = -1e-3;
        history[30].loss = notANumber;
        history[40].valMseFprime = infinity;
    }
    return history;
}

Predictions rungePredictions(int n = 401) {
    Predictions p;
    for (int i = 0; i < n; ++i) {
        const double x = -1 + 2.0 * i / (n - 1);
        p.x.push_back(x);
        p.f.push_back(runge(x));
        p.fprime.push_back(rungePrime(x));
        // A network that has almost learned f but still misses the steep flanks of f'.
        p.fHat.push_back(runge(x) + 0.02 * std::sin(7 * x));
        p.fprimeHat.push_back(rungePrime(x) * 0.9 + 0.14 * std::cos(7 * x));
    }
    return p;
}

// Log axes are set a hair wider than whole decades.
bool nearlyEqual(double a, double b) {
    return std::abs(a - b) <= 1e-6 * std::abs(b);
}

QLineSeries* lineSeries(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (s->name() == name)
            return qobject_cast<QLineSeries*>(s);
    return nullptr;
}

QList<QLineSeries*> lineSeries(QChart* chart) {
    QList<QLineSeries*> result;
    for (QAbstractSeries* s : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s))
            result.append(line);
    return result;
}

QScatterSeries* scatterSeries(QChart* chart) {
    for (QAbstractSeries* s : chart->series())
        if (auto* scatter = qobject_cast<QScatterSeries*>(s))
            return scatter;
    return nullptr;
}

template <typename Axis> Axis* yAxis(QChart* chart) {
    const auto axes = chart->axes(Qt::Vertical);
    return axes.isEmpty() ? nullptr : qobject_cast<Axis*>(axes.first());
}

QValueAxis* xAxis(QChart* chart) {
    const auto axes = chart->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.first());
}

// The legend's label for `name`, in view coordinates. Clicking it goes through the same
// path as a user's click (QGraphicsScene -> legend marker item -> QLegendMarker::clicked)
// without relying on where Qt puts the marker square.
std::optional<QPoint> legendLabelPosition(QChart* chart, const QString& name) {
    QGraphicsView* view = chart->scene()->views().constFirst();
    for (QGraphicsItem* item : chart->scene()->items()) {
        auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
        if (text && text->isVisible() && chart->legend()->isAncestorOf(text) &&
            text->toPlainText() == name)
            return view->mapFromScene(text->sceneBoundingRect().center());
    }
    return std::nullopt;
}

} // namespace

void TestCharts::storesAllDrawsFew_data() {
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("maxDrawn");
    QTest::addRow("1000 epochs, all drawn") << 1000 << 1000;
    QTest::addRow("100000 epochs, decimated") << 100000 << 2000;
}

void TestCharts::storesAllDrawsFew() {
    QFETCH(int, epochs);
    QFETCH(int, maxDrawn);
    TrainingChart chart;
    chart.setWeightedTermsVisible(true);
    chart.appendEpochs(syntheticHistory(epochs));
    chart.redrawNow();

    QCOMPARE(chart.storedEpochs(), epochs);
    QVERIFY(chart.drawnPointCount() > 0);
    QVERIFY(chart.drawnPointCount() <= maxDrawn);

    auto* y = yAxis<QLogValueAxis>(chart.chart());
    QVERIFY(y);
    QVERIFY(std::isfinite(y->min()) && std::isfinite(y->max()));
    QVERIFY(y->min() > 0);
    for (QLineSeries* series : lineSeries(chart.chart())) {
        if (!series->isVisible()) // the learning rate and the L-BFGS line, for other runs
            continue;
        QVERIFY2(series->count() > 0, qPrintable(series->name()));
        for (const QPointF& p : series->points()) {
            QVERIFY2(std::isfinite(p.y()) && p.y() > 0, qPrintable(series->name()));
            QVERIFY2(p.y() >= y->min() && p.y() <= y->max(), qPrintable(series->name()));
        }
    }
    auto* x = xAxis(chart.chart());
    QCOMPARE(x->min(), 1.0);
    QCOMPARE(x->max(), double(epochs));
}

// With β = 1 and MSE f far below MSE f′ the train loss equals MSE f′ to the pixel; it is drawn
// as a wide translucent band under the terms, so that it shows around the curve it equals.
// Measured data without f′: the history's f′ columns are NaN throughout, so the legend lists
// no f′ curve, while a run with f′ (or none yet) lists them all.
void TestCharts::curvesWithoutValuesLeaveTheLegend() {
    const auto listed = [](const TrainingChart& chart) {
        QStringList labels;
        for (QLegendMarker* marker : chart.chart()->legend()->markers())
            if (marker->isVisible())
                labels << marker->label();
        return labels;
    };
    QList<EpochMetrics> history = syntheticHistory(50);
    for (EpochMetrics& m : history)
        m.mseFprime = m.valMseFprime = notANumber;
    TrainingChart chart;
    chart.resize(700, 450);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QStringList all = listed(chart);
    QVERIFY(all.contains("train MSE f′"));
    chart.setHistory(history.mid(0, 10));
    QCOMPARE(listed(chart).filter("f′").size(), 0);
    QCOMPARE(listed(chart).size(), all.size() - 3);
    chart.appendEpochs(history.mid(10));
    QCOMPARE(listed(chart).filter("f′").size(), 0);
    chart.clear();
    QCOMPARE(listed(chart), all);
    chart.appendEpochs(syntheticHistory(5)); // a NaN row or two, numbers in the others
    QCOMPARE(listed(chart), all);
}

void TestCharts::lossShowsBesideTheTermItEquals() {
    QList<EpochMetrics> history = syntheticHistory(300);
    for (EpochMetrics& m : history) {
        m.mseF = 1e-3 * m.mseFprime;
        m.loss = m.mseFprime + m.mseF;
    }
    TrainingChart chart;
    chart.resize(700, 450);
    chart.setLossWeights(1, 1);
    chart.setHistory(history);
    chart.show();
    chart.redrawNow();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QImage image = chart.grab().toImage();
    QColor band;
    for (QAbstractSeries* series : chart.chart()->series())
        if (series->name() == QLatin1String("train loss"))
            band = static_cast<QLineSeries*>(series)->pen().color();
    QVERIFY(band.isValid());
    QCOMPARE(band.alpha(), 255); // opaque: translucent lines are drawn slowly
    const int bandPixels = pixelsNear(image, band, plotAreaIn(&chart, chart.chart()), 12);
    qInfo("train loss band: %d pixels", bandPixels);
    QVERIFY2(bandPixels > 300, qPrintable(QString::number(bandPixels))); // 137 with a 2 px line
}

void TestCharts::decimationKeepsSpikes() {
    auto history = syntheticHistory(100000);
    history[54321].loss = 1e3;
    history[77777].loss = 1e-9;
    TrainingChart chart;
    chart.setHistory(history);
    chart.redrawNow();
    QLineSeries* loss = lineSeries(chart.chart(), QStringLiteral("train loss"));
    QVERIFY(loss->count() <= 2000);
    double lo = infinity, hi = 0;
    for (const QPointF& p : loss->points()) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
    }
    QCOMPARE(hi, 1e3);
    QCOMPARE(lo, 1e-9);
}

void TestCharts::redrawsAreCoalesced() {
    TrainingChart chart;
    const auto history = syntheticHistory(1000);
    for (int i = 0; i < 100; ++i)
        chart.appendEpochs(history.mid(i * 10, 10));
    QCOMPARE(chart.storedEpochs(), 1000);
    QCOMPARE(chart.redrawCount(), 0);
    QCOMPARE(chart.drawnPointCount(), 0);

    QTRY_COMPARE(chart.redrawCount(), 1);
    // Decimated to the (here default-sized) plot width; all 1000 stay stored.
    QVERIFY(chart.drawnPointCount() > 0);
    QVERIFY(chart.drawnPointCount() <= 1000);
    QTest::qWait(100);
    QCOMPARE(chart.redrawCount(), 1);
}

void TestCharts::legendClickTogglesSeries_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("initiallyVisible");
    QTest::addRow("train loss") << QStringLiteral("train loss") << true;
    QTest::addRow("val MSE f'") << QStringLiteral("val MSE f′") << true;
    QTest::addRow("weighted term") << QStringLiteral("α·MSE f") << false;
}

void TestCharts::legendClickTogglesSeries() {
    QFETCH(QString, name);
    QFETCH(bool, initiallyVisible);
    TrainingChart chart;
    chart.resize(700, 420);
    chart.setHistory(syntheticHistory(200));
    chart.redrawNow();
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    QLineSeries* series = lineSeries(chart.chart(), name);
    QVERIFY(series);
    QLegendMarker* marker = chart.chart()->legend()->markers(series).constFirst();
    QCOMPARE(series->isVisible(), initiallyVisible);
    QVERIFY(marker->isVisible());

    auto* view = qobject_cast<QChartView*>(chart.chart()->scene()->views().constFirst());
    for (bool visible : {!initiallyVisible, initiallyVisible}) {
        const auto at = legendLabelPosition(chart.chart(), name);
        QVERIFY(at);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, *at);
        QTRY_COMPARE(series->isVisible(), visible);
        QVERIFY(marker->isVisible()); // dimmed, not gone
        QCOMPARE(marker->labelBrush().color().alphaF() < 1.0, !visible);
    }
}

void TestCharts::hiddenSeriesLeaveTheRange() {
    QList<EpochMetrics> history;
    for (int e = 1; e <= 100; ++e)
        history.append({e, 1.0, 1e-9, 1.0, 1.0, 1e-9, 1.0, 0.0});
    TrainingChart chart;
    chart.setHistory(history);
    chart.redrawNow();
    auto* y = yAxis<QLogValueAxis>(chart.chart());
    QVERIFY(nearlyEqual(y->min(), 1e-9));

    // Hiding both MSE_f curves leaves only values of 1 to show.
    for (const char* name : {"train MSE f", "val MSE f"}) {
        QLegendMarker* marker = chart.chart()
                                    ->legend()
                                    ->markers(lineSeries(chart.chart(), QString::fromUtf8(name)))
                                    .constFirst();
        QMetaObject::invokeMethod(marker, "clicked");
    }
    QVERIFY(y->min() >= 0.1);
}

void TestCharts::hoverShowsStoredValue() {
    QList<EpochMetrics> history;
    for (int e = 1; e <= 100; ++e)
        history.append({e, 0.5, 0.25, 0.125, 0.5, 0.25, 0.125, 0.0});
    history[49].loss = 0.375; // epoch 50
    TrainingChart chart;
    chart.resize(700, 420);
    chart.setHistory(history);
    chart.redrawNow();
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    QLineSeries* loss = lineSeries(chart.chart(), QStringLiteral("train loss"));
    QGraphicsView* view = chart.chart()->scene()->views().constFirst();
    const QPointF onCurve = chart.chart()->mapToPosition(QPointF(50, 0.375), loss);
    const QPoint at = view->mapFromScene(chart.chart()->mapToScene(onCurve));
    QTest::mouseMove(view->viewport(), at + QPoint(0, 20));
    QTest::mouseMove(view->viewport(), at);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("train loss")), qPrintable(QToolTip::text()));
    QVERIFY2(QToolTip::text().contains(QStringLiteral("epoch 50: 0.375")),
             qPrintable(QToolTip::text()));
}

void TestCharts::zeroWeightTermIsNotDrawn() {
    TrainingChart chart;
    chart.setWeightedTermsVisible(true);
    chart.setLossWeights(0, 2);
    chart.setHistory(syntheticHistory(100));
    chart.redrawNow();
    QCOMPARE(lineSeries(chart.chart(), QStringLiteral("α·MSE f"))->count(), 0);
    QLineSeries* weighted = lineSeries(chart.chart(), QStringLiteral("β·MSE f′"));
    QCOMPARE(weighted->count(), 100);
    QCOMPARE(weighted->at(0).y(), 2 * syntheticHistory(1).first().mseFprime);
    QVERIFY(yAxis<QLogValueAxis>(chart.chart())->min() > 1e-6);
}

void TestCharts::fitShowsPredictions_data() {
    QTest::addColumn<FitChart::Kind>("kind");
    QTest::addColumn<QList<QPointF>>("first");
    QTest::addColumn<QList<QPointF>>("second");
    // f equals fHat at x = 0 (error 0, which a log axis can't show); fprimeHat is NaN at
    // x = 1. Both are left out rather than drawn.
    QTest::addRow("function") << FitChart::Kind::Function
                              << QList<QPointF>{{-1, 0.1}, {0, 1}, {1, 0.1}}
                              << QList<QPointF>{{-1, 0.3}, {0, 1}, {1, -0.2}};
    QTest::addRow("derivative") << FitChart::Kind::Derivative
                                << QList<QPointF>{{-1, 2}, {0, 0}, {1, -2}}
                                << QList<QPointF>{{-1, 1.5}, {0, 0.25}};
    QTest::addRow("error") << FitChart::Kind::Error << QList<QPointF>{{-1, 0.2}, {1, 0.3}}
                           << QList<QPointF>{{-1, 0.5}, {0, 0.25}};
}

void TestCharts::fitShowsPredictions() {
    QFETCH(FitChart::Kind, kind);
    QFETCH(QList<QPointF>, first);
    QFETCH(QList<QPointF>, second);
    Predictions p;
    p.x = {-1, 0, 1};
    p.f = {0.1, 1, 0.1};
    p.fHat = {0.3, 1, -0.2};
    p.fprime = {2, 0, -2};
    p.fprimeHat = {1.5, 0.25, notANumber};

    FitChart chart(kind);
    QCOMPARE(chart.kind(), kind);
    chart.setPredictions(p);
    chart.redrawNow();
    const auto lines = lineSeries(chart.chart());
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0]->points(), first);
    QCOMPARE(lines[1]->points(), second);

    if (kind == FitChart::Kind::Error) {
        auto* y = yAxis<QLogValueAxis>(chart.chart());
        QVERIFY(y);
        // Decades around the data, not the placeholder shown before there was any.
        QVERIFY(nearlyEqual(y->min(), 0.1));
        QVERIFY(nearlyEqual(y->max(), 1.0));
    } else {
        auto* y = yAxis<QValueAxis>(chart.chart());
        QVERIFY(y);
        for (const QList<QPointF>& points : {first, second})
            for (const QPointF& pt : points)
                QVERIFY(pt.y() > y->min() && pt.y() < y->max()); // with a margin
        auto* x = xAxis(chart.chart());
        QCOMPARE(x->min(), -1.0);
        QCOMPARE(x->max(), 1.0);
    }
}

// Measured data: the network (f and f' charts) on the predictions' dense curve, the data as
// markers, the errors at the rows (where the truth is known); without a curve (a run folder
// written before it existed) the network at the rows.
void TestCharts::measuredFitDrawsTheNetworkOnItsDenseCurve() {
    Predictions p;
    p.x = {-1, 0.5, 1};
    p.f = {0.1, 1, 0.1};
    p.fHat = {0.3, 0.9, -0.2};
    p.fprime = {notANumber, notANumber, notANumber};
    p.fprimeHat = {1.5, 0.25, -1};
    for (int i = 0; i < 1000; ++i) {
        const double x = -1 + 2.0 * i / 999;
        p.curveX.push_back(x);
        p.curveFHat.push_back(x * x);
        p.curveFprimeHat.push_back(2 * x);
    }
    const float none = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> x{-1, 0.5f, 1}, f{0.1f, 1, 0.1f}, fprime{none, none, none};
    for (FitChart::Kind kind : {FitChart::Kind::Function, FitChart::Kind::Derivative}) {
        FitChart chart(kind);
        chart.setTrainingData(x, f, fprime, true);
        chart.setPredictions(p);
        chart.redrawNow();
        const auto lines = lineSeries(chart.chart());
        QCOMPARE(lines[1]->count(), 1000);
        const bool derivative = kind == FitChart::Kind::Derivative;
        QCOMPARE(lines[1]->at(999), QPointF(1, derivative ? 2 : 1));
        QCOMPARE(lines[0]->count(), 0); // no true curve
        const auto series = chart.chart()->series();
        const auto markers = std::count_if(series.begin(), series.end(), [](QAbstractSeries* s) {
            return s->type() == QAbstractSeries::SeriesTypeScatter && s->isVisible();
        });
        // The f values as markers; no row has f'.
        QCOMPARE(int(markers), derivative ? 0 : 1);

        Predictions old = p;
        old.curveX.clear();
        old.curveFHat.clear();
        old.curveFprimeHat.clear();
        chart.setPredictions(old);
        chart.redrawNow();
        QCOMPARE(lines[1]->count(), 3);
    }
    FitChart error(FitChart::Kind::Error);
    error.setPredictions(p);
    error.redrawNow();
    QCOMPARE(lineSeries(error.chart())[0]->count(), 3);  // |f - f_theta| at the rows
    QCOMPARE(lineSeries(error.chart())[1]->count(), 0);  // no f' to compare with
    QVERIFY(!lineSeries(error.chart())[1]->isVisible()); // nor a legend entry for it
    error.setPredictions(rungePredictions());
    error.redrawNow();
    QVERIFY(lineSeries(error.chart())[1]->isVisible());
}

void TestCharts::fitDrawsAtNextFrame() {
    FitChart chart(FitChart::Kind::Function);
    for (int i = 0; i < 10; ++i)
        chart.setPredictions(rungePredictions());
    QCOMPARE(chart.redrawCount(), 0);
    QTRY_COMPARE(lineSeries(chart.chart()).first()->count(), 401);
    QCOMPARE(chart.redrawCount(), 1);
}

// Points closer than a pixel only cost drawing time; the decimated curves keep every peak and,
// on the error chart's log axis, every dip.
void TestCharts::fitDrawsAboutAPointAPixel() {
    const Predictions p = rungePredictions(4001);
    for (FitChart::Kind kind : {FitChart::Kind::Function, FitChart::Kind::Error}) {
        FitChart chart(kind);
        chart.resize(700, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setPredictions(p);
        chart.redrawNow();
        const qreal width = chart.chart()->plotArea().width();
        QVERIFY(width > 300);
        const QList<QLineSeries*> lines = lineSeries(chart.chart());
        for (QLineSeries* series : lines)
            QVERIFY2(series->count() <= width + 2, qPrintable(QString::number(series->count())));
        auto extent = [](const QList<QPointF>& points) {
            cs::Extent e;
            e.include(points);
            return e.range();
        };
        const QList<QPointF> all = kind == FitChart::Kind::Function
                                       ? cs::networkCurve(p, false)
                                       : cs::errorCurve(p.x, p.fprime, p.fprimeHat);
        const QList<QPointF> drawn = lines[1]->points();
        QCOMPARE(extent(drawn).lo, extent(all).lo);
        QCOMPARE(extent(drawn).hi, extent(all).hi);
    }
    // A figure for a file (RunFigures) keeps every point.
    FitChart figure(FitChart::Kind::Function);
    figure.setAttribute(Qt::WA_DontShowOnScreen);
    figure.resize(700, 400);
    figure.show();
    figure.setPredictions(p);
    figure.redrawNow();
    QCOMPARE(lineSeries(figure.chart())[1]->count(), 4001);
}

// A curve whose points did not change is not handed to Qt Charts again: each replacement
// rebuilds its path. The true curve stays while the network learns.
void TestCharts::fitLeavesUnchangedCurves() {
    FitChart chart(FitChart::Kind::Function);
    Predictions p = rungePredictions();
    chart.setPredictions(p);
    chart.redrawNow();
    const QList<QLineSeries*> lines = lineSeries(chart.chart());
    QSignalSpy truthReplaced(lines[0], &QXYSeries::pointsReplaced);
    QSignalSpy networkReplaced(lines[1], &QXYSeries::pointsReplaced);
    p.fHat[100] += 0.1;
    chart.setPredictions(p);
    chart.redrawNow();
    QCOMPARE(truthReplaced.count(), 0);
    QCOMPARE(networkReplaced.count(), 1);
    QVERIFY(lines[1]->points().contains(QPointF(p.x[100], p.fHat[100])));
}

// A chart the window hides (presentation mode) is not redrawn for each snapshot, and is up to
// date when it is shown again.
void TestCharts::hiddenFitWaitsUntilShown() {
    QWidget window;
    auto* layout = new QHBoxLayout(&window);
    auto* shown = new FitChart(FitChart::Kind::Function);
    auto* hidden = new FitChart(FitChart::Kind::Derivative);
    layout->addWidget(hidden);
    layout->addWidget(shown);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    hidden->hide();
    const Predictions p = rungePredictions();
    // Both wait for the next frame; the hidden chart's frame comes first.
    hidden->setPredictions(p);
    shown->setPredictions(p);
    QTRY_COMPARE(shown->redrawCount(), 1);
    QCOMPARE(hidden->redrawCount(), 0);
    hidden->show();
    QCOMPARE(hidden->redrawCount(), 1);
    QCOMPARE(lineSeries(hidden->chart())[1]->points().constLast(),
             cs::networkCurve(p, true).constLast());
}

void TestCharts::fitRangeIsStable() {
    FitChart chart(FitChart::Kind::Derivative);
    Predictions p = rungePredictions();
    chart.setPredictions(p);
    chart.redrawNow();
    auto* y = yAxis<QValueAxis>(chart.chart());
    const double lo = y->min(), hi = y->max();
    QVERIFY(lo < -3.2 && hi > 3.2); // f' of Runge peaks at ±3.25

    // A prediction that still fits keeps the picture still...
    for (double& v : p.fprimeHat)
        v *= 0.5;
    chart.setPredictions(p);
    chart.redrawNow();
    QCOMPARE(y->min(), lo);
    QCOMPARE(y->max(), hi);

    // ...one that doesn't widens it.
    p.fprimeHat[200] = 20;
    chart.setPredictions(p);
    chart.redrawNow();
    QVERIFY(y->min() <= lo);
    QVERIFY(y->max() > 20);
}

void TestCharts::trainingMarkers_data() {
    QTest::addColumn<FitChart::Kind>("kind");
    QTest::addRow("function") << FitChart::Kind::Function;
    QTest::addRow("derivative") << FitChart::Kind::Derivative;
    QTest::addRow("error") << FitChart::Kind::Error;
}

void TestCharts::trainingMarkers() {
    QFETCH(FitChart::Kind, kind);
    FitChart chart(kind);
    std::vector<float> x;
    for (int i = 0; i < 5000; ++i)
        x.push_back(float(-1 + 2 * ((i * 7919) % 5000) / 4999.0));
    chart.setPredictions(rungePredictions());
    chart.setTrainingPoints(x);
    chart.redrawNow();

    QScatterSeries* markers = scatterSeries(chart.chart());
    if (kind == FitChart::Kind::Error) {
        QVERIFY(!markers);
        return;
    }
    QVERIFY(markers);
    QVERIFY(!chart.trainingPointsVisible());
    QVERIFY(!markers->isVisible());

    chart.setTrainingPointsVisible(true);
    chart.redrawNow();
    QVERIFY(markers->isVisible());
    // Thinned evenly to at most ~200, so that each point and the curves between them show.
    QVERIFY2(markers->count() >= 150 && markers->count() <= 200,
             qPrintable(QString::number(markers->count())));
    for (const QPointF& p : markers->points())
        QCOMPARE(p.y(), kind == FitChart::Kind::Function ? runge(p.x()) : rungePrime(p.x()));
    // Large, opaque, in a colour none of the curves has, drawn over them, and in the legend.
    QVERIFY(markers->markerSize() >= 8);
    QCOMPARE(markers->borderColor().alpha(), 255); // an opaque rim; the curves show through
    QVERIFY(markers->pen().widthF() >= 1.5);
    const QList<QAbstractSeries*> series = chart.chart()->series();
    QCOMPARE(series.constLast(), static_cast<QAbstractSeries*>(markers));
    for (QAbstractSeries* s : series)
        if (auto* line = qobject_cast<QLineSeries*>(s))
            QVERIFY(std::min(std::abs(line->color().hue() - markers->color().hue()),
                             360 - std::abs(line->color().hue() - markers->color().hue())) > 60 ||
                    line->color().saturation() < 60);
    const QList<QLegendMarker*> entries = chart.chart()->legend()->markers(markers);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.constFirst()->label(),
             QString("training points (%1 of 5000)").arg(markers->count()));
    // 15 points are all drawn, and seen: each one's colour in the picture.
    chart.resize(700, 450);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setTrainingPoints(std::vector<float>(x.begin(), x.begin() + 15));
    chart.redrawNow();
    QCOMPARE(markers->count(), 15);
    QCOMPARE(chart.chart()->legend()->markers(markers).constFirst()->label(),
             QString("training points"));
    QVERIFY(chart.chart()->legend()->markers(markers).constFirst()->isVisible());
    const QImage picture = chart.grab().toImage();
    QVERIFY2(testutil::pixelsNear(picture, markers->borderColor(),
                                  testutil::plotAreaIn(&chart, chart.chart())) >= 15 * 10,
             qPrintable(QString::number(testutil::pixelsNear(
                 picture, markers->borderColor(), testutil::plotAreaIn(&chart, chart.chart())))));

    chart.setTrainingPointsVisible(false);
    chart.redrawNow();
    QVERIFY(!markers->isVisible());
}

void TestCharts::renders_data() {
    // -1: training chart, -2: one whose loss falls over 12 decades, else a FitChart::Kind.
    QTest::addColumn<int>("which");
    QTest::addRow("training") << -1;
    QTest::addRow("training_long") << -2;
    QTest::addRow("function") << int(FitChart::Kind::Function);
    QTest::addRow("derivative") << int(FitChart::Kind::Derivative);
    QTest::addRow("error") << int(FitChart::Kind::Error);
}

void TestCharts::renders() {
    QFETCH(int, which);
    std::unique_ptr<QWidget> widget;
    QChart* qchart = nullptr;
    if (which < 0) {
        auto chart = std::make_unique<TrainingChart>();
        chart->setLossWeights(1, 0.1);
        auto history = syntheticHistory(which == -1 ? 1000 : 100000);
        if (which == -2)
            for (EpochMetrics& m : history)
                for (double* v :
                     {&m.loss, &m.mseF, &m.mseFprime, &m.valLoss, &m.valMseF, &m.valMseFprime})
                    *v *= std::pow(10.0, -10.0 * m.epoch / 100000);
        chart->setHistory(history);
        chart->setWeightedTermsVisible(which == -1);
        chart->redrawNow();
        qchart = chart->chart();
        widget = std::move(chart);
    } else {
        auto chart = std::make_unique<FitChart>(FitChart::Kind(which));
        chart->setPredictions(rungePredictions());
        // A class's handful of points: drawn over the curves, which still show between them.
        std::vector<float> x;
        for (int i = 0; i < 15; ++i)
            x.push_back(float(std::sin(i * 12.9898) * 0.5 + std::cos(i * 78.233) * 0.5));
        chart->setTrainingPoints(x);
        chart->setTrainingPointsVisible(true);
        chart->redrawNow();
        qchart = chart->chart();
        widget = std::move(chart);
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    keepImagesIfAsked(dir);
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget.get()));
    // The large size, and the small one a crowded window would give. Each picture shows
    // every curve and the legend and title texts.
    for (const QSize size : {QSize(700, 420), QSize(450, 300)}) {
        widget->resize(size);
        // The chart has laid out for the new size (the log axis picks its label spacing
        // from the final plot height once it has).
        QTRY_VERIFY(QRect(QPoint(0, 0), size).contains(plotAreaIn(widget.get(), qchart)));
        QCoreApplication::sendPostedEvents(); // a second layout the new size asked for
        const QImage image = widget->grab().toImage();
        QCOMPARE(image.size(), size);
        const QStringList problems = chartPictureProblems(image, widget.get(), qchart);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        const QString path =
            dir.filePath(QStringLiteral("charts_%1%2.png")
                             .arg(QString::fromLatin1(QTest::currentDataTag()),
                                  size.width() < 700 ? QStringLiteral("_small") : QString()));
        QVERIFY(image.save(path));
        QCOMPARE(QImage(path).convertToFormat(image.format()), image);
    }
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
