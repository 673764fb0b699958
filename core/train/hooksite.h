// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The trainer's own: the HookContext its hooks see (core/trainer.cpp).

#include "core/train/hooks.h"
#include "core/train/trainer.h"

namespace sobolev {

// The trainer at one point of its loop: after a batch with its loss terms, after a row with
// the row, or elsewhere with neither.
class Trainer::HookSite final : public HookContext {
  public:
    explicit HookSite(Trainer& trainer, int batch = 0, const BatchLoss* batchLoss = nullptr,
                      const EpochMetrics* row = nullptr);

    TrainingHook* hook = nullptr; // the one being called, for the record

    Phase phase() const override;
    int epoch() const override;
    int batch() const override { return m_batch; }
    int batchesPerEpoch() const override;
    const BatchLoss& batchLoss() const override;
    const EpochMetrics& row() const override;
    void requestTermGradients() override;
    const TermGradients& termGradients() const override;
    // The gradients atTermGradients hooks see here.
    const TermGradients* gradients = nullptr;
    double knob(Knob knob) const override;
    void setKnob(Knob knob, double value) override;
    void setLossWeights(double alpha, double beta) override;
    void recordEvent(HookAction::Kind kind, Knob knob, double from, double to) override;
    double learningRate() const override;
    void setLearningRate(double rate) override;
    Eigen::VectorXd parameters() const override;
    Precision precision() const override;
    void restoreWeights(const Eigen::VectorXd& weights, Precision p, int epoch,
                        const std::string& note) override;

    // Records an action of `hook` here.
    void note(HookAction::Kind kind, Knob knob = Knob::Alpha, double from = 0, double to = 0);

  private:
    Trainer& m_t;
    int m_batch;
    const BatchLoss* m_batchLoss;
    const EpochMetrics* m_row;
};

} // namespace sobolev
