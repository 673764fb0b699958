// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/optim/lbfgs.h"
#include "core/optim/optimiser.h"

#include <memory>

namespace sobolev {

struct TrainConfig;

// The L-BFGS phase's knobs, from TrainConfig's lbfgs_*. LBFGSpp's own defaults that the
// phase changes: no relative gradient test, the strong-Wolfe backtracking line search.
struct LbfgsParams {
    int history = 10;             // correction pairs kept (LBFGSpp's m)
    double gradientTolerance = 0; // converged when |g| <= this (LBFGSpp's epsilon)
    double changeTolerance = 0;   // converged when the loss changes by <= this, relatively;
                                  // 0: no such test
    static LbfgsParams fromConfig(const TrainConfig& config);
    // Throws std::invalid_argument naming the bad value and its allowed range.
    void check() const;
    template <typename Scalar> LBFGSpp::LBFGSParam<Scalar> lbfgspp() const;
};

// Full-batch L-BFGS (LbfgsStepper, one iteration per step). The line search sees a
// non-finite loss as +infinity and shortens the step; a search that finds no lower point
// ends the phase (Failed) with the network at the last iteration's point.
template <typename Scalar> class LbfgsOptimiser final : public Optimiser<Scalar> {
  public:
    using typename Optimiser<Scalar>::Vector;
    using typename Optimiser<Scalar>::Objective;

    // Throws std::invalid_argument when `params` fail their check().
    explicit LbfgsOptimiser(const LbfgsParams& params);

    std::string_view name() const override { return "L-BFGS"; }
    OptimiserStep start(Vector& x, const Objective& objective) override;
    OptimiserStep step(Vector& x, const Objective& objective, double learningRate) override;
    double gradientNorm() const;
    // The stepper's state (LbfgsStepper::Saved) and whether the loss was ever non-finite.
    StateRecord state() const override;
    void restore(const StateRecord& state, Eigen::Index parameterCount) override;

  private:
    struct Guarded; // the objective as the line search sees it
    LbfgsParams m_params;
    LbfgsStepper<Scalar> m_stepper;
    bool m_sawNonFinite = false; // at any point of the phase so far
};

extern template class LbfgsOptimiser<float>;
extern template class LbfgsOptimiser<double>;

} // namespace sobolev
