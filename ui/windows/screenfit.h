// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRect>

class QWidget;

namespace sobolev {

// `frame` moved, and shrunk where it is larger, to lie within `available` (a screen's available
// geometry); a frame that already lies within it is returned as it is.
QRect fittedToScreen(const QRect& frame, const QRect& available);

// First start: a large window on a large screen, the whole screen on a small one (a laptop,
// a 1280×720 projector), where a window any smaller would squeeze the charts.
void fitFirstWindowToScreen(QWidget* window);

// After restoreGeometry(): moves the window onto the screen it is on when it is partly off it
// (saved with another screen to the left, say). False, leaving it as it is, when it is larger
// than the screen: saved on a larger one.
bool moveOntoScreen(QWidget* window);

} // namespace sobolev
