// SPDX-License-Identifier: GPL-3.0-or-later
#include "shownepoch.h"

#include <QCoreApplication>

namespace sobolev {

FitReport errorsAt(const FitReport& report, ShownEpoch which) {
    if (which == ShownEpoch::Final || report.best.epoch <= 0)
        return report;
    FitReport shown = report;
    shown.mseF = report.best.mseF;
    shown.mseFprime = report.best.mseFprime;
    shown.maxErrF = report.best.maxErrF;
    shown.maxErrFprime = report.best.maxErrFprime;
    shown.xMaxErrF = report.best.xMaxErrF;
    shown.xMaxErrFprime = report.best.xMaxErrFprime;
    shown.relL2F = report.best.relL2F;
    shown.relL2Fprime = report.best.relL2Fprime;
    shown.hasFprime = report.best.hasFprime;
    return shown;
}

QString shownEpochSuffix(ShownEpoch which) {
    return which == ShownEpoch::Best
               ? QCoreApplication::translate("sobolev::ShownEpoch", " (best epoch)")
               : QString();
}

} // namespace sobolev
