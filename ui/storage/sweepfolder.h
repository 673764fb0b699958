// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/experiment/sweep.h"
#include "lossweights.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sobolev {

// What makes a sweep: its base config, knobs and seeds. Every sweep folder holds it as
// sweep.json, so that shards of one sweep, written on different machines, can be told apart
// from shards of another before they are merged. The base config's seed is not part of it (the
// seed list is).
struct SweepSpec {
    TrainConfig base;
    std::vector<SweepAxis> axes;
    std::vector<std::uint64_t> seeds;
    std::vector<SweepPoint> points() const { return expandSweep(base, axes, seeds); }
};

// {"format": 1, "sweep": ["beta=0,1", "width=4,8"], "seeds": "1,2", "runs": 8,
//  "config": {...the base config, as config.json, without "seed"}}
QJsonObject sweepSpecToJson(const SweepSpec& spec);
inline const QString sweepSpecFile = QStringLiteral("sweep.json");
bool writeSweepSpec(const QString& dir, const SweepSpec& spec, QString* error);
// Reads dir/sweep.json; every problem names the file.
struct SweepSpecReadResult {
    SweepSpec spec;
    QStringList errors;
};
SweepSpecReadResult readSweepSpec(const QString& dir);
// How `b` differs from `a`, a line each: a knob's values, the knobs, the seed list, or a key of
// the base config, with both values. Empty when they are the same sweep.
QStringList sweepDifferences(const SweepSpec& a, const SweepSpec& b);

// A run's folder in a sweep folder, named by its knob values and seed: "beta=0.1_seed=2".
// Readable, and safe as a folder name (no '/' or spaces).
QString sweepRunFolder(const std::vector<SweepAxis>& axes, const SweepPoint& point);

// The report of a run folder whose run completed or diverged, or nullopt when it did not
// finish: no metrics.json, a half-written or unreadable one, or one that says the run was
// stopped (Ctrl+C, or a Slurm job's SIGTERM). metrics.json is the last file writeRunFolder
// writes, each file atomically, so its presence means the others are complete. A run folder
// whose config.json is not `expected` (another sweep's run) sets `mismatch` to the first
// differing key and counts as not finished.
// The loss weights at the last row of the run folder's history.csv; none when it cannot be
// read or predates them.
std::optional<LossWeights> finalWeightsInFolder(const QString& dir);

std::optional<FitReport> finishedRunReport(const QString& dir, const TrainConfig& expected,
                                           QString* mismatch = nullptr);

} // namespace sobolev
