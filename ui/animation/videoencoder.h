// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "animationencoder.h"

namespace sobolev {

// MP4 holds H.264 (libx264), WebM holds VP9 (libvpx-vp9); both in yuv420p, the format every
// browser and player decodes.
enum class VideoCodec { H264, Vp9 };

// A video through FFmpeg's libavformat and libavcodec: frame k at time k / fps, every frame
// given one out (the encoder's delayed frames are drained by finish()). FFmpeg's own log is
// silenced; its errors come back through *error. Expects a size and rate
// openAnimationEncoder() has checked (an even width and height).
std::unique_ptr<AnimationEncoder> openVideoEncoder(const QString& path, VideoCodec codec,
                                                   QSize size, int fps, QString* error);

} // namespace sobolev
