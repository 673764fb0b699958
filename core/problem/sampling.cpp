// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/sampling.h"

#include <cmath>
#include <numbers>

namespace sobolev {

Eigen::RowVectorXf samplePoints(Sampling sampling, int n, double a, double b, Rng& rng) {
    Eigen::RowVectorXf x(n);
    switch (sampling) {
    case Sampling::Uniform:
        for (int i = 0; i < n; ++i)
            x[i] = float(rng.uniform(a, b));
        break;
    case Sampling::Equispaced:
        for (int i = 0; i < n; ++i)
            x[i] = float(n == 1 ? 0.5 * (a + b) : a + (b - a) * double(i) / double(n - 1));
        break;
    case Sampling::Chebyshev:
        // x_i = (a+b)/2 + (b-a)/2 cos((2i+1) pi / (2n)): the zeros of T_n mapped to [a, b].
        for (int i = 0; i < n; ++i)
            x[i] = float(0.5 * (a + b) +
                         0.5 * (b - a) * std::cos((2.0 * i + 1.0) * std::numbers::pi / (2.0 * n)));
        break;
    }
    return x;
}

double standardNormal(Rng& rng) {
    const double u1 = 1.0 - rng.uniform01(); // (0, 1]: the logarithm stays finite
    const double u2 = rng.uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

} // namespace sobolev
