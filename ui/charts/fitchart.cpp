// SPDX-License-Identifier: GPL-3.0-or-later
#include "fitchart.h"

#include "chartstyle.h"
#include "core/problem/target.h"

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace cs = chartstyle;

namespace {

constexpr int redrawIntervalMs = 33;
// A curve is drawn with about one point per pixel column of the plot (the grid has 1001): Qt
// Charts strokes every segment, twice (its outline for hovering, and on screen), so points
// closer than a pixel only cost time. Decimated as an envelope (the lowest and highest point
// of two columns), so the error curves' dips and every peak keep their depth.
constexpr qsizetype pixelsPerBucket = 2;
constexpr qsizetype minBuckets = 100;
// Enough to see where the data is, few enough to see each point and the curves between.
constexpr int maxMarkers = 200;
constexpr qreal markerSize = 10;     // pixels: visible on a projector
constexpr qreal lightMarkerSize = 4; // drawn 1.5-2x larger in presentation mode
constexpr double yMargin = 0.05;
// Where a prediction crosses the target its error dips towards zero; following those dips
// down the log axis would squash the rest of the curve into a few pixels.
constexpr double errorDecadesShown = 6;

} // namespace

FitChart::FitChart(Kind kind, QWidget* parent) : QWidget(parent), m_kind(kind) {
    auto* chart = new QChart;
    m_view = cs::createChartView(chart, this);

    m_xAxis = cs::createValueAxis(tr("x"), QStringLiteral("%g"));
    cs::setValueRange(m_xAxis, {-1, 1}, 4);
    chart->addAxis(m_xAxis, Qt::AlignBottom);

    switch (kind) {
    case Kind::Function:
        m_yAxis = cs::createValueAxis(tr("f(x)"), QStringLiteral("%g"));
        m_first = cs::createLineSeries(tr("true f"), cs::color(cs::Role::Truth), Qt::SolidLine);
        m_second = cs::createLineSeries(tr("network f<sub>θ</sub>"), cs::color(cs::Role::F),
                                        Qt::DashLine, 2.0);
        break;
    case Kind::Derivative:
        m_yAxis = cs::createValueAxis(tr("f′(x)"), QStringLiteral("%g"));
        m_first = cs::createLineSeries(tr("true f′"), cs::color(cs::Role::Truth), Qt::SolidLine);
        m_second = cs::createLineSeries(tr("network ∂<sub>x</sub>f<sub>θ</sub>"),
                                        cs::color(cs::Role::Fprime), Qt::DashLine, 2.0);
        break;
    case Kind::Error:
        m_yAxis = cs::createLogAxis(tr("|error|"));
        m_first =
            cs::createLineSeries(tr("|f − f<sub>θ</sub>|"), cs::color(cs::Role::F), Qt::SolidLine);
        m_second = cs::createLineSeries(tr("|f′ − ∂<sub>x</sub>f<sub>θ</sub>|"),
                                        cs::color(cs::Role::Fprime), Qt::SolidLine);
        break;
    }
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    if (auto* logAxis = qobject_cast<QLogValueAxis*>(m_yAxis))
        cs::keepLogLabelsReadable(chart, logAxis);

    for (QLineSeries* series : {m_first, m_second}) {
        chart->addSeries(series);
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
        connect(series, &QLineSeries::hovered, this,
                [this, series](const QPointF& point, bool state) {
                    showReadout(series, point, state);
                });
    }

    if (kind != Kind::Error) {
        m_markers = new QScatterSeries;
        m_markers->setName(tr("training points"));
        m_markers->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        styleMarkers();
        chart->addSeries(m_markers);
        m_markers->attachAxis(m_xAxis);
        m_markers->attachAxis(m_yAxis);
        m_markers->setVisible(false);
    }

    chart->legend()->setAlignment(Qt::AlignBottom);
    updateTitle();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(redrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &FitChart::redrawIfShown);
    updateRange();
}

FitChart::~FitChart() = default;

void FitChart::setPredictions(const Predictions& p) {
    m_predictions = p;
    scheduleRedraw();
}

void FitChart::showTarget(const Predictions& target) {
    m_predictions = target;
    m_yLo = m_yHi = 0; // fitted to the target, not held from an earlier run
    scheduleRedraw();
}

void FitChart::styleMarkers() {
    // A colour of their own: an opaque rim around a translucent fill, so that where the points
    // crowd the curves beneath still show. Light ones: a third of the size, fainter.
    const QColor colour = cs::color(cs::Role::TrainingPoints);
    QColor fill = colour, rimColour = colour;
    fill.setAlpha(m_lightMarkers ? 50 : 80);
    rimColour.setAlpha(m_lightMarkers ? 140 : 255);
    m_markers->setMarkerSize(m_lightMarkers ? lightMarkerSize : markerSize);
    m_markers->setColor(fill);
    QPen rim(rimColour);
    rim.setWidthF(m_lightMarkers ? 1.0 : 2.0);
    m_markers->setPen(rim);
    m_markers->setBorderColor(rimColour);
}

void FitChart::setLightMarkers(bool light) {
    if (light == m_lightMarkers)
        return;
    m_lightMarkers = light;
    if (m_markers)
        styleMarkers();
}

void FitChart::setTrainingPoints(const std::vector<float>& x) {
    m_trainingY.clear();
    m_trainingX = x;
    scheduleRedraw();
}

void FitChart::setTrainingData(const std::vector<float>& x, const std::vector<float>& f,
                               const std::vector<float>& fprime, bool measured) {
    m_measured = measured;
    m_trainingY = m_kind == Kind::Derivative ? fprime : f;
    if (m_trainingY.size() != x.size())
        m_trainingY.clear();
    m_trainingX = x;
    scheduleRedraw();
}

void FitChart::setTrainingPointsVisible(bool visible) {
    if (m_markersVisible == visible)
        return;
    m_markersVisible = visible;
    scheduleRedraw();
}

void FitChart::setBaselines(const std::vector<BaselineResult>& baselines) {
    std::vector<BaselineResult> fitted;
    for (const BaselineResult& b : baselines)
        if (b.fitted)
            fitted.push_back(b);
    auto specs = [](const std::vector<BaselineResult>& list) {
        std::vector<BaselineSpec> out;
        for (const BaselineResult& b : list)
            out.push_back(b.spec);
        return out;
    };
    if (specs(fitted) != specs(m_baselines))
        rebuildBaselineSeries(fitted);
    m_baselines = std::move(fitted);
    scheduleRedraw();
}

void FitChart::rebuildBaselineSeries(const std::vector<BaselineResult>& baselines) {
    for (QLineSeries* series : m_baselineSeries) {
        chart()->removeSeries(series);
        delete series;
    }
    m_baselineSeries.clear();
    for (const BaselineResult& b : baselines) {
        const QString name = cs::baselineName(b.spec);
        const QColor colour = cs::baselineColor(b.spec.kind);
        QList<QLineSeries*> added;
        switch (m_kind) {
        case Kind::Function:
        case Kind::Derivative:
            added << cs::createLineSeries(name, colour, cs::baselinePenStyle(b.spec.kind), 2.0);
            break;
        case Kind::Error:
            // One legend entry per baseline (its |f - p| pen); the title says which is which.
            added << cs::createLineSeries(name, colour, Qt::DashLine)
                  << cs::createLineSeries(tr("%1 (f′)").arg(name), colour, Qt::DotLine, 2.0);
            break;
        }
        for (QLineSeries* series : added) {
            // Below the training points, which were added first and stay on top.
            chart()->addSeries(series);
            series->attachAxis(m_xAxis);
            series->attachAxis(m_yAxis);
            connect(series, &QLineSeries::hovered, this,
                    [this, series](const QPointF& point, bool state) {
                        showReadout(series, point, state);
                    });
            m_baselineSeries.push_back(series);
        }
        if (m_kind == Kind::Error)
            for (QLegendMarker* marker : chart()->legend()->markers(added.back()))
                marker->setVisible(false);
    }
    // Many entries do not fit in a row under a chart a quarter of the window wide (Qt elides
    // them to "e…"): with baselines the legend is a column on the right.
    chart()->legend()->setAlignment(baselines.empty() ? Qt::AlignBottom : Qt::AlignRight);
    updateTitle();
}

void FitChart::updateTitle() {
    QString title;
    switch (m_kind) {
    case Kind::Function:
        title = tr("f(x): target and network");
        break;
    case Kind::Derivative:
        title = tr("f′(x) and ∂<sub>x</sub>f<sub>θ</sub>(x)");
        break;
    case Kind::Error:
        title = m_baselineSeries.empty() ? tr("Pointwise error")
                                         : tr("Pointwise error (baselines: f dashed, f′ dotted)");
        break;
    }
    chart()->setTitle(m_stepLabel.isEmpty() ? title : tr("%1 — %2").arg(title, m_stepLabel));
}

void FitChart::setStepLabel(const QString& when) {
    if (when == m_stepLabel)
        return;
    m_stepLabel = when;
    updateTitle();
}

void FitChart::rebuildBaselineCurves() {
    std::size_t next = 0;
    for (const BaselineResult& b : m_baselines) {
        const Predictions& p = b.predictions;
        switch (m_kind) {
        case Kind::Function:
            setCurve(m_baselineSeries[next++], cs::curve(p.x, p.fHat));
            break;
        case Kind::Derivative:
            setCurve(m_baselineSeries[next++], cs::curve(p.x, p.fprimeHat));
            break;
        case Kind::Error:
            setCurve(m_baselineSeries[next++], cs::errorCurve(p.x, p.f, p.fHat));
            setCurve(m_baselineSeries[next++], cs::errorCurve(p.x, p.fprime, p.fprimeHat));
            break;
        }
    }
}

void FitChart::nameClippedBaselines() {
    if (m_kind == Kind::Error)
        return;
    std::size_t next = 0;
    for (const BaselineResult& b : m_baselines) {
        QLineSeries* series = m_baselineSeries[next++];
        cs::Extent extent;
        extent.include(series->points());
        const bool clipped = !extent.isEmpty() && m_yLo < m_yHi &&
                             (extent.range().lo < m_yLo || extent.range().hi > m_yHi);
        const QString name = cs::baselineName(b.spec);
        // Hovering the curve still reads its values off the chart.
        series->setName(clipped ? tr("%1 (clipped)").arg(name) : name);
    }
}

void FitChart::clear() {
    m_predictions = {};
    m_trainingX.clear();
    m_measured = false;
    // The next run starts with a fresh range rather than the last run's.
    m_yLo = m_yHi = 0;
    scheduleRedraw();
}

void FitChart::redrawNow() {
    m_redrawTimer.stop();
    m_redrawWhenShown = false;
    rebuildCurves();
    rebuildBaselineCurves();
    rebuildMarkers();
    updateRange();
    nameClippedBaselines();
    ++m_redrawCount;
    emit redrawn();
}

void FitChart::redrawIfShown() {
    // A chart the window hides (presentation mode shows one or two) is brought up to date when
    // it is shown again: its curves would cost as much to rebuild as those on screen.
    if (window()->isVisible() && !isVisible()) {
        m_redrawWhenShown = true;
        return;
    }
    redrawNow();
}

void FitChart::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_redrawWhenShown)
        redrawNow();
}

FitChart::Kind FitChart::kind() const {
    return m_kind;
}

bool FitChart::trainingPointsVisible() const {
    return m_markersVisible;
}

int FitChart::redrawCount() const {
    return m_redrawCount;
}

QChart* FitChart::chart() const {
    return m_view->chart();
}

QSize FitChart::sizeHint() const {
    return {640, 400};
}

QSize FitChart::minimumSizeHint() const {
    return {360, 240};
}

void FitChart::scheduleRedraw() {
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void FitChart::setCurve(QLineSeries* series, const QList<QPointF>& points) {
    // Figures drawn for a file (shown off screen, see RunFigures) keep every point: a vector
    // figure is printed and zoomed into.
    if (!isVisible() || window()->testAttribute(Qt::WA_DontShowOnScreen)) {
        cs::replacePoints(series, points);
        return;
    }
    const qsizetype buckets =
        std::max(minBuckets, qsizetype(chart()->plotArea().width()) / pixelsPerBucket);
    cs::replacePoints(series, cs::decimated(points, buckets, cs::Decimation::Envelope, false));
}

void FitChart::rebuildCurves() {
    const Predictions& p = m_predictions;
    switch (m_kind) {
    // Measured data have no true curve: their points (the markers) stand in for it.
    case Kind::Function:
        setCurve(m_first, m_measured ? QList<QPointF>() : cs::curve(p.x, p.f));
        setCurve(m_second, cs::networkCurve(p, false));
        break;
    case Kind::Derivative:
        setCurve(m_first, m_measured ? QList<QPointF>() : cs::curve(p.x, p.fprime));
        setCurve(m_second, cs::networkCurve(p, true));
        break;
    case Kind::Error: {
        setCurve(m_first, cs::errorCurve(p.x, p.f, p.fHat));
        setCurve(m_second, cs::errorCurve(p.x, p.fprime, p.fprimeHat));
        // Data without f′ have no f′ error: no legend entry for a line that is not there.
        const bool withFprime =
            p.fprime.empty() || std::any_of(p.fprime.cbegin(), p.fprime.cend(),
                                            [](double v) { return !std::isnan(v); });
        if (m_second->isVisible() != withFprime)
            m_second->setVisible(withFprime);
        break;
    }
    }
}

void FitChart::rebuildMarkers() {
    if (m_kind != Kind::Error) // no true curve for measured data, nor its legend entry
        m_first->setVisible(!m_measured);
    if (!m_markers)
        return;
    QList<QPointF> points;
    const bool shown = m_markersVisible || m_measured;
    if (shown) {
        // Evenly strided: the training x are drawn at random, so any stride is a fair sample.
        const size_t n = m_trainingX.size();
        const size_t stride = std::max<size_t>(1, (n + maxMarkers - 1) / maxMarkers);
        points.reserve(qsizetype(n / stride + 1));
        for (size_t i = 0; i < n; i += stride) {
            const double x = m_trainingX[i];
            const double y = !m_trainingY.empty()       ? double(m_trainingY[i])
                             : m_kind == Kind::Function ? runge(x)
                                                        : rungePrime(x);
            if (std::isfinite(y)) // a measured row without f' has no point on the f' chart
                points.append({x, y});
        }
    }
    cs::replacePoints(m_markers, points);
    const qsizetype all = qsizetype(m_trainingX.size());
    const QString name = m_measured ? tr("data") : tr("training points");
    m_markers->setName(points.size() < all && !m_measured
                           ? tr("training points (%1 of %2)").arg(points.size()).arg(all)
                           : name);
    // Hidden, the series also drops out of the legend, which is what an off switch means.
    m_markers->setVisible(shown && !points.isEmpty());
}

void FitChart::updateRange() {
    // The x axis spans the test grid: the target's domain [a, b].
    const std::vector<double>& gridX = m_predictions.x;
    if (!gridX.empty() && gridX.back() > gridX.front())
        cs::setValueRange(m_xAxis, {gridX.front(), gridX.back()}, 4);
    cs::Extent data;
    data.include(m_first->points());
    data.include(m_second->points());
    if (m_markers && m_markers->isVisible())
        data.include(m_markers->points());

    auto* logAxis = qobject_cast<QLogValueAxis*>(m_yAxis);
    if (logAxis) {
        // The top decades of each curve: a baseline whose error reaches 60 does not push the
        // network's 1e-4 off the bottom, and the network's dips do not squash the baseline.
        cs::Extent shown;
        std::vector<QLineSeries*> curves{m_first, m_second};
        curves.insert(curves.end(), m_baselineSeries.begin(), m_baselineSeries.end());
        for (QLineSeries* series : curves) {
            cs::Extent e;
            e.include(series->points());
            if (e.isEmpty())
                continue;
            shown.include(
                std::max(e.range().lo, e.range().hi * std::pow(10.0, -errorDecadesShown)));
            shown.include(e.range().hi);
        }
        data = shown;
    }
    const cs::Range wanted =
        logAxis ? cs::decadeRange(data, {1e-6, 1}) : cs::paddedRange(data, yMargin, {0, 1});
    cs::Range range = wanted;
    if (data.isEmpty()) {
        // A placeholder until data arrives, not a range to hold on to.
        m_yLo = m_yHi = 0;
    } else if (logAxis) {
        // Stability is judged in decades, the unit the eye reads on a log axis.
        auto log = [](cs::Range r) { return cs::Range{std::log10(r.lo), std::log10(r.hi)}; };
        const cs::Range current = m_yLo > 0 && m_yLo < m_yHi ? log({m_yLo, m_yHi}) : cs::Range{};
        const cs::Range chosen = cs::stableRange(current, log(wanted), log(data.range()));
        range = {std::pow(10.0, chosen.lo), std::pow(10.0, chosen.hi)};
    } else {
        range = cs::stableRange({m_yLo, m_yHi}, wanted, data.range());
    }
    if (!data.isEmpty()) {
        m_yLo = range.lo;
        m_yHi = range.hi;
    }
    if (logAxis)
        cs::setLogRange(chart(), logAxis, range);
    else
        cs::setValueRange(static_cast<QValueAxis*>(m_yAxis), range, 5);
}

void FitChart::showReadout(const QLineSeries* series, const QPointF& point, bool state) {
    cs::showHoverText(m_view, state,
                      {series->name(), tr("x = %1").arg(point.x(), 0, 'g', 3),
                       tr("y = %1").arg(point.y(), 0, 'g', 4)});
}

} // namespace sobolev
