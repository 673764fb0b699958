// SPDX-License-Identifier: GPL-3.0-or-later
// Trainer::checkpoint() and restore(): the trainer's state taken apart and put back.
#include "core/train/trainer.h"

#include "core/config/knobchange.h"
#include "core/train/bestweightshook.h"
#include "core/train/phaseplan.h"
#include "core/train/snapshothook.h"
#include "core/train/trainernet.h"

#include <stdexcept>
#include <utility>

namespace sobolev {

TrainerCheckpoint Trainer::checkpoint() const {
    TrainerCheckpoint c;
    c.parameterCount = std::int64_t(m_initialParams.size());
    c.trainingRows = m_config.nTrain;
    c.plannedRows = plannedRows();
    c.history = m_history;
    c.seconds = m_seconds;
    c.stopReason = m_stopReason;
    c.stopMessage = m_stopMessage;
    c.changes = m_config.changes;
    c.hookActions = m_hookActions;
    c.restored = m_restored;
    c.alpha = m_alpha;
    c.beta = m_beta;
    c.schedule = m_schedule.state();
    c.shuffleRng = m_shuffleRng.state();
    c.phaseIndex = int(m_phaseIndex);
    c.phaseStarted = m_phaseStarted;
    c.phaseRows = m_phaseRows;
    c.phaseNames = m_phaseNames;
    c.phaseEndOutcome = m_phaseEnd.outcome;
    c.phaseEndWhy = m_phaseEnd.why;
    c.precision = m_active;
    c.weights = parameters();
    // A started phase has its optimiser unless it ended before making one (finished()).
    if (m_phaseStarted && !finished())
        c.optimiser = m_active == Precision::Float64 ? m_net64->optimiser->state()
                                                     : m_net32->optimiser->state();
    for (const auto& hook : m_hooks)
        c.hooks.push_back(hook->saveState());
    c.epochOpen = m_epochOpen;
    if (m_epochOpen)
        c.order = m_order;
    c.nextBatch = m_nextBatch;
    c.sumLoss = m_sumLoss;
    c.sumF = m_sumF;
    c.sumFprime = m_sumFprime;
    c.epochRate = m_epochRate;
    return c;
}

namespace {

// What a checkpoint must agree on with the trainer before any of it is used; empty when it
// fits.
std::string misfit(const TrainerCheckpoint& c, std::int64_t parameters, int trainingRows,
                   int plannedRows, std::size_t phases, std::size_t hooks, bool snapshots,
                   int batchesPerEpoch) {
    if (c.parameterCount != parameters || c.weights.size() != parameters)
        return "its network has " + std::to_string(c.weights.size()) +
               " parameters; this config's has " + std::to_string(parameters);
    if (c.trainingRows != trainingRows)
        return "it was trained on " + std::to_string(c.trainingRows) +
               " training rows; this config has " + std::to_string(trainingRows);
    if (c.plannedRows != plannedRows || c.history.size() > std::size_t(plannedRows))
        return "it plans " + std::to_string(c.plannedRows) + " rows; this config plans " +
               std::to_string(plannedRows);
    if (c.phaseRows.size() != phases || c.phaseNames.size() != phases ||
        std::size_t(c.phaseIndex) >= std::max<std::size_t>(phases, 1))
        return "its phases are not this config's";
    // A checkpoint taken before snapshots existed has no state for their hook.
    if (c.hooks.size() != hooks && !(snapshots && c.hooks.size() + 1 == hooks))
        return "it holds the state of " + std::to_string(c.hooks.size()) +
               " hooks; this trainer has " + std::to_string(hooks);
    if (c.nextBatch > batchesPerEpoch ||
        (c.epochOpen && c.order.size() != std::size_t(trainingRows)))
        return "its epoch in progress is not one of this config's";
    for (int i : c.order)
        if (i >= trainingRows)
            return "its epoch in progress names a row this config does not have";
    return {};
}

} // namespace

void Trainer::restore(const TrainerCheckpoint& c) {
    const std::string bad =
        misfit(c, std::int64_t(m_initialParams.size()), m_config.nTrain, plannedRows(),
               m_phases.size(), m_hooks.size(), m_snapshots != nullptr, m_batchesPerEpoch);
    if (!bad.empty())
        throw std::invalid_argument("the checkpoint does not fit this run: " + bad);
    try {
        restoreUnchecked(c);
    } catch (const std::exception& e) {
        reset();
        throw std::invalid_argument(std::string("the checkpoint does not fit this run: ") +
                                    e.what());
    }
}

void Trainer::restoreUnchecked(const TrainerCheckpoint& c) {
    reset();
    for (const auto& [knob, value] : {std::pair{Knob::Alpha, c.alpha}, {Knob::Beta, c.beta}})
        if (const std::string bad = knobValueProblem(knob, value); !bad.empty())
            throw std::invalid_argument(bad);
    if (c.alpha == 0 && c.beta == 0)
        throw std::invalid_argument("alpha and beta cannot both be 0");
    m_config.changes = c.changes;
    setKnob(Knob::Alpha, c.alpha); // both networks' weights in the loss follow
    setKnob(Knob::Beta, c.beta);
    m_schedule.restore(c.schedule);
    if (!m_shuffleRng.setState(c.shuffleRng))
        throw std::invalid_argument("its shuffling position is not one");
    m_phaseIndex = std::size_t(c.phaseIndex);
    m_phaseStarted = c.phaseStarted;
    m_phaseRows = c.phaseRows;
    m_phaseNames = c.phaseNames;
    m_phaseEnd = {};
    m_phaseEnd.outcome = c.phaseEndOutcome;
    m_phaseEnd.why = c.phaseEndWhy;
    m_history = c.history;
    m_seconds = c.seconds;
    m_stopReason = c.stopReason;
    m_stopMessage = c.stopMessage;
    m_active = c.precision;
    setWeights(m_active, c.weights);
    if (m_phaseStarted && !finished() && !m_phases.empty()) {
        const PhasePlan& plan = currentPhase();
        if (plan.precision != m_active)
            throw std::invalid_argument("its network's precision is not its phase's");
        // setWeights() made the network of this precision.
        const auto remake = [&](auto& n) {
            using Scalar = typename std::decay_t<decltype(n)>::Vector::Scalar;
            n.optimiser = makeOptimiser<Scalar>(plan, m_config, n.mlp.parameterCount());
            n.optimiser->restore(c.optimiser, n.mlp.parameterCount());
        };
        if (m_active == Precision::Float64)
            remake(*m_net64);
        else
            remake(*m_net32);
    }
    // Without a state for the snapshot hook (an older checkpoint), it records from here on.
    const bool withoutSnapshots = c.hooks.size() < m_hooks.size();
    for (std::size_t i = 0, state = 0; i < m_hooks.size(); ++i)
        if (!(withoutSnapshots && m_hooks[i].get() == m_snapshots))
            m_hooks[i]->restoreState(c.hooks[state++]);
    if (m_best->epoch() > 0 && m_best->weights().size() != m_initialParams.size())
        throw std::invalid_argument("its best weights are not this network's");
    m_hookActions = c.hookActions;
    m_restored = c.restored;
    m_epochOpen = c.epochOpen;
    if (m_epochOpen)
        m_order = c.order;
    m_nextBatch = c.nextBatch;
    m_sumLoss = c.sumLoss;
    m_sumF = c.sumF;
    m_sumFprime = c.sumFprime;
    m_epochRate = c.epochRate;
}

} // namespace sobolev
