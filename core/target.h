// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sobolev {

// The Runge function f(x) = 1 / (1 + 25 x^2) and its derivative.
inline double runge(double x) {
    return 1.0 / (1.0 + 25.0 * x * x);
}
inline double rungePrime(double x) {
    const double d = 1.0 + 25.0 * x * x;
    return -50.0 * x / (d * d);
}

} // namespace sobolev
