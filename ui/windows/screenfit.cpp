// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenfit.h"

#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace sobolev {

QRect fittedToScreen(const QRect& frame, const QRect& available) {
    if (available.isEmpty())
        return frame;
    QRect fitted(frame.topLeft(), frame.size().boundedTo(available.size()));
    // Moved in from the right and the bottom first, then from the left and the top, so that
    // the title bar is on the screen whatever happens.
    fitted.moveRight(std::min(fitted.right(), available.right()));
    fitted.moveBottom(std::min(fitted.bottom(), available.bottom()));
    fitted.moveLeft(std::max(fitted.left(), available.left()));
    fitted.moveTop(std::max(fitted.top(), available.top()));
    return fitted;
}

void fitFirstWindowToScreen(QWidget* window) {
    const QScreen* screen = window->screen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1600, 1000);
    const QSize roomy(1600, 1000);
    if (available.width() < roomy.width() + 100 || available.height() < roomy.height() + 60) {
        window->setGeometry(available);
        window->setWindowState(window->windowState() | Qt::WindowMaximized);
        return;
    }
    QRect frame(QPoint(), roomy);
    frame.moveCenter(available.center());
    window->setGeometry(frame);
}

bool moveOntoScreen(QWidget* window) {
    const QScreen* screen = window->screen();
    if (!screen)
        return true;
    const QRect available = screen->availableGeometry();
    // Of a maximised window, the normal geometry: what it had on the screen it was saved on.
    const QRect frame = window->frameGeometry();
    if (frame.width() > available.width() || frame.height() > available.height())
        return false;
    if (!window->isMaximized() && !window->isFullScreen())
        window->move(fittedToScreen(frame, available).topLeft());
    return true;
}

} // namespace sobolev
