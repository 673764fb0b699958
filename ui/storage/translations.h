// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCoreApplication;

namespace sobolev {

// Installs the built-in translations on `app`. The English one supplies the plural forms of
// tr("%n seed(s)", nullptr, n): "1 seed", "2 seeds". The executables that show text call it
// (the application and the tests that read such text).
void installTranslations(QCoreApplication* app);

} // namespace sobolev
