// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/snapshot.h"

#include <QByteArray>
#include <QString>

namespace sobolev {

// snapshots.bin in a run folder: the run's SnapshotSeries (core/eval/snapshot.h).
//
// All numbers little-endian. A header of 16 bytes: the magic "SOBSNAPS", the version (uint32,
// 1) and flags (uint32; bit 0: the body is compressed with qCompress, whose first four bytes
// are the body's size, big-endian). The body: the point count P and the snapshot count S
// (uint32 each), x (P float64), then per snapshot its position (float64), epoch, batch and
// phase (int32 each; phase 0 Adam, 1 L-BFGS), alpha and beta (float64 each), f-hat and
// f-hat' (P float32 each). README, "The run folder", says the same.
inline constexpr auto snapshotFileName = "snapshots.bin";

QByteArray snapshotBytes(const SnapshotSeries& series, bool compress);
// Reads bytes snapshotBytes() wrote. Returns empty and fills `out`, or says what is wrong,
// naming `source`: another file, another version, cut short, or impossible values (positions
// that do not increase, a phase that is not one). Never allocates more than the bytes allow.
QString parseSnapshotBytes(const QByteArray& bytes, const QString& source, SnapshotSeries* out);

// Written uncompressed and atomically (fileio.h); false with `error` naming the file.
bool writeSnapshotFile(const QString& path, const SnapshotSeries& series, QString* error);
// Empty and `out` filled, or what is wrong, naming the file.
QString readSnapshotFile(const QString& path, SnapshotSeries* out);

} // namespace sobolev
