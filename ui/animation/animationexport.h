// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "animationencoder.h"
#include "animationframes.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace sobolev {

// What keeps `settings` from being written to `path`, each naming what is allowed: the length,
// the charts, then the encoder's refusal (an unknown suffix, a size or rate out of range, a
// folder that cannot be written). Empty when an export can start; nothing is left behind.
QStringList animationOutputProblems(const QString& path, const AnimationSettings& settings);

// Writes an animation frame by frame, so that a loop (the headless mode) or a timer (the
// window, which stays responsive) drives it. Destroyed before finish(), it leaves no file.
class AnimationExport {
  public:
    // nullptr with *error set when a run cannot be animated or the encoder does not open.
    static std::unique_ptr<AnimationExport> open(const QString& path,
                                                 const QList<AnimatedRun>& runs,
                                                 const AnimationSettings& settings, QString* error);
    int frameCount() const { return m_frames.frameCount(); }
    int framesWritten() const { return m_written; }
    bool done() const { return m_written == frameCount(); }
    // Renders and encodes the next frame. False with *error set when encoding failed.
    bool writeNext(QString* error);
    // Closes the file and renames it into place, once every frame is written.
    bool finish(QString* error);

  private:
    AnimationExport(const QList<AnimatedRun>& runs, const AnimationSettings& settings,
                    std::unique_ptr<AnimationEncoder> encoder);
    AnimationFrames m_frames;
    std::unique_ptr<AnimationEncoder> m_encoder;
    int m_written = 0;
};

} // namespace sobolev
