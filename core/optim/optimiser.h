// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/sobolevloss.h"
#include "core/optim/staterecord.h"

#include <Eigen/Core>

#include <functional>
#include <string>
#include <string_view>

namespace sobolev {

// How an optimiser's step ended.
enum class StepOutcome {
    Continue,  // go on
    Converged, // a convergence test holds: the phase is over, and well
    Failed,    // no step could be taken; the parameters are the last good point
    NonFinite  // the loss or gradient is not finite: the run diverged
};

struct OptimiserStep {
    StepOutcome outcome = StepOutcome::Continue;
    BatchLoss terms; // at the point the step started from (Adam) or reached (L-BFGS)
    std::string why; // unless Continue: what happened, in the user's terms
};

// An optimiser of the network's flat parameter vector: one small interface, one
// implementation per file (adam.h, core/optim/lbfgsoptimiser.h). The trainer hands it the
// objective at every step; what the objective covers is the phase's choice
// (core/train/phaseplan.h): one shuffled mini-batch, or the whole training set.
template <typename Scalar> class Optimiser {
  public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    // The loss terms at x and, in `grad`, the loss's gradient there.
    using Objective = std::function<BatchLoss(const Vector& x, Vector& grad)>;

    virtual ~Optimiser() = default;
    // "Adam", "L-BFGS": how messages name it.
    virtual std::string_view name() const = 0;
    // At the start of its phase, from x. An optimiser that evaluates the objective here may
    // report Converged when x already passes its test.
    virtual OptimiserStep start(Vector& x, const Objective& objective) = 0;
    // One step from x, which holds the new point afterwards. `learningRate` is the schedule's
    // rate; a line-search method ignores it. The objective may use x's storage for its trial
    // points (x is the network's own parameter vector).
    virtual OptimiserStep step(Vector& x, const Objective& objective, double learningRate) = 0;
    // Its state between two steps (after start()), for a checkpoint; restore() puts it back
    // into an optimiser made with the same knobs, which then takes the same steps as the one
    // it was saved from (instead of start()). restore() throws std::invalid_argument when
    // `state` is not one of its kind for `parameterCount` parameters.
    virtual StateRecord state() const = 0;
    virtual void restore(const StateRecord& state, Eigen::Index parameterCount) = 0;
};

} // namespace sobolev
