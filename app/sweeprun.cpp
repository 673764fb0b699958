// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweeprun.h"

#include "figures.h"
#include "fileio.h"
#include "headless.h"
#include "runfolder.h"
#include "sweep.h"
#include "sweepview.h"
#include "tablewriter.h"
#include "textformat.h"

#include <QDir>
#include <QMutex>
#include <QMutexLocker>

#include <csignal>
#include <cstdio>
#include <thread>

namespace sobolev {

namespace {

SweepRunner* g_runner = nullptr;

extern "C" void onSweepInterrupt(int) {
    if (g_runner)
        g_runner->cancel();
}

// "beta=0.1_seed=2": readable, and safe as a folder name (no '/' or spaces).
QString pointFolder(const std::vector<SweepAxis>& axes, const SweepPoint& p) {
    QStringList parts;
    for (std::size_t i = 0; i < axes.size(); ++i)
        parts << toQString(sweepKnobName(axes[i].knob)) + QLatin1Char('=') +
                     toQString(knobValueText(axes[i].knob, p.knobValues[i]));
    parts << QStringLiteral("seed=%1").arg(qulonglong(p.seed));
    return parts.join(QLatin1Char('_'));
}

} // namespace

int runHeadlessSweep(const CommandLine& cl) {
    const std::vector<std::uint64_t> seeds =
        cl.seeds.empty() ? std::vector<std::uint64_t>{cl.config.seed} : cl.seeds;
    const auto problems = validateSweep(cl.config, cl.sweeps, seeds);
    if (!problems.empty()) {
        for (const ConfigProblem& p : problems)
            std::fprintf(stderr, "sobolev-workbench: --%s: %s\n", p.field.c_str(),
                         p.message.c_str());
        return ExitUsage;
    }
    QString error;
    const QString outDir =
        cl.outDir.isEmpty() ? defaultOutDir(cl.config, QStringLiteral("sobolev-sweep")) : cl.outDir;
    if (!prepareOutDir(outDir, &error)) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return ExitFailure;
    }
    if (!cl.quiet)
        for (const std::string& note : configNotes(cl.config))
            std::fprintf(stderr, "sobolev-workbench: note: %s\n", note.c_str());
    const int threads =
        cl.threads > 0 ? cl.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    SweepRunner runner(expandSweep(cl.config, cl.sweeps, seeds), threads);
    const QDir out(outDir);
    std::vector<std::optional<FitReport>> reports(runner.total());
    QMutex mutex;
    QStringList writeErrors;
    bool diverged = false;
    std::size_t ended = 0;

    g_runner = &runner;
    auto previous = std::signal(SIGINT, onSweepInterrupt);
    runner.run([&](std::size_t i, const SweepResult& result) {
        const SweepPoint& p = runner.points()[i];
        const QString folder = pointFolder(cl.sweeps, p);
        QString writeError;
        const bool written = writeRunFolder(
            out.filePath(folder),
            RunRecord{p.config, result.history, result.predictions, result.report}, &writeError,
            fitBaselines(cl.baselines, baselineData(p.config), result.predictions));
        QMutexLocker lock(&mutex);
        reports[i] = result.report;
        ++ended;
        diverged = diverged || result.report.stopReason == StopReason::Diverged;
        if (!written)
            writeErrors << writeError;
        if (!cl.quiet)
            std::fprintf(stderr, "run %zu/%zu ended (%s): %s, MSE f %.3g, MSE f' %.3g\n", ended,
                         runner.total(), qPrintable(folder), result.report.stopMessage.c_str(),
                         result.report.mseF, result.report.mseFprime);
    });
    std::signal(SIGINT, previous);
    g_runner = nullptr;

    // One view of the ended runs serves the summary table and the sweep's figures.
    SweepView view;
    for (const SweepAxis& a : cl.sweeps)
        view.knobs.push_back(a.knob);
    DataTable summary = sweepSummaryTable(view.knobs, QStringLiteral("folder"));
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (!reports[i])
            continue; // skipped by a cancel
        const SweepPoint& p = runner.points()[i];
        const QString folder = pointFolder(cl.sweeps, p);
        appendSweepRow(summary, view.knobs, p.knobValues, p.seed, *reports[i], folder);
        view.runs.append({folder, p.knobValues, p.seed, *reports[i]});
    }
    const QByteArray csv = renderTable(summary, TableFormat::Csv);
    // Figures are drawn by widgets, so on this (the GUI) thread once the runs are written;
    // each run is read back from its folder rather than kept, as a sweep may hold thousands.
    if (cl.plots) {
        QString plotError;
        if (!writeSweepFiguresInto(outDir, view, &plotError))
            writeErrors << plotError;
        for (const SweepRunView& run : view.runs) {
            const QString dir = out.filePath(run.id);
            const RunReadResult r = readRunFolder(dir);
            if (!r.errors.isEmpty())
                writeErrors << r.errors;
            else if (!writeRunFiguresInto(
                         dir, r.run, &plotError, cl.figureScale,
                         fitBaselines(cl.baselines, baselineData(r.run.config), r.run.predictions)))
                writeErrors << plotError;
        }
    }
    if (!writeFileAtomically(out.filePath(QStringLiteral("summary.csv")), csv, &error))
        writeErrors << error;
    for (const QString& e : writeErrors)
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(e));
    if (!cl.quiet)
        std::fprintf(
            stderr, "%zu of %zu runs ended%s; summary: %s\n", runner.finished(), runner.total(),
            runner.cancelled() ? " (cancelled)" : "",
            qPrintable(QDir::toNativeSeparators(out.filePath(QStringLiteral("summary.csv")))));
    if (!writeErrors.isEmpty())
        return ExitFailure;
    return diverged ? ExitDiverged : ExitOk;
}

} // namespace sobolev
