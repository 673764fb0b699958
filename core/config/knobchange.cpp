// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/knobchange.h"

#include "core/config/trainconfig.h"

#include <cmath>
#include <sstream>

namespace sobolev {

std::vector<LiveKnob> allLiveKnobs() {
    return {LiveKnob::Alpha, LiveKnob::Beta, LiveKnob::LearningRate};
}

std::string_view liveKnobName(LiveKnob knob) {
    switch (knob) {
    case LiveKnob::Alpha:
        return "alpha";
    case LiveKnob::Beta:
        return "beta";
    case LiveKnob::LearningRate:
        return "lr";
    }
    return "unknown";
}

std::optional<LiveKnob> liveKnobFromName(std::string_view name) {
    if (name == "learning_rate")
        return LiveKnob::LearningRate;
    for (LiveKnob k : allLiveKnobs())
        if (liveKnobName(k) == name)
            return k;
    return std::nullopt;
}

std::string knobValueProblem(LiveKnob knob, double value) {
    std::ostringstream out;
    if (knob == LiveKnob::LearningRate) {
        if (!std::isfinite(value) || value <= 0 || value > limits::maxLearningRate)
            out << "lr must be greater than 0 and at most " << limits::maxLearningRate;
    } else if (knob == LiveKnob::Alpha || knob == LiveKnob::Beta) {
        if (!std::isfinite(value) || value < 0 || value > limits::maxLossWeight)
            out << liveKnobName(knob) << " must be a number from 0 to " << limits::maxLossWeight;
    } else {
        out << "the knob must be one of alpha, beta, lr";
    }
    return out.str();
}

int batchesPerEpoch(const TrainConfig& config) {
    const int batch = effectiveBatchSize(config);
    return (config.nTrain + batch - 1) / batch;
}

namespace {
double& knobIn(TrainConfig& c, LiveKnob knob) {
    switch (knob) {
    case LiveKnob::Alpha:
        return c.alpha;
    case LiveKnob::Beta:
        return c.beta;
    case LiveKnob::LearningRate:
        break;
    }
    return c.learningRate;
}
} // namespace

double initialValue(const TrainConfig& config, LiveKnob knob) {
    TrainConfig copy;
    copy.alpha = config.alpha;
    copy.beta = config.beta;
    copy.learningRate = config.learningRate;
    return knobIn(copy, knob);
}

double previousValue(const TrainConfig& config, std::size_t changeIndex) {
    const LiveKnob knob = config.changes.at(changeIndex).knob;
    for (std::size_t i = changeIndex; i-- > 0;)
        if (config.changes[i].knob == knob)
            return config.changes[i].value;
    return initialValue(config, knob);
}

TrainConfig withChangesApplied(TrainConfig config) {
    for (const KnobChange& change : config.changes)
        knobIn(config, change.knob) = change.value;
    config.changes.clear();
    return config;
}

bool changeComesBefore(const KnobChange& a, const KnobChange& b) {
    return a.epoch < b.epoch || (a.epoch == b.epoch && a.batch < b.batch);
}

} // namespace sobolev
