// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The Sobolev loss, defined once for the network's batches, the full-batch passes and the
// trainer's validation:
//   L = alpha MSE_f + beta MSE_f'
//   MSE_f  = 1/n sum_i (y_i - f_i)^2                over all n rows
//   MSE_f' = 1/m sum_{i: f'_i known} (y'_i - f'_i)^2  over the m rows with an f' target
// A NaN f' target marks a row without f' (measured data); MSE_f' is 0 when no row has f'.
// Without NaN, m = n and MSE_f' is the plain mean.

#include <Eigen/Core>

#include <cmath>

namespace sobolev {

// Loss terms of one batch or set: loss = alpha * mseF + beta * mseFprime.
struct BatchLoss {
    double loss = 0, mseF = 0, mseFprime = 0;
};

// The rows with an f' target (not NaN).
template <typename Row> int countKnownFprime(const Row& fprime) {
    int m = 0;
    for (Eigen::Index i = 0; i < fprime.size(); ++i)
        m += std::isnan(fprime[i]) ? 0 : 1;
    return m;
}

// MSE_f = 1/n sum (y_i - f_i)^2, summed in the rows' precision.
template <typename Y, typename F> double mseF(const Y& y, const F& f) {
    return double((y - f).squaredNorm()) / double(f.size());
}

// MSE_f' = 1/m sum over the m rows with f' of (y'_i - f'_i)^2. Without NaN it is summed in
// the rows' precision like mseF; with NaN row by row in double.
template <typename Y, typename F> double mseFprime(const Y& dy, const F& fprime) {
    if (!fprime.hasNaN())
        return double((dy - fprime).squaredNorm()) / double(fprime.size());
    double sum = 0;
    int m = 0;
    for (Eigen::Index i = 0; i < fprime.size(); ++i)
        if (!std::isnan(fprime[i])) {
            const double e = double(dy[i] - fprime[i]);
            sum += e * e;
            ++m;
        }
    return m > 0 ? sum / m : 0.0;
}

// L = alpha MSE_f + beta MSE_f'
inline BatchLoss sobolevLoss(double alpha, double beta, double mseF, double mseFprime) {
    return {alpha * mseF + beta * mseFprime, mseF, mseFprime};
}

// dL/dy_i = 2 alpha (y_i - f_i) / n, written over y.
template <typename Y, typename F, typename Scalar> void fSeed(Y&& y, const F& f, Scalar alpha) {
    y = (y - f) * (Scalar(2) * alpha / Scalar(f.size()));
}

// dL/dy'_i = 2 beta (y'_i - f'_i) / m on the m rows with f', 0 on the others: the exact
// gradient of mseFprime(), written over y'.
template <typename Y, typename F, typename Scalar>
void fprimeSeed(Y&& dy, const F& fprime, Scalar beta) {
    const Eigen::Index n = fprime.size();
    if (!fprime.hasNaN()) {
        dy = (dy - fprime) * (Scalar(2) * beta / Scalar(n));
        return;
    }
    const int m = countKnownFprime(fprime);
    const Scalar scale = m > 0 ? Scalar(2) * beta / Scalar(m) : Scalar(0);
    for (Eigen::Index i = 0; i < n; ++i)
        dy[i] = std::isnan(fprime[i]) ? Scalar(0) : (dy[i] - fprime[i]) * scale;
}

// How much one part of a set (a full-batch pass) weighs in the set's means: its k of the n
// rows give its f mean the share k / n, its m_part of the m rows with f' give its f' mean
// m_part / m. The set's MSE is the sum over parts of share x the part's MSE.
struct PartShares {
    double f, fprime;
};
template <typename F>
PartShares partShares(const F& fprimeOfPart, Eigen::Index n, Eigen::Index knownInSet) {
    const Eigen::Index k = fprimeOfPart.size();
    const Eigen::Index known = knownInSet == n ? k : countKnownFprime(fprimeOfPart);
    return {double(k) / double(n), knownInSet > 0 ? double(known) / double(knownInSet) : 0.0};
}

} // namespace sobolev
