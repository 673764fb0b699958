// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/snapshot.h"
#include "runfolder.h"

#include <QObject>
#include <QPointer>

#include <vector>

namespace sobolev {

class FitChart;
class MetricsTable;
class RunTimeline;
class LambdaChart;
class TrainingChart;

// Replays the run in view through the main window's charts as its timeline moves: the fit
// charts draw the network of the step, titled "at epoch 5", the loss chart marks the step,
// and the metrics table shows the step's errors on the run's points, headed the same way.
// The last step is the run as it ended (or paused), shown as without a timeline.
class RunReplay : public QObject {
    Q_OBJECT
  public:
    struct Views {
        std::vector<FitChart*> fitCharts;
        TrainingChart* lossChart = nullptr;
        MetricsTable* metrics = nullptr;
        LambdaChart* lambdaChart = nullptr; // marks the step as the loss chart does
    };
    RunReplay(RunTimeline* timeline, const Views& views, QObject* parent = nullptr);

    // The run in view, with its snapshots (a paused one: those so far). Without snapshots the
    // timeline says why it cannot replay.
    void setRun(const RunRecord& run, bool paused = false);
    // The charts draw a training run live again: the timeline is disabled, saying `reason`;
    // or, without a reason, no run: the timeline is hidden.
    void leave(const QString& reason = {});
    bool hasRun() const { return m_run.has_value(); }

  private:
    void showStep(int step);
    void showEnd();
    void clearStepLabels();

    QPointer<RunTimeline> m_timeline;
    Views m_views;
    std::optional<RunRecord> m_run;
    bool m_paused = false;
};

} // namespace sobolev
