// SPDX-License-Identifier: GPL-3.0-or-later
#include "runbundle.h"

#include "chartexport.h"
#include "tablewriter.h"

#include <QDir>

namespace sobolev {

bool writeRunBundle(const QString& dir, const RunRecord& run, QString* error) {
    return writeRunFolder(dir, run, error) && writeRunReport(dir, run, error);
}

bool writeRunReport(const QString& dir, const RunRecord& run, QString* error, double figureScale) {
    return writeFileAtomically(QDir(dir).filePath(QStringLiteral("metrics.md")),
                               metricsMarkdown(run.report, run.config), error) &&
           writeRunFigures(dir, run, error, documentFigureSize(figureScale));
}

} // namespace sobolev
