// SPDX-License-Identifier: GPL-3.0-or-later
#include "figures.h"

#include "chartexport.h"
#include "reportpdf.h"
#include "runbundle.h"

#include <QDir>

namespace sobolev {

bool figuresAvailable() {
    return true;
}

bool writeRunFiguresInto(const QString& dir, const RunRecord& run, QString* error,
                         double figureScale, const std::vector<BaselineResult>& baselines) {
    return writeRunReport(dir, run, error, figureScale, baselines);
}

bool writeReportInto(const QString& dir, const RunRecord& run, ReportPage page, QString* error,
                     const std::vector<BaselineResult>& baselines) {
    return writeReport({QDir(dir).filePath(QStringLiteral("report.pdf")), page, true, {}}, run,
                       error, baselines);
}

bool writeSweepFiguresInto(const QString& dir, const SweepView& view, QString* error) {
    return writeSweepFigures(dir, view, error);
}

} // namespace sobolev
