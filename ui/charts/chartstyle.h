// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chartview.h"
#include "core/eval/baselines.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <cmath>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QLegendMarker;
class QLineSeries;
class QLogValueAxis;
class QString;
class QValueAxis;
class QWidget;
class QXYSeries;
QT_END_NAMESPACE

// What the chart classes share: colours, axis set-up and the rules for ranges. Only the
// chart classes include this; nothing outside them should know that Qt Charts exists.
namespace sobolev::chartstyle {

// One colour per quantity, the same in every chart (Okabe-Ito, readable on white and for
// most colour-blind readers): f-related curves are vermillion, f'-related ones green.
enum class Role { Loss, F, Fprime, WeightedF, WeightedFprime, Truth, TrainingPoints };
QColor color(Role role);
// `colour` drawn at `opacity` over white, as an opaque colour: how a translucent curve looks
// on the white plot, without the cost of drawing translucency.
QColor overWhite(const QColor& colour, double opacity);
// A baseline's colour and dash pattern (one per kind, apart from the network's colours: a
// CIEDE2000 difference of at least 30 from f and f', at least 20 from the target, the
// training points and each other; tests/charts/tst_charts.cpp measures it) and its
// short legend name, "cheb n=20" (baselineShortLabel: the --baselines key, short enough not to
// be elided in a legend beside a quarter-window chart).
QColor baselineColor(BaselineKind kind);
Qt::PenStyle baselinePenStyle(BaselineKind kind);
QString baselineName(const BaselineSpec& spec);

// The colour of the `index`-th of several runs or categories drawn together; the palette
// repeats after ten. Neighbours differ in hue, and so do any two of the first eight.
QColor categoryColor(int index);
// One colour per key (a knob's value, say β), for runs or categories drawn together: the
// category colour of the key's rank among the distinct keys, so that β = 0.1, 1, 10 are the
// first three colours however the runs are listed, and the same values get the same colours
// in the Compare and the Sweep windows. A NaN key ranks after every number.
QList<QColor> keyedColors(const std::vector<double>& keys);

// `y` if a log axis can show it, else nothing: a log axis that receives a value <= 0, NaN or
// inf draws nothing at all. Such points are skipped rather than clamped to a floor: one
// stray zero would otherwise stretch the axis by ten empty decades and squash every curve.
std::optional<double> logSafe(double y);

// The finite points (x[i], y[i]) of a curve on the test grid.
QList<QPointF> curve(const std::vector<double>& x, const std::vector<double>& y);
// The network's f_theta (or, for `derivative`, d/dx f_theta) as a curve: on the predictions'
// dense grid when they have one (measured data, whose rows are too sparse to draw through),
// else at their x.
QList<QPointF> networkCurve(const Predictions& p, bool derivative);
// |predicted - truth| on the test grid, for a log axis (see logSafe).
QList<QPointF> errorCurve(const std::vector<double>& x, const std::vector<double>& truth,
                          const std::vector<double>& predicted);

// Envelope: per bucket of consecutive points the smallest and the largest y, in x order, so
// a spike or a divergence survives. Trend: per bucket the mean (geometric on a log axis), for
// dashed lines: Qt strokes a dashed zig-zag slowly, and a solid line beside it still shows
// every spike. Curves of at most 2 * buckets points are returned as they are.
// `pointAt(i)` gives the i-th of `count` points, or nothing for one that cannot be drawn
// (skipped), so a long history is thinned without being copied first.
enum class Decimation { Envelope, Trend };
template <typename PointAt>
QList<QPointF> decimated(qsizetype count, PointAt pointAt, qsizetype buckets, Decimation mode,
                         bool logY);
QList<QPointF> decimated(const QList<QPointF>& points, qsizetype buckets, Decimation mode,
                         bool logY);

// Gives `series` these points in one call, and only when they differ from those it has:
// every replacement makes Qt Charts rebuild the series' path and outline (a stroke of the
// whole curve, which dominated a live frame), however little changed.
void replacePoints(QXYSeries* series, const QList<QPointF>& points);

struct Range {
    double lo = 0, hi = 0;
    bool isValid() const;
    double span() const;
    bool contains(const Range& other) const;
};

// The smallest and largest y of some points.
class Extent {
  public:
    void include(double y);
    void include(const QList<QPointF>& points);
    bool isEmpty() const;
    Range range() const;

  private:
    double m_lo = 0, m_hi = 0;
    bool m_empty = true;
};

// Decades rounded outwards, e.g. [3e-4, 0.2] -> [1e-4, 1].
Range decadeRange(const Extent& data, Range fallback);
// The data's range widened by `margin` of its span on both sides.
Range paddedRange(const Extent& data, double margin, Range fallback);
// `current` while it still holds `needed` and is not much wider than `wanted`, so a picture
// that is being redrawn many times a second doesn't jump; otherwise `wanted`.
Range stableRange(Range current, Range wanted, Range needed);
// A 1, 2 or 5 times a power of ten step giving about `targetTicks` ticks over `span`.
double niceStep(double span, int targetTicks);

// A view with antialiasing on, animations off, a white background and a legend whose
// markers show each line's dash pattern, zoom and pan (see ChartView). The view takes
// ownership of `chart`.
ChartView* createChartView(QChart* chart, QWidget* parent);
QValueAxis* createValueAxis(const QString& title, const QString& labelFormat);
QLogValueAxis* createLogAxis(const QString& title);
// Adds `series` to `chart` on every axis the chart has; its legend entry shows if inLegend.
void addToChart(QChart* chart, QAbstractSeries* series, bool inLegend);

QLineSeries* createLineSeries(const QString& name, const QColor& color, Qt::PenStyle style,
                              qreal width = 1.6);

// Ticks at round values anchored at zero, about `targetTicks` of them, fewer when their labels
// would collide. Like every range set here, it waits while the user is zoomed in (ChartView).
void setValueRange(QValueAxis* axis, Range range, int targetTicks, double minStep = 0);
// An axis's range as autoscaling wants it: now, or after the user's zoom is reset.
void setRange(QChart* chart, QAbstractAxis* axis, double lo, double hi);
// Labels every decade while they fit, every second or third one when the plot is short and
// the range long (Qt would otherwise elide every label to "..."). Minor ticks only while
// there are few decades; more would turn the plot grey. The labels follow the plot's height
// as the chart is resized.
void setLogRange(QChart* chart, QLogValueAxis* axis, Range range);
void keepLogLabelsReadable(QChart* chart, QLogValueAxis* axis);

// A marker of a hidden series stays in the legend, dimmed, so it can be clicked back on.
void setMarkerShown(QLegendMarker* marker, bool shown);

// Hover readout next to the mouse pointer, one line per entry (rich text, since series
// names may carry <sub>); hidden again when `show` is false.
void showHoverText(QWidget* view, bool show, const QStringList& lines);

template <typename PointAt>
QList<QPointF> decimated(qsizetype count, PointAt pointAt, qsizetype buckets, Decimation mode,
                         bool logY) {
    QList<QPointF> out;
    if (count <= 2 * buckets) {
        out.reserve(count);
        for (qsizetype i = 0; i < count; ++i)
            if (const std::optional<QPointF> p = pointAt(i))
                out.append(*p);
        return out;
    }
    out.reserve(2 * buckets);
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = count * b / buckets, end = count * (b + 1) / buckets;
        std::optional<QPointF> low, high;
        qsizetype lowIndex = 0, highIndex = 0;
        double sumX = 0, sumY = 0;
        int n = 0;
        for (qsizetype i = begin; i < end; ++i) {
            const std::optional<QPointF> p = pointAt(i);
            if (!p)
                continue;
            sumX += p->x();
            sumY += logY ? std::log10(p->y()) : p->y();
            ++n;
            if (!low || p->y() < low->y()) {
                low = p;
                lowIndex = i;
            }
            if (!high || p->y() > high->y()) {
                high = p;
                highIndex = i;
            }
        }
        if (n == 0)
            continue;
        if (mode == Decimation::Trend) {
            const double meanY = sumY / n;
            out.append({sumX / n, logY ? std::pow(10.0, meanY) : meanY});
        } else if (lowIndex == highIndex) {
            out.append(*low);
        } else if (lowIndex < highIndex) {
            out.append({*low, *high});
        } else {
            out.append({*high, *low});
        }
    }
    return out;
}

} // namespace sobolev::chartstyle
