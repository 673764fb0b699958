// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <atomic>
#include <vector>

namespace sobolev {

// Problems with the config's target, parameter and domain: an unknown preset, a formula that
// does not parse, and f or f' undefined or not finite on the test grid, the validation or the
// training points. Each names the field ("target", "target_param", "domain") and the point.
// Its cost grows with the formula and the points (seconds for a long formula and a million
// points), so the window runs it on a worker thread: a raised `cancel` makes it return early,
// with a result that means nothing.
std::vector<ConfigProblem> targetProblems(const TrainConfig& config,
                                          const std::atomic<bool>* cancel = nullptr);

// The fields of `config` that targetProblems() reads, the others at their defaults: configs
// with the same target inputs have the same target problems.
TrainConfig targetInputs(const TrainConfig& config);

// Every problem with `config`, each naming the field and what is allowed; empty when valid.
// The knobs first (knobProblems()); the target is evaluated only once they are all in range,
// and not at all with measured data, which replaces it.
std::vector<ConfigProblem> validate(const TrainConfig& config);

} // namespace sobolev
