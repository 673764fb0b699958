// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationexport.h"

namespace sobolev {

QStringList animationOutputProblems(const QString& path, const AnimationSettings& settings) {
    QStringList problems = animationSettingsProblems(settings);
    QString error;
    // Opening the encoder checks the rest; dropped unfinished, it removes its file again.
    if (!openAnimationEncoder(path, settings.size, settings.fps, &error))
        problems << error;
    return problems;
}

std::unique_ptr<AnimationExport> AnimationExport::open(const QString& path,
                                                       const QList<AnimatedRun>& runs,
                                                       const AnimationSettings& settings,
                                                       QString* error) {
    if (const QStringList problems = animationSettingsProblems(settings); !problems.isEmpty()) {
        *error = problems.join(QLatin1Char('\n'));
        return nullptr;
    }
    if (runs.isEmpty()) {
        *error = QStringLiteral("%1: no run to animate").arg(path);
        return nullptr;
    }
    for (const AnimatedRun& run : runs)
        if (const QString problem = animationProblem(run); !problem.isEmpty()) {
            *error = run.label.isEmpty() ? problem : run.label + QStringLiteral(": ") + problem;
            return nullptr;
        }
    auto encoder = openAnimationEncoder(path, settings.size, settings.fps, error);
    if (!encoder)
        return nullptr;
    return std::unique_ptr<AnimationExport>(
        new AnimationExport(runs, settings, std::move(encoder)));
}

AnimationExport::AnimationExport(const QList<AnimatedRun>& runs, const AnimationSettings& settings,
                                 std::unique_ptr<AnimationEncoder> encoder)
    : m_frames(runs, settings), m_encoder(std::move(encoder)) {}

bool AnimationExport::writeNext(QString* error) {
    if (done())
        return true;
    if (!m_encoder->addFrame(m_frames.frame(m_written), error))
        return false;
    ++m_written;
    return true;
}

bool AnimationExport::finish(QString* error) {
    while (!done())
        if (!writeNext(error))
            return false;
    return m_encoder->finish(error);
}

} // namespace sobolev
