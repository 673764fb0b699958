// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/baselines.h"
#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace sobolev {

// Everything a finished (or stopped, or diverged) run leaves behind.
struct RunRecord {
    TrainConfig config;
    std::vector<EpochMetrics> history;
    Predictions predictions;
    FitReport report;
    // What the run recorded while it trained (snapshots.bin); empty with snapshots = 0, and
    // for folders written before snapshots existed.
    SnapshotSeries snapshots = {};
};

QByteArray historyCsv(const std::vector<EpochMetrics>& history);
// The network's outputs are written as floats or doubles, as `precision` says; x is a float, and
// so are the f and f′ of `measured` data (a target's are doubles).
QByteArray predictionsCsv(const Predictions& predictions, Precision precision = Precision::Float32,
                          bool measured = false);
// curve.csv: x,f_hat,fprime_hat, the network on measured data's dense curve grid.
QByteArray curveCsv(const Predictions& predictions, Precision precision = Precision::Float32);
// metrics.json: the errors, how the run ended, the best epoch and (when given) the baselines.
QJsonObject metricsToJson(const FitReport& report,
                          const std::vector<BaselineResult>& baselines = {});

// The run folder: config.json, history.csv, predictions.csv, metrics.json (with `baselines`
// under "baselines"), when the predictions have a dense curve (measured data) curve.csv, and
// when the run has snapshots snapshots.bin (snapshotfile.h).
// The folder is created if needed.
bool writeRunFolder(const QString& dir, const RunRecord& run, QString* error,
                    const std::vector<BaselineResult>& baselines = {});

// Reads a run folder written by writeRunFolder (or the headless mode). Every problem names
// the file (and line) and what was expected; the record is only meaningful without errors.
struct RunReadResult {
    RunRecord run;
    QStringList errors;
};
RunReadResult readRunFolder(const QString& dir);

// The parsers behind readRunFolder, for data already in memory; `source` names it in errors.
QStringList parseHistoryCsv(const QByteArray& csv, const QString& source,
                            std::vector<EpochMetrics>* out);
// `precision` and `measured` as predictionsCsv wrote it: its float columns are read as floats.
QStringList parsePredictionsCsv(const QByteArray& csv, const QString& source, Predictions* out,
                                Precision precision = Precision::Float32, bool measured = false);
// Fills the curve fields of `out`.
QStringList parseCurveCsv(const QByteArray& csv, const QString& source, Predictions* out,
                          Precision precision = Precision::Float32);
QStringList parseMetricsJson(const QByteArray& json, const QString& source, FitReport* out);

} // namespace sobolev
