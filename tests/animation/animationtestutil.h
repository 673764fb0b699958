// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A real run with its snapshots, as the trainer records them, for the animation tests.

#include "animationframes.h"
#include "core/train/trainer.h"

namespace sobolev::animationtest {

inline AnimatedRun trainedRun(const TrainConfig& config, const QString& label = {}) {
    Trainer trainer(config);
    trainer.trainAll();
    return {{trainer.config(), trainer.history(), trainer.predictions(), trainer.report(),
             trainer.snapshots()},
            label};
}

} // namespace sobolev::animationtest
