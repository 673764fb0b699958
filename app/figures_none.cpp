// SPDX-License-Identifier: GPL-3.0-or-later
#include "figures.h"

namespace sobolev {

namespace {

bool noFigures(QString* error) {
    *error = QStringLiteral("this build has no figures: it was built without the window "
                            "(-DSOBOLEV_BUILD_UI=OFF)");
    return false;
}

} // namespace

bool figuresAvailable() {
    return false;
}

bool writeRunFiguresInto(const QString&, const RunRecord&, QString* error, double,
                         const std::vector<BaselineResult>&) {
    return noFigures(error);
}

bool writeReportInto(const QString&, const RunRecord&, ReportPage, QString* error,
                     const std::vector<BaselineResult>&) {
    return noFigures(error);
}

bool writeSweepFiguresInto(const QString&, const SweepView&, QString* error) {
    return noFigures(error);
}

QStringList animationProblems(const AnimateOptions&) {
    QString error;
    noFigures(&error);
    return {error};
}

bool writeAnimation(const AnimateOptions&, const QList<RunRecord>&, const QStringList&, bool,
                    QString* error) {
    return noFigures(error);
}

} // namespace sobolev
