// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/train/hooks.h"

namespace sobolev {

// The plateau schedule (PyTorch's ReduceLROnPlateau, relative threshold): after every Adam
// epoch, once `patience` epochs pass without the validation loss falling below (1 - 1e-4) x
// its best, the rate is multiplied by decay_factor, not below lr x lr_floor.
class PlateauHook final : public TrainingHook {
  public:
    explicit PlateauHook(const TrainConfig& config);

    std::string_view name() const override { return "plateau"; }
    HookResult afterEpoch(HookContext& context) override;
    void reset() override;
    StateRecord saveState() const override;
    void restoreState(const StateRecord& state) override;

  private:
    int m_patience;
    double m_factor, m_floorFraction; // decay_factor, lr_floor
    double m_best = 0;
    int m_sinceBest = 0;
    bool m_seen = false;
};

} // namespace sobolev
