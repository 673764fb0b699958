// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics.h"

#include <algorithm>
#include <cmath>

namespace sobolev {

std::string_view stopReasonName(StopReason reason) {
    switch (reason) {
    case StopReason::None:
        return "none";
    case StopReason::Completed:
        return "completed";
    case StopReason::Stopped:
        return "stopped";
    case StopReason::Diverged:
        return "diverged";
    }
    return "none";
}

std::string_view phaseName(Phase phase) {
    return phase == Phase::Lbfgs ? "lbfgs" : "adam";
}

namespace {
// Like std::max, but a NaN on either side wins: a NaN error must show in the report.
double maxKeepingNan(double a, double b) {
    return (std::isnan(a) || std::isnan(b)) ? std::nan("") : std::max(a, b);
}
} // namespace

std::string_view metricsSetName(MetricsSet set) {
    switch (set) {
    case MetricsSet::TestGrid:
        return "test_grid";
    case MetricsSet::ValidationData:
        return "validation_data";
    case MetricsSet::TrainingData:
        return "training_data";
    }
    return "test_grid";
}

std::optional<MetricsSet> metricsSetFromName(std::string_view name) {
    for (MetricsSet s :
         {MetricsSet::TestGrid, MetricsSet::ValidationData, MetricsSet::TrainingData})
        if (metricsSetName(s) == name)
            return s;
    return std::nullopt;
}

FitReport compareOnGrid(const Predictions& p) {
    FitReport r;
    const std::size_t n = p.x.size();
    std::size_t withFprime = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double ef = std::abs(p.fHat[i] - p.f[i]);
        r.mseF += ef * ef;
        r.maxErrF = maxKeepingNan(r.maxErrF, ef);
        if (std::isnan(p.fprime[i]))
            continue;
        const double efp = std::abs(p.fprimeHat[i] - p.fprime[i]);
        r.mseFprime += efp * efp;
        r.maxErrFprime = maxKeepingNan(r.maxErrFprime, efp);
        ++withFprime;
    }
    if (n > 0)
        r.mseF /= double(n);
    if (withFprime > 0)
        r.mseFprime /= double(withFprime);
    return r;
}

} // namespace sobolev
