// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/train/trainer.h"

#include <chrono>

namespace sobolev {

// When a training run saves its checkpoint, asked after each row (the trainer's onEpoch):
// once `intervalSeconds` have passed since the last save (or the start), and whenever a phase
// has just ended, but not after the last row, when the run's own files follow. Between rows,
// never between batches, so that saving stays off the training loop.
class CheckpointTimer {
  public:
    explicit CheckpointTimer(double intervalSeconds);

    // True when `trainer`, which has just recorded `row`, should be saved now; the interval
    // then starts again.
    bool due(const Trainer& trainer, const EpochMetrics& row);

  private:
    using Clock = std::chrono::steady_clock;
    double m_interval;
    Clock::time_point m_last;
};

} // namespace sobolev
