// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>
#include <QHash>
#include <QPointF>
#include <QPointer>

#include <functional>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QRubberBand;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

// The view every chart is shown in (chartstyle::createChartView makes it). What it adds:
// - zoom and pan: drag a rectangle with the left button, turn the wheel, drag with the middle
//   button or with Shift and the left button, or use the arrow keys and +/-; a double-click
//   or 0 goes back. While zoomed, the chart's own autoscaling (every live frame sets new ranges)
//   is held back: each axis keeps the newest range it was given and gets it on the reset.
// - value-axis ticks that fit: the step asked for is widened (1, 2, 5 × 10^n) until the labels
//   no longer collide at the plot's size, after every resize and zoom.
// - a content scale: the chart is laid out at 1/scale of the view's size and drawn scaled up,
//   so that fonts, lines, markers and margins all grow together (presentation mode).
class ChartView : public QChartView {
    Q_OBJECT
  public:
    // What a key does in a chart that has the focus, with the mouse's way of doing the same.
    struct KeyHelp {
        QString action;      // "Zoom in (or turn the wheel)"
        QList<Qt::Key> keys; // the keys keyPressEvent() handles for it
    };
    // Every key keyPressEvent() handles, for Help ▸ Keyboard Shortcuts.
    static QList<KeyHelp> keyHelp();

    explicit ChartView(QChart* chart, QWidget* parent = nullptr);
    ~ChartView() override;

    // The ChartView a chart is shown in, or nullptr.
    static ChartView* of(const QChart* chart);
    // The chart an axis was added to, or nullptr.
    static QChart* chartOf(const QAbstractAxis* axis);

    // Runs `apply` (which sets `axis`'s range) now, or, while the user has zoomed or panned,
    // keeps it for resetZoom(); a newer one for the same axis replaces it.
    void autoscale(QAbstractAxis* axis, std::function<void()> apply);
    // About `targetTicks` ticks of at least `minStep`, fewer when their labels would collide.
    void setTickRule(QValueAxis* axis, int targetTicks, double minStep);
    // The tick step for `axis` over [lo, hi] at the current plot size.
    double tickInterval(const QValueAxis* axis, double lo, double hi) const;

    bool isZoomed() const;
    // Zooms by `factor` (> 1 in, < 1 out) around `viewPos` (the view's coordinates).
    void zoomAt(QPointF viewPos, double factor,
                Qt::Orientations axes = Qt::Horizontal | Qt::Vertical);
    // Shows what lies within `viewRect` (the view's coordinates) over the whole plot.
    void zoomToRect(const QRectF& viewRect);
    // Moves the visible ranges by `viewDelta` pixels, as if the plot were dragged by it.
    void pan(QPointF viewDelta);
    // Back to the ranges the chart's autoscaling wants now; autoscaling resumes.
    void resetZoom();

    // Draws the chart `scale` times larger (presentation mode). Lines at most one pixel wide
    // stay one screen pixel wide.
    void setContentScale(double scale);
    double contentScale() const;

  signals:
    void zoomChanged(bool zoomed);

  protected:
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    struct TickRule {
        int targetTicks = 5;
        double minStep = 0;
    };
    struct AxisRange {
        QPointer<QAbstractAxis> axis;
        double lo = 0, hi = 0;
    };

    QRectF plotAreaInView() const;
    bool inPlotArea(QPointF viewPos) const;
    // Snapshot of the ranges before the first zoom or pan, to go back to.
    void beginZoom();
    void fitTicks();
    void applyLayoutScale();
    void keepThinLinesThin();

    QHash<const QValueAxis*, TickRule> m_tickRules;
    QHash<QAbstractAxis*, std::function<void()>> m_pending;
    QList<AxisRange> m_unzoomed;
    bool m_zoomed = false;
    double m_scale = 1;
    QRubberBand* m_band = nullptr;
    QPoint m_pressPos;
    bool m_bandArmed = false;
    bool m_panning = false;
    QPointF m_lastPanPos;
};

} // namespace sobolev
