#include "runbundle.h"

#include "chartexport.h"
#include "tablewriter.h"

#include <QDir>
#include <QFileInfo>

namespace sobolev {

bool writeRunBundle(const QString& dir, const RunRecord& run, QString* error) {
    return writeRunFolder(dir, run, error) && writeRunReport(dir, run, error);
}

bool writeRunReport(const QString& dir, const RunRecord& run, QString* error) {
    return writeFileAtomically(QDir(dir).filePath(QStringLiteral("metrics.md")),
                               metricsMarkdown(run.report, run.config), error) &&
           writeRunFigures(dir, run, error);
}

bool isFreshFolder(const QString& dir, QString* error) {
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QStringLiteral("%1: exists and is not a folder").arg(dir);
        return false;
    }
    if (info.exists() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        *error = QStringLiteral("%1: the folder is not empty; choose a new or empty folder "
                                "so that no earlier run is overwritten")
                     .arg(dir);
        return false;
    }
    return true;
}

} // namespace sobolev
