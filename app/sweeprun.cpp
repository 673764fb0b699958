// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweeprun.h"

#include "comparison.h"
#include "configjson.h"
#include "core/experiment/shard.h"
#include "core/experiment/sweep.h"
#include "figures.h"
#include "fileio.h"
#include "headless.h"
#include "runcheckpoint.h"
#include "runfolder.h"
#include "sweepfolder.h"
#include "sweepview.h"
#include "tablewriter.h"
#include "textformat.h"

#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>

#include <csignal>
#include <cstdio>
#include <thread>

namespace sobolev {

namespace {

SweepRunner* g_runner = nullptr;

// Ctrl+C, and the SIGTERM with which Slurm ends a job that is cancelled, preempted or out of
// time: the runs in progress are written as stopped (a shard's: saved in their checkpoints,
// from which a re-run of the shard continues them).
extern "C" void onSweepInterrupt(int) {
    if (g_runner)
        g_runner->cancel();
}

// A shard's --out: a new or empty folder, or the sweep folder of the same sweep that other
// shards write into. Shards of one array start together, so a folder that holds only a
// sweep.json being written (its temporary file) counts as empty.
bool prepareShardFolder(const QString& dir, const SweepSpec& spec, QString* error, bool* usage) {
    const QDir d(dir);
    if (QFileInfo::exists(d.filePath(sweepSpecFile))) {
        const SweepSpecReadResult existing = readSweepSpec(dir);
        const QStringList differences =
            existing.errors.isEmpty() ? sweepDifferences(existing.spec, spec) : existing.errors;
        if (!differences.isEmpty()) {
            *usage = true;
            *error = QStringLiteral("--out %1 holds another sweep (%2); give the same sweep, or "
                                    "a new folder")
                         .arg(dir, differences.join(QStringLiteral("; ")));
            return false;
        }
        return true;
    }
    const QFileInfo info(dir);
    if (info.exists()) {
        const QStringList entries =
            QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        for (const QString& e : entries)
            if (!e.startsWith(sweepSpecFile)) {
                *usage = true;
                *error = QStringLiteral("--out %1: not empty and not a sweep folder (no %2); "
                                        "choose a new or empty folder")
                             .arg(dir, sweepSpecFile);
                return false;
            }
    }
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("--out %1: cannot create the folder").arg(dir);
        return false;
    }
    return writeSweepSpec(dir, spec, error);
}

} // namespace

namespace {

// This shard's runs (all of them without --shard), and those of them still to train: a run a
// killed or requeued earlier attempt already finished is read back into `reports`, not
// trained again.
struct ShardPlan {
    std::vector<std::size_t> mine, toTrain;
};

ShardPlan planShard(const CommandLine& cl, const std::vector<SweepPoint>& points, const QDir& out,
                    std::vector<std::optional<FitReport>>& reports) {
    ShardPlan plan;
    plan.mine.resize(points.size());
    for (std::size_t i = 0; i < plan.mine.size(); ++i)
        plan.mine[i] = i;
    if (cl.shard)
        plan.mine = shardRuns(points.size(), *cl.shard);
    for (std::size_t i : plan.mine) {
        reports[i] =
            finishedRunReport(out.filePath(sweepRunFolder(cl.sweeps, points[i])), points[i].config);
        if (!reports[i])
            plan.toTrain.push_back(i);
    }
    if (!cl.quiet && cl.shard)
        std::fprintf(stderr,
                     "shard %d/%d: %zu of the sweep's %zu runs; %zu already finished, %zu to "
                     "train\n",
                     cl.shard->index, cl.shard->count, plan.mine.size(), points.size(),
                     plan.mine.size() - plan.toTrain.size(), plan.toTrain.size());
    return plan;
}

// A shard's run folder while its run trains is a run folder like the headless mode's
// (config.json, checkpoint.json, checkpoint.bin): a shard killed or preempted and started
// again continues its runs from their checkpoints, and Ctrl+C or SIGTERM saves them where
// they stopped.
SweepCheckpoints runCheckpoints(const CommandLine& cl, const std::vector<SweepPoint>& points,
                                const std::vector<std::size_t>& toTrain, const QDir& out) {
    auto folderOf = [&cl, &points, &toTrain, out](std::size_t j) {
        return out.filePath(sweepRunFolder(cl.sweeps, points[toTrain[j]]));
    };
    // The figures and reports are drawn by writeRunExtras once the runs end.
    const RunOutputs outputs{false, 1, false, cl.reportPage, cl.baselines, QDir::currentPath()};
    SweepCheckpoints c;
    c.intervalSeconds = checkpointInterval();
    c.resume = [&cl, &points, &toTrain, folderOf,
                outputs](std::size_t j) -> std::optional<TrainerCheckpoint> {
        const QString dir = folderOf(j);
        const TrainConfig& config = points[toTrain[j]].config;
        if (runFolderState(dir) == RunFolderState::Interrupted) {
            const InterruptedRun run = readInterruptedRun(dir);
            if (run.errors.isEmpty() && run.checkpoint &&
                configToJson(run.config) == configToJson(config)) {
                if (!cl.quiet)
                    std::fprintf(stderr, "run %s resumes at row %zu of %d\n",
                                 qPrintable(QFileInfo(dir).fileName()),
                                 run.checkpoint->history.size(), run.checkpoint->plannedRows);
                return run.checkpoint;
            }
        }
        QString error;
        if (!QDir().mkpath(dir) || !beginRunFolder(dir, config, outputs, &error))
            std::fprintf(stderr, "sobolev-workbench: warning: %s: %s\n", qPrintable(dir),
                         qPrintable(error));
        return std::nullopt;
    };
    c.save = [folderOf, outputs](std::size_t j, const TrainerCheckpoint& checkpoint) {
        QString error;
        if (!writeCheckpoint(folderOf(j), checkpoint, outputs, &error))
            std::fprintf(stderr, "sobolev-workbench: warning: %s\n", qPrintable(error));
    };
    return c;
}

struct TrainedRuns {
    std::size_t finished = 0;
    bool cancelled = false;
};

// Trains the runs `toTrain` on `cl.threads` threads, writing each run's folder from the thread
// that finished it. Ctrl+C and SIGTERM (how Slurm ends a job) cancel.
TrainedRuns trainRuns(const CommandLine& cl, const std::vector<SweepPoint>& points,
                      const std::vector<std::size_t>& toTrain, const QDir& out,
                      std::vector<std::optional<FitReport>>& reports, QStringList& writeErrors) {
    std::vector<SweepPoint> trainPoints;
    for (std::size_t i : toTrain)
        trainPoints.push_back(points[i]);
    const int threads =
        cl.threads > 0 ? cl.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    SweepRunner runner(std::move(trainPoints), threads);
    QMutex mutex;
    std::size_t ended = 0;
    if (cl.shard) // a shard is run again into its folder; a local sweep needs a new one
        runner.setCheckpoints(runCheckpoints(cl, points, toTrain, out));

    g_runner = &runner;
    auto previousInt = std::signal(SIGINT, onSweepInterrupt);
    auto previousTerm = std::signal(SIGTERM, onSweepInterrupt);
    runner.run([&](std::size_t j, const SweepResult& result) {
        const std::size_t i = toTrain[j];
        const SweepPoint& p = points[i];
        const QString folder = sweepRunFolder(cl.sweeps, p);
        QString writeError;
        const bool written = writeRunFolder(out.filePath(folder),
                                            RunRecord{p.config, result.history, result.predictions,
                                                      result.report, result.snapshots},
                                            &writeError,
                                            fitBaselines(cl.baselines, baselineData(p.config),
                                                         result.predictions)) &&
                             removeCheckpoint(out.filePath(folder), &writeError);
        QMutexLocker lock(&mutex);
        reports[i] = result.report;
        ++ended;
        if (!written)
            writeErrors << writeError;
        if (!cl.quiet)
            std::fprintf(stderr, "run %zu/%zu ended (%s): %s, MSE f %.3g, MSE f' %s\n", ended,
                         runner.total(), qPrintable(folder), result.report.stopMessage.c_str(),
                         result.report.mseF,
                         fprimeNumber(result.report.hasFprime, result.report.mseFprime).data());
    });
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    g_runner = nullptr;
    return {runner.finished(), runner.cancelled()};
}

// The figures and reports of the runs this process trained. Figures are drawn by widgets, so
// on this (the GUI) thread once the runs are written; each run is read back from its folder
// rather than kept, as a sweep may hold thousands.
void writeRunExtras(const CommandLine& cl, const std::vector<SweepPoint>& points,
                    const std::vector<std::size_t>& trained, const QDir& out,
                    const std::vector<std::optional<FitReport>>& reports,
                    QStringList& writeErrors) {
    QString plotError;
    for (std::size_t i : trained) {
        if (!reports[i])
            continue;
        const QString dir = out.filePath(sweepRunFolder(cl.sweeps, points[i]));
        const RunReadResult r = readRunFolder(dir);
        if (!r.errors.isEmpty()) {
            writeErrors << r.errors;
            continue;
        }
        const std::vector<BaselineResult> baselines =
            fitBaselines(cl.baselines, baselineData(r.run.config), r.run.predictions);
        if ((cl.report && !writeReportInto(dir, r.run, cl.reportPage, &plotError, baselines)) ||
            (cl.plots && !writeRunFiguresInto(dir, r.run, &plotError, cl.figureScale, baselines)))
            writeErrors << plotError;
    }
}

// --animate: the runs this process trained, read back from their folders with their snapshots,
// in one comparison animation labelled as the Compare window labels them.
void writeSweepAnimation(const CommandLine& cl, const std::vector<SweepPoint>& points,
                         const std::vector<std::size_t>& trained, const QDir& out,
                         const std::vector<std::optional<FitReport>>& reports,
                         QStringList& writeErrors) {
    QList<RunRecord> runs;
    QList<TrainConfig> configs;
    for (std::size_t i : trained) {
        if (!reports[i])
            continue;
        const QString folder = sweepRunFolder(cl.sweeps, points[i]);
        RunReadResult r = readRunFolder(out.filePath(folder));
        if (!r.errors.isEmpty()) {
            writeErrors << r.errors;
            return;
        }
        configs << r.run.config;
        runs << std::move(r.run);
    }
    QString error;
    if (!writeAnimation(cl.animate, runs, differenceLabels(configs), cl.quiet, &error))
        writeErrors << QStringLiteral("--animate: ") + error;
}

} // namespace

int runHeadlessSweep(const CommandLine& cl) {
    if (animationRefused(cl))
        return ExitUsage;
    const std::vector<std::uint64_t> seeds =
        cl.seeds.empty() ? std::vector<std::uint64_t>{cl.config.seed} : cl.seeds;
    const auto problems = validateSweep(cl.config, cl.sweeps, seeds);
    if (!problems.empty()) {
        for (const ConfigProblem& p : problems)
            std::fprintf(stderr, "sobolev-workbench: --%s: %s\n", p.field.c_str(),
                         p.message.c_str());
        return ExitUsage;
    }
    const SweepSpec spec{cl.config, cl.sweeps, seeds};
    QString error;
    const QString outDir =
        cl.outDir.isEmpty() ? defaultOutDir(cl.config, QStringLiteral("sobolev-sweep")) : cl.outDir;
    bool usage = false;
    if (cl.shard ? !prepareShardFolder(outDir, spec, &error, &usage)
                 : !prepareOutDir(outDir, &error) || !writeSweepSpec(outDir, spec, &error)) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return usage ? ExitUsage : ExitFailure;
    }
    if (!cl.quiet)
        for (const std::string& note : configNotes(cl.config))
            std::fprintf(stderr, "sobolev-workbench: note: %s\n", note.c_str());
    const QDir out(outDir);

    const std::vector<SweepPoint> points = spec.points();
    std::vector<std::optional<FitReport>> reports(points.size());
    const ShardPlan plan = planShard(cl, points, out, reports);
    QStringList writeErrors;
    const TrainedRuns trained = trainRuns(cl, points, plan.toTrain, out, reports, writeErrors);

    // One view of the shard's ended runs serves the summary table and the sweep's figures.
    SweepView view;
    for (const SweepAxis& a : cl.sweeps)
        view.knobs.push_back(a.knob);
    DataTable summary = sweepSummaryTable(view.knobs, QStringLiteral("folder"));
    bool diverged = false;
    for (std::size_t i : plan.mine) {
        if (!reports[i])
            continue; // skipped by a cancel
        const SweepPoint& p = points[i];
        const QString folder = sweepRunFolder(cl.sweeps, p);
        const std::optional<LossWeights> finalWeights = finalWeightsInFolder(out.filePath(folder));
        appendSweepRow(summary, view.knobs, p.knobValues, p.seed, *reports[i], folder,
                       finalWeights);
        view.runs.append({folder, p.knobValues, p.seed, *reports[i], finalWeights});
        diverged = diverged || reports[i]->stopReason == StopReason::Diverged;
    }
    // A shard draws its runs' figures; the sweep's own are drawn by --merge, which sees them all.
    QString plotError;
    if (cl.plots && !cl.shard && !writeSweepFiguresInto(outDir, view, &plotError))
        writeErrors << plotError;
    if (cl.plots || cl.report)
        writeRunExtras(cl, points, plan.toTrain, out, reports, writeErrors);
    if (cl.animate.wanted() && !trained.cancelled)
        writeSweepAnimation(cl, points, plan.toTrain, out, reports, writeErrors);
    const QString summaryFile =
        cl.shard
            ? QStringLiteral("summary-shard-%1-of-%2.csv").arg(cl.shard->index).arg(cl.shard->count)
            : QStringLiteral("summary.csv");
    if (!writeFileAtomically(out.filePath(summaryFile), renderTable(summary, TableFormat::Csv),
                             &error))
        writeErrors << error;
    for (const QString& e : writeErrors)
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(e));
    if (!cl.quiet)
        std::fprintf(stderr, "%zu of %zu runs ended%s; summary: %s\n",
                     trained.finished + (plan.mine.size() - plan.toTrain.size()), plan.mine.size(),
                     trained.cancelled ? " (cancelled)" : "",
                     qPrintable(QDir::toNativeSeparators(out.filePath(summaryFile))));
    if (!writeErrors.isEmpty())
        return ExitFailure;
    return diverged ? ExitDiverged : ExitOk;
}

} // namespace sobolev
