// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainer.h"

#include "target.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace sobolev {

namespace {

const TrainConfig& checked(const TrainConfig& config) {
    const auto problems = validate(config);
    if (!problems.empty())
        throw std::invalid_argument("invalid training config: " + describe(problems));
    return config;
}

// The batch size follows n_train when it would exceed it (configNotes() says so).
TrainConfig withEffectiveBatch(TrainConfig config) {
    config.batchSize = effectiveBatchSize(config);
    return config;
}

// Enough columns to evaluate large sets in a few passes without a big workspace.
constexpr int evaluationChunk = 256;

} // namespace

Trainer::Trainer(const TrainConfig& config)
    : m_config(withEffectiveBatch(checked(config))), m_target(Target::fromConfig(config)),
      m_grid(Dataset::testGrid(config)), m_mlp(config.width, config.depth, config.activation),
      m_adam(m_mlp.parameterCount(), Adam::Options{config.learningRate}),
      m_shuffleRng(Rng::forStream(config.seed, ShuffleStream)), m_initialShuffleRng(m_shuffleRng) {
    std::tie(m_train, m_val) = Dataset::trainAndValidation(config);
    Rng weightRng = Rng::forStream(config.seed, WeightStream);
    m_mlp.initGlorot(weightRng);
    m_initialParams = m_mlp.parameters();
    m_mlp.reserve(std::max(m_config.batchSize, evaluationChunk));
    m_order.resize(config.nTrain);
    m_batchesPerEpoch = (config.nTrain + m_config.batchSize - 1) / m_config.batchSize;
    m_bx.resize(m_config.batchSize);
    m_bf.resize(m_config.batchSize);
    m_bfp.resize(m_config.batchSize);
    m_grad.resize(m_mlp.parameterCount());
    m_y.resize(std::max(config.nVal, config.gridPoints));
    m_dy.resize(m_y.size());
}

void Trainer::reset() {
    m_mlp.parameters() = m_initialParams;
    m_adam.reset();
    m_shuffleRng = m_initialShuffleRng;
    m_epochOpen = false;
    m_history.clear();
    m_seconds = 0;
    m_stopReason = StopReason::None;
    m_stopMessage.clear();
}

void Trainer::markStopped() {
    if (finished())
        return;
    m_stopReason = StopReason::Stopped;
    std::ostringstream msg;
    msg << "stopped by the user after " << epochsDone() << " of " << m_config.epochs << " epochs";
    m_stopMessage = msg.str();
}

void Trainer::startEpoch() {
    std::iota(m_order.begin(), m_order.end(), 0);
    m_shuffleRng.shuffle(m_order);
    m_nextBatch = 0;
    m_sumLoss = m_sumF = m_sumFprime = 0;
    m_epochOpen = true;
}

std::optional<std::string> Trainer::runBatch(int batchIndex) {
    const int start = batchIndex * m_config.batchSize;
    const int n = std::min(m_config.batchSize, m_config.nTrain - start);
    for (int i = 0; i < n; ++i) {
        const int k = m_order[start + i];
        m_bx[i] = m_train.x[k];
        m_bf[i] = m_train.f[k];
        m_bfp[i] = m_train.fprime[k];
    }
    const BatchLoss terms =
        m_mlp.lossAndGradient(m_bx.head(n), m_bf.head(n), m_bfp.head(n), float(m_config.alpha),
                              float(m_config.beta), m_grad);
    if (std::isnan(terms.loss))
        return "loss became NaN";
    if (!std::isfinite(terms.loss))
        return "loss became infinite";
    if (!m_grad.allFinite())
        return "gradient became infinite";
    m_adam.step(m_mlp.parameters(), m_grad);
    m_sumLoss += terms.loss;
    m_sumF += terms.mseF;
    m_sumFprime += terms.mseFprime;
    return std::nullopt;
}

void Trainer::finishEpoch(const EpochCallback& onEpoch) {
    EpochMetrics m;
    m.epoch = epochsDone() + 1;
    m.loss = m_sumLoss / m_batchesPerEpoch;
    m.mseF = m_sumF / m_batchesPerEpoch;
    m.mseFprime = m_sumFprime / m_batchesPerEpoch;

    const int nv = m_val.size();
    m_mlp.predict(m_val.x, m_y.head(nv), m_dy.head(nv));
    m.valMseF = double((m_y.head(nv) - m_val.f).squaredNorm()) / nv;
    m.valMseFprime = double((m_dy.head(nv) - m_val.fprime).squaredNorm()) / nv;
    m.valLoss = m_config.alpha * m.valMseF + m_config.beta * m.valMseFprime;
    m.seconds = m_seconds;
    m_epochOpen = false;
    if (!std::isfinite(m.valLoss))
        diverge(std::isnan(m.valLoss) ? "validation loss became NaN"
                                      : "validation loss became infinite",
                -1);
    m_history.push_back(m);
    if (!finished() && epochsDone() >= m_config.epochs) {
        m_stopReason = StopReason::Completed;
        m_stopMessage = "completed " + std::to_string(epochsDone()) + " epochs";
    }
    if (onEpoch)
        onEpoch(m);
}

void Trainer::diverge(const std::string& what, int batchIndex) {
    m_stopReason = StopReason::Diverged;
    std::ostringstream msg;
    msg << what << " at epoch " << epochsDone() + 1;
    if (batchIndex >= 0)
        msg << " (batch " << batchIndex + 1 << " of " << m_batchesPerEpoch << ")";
    if (std::max(m_config.alpha, m_config.beta) > 1e3)
        msg << "; try smaller alpha/beta or a smaller learning rate";
    else if (m_config.learningRate > 1e-2)
        msg << "; try a smaller learning rate";
    else
        msg << "; try a smaller learning rate or a smaller network";
    m_stopMessage = msg.str();
}

StopReason Trainer::train(int maxEpochs, const std::atomic<bool>* stop,
                          const EpochCallback& onEpoch) {
    using Clock = std::chrono::steady_clock;
    auto stopRequested = [stop] { return stop && stop->load(std::memory_order_relaxed); };
    for (int e = 0; e < maxEpochs && !finished(); ++e) {
        const auto began = Clock::now();
        if (!m_epochOpen)
            startEpoch();
        bool interrupted = false;
        while (m_nextBatch < m_batchesPerEpoch) {
            if (stopRequested()) {
                interrupted = true;
                break;
            }
            if (const auto failure = runBatch(m_nextBatch)) {
                diverge(*failure, m_nextBatch);
                break;
            }
            ++m_nextBatch;
        }
        m_seconds += std::chrono::duration<double>(Clock::now() - began).count();
        if (interrupted || finished())
            break;
        finishEpoch(onEpoch);
    }
    return m_stopReason;
}

StopReason Trainer::trainAll(const std::atomic<bool>* stop, const EpochCallback& onEpoch) {
    return train(m_config.epochs, stop, onEpoch);
}

Predictions Trainer::predictions() {
    const int n = m_grid.size();
    m_mlp.predict(m_grid.x, m_y.head(n), m_dy.head(n));
    Predictions p;
    p.x.resize(n);
    p.f.resize(n);
    p.fHat.resize(n);
    p.fprime.resize(n);
    p.fprimeHat.resize(n);
    for (int i = 0; i < n; ++i) {
        const double x = m_grid.x[i];
        p.x[i] = x;
        p.f[i] = m_target.f(x);
        p.fprime[i] = m_target.fprime(x);
        p.fHat[i] = m_y[i];
        p.fprimeHat[i] = m_dy[i];
    }
    return p;
}

FitReport Trainer::report() {
    FitReport r = compareOnGrid(predictions());
    r.epochsRun = epochsDone();
    r.trainSeconds = m_seconds;
    r.stopReason = m_stopReason;
    r.stopMessage = m_stopMessage;
    return r;
}

} // namespace sobolev
