// SPDX-License-Identifier: GPL-3.0-or-later
#include "runbundle.h"

#include "chartexport.h"
#include "tablewriter.h"

#include <QDir>

namespace sobolev {

bool writeRunBundle(const QString& dir, const RunRecord& run, QString* error,
                    const std::vector<BaselineResult>& baselines) {
    return writeRunFolder(dir, run, error, baselines) &&
           writeRunReport(dir, run, error, 1, baselines);
}

bool writeRunReport(const QString& dir, const RunRecord& run, QString* error, double figureScale,
                    const std::vector<BaselineResult>& baselines) {
    return writeFileAtomically(QDir(dir).filePath(QStringLiteral("metrics.md")),
                               metricsMarkdown(run.report, run.config, baselines), error) &&
           writeRunFigures(dir, run, error, documentFigureSize(figureScale), documentPngScale,
                           baselines);
}

} // namespace sobolev
