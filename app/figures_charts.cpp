// SPDX-License-Identifier: GPL-3.0-or-later
#include "figures.h"

#include "chartexport.h"
#include "runbundle.h"

namespace sobolev {

bool figuresAvailable() {
    return true;
}

bool writeRunFiguresInto(const QString& dir, const RunRecord& run, QString* error,
                         double figureScale, const std::vector<BaselineResult>& baselines) {
    return writeRunReport(dir, run, error, figureScale, baselines);
}

bool writeSweepFiguresInto(const QString& dir, const SweepView& view, QString* error) {
    return writeSweepFigures(dir, view, error);
}

} // namespace sobolev
