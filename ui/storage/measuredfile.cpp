// SPDX-License-Identifier: GPL-3.0-or-later
#include "measuredfile.h"

#include "fileio.h"

#include "core/problem/measureddata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace sobolev {

MeasuredFile readMeasuredFile(const QString& path, const QString& baseDir,
                              std::atomic<std::int64_t>* bytesRead,
                              const std::atomic<bool>* cancel) {
    MeasuredFile out;
    const QDir base(baseDir.isEmpty() ? QDir::currentPath() : baseDir);
    out.path = QDir::cleanPath(base.absoluteFilePath(path));
    const QFileInfo info(out.path);
    if (!info.exists()) {
        out.errors << QStringLiteral("%1: no such file").arg(out.path);
        return out;
    }
    if (!info.isFile()) { // a folder or a device such as /dev/zero
        out.errors << QStringLiteral("%1: is not a regular file").arg(out.path);
        return out;
    }
    QFile file(out.path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.errors << QStringLiteral("%1: cannot open: %2").arg(out.path, file.errorString());
        return out;
    }
    bool tooLarge = false;
    const QByteArray content = readBounded(file, maxMeasuredFileBytes, &tooLarge, bytesRead);
    if (tooLarge) {
        out.errors << QStringLiteral("%1: is larger than %2 MiB; not a data file")
                          .arg(out.path)
                          .arg(maxMeasuredFileBytes >> 20);
        return out;
    }
    out.sha256 =
        QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    if (bytesRead)
        *bytesRead += content.size();
    if (content.trimmed().isEmpty()) {
        out.errors << QStringLiteral("%1: is empty; expected lines of x,f or x,f,f'").arg(out.path);
        return out;
    }
    const CsvReadResult parsed =
        readMeasuredCsv(std::string_view(content.data(), content.size()), 10, bytesRead, cancel);
    for (const CsvProblem& p : parsed.problems)
        out.errors << QStringLiteral("%1: %2").arg(out.path, QString::fromStdString(describe(p)));
    if (parsed.data)
        out.rows = MeasuredRows(*parsed.data);
    return out;
}

QStringList loadMeasuredData(TrainConfig& config, const QString& baseDir,
                             const QString& expectedSha256, std::atomic<std::int64_t>* bytesRead,
                             const std::atomic<bool>* cancel) {
    if (config.data.empty()) {
        config.measured = {};
        config.dataSha256.clear();
        return {};
    }
    const MeasuredFile file =
        readMeasuredFile(QString::fromStdString(config.data), baseDir, bytesRead, cancel);
    config.data = file.path.toStdString();
    QStringList errors;
    for (const QString& e : file.errors)
        errors << QStringLiteral("data: ") + e;
    if (!errors.isEmpty())
        return errors;
    if (!expectedSha256.isEmpty() && expectedSha256.compare(file.sha256, Qt::CaseInsensitive) != 0)
        return {QStringLiteral("data: %1 has changed since the config was written: its SHA-256 "
                               "is %2, the config's data_sha256 is %3; use the original file, "
                               "or remove data_sha256 to train on this one")
                    .arg(file.path, file.sha256, expectedSha256)};
    config.dataSha256 = file.sha256.toStdString();
    config.measured = file.rows;
    return {};
}

QString measuredSummary(const TrainConfig& c) {
    if (!c.measured)
        return QString();
    const int rows = c.measured->rows(), withFprime = c.measured->rowsWithFprime();
    const QString name = QFileInfo(QString::fromStdString(c.data)).fileName();
    if (withFprime == rows)
        return QStringLiteral("%1: %2 rows of x, f, f′").arg(name).arg(rows);
    if (withFprime == 0)
        return QStringLiteral("%1: %2 rows of x, f (no f′)").arg(name).arg(rows);
    return QStringLiteral("%1: %2 rows of x, f; f′ on %3").arg(name).arg(rows).arg(withFprime);
}

} // namespace sobolev
