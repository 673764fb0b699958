// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepcharts.h"
#include "sweepmap.h"
#include "textformat.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QToolTip>
#include <QValueAxis>
#include <QtTest>

#include <array>
#include <cmath>
#include <limits>

using namespace sobolev;

class TestSweepCharts : public QObject {
    Q_OBJECT
  private slots:
    void knobLabels();
    void tradeoffFront_data();
    void tradeoffFront();
    void hoverAndClickNameTheRun_data();
    void hoverAndClickNameTheRun();
    void knobMedians_data();
    void knobMedians();
    void secondKnobGroups();
    void seedEnsemble();
    void rebuildDoesNotAccumulate_data();
    void rebuildDoesNotAccumulate();
    void renders_data();
    void renders();
    void gridCells();
    void noMapWithoutTwoNumericKnobs_data();
    void noMapWithoutTwoNumericKnobs();
    void mapAxesAndRatioLines();
    void mapColoursAndDivergedCells();
    void mapHoverAndClickNameTheCell();
    void sliceAgainstRatio();
    void mapRenders();
};

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

SweepRunView makeRun(const QString& id, std::vector<double> knobs, std::uint64_t seed, double f,
                     double fprime) {
    SweepRunView run{id, std::move(knobs), seed, {}};
    run.report.mseF = f;
    run.report.mseFprime = fprime;
    run.report.stopReason = std::isfinite(f) ? StopReason::Completed : StopReason::Diverged;
    return run;
}

// A β sweep {0, 0.1, 1, 10} x seeds, errors 1e-7..1e-4 as the real runs give them: more β
// trades a worse f for a much better f'. Seed 3 of β=10 diverges if `withDiverged`.
SweepView betaSweep(int seeds, bool withDiverged, std::vector<Knob> knobs = {Knob::Beta}) {
    SweepView view{std::move(knobs), {}};
    const std::vector<double> betas{0, 0.1, 1, 10};
    const std::vector<double> widths{16, 64};
    const int groups = view.knobs.size() >= 2 ? 2 : 1;
    for (std::size_t i = 0; i < betas.size(); ++i) {
        for (int w = 0; w < groups; ++w) {
            for (int s = 1; s <= seeds; ++s) {
                // Seeds apart by ~0.15 decades, so that no dot hides another.
                const double jitter = std::array{0.7, 1.0, 1.4}[std::size_t(s - 1) % 3] *
                                      (1 + 0.1 * std::sin(double(i) + w));
                const double f = 2e-7 * std::pow(3.0, double(i)) * jitter / (1 + w);
                const double fprime =
                    8e-5 / std::pow(4.0, double(i)) * (2 - jitter) / (1 + 0.5 * w);
                std::vector<double> values{betas[i]};
                if (groups == 2)
                    values.push_back(widths[std::size_t(w)]);
                const bool dies = withDiverged && i == 3 && s == 3 && w == 0;
                view.runs << makeRun(QStringLiteral("b%1-w%2-s%3").arg(i).arg(w).arg(s), values,
                                     std::uint64_t(s), dies ? notANumber : f,
                                     dies ? notANumber : fprime);
            }
        }
    }
    return view;
}

QChartView* viewOf(QChart* chart) {
    return qobject_cast<QChartView*>(chart->scene()->views().constFirst());
}

template <typename Series> QList<Series*> seriesOf(QChart* chart) {
    QList<Series*> found;
    for (QAbstractSeries* s : chart->series())
        if (auto* typed = qobject_cast<Series*>(s))
            found << typed;
    return found;
}

int scatterPoints(QChart* chart) {
    int n = 0;
    for (QScatterSeries* s : seriesOf<QScatterSeries>(chart))
        n += int(s->count());
    return n;
}

bool legendShows(QChart* chart, QAbstractSeries* series) {
    const QList<QLegendMarker*> markers = chart->legend()->markers(series);
    return !markers.isEmpty() && markers.constFirst()->isVisible();
}

// Series that would be freed on a rebuild: the chart's own and the bands' boundaries.
int seriesObjects(QChart* chart) {
    return int(chart->findChildren<QAbstractSeries*>().size());
}

void compareFuzzy(const QList<QPointF>& actual, const QList<QPointF>& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QVERIFY2(qFuzzyCompare(actual[i].x() + 1, expected[i].x() + 1) &&
                     qFuzzyCompare(actual[i].y(), expected[i].y()),
                 qPrintable(QStringLiteral("point %1: (%2, %3), expected (%4, %5)")
                                .arg(i)
                                .arg(actual[i].x())
                                .arg(actual[i].y())
                                .arg(expected[i].x())
                                .arg(expected[i].y())));
    }
}

// An α × β sweep whose error depends on β/α alone (as with Adam, up to ε), times a factor per
// seed: seed s of a cell has MSE f = 1e-4·r^(-1/2)·s and MSE f′ = 1e-3·r^(1/2)·s... with
// r = β/α, and the H¹ error from them. The cell (α, β) in `diverged` has every seed diverge.
SweepView alphaBetaSweep(const std::vector<double>& alphas, const std::vector<double>& betas,
                         int seeds, std::pair<double, double> diverged = {notANumber, notANumber}) {
    SweepView view{{Knob::Alpha, Knob::Beta}, {}};
    for (double a : alphas)
        for (double b : betas)
            for (int s = 1; s <= seeds; ++s) {
                const double r = b / a;
                const bool dies = a == diverged.first && b == diverged.second;
                view.runs << makeRun(QStringLiteral("a%1-b%2-s%3").arg(a).arg(b).arg(s), {a, b},
                                     std::uint64_t(s), dies ? notANumber : 1e-4 * s / std::sqrt(r),
                                     dies ? notANumber : 1e-3 * s * std::sqrt(r));
            }
    return view;
}

const GridCell* cellAt(const SweepGrid& grid, double x, double y) {
    for (const GridCell& cell : grid.cells)
        if (grid.xOf(cell) == x && grid.yOf(cell) == y)
            return &cell;
    return nullptr;
}

} // namespace

void TestSweepCharts::knobLabels() {
    QCOMPARE(knobLabel(Knob::Beta), QStringLiteral("β"));
    QCOMPARE(knobLabel(Knob::Alpha), QStringLiteral("α"));
    QCOMPARE(knobLabel(Knob::BetaOverAlpha), QStringLiteral("β/α"));
    QCOMPARE(knobLabel(Knob::LearningRate), QStringLiteral("learning rate"));
    QCOMPARE(knobLabel(Knob::Width), QStringLiteral("width"));
    QCOMPARE(knobLabel(Knob::Depth), QStringLiteral("depth"));
}

void TestSweepCharts::tradeoffFront_data() {
    QTest::addColumn<QList<double>>("f");
    QTest::addColumn<QList<double>>("fprime");
    QTest::addColumn<QStringList>("front");
    QTest::addColumn<int>("points");

    // r2 is beaten by r1 in both errors; r3 by r1 in f' at an equal f.
    QTest::newRow("dominated left out")
        << QList<double>{1e-5, 1e-4, 1e-3, 1e-4, 1e-6}
        << QList<double>{1e-3, 1e-5, 1e-4, 1e-4, 1e-2} << QStringList{"r4", "r0", "r1"} << 5;
    QTest::newRow("diverged runs neither drawn nor on the front")
        << QList<double>{1e-5, notANumber, 1e-4, 1e-8, 2e-5}
        << QList<double>{1e-4, 1e-9, 1e-5, infinity, 1e-6} << QStringList{"r0", "r4"} << 3;
    QTest::newRow("single run") << QList<double>{3e-6} << QList<double>{2e-4} << QStringList{"r0"}
                                << 1;
    QTest::newRow("all diverged") << QList<double>{notANumber, notANumber}
                                  << QList<double>{notANumber, notANumber} << QStringList{} << 0;
    // A zero cannot sit on a log axis; it must not put an invisible point on the front.
    QTest::newRow("zero error") << QList<double>{0, 1e-5} << QList<double>{1e-6, 1e-4}
                                << QStringList{"r1"} << 1;
}

void TestSweepCharts::tradeoffFront() {
    QFETCH(QList<double>, f);
    QFETCH(QList<double>, fprime);
    QFETCH(QStringList, front);
    QFETCH(int, points);

    SweepView view{{Knob::Beta}, {}};
    for (int i = 0; i < f.size(); ++i)
        view.runs << makeRun(QStringLiteral("r%1").arg(i), {double(i % 2)}, 1, f[i], fprime[i]);
    TradeoffChart chart;
    chart.setSweep(view);

    QCOMPARE(chart.frontIds(), front);
    QCOMPARE(chart.pointCount(), points);
    QCOMPARE(scatterPoints(chart.chart()), points);
    for (QScatterSeries* s : seriesOf<QScatterSeries>(chart.chart()))
        for (const QPointF& p : s->points())
            QVERIFY(std::isfinite(p.x()) && std::isfinite(p.y()) && p.x() > 0 && p.y() > 0);
    // The line joins the front in order of MSE f.
    const QList<QLineSeries*> lines = seriesOf<QLineSeries>(chart.chart());
    QCOMPARE(lines.size(), front.isEmpty() ? 0 : 1);
    if (!front.isEmpty()) {
        QCOMPARE(lines[0]->count(), front.size());
        for (qsizetype i = 1; i < lines[0]->count(); ++i)
            QVERIFY(lines[0]->at(i).x() >= lines[0]->at(i - 1).x());
    }
}

void TestSweepCharts::hoverAndClickNameTheRun_data() {
    QTest::addColumn<bool>("tradeoff");
    QTest::addColumn<QString>("id");
    QTest::newRow("trade-off, front run") << true << QStringLiteral("b0-w0-s1");
    QTest::newRow("trade-off, dominated run") << true << QStringLiteral("b2-w0-s2");
    QTest::newRow("knob chart, seed dot") << false << QStringLiteral("b1-w0-s3");
}

void TestSweepCharts::hoverAndClickNameTheRun() {
    QFETCH(bool, tradeoff);
    QFETCH(QString, id);

    const SweepView view = betaSweep(3, true);
    TradeoffChart tradeoffChart;
    KnobChart knobChart;
    QWidget* widget = tradeoff ? static_cast<QWidget*>(&tradeoffChart) : &knobChart;
    QChart* chart = tradeoff ? tradeoffChart.chart() : knobChart.charts().constFirst();
    QSignalSpy tradeoffSpy(&tradeoffChart, &TradeoffChart::runClicked);
    QSignalSpy knobSpy(&knobChart, &KnobChart::runClicked);
    tradeoffChart.setSweep(view);
    knobChart.setSweep(view);
    widget->resize(900, 450);
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget));

    const SweepRunView* run = nullptr;
    for (const SweepRunView& r : view.runs)
        if (r.id == id)
            run = &r;
    QVERIFY(run);
    // Find the run's dot: in the trade-off at its two errors, in the knob chart at its MSE f.
    QScatterSeries* series = nullptr;
    QPointF point;
    for (QScatterSeries* s : seriesOf<QScatterSeries>(chart))
        for (const QPointF& p : s->points())
            if (p.y() == (tradeoff ? run->report.mseFprime : run->report.mseF) &&
                (!tradeoff || p.x() == run->report.mseF)) {
                series = s;
                point = p;
            }
    QVERIFY(series);

    QChartView* chartView = viewOf(chart);
    const QPoint at =
        chartView->mapFromScene(chart->mapToScene(chart->mapToPosition(point, series)));
    QVERIFY(chartView->viewport()->rect().contains(at));
    QTest::mouseMove(chartView->viewport(), at + QPoint(0, 30));
    QTest::mouseMove(chartView->viewport(), at);
    QTRY_VERIFY(QToolTip::isVisible());
    const QString expected = QStringLiteral("β=%1, seed %2").arg(run->knobValues[0]).arg(run->seed);
    QVERIFY2(QToolTip::text().contains(expected), qPrintable(QToolTip::text()));
    QVERIFY2(QToolTip::text().contains(QString::number(run->report.mseFprime, 'e', 2)),
             qPrintable(QToolTip::text()));
    QTest::mouseClick(chartView->viewport(), Qt::LeftButton, {}, at);

    QSignalSpy& spy = tradeoff ? tradeoffSpy : knobSpy;
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.constFirst().constFirst().toString(), id);
}

void TestSweepCharts::knobMedians_data() {
    QTest::addColumn<QList<double>>("oneSeeds"); // MSE f of the 3 seeds at β=1
    QTest::addColumn<QList<QPointF>>("median");
    QTest::addColumn<QList<QPointF>>("lower");
    QTest::addColumn<QList<QPointF>>("upper");
    QTest::addColumn<int>("dots");

    // β=0 always has seeds 1e-5, 3e-5, 2e-5: median 2e-5, band 1e-5..3e-5, at x = 0.
    QTest::newRow("all finite") << QList<double>{4e-6, 1e-6, 9e-6}
                                << QList<QPointF>{{0, 2e-5}, {1, 4e-6}}
                                << QList<QPointF>{{0, 1e-5}, {1, 1e-6}}
                                << QList<QPointF>{{0, 3e-5}, {1, 9e-6}} << 6;
    QTest::newRow("one seed diverged")
        << QList<double>{4e-6, notANumber, 1e-6} << QList<QPointF>{{0, 2e-5}, {1, 2.5e-6}}
        << QList<QPointF>{{0, 1e-5}, {1, 1e-6}} << QList<QPointF>{{0, 3e-5}, {1, 4e-6}} << 5;
    // Nothing at β=1; β=0 alone is drawn as a short bar around its position.
    QTest::newRow("all seeds of a value diverged")
        << QList<double>{notANumber, infinity, notANumber}
        << QList<QPointF>{{-0.15, 2e-5}, {0.15, 2e-5}}
        << QList<QPointF>{{-0.15, 1e-5}, {0.15, 1e-5}}
        << QList<QPointF>{{-0.15, 3e-5}, {0.15, 3e-5}} << 3;
}

void TestSweepCharts::knobMedians() {
    QFETCH(QList<double>, oneSeeds);
    QFETCH(QList<QPointF>, median);
    QFETCH(QList<QPointF>, lower);
    QFETCH(QList<QPointF>, upper);
    QFETCH(int, dots);

    const QList<double> zeroSeeds{1e-5, 3e-5, 2e-5};
    SweepView view{{Knob::Beta}, {}};
    for (int s = 0; s < 3; ++s) {
        // Listed out of order: the chart sorts the values.
        view.runs << makeRun(QStringLiteral("one-%1").arg(s), {1.0}, std::uint64_t(s), oneSeeds[s],
                             1e-3);
        view.runs << makeRun(QStringLiteral("zero-%1").arg(s), {0.0}, std::uint64_t(s),
                             zeroSeeds[s], 1e-3);
    }
    KnobChart chart;
    chart.setSweep(view);
    QChart* f = chart.charts().constFirst();

    const QList<QLineSeries*> lines = seriesOf<QLineSeries>(f);
    QCOMPARE(lines.size(), 1);
    compareFuzzy(lines[0]->points(), median);
    const QList<QAreaSeries*> bands = seriesOf<QAreaSeries>(f);
    QCOMPARE(bands.size(), 1);
    compareFuzzy(bands[0]->lowerSeries()->points(), lower);
    compareFuzzy(bands[0]->upperSeries()->points(), upper);
    QCOMPARE(scatterPoints(f), dots);

    auto* axis = qobject_cast<QCategoryAxis*>(f->axes(Qt::Horizontal).constFirst());
    QVERIFY(axis);
    QCOMPARE(axis->categoriesLabels(), (QStringList{"0", "1"}));
    QCOMPARE(axis->titleText(), QStringLiteral("β"));
    // Log range rounded out to decades around every finite seed.
    auto* y = qobject_cast<QLogValueAxis*>(f->axes(Qt::Vertical).constFirst());
    auto byY = [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); };
    const double lowest = std::min_element(lower.cbegin(), lower.cend(), byY)->y();
    const double highest = std::max_element(upper.cbegin(), upper.cend(), byY)->y();
    QVERIFY(y->min() <= lowest && y->min() * 10 > lowest);
    QVERIFY(y->max() >= highest && y->max() < highest * 10);
    QVERIFY(std::abs(std::log10(y->min()) - std::round(std::log10(y->min()))) < 1e-6);

    // The f' plot has every seed at 1e-3: a flat line, a band of no height.
    QChart* fprime = chart.charts().constLast();
    compareFuzzy(seriesOf<QLineSeries>(fprime).constFirst()->points(), {{0, 1e-3}, {1, 1e-3}});
    QCOMPARE(scatterPoints(fprime), 6);
}

void TestSweepCharts::secondKnobGroups() {
    const SweepView view = betaSweep(3, false, {Knob::Beta, Knob::Width});
    KnobChart chart;
    chart.setSweep(view);
    // A legend marker is a graphics item: it counts as visible only on a shown chart.
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    for (QChart* c : chart.charts()) {
        QStringList legend;
        QList<QColor> colors;
        for (QLineSeries* line : seriesOf<QLineSeries>(c)) {
            if (!legendShows(c, line))
                continue;
            legend << line->name();
            colors << line->color();
            QCOMPARE(line->count(), 4); // one median per β
        }
        QCOMPARE(legend, (QStringList{"width=16", "width=64"}));
        QVERIFY(colors[0] != colors[1]);
        // Bands and dots are explained by the lines' entries; only the groups are listed.
        for (QAbstractSeries* s : c->series())
            if (!qobject_cast<QLineSeries*>(s) || qobject_cast<QScatterSeries*>(s))
                QVERIFY(!legendShows(c, s));
        QCOMPARE(seriesOf<QAreaSeries>(c).size(), 2);
        QCOMPARE(scatterPoints(c), 24);
    }

    // The trade-off colours the first knob and shapes the second: β=1 at width 16 and at
    // width 64 share a colour and differ in shape.
    TradeoffChart tradeoff;
    tradeoff.setSweep(view);
    QHash<QString, QScatterSeries*> byName;
    for (QScatterSeries* dots : seriesOf<QScatterSeries>(tradeoff.chart()))
        byName.insert(dots->name(), dots);
    QCOMPARE(byName.size(), 8);
    QScatterSeries* narrow = byName.value(QStringLiteral("β=1, width=16"));
    QScatterSeries* wide = byName.value(QStringLiteral("β=1, width=64"));
    QVERIFY(narrow && wide);
    QCOMPARE(narrow->color(), wide->color());
    QVERIFY(narrow->markerShape() != wide->markerShape());
    QCOMPARE(narrow->count() + wide->count(), 6);
}

void TestSweepCharts::seedEnsemble() {
    SweepView view{{}, {}};
    for (std::uint64_t s : {3u, 1u, 2u})
        view.runs << makeRun(QStringLiteral("s%1").arg(s), {}, s, 1e-5 * double(s),
                             1e-4 * double(s));
    KnobChart knobs;
    knobs.setSweep(view);
    QChart* f = knobs.charts().constFirst();
    auto* axis = qobject_cast<QCategoryAxis*>(f->axes(Qt::Horizontal).constFirst());
    QCOMPARE(axis->categoriesLabels(), (QStringList{"1", "2", "3"}));
    QCOMPARE(axis->titleText(), QStringLiteral("seed"));
    // One level across all seeds: the median of 1e-5, 2e-5, 3e-5.
    compareFuzzy(seriesOf<QLineSeries>(f).constFirst()->points(), {{-0.15, 2e-5}, {2.15, 2e-5}});
    QCOMPARE(scatterPoints(f), 3);

    TradeoffChart tradeoff;
    tradeoff.setSweep(view);
    QCOMPARE(tradeoff.pointCount(), 3);
    QCOMPARE(tradeoff.frontIds(), QStringList{"s1"});
}

void TestSweepCharts::rebuildDoesNotAccumulate_data() {
    QTest::addColumn<int>("knobs");
    QTest::newRow("one knob") << 1;
    QTest::newRow("two knobs") << 2;
}

void TestSweepCharts::rebuildDoesNotAccumulate() {
    QFETCH(int, knobs);
    const std::vector<Knob> all{Knob::Beta, Knob::Width};
    const SweepView full = betaSweep(3, true, {all.begin(), all.begin() + knobs});

    KnobChart knobChart;
    TradeoffChart tradeoffChart;
    const QList<QChart*> charts = knobChart.charts() << tradeoffChart.chart();
    for (qsizetype n = 0; n <= full.runs.size(); ++n) {
        SweepView part{full.knobs, full.runs.mid(0, n)};
        knobChart.setSweep(part);
        tradeoffChart.setSweep(part);

        KnobChart freshKnob;
        TradeoffChart freshTradeoff;
        freshKnob.setSweep(part);
        freshTradeoff.setSweep(part);
        const QList<QChart*> fresh = freshKnob.charts() << freshTradeoff.chart();
        for (qsizetype c = 0; c < charts.size(); ++c) {
            QCOMPARE(charts[c]->series().size(), fresh[c]->series().size());
            QCOMPARE(seriesObjects(charts[c]), seriesObjects(fresh[c]));
            QCOMPARE(charts[c]->axes().size(), 2);
            QCOMPARE(scatterPoints(charts[c]), scatterPoints(fresh[c]));
        }
    }
    QCOMPARE(tradeoffChart.pointCount(), int(full.runs.size()) - 1);
}

void TestSweepCharts::renders_data() {
    QTest::addColumn<int>("knobs");
    QTest::addColumn<bool>("diverged");
    QTest::newRow("beta") << 1 << false;
    QTest::newRow("beta-width-diverged") << 2 << true;
    QTest::newRow("ensemble") << 0 << false;
}

// Draws both charts at the size of the sweep window. Set SWEEPCHARTS_PNG_DIR to keep the
// images for a look.
void TestSweepCharts::renders() {
    QFETCH(int, knobs);
    QFETCH(bool, diverged);
    const std::vector<Knob> all{Knob::Beta, Knob::Width};
    SweepView view = betaSweep(3, diverged, {all.begin(), all.begin() + knobs});
    if (knobs == 0)
        view.runs = view.runs.mid(0, 3);

    KnobChart knobChart;
    TradeoffChart tradeoffChart;
    knobChart.setSweep(view);
    tradeoffChart.setSweep(view);
    const QString dir = qEnvironmentVariable("SWEEPCHARTS_PNG_DIR");
    const std::array<std::pair<QWidget*, QString>, 2> widgets{
        {{&knobChart, QStringLiteral("knob")}, {&tradeoffChart, QStringLiteral("tradeoff")}}};
    for (auto [widget, name] : widgets) {
        widget->resize(900, 450);
        widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(widget));
        const QImage image = widget->grab().toImage();
        QCOMPARE(image.size(), QSize(900, 450));
        // Some dots were drawn: pixels far from grey in the picture.
        int coloured = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                coloured += std::max({c.red(), c.green(), c.blue()}) -
                                std::min({c.red(), c.green(), c.blue()}) >
                            60;
            }
        QVERIFY2(coloured > 150, qPrintable(QString::number(coloured)));
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(
                image.save(QStringLiteral("%1/%2-%3.png").arg(dir, name, QTest::currentDataTag())));
        }
        widget->hide();
    }
}

void TestSweepCharts::gridCells() {
    const SweepView view = alphaBetaSweep({0.1, 1, 10}, {1, 100}, 3, {10, 1});
    QString why;
    const auto grid = sweepGrid(view, MapError::MseF, &why);
    QVERIFY2(grid, qPrintable(why));
    QVERIFY(why.isEmpty());
    QCOMPARE(grid->xs, (std::vector<double>{0.1, 1, 10}));
    QCOMPARE(grid->ys, (std::vector<double>{1, 100}));
    QCOMPARE(grid->cells.size(), 6);
    // α = 1, β = 100: r = 100, MSE f = 1e-5·s for s = 1, 2, 3.
    const GridCell* cell = cellAt(*grid, 1, 100);
    QVERIFY(cell);
    QCOMPARE(cell->runs.size(), 3);
    QCOMPARE(cell->finite, 3);
    QVERIFY(qFuzzyCompare(cell->median, 2e-5));
    QVERIFY(qFuzzyCompare(cell->min, 1e-5));
    QVERIFY(qFuzzyCompare(cell->max, 3e-5));
    QVERIFY(qFuzzyCompare(grid->ratioOf(*cell), 100));
    const GridCell* dead = cellAt(*grid, 10, 1);
    QVERIFY(dead && dead->allDiverged());
    QCOMPARE(dead->diverged, 3);
    // The H¹ error is sqrt(MSE f + MSE f′) of each run.
    const auto h1 = sweepGrid(view, MapError::H1, nullptr);
    QVERIFY(qFuzzyCompare(cellAt(*h1, 1, 100)->median, std::sqrt(2e-5 + 2e-2)));
    const DataTable table = sweepGridTable(*grid);
    QCOMPARE(table.columns, (QStringList{"alpha", "beta", "beta_over_alpha", "seeds", "diverged",
                                         "median", "min", "max"}));
    QCOMPARE(table.rows.size(), 6);
}

void TestSweepCharts::noMapWithoutTwoNumericKnobs_data() {
    QTest::addColumn<SweepView>("view");
    QTest::addColumn<QString>("reason");
    QTest::newRow("one knob") << betaSweep(2, false) << QStringLiteral("two knobs");
    QTest::newRow("seed ensemble") << betaSweep(2, false, {}) << QStringLiteral("seed ensemble");
    QTest::newRow("a choice knob")
        << betaSweep(2, false, {Knob::Beta, Knob::Schedule}) << QStringLiteral("choice");
    SweepView one = alphaBetaSweep({1}, {0.1, 1}, 2);
    QTest::newRow("one value of α") << one << QStringLiteral("at least two values");
}

void TestSweepCharts::noMapWithoutTwoNumericKnobs() {
    QFETCH(SweepView, view);
    QFETCH(QString, reason);
    SweepMapChart map;
    RatioSliceChart slice;
    map.setSweep(alphaBetaSweep({0.1, 1}, {0.1, 1}, 1));
    QVERIFY(map.grid());
    map.setSweep(view);
    QVERIFY(!map.grid());
    QVERIFY2(map.whyNoMap().contains(reason), qPrintable(map.whyNoMap()));
    QVERIFY(map.chart()->series().isEmpty());
    // The reason is shown where the map would be.
    const QList<QLabel*> labels = map.findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [&](QLabel* l) {
        return l->text() == map.whyNoMap() && l->isVisibleTo(&map);
    }));
    slice.setSweep(view);
    QVERIFY(!slice.grid());
    QVERIFY(slice.whyNoSlice().contains(reason));
}

void TestSweepCharts::mapAxesAndRatioLines() {
    SweepMapChart map;
    map.resize(800, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    const std::vector<double> decades{1e-3, 1e-2, 0.1, 1, 10, 100, 1000};
    map.setSweep(alphaBetaSweep(decades, decades, 1));
    QVERIFY(map.grid());
    QCOMPARE(map.chart()->axes(Qt::Horizontal).size(), 1);
    QVERIFY(qobject_cast<QLogValueAxis*>(map.chart()->axes(Qt::Horizontal).constFirst()));
    QVERIFY(qobject_cast<QLogValueAxis*>(map.chart()->axes(Qt::Vertical).constFirst()));
    // Lines of β/α = 1e-6 … 1e6 cross the plot: every second decade, β/α = 1 among them.
    const std::vector<double> ratios = map.ratioLines();
    QCOMPARE(ratios.size(), std::size_t(7));
    QVERIFY(std::any_of(ratios.cbegin(), ratios.cend(), [](double r) { return r == 1; }));
    for (double r : ratios)
        QVERIFY2(std::abs(std::log10(r) - std::round(std::log10(r) / 2) * 2) < 1e-12,
                 qPrintable(QString::number(r)));
    // Each line is named by a label in the chart, so exports show it too.
    QStringList shown;
    for (QGraphicsItem* item : map.chart()->childItems())
        for (QGraphicsItem* child : item->childItems())
            if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(child))
                shown << text->text();
    QVERIFY2(shown.contains(QStringLiteral("β/α=1")), qPrintable(shown.join(' ')));
    QVERIFY2(shown.contains(QStringLiteral("β/α=100")), qPrintable(shown.join(' ')));

    // Width × depth: linear axes (the registry does not log-scale them), no ratio lines.
    SweepView wd{{Knob::Width, Knob::Depth}, {}};
    for (double w : {16, 32, 64})
        for (double d : {1, 2, 3})
            wd.runs << makeRun(QStringLiteral("w%1d%2").arg(w).arg(d), {w, d}, 1, 1e-5 * d, 1e-3);
    map.setSweep(wd);
    QVERIFY(map.grid());
    QVERIFY(qobject_cast<QValueAxis*>(map.chart()->axes(Qt::Horizontal).constFirst()));
    QVERIFY(qobject_cast<QValueAxis*>(map.chart()->axes(Qt::Vertical).constFirst()));
    QVERIFY(map.ratioLines().empty());
    QCOMPARE(map.chart()->series().size(), 9);
    // The learning rate is log-scaled, β too.
    SweepView lrBeta{{Knob::LearningRate, Knob::Beta}, {}};
    for (double lr : {1e-4, 1e-3, 1e-2})
        for (double b : {0.1, 1.0})
            lrBeta.runs << makeRun(QStringLiteral("lr%1b%2").arg(lr).arg(b), {lr, b}, 1, lr, b);
    map.setSweep(lrBeta);
    QVERIFY(qobject_cast<QLogValueAxis*>(map.chart()->axes(Qt::Horizontal).constFirst()));
    QVERIFY(map.ratioLines().empty());
}

void TestSweepCharts::mapColoursAndDivergedCells() {
    SweepMapChart map;
    map.setError(MapError::MseFprime);
    map.setSweep(alphaBetaSweep({0.1, 1, 10}, {0.1, 1, 10}, 3, {1, 10}));
    map.resize(800, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    QVERIFY(map.grid());
    const SweepGrid& grid = *map.grid();
    double lo = infinity, hi = 0;
    for (const GridCell& cell : grid.cells)
        if (!cell.allDiverged()) {
            lo = std::min(lo, cell.median);
            hi = std::max(hi, cell.median);
        }
    // The scale runs from the smallest median (viridis' dark end) to the largest (yellow).
    QCOMPARE(map.colourOf(lo), viridis(0));
    QCOMPARE(map.colourOf(hi), viridis(1));
    QCOMPARE(viridis(0), QColor(0x44, 0x01, 0x54));
    QCOMPARE(viridis(1), QColor(0xfd, 0xe7, 0x25));
    for (int i = 0; i < grid.cells.size(); ++i) {
        const QBrush brush = map.cellSeries(i)->brush();
        if (grid.cells[i].allDiverged()) {
            QCOMPARE(brush.style(), Qt::BDiagPattern);
            QVERIFY(legendShows(map.chart(), map.cellSeries(i)));
        } else {
            QCOMPARE(brush.style(), Qt::SolidPattern);
            QCOMPARE(brush.color(), map.colourOf(grid.cells[i].median));
        }
    }
    QVERIFY2(map.chart()->title().contains(QStringLiteral("1 cells diverged")) ||
                 map.chart()->title().contains(QStringLiteral("1 cell diverged")),
             qPrintable(map.chart()->title()));
    QVERIFY(map.chart()->title().contains(QStringLiteral("MSE f′")));
}

void TestSweepCharts::mapHoverAndClickNameTheCell() {
    const SweepView view = alphaBetaSweep({0.1, 1, 10}, {0.1, 1, 10}, 3, {10, 0.1});
    SweepMapChart map;
    QSignalSpy spy(&map, &SweepMapChart::runsClicked);
    map.setError(MapError::MseF);
    map.setSweep(view);
    map.resize(800, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    QChart* chart = map.chart();
    QChartView* chartView = viewOf(chart);
    const auto pointAt = [&](double a, double b) {
        return chartView->mapFromScene(
            chart->mapToScene(chart->mapToPosition({a, b}, chart->series().constFirst())));
    };

    // α = 1, β = 10: MSE f = 1e-4·s/√10 for seeds 1, 2, 3.
    QPoint at = pointAt(1, 10);
    QTest::mouseMove(chartView->viewport(), at + QPoint(0, 5));
    QTest::mouseMove(chartView->viewport(), at);
    QTRY_VERIFY(QToolTip::isVisible());
    QString text = QToolTip::text();
    QVERIFY2(text.contains(QStringLiteral("α=1, β=10")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("β/α=10")), qPrintable(text));
    QVERIFY2(text.contains(errorText(2e-4 / std::sqrt(10.0))), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("%1 – %2").arg(errorText(1e-4 / std::sqrt(10.0)),
                                                         errorText(3e-4 / std::sqrt(10.0)))),
             qPrintable(text));
    QTest::mouseClick(chartView->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.constFirst().constFirst().toStringList(),
             (QStringList{"a1-b10-s1", "a1-b10-s2", "a1-b10-s3"}));

    // The diverged cell says so.
    QToolTip::hideText();
    at = pointAt(10, 0.1);
    QTest::mouseMove(chartView->viewport(), at + QPoint(0, -5));
    QTest::mouseMove(chartView->viewport(), at);
    QTRY_VERIFY(QToolTip::isVisible() && QToolTip::text().contains(QStringLiteral("diverged")));
}

void TestSweepCharts::sliceAgainstRatio() {
    RatioSliceChart slice;
    slice.setError(MapError::MseF);
    slice.setSweep(alphaBetaSweep({0.1, 1, 10}, {0.1, 1, 10}, 3));
    QVERIFY(slice.grid());
    QVERIFY(slice.whyNoSlice().isEmpty());
    // One dot per cell at its β/α (shifted by at most an eighth of a decade) and its median,
    // one series per α; a whisker from min to max under each dot.
    const QList<QScatterSeries*> dots = seriesOf<QScatterSeries>(slice.chart());
    QCOMPARE(dots.size(), 3);
    QCOMPARE(scatterPoints(slice.chart()), 9);
    const QList<QLineSeries*> whiskers = seriesOf<QLineSeries>(slice.chart());
    QCOMPARE(whiskers.size(), 9);
    for (QScatterSeries* series : dots)
        for (const QPointF& p : series->points()) {
            // With error = 2e-4/sqrt(r) (the seeds' median), r is read back from the dot.
            const double r = std::pow(2e-4 / p.y(), 2);
            QVERIFY2(std::abs(std::log10(p.x() / r)) <= 0.125 + 1e-9,
                     qPrintable(QStringLiteral("%1 %2").arg(p.x()).arg(r)));
        }
    for (QLineSeries* whisker : whiskers) {
        QCOMPARE(whisker->count(), 2);
        QCOMPARE(whisker->at(0).x(), whisker->at(1).x());
        QVERIFY(qFuzzyCompare(whisker->at(1).y() / whisker->at(0).y(), 3));
    }
    SweepView wd{{Knob::Width, Knob::Beta}, {}};
    for (double w : {16, 32})
        for (double b : {1, 10})
            wd.runs << makeRun(QStringLiteral("w%1b%2").arg(w).arg(b), {w, b}, 1, 1e-5, 1e-3);
    slice.setSweep(wd);
    QVERIFY(!slice.grid());
    QVERIFY(slice.whyNoSlice().contains(QStringLiteral("α and β")));
}

// Set SWEEPCHARTS_PNG_DIR to keep the images for a look.
void TestSweepCharts::mapRenders() {
    SweepMapChart map;
    map.setSweep(alphaBetaSweep({1e-3, 1e-2, 0.1, 1, 10, 100, 1000},
                                {1e-3, 1e-2, 0.1, 1, 10, 100, 1000}, 3, {1000, 1e-3}));
    map.resize(800, 620);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    const QImage image = map.grab().toImage();
    // The colour bar right of the plot holds both ends of the scale.
    const QRectF plot = map.chart()->plotArea();
    const int barX = int(plot.right() + 16 + 7);
    const QColor bottom = image.pixelColor(barX, int(plot.bottom()) - 3);
    QVERIFY2(std::abs(bottom.red() - 0x44) + std::abs(bottom.green() - 0x01) +
                     std::abs(bottom.blue() - 0x54) <
                 12,
             qPrintable(bottom.name()));
    const QColor top = image.pixelColor(barX, int(plot.top()) + 3);
    QVERIFY2(top.red() > 200 && top.green() > 200 && top.blue() < 100, qPrintable(top.name()));
    const QString dir = qEnvironmentVariable("SWEEPCHARTS_PNG_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(dir + QStringLiteral("/map.png")));
    }
}

QTEST_MAIN(TestSweepCharts)
#include "tst_sweepcharts.moc"
