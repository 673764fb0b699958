// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>

namespace sobolev {

// `frame` as the encoders read it: `size` (scaled smoothly when it differs), opaque (drawn
// over white where it is transparent, as a chart's background is) and Format_RGB32. Null
// when `frame` is.
QImage opaqueFrame(const QImage& frame, QSize size);

} // namespace sobolev
