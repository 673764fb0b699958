// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartview.h"

#include "chartstyle.h"

#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QRubberBand>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

// One wheel notch (120 eighths of a degree) zooms by this factor; a key press too.
constexpr double wheelFactor = 1.25;
// An arrow key moves the plot by this fraction of its size.
constexpr double keyPanFraction = 0.1;
// A rubber band thinner than this (pixels) zooms the other axis only.
constexpr double thinBand = 8;

// The next of 1, 2, 5, 10, 20, … after `step`.
double nextNiceStep(double step) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    const double mantissa = step / magnitude;
    return (mantissa < 1.5 ? 2 : mantissa < 3.5 ? 5 : 10) * magnitude;
}

// An axis whose ticks the view spaces: a plain value axis with dynamic ticks.
QValueAxis* spacedAxis(QAbstractAxis* axis) {
    auto* value = qobject_cast<QValueAxis*>(axis);
    if (!value || qobject_cast<QCategoryAxis*>(axis) ||
        value->tickType() != QValueAxis::TicksDynamic)
        return nullptr;
    return value;
}

// Sets range and tick step in the order that never lays out a wide range with a fine step:
// Qt places every tick at once, and a million of them would stall the GUI.
void setRangeAndStep(QValueAxis* axis, double lo, double hi, double step) {
    if (step >= axis->tickInterval()) {
        axis->setTickInterval(step);
        axis->setRange(lo, hi);
    } else {
        axis->setRange(lo, hi);
        axis->setTickInterval(step);
    }
}

std::pair<double, double> rangeOf(const QAbstractAxis* axis) {
    if (const auto* value = qobject_cast<const QValueAxis*>(axis))
        return {value->min(), value->max()};
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return {log->min(), log->max()};
    return {0, 0};
}

} // namespace

ChartView::ChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
    setRubberBand(QChartView::NoRubberBand); // ours: it lets a click through to the series
    setFocusPolicy(Qt::StrongFocus);         // the arrow keys pan
    m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
    m_band->hide();
    // A new size of the plot (a resize, a longer legend, a new font) changes what fits.
    connect(chart, &QChart::plotAreaChanged, this, &ChartView::fitTicks);
}

ChartView::~ChartView() = default;

ChartView* ChartView::of(const QChart* chart) {
    if (!chart || !chart->scene())
        return nullptr;
    for (QGraphicsView* view : chart->scene()->views())
        if (auto* chartView = qobject_cast<ChartView*>(view))
            return chartView;
    return nullptr;
}

QChart* ChartView::chartOf(const QAbstractAxis* axis) {
    // QChart::addAxis makes the chart's data set, a child of the chart, the axis's parent.
    for (QObject* o = axis ? axis->parent() : nullptr; o; o = o->parent())
        if (auto* chart = qobject_cast<QChart*>(o))
            return chart;
    return nullptr;
}

void ChartView::autoscale(QAbstractAxis* axis, std::function<void()> apply) {
    if (m_zoomed)
        m_pending.insert(axis, std::move(apply));
    else
        apply();
}

void ChartView::setTickRule(QValueAxis* axis, int targetTicks, double minStep) {
    m_tickRules.insert(axis, {targetTicks, minStep});
}

double ChartView::tickInterval(const QValueAxis* axis, double lo, double hi) const {
    const TickRule rule = m_tickRules.value(axis);
    double step = std::max(chartstyle::niceStep(hi - lo, rule.targetTicks), rule.minStep);
    const QRectF plot = chart()->plotArea();
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const double length = horizontal ? plot.width() : plot.height();
    if (!(length > 0) || !(hi > lo) || !(step > 0))
        return step; // not laid out yet: the next plotAreaChanged fits it
    const QFontMetricsF metrics(axis->labelsFont());
    const QByteArray format = axis->labelFormat().toLatin1();
    for (int widenings = 0; widenings < 64; ++widenings) {
        const double spacing = step / (hi - lo) * length;
        double needed = 1.5 * metrics.height(); // a label and half a line between two
        if (horizontal && spacing >= needed) {
            // The widest of the labels that would be drawn, plus two spaces between neighbours.
            double widest = 0;
            const double anchor = axis->tickAnchor();
            for (double k = std::ceil((lo - anchor) / step); anchor + k * step <= hi; ++k) {
                double value = anchor + k * step;
                if (std::abs(value) < 1e-9 * step)
                    value = 0; // 1e-17 where 0 is meant would be a very wide label
                widest = std::max(widest, metrics.horizontalAdvance(
                                              QString::asprintf(format.constData(), value)));
            }
            needed = widest + metrics.horizontalAdvance(QStringLiteral("  "));
        }
        if (spacing >= needed)
            break;
        step = nextNiceStep(step);
    }
    return step;
}

bool ChartView::isZoomed() const {
    return m_zoomed;
}

QRectF ChartView::plotAreaInView() const {
    const QRectF plot = chart()->plotArea();
    return mapFromScene(chart()->mapToScene(plot)).boundingRect();
}

bool ChartView::inPlotArea(QPointF viewPos) const {
    return plotAreaInView().contains(viewPos);
}

void ChartView::beginZoom() {
    if (m_zoomed)
        return;
    m_unzoomed.clear();
    for (QAbstractAxis* axis : chart()->axes()) {
        const auto [lo, hi] = rangeOf(axis);
        m_unzoomed.append({axis, lo, hi});
    }
    m_zoomed = true;
    emit zoomChanged(true);
}

void ChartView::zoomAt(QPointF viewPos, double factor, Qt::Orientations axes) {
    if (!(factor > 0))
        return;
    const QRectF plot = chart()->plotArea();
    const QPointF at = chart()->mapFromScene(viewportTransform().inverted().map(viewPos));
    QRectF wanted = plot;
    if (axes & Qt::Horizontal) {
        wanted.setLeft(at.x() - (at.x() - plot.left()) / factor);
        wanted.setWidth(plot.width() / factor);
    }
    if (axes & Qt::Vertical) {
        wanted.setTop(at.y() - (at.y() - plot.top()) / factor);
        wanted.setHeight(plot.height() / factor);
    }
    beginZoom();
    chart()->zoomIn(wanted);
    fitTicks();
}

void ChartView::zoomToRect(const QRectF& viewRect) {
    const QRectF plot = chart()->plotArea();
    QRectF wanted = chart()->mapFromScene(mapToScene(viewRect.toRect())).boundingRect() & plot;
    // A thin band zooms one axis: a horizontal stroke picks epochs, a vertical one values.
    const double scale = std::max(m_scale, 1e-9);
    const bool thinX = wanted.width() * scale < thinBand,
               thinY = wanted.height() * scale < thinBand;
    if (thinX && thinY)
        return;
    if (thinX) {
        wanted.setLeft(plot.left());
        wanted.setWidth(plot.width());
    }
    if (thinY) {
        wanted.setTop(plot.top());
        wanted.setHeight(plot.height());
    }
    beginZoom();
    chart()->zoomIn(wanted);
    fitTicks();
}

void ChartView::pan(QPointF viewDelta) {
    beginZoom();
    // QChart::scroll moves the visible area; dragging the plot right shows what lies left.
    chart()->scroll(-viewDelta.x() / m_scale, viewDelta.y() / m_scale);
    fitTicks();
}

void ChartView::resetZoom() {
    if (!m_zoomed)
        return;
    m_zoomed = false;
    for (const AxisRange& r : std::as_const(m_unzoomed)) {
        if (!r.axis)
            continue;
        if (QValueAxis* value = spacedAxis(r.axis))
            setRangeAndStep(value, r.lo, r.hi, tickInterval(value, r.lo, r.hi));
        else if (auto* plain = qobject_cast<QValueAxis*>(r.axis.data()))
            plain->setRange(r.lo, r.hi);
        else if (auto* log = qobject_cast<QLogValueAxis*>(r.axis.data()))
            log->setRange(r.lo, r.hi);
    }
    m_unzoomed.clear();
    // What the chart asked for meanwhile is newer than the snapshot.
    const auto pending = std::exchange(m_pending, {});
    for (const auto& apply : pending)
        apply();
    fitTicks();
    emit zoomChanged(false);
}

void ChartView::fitTicks() {
    for (QAbstractAxis* axis : chart()->axes()) {
        QValueAxis* value = spacedAxis(axis);
        if (!value)
            continue;
        const double step = tickInterval(value, value->min(), value->max());
        if (step != value->tickInterval())
            value->setTickInterval(step);
    }
}

void ChartView::setContentScale(double scale) {
    if (!(scale > 0) || scale == m_scale)
        return;
    m_scale = scale;
    setTransform(QTransform::fromScale(scale, scale));
    applyLayoutScale();
    keepThinLinesThin();
}

void ChartView::keepThinLinesThin() {
    // Scaled, a thin dashed pen leaves the raster engine's fast path for its path stroker: the
    // loss chart's dashed curves made a frame 5x slower at 150 %. A cosmetic pen is as wide on
    // screen at any scale (an export draws it plain: chartexport.cpp).
    const bool scaled = m_scale != 1;
    for (QAbstractSeries* series : chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(series);
        if (!line || line->pen().widthF() > 1 || line->pen().isCosmetic() == scaled)
            continue;
        QPen pen = line->pen();
        pen.setCosmetic(scaled);
        line->setPen(pen);
    }
}

double ChartView::contentScale() const {
    return m_scale;
}

void ChartView::applyLayoutScale() {
    // The chart is laid out in its own units, 1/scale of the view's pixels, and the view's
    // transform draws those units scale times larger.
    chart()->resize(QSizeF(size()) / m_scale);
    setSceneRect(chart()->geometry());
}

void ChartView::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    if (m_scale != 1)
        applyLayoutScale();
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    const bool panButton =
        event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ShiftModifier));
    if (panButton && inPlotArea(pos)) {
        m_panning = true;
        m_lastPanPos = pos;
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && inPlotArea(pos)) {
        // Only a drag becomes a rubber band; a click still reaches the series (a sweep's dots).
        m_bandArmed = true;
        m_pressPos = pos.toPoint();
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (m_panning) {
        pan(event->position() - m_lastPanPos);
        m_lastPanPos = event->position();
        event->accept();
        return;
    }
    if (m_bandArmed && (event->buttons() & Qt::LeftButton)) {
        if (m_band->isVisible() ||
            (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
            m_band->setGeometry(QRect(m_pressPos, pos).normalized());
            m_band->show();
            event->accept();
            return;
        }
    }
    QChartView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton) {
        m_bandArmed = false;
        if (m_band->isVisible()) {
            m_band->hide();
            zoomToRect(m_band->geometry());
        }
    }
    // Always: the item that took the press (a legend marker, a dot) must see its release.
    QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    const QPointF scenePos = viewportTransform().inverted().map(event->position());
    const QLegend* legend = chart()->legend();
    // A double-click on a legend entry is two clicks on it (hide, show again).
    if (event->button() == Qt::LeftButton &&
        !(legend->isVisible() && legend->sceneBoundingRect().contains(scenePos))) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartView::wheelEvent(QWheelEvent* event) {
    const QPointF pos = event->position();
    const int delta = event->angleDelta().y();
    if (delta == 0 || !inPlotArea(pos)) {
        QChartView::wheelEvent(event);
        return;
    }
    zoomAt(pos, std::pow(wheelFactor, delta / 120.0));
    event->accept();
}

QList<ChartView::KeyHelp> ChartView::keyHelp() {
    return {{tr("Chart: pan (or drag with the middle button, or Shift and the left button)"),
             {Qt::Key_Left, Qt::Key_Right, Qt::Key_Up, Qt::Key_Down}},
            {tr("Chart: zoom in (or turn the wheel, or drag a rectangle)"),
             {Qt::Key_Plus, Qt::Key_Equal}},
            {tr("Chart: zoom out (or turn the wheel)"), {Qt::Key_Minus}},
            {tr("Chart: reset the zoom (or double-click)"), {Qt::Key_0}}};
}

void ChartView::keyPressEvent(QKeyEvent* event) {
    const QRectF plot = plotAreaInView();
    const double dx = keyPanFraction * plot.width(), dy = keyPanFraction * plot.height();
    switch (event->key()) {
    case Qt::Key_Left:
        pan({dx, 0});
        break;
    case Qt::Key_Right:
        pan({-dx, 0});
        break;
    case Qt::Key_Up:
        pan({0, dy});
        break;
    case Qt::Key_Down:
        pan({0, -dy});
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAt(plot.center(), wheelFactor);
        break;
    case Qt::Key_Minus:
        zoomAt(plot.center(), 1 / wheelFactor);
        break;
    case Qt::Key_0:
        resetZoom();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace sobolev
