// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/hooksite.h"

#include <limits>
#include <stdexcept>

namespace sobolev {

Trainer::HookSite::HookSite(Trainer& trainer, int batch, const BatchLoss* batchLoss,
                            const EpochMetrics* row)
    : m_t(trainer), m_batch(batch), m_batchLoss(batchLoss), m_row(row) {}

Phase Trainer::HookSite::phase() const {
    return m_t.currentPhase().optimiser;
}

int Trainer::HookSite::epoch() const {
    return m_row || m_t.finished() ? m_t.epochsDone() : m_t.epochsDone() + 1;
}

int Trainer::HookSite::batchesPerEpoch() const {
    return m_t.m_batchesPerEpoch;
}

const BatchLoss& Trainer::HookSite::batchLoss() const {
    if (!m_batchLoss)
        throw std::logic_error("batchLoss() is for afterBatch hooks");
    return *m_batchLoss;
}

const EpochMetrics& Trainer::HookSite::row() const {
    if (!m_row)
        throw std::logic_error("row() is for afterEpoch hooks");
    return *m_row;
}

void Trainer::HookSite::requestTermGradients() {
    if (m_batchLoss || m_row || m_batch == 0)
        throw std::logic_error("term gradients are asked for in beforeBatch hooks");
    m_t.m_termGradientsWanted = true;
}

const TermGradients& Trainer::HookSite::termGradients() const {
    if (!gradients)
        throw std::logic_error("termGradients() is for atTermGradients hooks");
    return *gradients;
}

void Trainer::HookSite::setLossWeights(double alpha, double beta) {
    m_t.checkKnobChange(Knob::Alpha, alpha);
    m_t.checkKnobChange(Knob::Beta, beta);
    if (alpha == 0 && beta == 0)
        throw std::invalid_argument("alpha and beta cannot both be 0");
    m_t.setKnob(Knob::Alpha, alpha);
    m_t.setKnob(Knob::Beta, beta);
}

void Trainer::HookSite::recordEvent(HookAction::Kind kind, Knob knob, double from, double to) {
    note(kind, knob, from, to);
}

double Trainer::HookSite::knob(Knob knob) const {
    return m_t.knobValue(knob);
}

void Trainer::HookSite::setKnob(Knob knob, double value) {
    m_t.checkKnobChange(knob, value);
    note(HookAction::Kind::SetKnob, knob, m_t.knobValue(knob), value);
    m_t.setKnob(knob, value);
}

double Trainer::HookSite::learningRate() const {
    if (m_t.currentPhase().batching != Batching::MiniBatch)
        return std::numeric_limits<double>::quiet_NaN();
    return m_t.m_epochOpen ? m_t.m_epochRate
                           : m_t.m_schedule.rate(m_t.m_phaseRows[m_t.m_phaseIndex]);
}

void Trainer::HookSite::setLearningRate(double rate) {
    if (m_t.m_config.schedule != Schedule::Plateau)
        throw std::logic_error("a hook sets the rate itself only with schedule=plateau");
    note(HookAction::Kind::SetLearningRate, Knob::LearningRate, learningRate(), rate);
    m_t.m_schedule.setCurrent(rate);
    if (m_t.m_epochOpen)
        m_t.m_epochRate = rate;
}

Eigen::VectorXd Trainer::HookSite::parameters() const {
    return m_t.parameters();
}

Precision Trainer::HookSite::precision() const {
    return m_t.m_active;
}

void Trainer::HookSite::restoreWeights(const Eigen::VectorXd& weights, Precision p, int fromEpoch,
                                       const std::string& text) {
    if (m_t.m_stopReason != StopReason::Completed)
        throw std::logic_error("weights are restored at completion only");
    note(HookAction::Kind::RestoreWeights, Knob::Alpha, epoch(), fromEpoch);
    m_t.m_active = p;
    m_t.setWeights(p, weights);
    m_t.m_restored = true;
    m_t.m_stopMessage += "; " + text;
}

void Trainer::HookSite::note(HookAction::Kind kind, Knob knob, double from, double to) {
    m_t.m_hookActions.push_back(
        {epoch(), m_batch, std::string(hook ? hook->name() : ""), kind, knob, from, to});
}

} // namespace sobolev
