// SPDX-License-Identifier: GPL-3.0-or-later
#include "runreplay.h"

#include "fitchart.h"
#include "lambdachart.h"
#include "metricstable.h"
#include "runtimeline.h"
#include "trainingchart.h"

namespace sobolev {

RunReplay::RunReplay(RunTimeline* timeline, const Views& views, QObject* parent)
    : QObject(parent), m_timeline(timeline), m_views(views) {
    connect(timeline, &RunTimeline::stepChanged, this, &RunReplay::showStep);
}

void RunReplay::setRun(const RunRecord& run, bool paused) {
    m_run = run;
    m_paused = paused;
    const SnapshotSeries& snapshots = run.snapshots;
    clearStepLabels();
    m_timeline->show();
    if (snapshots.empty())
        m_timeline->setUnavailable(
            tr("This run has no snapshots to replay: it was recorded with snapshots off, or "
               "before they were recorded"));
    else
        m_timeline->setSteps(timelineSteps(snapshots));
}

void RunReplay::leave(const QString& reason) {
    m_run.reset();
    clearStepLabels();
    m_timeline->setUnavailable(reason.isEmpty() ? tr("No run to replay") : reason);
    // With no run in view there is nothing to say about replaying one.
    m_timeline->setVisible(!reason.isEmpty());
}

void RunReplay::clearStepLabels() {
    for (FitChart* chart : m_views.fitCharts)
        chart->setStepLabel({});
    m_views.lossChart->setStepMark(std::nullopt);
    if (m_views.lambdaChart)
        m_views.lambdaChart->setStepMark(std::nullopt);
}

void RunReplay::showStep(int step) {
    if (!m_run || step < 0 || step >= int(m_run->snapshots.snapshots.size()))
        return;
    if (m_timeline->atLastStep()) {
        showEnd();
        return;
    }
    const SnapshotSeries& snapshots = m_run->snapshots;
    const Snapshot& snapshot = snapshots.snapshots[std::size_t(step)];
    const Predictions p = predictionsAt(snapshots, snapshot, m_run->predictions);
    const QString when = snapshotWhen(snapshot);
    for (FitChart* chart : m_views.fitCharts) {
        chart->setPredictions(p);
        chart->setStepLabel(when);
    }
    m_views.lossChart->setStepMark(snapshot.position, when);
    if (m_views.lambdaChart)
        m_views.lambdaChart->setStepMark(snapshot.position);
    m_views.metrics->setStep(compareOnGrid(p), when);
}

void RunReplay::showEnd() {
    clearStepLabels();
    for (FitChart* chart : m_views.fitCharts) {
        chart->setPredictions(m_run->predictions);
        chart->refitRange(); // the replay's early steps widened it
    }
    const FitReport& report = m_run->report;
    if (m_paused)
        m_views.metrics->setLive(compareOnGrid(m_run->predictions), report.epochsRun,
                                 report.trainSeconds, true);
    else
        m_views.metrics->setReport(report);
}

} // namespace sobolev
