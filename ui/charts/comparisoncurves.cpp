// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparisoncurves.h"

#include "chartstyle.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace sobolev::comparisoncurves {

namespace cs = chartstyle;

namespace {

bool drawableY(double y, bool logY) {
    return logY ? cs::logSafe(y).has_value() : std::isfinite(y);
}

} // namespace

QList<QPointF> historyCurve(const std::vector<EpochMetrics>& history, double EpochMetrics::*field) {
    QList<QPointF> points;
    points.reserve(qsizetype(history.size()));
    for (const EpochMetrics& m : history)
        if (const auto y = cs::logSafe(m.*field))
            points.append({double(m.epoch), *y});
    return points;
}

QList<QPointF> drawable(const std::vector<double>& x, const std::vector<double>& y, bool logY) {
    QList<QPointF> points;
    const size_t n = std::min(x.size(), y.size());
    points.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(x[i]) && drawableY(y[i], logY))
            points.append({x[i], y[i]});
    return points;
}

BandEdges bandEdges(const std::vector<double>& x, const Band& band, qsizetype buckets, bool logY) {
    BandEdges edges;
    const qsizetype n = qsizetype(std::min(x.size(), band.size()));
    if (n <= 2 * buckets) {
        for (qsizetype i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]))
                continue;
            if (drawableY(band.max[i], logY))
                edges.upper.append({x[i], band.max[i]});
            if (drawableY(band.min[i], logY))
                edges.lower.append({x[i], band.min[i]});
        }
        return edges;
    }
    edges.upper.reserve(buckets);
    edges.lower.reserve(buckets);
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = n * b / buckets, end = n * (b + 1) / buckets;
        if (begin == end)
            continue;
        const double bx = b == 0             ? x[begin]
                          : b == buckets - 1 ? x[end - 1]
                                             : 0.5 * (x[begin] + x[end - 1]);
        std::optional<double> lo, hi;
        for (qsizetype i = begin; i < end; ++i) {
            if (drawableY(band.min[i], logY))
                lo = lo ? std::min(*lo, band.min[i]) : band.min[i];
            if (drawableY(band.max[i], logY))
                hi = hi ? std::max(*hi, band.max[i]) : band.max[i];
        }
        if (!std::isfinite(bx))
            continue;
        if (hi)
            edges.upper.append({bx, *hi});
        if (lo)
            edges.lower.append({bx, *lo});
    }
    return edges;
}

} // namespace sobolev::comparisoncurves
