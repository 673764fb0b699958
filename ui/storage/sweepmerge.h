// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sweepfolder.h"
#include "sweepview.h"
#include "tablewriter.h"

#include <QString>
#include <QStringList>

namespace sobolev {

// What --merge made of the shards of one sweep.
struct SweepMergeResult {
    // Why the folders are not shards of one sweep, or hold one run twice with different
    // results; nothing was written then.
    QStringList refusals;
    QStringList errors; // reading or writing failed
    SweepSpec spec;
    DataTable summary;   // summary.csv: the rows and their order of a sweep run in one go
    SweepView view;      // the finished runs, for the sweep's figures
    QStringList missing; // the run folders of runs no shard finished, in the sweep's order
    int copied = 0;      // run folders copied into `out`
    int folders = 0;     // distinct sweep folders merged
};

inline const QString missingRunsFile = QStringLiteral("missing-runs.txt");

// Assembles the sweep from the sweep folders `dirs` (each with sweep.json; the same folder given
// twice counts once) into `out`, which is one of `dirs` or a new or empty folder: every finished
// run folder is copied into `out` if it is not there yet, and summary.csv, missing-runs.txt (a
// run folder name a line, empty when none is missing) and sweep.json are written atomically.
// A run found in several folders must have the same results there (the seconds aside).
SweepMergeResult mergeSweepShards(const QStringList& dirs, const QString& out);

} // namespace sobolev
