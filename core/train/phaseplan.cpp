// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/phaseplan.h"

#include "core/optim/adam.h"
#include "core/optim/lbfgsoptimiser.h"

namespace sobolev {

std::vector<PhasePlan> phasesOf(const TrainConfig& c) {
    std::vector<PhasePlan> phases;
    if (c.epochs > 0)
        phases.push_back({Phase::Adam, Batching::MiniBatch, c.epochs, c.precision});
    if (c.lbfgsIterations > 0)
        phases.push_back({Phase::Lbfgs, Batching::FullBatch, c.lbfgsIterations, c.lbfgsPrecision});
    return phases;
}

template <typename Scalar>
std::unique_ptr<Optimiser<Scalar>> makeOptimiser(const PhasePlan& plan, const TrainConfig& c,
                                                 Eigen::Index parameterCount) {
    switch (plan.optimiser) {
    case Phase::Adam:
        return std::make_unique<Adam<Scalar>>(parameterCount, AdamParams{.epsilon = c.adamEpsilon});
    case Phase::Lbfgs:
        break;
    }
    return std::make_unique<LbfgsOptimiser<Scalar>>(LbfgsParams::fromConfig(c));
}

template std::unique_ptr<Optimiser<float>> makeOptimiser(const PhasePlan&, const TrainConfig&,
                                                         Eigen::Index);
template std::unique_ptr<Optimiser<double>> makeOptimiser(const PhasePlan&, const TrainConfig&,
                                                          Eigen::Index);

} // namespace sobolev
