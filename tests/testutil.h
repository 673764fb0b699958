#pragma once

// Helpers shared by the test executables: the small configs that train in milliseconds and
// the comparisons the tests make over and over.

#include "trainconfig.h"
#include "trainer.h"

#include <cmath>
#include <cstring>
#include <regex>
#include <string>
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

// Every metric of two reports equal to the bit (mseF, mseFprime, maxErrF, maxErrFprime), and the
// same epochs run and stop reason and message; `trainSeconds` (wall-clock time) aside.
inline bool sameReport(const FitReport& a, const FitReport& b) {
    return sameBits(a.mseF, b.mseF) && sameBits(a.mseFprime, b.mseFprime) &&
           sameBits(a.maxErrF, b.maxErrF) && sameBits(a.maxErrFprime, b.maxErrFprime) &&
           a.epochsRun == b.epochsRun && a.stopReason == b.stopReason &&
           a.stopMessage == b.stopMessage;
}

// Two parameter vectors (or any Eigen vectors) of one size, every element equal to the bit.
template <typename V>
bool sameParameters(const V& a, const V& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), sizeof(typename V::Scalar) * std::size_t(a.size())) == 0;
}

// Every element of two vectors equal to the bit.
inline bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0);
}

// For a diverged run, whether its stop message and its history agree; empty when they do.
// "... at epoch K (batch b of m)": a batch of epoch K failed, so K - 1 epochs are recorded.
// "validation loss became ... at epoch K": epoch K is recorded, with its non-finite validation
// loss. Every epoch recorded before the fault is finite.
inline std::string divergenceProblem(const Trainer& t) {
    const std::string& msg = t.stopMessage();
    if (t.stopReason() != StopReason::Diverged)
        return "not diverged: " + msg;
    std::smatch where;
    if (!std::regex_search(msg, where, std::regex(R"(at epoch (\d+)( \(batch (\d+) of (\d+)\))?)")))
        return "no epoch in: " + msg;
    const int epoch = std::stoi(where[1]);
    const bool inBatch = where[2].matched;
    const auto& h = t.history();
    const TrainConfig& c = t.config();
    if (inBatch) {
        const int batch = std::stoi(where[3]), batches = std::stoi(where[4]);
        if (t.epochsDone() != epoch - 1)
            return std::to_string(t.epochsDone()) + " epochs recorded for: " + msg;
        if (batches != (c.nTrain + c.batchSize - 1) / c.batchSize || batch < 1 || batch > batches)
            return "wrong batch numbers in: " + msg;
    } else {
        if (msg.rfind("validation loss became", 0) != 0)
            return "neither a batch nor the validation named in: " + msg;
        if (t.epochsDone() != epoch || std::isfinite(h.back().valLoss))
            return std::to_string(t.epochsDone()) + " epochs recorded for: " + msg;
    }
    for (std::size_t i = 0; i + (inBatch ? 0 : 1) < h.size(); ++i)
        if (!std::isfinite(h[i].loss) || !std::isfinite(h[i].valLoss))
            return "non-finite epoch " + std::to_string(i + 1) + " before the fault: " + msg;
    return {};
}

// The network's values and derivatives on the test grid, and the grid and targets, equal to the
// bit: where the parameters are not at hand (a sweep result, the controller), equal outputs on
// every grid point stand in for them.
inline bool samePredictions(const Predictions& a, const Predictions& b) {
    return sameValues(a.x, b.x) && sameValues(a.f, b.f) && sameValues(a.fHat, b.fHat) &&
           sameValues(a.fprime, b.fprime) && sameValues(a.fprimeHat, b.fprimeHat);
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
