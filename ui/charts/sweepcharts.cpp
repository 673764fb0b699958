// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepcharts.h"

#include "chartstyle.h"
#include "core/eval/ensemble.h"
#include "textformat.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace sobolev {

namespace cs = chartstyle;

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
// Half the width of the bar drawn for a value with no neighbour to join, in category units.
constexpr double loneHalfWidth = 0.15;
// The knob-2 groups are shifted apart at each x by at most this much in all, so their seeds
// don't hide each other while still reading as one value.
constexpr double dodgeSpan = 0.36;
constexpr cs::Range fallbackRange{1e-4, 1};
const QColor frontColor(0x44, 0x44, 0x44);

QString translate(const char* text) {
    return QCoreApplication::translate("sobolev::SweepCharts", text);
}

QColor withAlpha(QColor c, float alpha) {
    c.setAlphaF(alpha);
    return c;
}

double knobOf(const SweepRunView& run, std::size_t k) {
    return k < run.knobValues.size() ? run.knobValues[k] : notANumber;
}

std::vector<double> distinctFinite(std::vector<double> values) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

// -1 for a value that is not among `sorted` (a NaN).
int indexIn(const std::vector<double>& sorted, double value) {
    const auto it = std::lower_bound(sorted.cbegin(), sorted.cend(), value);
    return it != sorted.cend() && *it == value ? int(it - sorted.cbegin()) : -1;
}

QString valueLabel(Knob knob, double value) {
    return QStringLiteral("%1=%2").arg(knobLabel(knob), knobValueLabel(knob, value));
}

QStringList runLines(const SweepView& sweep, const SweepRunView& run) {
    QStringList name;
    for (std::size_t k = 0; k < sweep.knobs.size(); ++k)
        name << valueLabel(sweep.knobs[k], knobOf(run, k));
    name << translate("seed %1").arg(qulonglong(run.seed));
    QStringList lines{
        name.join(QStringLiteral(", ")), translate("MSE f = %1").arg(errorText(run.report.mseF)),
        translate("MSE f′ = %1").arg(fprimeErrorText(run.report.hasFprime, run.report.mseFprime))};
    if (run.report.stopReason == StopReason::Stopped)
        lines << translate("stopped before the last epoch");
    return lines;
}

QString titleWithDiverged(const QString& title, int diverged) {
    if (diverged == 0)
        return title;
    return QCoreApplication::translate("sobolev::SweepCharts", "%1 (%n diverged, not drawn)",
                                       nullptr, diverged)
        .arg(title);
}

constexpr QScatterSeries::MarkerShape markerShapes[] = {
    QScatterSeries::MarkerShapeCircle, QScatterSeries::MarkerShapeRectangle,
    QScatterSeries::MarkerShapeTriangle, QScatterSeries::MarkerShapeRotatedRectangle};

QScatterSeries* createDots(const QString& name, const QColor& color, qreal size) {
    auto* dots = new QScatterSeries;
    dots->setName(name);
    dots->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    dots->setMarkerSize(size);
    dots->setColor(color);
    // A light rim keeps overlapping dots apart.
    dots->setBorderColor(Qt::white);
    return dots;
}

// The run behind the dot nearest to `point` on screen; the hover and click signals pass the
// stored point, but a nearest match survives any rounding on the way.
int runAt(const QHash<QScatterSeries*, QList<int>>& dotRuns, QScatterSeries* dots,
          const QPointF& point) {
    const auto it = dotRuns.constFind(dots);
    if (it == dotRuns.cend() || !dots->chart())
        return -1;
    const QList<QPointF> points = dots->points();
    const QPointF target = dots->chart()->mapToPosition(point, dots);
    int best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < points.size() && i < it->size(); ++i) {
        const QPointF d = dots->chart()->mapToPosition(points[i], dots) - target;
        const double distance = QPointF::dotProduct(d, d);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = (*it)[i];
        }
    }
    return best;
}

// Qt elides a category label wider than its category ("1e-4" becomes "1..."), tilted ones
// too; turned upright they keep their full length.
void fitCategoryLabels(QChart* chart, QCategoryAxis* axis) {
    const QStringList labels = axis->categoriesLabels();
    const QFontMetricsF metrics(axis->labelsFont());
    double widest = 0;
    for (const QString& label : labels)
        widest = std::max(widest, metrics.horizontalAdvance(label));
    const double perCategory = chart->plotArea().width() / std::max<qsizetype>(labels.size(), 1);
    // Before the first layout there is no plot area: leave the labels level.
    const int angle = perCategory > 0 && widest + 6 > perCategory ? -90 : 0;
    if (axis->labelsAngle() != angle)
        axis->setLabelsAngle(angle);
}

struct Stats {
    double median = 0, min = 0, max = 0;
};

Stats statsOf(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return {median, values.front(), values.back()};
}

// One stretch of consecutive x positions that have data: a line through the medians and a
// band between min and max.
struct Segment {
    QList<QPointF> median, lower, upper;
    void add(double x, const Stats& s) {
        median.append({x, s.median});
        lower.append({x, s.min});
        upper.append({x, s.max});
    }
};

} // namespace

// --- KnobChart ---------------------------------------------------------------------------

KnobChart::KnobChart(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const std::array<QString, PlotCount> titles{tr("Final MSE f"), tr("Final MSE f′")};
    const std::array<QString, PlotCount> yTitles{tr("MSE f (test grid)"), tr("MSE f′ (test grid)")};
    for (int p = 0; p < PlotCount; ++p) {
        auto* chart = new QChart;
        chart->setTitle(titles[p]);
        m_views[p] = cs::createChartView(chart, this);
        m_xAxes[p] = new QCategoryAxis;
        m_xAxes[p]->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        m_yAxes[p] = cs::createLogAxis(yTitles[p]);
        chart->addAxis(m_xAxes[p], Qt::AlignBottom);
        chart->addAxis(m_yAxes[p], Qt::AlignLeft);
        cs::keepLogLabelsReadable(chart, m_yAxes[p]);
        QCategoryAxis* axis = m_xAxes[p];
        // Tilting the labels changes the plot area again; the angle check in
        // fitCategoryLabels() ends that.
        connect(chart, &QChart::plotAreaChanged, axis,
                [chart, axis] { fitCategoryLabels(chart, axis); });
        layout->addWidget(m_views[p]);
    }
    setSweep({});
}

KnobChart::~KnobChart() = default;

QList<QChart*> KnobChart::charts() const {
    return {m_views[FPlot]->chart(), m_views[FprimePlot]->chart()};
}

QSize KnobChart::sizeHint() const {
    return {900, 450};
}

void KnobChart::setSweep(const SweepView& view) {
    m_sweep = view;
    m_dotRuns.clear();
    for (Plot p : {FPlot, FprimePlot})
        rebuild(p);
}

// The runs of a sweep placed on a knob chart: the x positions (the first knob's values, or the
// seeds), the groups (the second knob's values), and for each group and x the finite errors
// of its seeds, with a dot per seed dodged sideways by group.
struct KnobChart::Points {
    bool byKnob = false, grouped = false;
    std::vector<double> xs, groups;
    int nx = 0, ng = 1;
    double step = 0;
    std::vector<std::vector<std::vector<double>>> values; // [group][x]
    std::vector<QList<QPointF>> dots;
    std::vector<QList<int>> dotRuns; // the run behind each dot
    cs::Extent extent;
    int diverged = 0;

    double dodged(int x, int g) const { return x + (g - 0.5 * (ng - 1)) * step; }
};

KnobChart::Points KnobChart::placeRuns(Plot plot) const {
    Points p;
    // Without a knob the seeds take the x axis, so each one can still be pointed at.
    p.byKnob = !m_sweep.knobs.empty();
    p.grouped = m_sweep.knobs.size() >= 2;
    auto xOf = [&](const SweepRunView& run) {
        return p.byKnob ? knobOf(run, 0) : double(run.seed);
    };
    for (const SweepRunView& run : m_sweep.runs) {
        p.xs.push_back(xOf(run));
        p.groups.push_back(p.grouped ? knobOf(run, 1) : 0.0);
    }
    p.xs = distinctFinite(p.xs);
    p.groups = distinctFinite(p.groups);
    p.nx = int(p.xs.size());
    p.ng = p.grouped ? int(p.groups.size()) : 1;
    p.step = p.ng > 1 ? std::min(0.12, dodgeSpan / (p.ng - 1)) : 0;
    p.values.assign(p.ng, std::vector<std::vector<double>>(p.nx));
    p.dots.resize(p.ng);
    p.dotRuns.resize(p.ng);
    for (int r = 0; r < m_sweep.runs.size(); ++r) {
        const SweepRunView& run = m_sweep.runs[r];
        const int x = indexIn(p.xs, xOf(run)),
                  g = p.grouped ? indexIn(p.groups, knobOf(run, 1)) : 0;
        if (x < 0 || g < 0)
            continue;
        const auto e = cs::logSafe(plot == FPlot ? run.report.mseF : run.report.mseFprime);
        if (!e) {
            ++p.diverged;
            continue;
        }
        p.values[g][x].push_back(*e);
        p.dots[g].append({p.dodged(x, g), *e});
        p.dotRuns[g].append(r);
        p.extent.include(*e);
    }
    return p;
}

namespace {

// The median lines and min–max bands of one group.
std::vector<Segment> segmentsOf(const std::vector<std::vector<double>>& values, bool byKnob, int ng,
                                const std::function<double(int)>& dodged, double step) {
    std::vector<Segment> segments;
    const int nx = int(values.size());
    if (!byKnob) {
        // A seed ensemble: one level and one band across all seeds.
        std::vector<double> all;
        for (const auto& v : values)
            all.insert(all.end(), v.begin(), v.end());
        if (all.empty())
            return segments;
        Segment s;
        s.add(-loneHalfWidth, statsOf(all));
        s.add(nx - 1 + loneHalfWidth, statsOf(all));
        segments.push_back(s);
        return segments;
    }
    // A value whose seeds all diverged breaks the line: joining across it would draw a
    // trend through a point that has no result.
    for (int x = 0; x < nx; ++x) {
        if (values[x].empty())
            continue;
        if (x == 0 || values[x - 1].empty())
            segments.emplace_back();
        segments.back().add(dodged(x), statsOf(values[x]));
    }
    // A lone value gets a short bar, or its median and range would not show at all.
    for (Segment& s : segments) {
        if (s.median.size() != 1)
            continue;
        const double x = s.median[0].x(), half = ng > 1 ? 0.45 * step : loneHalfWidth;
        Segment bar;
        for (double bx : {x - half, x + half})
            bar.add(bx, {s.median[0].y(), s.lower[0].y(), s.upper[0].y()});
        s = bar;
    }
    return segments;
}

} // namespace

void KnobChart::rebuild(Plot plot) {
    QChart* chart = m_views[plot]->chart();
    chart->removeAllSeries();
    const Points p = placeRuns(plot);
    std::vector<std::vector<Segment>> segments(p.ng);
    for (int g = 0; g < p.ng; ++g)
        segments[g] = segmentsOf(
            p.values[g], p.byKnob, p.ng, [&](int x) { return p.dodged(x, g); }, p.step);

    // The groups are the second knob's values, coloured as the Compare window colours them.
    const QList<QColor> colors = cs::keyedColors(p.groups);
    auto groupColor = [&](int g) {
        return p.ng > 1 ? colors[g] : cs::color(plot == FPlot ? cs::Role::F : cs::Role::Fprime);
    };
    // Bands under lines under dots, so each seed stays visible and clickable. One legend entry
    // per group (its median line) when there are groups; otherwise one per kind of mark.
    for (int g = 0; g < p.ng; ++g)
        for (std::size_t i = 0; i < segments[g].size(); ++i)
            addBand(chart, segments[g][i].lower, segments[g][i].upper, groupColor(g),
                    p.ng == 1 && i == 0);
    for (int g = 0; g < p.ng; ++g) {
        const QString name = p.grouped ? valueLabel(m_sweep.knobs[1], p.groups[g]) : tr("median");
        for (std::size_t i = 0; i < segments[g].size(); ++i) {
            QLineSeries* line = cs::createLineSeries(name, groupColor(g), Qt::SolidLine, 1.8);
            line->append(segments[g][i].median);
            cs::addToChart(chart, line, i == 0);
        }
    }
    for (int g = 0; g < p.ng; ++g)
        if (!p.dots[g].isEmpty())
            addDots(plot, p.dots[g], p.dotRuns[g], groupColor(g), p.ng == 1);

    setCategories(plot, p);
    cs::setLogRange(chart, m_yAxes[plot], cs::decadeRange(p.extent, fallbackRange));
    chart->setTitle(
        titleWithDiverged(m_sweep.shown == ShownEpoch::Best
                              ? (plot == FPlot ? tr("Best-epoch MSE f") : tr("Best-epoch MSE f′"))
                              : (plot == FPlot ? tr("Final MSE f") : tr("Final MSE f′")),
                          p.diverged));
    // Three short entries fit below the plot; a column of "width=…" entries, one per group,
    // would be elided there.
    chart->legend()->setAlignment(p.grouped ? Qt::AlignRight : Qt::AlignBottom);
    fitCategoryLabels(chart, m_xAxes[plot]);
}

// A band between `lower` and `upper`, the min–max of the seeds.
void KnobChart::addBand(QChart* chart, const QList<QPointF>& lowerPoints,
                        const QList<QPointF>& upperPoints, const QColor& color, bool inLegend) {
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    upper->append(upperPoints);
    lower->append(lowerPoints);
    auto* band = new QAreaSeries(upper, lower);
    // The area series doesn't own its boundaries; removeAllSeries() must free them.
    upper->setParent(band);
    lower->setParent(band);
    band->setName(tr("min–max"));
    band->setPen(Qt::NoPen);
    band->setBrush(withAlpha(color, 0.18f));
    cs::addToChart(chart, band, inLegend);
    // Shaped from the series, an area's marker is drawn as an empty black box.
    for (QLegendMarker* marker : chart->legend()->markers(band)) {
        marker->setShape(QLegend::MarkerShapeRectangle);
        marker->setPen(QPen(withAlpha(color, 0.5f)));
        marker->setBrush(withAlpha(color, 0.3f));
    }
}

void KnobChart::addDots(Plot plot, const QList<QPointF>& dots, const QList<int>& runs,
                        const QColor& color, bool inLegend) {
    QScatterSeries* series = createDots(tr("one seed"), color, 7);
    series->append(dots);
    m_dotRuns.insert(series, runs);
    cs::addToChart(m_views[plot]->chart(), series, inLegend);
    connect(series, &QScatterSeries::hovered, this,
            [this, plot, series](const QPointF& p, bool state) {
                onDot(plot, series, p, true, state);
            });
    connect(series, &QScatterSeries::clicked, this,
            [this, plot, series](const QPointF& p) { onDot(plot, series, p, false, true); });
}

void KnobChart::setCategories(Plot plot, const Points& p) {
    QCategoryAxis* axis = m_xAxes[plot];
    for (const QString& label : axis->categoriesLabels())
        axis->remove(label);
    axis->setTitleText(p.byKnob ? knobLabel(m_sweep.knobs[0]) : tr("seed"));
    axis->setStartValue(-0.5);
    for (int x = 0; x < p.nx; ++x) {
        QString label = p.byKnob ? knobValueLabel(m_sweep.knobs[0], p.xs[x])
                                 : QString::number(qulonglong(p.xs[x]));
        // Category labels must be unique; two values can print alike at five digits.
        while (axis->categoriesLabels().contains(label))
            label += QChar(0x200b);
        axis->append(label, x);
    }
    cs::setRange(m_views[plot]->chart(), axis, -0.5, std::max(p.nx, 1) - 0.5);
}

void KnobChart::onDot(Plot plot, QScatterSeries* series, const QPointF& point, bool hover,
                      bool state) {
    const int run = runAt(m_dotRuns, series, point);
    if (hover)
        cs::showHoverText(m_views[plot], state && run >= 0,
                          run >= 0 ? runLines(m_sweep, m_sweep.runs[run]) : QStringList());
    else if (run >= 0)
        emit runClicked(m_sweep.runs[run].id);
}

// --- TradeoffChart -----------------------------------------------------------------------

TradeoffChart::TradeoffChart(QWidget* parent) : QWidget(parent) {
    auto* chart = new QChart;
    m_view = cs::createChartView(chart, this);
    m_xAxis = cs::createLogAxis(tr("MSE f (test grid)"));
    m_yAxis = cs::createLogAxis(tr("MSE f′ (test grid)"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    cs::keepLogLabelsReadable(chart, m_xAxis);
    cs::keepLogLabelsReadable(chart, m_yAxis);
    // A sweep may have many values; a column of entries stays readable where a row is elided.
    chart->legend()->setAlignment(Qt::AlignRight);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setSweep({});
}

TradeoffChart::~TradeoffChart() = default;

QChart* TradeoffChart::chart() const {
    return m_view->chart();
}

QStringList TradeoffChart::frontIds() const {
    return m_frontIds;
}

int TradeoffChart::pointCount() const {
    return m_pointCount;
}

QSize TradeoffChart::sizeHint() const {
    return {700, 450};
}

void TradeoffChart::setSweep(const SweepView& view) {
    m_sweep = view;
    m_dotRuns.clear();
    m_frontIds.clear();
    m_pointCount = 0;
    QChart* chart = m_view->chart();
    chart->removeAllSeries();

    // Colour tells the first knob's values apart; with a second knob of a few values, the
    // marker shape tells those (more shapes than that would not be told apart at a glance).
    const bool byKnob = !m_sweep.knobs.empty();
    std::vector<double> values, shapes;
    for (const SweepRunView& run : m_sweep.runs) {
        if (byKnob)
            values.push_back(knobOf(run, 0));
        if (m_sweep.knobs.size() == 2)
            shapes.push_back(knobOf(run, 1));
    }
    values = distinctFinite(values);
    shapes = distinctFinite(shapes);
    if (shapes.size() > std::size(markerShapes))
        shapes.clear();
    const int ng = byKnob ? int(values.size()) : 1;
    // The first knob's values, coloured as the Compare window colours them.
    const QList<QColor> colors = cs::keyedColors(values);
    const int ns = std::max<int>(1, int(shapes.size()));

    // A run that cannot be drawn (diverged, or an error of exactly 0 on a log axis) is left
    // off the front too: a front through invisible points would make no sense.
    const qsizetype n = m_sweep.runs.size();
    std::vector<double> a(std::size_t(n), notANumber), b(std::size_t(n), notANumber);
    std::vector<QList<QPointF>> dots(std::size_t(ng * ns));
    std::vector<QList<int>> dotRuns(std::size_t(ng * ns));
    cs::Extent xExtent, yExtent;
    int diverged = 0;
    for (int r = 0; r < n; ++r) {
        const SweepRunView& run = m_sweep.runs[r];
        const int g = byKnob ? indexIn(values, knobOf(run, 0)) : 0;
        const int k = shapes.empty() ? 0 : indexIn(shapes, knobOf(run, 1));
        const auto f = cs::logSafe(run.report.mseF), fprime = cs::logSafe(run.report.mseFprime);
        if (g < 0 || k < 0)
            continue;
        if (!f || !fprime) {
            ++diverged;
            continue;
        }
        a[std::size_t(r)] = *f;
        b[std::size_t(r)] = *fprime;
        dots[std::size_t(g * ns + k)].append({*f, *fprime});
        dotRuns[std::size_t(g * ns + k)].append(r);
        xExtent.include(*f);
        yExtent.include(*fprime);
        ++m_pointCount;
    }

    QList<QPointF> front;
    for (std::size_t i : nonDominated(a, b)) {
        front.append({a[i], b[i]});
        m_frontIds << m_sweep.runs[qsizetype(i)].id;
    }
    // Under the dots, so a click on a dot reaches the dot.
    if (!front.isEmpty()) {
        QLineSeries* line =
            cs::createLineSeries(tr("trade-off front"), frontColor, Qt::SolidLine, 1.2);
        line->append(front);
        cs::addToChart(chart, line, true);
    }
    for (int g = 0; g < ng; ++g) {
        for (int k = 0; k < ns; ++k) {
            const QList<QPointF>& points = dots[std::size_t(g * ns + k)];
            if (points.isEmpty())
                continue;
            QString name = byKnob ? valueLabel(m_sweep.knobs[0], values[g]) : tr("runs");
            if (!shapes.empty())
                name += QStringLiteral(", ") + valueLabel(m_sweep.knobs[1], shapes[k]);
            const QColor color = byKnob ? colors[g] : cs::color(cs::Role::Loss);
            QScatterSeries* series = createDots(name, color, 10);
            series->setMarkerShape(markerShapes[k]);
            series->append(points);
            m_dotRuns.insert(series, dotRuns[std::size_t(g * ns + k)]);
            cs::addToChart(chart, series, true);
            connect(
                series, &QScatterSeries::hovered, this,
                [this, series](const QPointF& p, bool state) { onDot(series, p, true, state); });
            connect(series, &QScatterSeries::clicked, this,
                    [this, series](const QPointF& p) { onDot(series, p, false, true); });
        }
    }

    cs::setLogRange(chart, m_xAxis, cs::decadeRange(xExtent, fallbackRange));
    cs::setLogRange(chart, m_yAxis, cs::decadeRange(yExtent, fallbackRange));
    chart->setTitle(titleWithDiverged(
        tr("Trade-off between MSE f and MSE f′") + shownEpochSuffix(m_sweep.shown), diverged));
}

void TradeoffChart::onDot(QScatterSeries* series, const QPointF& point, bool hover, bool state) {
    const int run = runAt(m_dotRuns, series, point);
    if (run < 0) {
        cs::showHoverText(m_view, false, {});
        return;
    }
    const SweepRunView& r = m_sweep.runs[run];
    if (!hover) {
        emit runClicked(r.id);
        return;
    }
    QStringList lines = runLines(m_sweep, r);
    if (m_frontIds.contains(r.id))
        lines << tr("on the trade-off front");
    cs::showHoverText(m_view, state, lines);
}

} // namespace sobolev
