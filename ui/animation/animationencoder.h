// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <memory>

namespace sobolev {

// Writes frames of one size into an animation file: GIF through giflib, MP4 (H.264) and WebM
// (VP9) through FFmpeg's libraries. The file is written to a temporary name beside the target
// and renamed by finish(), so a failed or cancelled export leaves no partial file behind.
class AnimationEncoder {
  public:
    virtual ~AnimationEncoder() = default; // without finish(): the partial file is removed
    // Appends one frame (converted to the encoder's format; scaled if its size differs).
    // False with *error set when writing failed; the encoder is then unusable.
    virtual bool addFrame(const QImage& frame, QString* error) = 0;
    // Flushes, closes and renames the file into place. False with *error set on failure.
    virtual bool finish(QString* error) = 0;
};

// The container the file name's suffix asks for: "gif", "mp4" or "webm" (case-insensitive);
// empty for any other suffix.
QString animationFormat(const QString& path);

// Opens `path` for `size` frames at `fps` frames per second. Returns nullptr with *error naming
// what is wrong and what is allowed: an unknown suffix, a size or a rate out of range (limits in
// animationencoder.cpp), a file that cannot be written.
std::unique_ptr<AnimationEncoder> openAnimationEncoder(const QString& path, QSize size, int fps,
                                                       QString* error);

} // namespace sobolev
