// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sobolev {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The middle of `values` (the mean of the two middle ones for an even count); NaN for none.
double medianOf(std::vector<double> values) {
    if (values.empty())
        return nan;
    const auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    if (values.size() % 2 == 1)
        return *middle;
    // The lower middle one is the largest of the values before `middle`.
    const double lower = *std::max_element(values.begin(), middle);
    return lower + (*middle - lower) / 2; // no overflow near the largest doubles
}

// Welford's update, so that a thousand runs of nearly equal losses keep their digits.
struct Accumulator {
    double mean = 0, m2 = 0, min = nan, max = nan;
    std::size_t count = 0, nonFinite = 0;
    std::vector<double> finite; // for the median

    void add(double v) {
        if (!std::isfinite(v)) {
            ++nonFinite;
            return;
        }
        ++count;
        finite.push_back(v);
        const double delta = v - mean;
        mean += delta / double(count);
        m2 += delta * (v - mean);
        min = count == 1 ? v : std::min(min, v);
        max = count == 1 ? v : std::max(max, v);
    }

    Spread spread() const {
        if (count == 0)
            return {nan, nan, nan, nan, nan, 0, nonFinite};
        const double variance = count > 1 ? m2 / double(count - 1) : 0.0;
        return {mean, std::sqrt(variance), min, max, medianOf(finite), count, nonFinite};
    }
};

} // namespace

Spread spreadOf(std::span<const double> values) {
    Accumulator acc;
    for (double v : values)
        acc.add(v);
    return acc.spread();
}

Band bandOf(const std::vector<std::vector<double>>& curves) {
    std::size_t length = 0;
    for (const auto& c : curves)
        length = std::max(length, c.size());
    Band band;
    band.mean.resize(length);
    band.std.resize(length);
    band.min.resize(length);
    band.max.resize(length);
    band.median.resize(length);
    band.count.resize(length);
    for (std::size_t i = 0; i < length; ++i) {
        Accumulator acc;
        for (const auto& c : curves)
            if (i < c.size())
                acc.add(c[i]);
        const Spread s = acc.spread();
        band.mean[i] = s.mean;
        band.std[i] = s.std;
        band.min[i] = s.min;
        band.max[i] = s.max;
        band.median[i] = s.median;
        band.count[i] = s.count;
    }
    return band;
}

std::vector<double> historyColumn(const std::vector<EpochMetrics>& history,
                                  double EpochMetrics::*field) {
    std::vector<double> column;
    column.reserve(history.size());
    for (const auto& m : history)
        column.push_back(m.*field);
    return column;
}

EnsembleSummary summarize(const std::vector<FitReport>& reports) {
    Accumulator mseF, mseFprime, maxErrF, maxErrFprime, epochs, seconds, h1, relL2F, relL2Fprime;
    EnsembleSummary summary;
    for (const auto& r : reports) {
        mseF.add(r.mseF);
        mseFprime.add(r.mseFprime);
        maxErrF.add(r.maxErrF);
        maxErrFprime.add(r.maxErrFprime);
        epochs.add(r.epochsRun);
        seconds.add(r.trainSeconds);
        h1.add(r.h1());
        relL2F.add(r.relL2F);
        relL2Fprime.add(r.relL2Fprime);
        if (r.stopReason == StopReason::Diverged)
            ++summary.diverged;
    }
    summary.mseF = mseF.spread();
    summary.mseFprime = mseFprime.spread();
    summary.maxErrF = maxErrF.spread();
    summary.maxErrFprime = maxErrFprime.spread();
    summary.epochsRun = epochs.spread();
    summary.trainSeconds = seconds.spread();
    summary.h1 = h1.spread();
    summary.relL2F = relL2F.spread();
    summary.relL2Fprime = relL2Fprime.spread();
    summary.runs = reports.size();
    return summary;
}

std::vector<std::size_t> nonDominated(std::span<const double> a, std::span<const double> b) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (std::isfinite(a[i]) && std::isfinite(b[i]))
            order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
        return a[i] != a[j] ? a[i] < a[j] : b[i] < b[j];
    });
    // Sweeping by increasing a, a point is on the front when its b is below every b seen so
    // far; an exact duplicate of the last front point is kept too, as neither dominates.
    std::vector<std::size_t> front;
    for (std::size_t i : order) {
        if (front.empty() || b[i] < b[front.back()]) {
            front.push_back(i);
        } else if (a[i] == a[front.back()] && b[i] == b[front.back()]) {
            front.push_back(i);
        }
    }
    return front;
}

} // namespace sobolev
