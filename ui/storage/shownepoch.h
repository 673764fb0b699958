// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"

#include <QString>

namespace sobolev {

// Which errors a view shows for each run: those of the network the run ended with, or those
// of its epoch with the lowest validation loss (FitReport::best). With a constant learning
// rate the two can differ by a decade, and only the second is comparable across seeds.
enum class ShownEpoch { Final, Best };

// `report` with its errors (MSE, max and where, relative L2) replaced by the best epoch's when
// `which` is Best and the run knows its best epoch (runs saved before version 0.4 do not; they keep
// their final errors).
FitReport errorsAt(const FitReport& report, ShownEpoch which);

// What a column or title adds to say which errors it shows: "" or " (best epoch)".
QString shownEpochSuffix(ShownEpoch which);

} // namespace sobolev
