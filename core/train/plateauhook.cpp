// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/plateauhook.h"

#include <algorithm>
#include <stdexcept>

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

StateRecord PlateauHook::saveState() const {
    return {{m_best, double(m_sinceBest), m_seen ? 1.0 : 0.0}, {}};
}

void PlateauHook::restoreState(const StateRecord& s) {
    if (s.numbers.size() != 3 || !s.vectors.empty() || !(s.numbers[1] >= 0 && s.numbers[1] < 1e9))
        throw std::invalid_argument("the saved plateau state is not one");
    m_best = s.numbers[0];
    m_sinceBest = int(s.numbers[1]);
    m_seen = s.numbers[2] != 0;
}

} // namespace sobolev
