// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshotfile.h"

#include "fileio.h"

#include <QtEndian>

#include <cmath>
#include <cstring>

namespace sobolev {

namespace {

constexpr char magic[] = "SOBSNAPS"; // 8 bytes, without the terminating zero
constexpr quint32 version = 1;
constexpr quint32 compressedFlag = 1;
constexpr qint64 headerBytes = 16;
// Far beyond any run's (10,000 snapshots of a 1001-point grid are 80 MB): a larger file or
// body is not a run's snapshots, and is refused before it is read or inflated.
constexpr qint64 maxBytes = qint64(1) << 30;
constexpr qint64 snapshotFixedBytes = 8 + 3 * 4 + 2 * 8; // position, epoch, batch, phase, α, β

template <typename Bits> void put(QByteArray& out, Bits bits) {
    bits = qToLittleEndian(bits);
    out.append(reinterpret_cast<const char*>(&bits), sizeof bits);
}
void putDouble(QByteArray& out, double v) {
    quint64 bits;
    std::memcpy(&bits, &v, sizeof bits);
    put(out, bits);
}
void putFloats(QByteArray& out, const std::vector<float>& values) {
    for (float v : values) {
        quint32 bits;
        std::memcpy(&bits, &v, sizeof bits);
        put(out, bits);
    }
}

// Reads the body in order; the caller has checked that the bytes are all there.
class Reader {
  public:
    explicit Reader(const QByteArray& bytes) : m_data(bytes.constData()) {}
    template <typename Bits> Bits next() {
        Bits bits;
        std::memcpy(&bits, m_data + m_at, sizeof bits);
        m_at += sizeof bits;
        return qFromLittleEndian(bits);
    }
    double nextDouble() {
        const quint64 bits = next<quint64>();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    void nextFloats(std::vector<float>& out, std::size_t count) {
        out.resize(count);
        for (float& v : out) {
            const quint32 bits = next<quint32>();
            std::memcpy(&v, &bits, sizeof v);
        }
    }

  private:
    const char* m_data;
    qint64 m_at = 0;
};

QByteArray bodyOf(const SnapshotSeries& s) {
    QByteArray body;
    const qint64 points = qint64(s.x.size());
    body.reserve(8 + 8 * points + qint64(s.snapshots.size()) * (snapshotFixedBytes + 8 * points));
    put(body, quint32(points));
    put(body, quint32(s.snapshots.size()));
    for (double x : s.x)
        putDouble(body, x);
    for (const Snapshot& snap : s.snapshots) {
        putDouble(body, snap.position);
        put(body, qint32(snap.epoch));
        put(body, qint32(snap.batch));
        put(body, qint32(snap.phase));
        putDouble(body, snap.alpha);
        putDouble(body, snap.beta);
        putFloats(body, snap.fHat);
        putFloats(body, snap.fprimeHat);
    }
    return body;
}

// The body inflated when it is compressed; an error when it is not one.
QString bodyFrom(const QByteArray& bytes, quint32 flags, QByteArray* body) {
    const QByteArray stored = bytes.mid(headerBytes);
    if (!(flags & compressedFlag)) {
        *body = stored;
        return {};
    }
    if (stored.size() < 4)
        return QStringLiteral("its compressed body is cut short");
    const quint32 size = qFromBigEndian<quint32>(stored.constData());
    if (size > maxBytes)
        return QStringLiteral("its compressed body claims %1 bytes; at most %2 are allowed")
            .arg(size)
            .arg(maxBytes);
    *body = qUncompress(stored);
    if (body->size() != qint64(size))
        return QStringLiteral("its compressed body is damaged");
    return {};
}

QString snapshotProblem(const Snapshot& s, double previous) {
    if (!std::isfinite(s.position) || s.position < 0 || !(s.position > previous))
        return QStringLiteral("position %1 does not follow %2").arg(s.position).arg(previous);
    if (s.epoch < 0 || s.batch < 0)
        return QStringLiteral("epoch %1, batch %2: both must be 0 or more")
            .arg(s.epoch)
            .arg(s.batch);
    if (!(s.alpha >= 0) || !(s.beta >= 0) || !std::isfinite(s.alpha) || !std::isfinite(s.beta))
        return QStringLiteral("alpha %1, beta %2: both must be finite and 0 or more")
            .arg(s.alpha)
            .arg(s.beta);
    return {};
}

QString parseBody(const QByteArray& body, SnapshotSeries* out) {
    if (body.size() < 8)
        return QStringLiteral("cut short before its counts");
    Reader in(body);
    const qint64 points = in.next<quint32>(), count = in.next<quint32>();
    if (points > maxBytes / 8 || count > maxBytes / snapshotFixedBytes)
        return QStringLiteral("%1 points and %2 snapshots are more than any run has")
            .arg(points)
            .arg(count);
    const qint64 expected = 8 + 8 * points + count * (snapshotFixedBytes + 8 * points);
    if (body.size() != expected)
        return QStringLiteral("%1 points and %2 snapshots need %3 bytes; it has %4")
            .arg(points)
            .arg(count)
            .arg(expected)
            .arg(body.size());
    SnapshotSeries s;
    s.x.resize(std::size_t(points));
    for (double& x : s.x)
        if (!std::isfinite(x = in.nextDouble()))
            return QStringLiteral("an x is not a finite number");
    s.snapshots.resize(std::size_t(count));
    double previous = -1;
    for (qint64 i = 0; i < count; ++i) {
        Snapshot& snap = s.snapshots[std::size_t(i)];
        snap.position = in.nextDouble();
        snap.epoch = in.next<qint32>();
        snap.batch = in.next<qint32>();
        const qint32 phase = in.next<qint32>();
        snap.alpha = in.nextDouble();
        snap.beta = in.nextDouble();
        if (phase != 0 && phase != 1)
            return QStringLiteral("snapshot %1: phase %2 is neither 0 (Adam) nor 1 (L-BFGS)")
                .arg(i + 1)
                .arg(phase);
        snap.phase = Phase(phase);
        if (const QString bad = snapshotProblem(snap, previous); !bad.isEmpty())
            return QStringLiteral("snapshot %1: %2").arg(i + 1).arg(bad);
        previous = snap.position;
        in.nextFloats(snap.fHat, std::size_t(points));
        in.nextFloats(snap.fprimeHat, std::size_t(points));
    }
    *out = std::move(s);
    return {};
}

} // namespace

QByteArray snapshotBytes(const SnapshotSeries& series, bool compress) {
    QByteArray out(magic, 8);
    put(out, version);
    put(out, compress ? compressedFlag : quint32(0));
    const QByteArray body = bodyOf(series);
    out += compress ? qCompress(body) : body;
    return out;
}

QString parseSnapshotBytes(const QByteArray& bytes, const QString& source, SnapshotSeries* out) {
    const auto problem = [&](const QString& what) {
        return QStringLiteral("%1: not a snapshot file this version reads: %2").arg(source, what);
    };
    if (bytes.size() < headerBytes || std::memcmp(bytes.constData(), magic, 8) != 0)
        return problem(QStringLiteral("it does not start with \"SOBSNAPS\""));
    Reader header(bytes);
    header.next<quint64>(); // the magic
    const quint32 fileVersion = header.next<quint32>(), flags = header.next<quint32>();
    if (fileVersion != version)
        return problem(QStringLiteral("version %1; this program reads version %2")
                           .arg(fileVersion)
                           .arg(version));
    if (flags & ~compressedFlag)
        return problem(QStringLiteral("unknown flags %1").arg(flags));
    QByteArray body;
    if (QString bad = bodyFrom(bytes, flags, &body); !bad.isEmpty())
        return problem(bad);
    if (QString bad = parseBody(body, out); !bad.isEmpty())
        return problem(bad);
    return {};
}

bool writeSnapshotFile(const QString& path, const SnapshotSeries& series, QString* error) {
    // Uncompressed: zlib shrinks a run's float curves by only ~8 %, for ~60 ms of the GUI
    // thread at the end of every reference run.
    return writeFileAtomically(path, snapshotBytes(series, false), error);
}

QString readSnapshotFile(const QString& path, SnapshotSeries* out) {
    QString error;
    const QByteArray bytes = readSmall(path, maxBytes, &error);
    if (!error.isEmpty())
        return error;
    return parseSnapshotBytes(bytes, path, out);
}

} // namespace sobolev
