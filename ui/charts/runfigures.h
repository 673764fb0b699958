// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"
#include "runfolder.h"

#include <QList>
#include <QSize>
#include <QString>

#include <memory>
#include <utility>

QT_BEGIN_NAMESPACE
class QChart;
class QWidget;
QT_END_NAMESPACE

namespace sobolev {

class FitChart;
class TrainingChart;

// Shows `widgets` at `size` without putting them on any screen, so their charts can be drawn.
void showOffscreen(const QList<QWidget*>& widgets, QSize size);
// The charts must be laid out at the export size before drawing; only their own posted
// layout requests are delivered (the rest of the application's events wait).
void layOutCharts(const QList<QChart*>& charts);

// A run on measured data predicts at the data's rows: its points, set on the f or f′ `chart`
// before it is laid out (so that the legend makes room for them), replace the true curve.
// Nothing for a run on a target, or for an error chart.
void showMeasuredData(const RunRecord& run, FitChart* chart);

// A run's four figures, drawn by the window's own chart classes offscreen at `size`, with
// every text at documentMinPointSize or more: for the run bundle, --plots and the report.
// Needs a QApplication.
class RunFigures {
  public:
    // `baselines` are drawn over the network in the f, f' and error figures.
    RunFigures(const RunRecord& run, QSize size, const std::vector<BaselineResult>& baselines = {});
    ~RunFigures();
    RunFigures(const RunFigures&) = delete;
    RunFigures& operator=(const RunFigures&) = delete;

    // ("training", loss chart), ("f", …), ("fprime", …), ("error", …): the names are the
    // figures' file stems.
    QList<std::pair<QString, QChart*>> figures() const;
    QChart* chart(const QString& name) const; // nullptr for an unknown name

  private:
    std::unique_ptr<TrainingChart> m_training;
    std::unique_ptr<FitChart> m_f, m_fprime, m_error;
};

} // namespace sobolev
