// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossweights.h"
#include "shownepoch.h"

#include "core/eval/metrics.h"
#include "core/experiment/sweep.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace sobolev {

// One finished run of a sweep, as the sweep's table and charts need it.
struct SweepRunView {
    QString id;                     // identifies the run to the caller; emitted on click
    std::vector<double> knobValues; // one per knob of the sweep
    std::uint64_t seed = 0;
    FitReport report;
    // The loss weights at the run's last row (none for a history saved without them).
    std::optional<LossWeights> finalWeights;
};

struct SweepView {
    std::vector<Knob> knobs;              // 0, 1 or 2 knobs (0 = a seed ensemble only)
    QList<SweepRunView> runs;             // may grow while the sweep runs: setSweep is called again
    ShownEpoch shown = ShownEpoch::Final; // whose errors the runs' reports hold (errorsAt)
};

} // namespace sobolev
