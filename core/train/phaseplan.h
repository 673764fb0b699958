// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/optim/optimiser.h"

#include <memory>
#include <vector>

namespace sobolev {

// What each step of a phase sees: one shuffled batch (a history row is an epoch of steps),
// or the whole training set (a row is one step).
enum class Batching { MiniBatch, FullBatch };

// One phase of a run: an optimiser, how it is fed, for how many rows, in which precision.
// The trainer runs the phases in order; each starts from the weights the last one ended with.
struct PhasePlan {
    Phase optimiser; // which optimiser; also the history's phase column
    Batching batching;
    int rows;
    Precision precision;
};

// The config's phases: Adam on mini-batches for `epochs` epochs, then full-batch L-BFGS for
// `lbfgs_iterations` iterations; a phase without rows is left out.
std::vector<PhasePlan> phasesOf(const TrainConfig& config);

// A fresh optimiser for `plan` over `parameterCount` parameters, with its knobs from `config`.
template <typename Scalar>
std::unique_ptr<Optimiser<Scalar>> makeOptimiser(const PhasePlan& plan, const TrainConfig& config,
                                                 Eigen::Index parameterCount);

} // namespace sobolev
