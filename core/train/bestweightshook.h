// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/train/hooks.h"

namespace sobolev {

// Keeps the weights of the row with the lowest validation loss (the first such row on a tie)
// and, with restore_best, puts them back when the run completes.
class BestWeightsHook final : public TrainingHook {
  public:
    explicit BestWeightsHook(bool restoreBest);

    std::string_view name() const override { return "best weights"; }
    HookResult afterEpoch(HookContext& context) override;
    void atCompletion(HookContext& context) override;
    void reset() override;
    StateRecord saveState() const override;
    void restoreState(const StateRecord& state) override;

    // 0 before the first row with a finite validation loss.
    int epoch() const { return m_epoch; }
    double valLoss() const { return m_valLoss; }
    const Eigen::VectorXd& weights() const { return m_weights; }
    Precision precision() const { return m_precision; }

  private:
    bool m_restoreBest;
    int m_epoch = 0;
    double m_valLoss = 0;
    Eigen::VectorXd m_weights;
    Precision m_precision = Precision::Float32;
};

} // namespace sobolev
