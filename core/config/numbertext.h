// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace sobolev {

// `value` as core's messages write it: iostream's general format with `digits` significant
// digits ("0.001", "1e+12", "2.5"). The one place core turns a number into text.
std::string numberText(double value, int digits = 6);

} // namespace sobolev
