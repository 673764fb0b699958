// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"
#include "core/model/mlp.h"
#include "core/optim/schedule.h"
#include "core/problem/dataset.h"
#include "core/problem/random.h"
#include "core/problem/target.h"
#include "core/train/checkpoint.h"
#include "core/train/hooks.h"
#include "core/train/phaseplan.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sobolev {

template <typename Scalar> struct TrainerNet;
class KnobChangeHook;
class BestWeightsHook;
class SnapshotHook;

// Trains an Mlp on the Sobolev loss through a list of phases (phasesOf()): Adam on shuffled
// mini-batches at the schedule's rate, then optionally full-batch L-BFGS. Each Adam epoch and
// each L-BFGS iteration is one history row. Hooks (core/train/hooks.h) run at the start of
// each phase, around every batch and after every row; the scheduled knob changes, the best
// weights and the plateau schedule are hooks.
//
// Training can be interrupted between batches (the `stop` flag) and continued later from
// exactly where it left off, so pausing does not change the result: the same config gives a
// bit-identical history however often the run was paused. An L-BFGS iteration is never
// interrupted half-way; a stop takes effect before the next one.
class Trainer {
  public:
    using EpochCallback = std::function<void(const EpochMetrics&)>;
    // The 1-based epoch in progress and the batch just run.
    using BatchCallback = std::function<void(int epoch, int batch)>;

    // Throws std::invalid_argument naming the problems if `config` is not valid().
    explicit Trainer(const TrainConfig& config);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // The config, its `changes` including those applyChange() recorded.
    const TrainConfig& config() const { return m_config; }

    // Trains at most `maxEpochs` more rows (an interrupted epoch counts as the first one),
    // until the configured epochs and iterations are done, `stop` becomes true, the loss
    // diverges or a hook ends the run. Calls `onEpoch` after every finished row and its
    // hooks, on the calling thread; it observes, hooks act. Calls `onBatch` between two
    // batches of an epoch, where a stop could end the call: it may look at the network there
    // (predictions()), and its time is not training time.
    // Returns Completed or Diverged when the run is over, None when it can continue.
    StopReason train(int maxEpochs, const std::atomic<bool>* stop = nullptr,
                     const EpochCallback& onEpoch = {}, const BatchCallback& onBatch = {});
    // Train until completed, diverged or stopped.
    StopReason trainAll(const std::atomic<bool>* stop = nullptr, const EpochCallback& onEpoch = {});

    // Sets `knob` to `value` from the next Adam batch on, and records it in config().changes
    // at that epoch and batch, before any listed change at the same place.
    // Returns the recorded change, or nothing once the Adam epochs are over (L-BFGS keeps the
    // weights it started with). Throws std::invalid_argument for a value out of range or
    // alpha and beta both 0. Call it between train() calls, never during one.
    std::optional<KnobChange> applyChange(Knob knob, double value);
    // The value of `knob` in force for the next batch.
    double knobValue(Knob knob) const;

    // Adds a hook after the built-in ones (knob changes, best weights, plateau, snapshots); hooks
    // run in the order added. Call it before training; reset() resets it with the run.
    void addHook(std::unique_ptr<TrainingHook> hook);
    // What the hooks did, in order, including the scheduled knob changes.
    const std::vector<HookAction>& hookActions() const { return m_hookActions; }
    const std::vector<PhasePlan>& phases() const { return m_phases; }
    // The snapshots recorded so far (core/train/snapshothook.h); empty with snapshots = 0.
    // Evaluates the ones not evaluated yet: call it between train() calls.
    const SnapshotSeries& snapshots() const;

    // Everything needed to go on from here as if the run had never stopped, between two
    // train() calls (also inside an interrupted epoch, and in an L-BFGS phase between two
    // iterations); a few hundred kB for the reference network. Cheap enough to take every few
    // seconds, never on the per-batch path.
    TrainerCheckpoint checkpoint() const;
    // Puts this trainer (made from the config the checkpoint was taken with) where the
    // checkpoint was taken: train() then continues bit-identically. Throws
    // std::invalid_argument naming what does not fit (then the trainer is reset()).
    void restore(const TrainerCheckpoint& checkpoint);

    // Ends the run as stopped by the user; train() then does nothing.
    void markStopped();
    // Back to the initial weights and optimiser state; the history is cleared.
    void reset();

    bool finished() const { return m_stopReason != StopReason::None; }
    StopReason stopReason() const { return m_stopReason; }
    const std::string& stopMessage() const { return m_stopMessage; }
    int epochsDone() const { return int(m_history.size()); }
    // Rows the run makes at most: the Adam epochs plus the L-BFGS iterations.
    int plannedRows() const { return sobolev::plannedRows(m_config); }
    // The phase of the next row (of the last one once the run has finished).
    Phase phase() const;
    double trainSeconds() const { return m_seconds; }
    const std::vector<EpochMetrics>& history() const { return m_history; }
    const Dataset& trainingData() const { return m_train; }

    // The network in precision Scalar as it is now. Throws std::logic_error when the run
    // has no network of that precision (a float32 run without an L-BFGS phase has no
    // double network).
    template <typename Scalar> const Mlp<Scalar>& network() const;
    // The parameters of the network in use, in double (exact for a float32 network).
    Eigen::VectorXd parameters() const;
    const Target& target() const { return m_target; }

    // The model on the config's uniform test grid (with measured data: at every row, sorted
    // by x, beside the row's f and f'; f' NaN where the row has none; and on a dense grid
    // over the rows' x in curveX, curveFHat, curveFprimeHat, where it is drawn).
    Predictions predictions();
    // The model at the validation or training rows, with their f and f'.
    const Dataset& validationData() const { return m_val; }
    // Where report() measures: the test grid, or with measured data the validation rows
    // (the training rows without a split).
    MetricsSet metricsSet() const;
    // Test-grid (or data) errors, those of the best validation epoch, and how the run ended.
    FitReport report();

    // Threads for the full-batch (L-BFGS) loss; the result does not depend on it. Defaults to
    // the machine's hardware threads; callers that already train runs in parallel set 1.
    // Takes effect for networks made after the call, so call it before training.
    void setFullBatchThreads(int threads);

  private:
    class HookSite;                                             // the HookContext the hooks see
    void restoreUnchecked(const TrainerCheckpoint& checkpoint); // restore()'s body
    template <typename Scalar> TrainerNet<Scalar>& net();
    Predictions predictionsOn(const Dataset& set);
    FitReport errorsNow(); // on metricsSet()
    // Puts `weights` into the network of precision `p` (exact when they came from it).
    void setWeights(Precision p, const Eigen::VectorXd& weights);
    // Calls fn(net) with the network of precision `p`.
    template <typename Fn> decltype(auto) withNet(Precision p, Fn&& fn);

    const PhasePlan& currentPhase() const { return m_phases[m_phaseIndex]; }
    void startPhase();
    // One row of each kind; true when the call must return (interrupted or over).
    bool runEpoch(const std::atomic<bool>* stop, const EpochCallback& onEpoch,
                  const BatchCallback& onBatch);
    bool runFullBatchStep(const std::atomic<bool>* stop, const EpochCallback& onEpoch);
    void startEpoch();
    // Returns the seconds spent in `onBatch`.
    double runBatches(const std::atomic<bool>* stop, bool& interrupted,
                      const BatchCallback& onBatch);
    template <typename Scalar> bool runBatch(TrainerNet<Scalar>& n, int batchIndex);
    // The term gradients a hook asked for on the batch in n's buffers, shown to the hooks;
    // false when one of them ended the run.
    template <typename Scalar> bool takeTermGradients(TrainerNet<Scalar>& n, int batchIndex);
    void finishEpoch(const EpochCallback& onEpoch);
    void record(EpochMetrics m, const EpochCallback& onEpoch);
    // Calls `point` of every hook at `site`; true when one of them ended the run.
    bool callHooks(HookSite& site, HookResult (TrainingHook::*point)(HookContext&));
    // Moves on to the next phase, or completes the run; `ending` says how the phase ended
    // early (empty when its rows are done).
    void endPhase(const std::string& ending);
    std::string phaseSummary(std::size_t phase) const;
    void setKnob(Knob knob, double value);
    // Throws std::invalid_argument when `value` is out of `knob`'s live range or would make
    // alpha and beta both 0: what a live change and a hook's change must both pass.
    void checkKnobChange(Knob knob, double value) const;
    void complete(std::string message);
    void diverge(const std::string& what, int batchIndex);

    TrainConfig m_config; // batch_size at most n_train (effectiveBatchSize())
    Target m_target;
    Dataset m_train, m_val, m_grid;
    // Whether any row of the set has f' (measured data may have none): the history's f'
    // columns are "not available" (NaN) for a set without.
    bool m_trainHasFprime = true, m_valHasFprime = true;
    Eigen::VectorXf m_initialParams;
    std::unique_ptr<TrainerNet<float>> m_net32;
    std::unique_ptr<TrainerNet<double>> m_net64;
    Precision m_active; // the precision of the network in use
    int m_fullBatchThreads;
    LearningRateSchedule m_schedule;
    // The loss weights in force; they start as the config's and follow its changes.
    double m_alpha = 1, m_beta = 1;
    std::vector<KnobChange> m_plannedChanges; // the config's own, for reset()
    Rng m_shuffleRng;
    Rng m_initialShuffleRng;

    // The phases, the one in progress and the rows each has made.
    std::vector<PhasePlan> m_phases;
    std::size_t m_phaseIndex = 0;
    bool m_phaseStarted = false;
    std::vector<int> m_phaseRows;
    std::vector<std::string> m_phaseNames; // the optimisers' names, from their start
    OptimiserStep m_phaseEnd;              // a step that ended the phase early

    // Hooks: the built-in ones first (m_changes, m_best, m_snapshots point into m_hooks).
    std::vector<std::unique_ptr<TrainingHook>> m_hooks;
    KnobChangeHook* m_changes = nullptr;
    BestWeightsHook* m_best = nullptr;
    SnapshotHook* m_snapshots = nullptr; // with snapshots > 0
    std::vector<HookAction> m_hookActions;
    bool m_termGradientsWanted = false; // a beforeBatch hook asked for them
    bool m_restored = false;            // restore_best put the best weights back

    // State of the epoch in progress, kept across interruptions.
    std::vector<int> m_order;
    int m_nextBatch = 0;
    int m_batchesPerEpoch = 0;
    double m_sumLoss = 0, m_sumF = 0, m_sumFprime = 0;
    double m_epochRate = 0;
    bool m_epochOpen = false;

    std::vector<EpochMetrics> m_history;
    double m_seconds = 0;
    StopReason m_stopReason = StopReason::None;
    std::string m_stopMessage;
};

} // namespace sobolev
