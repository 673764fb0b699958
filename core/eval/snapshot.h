// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"

#include <vector>

namespace sobolev {

// One recorded moment of a run: the network's f̂ and f̂′ on the series' x, and the loss weights
// in force then. The values are stored as floats whatever the run's precision: they are drawn,
// and a float keeps seven digits of a curve that spans a few units.
struct Snapshot {
    // Where in the run, on the loss chart's axis: 0 is the initial network; Adam batch b of
    // epoch e (1-based, of B batches) is at e - 1 + b / B, so the end of epoch e is at e; the
    // L-BFGS iteration recorded as row r is at r.
    double position = 0;
    int epoch = 0; // the 1-based row in progress or just recorded; 0 before training
    int batch = 0; // the batch just run in that epoch; 0 at a row's end or before training
    Phase phase = Phase::Adam;
    double alpha = 1, beta = 1;         // the loss weights in force for the next step
    std::vector<float> fHat, fprimeHat; // on SnapshotSeries::x, one value per point
};

// The snapshots of one run, in training order (positions strictly increasing). x is the test
// grid, or with measured data the rows sorted by x: the points of Predictions::x, where the
// truth f and f′ is known.
struct SnapshotSeries {
    std::vector<double> x;
    std::vector<Snapshot> snapshots;
    bool empty() const { return snapshots.empty(); }
};

} // namespace sobolev
