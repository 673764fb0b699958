// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// Metrics of one finished epoch. Train values are averaged over the epoch's batches (as
// Keras reports them); validation values are computed on the whole validation set after
// the epoch. `seconds` is the training time since the start of the run.
struct EpochMetrics {
    int epoch = 0; // 1-based
    double loss = 0, mseF = 0, mseFprime = 0;
    double valLoss = 0, valMseF = 0, valMseFprime = 0;
    double seconds = 0;
};

enum class StopReason { None, Completed, Stopped, Diverged };

std::string_view stopReasonName(StopReason reason); // "completed", "stopped", ...

// The model evaluated on a uniform test grid.
struct Predictions {
    std::vector<double> x, f, fHat, fprime, fprimeHat;
};

// What a run achieved: test-grid errors and how the run ended.
struct FitReport {
    double mseF = 0, mseFprime = 0, maxErrF = 0, maxErrFprime = 0;
    int epochsRun = 0;
    double trainSeconds = 0;
    StopReason stopReason = StopReason::None;
    std::string stopMessage; // human-readable, with a hint when the run diverged
};

// MSE and max |error| of f and f' from a set of predictions; fills the error fields only.
FitReport compareOnGrid(const Predictions& p);

} // namespace sobolev
