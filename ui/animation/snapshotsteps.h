// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"

#include <QString>

// One recorded moment of a run as the timeline, the replay and the animations show it: its
// name, its place in a series and the predictions it stands for.
namespace sobolev {

// "epoch 5, batch 12 · α 1 · β 1"; withWeights false leaves out α and β (several runs).
QString snapshotCaption(const Snapshot& snapshot, bool withWeights = true);
// "at epoch 5, batch 12": what the errors and charts of a replayed step are labelled with, so
// that nobody takes them for the final ones.
QString snapshotWhen(const Snapshot& snapshot);
// The last snapshot at or before `position` (the first one before it starts); -1 when the
// series has none.
int snapshotAt(const SnapshotSeries& series, double position);
// The run's predictions with the network of `snapshot` in place of its final one: the truth
// f and f′ are the run's (on the same points), f̂ and f̂′ the snapshot's. A dense curve of
// measured data is left out: the snapshot holds the network at the data's rows only.
Predictions predictionsAt(const SnapshotSeries& series, const Snapshot& snapshot,
                          const Predictions& run);

// Replay time on a log scale, shared by the timeline and the animations: position p of a run
// that ends at P plays at the fraction u = ln(1 + p) / ln(1 + P) of the replay, so each tenfold
// stretch of epochs gets the same time. Of 1000 epochs the first (where the fit starts to bend)
// gets a tenth, epochs 1 to 30 (where it forms) four tenths. logReplayPosition is the inverse.
double logReplayFraction(double position, double lastPosition);
double logReplayPosition(double fraction, double lastPosition);

} // namespace sobolev
