// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// What this binary is: for Help ▸ About and the report's software section.
namespace sobolev {

// "0.1.0"
QString applicationVersion();
// "GCC 12.2.0, native (-march=native: for this machine's CPU only)" or "…, portable".
QString buildDescription();
// "Qt 6.4.2 (built with 6.4.2), Eigen 3.4.0"
QString libraryVersions();

} // namespace sobolev
