// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the checkpoint reader (checkpoint.bin of an interrupted run). Bytes that
// read without an error must be written back to the same bytes (the format has one way to
// write each value; an older version's bytes are written as the current version, which must
// read back to itself), and must either be refused by Trainer::restore() of a small run with a
// message or leave a trainer that trains on without a crash.
#include "core/train/checkpoint.h"
#include "core/train/trainer.h"
#include "fuzzcheck.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

// The magic line's length: the format's version follows it (little-endian).
constexpr std::size_t versionOffset = 29;

// The run the seed corpus was taken from: Adam, then L-BFGS, in two precisions.
sobolev::TrainConfig smallRun() {
    sobolev::TrainConfig c;
    c.width = 4;
    c.nTrain = 24;
    c.batchSize = 8;
    c.nVal = 8;
    c.gridPoints = 11;
    c.epochs = 3;
    c.lbfgsIterations = 3;
    c.lbfgsHistory = 2;
    c.schedule = sobolev::Schedule::Plateau;
    c.patience = 1;
    c.restoreBest = true;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    sobolev::TrainerCheckpoint checkpoint;
    try {
        checkpoint = sobolev::checkpointFromBytes(bytes);
    } catch (const std::runtime_error&) {
        return 0;
    }
    const std::string written = sobolev::checkpointBytes(checkpoint);
    if (written != bytes)
        FUZZ_CHECK(sobolev::checkpointBytes(sobolev::checkpointFromBytes(written)) == written &&
                   written.compare(0, versionOffset, bytes.substr(0, versionOffset)) == 0 &&
                   written[versionOffset] > bytes[versionOffset]);
    sobolev::Trainer trainer(smallRun());
    trainer.setFullBatchThreads(1);
    try {
        trainer.restore(checkpoint);
    } catch (const std::invalid_argument&) {
        FUZZ_CHECK(trainer.epochsDone() == 0); // refused: back at the start
        return 0;
    }
    trainer.train(2);
    trainer.report();
    return 0;
}
