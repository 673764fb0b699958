// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for tests that edit the parameter panel (the panels' and the windows' tests).

#include "parameterpanel.h"

#include <QtTest>

namespace sobolev::testutil {

// A typed target is checked on another thread (TargetChecker): after editing it, a test waits
// for the verdict as a user waits for f′ to show under the field. The bound only keeps a
// broken checker from hanging the suite.
inline bool waitForTargetCheck(const ParameterPanel& panel) {
    return QTest::qWaitFor([&] { return panel.verdict() != ParameterPanel::Verdict::Checking; },
                           60'000);
}

} // namespace sobolev::testutil
