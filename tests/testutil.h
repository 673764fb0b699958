// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers every room's tests use: the small configs that train in milliseconds and the
// bit-for-bit comparisons of what a run produces. Each room's own helpers live beside its
// tests (core/coretestutil.h, storage/storagetestutil.h, charts/charttestutil.h, …).

#include "core/config/trainconfig.h"
#include "core/train/trainer.h"

#include <cmath>
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
template <typename T> bool sameBits(const T& a, const T& b) {
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
            !sameBits(x.valMseF, y.valMseF) || !sameBits(x.valMseFprime, y.valMseFprime) ||
            !sameBits(x.learningRate, y.learningRate) || x.phase != y.phase ||
            !sameBits(x.alpha, y.alpha) || !sameBits(x.beta, y.beta))
            return false;
    }
    return true;
}

// Two snapshot series equal to the bit (Trainer::snapshots(), snapshots.bin).
inline bool sameSnapshots(const SnapshotSeries& a, const SnapshotSeries& b) {
    const auto sameFloats = [](const std::vector<float>& u, const std::vector<float>& v) {
        return u.size() == v.size() &&
               std::memcmp(u.data(), v.data(), u.size() * sizeof(float)) == 0;
    };
    if (a.x != b.x || a.snapshots.size() != b.snapshots.size())
        return false;
    for (std::size_t i = 0; i < a.snapshots.size(); ++i) {
        const Snapshot &s = a.snapshots[i], &t = b.snapshots[i];
        if (!sameBits(s.position, t.position) || s.epoch != t.epoch || s.batch != t.batch ||
            s.phase != t.phase || !sameBits(s.alpha, t.alpha) || !sameBits(s.beta, t.beta) ||
            !sameFloats(s.fHat, t.fHat) || !sameFloats(s.fprimeHat, t.fprimeHat))
            return false;
    }
    return true;
}

// Every metric of two reports equal to the bit (mseF, mseFprime, maxErrF, maxErrFprime), and the
// same epochs run and stop reason and message; `trainSeconds` (wall-clock time) aside.
inline bool sameReport(const FitReport& a, const FitReport& b) {
    // The relative and location measures are NaN when unknown (a NaN's bits need not survive
    // JSON).
    const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
    return sameBits(a.mseF, b.mseF) && sameBits(a.mseFprime, b.mseFprime) &&
           sameBits(a.maxErrF, b.maxErrF) && sameBits(a.maxErrFprime, b.maxErrFprime) &&
           same(a.relL2F, b.relL2F) && same(a.relL2Fprime, b.relL2Fprime) &&
           same(a.xMaxErrF, b.xMaxErrF) && same(a.xMaxErrFprime, b.xMaxErrFprime) &&
           a.epochsRun == b.epochsRun && a.stopReason == b.stopReason &&
           a.stopMessage == b.stopMessage && a.metricsOn == b.metricsOn &&
           a.hasFprime == b.hasFprime && a.best.hasFprime == b.best.hasFprime;
}

// Every element of two vectors equal to the bit.
inline bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0);
}

// The network's values and derivatives on the test grid, and the grid and targets, equal to the
// bit: where the parameters are not at hand (a sweep result, the controller), equal outputs on
// every grid point stand in for them.
inline bool samePredictions(const Predictions& a, const Predictions& b) {
    return sameValues(a.x, b.x) && sameValues(a.f, b.f) && sameValues(a.fHat, b.fHat) &&
           sameValues(a.fprime, b.fprime) && sameValues(a.fprimeHat, b.fprimeHat) &&
           sameValues(a.curveX, b.curveX) && sameValues(a.curveFHat, b.curveFHat) &&
           sameValues(a.curveFprimeHat, b.curveFprimeHat);
}

} // namespace sobolev::testutil
