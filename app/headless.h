// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"

#include <QByteArray>
#include <QString>

namespace sobolev {

// Exit codes of the headless mode.
enum HeadlessExit { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitDiverged = 3 };

// Trains `cl.config` without a window and writes the run folder. Ctrl+C stops the run
// between batches and still writes what was trained.
// The folder holds config.json and checkpoint.json from the start, and a checkpoint every
// few seconds (ui/storage/runcheckpoint.h), so that a killed run can be resumed.
int runHeadless(const CommandLine& cl);
// --resume DIR: continues the interrupted run in `cl.resumeDir` from its last checkpoint to
// its end, writing what the run that was started would have written.
int runResume(const CommandLine& cl);

// --animate: whether the animation cannot be written (its settings, its file, a run without
// snapshots); says why on stderr. Checked before training, which it would not need.
bool animationRefused(const CommandLine& cl);

// A new folder name under the current one, e.g. "sobolev-run-20261128-181500-seed12345".
QString defaultOutDir(const TrainConfig& config,
                      const QString& prefix = QStringLiteral("sobolev-run"));
// The output folder must be new or empty (no earlier run is overwritten) and writable;
// checked before training so that a long run does not end in a failed write.
bool prepareOutDir(const QString& dir, QString* error);

// An f' error as the summary lines print it: "%.3g" of `value`, or "—" for errors without f'
// (measured data without f', where a 0 would read as a perfect fit).
QByteArray fprimeNumber(bool hasFprime, double value);

} // namespace sobolev
