// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"

#include <cstddef>
#include <span>
#include <vector>

namespace sobolev {

// How one quantity spreads over the runs of a seed ensemble. `std` is the sample standard
// deviation (n - 1 in the denominator), 0 for a single value. `median` is the middle value
// (the mean of the two middle ones for an even count): with errors that span decades, one
// bad seed drags the mean and std far from every other run, and the median with min and max
// does not mislead so. Non-finite values (a diverged run) are left out of every statistic
// and counted in `nonFinite`; with no finite value the statistics are NaN.
struct Spread {
    double mean = 0, std = 0, min = 0, max = 0, median = 0;
    std::size_t count = 0;     // finite values used
    std::size_t nonFinite = 0; // values left out
};

Spread spreadOf(std::span<const double> values);

// Curves of the same quantity from several runs, point by point: at index i, the spread of
// curves[k][i] over every curve long enough to have it. A run that stopped early simply
// stops contributing, so the band narrows to the runs that went on.
struct Band {
    std::vector<double> mean, std, min, max, median;
    std::vector<std::size_t> count;
    std::size_t size() const { return mean.size(); }
};

Band bandOf(const std::vector<std::vector<double>>& curves);

// One field of every epoch of a history, e.g. historyColumn(h, &EpochMetrics::valLoss).
std::vector<double> historyColumn(const std::vector<EpochMetrics>& history,
                                  double EpochMetrics::*field);

// The test-grid metrics of several runs of one config, each as its spread over the runs.
struct EnsembleSummary {
    Spread mseF, mseFprime, maxErrF, maxErrFprime, epochsRun, trainSeconds;
    Spread h1, relL2F, relL2Fprime; // FitReport::h1(), relL2F, relL2Fprime
    std::size_t runs = 0, diverged = 0;
};

EnsembleSummary summarize(const std::vector<FitReport>& reports);

// The runs not dominated in both errors: no other run has a <= and b <= with one of them
// strictly smaller. Returned as indices sorted by a ascending (then b), so that joining
// them draws the trade-off front. Points with a non-finite coordinate never belong to it.
std::vector<std::size_t> nonDominated(std::span<const double> a, std::span<const double> b);

} // namespace sobolev
