// SPDX-License-Identifier: GPL-3.0-or-later
#include "partialfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sobolev {

PartialFile::PartialFile(const QString& target, QString* error) : m_target(target) {
    const QFileInfo info(target);
    // Five tries: a clash with another export's name is all that a retry can cure.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const QString candidate = info.absoluteDir().filePath(
            QStringLiteral(".%1.%2.part")
                .arg(info.fileName())
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));
        QFile file(candidate);
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            m_path = candidate;
            return;
        }
        if (file.error() != QFileDevice::OpenError || !QFileInfo::exists(candidate)) {
            *error = QCoreApplication::translate("sobolev::PartialFile",
                                                 "Cannot write %1 in the folder %2: %3")
                         .arg(info.fileName(), info.absolutePath(), file.errorString());
            return;
        }
    }
    *error = QCoreApplication::translate("sobolev::PartialFile",
                                         "Cannot create a temporary file beside %1.")
                 .arg(target);
}

PartialFile::~PartialFile() {
    if (!m_committed && !m_path.isEmpty())
        QFile::remove(m_path);
}

bool PartialFile::commit(QString* error) {
    // rename(2) rather than QFile::rename: it replaces an existing target atomically.
    if (std::rename(QFile::encodeName(m_path).constData(),
                    QFile::encodeName(m_target).constData()) != 0) {
        *error = QCoreApplication::translate("sobolev::PartialFile", "Cannot write %1: %2")
                     .arg(m_target, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_committed = true;
    return true;
}

} // namespace sobolev
