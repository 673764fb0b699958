// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/metrics.h"

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
// Whether `error` becomes the new maximum over `maxSoFar`: the first largest one, or the first
// NaN (which maxKeepingNan keeps from then on).
bool takesLead(double error, double maxSoFar) {
    return !std::isnan(maxSoFar) && (std::isnan(error) || error > maxSoFar);
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
    std::size_t withFprime = 0;       // rows with an f' target (measured data may lack it)
    double sumF2 = 0, sumFprime2 = 0; // ||f||^2, ||f'||^2 for the relative errors
    std::size_t argF = 0, argFprime = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double ef = std::abs(p.fHat[i] - p.f[i]);
        r.mseF += ef * ef;
        sumF2 += p.f[i] * p.f[i];
        if (takesLead(ef, r.maxErrF))
            argF = i;
        r.maxErrF = maxKeepingNan(r.maxErrF, ef);
        if (std::isnan(p.fprime[i]))
            continue;
        const double efp = std::abs(p.fprimeHat[i] - p.fprime[i]);
        r.mseFprime += efp * efp;
        sumFprime2 += p.fprime[i] * p.fprime[i];
        if (takesLead(efp, r.maxErrFprime))
            argFprime = i;
        r.maxErrFprime = maxKeepingNan(r.maxErrFprime, efp);
        ++withFprime;
    }
    if (n > 0) {
        // ||e||_2 / ||f||_2 = sqrt(sum e^2 / sum f^2); undefined (NaN) for f = 0 everywhere.
        r.relL2F = sumF2 > 0 ? std::sqrt(r.mseF / sumF2) : std::nan("");
        r.relL2Fprime = sumFprime2 > 0 ? std::sqrt(r.mseFprime / sumFprime2) : std::nan("");
        r.mseF /= double(n);
        r.xMaxErrF = p.x[argF];
    }
    if (withFprime > 0) {
        r.mseFprime /= double(withFprime);
        r.xMaxErrFprime = p.x[argFprime];
    } else if (n > 0) {
        // No f' to compare with: every f' error is unknown, not the 0 the sums above hold.
        const double unknown = std::nan("");
        r.mseFprime = r.maxErrFprime = r.relL2Fprime = r.xMaxErrFprime = unknown;
        r.hasFprime = false;
    }
    return r;
}

BestEpoch errorsOf(const FitReport& r) {
    BestEpoch b;
    b.mseF = r.mseF;
    b.mseFprime = r.mseFprime;
    b.maxErrF = r.maxErrF;
    b.maxErrFprime = r.maxErrFprime;
    b.relL2F = r.relL2F;
    b.relL2Fprime = r.relL2Fprime;
    b.xMaxErrF = r.xMaxErrF;
    b.xMaxErrFprime = r.xMaxErrFprime;
    b.hasFprime = r.hasFprime;
    return b;
}

} // namespace sobolev
