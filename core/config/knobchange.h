// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knob.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sobolev {

struct TrainConfig;

// A knob set to `value` from the start of batch `batch` of Adam epoch `epoch` on (both
// counted from 1, as history.csv counts epochs). Only the live knobs of the registry change
// (alpha, beta, the learning rate: --change and config.json's `changes` name them "alpha",
// "beta", "lr"). For the learning rate the value is the schedule's base rate: every later
// rate is value x the schedule's shape (core/schedule.h).
struct KnobChange {
    int epoch = 1;
    int batch = 1;
    Knob knob = Knob::Beta;
    double value = 0;

    bool operator==(const KnobChange&) const = default;
};

// What is wrong with changing `knob` to `value` ("lr must be greater than 0 and at most 1"):
// a knob that cannot change live, or a value outside its range; empty when fine. (alpha and
// beta both 0 is checked by validate().)
std::string knobValueProblem(Knob knob, double value);

// The Adam batches of one epoch of `config`: n_train / batch, rounded up.
int batchesPerEpoch(const TrainConfig& config);
// The value `change` replaced: the config's, or that of the change before it to the same knob.
double previousValue(const TrainConfig& config, std::size_t changeIndex);
// `config` with every change applied and the list emptied: the knobs the run ends with.
TrainConfig withChangesApplied(TrainConfig config);
// True when (epoch, batch) of `a` comes before that of `b`.
bool changeComesBefore(const KnobChange& a, const KnobChange& b);

} // namespace sobolev
