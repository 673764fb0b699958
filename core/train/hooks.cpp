// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/hooks.h"

#include "core/config/knobregistry.h"

#include <sstream>
#include <stdexcept>

namespace sobolev {

std::string describe(const HookAction& a) {
    std::ostringstream out;
    out << "epoch " << a.epoch;
    if (a.batch > 0)
        out << ", batch " << a.batch;
    out << ": " << a.hook << ' ';
    switch (a.kind) {
    case HookAction::Kind::SetKnob:
        out << "set " << knobShortName(a.knob) << ' ' << a.from << " -> " << a.to;
        break;
    case HookAction::Kind::SetLearningRate:
        out << "set the learning rate " << a.from << " -> " << a.to;
        break;
    case HookAction::Kind::RestoreWeights:
        out << "restored the weights of epoch " << a.to;
        break;
    case HookAction::Kind::StopRun:
        out << "ended the run";
        break;
    case HookAction::Kind::BalanceStarted:
        out << "started at beta/alpha " << a.to;
        break;
    case HookAction::Kind::BalanceFrozen:
        out << "froze alpha " << a.from << ", beta " << a.to << " for L-BFGS";
        break;
    case HookAction::Kind::BalanceOverridden:
        out << "stopped: a change of " << knobShortName(a.knob) << ' ' << a.from << " -> " << a.to
            << " overrides it";
        break;
    }
    return out.str();
}

HookResult TrainingHook::atPhaseStart(HookContext&) {
    return HookResult::Continue;
}
HookResult TrainingHook::beforeBatch(HookContext&) {
    return HookResult::Continue;
}
HookResult TrainingHook::afterBatch(HookContext&) {
    return HookResult::Continue;
}
HookResult TrainingHook::atTermGradients(HookContext&) {
    return HookResult::Continue;
}
HookResult TrainingHook::afterEpoch(HookContext&) {
    return HookResult::Continue;
}
void TrainingHook::atCompletion(HookContext&) {}
void TrainingHook::reset() {}
StateRecord TrainingHook::saveState() const {
    return {};
}
void TrainingHook::restoreState(const StateRecord& state) {
    if (!(state == StateRecord{}))
        throw std::invalid_argument("the checkpoint holds a state for the hook \"" +
                                    std::string(name()) + "\", which keeps none");
}

} // namespace sobolev
