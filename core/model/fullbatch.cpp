// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/fullbatch.h"

#include <algorithm>
#include <thread>

namespace sobolev {

template <typename Scalar>
FullBatch<Scalar>::FullBatch(int width, int depth, Activation activation, int threads,
                             int passColumns)
    : m_passColumns(std::max(1, passColumns)) {
    m_nets.reserve(std::size_t(std::max(1, threads)));
    for (int t = 0; t < std::max(1, threads); ++t) {
        m_nets.emplace_back(width, depth, activation);
        m_nets.back().reserve(m_passColumns);
    }
}

template <typename Scalar>
BatchLoss FullBatch<Scalar>::lossAndGradient(const Vector& params, ConstRowRef x, ConstRowRef f,
                                             ConstRowRef fprime, Scalar alpha, Scalar beta,
                                             Vector& grad) {
    const Eigen::Index n = x.size();
    const int passes = int((n + m_passColumns - 1) / m_passColumns);
    const auto passSize = [&](int p) {
        return std::min<Eigen::Index>(m_passColumns, n - Eigen::Index(p) * m_passColumns);
    };
    // Measured data may lack f' on some rows (NaN): a pass then weighs its f' term by its share
    // of the rows with f' (core/model/sobolevloss.h) and its f term by its share of the rows.
    // Such a pass is run with alpha x its f share and beta x its f' share, and the passes'
    // gradients add up as they are. Without NaN both shares are k / n: every pass is run with
    // alpha and beta and weighed k / n.
    const bool masked = fprime.hasNaN();
    const Eigen::Index m = masked ? countKnownFprime(fprime) : n;
    m_passWeights.resize(std::size_t(passes));
    for (int p = 0; p < passes; ++p)
        m_passWeights[std::size_t(p)] =
            partShares(fprime.segment(Eigen::Index(p) * m_passColumns, passSize(p)), n, m);
    m_passGrads.resize(std::size_t(passes));
    m_passLoss.resize(std::size_t(passes));

    // Worker t computes passes t, t + T, t + 2T, ...
    auto work = [&](int t, int stride) {
        Mlp<Scalar>& net = m_nets[std::size_t(t)];
        net.parameters() = params;
        for (int p = t; p < passes; p += stride) {
            const Eigen::Index start = Eigen::Index(p) * m_passColumns, k = passSize(p);
            const auto [fShare, fprimeShare] = m_passWeights[std::size_t(p)];
            m_passLoss[std::size_t(p)] = net.lossAndGradient(
                x.segment(start, k), f.segment(start, k), fprime.segment(start, k),
                masked ? Scalar(double(alpha) * fShare) : alpha,
                masked ? Scalar(double(beta) * fprimeShare) : beta, m_passGrads[std::size_t(p)]);
        }
    };
    const int used = std::min(threads(), passes);
    std::vector<std::thread> helpers;
    helpers.reserve(std::size_t(std::max(0, used - 1)));
    for (int t = 1; t < used; ++t)
        helpers.emplace_back(work, t, used);
    work(0, std::max(1, used));
    for (std::thread& h : helpers)
        h.join();

    grad.setZero(params.size());
    BatchLoss total;
    for (int p = 0; p < passes; ++p) {
        const auto [fShare, fprimeShare] = m_passWeights[std::size_t(p)];
        // The set's mean is the sum of share x the pass's mean.
        const BatchLoss& pass = m_passLoss[std::size_t(p)];
        if (masked) {
            grad += m_passGrads[std::size_t(p)];
            total.mseF += fShare * pass.mseF;
            total.mseFprime += fprimeShare * pass.mseFprime;
        } else {
            grad += Scalar(fShare) * m_passGrads[std::size_t(p)];
            total.loss += fShare * pass.loss;
            total.mseF += fShare * pass.mseF;
            total.mseFprime += fprimeShare * pass.mseFprime; // fprimeShare = fShare here
        }
    }
    if (masked)
        total = sobolevLoss(double(alpha), double(beta), total.mseF, total.mseFprime);
    return total;
}

template class FullBatch<float>;
template class FullBatch<double>;

} // namespace sobolev
