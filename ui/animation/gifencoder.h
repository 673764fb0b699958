// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "animationencoder.h"

namespace sobolev {

// A looping GIF through giflib, in GifPalette's fixed colours. Each frame after the first
// stores only the rectangle that changed, with the pixels inside it that did not change left
// transparent ("do not dispose" keeps the previous frame below), so a chart whose curves
// move a little costs little more than its moving pixels.
// Delays are in hundredths of a second: frame k lasts round(100 (k+1) / fps) - round(100 k /
// fps), so 15 fps plays 7, 6, 7, 7, 6, 7, ... and 150 frames last exactly 10 s.
// Expects a size and rate openAnimationEncoder() has checked.
std::unique_ptr<AnimationEncoder> openGifEncoder(const QString& path, QSize size, int fps,
                                                 QString* error);

} // namespace sobolev
