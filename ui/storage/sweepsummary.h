// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/experiment/sweep.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace sobolev {

// A sweep folder as `--sweep … --out DIR` (or a merge of shards) leaves it: summary.csv, whose
// columns are the swept knobs, then seed, the errors, …, and last the run's folder; and one
// run folder per row.
struct SweepFolder {
    QString dir;
    std::vector<Knob> knobs; // 0, 1 or 2, from summary.csv's header
    QStringList runFolders;  // absolute paths, in summary.csv's order
    QStringList missing;     // rows whose folder is not there, by their folder name
};

// Reads summary.csv and checks that it names run folders inside `dir`; the run folders
// themselves are read when they are imported. Every error names the file (and line) and
// what a sweep folder holds; `sweep` is only meaningful without errors.
struct SweepFolderReadResult {
    SweepFolder sweep;
    QStringList errors;
};
SweepFolderReadResult readSweepFolder(const QString& dir);

// One line of a CSV file as renderTable writes it: cells separated by commas, a cell with a
// comma or a quote quoted, quotes doubled.
QStringList splitCsvLine(const QString& line);

} // namespace sobolev
