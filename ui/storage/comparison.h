// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace sobolev {

// One run as the comparison view shows it: `id` identifies it to whoever owns the runs (the
// run history), `name` is what the user called it, `number` is its number there ("#4"; 0 for
// a run stored before runs had numbers).
struct ComparedRun {
    QString id;
    QString name;
    RunRecord run;
    int number = 0;

    // How labels name the run: its number, else its id.
    QString numberText() const;
};

// For each config a short label naming only the knobs that differ between the configs, as
// each run used them: {"β=0", "β=0.1", "β=1"}, {"β=1, seed 2", "β=5, seed 2"} or
// {"β=1", "β 1→10 @300"} (a live change). "run 4", "run 7", … when nothing differs. Labels
// that would still coincide (two identical configs among others) get " (run 4)" appended, so
// every legend entry names one run. The runs are named by `runNumbers` (their numbers in the
// history), or by their positions from 1 when it is empty.
QStringList differenceLabels(const QList<TrainConfig>& configs, const QStringList& runNumbers = {});

// Seed ensembles: the configs that are equal in everything but the seed (the test grid
// included, so that their predictions line up point by point), as groups of indices into
// `configs`. Groups in the order of their first config, each in seed order; a config without
// a partner is a group of one.
QList<QList<int>> groupBySeed(const QList<TrainConfig>& configs);

// For each group of groupBySeed(configs), a label naming the knobs that differ between the
// groups, the seed left out, and the group's size: {"β=1 (3 seeds)", "β=5 (2 seeds)"};
// "group 1 (3 seeds)", … when the groups differ in nothing a label names.
QStringList groupLabels(const QList<TrainConfig>& configs, const QList<QList<int>>& groups);

} // namespace sobolev
