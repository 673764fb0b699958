// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for tests that drive a main window.

#include <QPushButton>
#include <QWidget>
#include <QtTest>

namespace sobolev::testutil {

// Closes `window`; when a run is in progress the window asks first, and this answers "Stop it
// and quit", as a user who means to close would. Whether the window closed.
inline bool closeStoppingAnyRun(QWidget& window) {
    if (window.close())
        return true;
    auto* stopAndQuit = window.findChild<QPushButton*>(QStringLiteral("stopAndQuit"));
    if (!stopAndQuit)
        return false;
    stopAndQuit->click();
    return QTest::qWaitFor([&] { return !window.isVisible(); });
}

} // namespace sobolev::testutil
