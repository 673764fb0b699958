// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"

#include <QColor>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

class ChartView;

// λ(t): the ratio β/α of the loss weights in force against epoch, on a log axis. It shows how
// a balancing rule, or the changes made during a run, moved the weighting of the two terms.
// The main window draws the run in view, live like the loss chart and on the loss chart's
// epoch axis; the Compare window one curve per run, with a legend.
class LambdaChart : public QWidget {
    Q_OBJECT
  public:
    struct Run {
        QString label;
        QColor color;
        QList<EpochMetrics> history;
    };

    explicit LambdaChart(QWidget* parent = nullptr);
    ~LambdaChart() override;

    // The run in view: one curve and no legend.
    void appendEpochs(const QList<sobolev::EpochMetrics>& epochs);
    void setHistory(const QList<sobolev::EpochMetrics>& epochs);
    void clear();
    // Several runs, each in its colour and named in the legend.
    void setRuns(const QList<Run>& runs);

    // The epoch axis shows what `axis` shows (the loss chart's, as epochs arrive and as the
    // user zooms it) instead of ranging over the history itself; nullptr: its own again.
    // While the two charts are as wide, the plots line up too, an epoch above an epoch.
    void followEpochAxis(QValueAxis* axis);
    // A replayed step, as the loss chart marks it (epochs, Snapshot::position).
    void setStepMark(std::optional<double> position);
    std::optional<double> stepMark() const { return m_stepPosition; }

    // Rebuilds the curves now instead of at the next frame (tests, export).
    void redrawNow();
    QChart* chart() const;
    // The drawn points of each curve (tests): x the epoch, y β/α.
    QList<QList<QPointF>> curves() const;
    QValueAxis* epochAxis() const { return m_xAxis; }
    QLogValueAxis* ratioAxis() const { return m_yAxis; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  private:
    void scheduleRedraw();
    void rebuildSeries();
    void setEpochRange(double lo, double hi);
    void placeStepMark();
    void alignPlotWithFollowed();
    void showReadout(int run, const QPointF& point, bool state);

    ChartView* m_view = nullptr;
    QValueAxis* m_xAxis = nullptr;
    QLogValueAxis* m_yAxis = nullptr;
    QList<Run> m_runs;
    QList<QLineSeries*> m_series; // one per run
    bool m_legend = false;
    QPointer<QValueAxis> m_followed;
    QMargins m_margins; // the chart's own, before any alignment
    QLineSeries* m_stepLine = nullptr;
    std::optional<double> m_stepPosition;
    QTimer m_redrawTimer;
};

} // namespace sobolev
