// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace sobolev {

// The config's JSON form: one key per stored row of the knob registry, named as in
// ConfigProblem::field, plus "changes" and, for a typed formula, "target_derivative". The
// data keys are written only for a config with data.
QJsonObject configToJson(const TrainConfig& config);
// Every key a config file may hold, in the registry's order.
QStringList configKeys();

// Reads the keys present in `json` over `base`. Every wrong key, type or value is reported,
// each naming the key and what is allowed; `config` is only meaningful when `errors` is empty.
struct ConfigReadResult {
    TrainConfig config;
    QStringList errors;
};
// With RangeCheck::Skip only the keys and types are checked (for a file that flags amend).
enum class RangeCheck { Check, Skip };
// How a "data" key's CSV is needed. Require: a file that is missing, bad or changed is an
// error. IfReadable (a stored run's config): it is then left unread, without an error, so
// that the run still opens; its path and hash stay in the config.
enum class DataFile { Require, IfReadable };
// A "data" key's CSV is read relative to `baseDir` (empty: the current folder), checked
// against "data_sha256" when given, and its rows attached to the config.
ConfigReadResult configFromJson(const QJsonObject& json, const TrainConfig& base = {},
                                RangeCheck ranges = RangeCheck::Check,
                                const QString& baseDir = QString(),
                                DataFile dataFile = DataFile::Require);
// The same for a file; every error names the file. A relative data path is relative to it.
ConfigReadResult readConfigFile(const QString& path, const TrainConfig& base = {},
                                RangeCheck ranges = RangeCheck::Check,
                                DataFile dataFile = DataFile::Require);
// "missing key \"beta\"" for every required key (the registry's `required` rows) `json`
// lacks: a saved experiment or a run folder's config.json must have them, while a --config
// file may set only some keys. Keys added later are optional: older files lack them.
QStringList missingConfigKeys(const QJsonObject& json);
// Reads a complete experiment file (every key present, every value in range).
ConfigReadResult readExperimentFile(const QString& path, DataFile dataFile = DataFile::Require);
bool writeExperimentFile(const QString& path, const TrainConfig& config, QString* error);

// validate()'s problems as "key: message" lines.
QStringList configProblems(const TrainConfig& config);

// The `changes` list: [{"epoch", "batch", "knob", "value"}, ...].
QJsonArray changesToJson(const std::vector<KnobChange>& changes);

// JSON has no NaN or infinity: null stands for "not a number" and reads back as NaN.
QJsonValue jsonNumber(double value);
// "a string", "an array", …: what a wrong value is, for error messages.
QString jsonTypeName(const QJsonValue& value);

} // namespace sobolev
