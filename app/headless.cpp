// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "core/train/trainer.h"
#include "figures.h"
#include "fileio.h"
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

int runHeadless(const CommandLine& cl) {
    const QString outDir = cl.outDir.isEmpty() ? defaultOutDir(cl.config) : cl.outDir;
    QString error;
    if (!prepareOutDir(outDir, &error)) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return ExitFailure;
    }

    if (!cl.quiet)
        for (const std::string& note : configNotes(cl.config))
            std::fprintf(stderr, "sobolev-workbench: note: %s\n", note.c_str());
    Trainer trainer(cl.config);
    Progress progress(plannedRows(cl.config), !cl.quiet);
    g_interrupted = false;
    auto previousHandler = std::signal(SIGINT, onInterrupt);
    trainer.trainAll(&g_interrupted, [&](const EpochMetrics& m) { progress.epoch(m); });
    std::signal(SIGINT, previousHandler);
    progress.finish();
    if (!trainer.finished())
        trainer.markStopped();

    RunRecord run{cl.config, trainer.history(), trainer.predictions(), trainer.report()};
    // The baselines are measured on the network's test grid, against the same truth.
    const std::vector<BaselineResult> baselines =
        fitBaselines(cl.baselines, baselineData(cl.config), run.predictions);
    // The report before the plots: both write the four figures, and --figure-scale is for the
    // plots.
    if (!writeRunFolder(outDir, run, &error, baselines) ||
        (cl.report && !writeReportInto(outDir, run, cl.reportPage, &error, baselines)) ||
        (cl.plots && !writeRunFiguresInto(outDir, run, &error, cl.figureScale, baselines)) ||
        (!cl.plots && !baselines.empty() &&
         !writeFileAtomically(QDir(outDir).filePath(QStringLiteral("metrics.md")),
                              metricsMarkdown(run.report, run.config, baselines), &error))) {
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(error));
        return ExitFailure;
    }
    const FitReport& r = run.report;
    if (!cl.quiet)
        std::fprintf(stderr,
                     "%s: MSE f %.3g, MSE f' %s, max |err| f %.3g, max |err| f' %s "
                     "(%s%s; %d epochs, %.2fs)\nrun folder: %s\n",
                     r.stopMessage.c_str(), r.mseF, fprimeNumber(r.hasFprime, r.mseFprime).data(),
                     r.maxErrF, fprimeNumber(r.hasFprime, r.maxErrFprime).data(),
                     r.hasFprime ? "" : "the data have no f'; ", metricsSetName(r.metricsOn).data(),
                     r.epochsRun, r.trainSeconds, qPrintable(QDir::toNativeSeparators(outDir)));
    if (!cl.quiet)
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

} // namespace sobolev
