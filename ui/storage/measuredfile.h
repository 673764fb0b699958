// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>

namespace sobolev {

// A CSV of measured x, f[, f'] read from disk: the rows (core/measureddata.h parses them)
// and the file's SHA-256 in hex. `errors` name the file and, for a bad cell, its line and
// column; the rows are only meaningful when there are none.
struct MeasuredFile {
    QString path; // absolute
    QString sha256;
    MeasuredRows rows;
    QStringList errors;
};

// The largest CSV read: 1,000,000 rows of three long numbers fit well within it.
inline constexpr qint64 maxMeasuredFileBytes = qint64(128) << 20;

// Reads `path`, relative to `baseDir` unless absolute (an empty baseDir: the current folder).
// The bytes are counted into `bytesRead` three times, as they are read, hashed and parsed, and
// a raised `cancel` stops the parsing (readMeasuredCsv()).
MeasuredFile readMeasuredFile(const QString& path, const QString& baseDir = QString(),
                              std::atomic<std::int64_t>* bytesRead = nullptr,
                              const std::atomic<bool>* cancel = nullptr);

// Reads config.data (resolved as above) into config.measured and sets config.data to the
// absolute path. When `expectedSha256` is not empty the file must still have that hash: a
// changed file is refused by name. Sets config.dataSha256 to the file's hash. An empty
// config.data clears the data. Returns the problems, each naming the key and the file.
QStringList loadMeasuredData(TrainConfig& config, const QString& baseDir,
                             const QString& expectedSha256,
                             std::atomic<std::int64_t>* bytesRead = nullptr,
                             const std::atomic<bool>* cancel = nullptr);

// "data.csv: 200 rows, f' on 100" for the panel and the logs.
QString measuredSummary(const TrainConfig& config);

} // namespace sobolev
