// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/numbertext.h"

#include <sstream>

namespace sobolev {

std::string numberText(double value, int digits) {
    std::ostringstream out;
    out.precision(digits);
    out << value;
    return out.str();
}

} // namespace sobolev
