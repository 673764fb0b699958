// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A real run with snapshots, for the animation tests: trained here, with the network recorded
// after every batch of the first epoch and at the end of every row.

#include "animationframes.h"
#include "core/train/trainer.h"

namespace sobolev::animationtest {

inline Snapshot snapshotOf(Trainer& trainer, double position, int epoch, int batch) {
    const Predictions p = trainer.predictions();
    Snapshot s;
    s.position = position;
    s.epoch = epoch;
    s.batch = batch;
    s.phase = trainer.phase();
    s.alpha = trainer.knobValue(Knob::Alpha);
    s.beta = trainer.knobValue(Knob::Beta);
    s.fHat.assign(p.fHat.begin(), p.fHat.end());
    s.fprimeHat.assign(p.fprimeHat.begin(), p.fprimeHat.end());
    return s;
}

inline AnimatedRun trainedRun(const TrainConfig& config, const QString& label = {}) {
    Trainer trainer(config);
    AnimatedRun a;
    a.label = label;
    a.snapshots.x = trainer.predictions().x;
    a.snapshots.snapshots.push_back(snapshotOf(trainer, 0, 0, 0));
    const int batches = (config.nTrain + config.batchSize - 1) / config.batchSize;
    trainer.trainAll(nullptr, [&](const EpochMetrics& m) {
        a.snapshots.snapshots.push_back(snapshotOf(trainer, m.epoch, m.epoch, 0));
    });
    // The first epoch again, batch by batch, in a second trainer of the same config.
    Trainer first(config);
    std::vector<Snapshot> batchSnapshots;
    first.train(1, nullptr, {}, [&](int epoch, int batch) {
        if (epoch == 1)
            batchSnapshots.push_back(snapshotOf(first, double(batch) / batches, epoch, batch));
    });
    auto& s = a.snapshots.snapshots;
    s.insert(s.begin() + 1, batchSnapshots.begin(), batchSnapshots.end());
    a.run = {trainer.config(), trainer.history(), trainer.predictions(), trainer.report()};
    return a;
}

} // namespace sobolev::animationtest
