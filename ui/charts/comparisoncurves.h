// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/ensemble.h"

#include <QList>
#include <QPointF>

#include <vector>

// The points the comparison charts draw, from the runs' stored curves: no widgets here.
namespace sobolev::comparisoncurves {

// (epoch, field) of every epoch whose value a log axis can show.
QList<QPointF> historyCurve(const std::vector<EpochMetrics>& history, double EpochMetrics::*field);

// The points (x[i], y[i]) a plot can draw: the finite ones, on a log axis the positive ones.
QList<QPointF> drawable(const std::vector<double>& x, const std::vector<double>& y, bool logY);

// A min–max band's edges. Up to 2 * buckets points they are the band's own points; beyond,
// one point per bucket of consecutive indices: the smallest min and the largest max in it,
// so the band still holds every run's spikes. Each bucket sits at its middle x, the first
// and the last at the curve's ends.
struct BandEdges {
    QList<QPointF> upper, lower;
};
BandEdges bandEdges(const std::vector<double>& x, const Band& band, qsizetype buckets, bool logY);

} // namespace sobolev::comparisoncurves
