// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"

#include <QString>

#include <optional>
#include <vector>

// The loss weights a run trained with, as its history recorded them (EpochMetrics::alpha,
// ::beta): what the λ(t) chart draws, and what run names, comparisons, reports and sweeps say
// about a run whose weights moved.
namespace sobolev {

// β/α in force at `row`, the balance of the two terms: NaN for rows written before the weights
// were recorded, and when α is 0.
double weightRatio(const EpochMetrics& row);

// Whether the run's weights change while it trains: a balancing rule, or changes of α or β
// (planned or made live).
bool weightsVary(const TrainConfig& config);
// Whether the recorded weights of `history` differ between rows.
bool weightsVary(const std::vector<EpochMetrics>& history);

struct LossWeights {
    double alpha = 0, beta = 0;
};
// The weights in force at the last row that recorded them; none for an older history.
std::optional<LossWeights> finalWeights(const std::vector<EpochMetrics>& history);

// "β/α→3.2" when the weights of the run varied (its config or its history says so), else
// empty: a constant weighting is named by its α and β already.
QString finalWeightsLabel(const TrainConfig& config, const std::vector<EpochMetrics>& history);

} // namespace sobolev
