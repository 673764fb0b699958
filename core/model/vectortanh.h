// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Eigen/Core>

namespace sobolev {

// h = tanh(z), d1 = tanh'(z) = 1 - h^2 and d2 = tanh''(z) = -2 h d1, elementwise in double, in
// one pass of SIMD packets. Eigen 3.4 vectorises tanh for float only, so a double network would
// call the C library's scalar tanh once per neuron and sample. This is Cephes' tanh (a rational
// below |z| = 0.625, 1 - 2 / (e^{2|z|} + 1) above, with Cephes' exp folded in): within 2 ulp of
// the correctly rounded value, odd bit for bit, NaN for NaN and +-1 for +-infinity. All four
// arrays have the same shape; h may be z.
void tanhWithDerivatives(Eigen::Ref<const Eigen::ArrayXXd> z, Eigen::Ref<Eigen::ArrayXXd> h,
                         Eigen::Ref<Eigen::ArrayXXd> d1, Eigen::Ref<Eigen::ArrayXXd> d2);

} // namespace sobolev
