// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/snapshot.h"
#include "core/train/hooks.h"

#include <Eigen/Core>

#include <memory>
#include <vector>

namespace sobolev {

template <typename Scalar> class Mlp;

// Records the run as a SnapshotSeries (core/eval/snapshot.h) for the timeline and animations,
// at most config.snapshots times:
// - the initial network;
// - every batch of the first epoch (every k-th when that would take over half the budget);
// - log-spaced rows up to the last planned one, and an extra row whenever the lowest
//   validation loss so far fell by more than extraLossDecades (in log10) since the last
//   recorded row (a fifth of the budget is kept for these; a knob change starts afresh).
// Beyond the budget, always: a change of alpha, beta or the learning rate (scheduled, a
// hook's or live), the start of an L-BFGS phase, and the last row of a run that completes.
//
// In the loop it only copies the weights; series() evaluates them on the grid afterwards, so
// that recording costs training next to nothing. Like every hook it acts on what the context
// says only: a run paused and resumed anywhere records the same series to the bit. Its
// saveState() holds the snapshots so far (evaluated: 8 bytes a grid point each), so a
// restored run goes on recording the same series.
class SnapshotHook final : public TrainingHook {
  public:
    // `x` is where the network is evaluated: the test grid, or the measured rows sorted by x.
    SnapshotHook(const TrainConfig& config, const Eigen::RowVectorXf& x);
    ~SnapshotHook() override;

    static constexpr double extraLossDecades = 0.1;

    std::string_view name() const override { return "snapshots"; }
    HookResult atPhaseStart(HookContext& context) override;
    HookResult beforeBatch(HookContext& context) override;
    HookResult afterBatch(HookContext& context) override;
    HookResult afterEpoch(HookContext& context) override;
    void atCompletion(HookContext& context) override;
    void reset() override;
    StateRecord saveState() const override;
    void restoreState(const StateRecord& state) override;

    // Every snapshot recorded so far, evaluated.
    const SnapshotSeries& series() const;
    // The rows recorded on the log scale (1-based, ascending, the last planned row last), and
    // how many first-epoch batches are skipped between two recorded ones (1: none).
    const std::vector<int>& plannedRows() const { return m_rows; }
    int batchStride() const { return m_batchStride; }

  private:
    // A snapshot whose weights are not evaluated yet.
    struct Pending {
        Snapshot snapshot;
        Eigen::VectorXd weights;
        Precision precision = Precision::Float32;
    };
    void plan(const TrainConfig& config);
    // Adds a snapshot of the network now at `position`; one at the position of the last adds
    // nothing but the loss weights now in force (the network is the same).
    void record(HookContext& context, double position, int epoch, int batch);
    void record(const Pending& snapshot);
    void evaluatePending() const;
    template <typename Scalar> void evaluate(Mlp<Scalar>& net, Pending& p) const;

    int m_extraBudget = 0, m_batchStride = 1;
    std::vector<int> m_rows;
    int m_width, m_depth;
    Activation m_activation;
    Eigen::Index m_parameterCount;

    int m_extrasUsed = 0;
    double m_lastPosition = -1;
    // log10 of the lowest validation loss since the last change of a knob (NaN: none yet), and
    // its value at the last recorded row.
    double m_bestLogLoss = 0, m_lastLogLoss = 0;
    double m_alpha = 0, m_beta = 0, m_rate = 0; // the knobs the last batch ran with
    bool m_knobsSeen = false;
    // Whether a change of alpha or beta adds a snapshot: not under a balancing rule, which
    // moves them every few batches (up to every batch: a snapshot each would spend the
    // budget's memory many times over and most of the run's time).
    bool m_watchWeights = true;
    // The last row's network, for the snapshot at completion (a restore_best may have put
    // other weights back by then).
    Pending m_lastRow;

    mutable SnapshotSeries m_series;
    mutable std::vector<Pending> m_pending;
    mutable std::unique_ptr<Mlp<float>> m_net32;
    mutable std::unique_ptr<Mlp<double>> m_net64;
};

} // namespace sobolev
