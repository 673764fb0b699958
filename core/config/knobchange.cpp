// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/knobchange.h"

#include "core/config/knobregistry.h"
#include "core/config/trainconfig.h"

namespace sobolev {

std::string knobValueProblem(Knob knob, double value) {
    if (!knobInfo(knob).live)
        return "the knob must be one of " + knobNameList(liveKnobs(), true);
    std::string bad = knobRangeProblem(knob, value);
    if (bad.empty())
        return bad;
    // The value is named beside the change already: "lr must be ... at most 1".
    bad = bad.substr(0, bad.rfind("; got "));
    return std::string(knobShortName(knob)) + " " + bad;
}

int batchesPerEpoch(const TrainConfig& config) {
    const int batch = effectiveBatchSize(config);
    return (config.nTrain + batch - 1) / batch;
}

double previousValue(const TrainConfig& config, std::size_t changeIndex) {
    const Knob knob = config.changes.at(changeIndex).knob;
    for (std::size_t i = changeIndex; i-- > 0;)
        if (config.changes[i].knob == knob)
            return config.changes[i].value;
    return knobValue(config, knob);
}

TrainConfig withChangesApplied(TrainConfig config) {
    for (const KnobChange& change : config.changes)
        setKnob(config, change.knob, change.value);
    config.changes.clear();
    return config;
}

bool changeComesBefore(const KnobChange& a, const KnobChange& b) {
    return a.epoch < b.epoch || (a.epoch == b.epoch && a.batch < b.batch);
}

} // namespace sobolev
