// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/balancehook.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sobolev {

namespace {

// ||g[offset, offset + size)||: gradnorm's norm on the shared layer.
double sliceNorm(const Eigen::VectorXd& g, Eigen::Index offset, Eigen::Index size) {
    return g.segment(offset, size).norm();
}

} // namespace

BalanceHook::BalanceHook(const TrainConfig& config, const Dataset& training)
    : m_config(config), m_name("balance " + std::string(balanceName(config.balance))),
      m_analytic(analyticBetaOverAlpha(training)),
      m_rng(Rng::forStream(config.seed, BalanceStream)) {
    reset();
}

void BalanceHook::reset() {
    const TrainConfig& c = m_config;
    m_lra = {c.lraRate, c.beta / c.alpha};
    m_dirichlet = {c.dirichletRate, c.beta / c.alpha};
    m_relobralo = {};
    m_relobralo.alpha = c.relobraloAlpha;
    m_relobralo.rho = c.relobraloRho;
    m_relobralo.tau = c.relobraloTau;
    m_softadapt = {};
    m_softadapt.beta = c.softadaptBeta;
    m_gradnorm = {};
    m_gradnorm.alpha = c.gradnormAlpha;
    m_gradnorm.rate = c.gradnormRate;
    m_rng = Rng::forStream(c.seed, BalanceStream);
    m_draws = 0;
    m_started = m_frozen = m_overridden = false;
    m_batches = 0;
    m_alpha = c.alpha;
    m_beta = c.beta;
}

void BalanceHook::apply(HookContext& context) {
    const TrainConfig& c = m_config;
    double alpha = c.alpha, beta = c.beta;
    switch (c.balance) {
    case Balance::Lra:
        beta = c.alpha * m_lra.lambda;
        break;
    case Balance::InverseDirichlet:
        beta = c.alpha * m_dirichlet.lambda;
        break;
    case Balance::Analytic:
        if (std::isfinite(m_analytic))
            beta = c.alpha * m_analytic;
        break;
    case Balance::Relobralo:
        alpha = c.alpha * m_relobralo.weights[0];
        beta = c.beta * m_relobralo.weights[1];
        break;
    case Balance::SoftAdapt:
        alpha = c.alpha * m_softadapt.weights[0];
        beta = c.beta * m_softadapt.weights[1];
        break;
    case Balance::GradNorm:
        alpha = c.alpha * m_gradnorm.weights[0];
        beta = c.beta * m_gradnorm.weights[1];
        break;
    case Balance::Off:
        return;
    }
    // Within the knobs' range: a rule never sets what a user could not.
    alpha = std::clamp(alpha, 0.0, limits::maxLossWeight);
    beta = std::clamp(beta, 0.0, limits::maxLossWeight);
    if (!std::isfinite(alpha) || !std::isfinite(beta) || (alpha == 0 && beta == 0))
        return;
    context.setLossWeights(alpha, beta);
    m_alpha = alpha;
    m_beta = beta;
}

HookResult BalanceHook::atPhaseStart(HookContext& context) {
    if (context.phase() == Phase::Adam && !m_started) {
        m_started = true;
        m_alpha = context.knob(Knob::Alpha);
        m_beta = context.knob(Knob::Beta);
        apply(context); // analytic's weights; the others start from the configured ones
        context.recordEvent(HookAction::Kind::BalanceStarted, Knob::Beta, 0, m_beta / m_alpha);
    } else if (context.phase() == Phase::Lbfgs && acting()) {
        m_frozen = true;
        context.recordEvent(HookAction::Kind::BalanceFrozen, Knob::Beta, m_alpha, m_beta);
    }
    return HookResult::Continue;
}

HookResult BalanceHook::beforeBatch(HookContext& context) {
    if (!acting())
        return HookResult::Continue;
    // A scheduled or live change of alpha or beta overrides the rule.
    for (Knob knob : {Knob::Alpha, Knob::Beta}) {
        const double mine = knob == Knob::Alpha ? m_alpha : m_beta;
        if (context.knob(knob) != mine) {
            m_overridden = true;
            context.recordEvent(HookAction::Kind::BalanceOverridden, knob, mine,
                                context.knob(knob));
            return HookResult::Continue;
        }
    }
    if (balanceUsesGradients(m_config.balance) && m_batches % m_config.balanceEvery == 0)
        context.requestTermGradients();
    ++m_batches;
    return HookResult::Continue;
}

HookResult BalanceHook::atTermGradients(HookContext& context) {
    if (!acting())
        return HookResult::Continue;
    const TermGradients& g = context.termGradients();
    switch (m_config.balance) {
    case Balance::Lra:
        m_lra.update(g.gradF, g.gradFprime);
        break;
    case Balance::InverseDirichlet:
        m_dirichlet.update(g.gradF, g.gradFprime);
        break;
    case Balance::GradNorm: {
        // The configured alpha and beta are fixed factors of the terms (see balance.h).
        const TermWeights losses{m_config.alpha * g.terms.mseF, m_config.beta * g.terms.mseFprime};
        const TermWeights norms{
            m_config.alpha * sliceNorm(g.gradF, g.lastHiddenOffset, g.lastHiddenSize),
            m_config.beta * sliceNorm(g.gradFprime, g.lastHiddenOffset, g.lastHiddenSize)};
        m_gradnorm.update(losses, norms);
        break;
    }
    default:
        return HookResult::Continue;
    }
    apply(context);
    return HookResult::Continue;
}

HookResult BalanceHook::afterBatch(HookContext& context) {
    if (!acting())
        return HookResult::Continue;
    const BatchLoss& terms = context.batchLoss();
    const TermWeights losses{terms.mseF, terms.mseFprime};
    if (m_config.balance == Balance::Relobralo) {
        // The first batch only remembers its losses: no draw.
        const bool lookBack = m_relobralo.started && relobraloLookBack(m_rng, m_relobralo.rho);
        m_draws += m_relobralo.started ? 1 : 0;
        m_relobralo.update(losses, lookBack);
    } else if (m_config.balance == Balance::SoftAdapt) {
        m_softadapt.update(losses);
    } else {
        return HookResult::Continue;
    }
    apply(context);
    return HookResult::Continue;
}

StateRecord BalanceHook::saveState() const {
    StateRecord s;
    s.numbers = {double(m_started),
                 double(m_frozen),
                 double(m_overridden),
                 double(m_batches),
                 m_alpha,
                 m_beta,
                 m_lra.lambda,
                 m_dirichlet.lambda,
                 double(m_draws),
                 double(m_relobralo.started),
                 double(m_softadapt.started),
                 double(m_gradnorm.started)};
    for (const TermWeights* w :
         {&m_relobralo.weights, &m_relobralo.initial, &m_relobralo.previous, &m_softadapt.weights,
          &m_softadapt.previous, &m_gradnorm.weights, &m_gradnorm.initial})
        s.numbers.insert(s.numbers.end(), w->begin(), w->end());
    return s;
}

void BalanceHook::restoreState(const StateRecord& s) {
    constexpr std::size_t count = 12 + 7 * 2;
    if (s.numbers.size() != count || !s.vectors.empty() || !(s.numbers[3] >= 0) ||
        !(s.numbers[8] >= 0 && s.numbers[8] <= 1e12))
        throw std::invalid_argument("the saved balancing state is not one of this run's");
    reset();
    const auto& n = s.numbers;
    m_started = n[0] != 0;
    m_frozen = n[1] != 0;
    m_overridden = n[2] != 0;
    m_batches = (long long)n[3];
    m_alpha = n[4];
    m_beta = n[5];
    m_lra.lambda = n[6];
    m_dirichlet.lambda = n[7];
    m_draws = std::uint64_t(n[8]);
    m_relobralo.started = n[9] != 0;
    m_softadapt.started = n[10] != 0;
    m_gradnorm.started = n[11] != 0;
    std::size_t at = 12;
    for (TermWeights* w :
         {&m_relobralo.weights, &m_relobralo.initial, &m_relobralo.previous, &m_softadapt.weights,
          &m_softadapt.previous, &m_gradnorm.weights, &m_gradnorm.initial}) {
        (*w)[0] = n[at++];
        (*w)[1] = n[at++];
    }
    // The draws' stream, from its start to where it was.
    for (std::uint64_t i = 0; i < m_draws; ++i)
        m_rng.uniform01();
}

} // namespace sobolev
