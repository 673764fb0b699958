// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knobchange.h"
#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/model/sobolevloss.h"
#include "core/optim/staterecord.h"

#include <Eigen/Core>

#include <string>
#include <string_view>

namespace sobolev {

// Training hooks: small objects the trainer calls at fixed points of its loop, which may keep
// state and act (after ensmallen's callbacks and ceres' IterationCallback). The built-in ones
// are core/train/knobchangehook.h, bestweightshook.h and plateauhook.h. A hook must act only
// on what the context tells it, never on time or a stop flag: then a run paused and resumed
// anywhere is the same run to the bit.

// What a hook tells the loop: go on, or end the run (it then completes, as when its rows are
// done; restore_best applies).
enum class HookResult { Continue, Stop };

// One thing a hook did, as the trainer records it (Trainer::hookActions()).
struct HookAction {
    // The Balance kinds are a balancing rule's events (core/train/balancehook.h); its weights
    // themselves go into the history's alpha and beta columns, not here.
    enum class Kind {
        SetKnob,
        SetLearningRate,
        RestoreWeights,
        StopRun,
        BalanceStarted,   // to = beta / alpha at the start
        BalanceFrozen,    // for L-BFGS: from = alpha, to = beta
        BalanceOverridden // a change of `knob` from `from` to `to` ended the rule
    };
    int epoch = 0;    // the row in progress, or just recorded
    int batch = 0;    // the batch about to run or just run; 0 outside a mini-batch loop
    std::string hook; // its name()
    Kind kind = Kind::SetKnob;
    Knob knob = Knob::Alpha; // SetKnob
    double from = 0, to = 0; // the old and new value; RestoreWeights: to = the epoch
};
// "epoch 4, batch 2: knob changes set beta 1 -> 10"
std::string describe(const HookAction& action);

// Each term's gradient on the batch about to run, at the weights before its step, in double:
// grad MSE_f and grad MSE_f' unweighted (the layout of the network's parameters), their loss
// terms, and where the last hidden layer's weight matrix sits in them.
struct TermGradients {
    BatchLoss terms;
    Eigen::VectorXd gradF, gradFprime;
    Eigen::Index lastHiddenOffset = 0, lastHiddenSize = 0;
};

// Where the loop is, and what a hook may do there. Every change a hook makes is recorded.
class HookContext {
  public:
    virtual ~HookContext() = default;

    virtual Phase phase() const = 0;
    // The 1-based row: in progress (phase start, batches) or just recorded (after an epoch,
    // at completion).
    virtual int epoch() const = 0;
    // The 1-based batch about to run (beforeBatch) or just run (afterBatch); 0 elsewhere.
    virtual int batch() const = 0;
    virtual int batchesPerEpoch() const = 0;
    // afterBatch: the batch's loss terms, taken before its step.
    virtual const BatchLoss& batchLoss() const = 0;
    // afterEpoch: the row just recorded.
    virtual const EpochMetrics& row() const = 0;
    // beforeBatch: asks for each term's gradient on the batch about to run. The trainer then
    // calls every hook's atTermGradients() before the step, and the step takes
    // alpha grad MSE_f + beta grad MSE_f' with the weights in force after them: the same
    // gradient as a plain step up to rounding, for the cost of a second backward pass.
    virtual void requestTermGradients() = 0;
    // atTermGradients: the gradients asked for.
    virtual const TermGradients& termGradients() const = 0;

    // The knob in force; for the learning rate, the schedule's base rate.
    virtual double knob(Knob knob) const = 0;
    // Sets alpha, beta or the base rate from the next batch on, as a live change does.
    // Throws std::invalid_argument for a value out of the knob's range, or alpha and beta
    // both 0.
    virtual void setKnob(Knob knob, double value) = 0;
    // Sets alpha and beta from the next step on, as a balancing rule does: checked as
    // setKnob() is, but not recorded as an action (the history's alpha and beta columns show
    // them).
    virtual void setLossWeights(double alpha, double beta) = 0;
    // Records an event that changes nothing by itself (a balancing rule starting, freezing or
    // giving way to a change).
    virtual void recordEvent(HookAction::Kind kind, Knob knob, double from, double to) = 0;
    // The Adam rate of the batch in progress, or of the next epoch; NaN in a full-batch phase.
    virtual double learningRate() const = 0;
    // Holds the rate at `rate` from the next epoch on (schedule=plateau, whose rate is not a
    // function of the epoch; scale the other shapes through setKnob). Throws std::logic_error
    // for another schedule.
    virtual void setLearningRate(double rate) = 0;

    // The network's weights now, in double (exact for a float network), and their precision.
    virtual Eigen::VectorXd parameters() const = 0;
    virtual Precision precision() const = 0;
    // At completion only: puts back weights kept earlier (from row `epoch`, in precision `p`)
    // and adds `note` to the stop message.
    virtual void restoreWeights(const Eigen::VectorXd& weights, Precision p, int epoch,
                                const std::string& note) = 0;
};

// A hook overrides the points it needs; the others continue.
class TrainingHook {
  public:
    virtual ~TrainingHook() = default;
    virtual std::string_view name() const = 0;
    // Before the first row of each phase (Adam's epochs, L-BFGS's iterations).
    virtual HookResult atPhaseStart(HookContext& context);
    // Around every mini-batch step.
    virtual HookResult beforeBatch(HookContext& context);
    virtual HookResult afterBatch(HookContext& context);
    // Before the step of a batch whose term gradients a hook asked for (requestTermGradients()).
    virtual HookResult atTermGradients(HookContext& context);
    // After every history row: an epoch, or a full-batch iteration.
    virtual HookResult afterEpoch(HookContext& context);
    // The run completed (its rows done, converged, or a hook stopped it).
    virtual void atCompletion(HookContext& context);
    // Back to the state before the run (Trainer::reset()).
    virtual void reset();
    // What it keeps between the points it is called at, for a checkpoint (Trainer::
    // checkpoint()); restoreState() puts it back into a hook made for the same run, and throws
    // std::invalid_argument when `state` is not its own. A hook that keeps nothing keeps the
    // defaults: an empty record.
    virtual StateRecord saveState() const;
    virtual void restoreState(const StateRecord& state);
};

} // namespace sobolev
