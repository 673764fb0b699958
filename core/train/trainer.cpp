// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/trainer.h"
#include "core/problem/validate.h"

#include "core/model/fullbatch.h"
#include "core/optim/adam.h"
#include "core/optim/lbfgs.h"
#include "core/problem/target.h"
#include "core/train/balancehook.h"
#include "core/train/bestweightshook.h"
#include "core/train/hooksite.h"
#include "core/train/knobchangehook.h"
#include "core/train/plateauhook.h"
#include "core/train/snapshothook.h"
#include "core/train/trainernet.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sobolev {

namespace {

const TrainConfig& checked(const TrainConfig& config) {
    const auto problems = validate(config);
    if (!problems.empty())
        throw std::invalid_argument("invalid training config: " + describe(problems));
    return config;
}

// The batch size follows n_train when it would exceed it (configNotes() says so). With
// measured data n_train and n_val are the split's row counts (n_val = n_train without a
// split: the validation set is then the training set) and the domain spans the data's x.
TrainConfig withEffectiveBatch(TrainConfig config) {
    config.batchSize = effectiveBatchSize(config);
    if (config.measured) {
        config.nTrain = trainingRows(config);
        const int val = validationRowCount(config.measured->rows(), config.dataValidation);
        config.nVal = val > 0 ? val : config.nTrain;
        config.domainMin = config.measured->minX();
        config.domainMax = config.measured->maxX();
    }
    return config;
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point began) {
    return std::chrono::duration<double>(Clock::now() - began).count();
}

} // namespace

template <typename Scalar> TrainerNet<Scalar>& Trainer::net() {
    auto& slot = [this]() -> auto& {
        if constexpr (std::is_same_v<Scalar, float>)
            return m_net32;
        else
            return m_net64;
    }
    ();
    if (!slot) {
        slot =
            std::make_unique<TrainerNet<Scalar>>(m_config, m_train, m_val, m_grid, m_initialParams);
        slot->fullBatchThreads = m_fullBatchThreads;
        slot->alpha = Scalar(m_alpha); // the weights in force, also for a later phase's network
        slot->beta = Scalar(m_beta);
    }
    return *slot;
}

void Trainer::setFullBatchThreads(int threads) {
    m_fullBatchThreads = std::max(1, threads);
}

template <typename Fn> decltype(auto) Trainer::withNet(Precision p, Fn&& fn) {
    if (p == Precision::Float64)
        return fn(net<double>());
    return fn(net<float>());
}

Trainer::Trainer(const TrainConfig& config)
    : m_config(withEffectiveBatch(checked(config))),
      m_target(config.measured ? Target() : Target::fromConfig(config)),
      m_grid(Dataset::testGrid(config)), m_active(config.precision),
      m_fullBatchThreads(int(std::max(1u, std::thread::hardware_concurrency()))),
      m_schedule(config), m_shuffleRng(Rng::forStream(config.seed, ShuffleStream)),
      m_initialShuffleRng(m_shuffleRng), m_phases(phasesOf(m_config)) {
    std::tie(m_train, m_val) = Dataset::trainAndValidation(config);
    m_trainHasFprime = countKnownFprime(m_train.fprime) > 0;
    m_valHasFprime = countKnownFprime(m_val.fprime) > 0;
    // The initial weights are drawn in float whatever the precision, so that a float64 run
    // starts from the same network as its float32 twin.
    Mlp<float> initial(config.width, config.depth, config.activation);
    Rng weightRng = Rng::forStream(config.seed, WeightStream);
    initial.initGlorot(weightRng);
    m_initialParams = initial.parameters();
    m_order.resize(m_config.nTrain);
    m_batchesPerEpoch = batchesPerEpoch(m_config);
    m_alpha = m_config.alpha;
    m_beta = m_config.beta;
    m_plannedChanges = m_config.changes;
    m_phaseRows.assign(m_phases.size(), 0);
    m_phaseNames.assign(m_phases.size(), std::string());
    // The built-in hooks, in the order they act: the listed changes before a batch; after a
    // row the best weights, then the plateau schedule.
    auto changes = std::make_unique<KnobChangeHook>(m_config.changes);
    m_changes = changes.get();
    m_hooks.push_back(std::move(changes));
    // After the changes, which override it at the batch they are listed for.
    if (m_config.balance != Balance::Off)
        m_hooks.push_back(std::make_unique<BalanceHook>(m_config, m_train));
    auto best = std::make_unique<BestWeightsHook>(m_config.restoreBest);
    m_best = best.get();
    m_hooks.push_back(std::move(best));
    if (m_config.schedule == Schedule::Plateau)
        m_hooks.push_back(std::make_unique<PlateauHook>(m_config));
    // After the others: a snapshot sees the knobs a scheduled change just set.
    if (m_config.snapshots > 0) {
        auto snapshots = std::make_unique<SnapshotHook>(m_config, m_grid.x);
        m_snapshots = snapshots.get();
        m_hooks.push_back(std::move(snapshots));
    }
    withNet(m_active, [](auto&) {}); // the network of the first phase exists from the start
}

Trainer::~Trainer() = default;

void Trainer::addHook(std::unique_ptr<TrainingHook> hook) {
    m_hooks.push_back(std::move(hook));
}

const SnapshotSeries& Trainer::snapshots() const {
    static const SnapshotSeries none;
    return m_snapshots ? m_snapshots->series() : none;
}

template <typename Scalar> const Mlp<Scalar>& Trainer::network() const {
    const auto& slot = [this]() -> const auto& {
        if constexpr (std::is_same_v<Scalar, float>)
            return m_net32;
        else
            return m_net64;
    }
    ();
    if (!slot)
        throw std::logic_error("this run has no network of that precision");
    return slot->mlp;
}
template const Mlp<float>& Trainer::network<float>() const;
template const Mlp<double>& Trainer::network<double>() const;

Eigen::VectorXd Trainer::parameters() const {
    if (m_active == Precision::Float64)
        return network<double>().parameters();
    return network<float>().parameters().cast<double>();
}

void Trainer::setWeights(Precision p, const Eigen::VectorXd& weights) {
    withNet(p, [&](auto& n) {
        using Scalar = typename std::decay_t<decltype(n)>::Vector::Scalar;
        n.mlp.parameters() = weights.cast<Scalar>();
    });
}

Phase Trainer::phase() const {
    return currentPhase().optimiser;
}

void Trainer::reset() {
    m_net32.reset();
    m_net64.reset();
    m_config.changes = m_plannedChanges; // the live changes go with the run that made them
    m_alpha = m_config.alpha;
    m_beta = m_config.beta;
    m_active = m_config.precision;
    withNet(m_active, [](auto&) {});
    m_schedule.reset();
    m_shuffleRng = m_initialShuffleRng;
    m_epochOpen = false;
    m_phaseIndex = 0;
    m_phaseStarted = false;
    m_phaseRows.assign(m_phases.size(), 0);
    m_phaseNames.assign(m_phases.size(), std::string());
    m_phaseEnd = {};
    for (const auto& hook : m_hooks)
        hook->reset();
    m_hookActions.clear();
    m_termGradientsWanted = false;
    m_restored = false;
    m_history.clear();
    m_seconds = 0;
    m_stopReason = StopReason::None;
    m_stopMessage.clear();
}

void Trainer::markStopped() {
    if (finished())
        return;
    m_stopReason = StopReason::Stopped;
    std::ostringstream msg;
    msg << "stopped by the user after " << epochsDone() << " of " << plannedRows()
        << (m_config.lbfgsIterations > 0 ? " epochs and L-BFGS iterations" : " epochs");
    m_stopMessage = msg.str();
}

double Trainer::knobValue(Knob knob) const {
    switch (knob) {
    case Knob::Alpha:
        return m_alpha;
    case Knob::Beta:
        return m_beta;
    default: // the learning rate; only the live knobs reach the trainer
        break;
    }
    return m_schedule.base();
}

void Trainer::setKnob(Knob knob, double value) {
    switch (knob) {
    case Knob::Alpha:
    case Knob::Beta:
        (knob == Knob::Alpha ? m_alpha : m_beta) = value;
        // Both networks, so that a phase in the other precision starts with them too.
        if (m_net32) {
            m_net32->alpha = float(m_alpha);
            m_net32->beta = float(m_beta);
        }
        if (m_net64) {
            m_net64->alpha = m_alpha;
            m_net64->beta = m_beta;
        }
        break;
    case Knob::LearningRate:
        m_schedule.setBase(value);
        if (m_epochOpen) // the rest of this epoch's batches take the new rate
            m_epochRate = m_schedule.rate(m_phaseRows[m_phaseIndex]);
        break;
    default: // only the live knobs reach the trainer
        break;
    }
}

void Trainer::checkKnobChange(Knob knob, double value) const {
    if (const std::string bad = knobValueProblem(knob, value); !bad.empty())
        throw std::invalid_argument(bad);
    if ((knob == Knob::Alpha && value == 0 && m_beta == 0) ||
        (knob == Knob::Beta && value == 0 && m_alpha == 0))
        throw std::invalid_argument("alpha and beta cannot both be 0");
}

std::optional<KnobChange> Trainer::applyChange(Knob knob, double value) {
    checkKnobChange(knob, value);
    if (finished() || epochsDone() >= m_config.epochs)
        return std::nullopt;
    // The next batch: the open epoch's next one, or the first of the next epoch.
    const KnobChange change{epochsDone() + 1, m_epochOpen ? m_nextBatch + 1 : 1, knob, value};
    m_changes->insertApplied(change);
    setKnob(knob, value);
    return change;
}

bool Trainer::callHooks(HookSite& site, HookResult (TrainingHook::*point)(HookContext&)) {
    for (const auto& hook : m_hooks) {
        site.hook = hook.get();
        if ((hook.get()->*point)(site) == HookResult::Stop) {
            site.note(HookAction::Kind::StopRun);
            const std::string epoch = std::to_string(site.epoch());
            std::string where =
                site.epoch() > epochsDone() ? "before epoch " + epoch : "after epoch " + epoch;
            if (site.batch() > 0)
                where = "in epoch " + epoch + " at batch " + std::to_string(site.batch()) + " of " +
                        std::to_string(m_batchesPerEpoch);
            complete(std::string(hook->name()) + " ended the run " + where);
            return true;
        }
    }
    return false;
}

// Switches to the phase's precision (going on from the current weights), makes its optimiser
// and lets it look at the starting point.
void Trainer::startPhase() {
    const PhasePlan& plan = currentPhase();
    if (plan.precision != m_active)
        setWeights(plan.precision, parameters());
    m_active = plan.precision;
    m_phaseStarted = true;
    m_phaseEnd = {};
    HookSite site(*this);
    if (callHooks(site, &TrainingHook::atPhaseStart))
        return;
    const OptimiserStep start = withNet(m_active, [&](auto& n) {
        using Scalar = typename std::decay_t<decltype(n)>::Vector::Scalar;
        n.optimiser = makeOptimiser<Scalar>(plan, m_config, n.mlp.parameterCount());
        m_phaseNames[m_phaseIndex] = std::string(n.optimiser->name());
        return n.optimiser->start(n.mlp.parameters(), plan.batching == Batching::FullBatch
                                                          ? n.fullBatchObjective
                                                          : n.miniBatchObjective);
    });
    if (start.outcome != StepOutcome::Continue)
        endPhase(m_phaseNames[m_phaseIndex] + " had nothing to do: " + start.why);
}

void Trainer::startEpoch() {
    std::iota(m_order.begin(), m_order.end(), 0);
    m_shuffleRng.shuffle(m_order);
    m_nextBatch = 0;
    m_sumLoss = m_sumF = m_sumFprime = 0;
    m_epochRate = m_schedule.rate(m_phaseRows[m_phaseIndex]);
    m_epochOpen = true;
}

// One mini-batch step; false when the run ended there (diverged or stopped by a hook).
template <typename Scalar> bool Trainer::runBatch(TrainerNet<Scalar>& n, int batchIndex) {
    const int start = batchIndex * m_config.batchSize;
    const int count = std::min(m_config.batchSize, m_config.nTrain - start);
    for (int i = 0; i < count; ++i) {
        const int k = m_order[start + i];
        n.bx[i] = n.trainX[k];
        n.bf[i] = n.trainF[k];
        n.bfp[i] = n.trainFprime[k];
    }
    n.batchCount = count;
    const bool withTermGradients = m_termGradientsWanted;
    m_termGradientsWanted = false;
    if (withTermGradients && !takeTermGradients(n, batchIndex))
        return false;
    OptimiserStep s = n.optimiser->step(
        n.mlp.parameters(), withTermGradients ? n.termGradientObjective : n.miniBatchObjective,
        m_epochRate);
    if (s.outcome == StepOutcome::NonFinite) {
        diverge(s.why, batchIndex);
        return false;
    }
    m_sumLoss += s.terms.loss;
    m_sumF += s.terms.mseF;
    m_sumFprime += s.terms.mseFprime;
    if (s.outcome != StepOutcome::Continue && m_phaseEnd.outcome == StepOutcome::Continue)
        m_phaseEnd = s; // the phase ends with this epoch
    HookSite site(*this, batchIndex + 1, &s.terms);
    return !callHooks(site, &TrainingHook::afterBatch);
}

template <typename Scalar> bool Trainer::takeTermGradients(TrainerNet<Scalar>& n, int batchIndex) {
    const int count = n.batchCount;
    n.termLoss = n.mlp.lossAndTermGradients(n.bx.head(count), n.bf.head(count), n.bfp.head(count),
                                            n.alpha, n.beta, n.gradF, n.gradFprime);
    TermGradients g;
    g.terms = n.termLoss;
    g.gradF = n.gradF.template cast<double>();
    g.gradFprime = n.gradFprime.template cast<double>();
    std::tie(g.lastHiddenOffset, g.lastHiddenSize) = n.mlp.hiddenWeights(m_config.depth - 1);
    HookSite site(*this, batchIndex + 1);
    site.gradients = &g;
    return !callHooks(site, &TrainingHook::atTermGradients);
}

double Trainer::runBatches(const std::atomic<bool>* stop, bool& interrupted,
                           const BatchCallback& onBatch) {
    double observed = 0;
    withNet(m_active, [&](auto& n) {
        while (m_nextBatch < m_batchesPerEpoch) {
            if (stop && stop->load(std::memory_order_relaxed)) {
                interrupted = true;
                return;
            }
            HookSite site(*this, m_nextBatch + 1);
            if (callHooks(site, &TrainingHook::beforeBatch))
                return;
            const bool goOn = runBatch(n, m_nextBatch);
            ++m_nextBatch;
            if (!goOn)
                return;
            if (onBatch && m_nextBatch < m_batchesPerEpoch) {
                const auto began = Clock::now();
                onBatch(epochsDone() + 1, m_nextBatch);
                observed += secondsSince(began);
            }
        }
    });
    return observed;
}

bool Trainer::runEpoch(const std::atomic<bool>* stop, const EpochCallback& onEpoch,
                       const BatchCallback& onBatch) {
    const auto began = Clock::now();
    if (!m_phaseStarted)
        startPhase();
    if (!finished() && !m_epochOpen)
        startEpoch();
    bool interrupted = false;
    double observed = 0;
    if (!finished())
        observed = runBatches(stop, interrupted, onBatch);
    m_seconds += secondsSince(began) - observed;
    if (interrupted || finished())
        return true;
    finishEpoch(onEpoch);
    return false;
}

void Trainer::finishEpoch(const EpochCallback& onEpoch) {
    EpochMetrics m;
    m.loss = m_sumLoss / m_batchesPerEpoch;
    m.mseF = m_sumF / m_batchesPerEpoch;
    m.mseFprime = m_sumFprime / m_batchesPerEpoch;
    m.learningRate = m_epochRate;
    m.phase = currentPhase().optimiser;
    m_epochOpen = false;
    withNet(m_active, [&](auto& n) { n.validate(m); });
    record(m, onEpoch);
}

bool Trainer::runFullBatchStep(const std::atomic<bool>* stop, const EpochCallback& onEpoch) {
    if (stop && stop->load(std::memory_order_relaxed))
        return true; // an iteration is never interrupted half-way
    const auto began = Clock::now();
    if (!m_phaseStarted)
        startPhase();
    if (finished() || !m_phaseStarted) { // ended, or the phase had nothing to do
        m_seconds += secondsSince(began);
        return finished();
    }
    OptimiserStep s = withNet(m_active, [&](auto& n) {
        return n.optimiser->step(n.mlp.parameters(), n.fullBatchObjective, 0.0);
    });
    m_seconds += secondsSince(began);
    const std::string& name = m_phaseNames[m_phaseIndex];
    const int done = m_phaseRows[m_phaseIndex];
    if (s.outcome == StepOutcome::Failed) { // no new point: no row
        endPhase(name + " ended after " + std::to_string(done) + " of " +
                 std::to_string(currentPhase().rows) + " iterations: " + s.why +
                 "; the network keeps the weights of its last iteration");
        return finished();
    }
    if (s.outcome == StepOutcome::NonFinite) {
        diverge(s.why, -1);
        return true;
    }
    EpochMetrics m;
    m.loss = s.terms.loss;
    m.mseF = s.terms.mseF;
    m.mseFprime = s.terms.mseFprime;
    m.learningRate = std::numeric_limits<double>::quiet_NaN();
    m.phase = currentPhase().optimiser;
    if (s.outcome == StepOutcome::Converged)
        s.why = name + " converged after " + std::to_string(done + 1) + " iterations: " + s.why;
    m_phaseEnd = std::move(s);
    withNet(m_active, [&](auto& n) { n.validate(m); });
    record(m, onEpoch);
    return false;
}

// Appends the row, runs the hooks after it, and ends the phase when it is over.
void Trainer::record(EpochMetrics m, const EpochCallback& onEpoch) {
    m.epoch = epochsDone() + 1;
    m.valLoss = sobolevLoss(m_alpha, m_beta, m.valMseF, m.valMseFprime).loss; // weights in force
    m.alpha = m_alpha;
    m.beta = m_beta;
    // Without any f' the beta term above was 0; the f' columns say "not available", not 0.
    if (!m_trainHasFprime)
        m.mseFprime = std::numeric_limits<double>::quiet_NaN();
    if (!m_valHasFprime)
        m.valMseFprime = std::numeric_limits<double>::quiet_NaN();
    m.seconds = m_seconds;
    ++m_phaseRows[m_phaseIndex];
    if (!std::isfinite(m.valLoss))
        diverge(std::isnan(m.valLoss) ? "validation loss became NaN"
                                      : "validation loss became infinite",
                -1);
    m_history.push_back(m);
    if (!finished()) {
        HookSite site(*this, 0, nullptr, &m_history.back());
        if (!callHooks(site, &TrainingHook::afterEpoch)) {
            if (m_phaseEnd.outcome != StepOutcome::Continue)
                endPhase(m_phaseEnd.why);
            else if (m_phaseRows[m_phaseIndex] >= currentPhase().rows)
                endPhase({});
        }
    }
    if (onEpoch)
        onEpoch(m);
}

// "200 epochs", "12 L-BFGS iterations"
std::string Trainer::phaseSummary(std::size_t phase) const {
    const std::string rows = std::to_string(m_phaseRows[phase]);
    if (m_phases[phase].batching == Batching::MiniBatch)
        return rows + " epochs";
    return rows + " " + m_phaseNames[phase] + " iterations";
}

void Trainer::endPhase(const std::string& ending) {
    if (m_phaseIndex + 1 < m_phases.size()) {
        ++m_phaseIndex;
        m_phaseStarted = false;
        return;
    }
    // "completed 200 epochs and 12 L-BFGS iterations", or how the last phase ended early
    // after what the others completed: "completed 200 epochs; L-BFGS converged after ..."
    std::string done;
    const std::size_t upTo = ending.empty() ? m_phases.size() : m_phaseIndex;
    for (std::size_t p = 0; p < upTo; ++p)
        done += (done.empty() ? "" : " and ") + phaseSummary(p);
    if (ending.empty())
        complete("completed " + done);
    else
        complete(done.empty() ? ending : "completed " + done + "; " + ending);
}

void Trainer::complete(std::string message) {
    m_stopReason = StopReason::Completed;
    m_stopMessage = std::move(message);
    HookSite site(*this);
    for (const auto& hook : m_hooks) {
        site.hook = hook.get();
        hook->atCompletion(site);
    }
}

void Trainer::diverge(const std::string& what, int batchIndex) {
    m_stopReason = StopReason::Diverged;
    std::ostringstream msg;
    msg << what << " at epoch " << epochsDone() + 1;
    if (batchIndex >= 0)
        msg << " (batch " << batchIndex + 1 << " of " << m_batchesPerEpoch << ")";
    if (std::max(m_alpha, m_beta) > 1e3)
        msg << "; try smaller alpha/beta or a smaller learning rate";
    else if (m_schedule.base() > 1e-2)
        msg << "; try a smaller learning rate";
    else
        msg << "; try a smaller learning rate or a smaller network";
    m_stopMessage = msg.str();
}

StopReason Trainer::train(int maxEpochs, const std::atomic<bool>* stop,
                          const EpochCallback& onEpoch, const BatchCallback& onBatch) {
    for (int e = 0; e < maxEpochs && !finished(); ++e) {
        const bool miniBatch = currentPhase().batching == Batching::MiniBatch;
        if (miniBatch ? runEpoch(stop, onEpoch, onBatch) : runFullBatchStep(stop, onEpoch))
            break;
    }
    return m_stopReason;
}

StopReason Trainer::trainAll(const std::atomic<bool>* stop, const EpochCallback& onEpoch) {
    return train(plannedRows(), stop, onEpoch);
}

Predictions Trainer::predictions() {
    if (m_config.measured) {
        Predictions p = predictionsOn(m_grid);
        const Eigen::RowVectorXf curveX = Dataset::curveX(m_config);
        withNet(m_active, [&](auto& n) {
            using RowVector = typename std::decay_t<decltype(n)>::RowVector;
            const RowVector x = curveX.template cast<typename RowVector::Scalar>();
            RowVector y(x.size()), dy(x.size());
            n.mlp.predict(x, y, dy);
            p.curveX.assign(curveX.begin(), curveX.end());
            p.curveFHat.assign(y.begin(), y.end());
            p.curveFprimeHat.assign(dy.begin(), dy.end());
        });
        return p;
    }
    return withNet(m_active, [&](auto& n) {
        const int count = m_grid.size();
        n.mlp.predict(n.gridX, n.y.head(count), n.dy.head(count));
        Predictions p;
        p.x.resize(count);
        p.f.resize(count);
        p.fHat.resize(count);
        p.fprime.resize(count);
        p.fprimeHat.resize(count);
        for (int i = 0; i < count; ++i) {
            const double x = m_grid.x[i];
            p.x[i] = x;
            p.f[i] = m_target.f(x);
            p.fprime[i] = m_target.fprime(x);
            p.fHat[i] = double(n.y[i]);
            p.fprimeHat[i] = double(n.dy[i]);
        }
        return p;
    });
}

Predictions Trainer::predictionsOn(const Dataset& set) {
    return withNet(m_active, [&](auto& n) {
        using RowVector = typename std::decay_t<decltype(n)>::RowVector;
        const RowVector x = set.x.template cast<typename RowVector::Scalar>();
        RowVector y(x.size()), dy(x.size());
        n.mlp.predict(x, y, dy);
        Predictions p;
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            p.x.push_back(double(set.x[i]));
            p.f.push_back(double(set.f[i]));
            p.fprime.push_back(double(set.fprime[i]));
            p.fHat.push_back(double(y[i]));
            p.fprimeHat.push_back(double(dy[i]));
        }
        return p;
    });
}

MetricsSet Trainer::metricsSet() const {
    if (!m_config.measured)
        return MetricsSet::TestGrid;
    return validationRowCount(m_config.measured->rows(), m_config.dataValidation) > 0
               ? MetricsSet::ValidationData
               : MetricsSet::TrainingData;
}

FitReport Trainer::errorsNow() {
    switch (metricsSet()) {
    case MetricsSet::TestGrid:
        break;
    case MetricsSet::ValidationData:
        return compareOnGrid(predictionsOn(m_val));
    case MetricsSet::TrainingData:
        return compareOnGrid(predictionsOn(m_train));
    }
    return compareOnGrid(predictions());
}

FitReport Trainer::report() {
    FitReport r = errorsNow();
    r.metricsOn = metricsSet();
    r.epochsRun = epochsDone();
    r.trainSeconds = m_seconds;
    r.stopReason = m_stopReason;
    r.stopMessage = m_stopMessage;
    r.precision = m_active;
    if (m_best->epoch() > 0) {
        FitReport atBest = r;
        if (!m_restored && m_best->epoch() != epochsDone()) {
            // Evaluate the best weights in their own precision, then put the current back.
            const Precision current = m_active;
            m_active = m_best->precision();
            const Eigen::VectorXd now = parameters(); // exact, also for a float network
            setWeights(m_active, m_best->weights());
            atBest = errorsNow();
            setWeights(m_active, now);
            m_active = current;
        }
        r.best = errorsOf(atBest);
        r.best.epoch = m_best->epoch();
        r.best.valLoss = m_best->valLoss();
    }
    return r;
}

} // namespace sobolev
