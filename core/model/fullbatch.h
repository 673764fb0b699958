// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/mlp.h"

#include <vector>

namespace sobolev {

// The loss and its gradient over a whole data set, for full-batch optimisers (L-BFGS).
//
// The set is cut into passes of `passColumns` samples and the passes are shared among up to
// `threads` copies of the network, one per thread. A pass over k of the n samples gives means
// over its k, so the mean over all n is the sum over passes of (k / n) x (the pass's mean);
// the passes are summed in their order whatever thread computed them, so the result is the
// same bit for bit for any number of threads.
template <typename Scalar> class FullBatch {
  public:
    using Vector = typename Mlp<Scalar>::Vector;
    using ConstRowRef = typename Mlp<Scalar>::ConstRowRef;

    // Columns per pass: products large enough to be efficient, small enough to share.
    static constexpr int defaultPassColumns = 1024;

    FullBatch(int width, int depth, Activation activation, int threads,
              int passColumns = defaultPassColumns);

    int threads() const { return int(m_nets.size()); }

    BatchLoss lossAndGradient(const Vector& params, ConstRowRef x, ConstRowRef f,
                              ConstRowRef fprime, Scalar alpha, Scalar beta, Vector& grad);

  private:
    int m_passColumns;
    std::vector<Mlp<Scalar>> m_nets;       // one per thread
    std::vector<Vector> m_passGrads;       // one per pass
    std::vector<BatchLoss> m_passLoss;     // one per pass
    std::vector<PartShares> m_passWeights; // one per pass
};

extern template class FullBatch<float>;
extern template class FullBatch<double>;

} // namespace sobolev
