// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs as the run history keeps them, for the tests of storage and of the views over it.

#include "runfolder.h"
#include "runhistory.h"
#include "testutil.h"

#include <QDebug>
#include <QList>
#include <QStringList>

#include <cmath>

namespace sobolev::testutil {

// A run as the trainer leaves it after `epochs` epochs, marked stopped if `stop`.
inline RunRecord trainRecord(const TrainConfig& config, int epochs, bool stop = false) {
    Trainer trainer(config);
    trainer.train(epochs);
    if (stop)
        trainer.markStopped();
    return {config, trainer.history(), trainer.predictions(), trainer.report(),
            trainer.snapshots()};
}

// Three runs as the run history keeps them: completed (β 1, seed 12345), stopped after 2 of
// 3 epochs (β 5, seed 3), and diverged (NaN in its last epoch and its errors).
inline QList<RunRecord> sampleRuns() {
    auto config = [](double beta, std::uint64_t seed) {
        TrainConfig c = tinyConfig(3);
        c.beta = beta;
        c.seed = seed;
        return c;
    };
    QList<RunRecord> runs{trainRecord(config(1, 12345), 3), trainRecord(config(5, 3), 2, true)};
    RunRecord diverged = trainRecord(config(0.5, 7), 3);
    diverged.config.learningRate = 0.5;
    diverged.history.back().loss = std::nan("");
    diverged.history.back().valMseF = std::nan("");
    diverged.report.mseF = diverged.report.mseFprime = std::nan("");
    diverged.report.stopReason = StopReason::Diverged;
    diverged.report.stopMessage =
        "loss became NaN in epoch 3, batch 1; try a smaller learning rate";
    runs << diverged;
    return runs;
}

// Adds `runs` to `history` and returns their ids (an empty id where one was refused).
inline QStringList addRuns(RunHistory& history, const QList<RunRecord>& runs) {
    QStringList ids;
    for (const RunRecord& run : runs) {
        QString error;
        const QString id = history.add(run, {}, &error);
        if (id.isEmpty())
            qWarning() << error;
        ids << id;
    }
    return ids;
}

} // namespace sobolev::testutil
