// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "core/train/balance.h"
#include "core/train/checkpointtimer.h"
#include "core/train/trainer.h"
#include "figures.h"
#include "fileio.h"
#include "runcheckpoint.h"
#include "runfolder.h"
#include "tablewriter.h"
#include "textformat.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace sobolev {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
    g_interrupted.store(true);
}

} // namespace

QString defaultOutDir(const TrainConfig& config, const QString& prefix) {
    const QString stem =
        QStringLiteral("%1-%2-seed%3")
            .arg(prefix, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
            .arg(qulonglong(config.seed));
    QString name = stem;
    for (int i = 2; QFileInfo::exists(name); ++i)
        name = stem + QLatin1Char('-') + QString::number(i);
    return QDir::current().filePath(name);
}

bool prepareOutDir(const QString& dir, QString* error) {
    if (!isFreshFolder(dir, error)) {
        *error = QStringLiteral("--out ") + *error;
        return false;
    }
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("--out %1: cannot create the folder").arg(dir);
        return false;
    }
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open()) {
        *error = QStringLiteral("--out %1: the folder is not writable: %2")
                     .arg(dir, probe.errorString());
        return false;
    }
    return true;
}

namespace {

// A progress line a few times a second: rewritten in place on a terminal, one line per
// report (less often) in a log.
class Progress {
  public:
    Progress(int totalEpochs, bool enabled)
        : m_total(totalEpochs), m_enabled(enabled), m_tty(isatty(STDERR_FILENO)) {}

    void epoch(const EpochMetrics& m) {
        if (!m_enabled)
            return;
        const auto now = std::chrono::steady_clock::now();
        const double interval = m_tty ? 0.25 : 5.0;
        if (m.epoch != m_total && std::chrono::duration<double>(now - m_last).count() < interval)
            return;
        m_last = now;
        const double rate = m.seconds > 0 ? m.epoch / m.seconds : 0;
        const double eta = rate > 0 ? (m_total - m.epoch) / rate : std::nan("");
        std::fprintf(stderr, "%sepoch %d/%d  loss %.3e  val %.3e  %.0f epochs/s  ETA %s%s",
                     m_tty ? "\r" : "", m.epoch, m_total, m.loss, m.valLoss, rate,
                     qPrintable(formatDuration(eta)), m_tty ? "   " : "\n");
        std::fflush(stderr);
        m_printed = true;
    }
    void finish() {
        if (m_enabled && m_tty && m_printed)
            std::fputc('\n', stderr);
    }

  private:
    int m_total;
    bool m_enabled, m_tty, m_printed = false;
    std::chrono::steady_clock::time_point m_last{};
};

} // namespace

QByteArray fprimeNumber(bool hasFprime, double value) {
    return hasFprime ? QByteArray::number(value, 'g', 3) : notAvailableText().toUtf8();
}

namespace {

// Saves the trainer's checkpoint into the run folder when its timer says so, on a thread of
// its own. A failed write is reported once and the run goes on (it only loses its way back).
class Checkpointer {
  public:
    Checkpointer(const QString& dir, const RunOutputs& outputs)
        : m_writer(dir, outputs), m_timer(checkpointInterval()) {}

    void afterRow(const Trainer& trainer, const EpochMetrics& row) {
        if (!m_timer.due(trainer, row))
            return;
        reportError();
        m_writer.save(trainer.checkpoint());
    }
    // Before the final files: no write may follow their removal of the checkpoint.
    void finish() { reportError(); }

  private:
    // Waits for the write in progress.
    void reportError() {
        const QString error = m_writer.finish();
        if (!error.isEmpty() && !m_reported) {
            std::fprintf(stderr, "sobolev-workbench: warning: %s\n", qPrintable(error));
            m_reported = true;
        }
    }
    CheckpointWriter m_writer;
    CheckpointTimer m_timer;
    bool m_reported = false;
};

// Trains `trainer` to its end (or a Ctrl+C), checkpointing into `outDir`, then writes the run
// folder as it is when finished and removes the checkpoint, and the animation `animate` asks
// for.
int trainIntoFolder(const QString& outDir, const TrainConfig& config, const RunOutputs& outputs,
                    bool quiet, Trainer& trainer, const AnimateOptions& animate = {}) {
    Progress progress(plannedRows(config), !quiet);
    Checkpointer checkpointer(outDir, outputs);
    g_interrupted = false;
    auto previousHandler = std::signal(SIGINT, onInterrupt);
    trainer.trainAll(&g_interrupted, [&](const EpochMetrics& m) {
        progress.epoch(m);
        checkpointer.afterRow(trainer, m);
    });
    std::signal(SIGINT, previousHandler);
    progress.finish();
    checkpointer.finish();
    if (!trainer.finished())
        trainer.markStopped();

    QString error;
    RunRecord run{config, trainer.history(), trainer.predictions(), trainer.report(),
                  trainer.snapshots()};
    // The baselines are measured on the network's test grid, against the same truth.
    const std::vector<BaselineResult> baselines =
        fitBaselines(outputs.baselines, baselineData(config), run.predictions);
    // The report before the plots: both write the four figures, and --figure-scale is for the
    // plots.
    if (!writeRunFolder(outDir, run, &error, baselines) ||
        (outputs.report && !writeReportInto(outDir, run, outputs.reportPage, &error, baselines)) ||
        (outputs.plots &&
         !writeRunFiguresInto(outDir, run, &error, outputs.figureScale, baselines)) ||
        (!outputs.plots && !baselines.empty() &&
         !writeFileAtomically(QDir(outDir).filePath(QStringLiteral("metrics.md")),
                              metricsMarkdown(run.report, run.config, baselines), &error)) ||
        !removeCheckpoint(outDir, &error) ||
        (animate.wanted() && !writeAnimation(animate, {run}, {}, quiet, &error))) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return ExitFailure;
    }
    const FitReport& r = run.report;
    if (!quiet)
        std::fprintf(stderr,
                     "%s: MSE f %.3g, MSE f' %s, max |err| f %.3g, max |err| f' %s "
                     "(%s%s; %d epochs, %.2fs)\nrun folder: %s\n",
                     r.stopMessage.c_str(), r.mseF, fprimeNumber(r.hasFprime, r.mseFprime).data(),
                     r.maxErrF, fprimeNumber(r.hasFprime, r.maxErrFprime).data(),
                     r.hasFprime ? "" : "the data have no f'; ", metricsSetName(r.metricsOn).data(),
                     r.epochsRun, r.trainSeconds, qPrintable(QDir::toNativeSeparators(outDir)));
    if (!quiet)
        for (const BaselineResult& b : baselines) {
            const std::string label = baselineLabel(b.spec);
            if (b.fitted) {
                const FitReport& e = b.errors;
                const bool known = e.hasFprime;
                std::fprintf(stderr,
                             "%s: MSE f %.3g, MSE f' %s, H1 %s, max |err| f %.3g at x = %.4g, "
                             "max |err| f' %s at x = %s\n",
                             label.c_str(), e.mseF, fprimeNumber(known, e.mseFprime).data(),
                             fprimeNumber(known, e.h1()).data(), e.maxErrF, e.xMaxErrF,
                             fprimeNumber(known, e.maxErrFprime).data(),
                             known ? QByteArray::number(e.xMaxErrFprime, 'g', 4).data()
                                   : notAvailableText().toUtf8().data());
            } else {
                std::fprintf(stderr, "%s: omitted: %s\n", label.c_str(), b.omitted.c_str());
            }
        }
    if (r.stopReason == StopReason::Diverged) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", r.stopMessage.c_str());
        return ExitDiverged;
    }
    return ExitOk;
}

} // namespace

bool animationRefused(const CommandLine& cl) {
    if (!cl.animate.wanted())
        return false;
    AnimateOptions checked = cl.animate;
    // An animation asked for inside the run folder (--out run --animate run/fit.gif): the run
    // makes that folder, so the file is tried where the folder will be made.
    const QFileInfo file(cl.animate.path);
    if (!cl.outDir.isEmpty() && !file.absoluteDir().exists() &&
        file.absolutePath() == QFileInfo(cl.outDir).absoluteFilePath()) {
        QString above = QFileInfo(cl.outDir).absolutePath();
        while (!QFileInfo::exists(above) && QFileInfo(above).absolutePath() != above)
            above = QFileInfo(above).absolutePath();
        checked.path = QDir(above).filePath(file.fileName());
    }
    QStringList problems = animationProblems(checked);
    if (cl.config.snapshots == 0)
        problems << QStringLiteral("the run records no snapshots (--snapshots 0), and an "
                                   "animation is drawn from them; leave --snapshots out or give "
                                   "it 1 or more");
    for (const QString& problem : problems)
        std::fprintf(stderr, "sobolev-workbench: --animate: %s\n", qPrintable(problem));
    return !problems.isEmpty();
}

int runHeadless(const CommandLine& cl) {
    if (animationRefused(cl))
        return ExitUsage;
    const QString outDir = cl.outDir.isEmpty() ? defaultOutDir(cl.config) : cl.outDir;
    QString error;
    const RunOutputs outputs{cl.plots,      cl.figureScale, cl.report,
                             cl.reportPage, cl.baselines,   QDir::currentPath()};
    if (!prepareOutDir(outDir, &error) || !beginRunFolder(outDir, cl.config, outputs, &error)) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return ExitFailure;
    }
    if (!cl.quiet) {
        for (const std::string& note : configNotes(cl.config))
            std::fprintf(stderr, "sobolev-workbench: note: %s\n", note.c_str());
        if (const std::string note = analyticNote(cl.config); !note.empty())
            std::fprintf(stderr, "sobolev-workbench: note: %s\n", note.c_str());
    }
    Trainer trainer(cl.config);
    return trainIntoFolder(outDir, cl.config, outputs, cl.quiet, trainer, cl.animate);
}

int runResume(const CommandLine& cl) {
    const QString& dir = cl.resumeDir;
    const auto refuse = [](const QString& message, int code) {
        std::fprintf(stderr, "sobolev-workbench: --resume %s\n", qPrintable(message));
        return code;
    };
    switch (runFolderState(dir)) {
    case RunFolderState::NotARun:
        return refuse(QStringLiteral("%1: not an interrupted run folder (it needs config.json "
                                     "and %2, which the headless mode writes while a run trains)")
                          .arg(dir, QLatin1String(checkpointStatusFile)),
                      ExitUsage);
    case RunFolderState::Finished:
        return refuse(QStringLiteral("%1: the run already finished (it has metrics.json); "
                                     "there is nothing to resume")
                          .arg(dir),
                      ExitUsage);
    case RunFolderState::Interrupted:
        break;
    }
    const InterruptedRun run = readInterruptedRun(dir);
    if (!run.errors.isEmpty()) {
        for (const QString& e : run.errors)
            std::fprintf(stderr, "sobolev-workbench: --resume %s\n", qPrintable(e));
        return ExitFailure;
    }
    std::unique_ptr<Trainer> trainer;
    try {
        trainer = std::make_unique<Trainer>(run.config);
        if (run.checkpoint)
            trainer->restore(*run.checkpoint);
    } catch (const std::invalid_argument& e) {
        return refuse(QStringLiteral("%1: %2").arg(dir, QString::fromStdString(e.what())),
                      ExitFailure);
    }
    if (!cl.quiet)
        std::fprintf(stderr, "resuming %s at row %d of %d\n",
                     qPrintable(QDir::toNativeSeparators(dir)), trainer->epochsDone(),
                     trainer->plannedRows());
    return trainIntoFolder(dir, run.config, run.outputs, cl.quiet, *trainer);
}

} // namespace sobolev
