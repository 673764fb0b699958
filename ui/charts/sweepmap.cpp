// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepmap.h"

#include "chartstyle.h"
#include "textformat.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QCoreApplication>
#include <QGraphicsItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLinearGradient>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace sobolev {

namespace cs = chartstyle;

namespace {

// Viridis at t = 0, 0.1, …, 1 (matplotlib's table); between them linear in sRGB, which is
// within a few units of the full table.
constexpr std::array<QRgb, 11> viridisStops{0x440154, 0x482475, 0x414487, 0x355f8d,
                                            0x2a788e, 0x21918c, 0x22a884, 0x44bf70,
                                            0x7ad151, 0xbddf26, 0xfde725};
// Diverged cells: a hatch no colour of the scale resembles.
const QColor divergedColor(0xb0, 0x1c, 0x1c);
// Room right of the plot for the colour bar, its labels and its title.
constexpr int colourBarRoom = 104;
constexpr double colourBarWidth = 14;

QString translate(const char* text, int n = -1) {
    return QCoreApplication::translate("sobolev::SweepMap", text, nullptr, n);
}

QString valueLabel(Knob knob, double value) {
    return QStringLiteral("%1=%2").arg(knobLabel(knob), knobValueLabel(knob, value));
}

// A knob gets a log axis when the registry says its values span decades and all are > 0.
bool logAxisFor(Knob knob, const std::vector<double>& values) {
    return knobInfo(knob).logScale && !values.empty() && values.front() > 0;
}

// The edges of the cells around sorted `values`: midway between neighbours (geometrically on
// a log axis), and as far outside the first and last as the nearest edge is inside.
std::vector<double> cellEdges(const std::vector<double>& values, bool log) {
    std::vector<double> v = values;
    if (log)
        for (double& x : v)
            x = std::log10(x);
    std::vector<double> edges(v.size() + 1);
    if (v.size() == 1) {
        edges = {v[0] - 0.5, v[0] + 0.5};
    } else {
        for (std::size_t i = 1; i < v.size(); ++i)
            edges[i] = 0.5 * (v[i - 1] + v[i]);
        edges.front() = v.front() - (edges[1] - v.front());
        edges.back() = v.back() + (v.back() - edges[v.size() - 1]);
    }
    if (log)
        for (double& e : edges)
            e = std::pow(10.0, e);
    return edges;
}

// The colour bar's ticks, as log10 of the error: every decade (or every second, third, …) on
// a scale of two decades or more, else at 1, 2 and 5 times the decades.
std::vector<double> scaleTicks(double logLo, double logHi) {
    std::vector<double> ticks;
    const double span = logHi - logLo;
    if (span >= 2) {
        const double step = std::max(1.0, std::round(cs::niceStep(span, 5)));
        for (double t = std::ceil(logLo / step - 1e-9) * step; t <= logHi + 1e-9; t += step)
            ticks.push_back(t);
        return ticks;
    }
    for (double decade = std::floor(logLo); decade <= logHi; ++decade)
        for (double m : {1.0, 2.0, 5.0})
            if (const double t = decade + std::log10(m); t >= logLo - 1e-9 && t <= logHi + 1e-9)
                ticks.push_back(t);
    return ticks;
}

QStringList cellLines(const SweepGrid& grid, const GridCell& cell) {
    QString where = valueLabel(grid.xKnob, grid.xOf(cell)) + QStringLiteral(", ") +
                    valueLabel(grid.yKnob, grid.yOf(cell));
    if (grid.isAlphaBeta())
        where += QStringLiteral(" · ") + valueLabel(Knob::BetaOverAlpha, grid.ratioOf(cell));
    QStringList lines{where};
    const int seeds = int(cell.runs.size());
    if (cell.allDiverged()) {
        lines << translate("diverged: no finite %1 from any of its %n seeds", seeds)
                     .arg(mapErrorLabel(grid.error));
    } else {
        lines << translate("%1: median %2").arg(mapErrorLabel(grid.error), errorText(cell.median));
        lines << translate("min–max over %n seeds: %1 – %2", cell.finite)
                     .arg(errorText(cell.min), errorText(cell.max));
        if (cell.diverged > 0)
            lines << translate("%1 of %n seeds diverged (left out)", seeds).arg(cell.diverged);
    }
    lines << translate("Click to open its runs");
    return lines;
}

QStringList idsOf(const SweepView& view, const GridCell& cell) {
    QStringList ids;
    for (int r : cell.runs)
        ids << view.runs[r].id;
    return ids;
}

QLabel* createWhyLabel() {
    auto* label = new QLabel;
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setMargin(24);
    return label;
}

// Fills `owner` with a stack of the chart's view and the label saying why there is no chart.
QStackedWidget* chartOrWhyStack(QWidget* owner, QWidget* view, QLabel* why) {
    auto* stack = new QStackedWidget;
    stack->addWidget(view);
    stack->addWidget(why);
    auto* layout = new QVBoxLayout(owner);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack);
    return stack;
}

// Detaches `axis` from the chart if it is attached; the widget keeps it for later.
void detach(QChart* chart, QAbstractAxis* axis, QObject* keeper) {
    if (chart->axes().contains(axis)) {
        chart->removeAxis(axis);
        axis->setParent(keeper);
    }
}

} // namespace

QColor viridis(double t) {
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * double(viridisStops.size() - 1);
    const std::size_t i = std::min(std::size_t(t), viridisStops.size() - 2);
    const double u = t - double(i);
    const QColor a(viridisStops[i]), b(viridisStops[i + 1]);
    const auto mix = [u](int p, int q) { return int(std::lround(p + u * (q - p))); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

// The colour bar right of the plot: the scale from the smallest median error (bottom) to the
// largest (top), with labelled ticks and a title. It lives in the chart's scene, so exports
// draw it; its texts are items like the axes' labels, so they print at the same size.
class ColourBar : public QGraphicsItem {
  public:
    explicit ColourBar(QGraphicsItem* parent) : QGraphicsItem(parent) { setZValue(10); }

    void setScale(double logLo, double logHi, const QString& title, const QFont& font,
                  const QFont& titleFont) {
        m_lo = logLo;
        m_hi = logHi;
        qDeleteAll(childItems());
        m_ticks.clear();
        for (double t : scaleTicks(m_lo, m_hi))
            m_ticks.append({t, text(errorText(std::pow(10.0, t), 1), font)});
        m_title = text(title, titleFont);
        m_title->setRotation(-90);
    }
    void place(const QRectF& plotArea) {
        prepareGeometryChange();
        m_bar = QRectF(plotArea.right() + 16, plotArea.top(), colourBarWidth, plotArea.height());
        double widest = 0;
        for (const auto& [t, label] : std::as_const(m_ticks)) {
            const QRectF box = label->boundingRect();
            widest = std::max(widest, box.width());
            label->setPos(m_bar.right() + 6, yOf(t) - box.height() / 2);
        }
        if (m_title) {
            const QRectF box = m_title->boundingRect();
            // Rotated by -90°: its width runs upwards from its position.
            m_title->setPos(m_bar.right() + 10 + widest, m_bar.center().y() + box.width() / 2);
        }
    }
    QRectF boundingRect() const override { return m_bar.adjusted(-2, -2, 6, 2); }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
        if (m_bar.height() <= 0)
            return;
        QLinearGradient gradient(m_bar.bottomLeft(), m_bar.topLeft());
        for (std::size_t i = 0; i < viridisStops.size(); ++i)
            gradient.setColorAt(double(i) / double(viridisStops.size() - 1),
                                QColor(viridisStops[i]));
        painter->setPen(QPen(QColor(0x88, 0x88, 0x88), 0.8));
        painter->setBrush(gradient);
        painter->drawRect(m_bar);
        painter->setPen(QPen(Qt::black, 1));
        for (const auto& tick : std::as_const(m_ticks))
            painter->drawLine(QPointF(m_bar.right(), yOf(tick.first)),
                              QPointF(m_bar.right() + 4, yOf(tick.first)));
    }

  private:
    double yOf(double t) const {
        return m_bar.bottom() - (t - m_lo) / (m_hi - m_lo) * m_bar.height();
    }
    QGraphicsSimpleTextItem* text(const QString& s, const QFont& font) {
        auto* item = new QGraphicsSimpleTextItem(s, this);
        item->setFont(font);
        return item;
    }

    QRectF m_bar;
    double m_lo = 0, m_hi = 1;
    QList<std::pair<double, QGraphicsSimpleTextItem*>> m_ticks;
    QGraphicsSimpleTextItem* m_title = nullptr;
};

// --- SweepMapChart -----------------------------------------------------------------------

SweepMapChart::SweepMapChart(QWidget* parent) : QWidget(parent) {
    auto* chart = new QChart;
    m_view = cs::createChartView(chart, this);
    m_view->viewport()->installEventFilter(this);
    chart->setMargins(QMargins(8, 8, colourBarRoom, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_bar = new ColourBar(chart);
    connect(chart, &QChart::plotAreaChanged, this, [this] { placeOverlays(); });
    m_why = createWhyLabel();
    m_stack = chartOrWhyStack(this, m_view, m_why);
    setSweep({});
}

SweepMapChart::~SweepMapChart() = default;

QChart* SweepMapChart::chart() const {
    return m_view->chart();
}

QSize SweepMapChart::sizeHint() const {
    return {760, 560};
}

void SweepMapChart::setSweep(const SweepView& view) {
    m_sweep = view;
    rebuild();
}

void SweepMapChart::setError(MapError error) {
    m_error = error;
    rebuild();
}

QColor SweepMapChart::colourOf(double error) const {
    return viridis((std::log10(error) - m_logLo) / (m_logHi - m_logLo));
}

void SweepMapChart::rebuild() {
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    m_cellSeries.clear();
    m_ratios.clear();
    for (const auto& label : std::as_const(m_ratioLabels))
        delete label.first;
    m_ratioLabels.clear();
    m_grid = sweepGrid(m_sweep, m_error, &m_whyNot);
    m_why->setText(m_whyNot);
    m_stack->setCurrentWidget(m_grid ? static_cast<QWidget*>(m_view) : m_why);
    m_bar->setVisible(bool(m_grid));
    if (!m_grid)
        return;

    // The colour scale spans the cells' medians, on log10 of the error.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    int diverged = 0;
    for (const GridCell& cell : m_grid->cells) {
        diverged += cell.allDiverged();
        if (!cell.allDiverged()) {
            lo = std::min(lo, std::log10(cell.median));
            hi = std::max(hi, std::log10(cell.median));
        }
    }
    if (!(hi > lo)) {
        lo = std::isfinite(lo) ? lo - 0.5 : -1;
        hi = lo + 1;
    }
    m_logLo = lo;
    m_logHi = hi;

    setAxes();
    for (int i = 0; i < m_grid->cells.size(); ++i)
        addCell(i, lo, hi);
    chart->legend()->setVisible(diverged > 0);
    addRatioLines();

    QString title =
        translate("%1 by %2 and %3, median over seeds")
            .arg(mapErrorLabel(m_error), knobLabel(m_grid->xKnob), knobLabel(m_grid->yKnob)) +
        shownEpochSuffix(m_sweep.shown);
    if (diverged > 0)
        title += translate(" (%n cells diverged)", diverged);
    chart->setTitle(title);
    m_bar->setScale(lo, hi, translate("%1 (log scale)").arg(mapErrorLabel(m_error)),
                    m_xAxis->labelsFont(), m_xAxis->titleFont());
    placeOverlays();
}

void SweepMapChart::setAxes() {
    QChart* chart = m_view->chart();
    for (QAbstractAxis* axis : chart->axes())
        detach(chart, axis, this);
    const SweepGrid& g = *m_grid;
    const std::array<std::pair<Knob, const std::vector<double>*>, 2> knobs{
        {{g.xKnob, &g.xs}, {g.yKnob, &g.ys}}};
    std::array<QAbstractAxis*, 2> axes{};
    for (std::size_t k = 0; k < 2; ++k) {
        const auto [knob, values] = knobs[k];
        const bool log = logAxisFor(knob, *values);
        // Found again by name and kind: the widget keeps each axis it made.
        const QString name = QStringLiteral("map-axis-%1-%2").arg(k).arg(log ? "log" : "linear");
        QAbstractAxis* axis = findChild<QAbstractAxis*>(name, Qt::FindDirectChildrenOnly);
        if (!axis) {
            axis = log ? static_cast<QAbstractAxis*>(cs::createLogAxis({}))
                       : cs::createValueAxis({}, QStringLiteral("%g"));
            axis->setObjectName(name);
            if (auto* logAxis = qobject_cast<QLogValueAxis*>(axis)) {
                logAxis->setLabelFormat(QStringLiteral("%g"));
                cs::keepLogLabelsReadable(chart, logAxis);
            }
        }
        axis->setTitleText(knobLabel(knob));
        // The cells cover the plot; a grid would only show through their borders.
        axis->setGridLineVisible(false);
        if (auto* logAxis = qobject_cast<QLogValueAxis*>(axis))
            logAxis->setMinorGridLineVisible(false);
        chart->addAxis(axis, k == 0 ? Qt::AlignBottom : Qt::AlignLeft);
        const std::vector<double> edges = cellEdges(*values, log);
        (k == 0 ? m_xEdges : m_yEdges) = edges;
        if (auto* logAxis = qobject_cast<QLogValueAxis*>(axis))
            cs::setRange(chart, logAxis, edges.front(), edges.back());
        else
            cs::setValueRange(qobject_cast<QValueAxis*>(axis), {edges.front(), edges.back()}, 6);
        axes[k] = axis;
    }
    m_xAxis = axes[0];
    m_yAxis = axes[1];
}

void SweepMapChart::addCell(int index, double logLo, double logHi) {
    const SweepGrid& g = *m_grid;
    const GridCell& cell = g.cells[index];
    const double x0 = m_xEdges[std::size_t(cell.column)],
                 x1 = m_xEdges[std::size_t(cell.column) + 1];
    const double y0 = m_yEdges[std::size_t(cell.row)], y1 = m_yEdges[std::size_t(cell.row) + 1];
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    upper->append({{x0, y1}, {x1, y1}});
    lower->append({{x0, y0}, {x1, y0}});
    auto* area = new QAreaSeries(upper, lower);
    upper->setParent(area);
    lower->setParent(area);
    // A thin white border keeps neighbouring cells of close colours apart.
    area->setPen(QPen(Qt::white, 0.8));
    const bool diverged = cell.allDiverged();
    if (diverged) {
        area->setName(translate("all seeds diverged"));
        area->setBrush(QBrush(divergedColor, Qt::BDiagPattern));
    } else {
        area->setBrush(viridis((std::log10(cell.median) - logLo) / (logHi - logLo)));
    }
    // One legend entry for all diverged cells.
    bool firstDiverged = diverged;
    for (int i = 0; i < index && firstDiverged; ++i)
        firstDiverged = !g.cells[i].allDiverged();
    cs::addToChart(m_view->chart(), area, firstDiverged);
    m_cellSeries << area;
    connect(area, &QAreaSeries::hovered, this,
            [this, index](const QPointF&, bool state) { onCell(index, true, state); });
}

// Dashed lines β/α = 10^k across the plot, every decade or, with many decades, every second
// or third, so that at most about seven are drawn; each labelled at its upper end.
void SweepMapChart::addRatioLines() {
    const SweepGrid& g = *m_grid;
    if (!g.isAlphaBeta() || !logAxisFor(g.xKnob, g.xs) || !logAxisFor(g.yKnob, g.ys))
        return;
    const double xlo = m_xEdges.front(), xhi = m_xEdges.back(), ylo = m_yEdges.front(),
                 yhi = m_yEdges.back();
    // On screen y = s·x with s = β/α when x is α, s = α/β when x is β.
    const bool xIsAlpha = g.xKnob == Knob::Alpha;
    const int kLo = int(std::ceil(std::log10(ylo / xhi) - 1e-9)),
              kHi = int(std::floor(std::log10(yhi / xlo) + 1e-9));
    // Lines that cross at least half a decade of the plot; of them at most about seven.
    const auto span = [&](int k) {
        const double slope = std::pow(10.0, k);
        return std::log10(std::min(xhi, yhi / slope) / std::max(xlo, ylo / slope));
    };
    std::vector<int> decades;
    for (int k = kLo; k <= kHi; ++k)
        if (span(k) >= 0.5)
            decades.push_back(k);
    const int every = std::max(1, int(decades.size() + 6) / 7);
    for (int k : decades) {
        if (k % every != 0)
            continue;
        const double slope = std::pow(10.0, k);
        const double x0 = std::max(xlo, ylo / slope), x1 = std::min(xhi, yhi / slope);
        const double ratio = xIsAlpha ? slope : 1 / slope;
        m_ratios.push_back(ratio);
        const QString name = valueLabel(Knob::BetaOverAlpha, ratio);
        // A white halo under the dark dashes keeps the line visible on dark and light cells.
        QLineSeries* halo =
            cs::createLineSeries(name, QColor(255, 255, 255, 200), Qt::SolidLine, 3);
        QLineSeries* line = cs::createLineSeries(name, QColor(0x20, 0x20, 0x20), Qt::DashLine, 1.3);
        for (QLineSeries* s : {halo, line}) {
            s->append({{x0, slope * x0}, {x1, slope * x1}});
            cs::addToChart(m_view->chart(), s, false);
        }
        // On a white patch, so that it reads over any cell.
        auto* patch = new QGraphicsRectItem(m_view->chart());
        patch->setBrush(QColor(255, 255, 255, 215));
        patch->setPen(Qt::NoPen);
        patch->setZValue(11);
        auto* label = new QGraphicsSimpleTextItem(name, patch);
        label->setBrush(QColor(0x20, 0x20, 0x20));
        QFont font = m_xAxis->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.9);
        label->setFont(font);
        label->setPos(2, 0);
        patch->setRect(QRectF(QPointF(0, 0), label->boundingRect().size() + QSizeF(4, 0)));
        m_ratioLabels.append({patch, QPointF(x1, slope * x1)});
    }
    std::sort(m_ratios.begin(), m_ratios.end());
}

// The colour bar beside the plot and each ratio label just inside the plot at its line's
// upper end.
void SweepMapChart::placeOverlays() {
    QChart* chart = m_view->chart();
    const QRectF plot = chart->plotArea();
    m_bar->place(plot);
    QAbstractSeries* anySeries = chart->series().value(0);
    if (!anySeries)
        return;
    for (const auto& [label, at] : std::as_const(m_ratioLabels)) {
        const QPointF end = chart->mapToPosition(at, anySeries);
        QRectF box = label->boundingRect();
        box.moveBottomRight(end + QPointF(-3, 2));
        box.moveTop(std::max(box.top(), plot.top() + 2));
        box.moveRight(std::min(box.right(), plot.right() - 2));
        label->setPos(box.topLeft());
    }
}

void SweepMapChart::onCell(int index, bool hover, bool state) {
    if (!m_grid || index >= m_grid->cells.size())
        return;
    const GridCell& cell = m_grid->cells[index];
    if (hover)
        cs::showHoverText(m_view, state, cellLines(*m_grid, cell));
    else
        emit runsClicked(idsOf(m_sweep, cell));
}

bool SweepMapChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view->viewport() && m_grid) {
        const bool pressOrRelease = event->type() == QEvent::MouseButtonPress ||
                                    event->type() == QEvent::MouseButtonRelease;
        // Only a press or a release is a QMouseEvent; other events must not be cast to one.
        const auto* mouse = pressOrRelease ? static_cast<QMouseEvent*>(event) : nullptr;
        const bool plainLeft =
            mouse && mouse->button() == Qt::LeftButton && mouse->modifiers() == Qt::NoModifier;
        if (plainLeft && event->type() == QEvent::MouseButtonPress)
            m_pressPos = mouse->position().toPoint();
        if (plainLeft && event->type() == QEvent::MouseButtonRelease &&
            (mouse->position().toPoint() - m_pressPos).manhattanLength() <
                QApplication::startDragDistance())
            if (const int cell = cellAt(m_pressPos); cell >= 0)
                onCell(cell, false, true);
    }
    return QWidget::eventFilter(watched, event);
}

int SweepMapChart::cellAt(const QPoint& viewportPos) const {
    QChart* chart = m_view->chart();
    QAbstractSeries* anySeries = chart->series().value(0);
    const QPointF scenePos = m_view->mapToScene(viewportPos);
    if (!anySeries || !chart->plotArea().contains(chart->mapFromScene(scenePos)))
        return -1;
    const QPointF value = chart->mapToValue(chart->mapFromScene(scenePos), anySeries);
    const auto indexIn = [](const std::vector<double>& edges, double v) {
        const auto it = std::upper_bound(edges.cbegin(), edges.cend(), v);
        return it == edges.cbegin() || it == edges.cend() ? -1 : int(it - edges.cbegin()) - 1;
    };
    const int column = indexIn(m_xEdges, value.x()), row = indexIn(m_yEdges, value.y());
    for (int i = 0; i < m_grid->cells.size(); ++i)
        if (m_grid->cells[i].column == column && m_grid->cells[i].row == row)
            return i;
    return -1;
}

// --- RatioSliceChart ---------------------------------------------------------------------

RatioSliceChart::RatioSliceChart(QWidget* parent) : QWidget(parent) {
    auto* chart = new QChart;
    m_view = cs::createChartView(chart, this);
    m_xAxis = cs::createLogAxis(knobLabel(Knob::BetaOverAlpha));
    m_yAxis = cs::createLogAxis({});
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    cs::keepLogLabelsReadable(chart, m_xAxis);
    cs::keepLogLabelsReadable(chart, m_yAxis);
    // One entry per α; a column stays readable where a row would be elided.
    chart->legend()->setAlignment(Qt::AlignRight);
    m_why = createWhyLabel();
    m_stack = chartOrWhyStack(this, m_view, m_why);
    setSweep({});
}

RatioSliceChart::~RatioSliceChart() = default;

QChart* RatioSliceChart::chart() const {
    return m_view->chart();
}

QSize RatioSliceChart::sizeHint() const {
    return {760, 480};
}

void RatioSliceChart::setSweep(const SweepView& view) {
    m_sweep = view;
    rebuild();
}

void RatioSliceChart::setError(MapError error) {
    m_error = error;
    rebuild();
}

void RatioSliceChart::rebuild() {
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    m_dotCells.clear();
    m_grid = sweepGrid(m_sweep, m_error, &m_whyNot);
    if (m_grid && !m_grid->isAlphaBeta())
        m_whyNot = translate("The slice against β/α needs a sweep over α and β.");
    if (!m_whyNot.isEmpty())
        m_grid.reset();
    m_why->setText(m_whyNot);
    m_stack->setCurrentWidget(m_grid ? static_cast<QWidget*>(m_view) : m_why);
    if (!m_grid)
        return;

    const SweepGrid& g = *m_grid;
    const bool xIsAlpha = g.xKnob == Knob::Alpha;
    const std::vector<double>& alphas = xIsAlpha ? g.xs : g.ys;
    const QList<QColor> colors = cs::keyedColors(alphas);
    std::vector<QList<QPointF>> dots(alphas.size());
    std::vector<QList<int>> dotCells(alphas.size());
    cs::Extent xExtent, yExtent;
    int notDrawn = 0;
    for (int i = 0; i < g.cells.size(); ++i) {
        const GridCell& cell = g.cells[i];
        const double ratio = g.ratioOf(cell);
        // β = 0 or α = 0 has no place on a log axis of β/α.
        if (cell.allDiverged() || !(std::isfinite(ratio) && ratio > 0)) {
            ++notDrawn;
            continue;
        }
        const std::size_t a = std::size_t(xIsAlpha ? cell.column : cell.row);
        // Cells of one β/α would hide each other: each α is shifted a little sideways, by
        // at most a quarter decade in all.
        const double x = ratio * std::pow(10.0, (double(a) - 0.5 * double(alphas.size() - 1)) *
                                                    std::min(0.04, 0.25 / double(alphas.size())));
        QLineSeries* whisker =
            cs::createLineSeries(translate("min–max"), colors[qsizetype(a)], Qt::SolidLine, 1.4);
        whisker->append({{x, cell.min}, {x, cell.max}});
        cs::addToChart(chart, whisker, false);
        dots[a].append({x, cell.median});
        dotCells[a].append(i);
        xExtent.include(x);
        yExtent.include(cell.min);
        yExtent.include(cell.max);
    }
    for (std::size_t a = 0; a < alphas.size(); ++a) {
        if (dots[a].isEmpty())
            continue;
        auto* series = new QScatterSeries;
        series->setName(valueLabel(Knob::Alpha, alphas[a]));
        series->setMarkerSize(9);
        series->setColor(colors[qsizetype(a)]);
        series->setBorderColor(Qt::white);
        series->append(dots[a]);
        m_dotCells.insert(series, dotCells[a]);
        cs::addToChart(chart, series, true);
        connect(series, &QScatterSeries::hovered, this,
                [this, series](const QPointF& p, bool state) { onDot(series, p, true, state); });
        connect(series, &QScatterSeries::clicked, this,
                [this, series](const QPointF& p) { onDot(series, p, false, true); });
    }
    m_yAxis->setTitleText(mapErrorLabel(m_error));
    cs::setLogRange(chart, m_xAxis, cs::decadeRange(xExtent, {1e-3, 1e3}));
    cs::setLogRange(chart, m_yAxis, cs::decadeRange(yExtent, {1e-4, 1}));
    QString title =
        translate("%1 against β/α: median and min–max over seeds").arg(mapErrorLabel(m_error)) +
        shownEpochSuffix(m_sweep.shown);
    if (notDrawn > 0)
        title += translate(" (%n cells not drawn: diverged or β/α of 0)", notDrawn);
    chart->setTitle(title);
}

void RatioSliceChart::onDot(QScatterSeries* series, const QPointF& point, bool hover, bool state) {
    const auto it = m_dotCells.constFind(series);
    if (!m_grid || it == m_dotCells.cend())
        return;
    // The dot nearest to the pointer's point on screen.
    const QList<QPointF> points = series->points();
    const QPointF target = m_view->chart()->mapToPosition(point, series);
    int best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < points.size() && i < it->size(); ++i) {
        const QPointF d = m_view->chart()->mapToPosition(points[i], series) - target;
        if (const double distance = QPointF::dotProduct(d, d); distance < bestDistance) {
            bestDistance = distance;
            best = (*it)[i];
        }
    }
    if (best < 0)
        return;
    const GridCell& cell = m_grid->cells[best];
    if (hover)
        cs::showHoverText(m_view, state, cellLines(*m_grid, cell));
    else
        emit runsClicked(idsOf(m_sweep, cell));
}

} // namespace sobolev
