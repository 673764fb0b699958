#pragma once

#include "runfiles.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace sobolev {

// One run as the comparison view shows it: `id` identifies it to whoever owns the runs (the
// run history), `name` is what the user called it.
struct ComparedRun {
    QString id;
    QString name;
    RunRecord run;
};

// For each config a short label naming only the knobs that differ between the configs, e.g.
// {"β=0", "β=0.1", "β=1"} or {"β=1, seed 2", "β=5, seed 2"}; "run 1", "run 2", … when
// nothing differs. Labels that would still coincide (two identical configs among others)
// get " (run n)" appended, so every legend entry names one run.
QStringList differenceLabels(const QList<TrainConfig>& configs);

} // namespace sobolev
