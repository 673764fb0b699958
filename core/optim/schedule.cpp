// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sobolev {

LearningRateSchedule::LearningRateSchedule(const TrainConfig& c)
    : m_kind(c.schedule), m_initialBase(c.learningRate), m_fraction(c.lrFloor),
      m_base(c.learningRate), m_floor(c.learningRate * c.lrFloor), m_factor(c.decayFactor),
      m_epochs(c.epochs), m_stepEpochs(c.stepEpochs) {
    reset();
}

void LearningRateSchedule::reset() {
    m_base = m_initialBase;
    m_floor = m_base * m_fraction;
    m_current = m_base;
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

void LearningRateSchedule::setCurrent(double rate) {
    m_current = rate;
}

StateRecord LearningRateSchedule::state() const {
    return {{m_base, m_current}, {}};
}

void LearningRateSchedule::restore(const StateRecord& s) {
    if (s.numbers.size() != 2 || !s.vectors.empty() || !(s.numbers[0] > 0))
        throw std::invalid_argument("the saved learning-rate schedule is not one");
    m_base = s.numbers[0];
    m_floor = m_base * m_fraction; // as setBase() makes it
    m_current = s.numbers[1];
}

} // namespace sobolev
