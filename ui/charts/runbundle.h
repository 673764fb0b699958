// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fileio.h"
#include "runfolder.h"

namespace sobolev {

// A run folder (config.json, history.csv, predictions.csv, metrics.json) plus metrics.md and
// the four figures as PNG and SVG (training, f, fprime, error). Needs a QApplication.
// `baselines` go into metrics.json, metrics.md and the figures.
bool writeRunBundle(const QString& dir, const RunRecord& run, QString* error,
                    const std::vector<BaselineResult>& baselines = {});
// What the bundle adds to a run folder: metrics.md and the figures.
// The figures at documentFigureSize(figureScale).
bool writeRunReport(const QString& dir, const RunRecord& run, QString* error,
                    double figureScale = 1, const std::vector<BaselineResult>& baselines = {});

} // namespace sobolev
