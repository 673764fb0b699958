// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/problem/random.h"

#include <Eigen/Core>

#include <optional>
#include <string_view>
#include <vector>

namespace sobolev {

// n points in [a, b]:
//  - Uniform: x_i = a + (b - a) u_i, u_i ~ U[0, 1) from `rng` (the reference data stream);
//  - Equispaced: x_i = a + (b - a) i / (n - 1), the midpoint when n = 1;
//  - Chebyshev: the nodes of the first kind, x_i = (a + b)/2 + (b - a)/2 cos((2i + 1) pi / 2n),
//    i = 0..n-1, which cluster at the ends like the zeros of T_n.
// Only Uniform draws from `rng`.
Eigen::RowVectorXf samplePoints(Sampling sampling, int n, double a, double b, Rng& rng);

// A standard normal variate by Box-Muller, z = sqrt(-2 ln u1) cos(2 pi u2), from two uniform
// draws (std::normal_distribution is implementation-defined, so it is written out here).
double standardNormal(Rng& rng);

} // namespace sobolev
