// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knobchange.h"
#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/optim/optimiser.h"
#include "core/optim/staterecord.h"
#include "core/train/hooks.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// Everything a Trainer needs to go on from a point between two train() calls as if it had
// never stopped (Trainer::checkpoint() and restore()): the run so far, the knobs in force,
// the shuffling stream's position, the phase, the network's weights, the optimiser's state,
// each hook's state, and the epoch in progress when it was interrupted half-way. It belongs
// to the config it was taken with; the first three fields let restore() refuse one that
// cannot be that config's.
struct TrainerCheckpoint {
    std::int64_t parameterCount = 0;
    int trainingRows = 0;
    int plannedRows = 0;

    std::vector<EpochMetrics> history;
    double seconds = 0;
    StopReason stopReason = StopReason::None;
    std::string stopMessage;
    std::vector<KnobChange> changes; // the config's, live changes included
    std::vector<HookAction> hookActions;
    bool restored = false; // restore_best put the best weights back

    double alpha = 1, beta = 1;
    StateRecord schedule;
    std::string shuffleRng; // Rng::state()

    int phaseIndex = 0;
    bool phaseStarted = false;
    std::vector<int> phaseRows;
    std::vector<std::string> phaseNames;
    StepOutcome phaseEndOutcome = StepOutcome::Continue; // a step that ended the phase early
    std::string phaseEndWhy;

    Precision precision = Precision::Float32; // of the network in use
    Eigen::VectorXd weights;                  // exact, also for a float network
    StateRecord optimiser;                    // the phase's, once it started
    std::vector<StateRecord> hooks;           // one per hook, in the trainer's order

    bool epochOpen = false; // an Adam epoch interrupted between two batches
    std::vector<int> order; // its shuffled rows
    int nextBatch = 0;
    double sumLoss = 0, sumF = 0, sumFprime = 0, epochRate = 0;
};

// The checkpoint as bytes: a magic line, a version, then every field in order, numbers as
// little-endian IEEE doubles and integers, so that every double comes back to the bit.
std::string checkpointBytes(const TrainerCheckpoint& checkpoint);
// Reads bytes written by checkpointBytes(). Throws std::runtime_error saying what is wrong
// when they are not a checkpoint of this version, are cut short or hold impossible values;
// every length is checked against the bytes left before anything is allocated.
TrainerCheckpoint checkpointFromBytes(std::string_view bytes);

} // namespace sobolev
