// SPDX-License-Identifier: GPL-3.0-or-later
#include "figures.h"

#include "animationexport.h"
#include "chartexport.h"
#include "reportpdf.h"
#include "runbundle.h"

#include <QDir>

#include <cstdio>
#include <unistd.h>

namespace sobolev {

namespace {

// The settings `options` ask for; *problems names each one that is not understood.
AnimationSettings animationSettings(const AnimateOptions& options, QStringList* problems) {
    AnimationSettings settings;
    if (const auto size = parseAnimationSize(options.size))
        settings.size = *size;
    else
        *problems << QStringLiteral("--animate-size: must be WIDTHxHEIGHT in pixels, e.g. "
                                    "800x450; got \"%1\"")
                         .arg(options.size);
    QString error;
    if (const auto charts = parseAnimationCharts(options.charts, &error))
        settings.charts = *charts;
    else
        *problems << QStringLiteral("--animate-charts: ") + error;
    settings.fps = options.fps;
    settings.seconds = options.seconds;
    return settings;
}

} // namespace

QStringList animationProblems(const AnimateOptions& options) {
    QStringList problems;
    const AnimationSettings settings = animationSettings(options, &problems);
    if (problems.isEmpty())
        problems << animationOutputProblems(options.path, settings);
    return problems;
}

bool writeAnimation(const AnimateOptions& options, const QList<RunRecord>& runs,
                    const QStringList& labels, bool quiet, QString* error) {
    QStringList problems;
    const AnimationSettings settings = animationSettings(options, &problems);
    QList<AnimatedRun> animated;
    for (int i = 0; i < runs.size(); ++i)
        animated << AnimatedRun{runs[i], labels.value(i)};
    const auto animation = problems.isEmpty()
                               ? AnimationExport::open(options.path, animated, settings, error)
                               : nullptr;
    if (!animation) {
        if (!problems.isEmpty())
            *error = problems.join(QStringLiteral("; "));
        return false;
    }
    const bool tty = isatty(STDERR_FILENO);
    const int total = animation->frameCount();
    while (!animation->done()) {
        if (!animation->writeNext(error))
            return false;
        const int k = animation->framesWritten();
        // On a terminal every frame in place; in a log every 30th and the last.
        if (!quiet && (tty || k % 30 == 0 || k == total))
            std::fprintf(stderr, "%sanimation: frame %d/%d%s", tty ? "\r" : "", k, total,
                         tty && k < total ? "" : "\n");
    }
    return animation->finish(error);
}

bool figuresAvailable() {
    return true;
}

bool writeRunFiguresInto(const QString& dir, const RunRecord& run, QString* error,
                         double figureScale, const std::vector<BaselineResult>& baselines) {
    return writeRunReport(dir, run, error, figureScale, baselines);
}

bool writeReportInto(const QString& dir, const RunRecord& run, ReportPage page, QString* error,
                     const std::vector<BaselineResult>& baselines) {
    return writeReport({QDir(dir).filePath(QStringLiteral("report.pdf")), page, true, {}}, run,
                       error, baselines);
}

bool writeSweepFiguresInto(const QString& dir, const SweepView& view, QString* error) {
    return writeSweepFigures(dir, view, error);
}

} // namespace sobolev
