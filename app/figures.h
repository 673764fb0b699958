// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"
#include "reportcontent.h"
#include "runfolder.h"
#include "sweepview.h"

#include <QString>

// The headless mode's figures. The window's chart classes draw them, and Qt Charts needs Qt
// Widgets, so a build without the window (-DSOBOLEV_BUILD_UI=OFF) has none: there --plots is
// refused up front and these functions only say why.
namespace sobolev {

bool figuresAvailable();
// metrics.md and the four figures, beside the files of the run folder `dir`.
// `figureScale` (--figure-scale) sizes the figures for a document; see documentFigureSize().
bool writeRunFiguresInto(const QString& dir, const RunRecord& run, QString* error,
                         double figureScale = 1, const std::vector<BaselineResult>& baselines = {});
// report.pdf on `page` paper and report.md with the four figures (and `baselines` in its
// metrics table), beside the files of the run folder `dir`.
bool writeReportInto(const QString& dir, const RunRecord& run, ReportPage page, QString* error,
                     const std::vector<BaselineResult>& baselines = {});
// The sweep's trade-off and knob figures in the sweep folder `dir`.
bool writeSweepFiguresInto(const QString& dir, const SweepView& view, QString* error);

// --animate: what keeps the animation from being written (a size that is not WxH, an unknown
// chart, a length, size or rate out of range, an unknown suffix, a file that cannot be
// written), each naming what is allowed; nothing is left behind. Empty when it can be.
QStringList animationProblems(const AnimateOptions& options);
// Writes the animation of `runs` (several: a comparison, each named by its label) from their
// snapshots to options.path, with progress on stderr unless `quiet`. On failure no file is
// left behind.
bool writeAnimation(const AnimateOptions& options, const QList<RunRecord>& runs,
                    const QStringList& labels, bool quiet, QString* error);

} // namespace sobolev
