// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

struct TrainConfig;

// The knobs a run can change while it trains: the loss weights and Adam's base rate.
enum class LiveKnob { Alpha, Beta, LearningRate };

// "alpha", "beta", "lr": the names of --change and of config.json's `changes`.
std::string_view liveKnobName(LiveKnob knob);
// Also reads "learning_rate", the config key of the rate.
std::optional<LiveKnob> liveKnobFromName(std::string_view name);
std::vector<LiveKnob> allLiveKnobs();

// A knob set to `value` from the start of batch `batch` of Adam epoch `epoch` on (both
// counted from 1, as history.csv counts epochs). For the learning rate the value is the
// schedule's base rate: every later rate is value x the schedule's shape (core/schedule.h).
struct KnobChange {
    int epoch = 1;
    int batch = 1;
    LiveKnob knob = LiveKnob::Beta;
    double value = 0;

    bool operator==(const KnobChange&) const = default;
};

// What is wrong with `value` for `knob` ("beta must be a number from 0 to 1e+12"); empty
// when it is in the knob's limits:: range. (alpha and beta both 0 is checked by validate().)
std::string knobValueProblem(LiveKnob knob, double value);

// The Adam batches of one epoch of `config`: n_train / batch, rounded up.
int batchesPerEpoch(const TrainConfig& config);
// The value of `knob` in `config` before any change.
double initialValue(const TrainConfig& config, LiveKnob knob);
// The value `change` replaced: the config's, or that of the change before it to the same knob.
double previousValue(const TrainConfig& config, std::size_t changeIndex);
// `config` with every change applied and the list emptied: the knobs the run ends with.
TrainConfig withChangesApplied(TrainConfig config);
// True when (epoch, batch) of `a` comes before that of `b`.
bool changeComesBefore(const KnobChange& a, const KnobChange& b);

} // namespace sobolev
