// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossweights.h"

#include "textformat.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace sobolev {

double weightRatio(const EpochMetrics& row) {
    return row.alpha != 0 ? row.beta / row.alpha : std::nan("");
}

bool weightsVary(const TrainConfig& config) {
    if (config.balance != Balance::Off)
        return true;
    return std::any_of(config.changes.cbegin(), config.changes.cend(), [](const KnobChange& c) {
        return c.knob == Knob::Alpha || c.knob == Knob::Beta;
    });
}

bool weightsVary(const std::vector<EpochMetrics>& history) {
    const EpochMetrics* first = nullptr;
    for (const EpochMetrics& row : history) {
        if (std::isnan(row.alpha) || std::isnan(row.beta))
            continue;
        if (!first)
            first = &row;
        else if (row.alpha != first->alpha || row.beta != first->beta)
            return true;
    }
    return false;
}

std::optional<LossWeights> finalWeights(const std::vector<EpochMetrics>& history) {
    const auto last = std::find_if(history.crbegin(), history.crend(), [](const EpochMetrics& m) {
        return !std::isnan(m.alpha) && !std::isnan(m.beta);
    });
    if (last == history.crend())
        return std::nullopt;
    return LossWeights{last->alpha, last->beta};
}

QString finalWeightsLabel(const TrainConfig& config, const std::vector<EpochMetrics>& history) {
    const std::optional<LossWeights> last = finalWeights(history);
    if (!last || last->alpha == 0 || !(weightsVary(config) || weightsVary(history)))
        return {};
    // Two digits: a name tells runs apart, the history keeps the exact value.
    const double ratio = QString::number(last->beta / last->alpha, 'g', 2).toDouble();
    return QCoreApplication::translate("sobolev::LossWeights", "β/α→%1").arg(compactNumber(ratio));
}

} // namespace sobolev
