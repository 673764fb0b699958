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

FitReport compareOnGrid(const Predictions& p) {
    FitReport r;
    const std::size_t n = p.x.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double ef = std::abs(p.fHat[i] - p.f[i]);
        const double efp = std::abs(p.fprimeHat[i] - p.fprime[i]);
        r.mseF += ef * ef;
        r.mseFprime += efp * efp;
        r.maxErrF = maxKeepingNan(r.maxErrF, ef);
        r.maxErrFprime = maxKeepingNan(r.maxErrFprime, efp);
    }
    if (n > 0) {
        r.mseF /= double(n);
        r.mseFprime /= double(n);
    }
    return r;
}

} // namespace sobolev
