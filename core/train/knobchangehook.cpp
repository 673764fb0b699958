// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/knobchangehook.h"

#include <stdexcept>

namespace sobolev {

KnobChangeHook::KnobChangeHook(std::vector<KnobChange>& changes) : m_changes(changes) {}

HookResult KnobChangeHook::beforeBatch(HookContext& context) {
    if (m_next >= m_changes.size())
        return HookResult::Continue;
    const KnobChange here{context.epoch(), context.batch(), Knob::Alpha, 0};
    while (m_next < m_changes.size() && !changeComesBefore(here, m_changes[m_next])) {
        context.setKnob(m_changes[m_next].knob, m_changes[m_next].value);
        ++m_next;
    }
    return HookResult::Continue;
}

void KnobChangeHook::reset() {
    m_next = 0;
}

void KnobChangeHook::insertApplied(const KnobChange& change) {
    m_changes.insert(m_changes.begin() + std::ptrdiff_t(m_next), change);
    ++m_next;
}

StateRecord KnobChangeHook::saveState() const {
    return {{double(m_next)}, {}};
}

void KnobChangeHook::restoreState(const StateRecord& s) {
    if (s.numbers.size() != 1 || !s.vectors.empty() ||
        !(s.numbers[0] >= 0 && s.numbers[0] <= double(m_changes.size())))
        throw std::invalid_argument("the saved knob-change position is not one of this run's");
    m_next = std::size_t(s.numbers[0]);
}

} // namespace sobolev
