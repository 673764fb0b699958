// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sobolev {

LearningRateSchedule::LearningRateSchedule(const TrainConfig& c)
    : m_kind(c.schedule), m_initialBase(c.learningRate), m_fraction(c.lrFloor),
      m_base(c.learningRate), m_floor(c.learningRate * c.lrFloor), m_factor(c.decayFactor),
      m_epochs(c.epochs), m_stepEpochs(c.stepEpochs), m_patience(c.patience) {
    reset();
}

void LearningRateSchedule::reset() {
    m_base = m_initialBase;
    m_floor = m_base * m_fraction;
    m_current = m_base;
    m_best = 0;
    m_sinceBest = 0;
    m_seen = false;
}

double LearningRateSchedule::rate(int e) const {
    switch (m_kind) {
    case Schedule::Constant:
        return m_base;
    case Schedule::Cosine:
        return m_floor + (m_base - m_floor) * 0.5 * (1 + std::cos(std::numbers::pi * e / m_epochs));
    case Schedule::Exponential:
        return m_epochs > 1 ? m_base * std::pow(m_floor / m_base, double(e) / (m_epochs - 1))
                            : m_base;
    case Schedule::Step:
        return std::max(m_floor, m_base * std::pow(m_factor, e / m_stepEpochs));
    case Schedule::Plateau:
        return m_current;
    }
    return m_base;
}

void LearningRateSchedule::setBase(double base) {
    m_current *= base / m_base; // plateau: the decays so far carry over
    m_base = base;
    m_floor = base * m_fraction;
}

void LearningRateSchedule::observe(double loss) {
    if (m_kind != Schedule::Plateau)
        return;
    if (!m_seen || loss < m_best * (1 - 1e-4)) {
        m_best = loss;
        m_seen = true;
        m_sinceBest = 0;
        return;
    }
    if (++m_sinceBest >= m_patience) {
        m_current = std::max(m_floor, m_current * m_factor);
        m_sinceBest = 0;
    }
}

} // namespace sobolev
