// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// Which optimiser produced a history row.
enum class Phase { Adam, Lbfgs };
std::string_view phaseName(Phase phase); // "adam", "lbfgs"

// Metrics of one finished epoch, or of one L-BFGS iteration. Adam's train values are averaged
// over the epoch's batches (as Keras reports them); an L-BFGS row's are those of the whole
// training set at the accepted point. Validation values are computed on the whole validation
// set after the epoch or iteration. `seconds` is the training time since the start of the
// run; `learningRate` is Adam's rate in force (NaN for L-BFGS rows). mseFprime (valMseFprime)
// is NaN, "not available", when no row of the training (validation) set has f' (measured data
// without f'); the loss's beta term is 0 then.
struct EpochMetrics {
    int epoch = 0; // 1-based row number, continued through the L-BFGS iterations
    double loss = 0, mseF = 0, mseFprime = 0;
    double valLoss = 0, valMseF = 0, valMseFprime = 0;
    double seconds = 0;
    double learningRate = 0;
    Phase phase = Phase::Adam;
    // The loss weights in force when the row was recorded (a live change, a schedule or a
    // balancing rule moves them); NaN in rows saved before they were kept.
    double alpha = std::nan(""), beta = std::nan("");
};

enum class StopReason { None, Completed, Stopped, Diverged };

std::string_view stopReasonName(StopReason reason); // "completed", "stopped", ...

// The model evaluated on a uniform test grid, or with measured data at the data's rows, where
// the truth is known. The rows are too sparse to draw a curve through, so measured data's
// predictions also hold the network on a dense grid (curveX, curveFHat, curveFprimeHat;
// empty for a target, whose test grid is the dense grid).
struct Predictions {
    std::vector<double> x, f, fHat, fprime, fprimeHat;
    std::vector<double> curveX, curveFHat, curveFprimeHat;
};

// What a run achieved: test-grid errors and how the run ended. The errors are those of the
// network at the end of the run; `best` holds those of the epoch with the lowest validation
// loss (which are the same when that epoch is the last, or restore_best put it back).
//
// Beyond the MSE and the max |error| (README "The run folder" defines each):
//  - relL2F = ||f_hat - f||_2 / ||f||_2 over the grid points (NaN when f is 0 everywhere), and
//    relL2Fprime the same for f';
//  - h1() = sqrt(MSE f + MSE f'), the discrete H^1 (Sobolev) error on the grid;
//  - xMaxErrF, xMaxErrFprime: the grid x where |error| is largest (the first such x; NaN when
//    unknown, e.g. a run saved before these measures existed).
//
// hasFprime is false when no point of the set had an f' target (measured data without f'):
// then every f' error, and h1(), is NaN meaning "not available" (shown as "—", written as
// null), never a diverged network's NaN nor a 0 that would look like a perfect fit.
struct BestEpoch {
    int epoch = 0; // 0: no epoch has finished
    double valLoss = 0;
    double mseF = 0, mseFprime = 0, maxErrF = 0, maxErrFprime = 0;
    double relL2F = std::nan(""), relL2Fprime = std::nan("");
    double xMaxErrF = std::nan(""), xMaxErrFprime = std::nan("");
    bool hasFprime = true;
    double h1() const { return std::sqrt(mseF + mseFprime); }
};

// Where a report's errors were measured: the known target's test grid, or, with measured data,
// the validation rows (or the training rows when there is no validation split).
enum class MetricsSet { TestGrid, ValidationData, TrainingData };
std::string_view metricsSetName(MetricsSet set); // "test_grid", "validation_data", ...
std::optional<MetricsSet> metricsSetFromName(std::string_view name);

struct FitReport {
    MetricsSet metricsOn = MetricsSet::TestGrid;
    double mseF = 0, mseFprime = 0, maxErrF = 0, maxErrFprime = 0;
    double relL2F = std::nan(""), relL2Fprime = std::nan("");
    double xMaxErrF = std::nan(""), xMaxErrFprime = std::nan("");
    bool hasFprime = true; // as BestEpoch::hasFprime
    double h1() const { return std::sqrt(mseF + mseFprime); }
    BestEpoch best;
    int epochsRun = 0;
    double trainSeconds = 0;
    Precision precision = Precision::Float32; // of the network the errors are of
    StopReason stopReason = StopReason::None;
    std::string stopMessage; // human-readable, with a hint when the run diverged
};

// The errors of f and f' from a set of predictions (MSE, max |error| and where, relative L2);
// fills the error fields only. A NaN f' target (a measured row without f') is left out of
// the f' errors; when every f' target is NaN they are not available (hasFprime false).
FitReport compareOnGrid(const Predictions& p);
// The errors of `r` as a BestEpoch's (epoch and validation loss left 0).
BestEpoch errorsOf(const FitReport& r);

} // namespace sobolev
