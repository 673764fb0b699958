// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "comparison.h"

#include <QList>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <array>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAreaSeries;
class QChart;
class QChartView;
class QLineSeries;
class QPointF;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

// The four overlay charts of a comparison: loss curves, fits, derivatives and errors, one
// colour per run. In ensemble mode one colour per seed group instead: the group's median as a
// line and, for two runs or more, its min–max band as a translucent area.
//
// A legend entry's click hides the run (group) in every chart, or shows it again; hovering a
// curve reads out its values.
class ComparisonCharts : public QWidget {
    Q_OBJECT
  public:
    explicit ComparisonCharts(QWidget* parent = nullptr);
    ~ComparisonCharts() override;

    // `labels` name the runs; `groups` (positions in `runs`) and `groupLabels` are the seed
    // groups drawn in ensemble mode. Every run, group and target is shown again.
    void setRuns(const QList<sobolev::ComparedRun>& runs, const QStringList& labels,
                 const QList<QList<int>>& groups, const QStringList& groupLabels,
                 bool ensembleMode);
    void setEnsembleMode(bool on);
    // The runs' networks at a replayed step, in setRuns() order, in place of those they
    // ended with; the runs' own predictions put those back. The truth, the losses, what is
    // hidden and the colours stay. `when` ("at epoch 5") follows the titles of the f, f′ and
    // error charts, so that nobody takes the curves for the runs' ends; empty at the end.
    void setNetworks(const QList<sobolev::Predictions>& predictions, const QString& when = {});
    // Training loss as a dashed line (in ensemble mode with its band) beside the validation loss.
    void setTrainLossVisible(bool visible);
    bool trainLossVisible() const;
    // What the loss chart draws: each run's own loss α·MSE f + β·MSE f′, which runs with
    // different α or β do not share, or the unweighted validation MSE f (solid) and MSE f′
    // (dashed), which every run does.
    enum class LossShown { Weighted, Unweighted };
    void setLossShown(LossShown shown);
    LossShown lossShown() const { return m_lossShown; }

    // Training curves, f, f' and the errors of f (dashed) and f'.
    QList<QChart*> charts() const;
    // The colour of the run (of the group, in ensemble mode) at `index`. Keyed by the value of
    // the one knob the runs (groups) differ in, as the Sweep window's charts colour them, so a
    // β = 1 run has one colour in both windows; by position when they differ in more.
    QColor runColor(int index) const;

  private:
    enum Plot { LossPlot, FunctionPlot, DerivativePlot, ErrorPlot, PlotCount };
    // What a run, or a group's mean, draws; the train loss only on request.
    // ValLossCurve is the validation loss or, unweighted, MSE f; ValFprimeCurve MSE f′.
    enum Curve {
        ValLossCurve,
        TrainLossCurve,
        ValFprimeCurve,
        FCurve,
        FprimeCurve,
        ErrorCurve,
        FErrorCurve,
        CurveCount
    };
    // One run's or one group's series; bands only for groups of two runs or more.
    struct CurveSet {
        std::array<QLineSeries*, CurveCount> lines{};
        std::array<QAreaSeries*, CurveCount> bands{};
    };
    using CurvePoints = std::array<QList<QPointF>, CurveCount>;
    // The lines a hovered point of a run or group (or target, at -1) reads out; none to keep
    // the readout as it is.
    using Readout = QStringList (ComparisonCharts::*)(Plot, int, const QPointF&) const;

    static Plot plotOf(Curve curve);
    // Drawn dashed, explained by the chart's title rather than a legend entry of their own.
    static bool isSecondary(Curve curve);
    bool isDrawn(Curve curve) const;
    static bool isLog(Plot plot);

    QWidget* createGrid();
    // Series anew for the runs or groups, their points and the axes' ranges.
    void redraw();
    void updateTitles();
    void updateColors();
    void createSeries();
    void addLines(CurveSet* set, int index, const QString& label, const QColor& color,
                  Readout readout);
    void addBands(CurveSet* set, const QString& label, const QColor& color);
    QLineSeries* addSeries(Plot plot, const QString& name, const QColor& color, Qt::PenStyle style,
                           qreal width);
    QAreaSeries* addBand(Plot plot, const QString& name, const QColor& color, int alpha);
    void connectReadout(QLineSeries* series, Plot plot, int index, Readout readout);
    void rebuildCurves();
    void rebuildRunCurves();
    void rebuildGroupCurves();
    void setLines(const CurveSet& set, const CurvePoints& points);
    void updateRanges();
    int bucketsFor(Plot plot) const;
    void onPlotAreaChanged(Plot plot);
    bool isShown(int index) const;
    void setShown(int index, bool shown);
    void applyVisibility(int index);
    QStringList runReadout(Plot plot, int run, const QPointF& point) const;
    QStringList groupReadout(Plot plot, int group, const QPointF& point) const;

    std::array<QChartView*, PlotCount> m_views{};

    std::array<QString, PlotCount> m_plotTitles; // as created, without a step
    std::array<QValueAxis*, PlotCount> m_xAxes{};
    std::array<QAbstractAxis*, PlotCount> m_yAxes{};
    std::array<int, PlotCount> m_buckets{};
    QLineSeries* m_trueF = nullptr;
    QLineSeries* m_trueFprime = nullptr;
    // One per run, or in ensemble mode one per group.
    QList<CurveSet> m_curves;
    // Which runs and which groups the user left shown, each kept across a change of mode.
    QList<bool> m_runShown;
    QList<bool> m_groupShown;
    // Whether the user hid the drawn target (f, f′), kept across a change of mode.
    std::array<bool, 2> m_targetShown{true, true};
    QList<ComparedRun> m_runs;
    QStringList m_labels;
    QList<QList<int>> m_groups;
    QStringList m_groupLabels;
    QList<QColor> m_colors; // per run, or in ensemble mode per group
    bool m_trainLossVisible = false;
    LossShown m_lossShown = LossShown::Weighted;
    bool m_ensembleMode = false;
    // Coalesces the re-decimation a resize asks for.
    QTimer m_rebuildTimer;
};

} // namespace sobolev
