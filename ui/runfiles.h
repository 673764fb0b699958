#pragma once

#include "metrics.h"
#include "trainconfig.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sobolev {

// Everything a finished (or stopped, or diverged) run leaves behind.
struct RunRecord {
    TrainConfig config;
    std::vector<EpochMetrics> history;
    Predictions predictions;
    FitReport report;
};

// The config's JSON form: one key per TrainConfig field, named as in ConfigProblem::field.
QJsonObject configToJson(const TrainConfig& config);
QStringList configKeys();

// Reads the keys present in `json` over `base`. Every wrong key, type or value is reported,
// each naming the key and what is allowed; `config` is only meaningful when `errors` is empty.
struct ConfigReadResult {
    TrainConfig config;
    QStringList errors;
};
// With RangeCheck::Skip only the keys and types are checked (for a file that flags amend).
enum class RangeCheck { Check, Skip };
ConfigReadResult configFromJson(const QJsonObject& json, const TrainConfig& base = {},
                                RangeCheck ranges = RangeCheck::Check);
// The same for a file; every error names the file.
ConfigReadResult readConfigFile(const QString& path, const TrainConfig& base = {},
                                RangeCheck ranges = RangeCheck::Check);
// "missing key \"beta\"" for every config key `json` lacks: a saved experiment or a run
// folder's config.json must be complete, while a --config file may set only some keys.
QStringList missingConfigKeys(const QJsonObject& json);
// Reads a complete experiment file (every key present, every value in range).
ConfigReadResult readExperimentFile(const QString& path);
bool writeExperimentFile(const QString& path, const TrainConfig& config, QString* error);

// validate()'s problems as "key: message" lines.
QStringList configProblems(const TrainConfig& config);

// Shortest text that reads back to the same value; "nan"/"inf" for non-finite values.
QString formatNumber(double value);
QString formatNumber(float value);

QByteArray historyCsv(const std::vector<EpochMetrics>& history);
QByteArray predictionsCsv(const Predictions& predictions);
QJsonObject metricsToJson(const FitReport& report);

// Writes `data` to `path` through a temporary file renamed into place, so that `path` is
// either the old file or the complete new one. On failure returns false and sets `error`
// (naming the file).
bool writeFileAtomically(const QString& path, const QByteArray& data, QString* error);

// The run folder: config.json, history.csv, predictions.csv, metrics.json. The folder is
// created if needed.
bool writeRunFolder(const QString& dir, const RunRecord& run, QString* error);

// Reads a run folder written by writeRunFolder (or the headless mode). Every problem names
// the file (and line) and what was expected; the record is only meaningful without errors.
struct RunReadResult {
    RunRecord run;
    QStringList errors;
};
RunReadResult readRunFolder(const QString& dir);

// The parsers behind readRunFolder, for data already in memory; `source` names it in errors.
QStringList parseHistoryCsv(const QByteArray& csv, const QString& source, std::vector<EpochMetrics>* out);
QStringList parsePredictionsCsv(const QByteArray& csv, const QString& source, Predictions* out);
QStringList parseMetricsJson(const QByteArray& json, const QString& source, FitReport* out);

} // namespace sobolev
