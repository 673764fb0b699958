// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/bestweightshook.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace sobolev {

BestWeightsHook::BestWeightsHook(bool restoreBest) : m_restoreBest(restoreBest) {}

HookResult BestWeightsHook::afterEpoch(HookContext& context) {
    const double loss = context.row().valLoss;
    if (std::isfinite(loss) && (m_epoch == 0 || loss < m_valLoss)) {
        m_epoch = context.epoch();
        m_valLoss = loss;
        m_weights = context.parameters();
        m_precision = context.precision();
    }
    return HookResult::Continue;
}

void BestWeightsHook::atCompletion(HookContext& context) {
    if (m_restoreBest && m_epoch > 0 && m_epoch != context.epoch())
        context.restoreWeights(m_weights, m_precision, m_epoch,
                               "restored the weights of epoch " + std::to_string(m_epoch) +
                                   " (lowest validation loss)");
}

void BestWeightsHook::reset() {
    m_epoch = 0;
    m_valLoss = 0;
    m_weights.resize(0);
    m_precision = Precision::Float32;
}

StateRecord BestWeightsHook::saveState() const {
    return {{double(m_epoch), m_valLoss, double(m_precision)}, {m_weights}};
}

void BestWeightsHook::restoreState(const StateRecord& s) {
    if (s.numbers.size() != 3 || s.vectors.size() != 1 ||
        !(s.numbers[0] >= 0 && s.numbers[0] < 1e9) ||
        (s.numbers[2] != double(Precision::Float32) && s.numbers[2] != double(Precision::Float64)))
        throw std::invalid_argument("the saved best-weights state is not one");
    m_epoch = int(s.numbers[0]);
    m_valLoss = s.numbers[1];
    m_precision = Precision(int(s.numbers[2]));
    m_weights = s.vectors[0];
}

} // namespace sobolev
