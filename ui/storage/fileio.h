// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>

#include <QByteArray>
#include <QString>

class QFile;

namespace sobolev {

// Reads at most `limit` bytes and says whether there was more. Bounded in chunks: a device
// such as /dev/zero reports size 0 and never ends, and read(limit) would reserve `limit`.
// Adds the bytes read to `bytesRead` as it goes.
QByteArray readBounded(QFile& file, qint64 limit, bool* tooLarge,
                       std::atomic<std::int64_t>* bytesRead = nullptr);

// The whole of a file expected to be small: at most `limit` bytes. Otherwise, or when it
// cannot be read, sets `error` naming the file.
QByteArray readSmall(const QString& path, qint64 limit, QString* error);

// Writes `data` to `path` through a temporary file renamed into place, so that `path` is
// either the old file or the complete new one. On failure returns false and sets `error`
// (naming the file).
bool writeFileAtomically(const QString& path, const QByteArray& data, QString* error);

// `dir` can take a new run: it does not exist yet, or is an empty folder. Otherwise `error`
// says why not (an earlier run is never overwritten).
bool isFreshFolder(const QString& dir, QString* error);

} // namespace sobolev
