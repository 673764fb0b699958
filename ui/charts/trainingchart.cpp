// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainingchart.h"

#include "chartstyle.h"
#include "textformat.h"

#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
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

// A curve is decimated to about two points per pixel column of the plot (the stored history
// never is): drawing more only costs time, since dense antialiased zig-zags are what makes a
// frame slow, and the GUI thread must stay responsive while a run streams in.
constexpr int minBuckets = 100, maxBuckets = 1000;

// ~30 frames a second: smooth enough to watch, cheap enough for a fast run.
constexpr int redrawIntervalMs = 33;

// Around the entries of a legend drawn inside the plot.
constexpr qreal legendMargin = 6;

// Envelope (the solid curves): a single spike (a divergence, a bad batch) survives. Trend
// (the dashed and dotted ones): Qt strokes dashes along the whole path, and an envelope's
// full-height zig-zags made one frame take 50-200 ms.
template <typename Value>
QList<QPointF> decimatedCurve(const QList<EpochMetrics>& history, Value value, qsizetype buckets,
                              cs::Decimation mode) {
    return cs::decimated(
        history.size(),
        [&](qsizetype i) -> std::optional<QPointF> {
            if (const auto y = cs::logSafe(value(history[i])))
                return QPointF(history[i].epoch, *y);
            return std::nullopt;
        },
        buckets, mode, true);
}

} // namespace

TrainingChart::TrainingChart(QWidget* parent) : QWidget(parent) {
    auto* chart = new QChart;
    chart->setTitle(tr("Training and validation loss"));
    m_view = cs::createChartView(chart, this);

    m_xAxis = cs::createValueAxis(tr("epoch"), QStringLiteral("%.0f"));
    m_yAxis = cs::createLogAxis(tr("loss / MSE"));
    chart->addAxis(m_xAxis, Qt::AlignBottom);
    chart->addAxis(m_yAxis, Qt::AlignLeft);
    cs::keepLogLabelsReadable(chart, m_yAxis);

    // Schedules and L-BFGS. The rate shares the loss axis: both are log scales, and a second
    // axis left a chart in the 2x2 grid too narrow for either axis's labels.
    m_rateSeries =
        cs::createLineSeries(tr("learning rate"), QColor(110, 110, 110), Qt::SolidLine, 1.2);
    chart->addSeries(m_rateSeries);
    m_rateSeries->attachAxis(m_xAxis);
    m_rateSeries->attachAxis(m_yAxis);
    m_lbfgsLine = cs::createLineSeries(tr("L-BFGS"), QColor(200, 60, 160), Qt::DashLine, 1);
    chart->addSeries(m_lbfgsLine);
    m_lbfgsLine->attachAxis(m_xAxis);
    m_lbfgsLine->attachAxis(m_yAxis);

    struct CurveStyle {
        QString name;
        cs::Role role;
        Qt::PenStyle pen;
    };
    const std::array<CurveStyle, CurveCount> styles{{
        {tr("train loss"), cs::Role::Loss, Qt::SolidLine},
        {tr("train MSE f"), cs::Role::F, Qt::SolidLine},
        {tr("train MSE f′"), cs::Role::Fprime, Qt::SolidLine},
        {tr("val loss"), cs::Role::Loss, Qt::DashLine},
        {tr("val MSE f"), cs::Role::F, Qt::DashLine},
        {tr("val MSE f′"), cs::Role::Fprime, Qt::DashLine},
        {tr("α·MSE f"), cs::Role::WeightedF, Qt::DotLine},
        {tr("β·MSE f′"), cs::Role::WeightedFprime, Qt::DotLine},
    }};
    for (int c = 0; c < CurveCount; ++c) {
        // Dashed and dotted pens one pixel wide: the raster engine dashes those on its fast
        // path, while wider dashed pens go through the stroker and made a live frame 3x slower.
        const qreal width = styles[c].pen != Qt::SolidLine ? 1.0 : c == TrainLoss ? 6.0 : 1.6;
        // The train loss often equals a term to the pixel (β = 0: α·MSE f; MSE f′ dominating):
        // a wide light band, drawn first, shows around the term it equals. Opaque: drawn
        // translucent (45 %), the band took half of the loss chart's drawing time, and looked
        // 70 % opaque wherever its strokes up and down a noisy stretch overlapped.
        QColor colour = cs::color(styles[c].role);
        if (c == TrainLoss)
            colour = cs::overWhite(colour, 0.7);
        auto* series = cs::createLineSeries(styles[c].name, colour, styles[c].pen, width);
        chart->addSeries(series);
        series->attachAxis(m_xAxis);
        series->attachAxis(m_yAxis);
        connect(series, &QLineSeries::hovered, this,
                [this, c](const QPointF& point, bool state) { showReadout(c, point, state); });
        m_series[c] = series;
    }

    // Eight entries don't fit in one row, and Qt 6.4 elides a horizontal legend ("train lo…")
    // rather than wrapping it; a column stays readable down to ~450 px.
    chart->legend()->setAlignment(Qt::AlignRight);
    for (int c = 0; c < CurveCount; ++c) {
        QLegendMarker* marker = chart->legend()->markers(m_series[c]).constFirst();
        connect(marker, &QLegendMarker::clicked, this,
                [this, c] { setCurveVisible(c, !m_series[c]->isVisible()); });
    }
    // Added last, so that the curves do not hide it.
    m_stepLine = cs::createLineSeries(tr("replayed step"), QColor(40, 40, 40), Qt::SolidLine, 1.5);
    chart->addSeries(m_stepLine);
    m_stepText = new QGraphicsSimpleTextItem(chart);
    m_stepText->setBrush(QColor(40, 40, 40));
    m_stepText->setZValue(10);
    m_stepText->hide();
    m_stepLine->attachAxis(m_xAxis);
    m_stepLine->attachAxis(m_yAxis);
    for (QLineSeries* series : {m_rateSeries, m_lbfgsLine, m_stepLine}) {
        series->setVisible(false);
        chart->legend()->markers(series).constFirst()->setVisible(false);
    }
    // Which loss term dominates is a question for later; start with the plain curves.
    setCurveVisible(WeightedF, false);
    setCurveVisible(WeightedFprime, false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    // The labels are placed in pixels: again whenever the plot moves.
    connect(chart, &QChart::plotAreaChanged, this, &TrainingChart::placeChangeMarks);
    connect(chart, &QChart::plotAreaChanged, this, &TrainingChart::placeLegend);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(redrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &TrainingChart::redrawNow);
    updateRanges();
}

TrainingChart::~TrainingChart() = default;

void TrainingChart::setLossWeights(double alpha, double beta) {
    if (alpha == m_alpha && beta == m_beta)
        return;
    m_alpha = alpha;
    m_beta = beta;
    scheduleRedraw();
}

void TrainingChart::setKnobChanges(const TrainConfig& config) {
    for (const ChangeMark& mark : std::as_const(m_changeMarks)) {
        chart()->removeSeries(mark.line);
        delete mark.line;
        delete mark.text;
    }
    m_changeMarks.clear();
    m_weightSteps.clear();
    const double batches = batchesPerEpoch(config);
    for (std::size_t i = 0; i < config.changes.size(); ++i) {
        const KnobChange& change = config.changes[i];
        const QString label = knobChangeText(change.knob, previousValue(config, i), change.value);
        // Changes at one place share a marker: "α 1 → 2, β 1 → 10".
        const double x = change.epoch - 1 + (change.batch - 1) / batches;
        if (change.knob != Knob::LearningRate)
            m_weightSteps.append({x, change.knob == Knob::Alpha, change.value});
        if (!m_changeMarks.isEmpty() && m_changeMarks.constLast().x == x) {
            m_changeMarks.last().label += QStringLiteral(", ") + label;
            m_changeMarks.last().text->setText(m_changeMarks.constLast().label);
            continue;
        }
        auto* line = cs::createLineSeries(label, QColor(230, 120, 0), Qt::SolidLine, 1.5);
        chart()->addSeries(line);
        line->attachAxis(m_xAxis);
        line->attachAxis(m_yAxis);
        chart()->legend()->markers(line).constFirst()->setVisible(false);
        auto* text = new QGraphicsSimpleTextItem(label, chart());
        text->setBrush(QColor(170, 80, 0));
        QFont font = text->font();
        font.setBold(true);
        text->setFont(font);
        text->setZValue(10);
        m_changeMarks.append({x, label, line, text});
    }
    placeChangeMarks();
    scheduleRedraw(); // the weighted curves follow the weights
}

double TrainingChart::weightAt(bool alpha, int epoch) const {
    // The weight of the epoch's last batch: changes placed before the epoch's end count.
    double weight = alpha ? m_alpha : m_beta;
    for (const WeightStep& step : m_weightSteps)
        if (step.alpha == alpha && step.x < epoch)
            weight = step.value;
    return weight;
}

QStringList TrainingChart::changeLabels() const {
    QStringList labels;
    for (const ChangeMark& mark : m_changeMarks)
        labels << mark.label;
    return labels;
}

void TrainingChart::placeChangeMarks() {
    const QRectF plot = chart()->plotArea();
    qreal nextFreeY = plot.top() + 2, lastRight = -1e9;
    for (const ChangeMark& mark : std::as_const(m_changeMarks)) {
        // A change beyond the epochs shown yet (one the config plans) waits for them.
        const bool shown = !m_history.isEmpty() && mark.x <= m_xAxis->max();
        if (mark.line->isVisible() != shown) {
            mark.line->setVisible(shown);
            // Showing a series shows its legend entry again; the label says what it is.
            chart()->legend()->markers(mark.line).constFirst()->setVisible(false);
        }
        mark.text->setVisible(shown);
        if (!shown)
            continue;
        mark.line->replace({QPointF(mark.x, m_yAxis->min()), QPointF(mark.x, m_yAxis->max())});
        const QPointF at = chart()->mapToPosition(QPointF(mark.x, m_yAxis->max()), mark.line);
        const QRectF box = mark.text->boundingRect();
        // Right of its line, or left of it near the right edge; labels that would overlap go
        // one row down.
        qreal left = at.x() + 4;
        if (left + box.width() > plot.right())
            left = at.x() - 4 - box.width();
        left = std::max(left, plot.left() + 2);
        const qreal top = left < lastRight ? nextFreeY : plot.top() + 2;
        mark.text->setPos(left, top);
        lastRight = left + box.width() + 6;
        nextFreeY = top + box.height();
    }
    placeStepMark();
}

void TrainingChart::setStepMark(std::optional<double> position, const QString& label) {
    m_stepPosition = position;
    m_stepText->setText(label);
    placeStepMark();
}

void TrainingChart::placeStepMark() {
    const bool shown = m_stepPosition.has_value();
    if (m_stepLine->isVisible() != shown) {
        m_stepLine->setVisible(shown);
        // Showing a series shows its legend entry again; the fit charts' titles say the step.
        chart()->legend()->markers(m_stepLine).constFirst()->setVisible(false);
    }
    m_stepText->setVisible(shown && !m_stepText->text().isEmpty());
    if (!shown)
        return;
    // The axis starts at epoch 1: the initial network and the first epoch's batches are marked
    // at its left edge.
    const double x = std::clamp(*m_stepPosition, m_xAxis->min(), m_xAxis->max());
    m_stepLine->replace({QPointF(x, m_yAxis->min()), QPointF(x, m_yAxis->max())});
    // The label sits right of the line's foot (left of it near the right edge), below the
    // change marks' labels at the top.
    const QRectF plot = chart()->plotArea();
    const QPointF foot = chart()->mapToPosition(QPointF(x, m_yAxis->min()), m_stepLine);
    const QRectF box = m_stepText->boundingRect();
    qreal left = foot.x() + 4;
    if (left + box.width() > plot.right())
        left = foot.x() - 4 - box.width();
    m_stepText->setPos(std::max(left, plot.left() + 2), plot.bottom() - box.height() - 2);
}

void TrainingChart::appendEpochs(const QList<EpochMetrics>& epochs) {
    if (epochs.isEmpty())
        return;
    const bool first = m_history.isEmpty();
    m_history.append(epochs);
    if (noteValues(epochs) || first)
        showMarkers();
    scheduleRedraw();
}

void TrainingChart::setHistory(const QList<EpochMetrics>& epochs) {
    m_history = epochs;
    m_hasValues.fill(false);
    noteValues(epochs);
    showMarkers();
    scheduleRedraw();
}

void TrainingChart::clear() {
    m_history.clear();
    m_hasValues.fill(false);
    showMarkers();
    scheduleRedraw();
}

bool TrainingChart::noteValues(const QList<EpochMetrics>& epochs) {
    bool changed = false;
    for (int c = 0; c < CurveCount; ++c)
        if (!m_hasValues[c])
            for (const EpochMetrics& m : epochs)
                if (!std::isnan(curveValue(c, m))) {
                    m_hasValues[c] = changed = true;
                    break;
                }
    return changed;
}

void TrainingChart::showMarkers() {
    for (int c = 0; c < CurveCount; ++c)
        showMarker(c);
    // The legend lays out its markers when series come and go, not when a marker is hidden:
    // without this a hidden entry leaves its line blank.
    if (QGraphicsLayout* layout = chart()->legend()->layout())
        layout->invalidate();
    placeLegend();
}

void TrainingChart::redrawNow() {
    m_redrawTimer.stop();
    const qsizetype buckets = std::clamp(qsizetype(chart()->plotArea().width()),
                                         qsizetype(minBuckets), qsizetype(maxBuckets));
    std::array<QList<QPointF>, CurveCount> curves;
    for (int c = 0; c < CurveCount; ++c) {
        // A hidden curve is brought up to date when it is shown: every series costs a
        // geometry pass per frame.
        if (!m_series[c]->isVisible())
            continue;
        // A zero weight makes its term identically zero: drawing it at the log floor would
        // only stretch the axis by many empty decades.
        const bool zeroWeight = m_weightSteps.isEmpty() && ((c == WeightedF && m_alpha == 0) ||
                                                            (c == WeightedFprime && m_beta == 0));
        if (!zeroWeight)
            curves[c] = decimatedCurve(
                m_history, [this, c](const auto& m) { return curveValue(c, m); }, buckets,
                c <= TrainMseFprime ? cs::Decimation::Envelope : cs::Decimation::Trend);
    }
    const QList<QPointF> rate = redrawOptimiserMarks(buckets);
    // The axes move (the x axis with every epoch) before the new curves arrive, with the old
    // ones emptied: Qt Charts rebuilds every series' path and outline when an axis moves, and
    // for the old curves that work would be thrown away at once.
    cs::Extent shown;
    auto empty = [&shown](QLineSeries* series, const QList<QPointF>& points) {
        if (!series->isVisible())
            return;
        shown.include(points);
        if (series->points() != points)
            series->replace(QList<QPointF>());
    };
    for (int c = 0; c < CurveCount; ++c)
        empty(m_series[c], curves[c]);
    empty(m_rateSeries, rate);
    setRanges(shown);
    for (int c = 0; c < CurveCount; ++c)
        if (m_series[c]->isVisible())
            cs::replacePoints(m_series[c], curves[c]);
    cs::replacePoints(m_rateSeries, rate);
    ++m_redrawCount;
}

QList<QPointF> TrainingChart::redrawOptimiserMarks(qsizetype buckets) {
    QChart* chart = this->chart();
    double firstRate = std::nan("");
    bool rateVaries = false;
    m_lbfgsStart = 0;
    for (const EpochMetrics& m : m_history) {
        if (m.phase == Phase::Lbfgs && m_lbfgsStart == 0)
            m_lbfgsStart = m.epoch;
        if (!std::isfinite(m.learningRate))
            continue;
        if (std::isnan(firstRate))
            firstRate = m.learningRate;
        else if (m.learningRate != firstRate)
            rateVaries = true;
    }
    if (rateVaries != m_rateSeries->isVisible()) {
        m_rateSeries->setVisible(rateVaries);
        chart->legend()->markers(m_rateSeries).constFirst()->setVisible(rateVaries);
    }
    const bool lbfgs = m_lbfgsStart > 0;
    if (lbfgs)
        m_lbfgsLine->setName(tr("L-BFGS from epoch %1").arg(m_lbfgsStart));
    if (lbfgs != m_lbfgsLine->isVisible()) {
        m_lbfgsLine->setVisible(lbfgs);
        chart->legend()->markers(m_lbfgsLine).constFirst()->setVisible(lbfgs);
    }
    return rateVaries ? decimatedCurve(
                            m_history, [](const EpochMetrics& m) { return m.learningRate; },
                            buckets, cs::Decimation::Trend)
                      : QList<QPointF>();
}

int TrainingChart::storedEpochs() const {
    return int(m_history.size());
}

bool TrainingChart::learningRateShown() const {
    return m_rateSeries->isVisible();
}

int TrainingChart::lbfgsStartEpoch() const {
    return m_lbfgsStart;
}

int TrainingChart::drawnPointCount() const {
    int busiest = 0;
    for (const QLineSeries* series : m_series)
        busiest = std::max(busiest, int(series->count()));
    return busiest;
}

int TrainingChart::redrawCount() const {
    return m_redrawCount;
}

bool TrainingChart::weightedTermsVisible() const {
    return m_series[WeightedF]->isVisible();
}

QChart* TrainingChart::chart() const {
    return m_view->chart();
}

QSize TrainingChart::sizeHint() const {
    return {640, 400};
}

QSize TrainingChart::minimumSizeHint() const {
    return {360, 240};
}

void TrainingChart::setWeightedTermsVisible(bool visible) {
    setCurveVisible(WeightedF, visible);
    setCurveVisible(WeightedFprime, visible);
}

double TrainingChart::curveValue(int curve, const EpochMetrics& m) const {
    switch (curve) {
    case TrainLoss:
        return m.loss;
    case TrainMseF:
        return m.mseF;
    case TrainMseFprime:
        return m.mseFprime;
    case ValLoss:
        return m.valLoss;
    case ValMseF:
        return m.valMseF;
    case ValMseFprime:
        return m.valMseFprime;
    case WeightedF:
        return weightAt(true, m.epoch) * m.mseF;
    case WeightedFprime:
        return weightAt(false, m.epoch) * m.mseFprime;
    }
    return 0;
}

void TrainingChart::scheduleRedraw() {
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void TrainingChart::setCompactLegend(bool compact) {
    if (compact == m_compactLegend)
        return;
    m_compactLegend = compact;
    QLegend* legend = chart()->legend();
    if (compact) {
        m_legendFont = legend->font();
        QFont smaller = m_legendFont;
        smaller.setPointSizeF(smaller.pointSizeF() * 0.85);
        legend->setFont(smaller);
        legend->detachFromChart();
        // Over the curves: a light box keeps the entries readable.
        legend->setBackgroundVisible(true);
        legend->setBrush(QColor(255, 255, 255, 170));
        legend->setPen(QPen(QColor(0xcc, 0xcc, 0xcc)));
        legend->setZValue(10);
    } else {
        legend->setBackgroundVisible(false);
        legend->attachToChart();
        legend->setFont(m_legendFont);
        legend->setVisible(true);
    }
    for (int c = 0; c < CurveCount; ++c)
        showMarker(c);
    placeLegend();
}

void TrainingChart::showMarker(int curve) {
    QLegendMarker* marker = chart()->legend()->markers(m_series[curve]).constFirst();
    const bool visible = m_series[curve]->isVisible();
    cs::setMarkerShown(marker, visible);
    // A curve the run has no values for (f′ of measured data without f′) is not listed: its
    // entry would promise a line that never comes. A compact legend has no room for the
    // dimmed entries of hidden curves either.
    const bool available = m_history.isEmpty() || m_hasValues[curve];
    marker->setVisible(available && (visible || !m_compactLegend));
}

void TrainingChart::placeLegend() {
    if (!m_compactLegend)
        return;
    // A detached legend fills the box it is given column by column: one column of the shown
    // entries, each a line of text beside its marker.
    QLegend* legend = chart()->legend();
    const QFontMetricsF metrics(legend->font());
    qreal widest = 0;
    int entries = 0;
    for (QLegendMarker* marker : legend->markers())
        if (marker->isVisible()) {
            widest = std::max(widest, metrics.horizontalAdvance(marker->label()));
            ++entries;
        }
    const QSizeF size(widest + 3 * metrics.height() + 2 * legendMargin,
                      entries * (metrics.height() + 12) + 2 * legendMargin);
    const QRectF plot = chart()->plotArea();
    legend->setGeometry(QRectF(QPointF(plot.right() - 4 - size.width(), plot.top() + 4), size));
    legend->setVisible(entries > 0);
    legend->update();
}

void TrainingChart::setCurveVisible(int curve, bool visible) {
    m_series[curve]->setVisible(visible);
    showMarker(curve);
    placeLegend();
    // Only the shown curves decide the y range, and a shown curve needs today's points.
    if (m_history.isEmpty())
        updateRanges();
    else
        redrawNow();
}

void TrainingChart::updateRanges() {
    cs::Extent visible;
    for (const QLineSeries* series : m_series)
        if (series->isVisible())
            visible.include(series->points());
    if (m_rateSeries->isVisible())
        visible.include(m_rateSeries->points());
    setRanges(visible);
}

void TrainingChart::setRanges(const cs::Extent& visible) {
    cs::setLogRange(chart(), m_yAxis, cs::decadeRange(visible, {1e-4, 1}));
    if (m_lbfgsStart > 0) // half an epoch before the first L-BFGS row, across the plot
        m_lbfgsLine->replace({QPointF(m_lbfgsStart - 0.5, m_yAxis->min()),
                              QPointF(m_lbfgsStart - 0.5, m_yAxis->max())});

    const double lastEpoch = m_history.isEmpty() ? 10 : std::max(m_history.constLast().epoch, 2);
    // Whole epochs only: a tick at 2.5 would be labelled "2" or "3".
    cs::setValueRange(m_xAxis, {1, lastEpoch}, 5, 1);
    placeChangeMarks();
}

void TrainingChart::showReadout(int curve, const QPointF& point, bool state) {
    if (!state || m_history.isEmpty()) {
        cs::showHoverText(m_view, false, {});
        return;
    }
    // Report the stored value of the nearest epoch, not the decimated or interpolated one.
    const int epoch = int(std::lround(point.x()));
    auto it = std::lower_bound(m_history.cbegin(), m_history.cend(), epoch,
                               [](const EpochMetrics& m, int e) { return m.epoch < e; });
    if (it == m_history.cend())
        --it;
    QString name = m_series[curve]->name();
    if (curve == WeightedF)
        name += tr(" (α = %1)").arg(weightAt(true, it->epoch));
    else if (curve == WeightedFprime)
        name += tr(" (β = %1)").arg(weightAt(false, it->epoch));
    cs::showHoverText(
        m_view, true,
        {name, tr("epoch %1: %2").arg(it->epoch).arg(curveValue(curve, *it), 0, 'g', 4)});
}

} // namespace sobolev
