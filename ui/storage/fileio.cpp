// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileio.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace sobolev {

QByteArray readBounded(QFile& file, qint64 limit, bool* tooLarge,
                       std::atomic<std::int64_t>* bytesRead) {
    QByteArray content;
    constexpr qint64 chunk = qint64(1) << 20;
    while (content.size() <= limit) {
        const QByteArray part = file.read(chunk);
        if (part.isEmpty())
            break;
        content += part;
        if (bytesRead)
            *bytesRead += part.size();
    }
    *tooLarge = content.size() > limit;
    return content;
}

QByteArray readSmall(const QString& path, qint64 limit, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return {};
    }
    bool tooLarge = false;
    QByteArray data = readBounded(file, limit, &tooLarge);
    if (tooLarge)
        *error = QStringLiteral("%1: larger than %2 bytes").arg(path).arg(limit);
    return data;
}

bool writeFileAtomically(const QString& path, const QByteArray& data, QString* error) {
    QSaveFile file(path);
    // Unbuffered: a buffered QFileDevice reports a short write on a full disk as success, and
    // the truncated file would then be committed under the final name.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    qint64 written = 0;
    while (written < data.size()) {
        const qint64 n = file.write(data.constData() + written, data.size() - written);
        if (n <= 0)
            break;
        written += n;
    }
    if (written != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: writing failed after %2 of %3 bytes: %4")
                         .arg(path)
                         .arg(written)
                         .arg(data.size())
                         .arg(file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

bool isFreshFolder(const QString& dir, QString* error) {
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QStringLiteral("%1: exists and is not a folder").arg(dir);
        return false;
    }
    if (info.exists() &&
        !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        *error = QStringLiteral("%1: the folder is not empty; choose a new or empty folder "
                                "so that no earlier run is overwritten")
                     .arg(dir);
        return false;
    }
    return true;
}

} // namespace sobolev
