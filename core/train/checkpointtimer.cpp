// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/checkpointtimer.h"

namespace sobolev {

CheckpointTimer::CheckpointTimer(double intervalSeconds)
    : m_interval(intervalSeconds), m_last(Clock::now()) {}

bool CheckpointTimer::due(const Trainer& trainer, const EpochMetrics& row) {
    if (trainer.finished())
        return false;
    const auto now = Clock::now();
    const bool phaseEnded = trainer.phase() != row.phase;
    if (!phaseEnded && std::chrono::duration<double>(now - m_last).count() < m_interval)
        return false;
    m_last = now;
    return true;
}

} // namespace sobolev
