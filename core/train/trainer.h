// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/model/mlp.h"
#include "core/optim/schedule.h"
#include "core/problem/dataset.h"
#include "core/problem/random.h"
#include "core/problem/target.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sobolev {

template <typename Scalar> struct TrainerNet;
struct TrainerLbfgs;

// Trains an Mlp on the Sobolev loss: Adam on shuffled mini-batches at the schedule's rate,
// then optionally full-batch L-BFGS (docs/design.md, "Optimisers"). Each Adam epoch and each
// L-BFGS iteration is one history row.
//
// Training can be interrupted between batches (the `stop` flag) and continued later from
// exactly where it left off, so pausing does not change the result: the same config gives a
// bit-identical history however often the run was paused. An L-BFGS iteration is never
// interrupted half-way; a stop takes effect before the next one.
class Trainer {
  public:
    using EpochCallback = std::function<void(const EpochMetrics&)>;

    // Throws std::invalid_argument naming the problems if `config` is not valid().
    explicit Trainer(const TrainConfig& config);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // The config, its `changes` including those applyChange() recorded.
    const TrainConfig& config() const { return m_config; }

    // Trains at most `maxEpochs` more rows (an interrupted epoch counts as the first one),
    // until the configured epochs and iterations are done, `stop` becomes true, or the loss
    // diverges. Calls `onEpoch` after every finished row, on the calling thread.
    // Returns Completed or Diverged when the run is over, None when it can continue.
    StopReason train(int maxEpochs, const std::atomic<bool>* stop = nullptr,
                     const EpochCallback& onEpoch = {});
    // Train until completed, diverged or stopped.
    StopReason trainAll(const std::atomic<bool>* stop = nullptr, const EpochCallback& onEpoch = {});

    // Sets `knob` to `value` from the next Adam batch on, and records it in config().changes
    // at that epoch and batch, before any listed change at the same place (issue #10).
    // Returns the recorded change, or nothing once the Adam epochs are over (L-BFGS keeps the
    // weights it started with). Throws std::invalid_argument for a value out of range or
    // alpha and beta both 0. Call it between train() calls, never during one.
    std::optional<KnobChange> applyChange(Knob knob, double value);
    // The value of `knob` in force for the next batch.
    double knobValue(Knob knob) const;

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
    // by x, beside the row's f and f'; f' NaN where the row has none).
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
    template <typename Scalar> TrainerNet<Scalar>& net();
    Predictions predictionsOn(const Dataset& set);
    FitReport errorsNow(); // on metricsSet()
    // Puts `weights` into the network of precision `p` (exact when they came from it).
    void setWeights(Precision p, const Eigen::VectorXd& weights);
    // Calls fn(net) with the network of precision `p`.
    template <typename Fn> decltype(auto) withNet(Precision p, Fn&& fn);

    template <typename Scalar>
    std::optional<std::string> runBatch(TrainerNet<Scalar>& n, int batchIndex);
    void runAdamBatches(const std::atomic<bool>* stop, bool& interrupted);
    // Applies the listed changes due at the start of batch m_nextBatch.
    void applyDueChanges();
    void setKnob(Knob knob, double value);
    void finishAdamEpoch(const EpochCallback& onEpoch);
    void startEpoch();
    void startLbfgs();
    void runLbfgsIteration(const EpochCallback& onEpoch);
    void record(EpochMetrics m, const EpochCallback& onEpoch);
    void complete(std::string message);
    void diverge(const std::string& what, int batchIndex);

    TrainConfig m_config; // batch_size at most n_train (effectiveBatchSize())
    Target m_target;
    Dataset m_train, m_val, m_grid;
    Eigen::VectorXf m_initialParams;
    std::unique_ptr<TrainerNet<float>> m_net32;
    std::unique_ptr<TrainerNet<double>> m_net64;
    Precision m_active; // the precision of the network in use
    int m_fullBatchThreads;
    LearningRateSchedule m_schedule;
    // The loss weights in force; they start as the config's and follow its changes.
    double m_alpha = 1, m_beta = 1;
    std::vector<KnobChange> m_plannedChanges; // the config's own, for reset()
    std::size_t m_nextChange = 0;             // the first change of m_config not applied yet
    std::unique_ptr<TrainerLbfgs> m_lbfgs;    // from the first L-BFGS iteration on
    Rng m_shuffleRng;
    Rng m_initialShuffleRng;

    // State of the epoch in progress, kept across interruptions.
    std::vector<int> m_order;
    int m_nextBatch = 0;
    int m_batchesPerEpoch = 0;
    double m_sumLoss = 0, m_sumF = 0, m_sumFprime = 0;
    double m_epochRate = 0;
    bool m_epochOpen = false;

    // The epoch with the lowest validation loss, and the weights it ended with.
    struct Best {
        int epoch = 0;
        double valLoss = 0;
        Eigen::VectorXd params;
        Precision precision = Precision::Float32;
    } m_best;
    bool m_restored = false; // restore_best put the best weights back

    std::vector<EpochMetrics> m_history;
    double m_seconds = 0;
    StopReason m_stopReason = StopReason::None;
    std::string m_stopMessage;
};

} // namespace sobolev
