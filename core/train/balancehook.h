// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/problem/dataset.h"
#include "core/problem/random.h"
#include "core/train/balance.h"
#include "core/train/hooks.h"

#include <string>

namespace sobolev {

// The run's balancing rule (TrainConfig::balance, not off) as a hook: it moves alpha and beta
// while Adam trains (core/train/balance.h has the rules). Its weights go into the history's
// alpha and beta columns; its hook actions are its events: the start, the freeze when L-BFGS
// starts, and a change of alpha or beta, scheduled or live, which ends the rule for the rest
// of the run. The loss-based rules (relobralo, softadapt) update after every batch from its
// loss terms; the gradient rules (lra, gradnorm, inverse-dirichlet) every `balance_every`
// batches from the terms' gradients on the batch about to run, starting with the first.
class BalanceHook final : public TrainingHook {
  public:
    // `training` is the run's training set (analytic's weights).
    BalanceHook(const TrainConfig& config, const Dataset& training);

    std::string_view name() const override { return m_name; }
    HookResult atPhaseStart(HookContext& context) override;
    HookResult beforeBatch(HookContext& context) override;
    HookResult atTermGradients(HookContext& context) override;
    HookResult afterBatch(HookContext& context) override;
    void reset() override;
    StateRecord saveState() const override;
    void restoreState(const StateRecord& state) override;

  private:
    // Whether the rule still moves the weights.
    bool acting() const { return m_started && !m_frozen && !m_overridden; }
    // Sets the weights for the rule's current state: alpha x w_f and beta x w_f' (relobralo,
    // softadapt, gradnorm) or alpha and alpha x lambda.
    void apply(HookContext& context);

    TrainConfig m_config;
    std::string m_name; // "balance lra"
    double m_analytic;  // analytic's beta / alpha
    LraRule m_lra;
    InverseDirichletRule m_dirichlet;
    RelobraloRule m_relobralo;
    SoftAdaptRule m_softadapt;
    GradNormRule m_gradnorm;
    Rng m_rng;                 // relobralo's draws
    std::uint64_t m_draws = 0; // made so far, to put the stream back where it was
    bool m_started = false, m_frozen = false, m_overridden = false;
    long long m_batches = 0;        // Adam batches seen since the start
    double m_alpha = 0, m_beta = 0; // the weights it set last, to notice a change
};

} // namespace sobolev
