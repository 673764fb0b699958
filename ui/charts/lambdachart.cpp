// SPDX-License-Identifier: GPL-3.0-or-later
#include "lambdachart.h"

#include "chartstyle.h"
#include "chartview.h"
#include "lossweights.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace cs = chartstyle;

namespace {

// As the loss chart: about two points per pixel column, at most ~30 frames a second.
constexpr int minBuckets = 100, maxBuckets = 1000;
constexpr int redrawIntervalMs = 33;
// A constant ratio sits mid-plot rather than on a decade line at the plot's edge.
constexpr double ratioMargin = 3;

QList<QPointF> ratioCurve(const QList<EpochMetrics>& history, qsizetype buckets) {
    // Envelope: a rule's jumps and a live change's step stay sharp.
    return cs::decimated(
        history.size(),
        [&](qsizetype i) -> std::optional<QPointF> {
            if (const auto y = cs::logSafe(weightRatio(history[i])))
                return QPointF(history[i].epoch, *y);
            return std::nullopt;
        },
        buckets, cs::Decimation::Envelope, true);
}

} // namespace

LambdaChart::LambdaChart(QWidget* parent) : QWidget(parent) {
    auto* chart = new QChart;
    chart->setTitle(tr("λ(t) = β/α, the loss weights in force"));
    m_view = cs::createChartView(chart, this);
    m_xAxis = cs::createValueAxis(tr("epoch"), QStringLiteral("%.0f"));
    m_yAxis = cs::createLogAxis(tr("β/α"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    cs::keepLogLabelsReadable(chart, m_yAxis);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->hide();

    m_stepLine = cs::createLineSeries(tr("replayed step"), QColor(40, 40, 40), Qt::SolidLine, 1.5);
    chart->addSeries(m_stepLine);
    m_stepLine->attachAxis(m_xAxis);
    m_stepLine->attachAxis(m_yAxis);
    m_stepLine->setVisible(false);
    chart->legend()->markers(m_stepLine).constFirst()->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_margins = chart->margins();
    connect(chart, &QChart::plotAreaChanged, this, &LambdaChart::alignPlotWithFollowed);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(redrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &LambdaChart::redrawNow);
    setRuns({});
}

LambdaChart::~LambdaChart() = default;

void LambdaChart::appendEpochs(const QList<EpochMetrics>& epochs) {
    if (epochs.isEmpty())
        return;
    if (m_runs.size() != 1 || m_legend)
        setRuns({{QString(), cs::color(cs::Role::Loss), {}}});
    m_runs.first().history.append(epochs);
    scheduleRedraw();
}

void LambdaChart::setHistory(const QList<EpochMetrics>& epochs) {
    setRuns({{QString(), cs::color(cs::Role::Loss), epochs}});
}

void LambdaChart::clear() {
    setRuns({});
}

void LambdaChart::setRuns(const QList<Run>& runs) {
    m_runs = runs;
    // One run is named by the window around it; several by the legend.
    m_legend = runs.size() > 1 || (runs.size() == 1 && !runs.constFirst().label.isEmpty());
    rebuildSeries();
    redrawNow();
}

void LambdaChart::rebuildSeries() {
    QChart* chart = this->chart();
    for (QLineSeries* series : std::as_const(m_series)) {
        chart->removeSeries(series);
        delete series;
    }
    m_series.clear();
    for (int i = 0; i < m_runs.size(); ++i) {
        const Run& run = m_runs[i];
        auto* series = cs::createLineSeries(run.label.isEmpty() ? tr("β/α") : run.label, run.color,
                                            Qt::SolidLine, 2.0);
        chart->addSeries(series);
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
        connect(series, &QLineSeries::hovered, this,
                [this, i](const QPointF& point, bool state) { showReadout(i, point, state); });
        m_series.append(series);
    }
    chart->legend()->setVisible(m_legend);
    for (QLineSeries* series : std::as_const(m_series))
        chart->legend()->markers(series).constFirst()->setVisible(m_legend);
}

void LambdaChart::followEpochAxis(QValueAxis* axis) {
    if (m_followed)
        disconnect(m_followed, nullptr, this, nullptr);
    m_followed = axis;
    if (axis) {
        connect(axis, &QValueAxis::rangeChanged, this, &LambdaChart::setEpochRange);
        // Ticks where the loss chart has them, so the two read as one x axis.
        connect(axis, &QValueAxis::tickIntervalChanged, m_xAxis, &QValueAxis::setTickInterval);
        connect(axis, &QValueAxis::tickAnchorChanged, m_xAxis, &QValueAxis::setTickAnchor);
        m_xAxis->setTickType(axis->tickType());
        m_xAxis->setTickAnchor(axis->tickAnchor());
        m_xAxis->setTickInterval(axis->tickInterval());
        setEpochRange(axis->min(), axis->max());
        if (QChart* followed = ChartView::chartOf(axis))
            connect(followed, &QChart::plotAreaChanged, this, &LambdaChart::alignPlotWithFollowed);
    }
    alignPlotWithFollowed();
    redrawNow();
}

void LambdaChart::alignPlotWithFollowed() {
    QChart* followed = m_followed ? ChartView::chartOf(m_followed) : nullptr;
    QChart* mine = chart();
    // The other chart's legend sits beside its plot; this one's margins take up the same room.
    if (!followed || !isVisible() || !followed->isVisible() ||
        std::abs(followed->size().width() - mine->size().width()) > 1) {
        if (mine->margins() != m_margins)
            mine->setMargins(m_margins);
        return;
    }
    const QRectF theirs = followed->plotArea(), ours = mine->plotArea();
    QMargins margins = mine->margins();
    const int left = qRound(theirs.left() - ours.left()),
              right = qRound(ours.right() - theirs.right());
    if (left == 0 && right == 0)
        return;
    margins.setLeft(std::max(m_margins.left(), margins.left() + left));
    margins.setRight(std::max(m_margins.right(), margins.right() + right));
    if (margins != mine->margins())
        mine->setMargins(margins);
}

void LambdaChart::setEpochRange(double lo, double hi) {
    m_xAxis->setRange(lo, hi);
    placeStepMark();
}

void LambdaChart::setStepMark(std::optional<double> position) {
    m_stepPosition = position;
    placeStepMark();
}

void LambdaChart::placeStepMark() {
    const bool shown = m_stepPosition.has_value();
    if (m_stepLine->isVisible() != shown) {
        m_stepLine->setVisible(shown);
        chart()->legend()->markers(m_stepLine).constFirst()->setVisible(false);
    }
    if (!shown)
        return;
    const double x = std::clamp(*m_stepPosition, m_xAxis->min(), m_xAxis->max());
    m_stepLine->replace({QPointF(x, m_yAxis->min()), QPointF(x, m_yAxis->max())});
}

void LambdaChart::scheduleRedraw() {
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void LambdaChart::redrawNow() {
    m_redrawTimer.stop();
    const qsizetype buckets = std::clamp(qsizetype(chart()->plotArea().width()),
                                         qsizetype(minBuckets), qsizetype(maxBuckets));
    cs::Extent shown;
    int lastEpoch = 2;
    QList<QList<QPointF>> curves;
    for (const Run& run : std::as_const(m_runs)) {
        curves << ratioCurve(run.history, buckets);
        shown.include(curves.constLast());
        if (!run.history.isEmpty())
            lastEpoch = std::max(lastEpoch, run.history.constLast().epoch);
    }
    cs::Extent padded;
    if (!shown.isEmpty()) {
        padded.include(shown.range().lo / ratioMargin);
        padded.include(shown.range().hi * ratioMargin);
    }
    cs::setLogRange(chart(), m_yAxis, cs::decadeRange(padded, {0.1, 10}));
    if (!m_followed)
        cs::setValueRange(m_xAxis, {1, double(m_runs.isEmpty() ? 10 : lastEpoch)}, 5, 1);
    for (int i = 0; i < m_series.size(); ++i)
        cs::replacePoints(m_series[i], curves[i]);
    placeStepMark();
}

QChart* LambdaChart::chart() const {
    return m_view->chart();
}

QList<QList<QPointF>> LambdaChart::curves() const {
    QList<QList<QPointF>> points;
    for (const QLineSeries* series : m_series)
        points << series->points();
    return points;
}

QSize LambdaChart::sizeHint() const {
    return {640, 240};
}

QSize LambdaChart::minimumSizeHint() const {
    return {360, 160};
}

void LambdaChart::showReadout(int run, const QPointF& point, bool state) {
    const QList<EpochMetrics>& history = m_runs.value(run).history;
    if (!state || history.isEmpty()) {
        cs::showHoverText(m_view, false, {});
        return;
    }
    // The stored row of the nearest epoch, not the decimated point.
    const int epoch = int(std::lround(point.x()));
    auto it = std::lower_bound(history.cbegin(), history.cend(), epoch,
                               [](const EpochMetrics& m, int e) { return m.epoch < e; });
    if (it == history.cend())
        --it;
    QStringList lines;
    if (m_legend)
        lines << m_runs[run].label;
    lines << tr("epoch %1: β/α = %2 (α = %3, β = %4)")
                 .arg(it->epoch)
                 .arg(weightRatio(*it), 0, 'g', 4)
                 .arg(it->alpha, 0, 'g', 4)
                 .arg(it->beta, 0, 'g', 4);
    cs::showHoverText(m_view, true, lines);
}

} // namespace sobolev
