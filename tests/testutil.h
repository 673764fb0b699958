#pragma once

// Helpers shared by the test executables: the small configs that train in milliseconds and
// the comparisons the tests make over and over.

#include "trainconfig.h"
#include "trainer.h"

#include <cstring>
#include <vector>

namespace sobolev::testutil {

// Trains in about a millisecond per epoch: 6 wide, 64 training points.
inline TrainConfig tinyConfig(int epochs = 4) {
    TrainConfig c;
    c.width = 6;
    c.nTrain = 64;
    c.batchSize = 16;
    c.nVal = 16;
    c.epochs = epochs;
    c.gridPoints = 21;
    return c;
}

// Large enough to learn something in a few dozen epochs: 16 wide, 256 training points.
inline TrainConfig smallConfig(int epochs = 30) {
    TrainConfig c;
    c.width = 16;
    c.nTrain = 256;
    c.nVal = 64;
    c.batchSize = 32;
    c.epochs = epochs;
    c.gridPoints = 101;
    return c;
}

// Equal to the bit: NaN equals NaN, and 0.0 differs from -0.0.
template <typename T>
bool sameBits(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// Every field of every epoch equal to the bit, `seconds` (wall-clock time) aside.
inline bool sameHistory(const std::vector<EpochMetrics>& a, const std::vector<EpochMetrics>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const EpochMetrics& x = a[i];
        const EpochMetrics& y = b[i];
        if (x.epoch != y.epoch || !sameBits(x.loss, y.loss) || !sameBits(x.mseF, y.mseF) ||
            !sameBits(x.mseFprime, y.mseFprime) || !sameBits(x.valLoss, y.valLoss) ||
            !sameBits(x.valMseF, y.valMseF) || !sameBits(x.valMseFprime, y.valMseFprime))
            return false;
    }
    return true;
}

} // namespace sobolev::testutil

#if __has_include("runfolder.h")
#include "runfolder.h"

namespace sobolev::testutil {

// A run as the trainer leaves it after `epochs` epochs, marked stopped if `stop`.
inline RunRecord trainRecord(const TrainConfig& config, int epochs, bool stop = false) {
    Trainer trainer(config);
    trainer.train(epochs);
    if (stop)
        trainer.markStopped();
    return {config, trainer.history(), trainer.predictions(), trainer.report()};
}

} // namespace sobolev::testutil
#endif
