// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers of the core tests: parameters equal to the bit, and how a diverged run reports.

#include "core/train/hooks.h"
#include "testutil.h"

#include <atomic>
#include <memory>
#include <regex>
#include <string>

namespace sobolev::testutil {

// Two parameter vectors (or any Eigen vectors) of one size, every element equal to the bit.
template <typename V> bool sameParameters(const V& a, const V& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), sizeof(typename V::Scalar) * std::size_t(a.size())) == 0;
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

// Raises `flag` after every `every`-th batch and does nothing else: a pause pressed at a
// known batch.
class RaiseFlagEvery final : public TrainingHook {
  public:
    RaiseFlagEvery(int every, std::shared_ptr<std::atomic<bool>> flag)
        : m_every(every), m_flag(std::move(flag)) {}
    std::string_view name() const override { return "raise the stop flag"; }
    HookResult afterBatch(HookContext&) override {
        if (++m_batches % m_every == 0)
            *m_flag = true;
        return HookResult::Continue;
    }
    void reset() override { m_batches = 0; }

  private:
    int m_every;
    long long m_batches = 0;
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace sobolev::testutil
