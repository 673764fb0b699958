// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSize>

// What openAnimationEncoder() accepts, in one place for its checks, its messages and the
// tests.
namespace sobolev::animationlimits {

// From a thumbnail to 4K UHD.
inline constexpr QSize minSize{64, 64};
inline constexpr QSize maxSize{3840, 2160};
// yuv420p halves the colour planes in both directions, so H.264 and VP9 take only even
// widths and heights; an odd size is refused rather than silently changed.
inline constexpr int videoSizeMultiple = 2;
inline constexpr int minFps = 1;
inline constexpr int maxVideoFps = 60;
// GIF delays are in hundredths of a second and browsers slow any delay under 2/100 s down to
// 1/10 s, so a GIF plays at most 50 frames per second.
inline constexpr int maxGifFps = 50;

} // namespace sobolev::animationlimits
