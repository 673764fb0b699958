// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparisoncharts.h"

#include "chartstyle.h"
#include "comparisoncurves.h"
#include "core/config/knobregistry.h"
#include "core/eval/ensemble.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sobolev {

namespace cs = chartstyle;
namespace cc = comparisoncurves;

namespace {

// About two points per pixel column of the plot, as in the single-run charts: more only
// makes every repaint slower. The bucket count follows the plot's width.
constexpr int minBuckets = 100, maxBuckets = 1000;
// A resize re-decimates only once the width has changed by more than this fraction.
constexpr double rebuildTolerance = 0.2;
constexpr int rebuildDelayMs = 100;
constexpr double yMargin = 0.05;
// Where a network crosses the target its error dips towards zero; following those dips down
// the log axis would squash the rest of the curves into a few pixels.
constexpr double errorDecadesShown = 6;

constexpr int crowdedLegend = 6;
// A seed band's fill: light enough that two overlapping bands and the lines on them stay
// readable. The training loss's band is lighter still: it sits under the validation band.
constexpr int bandAlpha = 56, trainBandAlpha = 28;
// A band needs fewer points than a line: its edges are drawn from one per this many buckets.
constexpr int bandBucketRatio = 2;

QLegendMarker* legendMarker(QAbstractSeries* series) {
    return series->chart()->legend()->markers(series).constFirst();
}

// The first epoch of `history` at or after `epoch`.
auto epochFrom(const std::vector<EpochMetrics>& history, int epoch) {
    return std::lower_bound(history.cbegin(), history.cend(), epoch,
                            [](const EpochMetrics& m, int e) { return m.epoch < e; });
}

void includeVisible(cs::Extent* extent, const QLineSeries* series) {
    if (series && series->isVisible())
        extent->include(series->points());
}

void includeVisible(cs::Extent* extent, const QAreaSeries* band) {
    if (band && band->isVisible()) {
        extent->include(band->upperSeries()->points());
        extent->include(band->lowerSeries()->points());
    }
}

void setBand(QAreaSeries* area, const cc::BandEdges& edges) {
    if (!area)
        return;
    area->upperSeries()->replace(edges.upper);
    area->lowerSeries()->replace(edges.lower);
}

// Per config, the value of the one knob in which the configs differ (β in a comparison of β
// values); their positions when they differ in more than one, or in what no knob holds.
std::vector<double> colorKeys(const QList<TrainConfig>& configs) {
    std::vector<double> positions(std::size_t(configs.size()));
    std::iota(positions.begin(), positions.end(), 0.0);
    if (configs.size() < 2)
        return positions;
    const TrainConfig& first = configs.constFirst();
    for (Knob knob : sweepableKnobs()) {
        std::vector<double> keys;
        bool onlyThis = true;
        for (TrainConfig c : configs) {
            keys.push_back(knobValue(c, knob));
            setKnob(c, knob, knobValue(first, knob));
            onlyThis = onlyThis && c == first && std::isfinite(keys.back());
        }
        if (onlyThis &&
            std::any_of(keys.cbegin(), keys.cend(), [&](double k) { return k != keys.front(); }))
            return keys;
    }
    return positions;
}

} // namespace

ComparisonCharts::ComparisonCharts(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createGrid());

    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(rebuildDelayMs);
    connect(&m_rebuildTimer, &QTimer::timeout, this, [this] {
        rebuildCurves();
        updateRanges();
    });
}

ComparisonCharts::~ComparisonCharts() = default;

ComparisonCharts::Plot ComparisonCharts::plotOf(Curve curve) {
    switch (curve) {
    case ValLossCurve:
    case TrainLossCurve:
    case ValFprimeCurve:
        return LossPlot;
    case FCurve:
        return FunctionPlot;
    case FprimeCurve:
        return DerivativePlot;
    case ErrorCurve:
    case FErrorCurve:
    case CurveCount:
        break;
    }
    return ErrorPlot;
}

bool ComparisonCharts::isSecondary(Curve curve) {
    return curve == TrainLossCurve || curve == ValFprimeCurve || curve == FErrorCurve;
}

bool ComparisonCharts::isDrawn(Curve curve) const {
    const bool weighted = m_lossShown == LossShown::Weighted;
    if (curve == TrainLossCurve)
        return weighted && m_trainLossVisible;
    if (curve == ValFprimeCurve)
        return !weighted;
    return true;
}

bool ComparisonCharts::isLog(Plot plot) {
    return plot == LossPlot || plot == ErrorPlot;
}

QWidget* ComparisonCharts::createGrid() {
    struct PlotSpec {
        QString title, xTitle, yTitle;
    };
    const std::array<PlotSpec, PlotCount> specs{{
        {tr("Validation loss"), tr("epoch"), tr("loss")},
        {tr("f(x): target and networks"), tr("x"), tr("f(x)")},
        {tr("f′(x) and ∂<sub>x</sub>f<sub>θ</sub>(x)"), tr("x"), tr("f′(x)")},
        {tr("Pointwise errors |f′ − ∂<sub>x</sub>f<sub>θ</sub>| (solid) and |f − f<sub>θ</sub>| "
            "(dashed)"),
         tr("x"), tr("|error|")},
    }};
    for (int p = 0; p < PlotCount; ++p) {
        auto* chart = new QChart;
        chart->setTitle(specs[p].title);
        m_plotTitles[p] = specs[p].title;
        m_views[p] = cs::createChartView(chart, nullptr);
        m_xAxes[p] = cs::createValueAxis(specs[p].xTitle, p == LossPlot ? QStringLiteral("%.0f")
                                                                        : QStringLiteral("%g"));
        chart->addAxis(m_xAxes[p], Qt::AlignBottom);
        if (isLog(Plot(p))) {
            auto* axis = cs::createLogAxis(specs[p].yTitle);
            chart->addAxis(axis, Qt::AlignLeft);
            cs::keepLogLabelsReadable(chart, axis);
            m_yAxes[p] = axis;
        } else {
            auto* axis = cs::createValueAxis(specs[p].yTitle, QStringLiteral("%g"));
            chart->addAxis(axis, Qt::AlignLeft);
            m_yAxes[p] = axis;
        }
        // Run labels can be long ("β=0.1, lr=1e-3, seed 2") and there may be ten of them; a
        // horizontal legend in Qt 6.4 elides its entries rather than wrapping them.
        chart->legend()->setAlignment(Qt::AlignRight);
        const auto plot = Plot(p);
        connect(chart, &QChart::plotAreaChanged, this, [this, plot] { onPlotAreaChanged(plot); });
    }

    // Two rows of two; the rows' column splitters move together so the charts stay aligned.
    auto* top = new QSplitter(Qt::Horizontal);
    auto* bottom = new QSplitter(Qt::Horizontal);
    top->addWidget(m_views[LossPlot]);
    top->addWidget(m_views[FunctionPlot]);
    bottom->addWidget(m_views[DerivativePlot]);
    bottom->addWidget(m_views[ErrorPlot]);
    // Named copies rather than a structured binding: clang before 16 cannot capture a binding
    // in a lambda.
    for (const auto& pair : {std::pair{top, bottom}, std::pair{bottom, top}}) {
        QSplitter* const from = pair.first;
        QSplitter* const to = pair.second;
        from->setChildrenCollapsible(false);
        connect(from, &QSplitter::splitterMoved, to, [from, to] {
            if (to->sizes() != from->sizes())
                to->setSizes(from->sizes());
        });
    }
    auto* grid = new QSplitter(Qt::Vertical);
    grid->setChildrenCollapsible(false);
    grid->addWidget(top);
    grid->addWidget(bottom);
    return grid;
}

void ComparisonCharts::setRuns(const QList<ComparedRun>& runs, const QStringList& labels,
                               const QList<QList<int>>& groups, const QStringList& groupLabels,
                               bool ensembleMode) {
    m_runs = runs;
    m_labels = labels;
    m_groups = groups;
    m_groupLabels = groupLabels;
    m_runShown = QList<bool>(runs.size(), true);
    m_groupShown = QList<bool>(groups.size(), true);
    m_targetShown = {true, true};
    m_ensembleMode = ensembleMode;
    redraw();
}

void ComparisonCharts::setNetworks(const QList<Predictions>& predictions, const QString& when) {
    for (qsizetype r = 0; r < m_runs.size() && r < predictions.size(); ++r)
        m_runs[r].run.predictions = predictions[r];
    for (Plot p : {FunctionPlot, DerivativePlot, ErrorPlot})
        m_views[p]->chart()->setTitle(
            when.isEmpty() ? m_plotTitles[p] : m_plotTitles[p] + QStringLiteral(" — ") + when);
    rebuildCurves();
    updateRanges();
}

void ComparisonCharts::setEnsembleMode(bool on) {
    if (m_ensembleMode == on)
        return;
    m_ensembleMode = on;
    redraw();
}

void ComparisonCharts::setTrainLossVisible(bool visible) {
    if (m_trainLossVisible == visible)
        return;
    m_trainLossVisible = visible;
    updateTitles();
    for (int i = 0; i < m_curves.size(); ++i)
        applyVisibility(i);
    updateRanges();
}

void ComparisonCharts::setLossShown(LossShown shown) {
    if (m_lossShown == shown)
        return;
    m_lossShown = shown;
    updateTitles();
    rebuildCurves();
    for (int i = 0; i < m_curves.size(); ++i)
        applyVisibility(i);
    updateRanges();
}

void ComparisonCharts::redraw() {
    updateTitles();
    createSeries();
    rebuildCurves();
    updateRanges();
}

bool ComparisonCharts::trainLossVisible() const {
    return m_trainLossVisible;
}

QList<QChart*> ComparisonCharts::charts() const {
    QList<QChart*> charts;
    for (QChartView* view : m_views)
        charts << view->chart();
    return charts;
}

QColor ComparisonCharts::runColor(int index) const {
    return index >= 0 && index < m_colors.size() ? m_colors[index] : cs::categoryColor(index);
}

void ComparisonCharts::updateColors() {
    QList<TrainConfig> configs;
    if (m_ensembleMode) {
        // The groups differ in everything but the seed: their first runs stand for them.
        for (const QList<int>& group : std::as_const(m_groups)) {
            configs << m_runs[group.constFirst()].run.config;
            configs.last().seed = m_runs[m_groups.constFirst().constFirst()].run.config.seed;
        }
    } else {
        for (const ComparedRun& r : std::as_const(m_runs))
            configs << r.run.config;
    }
    m_colors = cs::keyedColors(colorKeys(configs));
}

void ComparisonCharts::updateTitles() {
    // Qt drops the legend entries that don't fit the chart's height; a smaller font lets about
    // twelve fit where ten would.
    QFont legendFont = font();
    if ((m_ensembleMode ? m_groups.size() : m_runs.size()) > crowdedLegend)
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    for (QChartView* view : m_views)
        view->chart()->legend()->setFont(legendFont);

    const QString lossTitle = m_lossShown == LossShown::Unweighted
                                  ? tr("Validation MSE f (solid) and MSE f′ (dashed), unweighted")
                              : m_trainLossVisible
                                  ? tr("Validation loss (solid) and training loss (dashed)")
                                  : tr("Validation loss");
    m_views[LossPlot]->chart()->setTitle(
        m_ensembleMode ? tr("%1: median and min–max over seeds").arg(lossTitle) : lossTitle);
    m_yAxes[LossPlot]->setTitleText(m_lossShown == LossShown::Unweighted ? tr("MSE") : tr("loss"));
}

void ComparisonCharts::createSeries() {
    for (QChartView* view : m_views)
        view->chart()->removeAllSeries();
    m_curves = QList<CurveSet>(m_ensembleMode ? m_groups.size() : m_runs.size());
    updateColors();
    m_trueF = m_trueFprime = nullptr;

    // The target is drawn last, on top of the networks (a black dashed line over coloured
    // ones lets both be seen where a network fits well), but named first in the legend: with
    // many runs Qt drops the entries that don't fit, and the last one must not be the target.
    // A series without points stands in for it there.
    const QColor truth = cs::color(cs::Role::Truth);
    const std::array<std::pair<Plot, QString>, 2> targets{
        {{FunctionPlot, tr("true f")}, {DerivativePlot, tr("true f′")}}};
    std::array<QLineSeries*, 2> legendEntries{};
    for (size_t t = 0; t < targets.size(); ++t)
        legendEntries[t] = addSeries(targets[t].first, targets[t].second, truth, Qt::DashLine, 1.0);

    if (m_ensembleMode) {
        // Every band first, so that no band covers another group's line.
        for (int g = 0; g < m_groups.size(); ++g)
            if (m_groups[g].size() >= 2) // a single run is drawn as a plain line
                addBands(&m_curves[g], m_groupLabels[g], runColor(g));
        for (int g = 0; g < m_groups.size(); ++g)
            addLines(&m_curves[g], g, m_groupLabels[g], runColor(g),
                     &ComparisonCharts::groupReadout);
    } else {
        for (int r = 0; r < m_runs.size(); ++r)
            addLines(&m_curves[r], r, m_labels[r], runColor(r), &ComparisonCharts::runReadout);
    }

    for (size_t t = 0; t < targets.size(); ++t) {
        const Plot plot = targets[t].first;
        QLineSeries* series = addSeries(plot, targets[t].second, truth, Qt::DashLine, 1.0);
        (plot == FunctionPlot ? m_trueF : m_trueFprime) = series;
        QLegendMarker* drawn = legendMarker(series);
        connectReadout(series, plot, -1, &ComparisonCharts::runReadout);
        QLegendMarker* entry = legendMarker(legendEntries[t]);
        connect(entry, &QLegendMarker::clicked, this, [this, t, series, drawn, entry] {
            m_targetShown[t] = !series->isVisible();
            series->setVisible(m_targetShown[t]);
            // Showing a series shows its marker too.
            drawn->setVisible(false);
            cs::setMarkerShown(entry, m_targetShown[t]);
            updateRanges();
        });
        series->setVisible(m_targetShown[t]);
        drawn->setVisible(false);
        cs::setMarkerShown(entry, m_targetShown[t]);
    }

    for (int i = 0; i < m_curves.size(); ++i)
        applyVisibility(i);
}

void ComparisonCharts::addLines(CurveSet* set, int index, const QString& label, const QColor& color,
                                Readout readout) {
    for (int c = 0; c < CurveCount; ++c) {
        const Plot plot = plotOf(Curve(c));
        QLineSeries*& line = set->lines[c];
        if (c == TrainLossCurve) {
            // Dashed pens one pixel wide: the raster engine dashes those on its fast path.
            line = addSeries(plot, tr("%1 (training)").arg(label), color, Qt::DashLine, 1.0);
        } else if (c == ValFprimeCurve) {
            line = addSeries(plot, tr("%1 (MSE f′)").arg(label), color, Qt::DashLine, 1.0);
        } else if (c == FErrorCurve) {
            line = addSeries(plot, tr("%1 (|f − f_θ|)").arg(label), color, Qt::DashLine, 1.0);
        } else {
            line = addSeries(plot, label, color, Qt::SolidLine, 1.6);
            connect(legendMarker(line), &QLegendMarker::clicked, this,
                    [this, index] { setShown(index, !isShown(index)); });
        }
        connectReadout(line, plot, index, readout);
    }
}

void ComparisonCharts::addBands(CurveSet* set, const QString& label, const QColor& color) {
    // The training band before the validation band, which is drawn over it.
    for (Curve c : {TrainLossCurve, ValFprimeCurve, ValLossCurve, FCurve, FprimeCurve, FErrorCurve,
                    ErrorCurve}) {
        const bool training = c == TrainLossCurve;
        const QString name = training              ? tr("%1 (training, band)")
                             : c == ValFprimeCurve ? tr("%1 (MSE f′, band)")
                             : c == FErrorCurve    ? tr("%1 (|f − f_θ|, band)")
                                                   : tr("%1 (band)");
        set->bands[c] =
            addBand(plotOf(c), name.arg(label), color, training ? trainBandAlpha : bandAlpha);
    }
}

QLineSeries* ComparisonCharts::addSeries(Plot plot, const QString& name, const QColor& color,
                                         Qt::PenStyle style, qreal width) {
    QLineSeries* series = cs::createLineSeries(name, color, style, width);
    QChart* chart = m_views[plot]->chart();
    chart->addSeries(series);
    series->attachAxis(m_xAxes[plot]);
    series->attachAxis(m_yAxes[plot]);
    return series;
}

QAreaSeries* ComparisonCharts::addBand(Plot plot, const QString& name, const QColor& color,
                                       int alpha) {
    auto* band = new QAreaSeries;
    // The area series doesn't own its edges; as its children they go with it.
    band->setUpperSeries(new QLineSeries(band));
    band->setLowerSeries(new QLineSeries(band));
    band->setName(name);
    QColor fill = color;
    fill.setAlpha(alpha);
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    QChart* chart = m_views[plot]->chart();
    chart->addSeries(band);
    band->attachAxis(m_xAxes[plot]);
    band->attachAxis(m_yAxes[plot]);
    // The group's line names it in the legend; the band has no entry of its own.
    legendMarker(band)->setVisible(false);
    return band;
}

void ComparisonCharts::connectReadout(QLineSeries* series, Plot plot, int index, Readout readout) {
    connect(series, &QLineSeries::hovered, this,
            [this, plot, index, readout](const QPointF& point, bool state) {
                if (!state) {
                    cs::showHoverText(m_views[plot], false, {});
                    return;
                }
                const QStringList lines = (this->*readout)(plot, index, point);
                if (!lines.isEmpty())
                    cs::showHoverText(m_views[plot], true, lines);
            });
}

void ComparisonCharts::rebuildCurves() {
    m_rebuildTimer.stop();
    for (int p = 0; p < PlotCount; ++p)
        m_buckets[p] = bucketsFor(Plot(p));

    if (m_ensembleMode)
        rebuildGroupCurves();
    else
        rebuildRunCurves();

    const Predictions* reference = nullptr;
    for (const ComparedRun& r : m_runs) {
        const Predictions& p = r.run.predictions;
        // The densest grid draws the target best.
        if (!reference || p.x.size() > reference->x.size())
            reference = &p;
    }
    if (m_trueF) {
        const Predictions empty;
        const Predictions& p = reference ? *reference : empty;
        // The target is smooth: its trend is the curve.
        m_trueF->replace(cs::decimated(cs::curve(p.x, p.f), m_buckets[FunctionPlot],
                                       cs::Decimation::Trend, false));
        m_trueFprime->replace(cs::decimated(cs::curve(p.x, p.fprime), m_buckets[DerivativePlot],
                                            cs::Decimation::Trend, false));
    }
}

void ComparisonCharts::rebuildRunCurves() {
    const auto val =
        m_lossShown == LossShown::Weighted ? &EpochMetrics::valLoss : &EpochMetrics::valMseF;
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunRecord& run = m_runs[r].run;
        const Predictions& p = run.predictions;
        setLines(m_curves[r],
                 {cc::historyCurve(run.history, val),
                  cc::historyCurve(run.history, &EpochMetrics::loss),
                  cc::historyCurve(run.history, &EpochMetrics::valMseFprime),
                  cs::networkCurve(p, false), cs::networkCurve(p, true),
                  cs::errorCurve(p.x, p.fprime, p.fprimeHat), cs::errorCurve(p.x, p.f, p.fHat)});
    }
}

void ComparisonCharts::rebuildGroupCurves() {
    for (int g = 0; g < m_groups.size(); ++g) {
        // The runs' curves, index by index; a run that stopped early has a shorter history.
        std::array<std::vector<std::vector<double>>, CurveCount> curves;
        const std::vector<EpochMetrics>* longest = nullptr;
        const Predictions* grid = nullptr;
        for (int r : m_groups[g]) {
            const RunRecord& run = m_runs[r].run;
            const Predictions& p = run.predictions;
            curves[ValLossCurve].push_back(historyColumn(
                run.history, m_lossShown == LossShown::Weighted ? &EpochMetrics::valLoss
                                                                : &EpochMetrics::valMseF));
            curves[TrainLossCurve].push_back(historyColumn(run.history, &EpochMetrics::loss));
            curves[ValFprimeCurve].push_back(
                historyColumn(run.history, &EpochMetrics::valMseFprime));
            curves[FCurve].push_back(p.fHat);
            curves[FprimeCurve].push_back(p.fprimeHat);
            const auto absError = [](const std::vector<double>& a, const std::vector<double>& b) {
                std::vector<double> e(std::min(a.size(), b.size()));
                for (size_t i = 0; i < e.size(); ++i)
                    e[i] = std::abs(a[i] - b[i]);
                return e;
            };
            curves[ErrorCurve].push_back(absError(p.fprime, p.fprimeHat));
            curves[FErrorCurve].push_back(absError(p.f, p.fHat));
            if (!longest || run.history.size() > longest->size())
                longest = &run.history;
            if (!grid || p.x.size() > grid->x.size())
                grid = &p;
        }
        std::vector<double> epochs;
        if (longest)
            for (const EpochMetrics& m : *longest)
                epochs.push_back(double(m.epoch));
        const std::vector<double> noGrid;
        const std::vector<double>& x = grid ? grid->x : noGrid;

        const CurveSet& s = m_curves[g];
        CurvePoints medians;
        for (int c = 0; c < CurveCount; ++c) {
            const Plot plot = plotOf(Curve(c));
            const std::vector<double>& along = plot == LossPlot ? epochs : x;
            const Band band = bandOf(curves[c]);
            medians[c] = cc::drawable(along, band.median, isLog(plot));
            setBand(s.bands[c],
                    cc::bandEdges(along, band, std::max(1, m_buckets[plot] / bandBucketRatio),
                                  isLog(plot)));
        }
        setLines(s, medians);
    }
}

void ComparisonCharts::setLines(const CurveSet& set, const CurvePoints& points) {
    for (int c = 0; c < CurveCount; ++c) {
        const Plot plot = plotOf(Curve(c));
        const auto mode = c == TrainLossCurve ? cs::Decimation::Trend : cs::Decimation::Envelope;
        set.lines[c]->replace(cs::decimated(points[c], m_buckets[plot], mode, isLog(plot)));
    }
}

void ComparisonCharts::updateRanges() {
    std::array<cs::Extent, PlotCount> y;
    cs::Extent x;
    double lastEpoch = 2;
    for (const CurveSet& s : m_curves) {
        for (int c = 0; c < CurveCount; ++c) {
            includeVisible(&y[plotOf(Curve(c))], s.lines[c]);
            includeVisible(&y[plotOf(Curve(c))], s.bands[c]);
        }
    }
    includeVisible(&y[FunctionPlot], m_trueF);
    includeVisible(&y[DerivativePlot], m_trueFprime);
    for (const ComparedRun& r : m_runs) {
        if (!r.run.history.empty())
            lastEpoch = std::max(lastEpoch, double(r.run.history.back().epoch));
        for (double v : r.run.predictions.x)
            x.include(v);
    }

    // Whole epochs only: a tick at 2.5 would be labelled "2" or "3".
    cs::setValueRange(m_xAxes[LossPlot], {1, lastEpoch}, 5, 1);
    const cs::Range xRange = x.isEmpty() || !x.range().isValid() ? cs::Range{-1, 1} : x.range();
    for (Plot p : {FunctionPlot, DerivativePlot, ErrorPlot})
        cs::setValueRange(m_xAxes[p], xRange, 4);

    for (Plot p : {FunctionPlot, DerivativePlot})
        cs::setValueRange(static_cast<QValueAxis*>(m_yAxes[p]),
                          cs::paddedRange(y[p], yMargin, {0, 1}), 5);

    cs::setLogRange(m_views[LossPlot]->chart(), static_cast<QLogValueAxis*>(m_yAxes[LossPlot]),
                    cs::decadeRange(y[LossPlot], {1e-4, 1}));
    cs::Extent error;
    if (!y[ErrorPlot].isEmpty()) {
        const double hi = y[ErrorPlot].range().hi;
        error.include(std::max(y[ErrorPlot].range().lo, hi * std::pow(10.0, -errorDecadesShown)));
        error.include(hi);
    }
    cs::setLogRange(m_views[ErrorPlot]->chart(), static_cast<QLogValueAxis*>(m_yAxes[ErrorPlot]),
                    cs::decadeRange(error, {1e-6, 1}));
}

int ComparisonCharts::bucketsFor(Plot plot) const {
    const double width = m_views[plot]->chart()->plotArea().width();
    // Before the first layout there is no plot area; assume a wide one.
    return width > 0 ? std::clamp(int(width), minBuckets, maxBuckets) : maxBuckets;
}

void ComparisonCharts::onPlotAreaChanged(Plot plot) {
    // Only a real change of width: the ranges set after a rebuild move the plot area a few
    // pixels too, and must not start another rebuild.
    const int wanted = bucketsFor(plot);
    if (std::abs(wanted - m_buckets[plot]) > rebuildTolerance * m_buckets[plot])
        m_rebuildTimer.start();
}

bool ComparisonCharts::isShown(int index) const {
    return (m_ensembleMode ? m_groupShown : m_runShown)[index];
}

void ComparisonCharts::setShown(int index, bool shown) {
    (m_ensembleMode ? m_groupShown : m_runShown)[index] = shown;
    applyVisibility(index);
    updateRanges();
}

void ComparisonCharts::applyVisibility(int index) {
    const CurveSet& s = m_curves[index];
    const bool shown = isShown(index);
    for (int c = 0; c < CurveCount; ++c) {
        QLineSeries* line = s.lines[c];
        const bool visible = shown && isDrawn(Curve(c));
        line->setVisible(visible);
        if (isSecondary(Curve(c))) {
            // One legend entry per run: the dashed line is explained by the chart title.
            legendMarker(line)->setVisible(false);
        } else {
            // A hidden run stays in the legend, dimmed, so it can be clicked back on.
            cs::setMarkerShown(legendMarker(line), shown);
        }
        if (QAreaSeries* band = s.bands[c]) {
            band->setVisible(visible);
            // Showing a series shows its marker too; the band never has one.
            legendMarker(band)->setVisible(false);
        }
    }
}

QStringList ComparisonCharts::runReadout(Plot plot, int run, const QPointF& point) const {
    if (plot == LossPlot && run >= 0) {
        // The stored values of the nearest epoch, not the decimated or interpolated ones.
        const std::vector<EpochMetrics>& history = m_runs[run].run.history;
        if (history.empty())
            return {};
        auto it = epochFrom(history, int(std::lround(point.x())));
        if (it == history.cend())
            --it;
        if (m_lossShown == LossShown::Unweighted)
            return {m_labels[run], tr("epoch %1").arg(it->epoch),
                    tr("validation MSE f %1").arg(it->valMseF, 0, 'g', 4),
                    tr("validation MSE f′ %1").arg(it->valMseFprime, 0, 'g', 4)};
        return {m_labels[run], tr("epoch %1").arg(it->epoch),
                tr("validation loss %1").arg(it->valLoss, 0, 'g', 4),
                tr("training loss %1").arg(it->loss, 0, 'g', 4)};
    }
    const QString name = run >= 0               ? m_labels[run]
                         : plot == FunctionPlot ? tr("true f")
                                                : tr("true f′");
    return {name, tr("x = %1").arg(point.x(), 0, 'g', 3), tr("y = %1").arg(point.y(), 0, 'g', 4)};
}

QStringList ComparisonCharts::groupReadout(Plot plot, int group, const QPointF& point) const {
    const QList<int>& runs = m_groups[group];
    if (plot != LossPlot)
        return {m_groupLabels[group], tr("x = %1").arg(point.x(), 0, 'g', 3),
                tr("median y = %1").arg(point.y(), 0, 'g', 4)};
    // The stored values of the nearest epoch over the group's runs.
    const int epoch = int(std::lround(point.x()));
    std::vector<double> val, train;
    for (int r : runs) {
        const std::vector<EpochMetrics>& history = m_runs[r].run.history;
        auto it = epochFrom(history, epoch);
        if (it != history.cend() && it->epoch == epoch) {
            val.push_back(it->valLoss);
            train.push_back(it->loss);
        }
    }
    if (val.empty())
        return {};
    const Spread v = spreadOf(val), t = spreadOf(train);
    return {m_groupLabels[group],
            tr("epoch %1, %2 of %3 runs").arg(epoch).arg(val.size()).arg(runs.size()),
            tr("validation loss %1 (%2 – %3)")
                .arg(v.median, 0, 'g', 4)
                .arg(v.min, 0, 'g', 3)
                .arg(v.max, 0, 'g', 3),
            tr("training loss %1 (%2 – %3)")
                .arg(t.median, 0, 'g', 4)
                .arg(t.min, 0, 'g', 3)
                .arg(t.max, 0, 'g', 3)};
}

} // namespace sobolev
