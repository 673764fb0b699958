// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/train/hooks.h"

#include <vector>

namespace sobolev {

// The run's scheduled knob changes (TrainConfig::changes): each sets its knob right before
// batch `batch` of Adam epoch `epoch`, in the order listed.
class KnobChangeHook final : public TrainingHook {
  public:
    // `changes` is the run's list, which live changes join; it must outlive the hook.
    explicit KnobChangeHook(std::vector<KnobChange>& changes);

    std::string_view name() const override { return "knob changes"; }
    HookResult beforeBatch(HookContext& context) override;
    void reset() override;
    StateRecord saveState() const override;
    void restoreState(const StateRecord& state) override;

    // Lists `change`, made live at the next batch, as already applied: before the listed
    // changes not applied yet, so that a replay of the list applies them in the same order.
    void insertApplied(const KnobChange& change);

  private:
    std::vector<KnobChange>& m_changes;
    std::size_t m_next = 0; // the first change not applied yet
};

} // namespace sobolev
