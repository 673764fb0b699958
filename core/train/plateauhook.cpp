// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/plateauhook.h"

#include <algorithm>

namespace sobolev {

PlateauHook::PlateauHook(const TrainConfig& c)
    : m_patience(c.patience), m_factor(c.decayFactor), m_floorFraction(c.lrFloor) {}

HookResult PlateauHook::afterEpoch(HookContext& context) {
    if (context.phase() != Phase::Adam)
        return HookResult::Continue;
    const double loss = context.row().valLoss;
    if (!m_seen || loss < m_best * (1 - 1e-4)) {
        m_best = loss;
        m_seen = true;
        m_sinceBest = 0;
        return HookResult::Continue;
    }
    if (++m_sinceBest >= m_patience) {
        // rate = max(lr x lr_floor, rate x decay_factor)
        const double floor = context.knob(Knob::LearningRate) * m_floorFraction;
        context.setLearningRate(std::max(floor, context.learningRate() * m_factor));
        m_sinceBest = 0;
    }
    return HookResult::Continue;
}

void PlateauHook::reset() {
    m_best = 0;
    m_sinceBest = 0;
    m_seen = false;
}

} // namespace sobolev
