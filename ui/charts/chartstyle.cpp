// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"

#include "chartview.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QToolTip>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <array>
#include <cmath>

namespace sobolev::chartstyle {

namespace {

QColor withAlpha(QColor c, qreal alpha) {
    c.setAlphaF(alpha);
    return c;
}

} // namespace

QColor color(Role role) {
    switch (role) {
    case Role::Loss:
        return QColor(0x00, 0x72, 0xb2); // blue
    case Role::F:
        return QColor(0xd5, 0x5e, 0x00); // vermillion
    case Role::Fprime:
        return QColor(0x00, 0x9e, 0x73); // bluish green
    case Role::WeightedF:
        return QColor(0xcc, 0x79, 0xa7); // reddish purple
    case Role::WeightedFprime:
        return QColor(0x8c, 0x6d, 0x00); // dark yellow: Okabe-Ito's yellow is too pale on white
    case Role::Truth:
        return QColor(0x22, 0x22, 0x22);
    case Role::TrainingPoints:
        // Purple, on the f and f' charts next to vermillion, bluish green and near-black.
        return QColor(0xaa, 0x33, 0x77);
    }
    return Qt::black;
}

QColor baselineColor(BaselineKind kind) {
    // Blues, a pink and a yellow: none near the network's vermillion or green.
    switch (kind) {
    case BaselineKind::Equispaced:
        return QColor(0x00, 0x72, 0xb2); // blue
    case BaselineKind::Chebyshev:
        return QColor(0x33, 0x22, 0x88); // indigo
    case BaselineKind::LeastSquares:
        return QColor(0x56, 0xb4, 0xe9); // sky blue
    case BaselineKind::Spline:
        return QColor(0xcc, 0xbb, 0x44); // Tol's yellow
    case BaselineKind::Hermite:
        return QColor(0xe3, 0x77, 0xc2); // pink
    }
    return Qt::gray;
}

Qt::PenStyle baselinePenStyle(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::Equispaced:
        return Qt::DashDotLine;
    case BaselineKind::Chebyshev:
        return Qt::DashLine;
    case BaselineKind::LeastSquares:
        return Qt::DashDotDotLine;
    case BaselineKind::Spline:
        return Qt::DotLine;
    case BaselineKind::Hermite:
        return Qt::DashLine; // as Chebyshev, but its colour and its legend tell them apart
    }
    return Qt::DashLine;
}

QString baselineName(const BaselineSpec& spec) {
    return QString::fromStdString(baselineShortLabel(spec));
}

QColor overWhite(const QColor& colour, double opacity) {
    const auto blend = [opacity](double channel) { return opacity * channel + (1 - opacity); };
    return QColor::fromRgbF(float(blend(colour.redF())), float(blend(colour.greenF())),
                            float(blend(colour.blueF())));
}

QColor categoryColor(int index) {
    // Okabe-Ito without its black (the target's colour) and its pale yellow (unreadable on
    // white), then Paul Tol's indigo, olive and teal; ordered so that neighbours differ in hue.
    static const std::array<QColor, 10> palette{{
        QColor(0x00, 0x72, 0xb2), // blue
        QColor(0xd5, 0x5e, 0x00), // vermillion
        QColor(0x00, 0x9e, 0x73), // bluish green
        QColor(0x88, 0x22, 0x55), // wine
        QColor(0xe6, 0x9f, 0x00), // orange
        QColor(0x56, 0xb4, 0xe9), // sky blue
        QColor(0xcc, 0x79, 0xa7), // reddish purple
        QColor(0x33, 0x22, 0x88), // indigo
        QColor(0x99, 0x99, 0x33), // olive
        QColor(0x44, 0xaa, 0x99), // teal
    }};
    return palette[size_t(std::max(index, 0)) % palette.size()];
}

QList<QColor> keyedColors(const std::vector<double>& keys) {
    // NaN last, and equal to itself, so that keys without a value share one colour.
    const auto before = [](double a, double b) {
        return std::isnan(b) ? !std::isnan(a) : !std::isnan(a) && a < b;
    };
    std::vector<double> distinct = keys;
    std::sort(distinct.begin(), distinct.end(), before);
    distinct.erase(std::unique(distinct.begin(), distinct.end(),
                               [&](double a, double b) { return !before(a, b) && !before(b, a); }),
                   distinct.end());
    QList<QColor> colors;
    colors.reserve(qsizetype(keys.size()));
    for (double key : keys) {
        const auto rank = std::lower_bound(distinct.cbegin(), distinct.cend(), key, before);
        colors << categoryColor(int(rank - distinct.cbegin()));
    }
    return colors;
}

std::optional<double> logSafe(double y) {
    if (!std::isfinite(y) || y <= 0)
        return std::nullopt;
    return y;
}

QList<QPointF> curve(const std::vector<double>& x, const std::vector<double>& y) {
    QList<QPointF> points;
    const size_t n = std::min(x.size(), y.size());
    points.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i]))
            points.append({x[i], y[i]});
    return points;
}

QList<QPointF> networkCurve(const Predictions& p, bool derivative) {
    if (!p.curveX.empty())
        return curve(p.curveX, derivative ? p.curveFprimeHat : p.curveFHat);
    return curve(p.x, derivative ? p.fprimeHat : p.fHat);
}

QList<QPointF> errorCurve(const std::vector<double>& x, const std::vector<double>& truth,
                          const std::vector<double>& predicted) {
    QList<QPointF> points;
    const size_t n = std::min({x.size(), truth.size(), predicted.size()});
    points.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        if (const auto e = logSafe(std::abs(truth[i] - predicted[i])))
            if (std::isfinite(x[i]))
                points.append({x[i], *e});
    return points;
}

QList<QPointF> decimated(const QList<QPointF>& points, qsizetype buckets, Decimation mode,
                         bool logY) {
    return decimated(
        points.size(), [&](qsizetype i) { return std::optional<QPointF>(points[i]); }, buckets,
        mode, logY);
}

void replacePoints(QXYSeries* series, const QList<QPointF>& points) {
    if (series->points() != points)
        series->replace(points);
}

bool Range::isValid() const {
    return std::isfinite(lo) && std::isfinite(hi) && lo < hi;
}

double Range::span() const {
    return hi - lo;
}

bool Range::contains(const Range& other) const {
    return lo <= other.lo && other.hi <= hi;
}

void Extent::include(double y) {
    if (!std::isfinite(y))
        return;
    if (m_empty) {
        m_lo = m_hi = y;
        m_empty = false;
        return;
    }
    m_lo = std::min(m_lo, y);
    m_hi = std::max(m_hi, y);
}

void Extent::include(const QList<QPointF>& points) {
    for (const QPointF& p : points)
        include(p.y());
}

bool Extent::isEmpty() const {
    return m_empty;
}

Range Extent::range() const {
    return {m_lo, m_hi};
}

Range decadeRange(const Extent& data, Range fallback) {
    if (data.isEmpty() || data.range().lo <= 0)
        return fallback;
    // The tolerance keeps an exact power of ten (whose log10 is off by an ulp) from
    // gaining a decade.
    constexpr double tolerance = 1e-9;
    const double lo = std::floor(std::log10(data.range().lo) + tolerance);
    double hi = std::ceil(std::log10(data.range().hi) - tolerance);
    if (hi <= lo)
        hi = lo + 1;
    return {std::pow(10.0, lo), std::pow(10.0, hi)};
}

Range paddedRange(const Extent& data, double margin, Range fallback) {
    if (data.isEmpty())
        return fallback;
    const Range r = data.range();
    // A flat curve still needs a visible band around it.
    const double pad = r.span() > 0 ? margin * r.span() : std::max(std::abs(r.lo), 1.0) * margin;
    return {r.lo - pad, r.hi + pad};
}

Range stableRange(Range current, Range wanted, Range needed) {
    const bool fits = current.isValid() && current.contains(needed);
    const bool notTooWide = wanted.span() >= 0.5 * current.span();
    return fits && notTooWide ? current : wanted;
}

double niceStep(double span, int targetTicks) {
    if (!(span > 0) || targetTicks < 1)
        return 1;
    const double raw = span / targetTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalised = raw / magnitude;
    const double nice = normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10;
    return nice * magnitude;
}

ChartView* createChartView(QChart* chart, QWidget* parent) {
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setBackgroundBrush(Qt::white);
    // The chart fills the view: no grey frame around it in the window or in an export.
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setMargins(QMargins(8, 8, 8, 4));
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);

    auto* view = new ChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    return view;
}

QValueAxis* createValueAxis(const QString& title, const QString& labelFormat) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(labelFormat);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setMinorTickCount(0);
    return axis;
}

QLogValueAxis* createLogAxis(const QString& title) {
    auto* axis = new QLogValueAxis;
    axis->setTitleText(title);
    axis->setBase(10);
    axis->setLabelFormat(QStringLiteral("%.0e"));
    axis->setMinorGridLineColor(QColor(0xee, 0xee, 0xee));
    axis->setRange(1e-4, 1);
    return axis;
}

void addToChart(QChart* chart, QAbstractSeries* series, bool inLegend) {
    chart->addSeries(series);
    for (QAbstractAxis* axis : chart->axes())
        series->attachAxis(axis);
    for (QLegendMarker* marker : chart->legend()->markers(series))
        marker->setVisible(inLegend);
}

QLineSeries* createLineSeries(const QString& name, const QColor& color, Qt::PenStyle style,
                              qreal width) {
    auto* series = new QLineSeries;
    series->setName(name);
    QPen pen(color, width, style);
    pen.setCapStyle(Qt::FlatCap);
    series->setPen(pen);
    return series;
}

void setValueRange(QValueAxis* axis, Range range, int targetTicks, double minStep) {
    ChartView* view = ChartView::of(ChartView::chartOf(axis));
    if (view)
        view->setTickRule(axis, targetTicks, minStep);
    const auto apply = [axis, range, targetTicks, minStep, view] {
        // The view widens the step until the labels fit the plot.
        const double interval = view ? view->tickInterval(axis, range.lo, range.hi)
                                     : std::max(niceStep(range.span(), targetTicks), minStep);
        // Qt lays the ticks out after each of the two calls: a wider range with the old, small
        // interval would create (and then drop) thousands of tick items, so the coarser setting
        // goes first.
        if (interval >= axis->tickInterval()) {
            axis->setTickInterval(interval);
            axis->setRange(range.lo, range.hi);
        } else {
            axis->setRange(range.lo, range.hi);
            axis->setTickInterval(interval);
        }
    };
    // While the user is zoomed in, the view keeps the range for later.
    if (view)
        view->autoscale(axis, apply);
    else
        apply();
}

void setRange(QChart* chart, QAbstractAxis* axis, double lo, double hi) {
    const auto apply = [axis, lo, hi] { axis->setRange(lo, hi); };
    if (ChartView* view = ChartView::of(chart))
        view->autoscale(axis, apply);
    else
        apply();
}

namespace {

void fitLogLabels(QChart* chart, QLogValueAxis* axis) {
    const double decades = std::log10(axis->max() / axis->min());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const double length = horizontal ? chart->plotArea().width() : chart->plotArea().height();
    // Before the first layout there is no plot area; assume a readable size.
    const double perDecade = length > 0 ? length / decades : 1e9;
    const QFontMetricsF metrics(axis->labelsFont());
    // Side by side, labels such as "1e-05" need their width and two spaces.
    const QByteArray format = axis->labelFormat().toLatin1();
    const double labelLength =
        horizontal ? std::max(metrics.horizontalAdvance(QString::asprintf(format, axis->min())),
                              metrics.horizontalAdvance(QString::asprintf(format, axis->max()))) +
                         metrics.horizontalAdvance(QStringLiteral("  "))
                   : 1.6 * metrics.height();
    int decadesPerLabel = 1;
    while (decadesPerLabel * perDecade < labelLength && decadesPerLabel < 10)
        ++decadesPerLabel;
    const double base = std::pow(10.0, decadesPerLabel);
    if (axis->base() != base)
        axis->setBase(base);
    const int minorTicks = decadesPerLabel == 1 && decades <= 4.5 ? 8 : 0;
    if (axis->minorTickCount() != minorTicks)
        axis->setMinorTickCount(minorTicks);
}

} // namespace

void setLogRange(QChart* chart, QLogValueAxis* axis, Range range) {
    // A hair wider than the decades: Qt computes log10(1e-4) as -3.999... and would then
    // leave out the bottom decade's tick and label.
    constexpr double slack = 1e-9;
    setRange(chart, axis, range.lo * (1 - slack), range.hi * (1 + slack));
    fitLogLabels(chart, axis);
}

void keepLogLabelsReadable(QChart* chart, QLogValueAxis* axis) {
    // Changing the base re-lays out the chart once more; the guards in fitLogLabels end it.
    QObject::connect(chart, &QChart::plotAreaChanged, axis,
                     [chart, axis] { fitLogLabels(chart, axis); });
    // Zooming changes the decades shown without moving the plot.
    QObject::connect(axis, &QLogValueAxis::rangeChanged, chart,
                     [chart, axis] { fitLogLabels(chart, axis); });
}

void setMarkerShown(QLegendMarker* marker, bool shown) {
    // Hiding a series hides its marker too; this one must stay clickable.
    marker->setVisible(true);
    // An exported figure leaves the entries of hidden curves out (chartexport).
    marker->setProperty("sobolevShown", shown);
    const qreal alpha = shown ? 1.0 : 0.3;
    QBrush label = marker->labelBrush();
    label.setColor(withAlpha(label.color(), alpha));
    marker->setLabelBrush(label);
    QPen pen = marker->pen();
    pen.setColor(withAlpha(pen.color(), alpha));
    marker->setPen(pen);
    QBrush brush = marker->brush();
    brush.setColor(withAlpha(brush.color(), alpha));
    marker->setBrush(brush);
}

void showHoverText(QWidget* view, bool show, const QStringList& lines) {
    if (show)
        QToolTip::showText(QCursor::pos(), lines.join(QStringLiteral("<br>")), view);
    else
        QToolTip::hideText();
}

} // namespace sobolev::chartstyle
