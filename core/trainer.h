// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "adam.h"
#include "dataset.h"
#include "metrics.h"
#include "mlp.h"
#include "random.h"
#include "target.h"
#include "trainconfig.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sobolev {

// Trains an Mlp<float> on the Sobolev loss with Adam and shuffled mini-batches.
//
// Training can be interrupted between batches (the `stop` flag) and continued later from
// exactly where it left off, so pausing does not change the result: the same config gives a
// bit-identical history however often the run was paused.
class Trainer {
  public:
    using EpochCallback = std::function<void(const EpochMetrics&)>;

    // Throws std::invalid_argument naming the problems if `config` is not valid().
    explicit Trainer(const TrainConfig& config);

    const TrainConfig& config() const { return m_config; }

    // Trains at most `maxEpochs` more epochs (an interrupted epoch counts as the first one),
    // until the configured number is reached, `stop` becomes true, or the loss diverges.
    // Calls `onEpoch` after every finished epoch, on the calling thread.
    // Returns Completed or Diverged when the run is over, None when it can continue.
    StopReason train(int maxEpochs, const std::atomic<bool>* stop = nullptr,
                     const EpochCallback& onEpoch = {});
    // Train until completed, diverged or stopped.
    StopReason trainAll(const std::atomic<bool>* stop = nullptr, const EpochCallback& onEpoch = {});

    // Ends the run as stopped by the user; train() then does nothing.
    void markStopped();
    // Back to the initial weights and optimiser state; the history is cleared.
    void reset();

    bool finished() const { return m_stopReason != StopReason::None; }
    StopReason stopReason() const { return m_stopReason; }
    const std::string& stopMessage() const { return m_stopMessage; }
    int epochsDone() const { return int(m_history.size()); }
    double trainSeconds() const { return m_seconds; }
    const std::vector<EpochMetrics>& history() const { return m_history; }
    const Dataset& trainingData() const { return m_train; }
    const Target& target() const { return m_target; }
    const Mlp<float>& model() const { return m_mlp; }

    // The model on the config's uniform test grid.
    Predictions predictions();
    // Test-grid errors plus how the run ended.
    FitReport report();

  private:
    // What went wrong when the loss or gradient is not finite; the step is then not applied.
    std::optional<std::string> runBatch(int batchIndex);
    void finishEpoch(const EpochCallback& onEpoch);
    void startEpoch();
    void diverge(const std::string& what, int batchIndex);

    TrainConfig m_config; // batch_size at most n_train (effectiveBatchSize())
    Target m_target;
    Dataset m_train, m_val, m_grid;
    Mlp<float> m_mlp;
    Eigen::VectorXf m_initialParams;
    Adam m_adam;
    Rng m_shuffleRng;
    Rng m_initialShuffleRng;

    // State of the epoch in progress, kept across interruptions.
    std::vector<int> m_order;
    int m_nextBatch = 0;
    int m_batchesPerEpoch = 0;
    double m_sumLoss = 0, m_sumF = 0, m_sumFprime = 0;
    bool m_epochOpen = false;

    // Reused buffers.
    Eigen::RowVectorXf m_bx, m_bf, m_bfp;
    Eigen::VectorXf m_grad;
    Eigen::RowVectorXf m_y, m_dy;

    std::vector<EpochMetrics> m_history;
    double m_seconds = 0;
    StopReason m_stopReason = StopReason::None;
    std::string m_stopMessage;
};

} // namespace sobolev
