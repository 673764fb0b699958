// SPDX-License-Identifier: GPL-3.0-or-later
#include "buildinfo.h"

#include "core/model/kernellevel.h"

#include <Eigen/Core>

#include <QCoreApplication>

#ifndef SOBOLEV_VERSION
#error "SOBOLEV_VERSION is set by ui/storage/CMakeLists.txt"
#endif

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::BuildInfo", text);
}

} // namespace

QString applicationVersion() {
    return QStringLiteral(SOBOLEV_VERSION);
}

QString buildDescription() {
#if defined(__clang__)
    const QString compiler = QStringLiteral("Clang %1.%2.%3")
                                 .arg(__clang_major__)
                                 .arg(__clang_minor__)
                                 .arg(__clang_patchlevel__);
#elif defined(__GNUC__)
    const QString compiler =
        QStringLiteral("GCC %1.%2.%3").arg(__GNUC__).arg(__GNUC_MINOR__).arg(__GNUC_PATCHLEVEL__);
#else
    const QString compiler = tr("an unknown compiler");
#endif
    const QString kernels = QString::fromStdString(kernelLevel());
#if SOBOLEV_NATIVE_BUILD
    return tr("%1, native (-march=native: for this machine's CPU only), kernels %2")
        .arg(compiler, kernels);
#else
    return tr("%1, portable (any x86-64 CPU), kernels %2").arg(compiler, kernels);
#endif
}

QString libraryVersions() {
    return tr("Qt %1 (built with %2), Eigen %3.%4.%5")
        .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
        .arg(EIGEN_WORLD_VERSION)
        .arg(EIGEN_MAJOR_VERSION)
        .arg(EIGEN_MINOR_VERSION);
}

} // namespace sobolev
