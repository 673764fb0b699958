// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knobregistry.h"
#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"
#include "core/train/checkpoint.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// A sweep varies the knobs the registry marks sweepable (core/config/knobregistry.h): its
// names, values and texts come from there. A Choice knob's values are the indices of its
// names: schedule=constant,cosine is the values 0 and 1.
// A sweepable knob by its key or alias ("lr"); nullopt for any other name.
std::optional<Knob> sweepKnobFromName(std::string_view name);

struct SweepAxis {
    Knob knob;
    std::vector<double> values;
};

// "beta=0,0.1,1,10" or a log grid "beta=log:1e-3:1e3:7" (7 values from 1e-3 to 1e3).
// On failure returns nullopt and says in `error` what is wrong and what is allowed.
std::optional<SweepAxis> parseSweepAxis(std::string_view text, std::string* error);
// "1,2,3" or ranges "1-5", mixed: "1-3,7".
std::optional<std::vector<std::uint64_t>> parseSeedList(std::string_view text, std::string* error);

// One run of a sweep: the config, and the knob values and seed that made it.
struct SweepPoint {
    TrainConfig config;
    std::vector<double> knobValues; // one per axis
    std::uint64_t seed = 0;
};

// Every combination, first axis outermost, seeds innermost.
std::vector<SweepPoint> expandSweep(const TrainConfig& base, const std::vector<SweepAxis>& axes,
                                    const std::vector<std::uint64_t>& seeds);

// 0-2 axes on distinct knobs (none: a seed ensemble of the base config), at least one value and one
// seed, at most maxSweepRuns runs, and every expanded config valid (the first few failing points
// are named).
inline constexpr std::size_t maxSweepRuns = 10'000;
// Checking a target at a million points takes ~0.3 s and each seed draws its own points, so the
// window runs this on a worker thread: a raised `cancel` makes it return early, with a result
// that means nothing.
std::vector<ConfigProblem> validateSweep(const TrainConfig& base,
                                         const std::vector<SweepAxis>& axes,
                                         const std::vector<std::uint64_t>& seeds,
                                         const std::atomic<bool>* cancel = nullptr);

struct SweepResult {
    FitReport report;
    std::vector<EpochMetrics> history;
    Predictions predictions;
    SnapshotSeries snapshots; // what the run recorded while it trained
};

// How a sweep's runs outlive the process (a shard preempted and started again): each run
// starts from the checkpoint `resume` returns for it (nullopt: from the start), and `save`
// gets its checkpoint as CheckpointTimer(intervalSeconds) says, and when a cancel stops it.
// Both are called from the worker threads, for distinct runs at once.
struct SweepCheckpoints {
    std::function<std::optional<TrainerCheckpoint>(std::size_t index)> resume;
    std::function<void(std::size_t index, const TrainerCheckpoint& checkpoint)> save;
    double intervalSeconds = 5;
};

// Trains sweep points on a pool of threads, each run single-threaded and bit-identical to
// the same config trained alone.
class SweepRunner {
  public:
    // Called from the worker threads as each run ends; the caller synchronises.
    using ResultCallback = std::function<void(std::size_t index, const SweepResult& result)>;

    SweepRunner(std::vector<SweepPoint> points, int threads);

    // Blocks until every run has ended or the sweep was cancelled; returns the number of runs
    // that ended (completed, diverged, or stopped by the cancel).
    std::size_t run(const ResultCallback& onResult);
    // Runs in progress stop between batches and are reported as stopped (with checkpoints:
    // saved, and not reported); the rest are skipped.
    void cancel() { m_cancel = true; }
    // Before run(): checkpoints for the runs. A checkpoint that does not fit its run (another
    // config) is ignored: that run starts from the start.
    void setCheckpoints(SweepCheckpoints checkpoints) { m_checkpoints = std::move(checkpoints); }
    bool cancelled() const { return m_cancel; }

    std::size_t total() const { return m_points.size(); }
    std::size_t finished() const { return m_finished; }
    const std::vector<SweepPoint>& points() const { return m_points; }

  private:
    // Trains point `i`; false when a cancel stopped it and its checkpoint was saved.
    bool train(std::size_t i, SweepResult& result);

    std::vector<SweepPoint> m_points;
    int m_threads;
    SweepCheckpoints m_checkpoints;
    std::atomic<bool> m_cancel{false};
    std::atomic<std::size_t> m_next{0}, m_finished{0};
};

} // namespace sobolev
