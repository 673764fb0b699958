// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/knobregistry.h"

#include "core/config/numbertext.h"
#include "core/config/presets.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace sobolev {

namespace {

constexpr double unbounded = std::numeric_limits<double>::infinity();

// --- When a knob applies -------------------------------------------------------------------
bool always(const TrainConfig&) {
    return true;
}
bool adamRuns(const TrainConfig& c) {
    return c.epochs > 0;
}
bool withData(const TrainConfig& c) {
    return !c.data.empty();
}
bool withoutData(const TrainConfig& c) {
    return c.data.empty();
}
// Only a preset with a parameter reads target_param (core/target.cpp).
bool presetHasParameter(const TrainConfig& c) {
    const PresetInfo* preset = presetByName(c.target);
    return withoutData(c) && preset && preset->paramName;
}
// core/schedule.cpp: every schedule but constant has a floor; step and plateau decay by
// decay_factor; step_epochs is step's, patience plateau's.
bool scheduleHasFloor(const TrainConfig& c) {
    return adamRuns(c) && c.schedule != Schedule::Constant;
}
bool scheduleDecays(const TrainConfig& c) {
    return adamRuns(c) && (c.schedule == Schedule::Step || c.schedule == Schedule::Plateau);
}
bool stepSchedule(const TrainConfig& c) {
    return adamRuns(c) && c.schedule == Schedule::Step;
}
bool plateauSchedule(const TrainConfig& c) {
    return adamRuns(c) && c.schedule == Schedule::Plateau;
}
bool lbfgsRuns(const TrainConfig& c) {
    return c.lbfgsIterations > 0;
}
// A balancing rule acts while Adam trains; each reads only its own parameters.
bool balancing(const TrainConfig& c) {
    return adamRuns(c) && c.balance != Balance::Off;
}
bool gradientBalancing(const TrainConfig& c) {
    return adamRuns(c) && balanceUsesGradients(c.balance);
}
template <Balance rule> bool balancingBy(const TrainConfig& c) {
    return adamRuns(c) && c.balance == rule;
}

// --- Choice names ----------------------------------------------------------------------------
template <typename Enum>
std::vector<std::string> namesOf(const std::vector<Enum>& all, std::string_view (*nameOf)(Enum)) {
    std::vector<std::string> names;
    for (Enum e : all)
        names.emplace_back(nameOf(e));
    return names;
}
std::vector<std::string> activationNames() {
    return namesOf(allActivations(), activationName);
}
std::vector<std::string> scheduleNames() {
    return namesOf(allSchedules(), scheduleName);
}
std::vector<std::string> precisionNames() {
    return namesOf(allPrecisions(), precisionName);
}
std::vector<std::string> samplingNames() {
    return namesOf(allSamplings(), samplingName);
}
std::vector<std::string> balanceNames() {
    return namesOf(allBalances(), balanceName);
}
std::vector<std::string> samplingLabels() {
    return {"uniform random", "equispaced", "Chebyshev nodes"};
}

// The network.
std::vector<KnobInfo> networkRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Width,
         .key = "width",
         .flag = "width",
         .label = "Width",
         .symbol = "width",
         .help = "Neurons in each hidden layer.",
         .kind = KnobKind::Int,
         .min = minWidth,
         .max = maxWidth,
         .unit = "neurons",
         .sweepable = true,
         .required = true,
         .appliesTo = always,
         .intField = &T::width},
        {.knob = K::Depth,
         .key = "depth",
         .flag = "depth",
         .label = "Depth",
         .symbol = "depth",
         .help = "Number of hidden layers.",
         .kind = KnobKind::Int,
         .min = minDepth,
         .max = maxDepth,
         .unit = "layers",
         .sweepable = true,
         .required = true,
         .appliesTo = always,
         .intField = &T::depth},
        {.knob = K::Activation,
         .key = "activation",
         .flag = "activation",
         .label = "Activation",
         .symbol = "activation",
         .help = "Nonlinearity of the hidden neurons. The derivative term of the loss "
                 "differentiates the network a second time, so only smooth ones are offered.",
         .runName = "%1",
         .kind = KnobKind::Choice,
         .required = true,
         .appliesTo = always,
         .get = [](const T& c) { return double(int(c.activation)); },
         .set = [](T& c, double v) { c.activation = Activation(int(v)); },
         .choices = activationNames},
    };
}

// The loss weights and the learning rate.
std::vector<KnobInfo> lossRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Alpha,
         .key = "alpha",
         .flag = "alpha",
         .label = "Alpha",
         .symbol = "α",
         .help = "Weight α of the function error MSE(f) in the loss; 0 fits the derivative "
                 "alone, but not together with β = 0.",
         .runName = "α=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxLossWeight,
         .logScale = true,
         .sweepable = true,
         .live = true,
         .required = true,
         .appliesTo = always,
         .realField = &T::alpha},
        {.knob = K::Beta,
         .key = "beta",
         .flag = "beta",
         .label = "Beta",
         .symbol = "β",
         .help = "Weight β of the derivative error MSE(f′) in the loss; 0 is a plain fit of f, "
                 "but not together with α = 0.",
         .runName = "β=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxLossWeight,
         .logScale = true,
         .sweepable = true,
         .live = true,
         .required = true,
         .appliesTo = always,
         .realField = &T::beta},
        {.knob = K::BetaOverAlpha,
         .key = "beta_over_alpha",
         .label = "β/α",
         .symbol = "β/α",
         .help = "Sweeps only: beta = value × alpha, alpha as in the base config.",
         .kind = KnobKind::Real,
         .min = 0,
         .max = unbounded,
         .logScale = true,
         .sweepable = true,
         .stored = false,
         .appliesTo = always,
         .get =
             [](const T& c) {
                 return c.alpha != 0 ? c.beta / c.alpha : std::numeric_limits<double>::quiet_NaN();
             },
         .set = [](T& c, double v) { c.beta = v * c.alpha; }},
        {.knob = K::LearningRate,
         .key = "learning_rate",
         .alias = "lr",
         .flag = "lr",
         .label = "Learning rate",
         .symbol = "learning rate",
         .help = "Adam's step size; with a schedule, its starting rate.",
         .runName = "lr=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxLearningRate,
         .openBelow = true,
         .logScale = true,
         .sweepable = true,
         .live = true,
         .required = true,
         .appliesTo = adamRuns,
         .realField = &T::learningRate},
    };
}

// The seed, the Adam epochs and the points.
std::vector<KnobInfo> trainingRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Seed,
         .key = "seed",
         .flag = "seed",
         .label = "Seed",
         .symbol = "seed",
         .help = "Seeds the sampled points, the initial weights and the shuffling: the same "
                 "seed draws the same data and starting network.",
         .runName = "seed %1",
         .kind = KnobKind::Seed,
         .required = true,
         .appliesTo = always,
         .get = [](const T& c) { return double(c.seed); },
         .set = [](T& c, double v) { c.seed = std::uint64_t(v); }},
        {.knob = K::Epochs,
         .key = "epochs",
         .flag = "epochs",
         .label = "Epochs",
         .symbol = "epochs",
         .help = "Adam's passes over the training points (0: L-BFGS alone).",
         .runName = "%1 epochs",
         .kind = KnobKind::Int,
         .min = minEpochs,
         .max = maxEpochs,
         .note = "0 only with lbfgs_iterations > 0: L-BFGS alone",
         .unit = "epochs",
         .required = true,
         .appliesTo = always,
         .intField = &T::epochs},
        {.knob = K::BatchSize,
         .key = "batch_size",
         .flag = "batch-size",
         .label = "Batch size",
         .symbol = "batch size",
         .help = "Training points per Adam step. Larger batches take fewer, smoother steps per "
                 "epoch and need more memory. Above the number of training points, training "
                 "uses all of them in one batch.",
         .runName = "batch %1",
         .kind = KnobKind::Int,
         .min = 1,
         .max = maxSamples,
         .unit = "points",
         .required = true,
         .appliesTo = adamRuns,
         .intField = &T::batchSize},
        {.knob = K::NTrain,
         .key = "n_train",
         .flag = "n-train",
         .label = "Training points",
         .symbol = "n_train",
         .help = "Points of the domain to train on, placed by the sampling.",
         .runName = "n_train %1",
         .kind = KnobKind::Int,
         .min = minSamples,
         .max = maxSamples,
         .unit = "points",
         .required = true,
         .appliesTo = withoutData,
         .intField = &T::nTrain},
        {.knob = K::NVal,
         .key = "n_val",
         .flag = "n-val",
         .label = "Validation points",
         .symbol = "n_val",
         .help = "Points drawn uniformly from the domain, separately, to watch for "
                 "overfitting; never trained on.",
         .runName = "n_val %1",
         .kind = KnobKind::Int,
         .min = minSamples,
         .max = maxSamples,
         .unit = "points",
         .required = true,
         .appliesTo = withoutData,
         .intField = &T::nVal},
        {.knob = K::GridPoints,
         .key = "grid_points",
         .flag = "grid-points",
         .label = "Grid points",
         .symbol = "grid points",
         .help = "Evenly spaced points on the domain where the fit is plotted and its errors "
                 "are measured.",
         .runName = "grid %1",
         .kind = KnobKind::Int,
         .min = minGridPoints,
         .max = maxGridPoints,
         .unit = "points",
         .required = true,
         .appliesTo = withoutData,
         .intField = &T::gridPoints},
    };
}

// The target and measured data.
std::vector<KnobInfo> targetRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Target,
         .key = "target",
         .flag = "target",
         .label = "Target",
         .symbol = "target",
         .help = "The function f to fit: a preset (runge, sine, tanh, gaussian, smooth_abs, "
                 "polynomial, pinn) or a formula in x, e.g. sin(3*x)*exp(-x^2).",
         .kind = KnobKind::Text,
         .noun = "a preset name or a formula in x",
         .appliesTo = withoutData,
         .textField = &T::target},
        {.knob = K::TargetParam,
         .key = "target_param",
         .flag = "target-param",
         .label = "Parameter",
         .symbol = "parameter",
         .help = "The preset's parameter: k of runge (25) and tanh (10), omega of sine (2 pi), "
                 "sigma of gaussian (0.2), eps of smooth_abs (0.01), degree of polynomial (5).",
         .kind = KnobKind::OptionalReal,
         .noun = "a number in the preset's range, or none",
         .appliesTo = presetHasParameter,
         .get =
             [](const T& c) {
                 return c.targetParam.value_or(std::numeric_limits<double>::quiet_NaN());
             },
         .set =
             [](T& c, double v) {
                 c.targetParam = std::isnan(v) ? std::nullopt : std::optional<double>(v);
             }},
        {.knob = K::Domain,
         .key = "domain",
         .flag = "domain",
         .label = "Domain",
         .symbol = "domain",
         .help = "The interval [a, b] of the training and validation points and the test grid.",
         .kind = KnobKind::Interval,
         .min = -maxDomainAbs,
         .max = maxDomainAbs,
         .noun = "[a, b] with a < b",
         .appliesTo = withoutData,
         .realField = &T::domainMin,
         .upperField = &T::domainMax},
        {.knob = K::Sampling,
         .key = "sampling",
         .flag = "sampling",
         .label = "Sampling",
         .symbol = "sampling",
         .help = "How the training points are placed; the validation points stay uniform "
                 "random and the test grid evenly spaced. Chebyshev nodes cluster at the ends.",
         .runName = "%1",
         .kind = KnobKind::Choice,
         .sweepable = true,
         .appliesTo = withoutData,
         .get = [](const T& c) { return double(int(c.sampling)); },
         .set = [](T& c, double v) { c.sampling = Sampling(int(v)); },
         .choices = samplingNames,
         .choiceLabels = samplingLabels},
        {.knob = K::NoiseF,
         .key = "noise_f",
         .flag = "noise-f",
         .label = "Noise σ_f",
         .symbol = "σ_f",
         .help = "Standard deviation of Gaussian noise on the training and validation values "
                 "of f; the test grid stays clean.",
         .runName = "σ_f=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxNoise,
         .noun = "a standard deviation",
         .logScale = true,
         .sweepable = true,
         .appliesTo = withoutData,
         .realField = &T::noiseF},
        {.knob = K::NoiseFprime,
         .key = "noise_fprime",
         .flag = "noise-fprime",
         .label = "Noise σ_f′",
         .symbol = "σ_f′",
         .help = "Standard deviation of Gaussian noise on the training and validation values "
                 "of f′.",
         .runName = "σ_f′=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxNoise,
         .noun = "a standard deviation",
         .logScale = true,
         .sweepable = true,
         .appliesTo = withoutData,
         .realField = &T::noiseFprime},
    };
}

// Measured data in place of the target.
std::vector<KnobInfo> dataRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Data,
         .key = "data",
         .flag = "data",
         .label = "Data file",
         .symbol = "data",
         .help = "Measured data in place of a target: a CSV of x,f or x,f,f' (header optional; "
                 "an empty f' cell: no f' on that row).",
         .kind = KnobKind::Text,
         .noun = "a CSV file of x, f[, f′] rows",
         .switches = true,
         .omitWhenUnused = true,
         .appliesTo = withData,
         .textField = &T::data},
        {.knob = K::DataSha256,
         .key = "data_sha256",
         .label = "Data SHA-256",
         .symbol = "data SHA-256",
         .help = "The data file's SHA-256, checked when it is read.",
         .kind = KnobKind::Text,
         .noun = "64 hex digits",
         .omitWhenUnused = true,
         .appliesTo = withData,
         .textField = &T::dataSha256},
        {.knob = K::DataValidation,
         .key = "data_validation",
         .flag = "data-validation",
         .label = "Validation share",
         .symbol = "validation share",
         .help = "With data: the share of the rows held out for validation (0: the metrics are "
                 "then on the training data).",
         .runName = "val %1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxDataValidation,
         .noun = "a fraction",
         .omitWhenUnused = true,
         .appliesTo = withData,
         .realField = &T::dataValidation},
    };
}

// The learning-rate schedule.
std::vector<KnobInfo> scheduleRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Schedule,
         .key = "schedule",
         .flag = "schedule",
         .label = "Schedule",
         .symbol = "schedule",
         .help = "How Adam's learning rate changes: constant; cosine down to the floor over the "
                 "epochs; exponential down to the floor; step, times the decay factor every few "
                 "epochs; plateau, times the decay factor when the validation loss stalls.",
         .runName = "%1",
         .kind = KnobKind::Choice,
         .sweepable = true,
         .appliesTo = adamRuns,
         .get = [](const T& c) { return double(int(c.schedule)); },
         .set = [](T& c, double v) { c.schedule = Schedule(int(v)); },
         .choices = scheduleNames},
        {.knob = K::LrFloor,
         .key = "lr_floor",
         .flag = "lr-floor",
         .label = "Rate floor",
         .symbol = "rate floor",
         .help = "The lowest rate a schedule reaches, as a fraction of the learning rate "
                 "(0.01: a hundredth).",
         .kind = KnobKind::Real,
         .min = 0,
         .max = 1,
         .openBelow = true,
         .noun = "a fraction of the learning rate",
         .unit = "× learning rate",
         .logScale = true,
         .appliesTo = scheduleHasFloor,
         .realField = &T::lrFloor},
        {.knob = K::DecayFactor,
         .key = "decay_factor",
         .flag = "decay-factor",
         .label = "Decay factor",
         .symbol = "decay factor",
         .help = "step and plateau multiply the rate by this.",
         .kind = KnobKind::Real,
         .min = 0,
         .max = 1,
         .openBelow = true,
         .openAbove = true,
         .appliesTo = scheduleDecays,
         .realField = &T::decayFactor},
        {.knob = K::StepEpochs,
         .key = "step_epochs",
         .flag = "step-epochs",
         .label = "Step epochs",
         .symbol = "step epochs",
         .help = "step: epochs between two decays.",
         .kind = KnobKind::Int,
         .min = 1,
         .max = maxScheduleEpochs,
         .unit = "epochs",
         .appliesTo = stepSchedule,
         .intField = &T::stepEpochs},
        {.knob = K::Patience,
         .key = "patience",
         .flag = "patience",
         .label = "Patience",
         .symbol = "patience",
         .help = "plateau: epochs without a better validation loss before a decay.",
         .kind = KnobKind::Int,
         .min = 1,
         .max = maxScheduleEpochs,
         .unit = "epochs",
         .appliesTo = plateauSchedule,
         .intField = &T::patience},
        {.knob = K::AdamEpsilon,
         .key = "adam_epsilon",
         .flag = "adam-epsilon",
         .label = "Adam ε",
         .symbol = "Adam ε",
         .help = "Added to the root of Adam's second moment: it caps the step where the "
                 "gradient is tiny. Keras's default is 1e-7, PyTorch's 1e-8.",
         .runName = "ε=%1",
         .kind = KnobKind::Real,
         .min = 0,
         .max = maxAdamEpsilon,
         .openBelow = true,
         .logScale = true,
         .sweepable = true,
         .appliesTo = adamRuns,
         .realField = &T::adamEpsilon},
    };
}

// Precision, the L-BFGS phase and the best weights.
std::vector<KnobInfo> settlingRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    return {
        {.knob = K::Precision,
         .key = "precision",
         .flag = "precision",
         .label = "Precision",
         .symbol = "precision",
         .help = "The network's number type for Adam: float32 is fast, float64 about half as "
                 "fast and far more exact.",
         .runName = "%1",
         .kind = KnobKind::Choice,
         .sweepable = true,
         .appliesTo = always,
         .get = [](const T& c) { return double(int(c.precision)); },
         .set = [](T& c, double v) { c.precision = Precision(int(v)); },
         .choices = precisionNames},
        {.knob = K::LbfgsIterations,
         .key = "lbfgs_iterations",
         .flag = "lbfgs-iterations",
         .label = "L-BFGS iterations",
         .symbol = "L-BFGS iterations",
         .help = "Full-batch L-BFGS iterations after the Adam epochs, each a row of the "
                 "history (0: none; with 0 epochs, L-BFGS alone). It settles into the minimum "
                 "Adam found, often 100× lower.",
         .runName = "L-BFGS %1",
         .kind = KnobKind::Int,
         .min = 0,
         .max = maxLbfgsIterations,
         .unit = "iterations",
         .sweepable = true,
         .switches = true,
         .appliesTo = lbfgsRuns,
         .intField = &T::lbfgsIterations},
        {.knob = K::LbfgsHistory,
         .key = "lbfgs_history",
         .flag = "lbfgs-history",
         .label = "L-BFGS history",
         .symbol = "L-BFGS history",
         .help = "Correction pairs L-BFGS remembers to model the curvature.",
         .kind = KnobKind::Int,
         .min = minLbfgsHistory,
         .max = maxLbfgsHistory,
         .unit = "pairs",
         .appliesTo = lbfgsRuns,
         .intField = &T::lbfgsHistory},
        {.knob = K::LbfgsGradientTolerance,
         .key = "lbfgs_gradient_tolerance",
         .flag = "lbfgs-gradient-tolerance",
         .label = "Gradient tolerance",
         .symbol = "L-BFGS gradient tolerance",
         .help = "L-BFGS stops when the gradient's norm is at most this (0: off).",
         .kind = KnobKind::Real,
         .min = 0,
         .max = unbounded,
         .note = "0: off",
         .logScale = true,
         .appliesTo = lbfgsRuns,
         .realField = &T::lbfgsGradientTolerance},
        {.knob = K::LbfgsChangeTolerance,
         .key = "lbfgs_change_tolerance",
         .flag = "lbfgs-change-tolerance",
         .label = "Change tolerance",
         .symbol = "L-BFGS change tolerance",
         .help = "L-BFGS stops when an iteration lowers the loss by at most this fraction "
                 "(0: off).",
         .kind = KnobKind::Real,
         .min = 0,
         .max = unbounded,
         .note = "0: off",
         .logScale = true,
         .appliesTo = lbfgsRuns,
         .realField = &T::lbfgsChangeTolerance},
        {.knob = K::LbfgsPrecision,
         .key = "lbfgs_precision",
         .flag = "lbfgs-precision",
         .label = "L-BFGS precision",
         .symbol = "L-BFGS precision",
         .help = "The network's number type for L-BFGS; its line search needs float64 to go "
                 "far.",
         .kind = KnobKind::Choice,
         .sweepable = true,
         .appliesTo = lbfgsRuns,
         .get = [](const T& c) { return double(int(c.lbfgsPrecision)); },
         .set = [](T& c, double v) { c.lbfgsPrecision = Precision(int(v)); },
         .choices = precisionNames},
        {.knob = K::RestoreBest,
         .key = "restore_best",
         .flag = "restore-best",
         .label = "Restore the best weights",
         .symbol = "best weights",
         .help = "When the run completes, put back the weights of the epoch with the lowest "
                 "validation loss. Either way the metrics report that epoch beside the final "
                 "one.",
         .kind = KnobKind::Bool,
         .appliesTo = always,
         .boolField = &T::restoreBest},
        {.knob = K::Snapshots,
         .key = "snapshots",
         .flag = "snapshots",
         .label = "Snapshots",
         .symbol = "snapshots",
         .help = "How many times the run keeps the network's f and f′ on the test grid while it "
                 "trains, for the timeline and animations: every batch of the first epoch, "
                 "then on a log scale of the rows, denser where the loss moves. Live changes "
                 "and the start of L-BFGS add one each. The training is the same either way.",
         .kind = KnobKind::Int,
         .min = 0,
         .max = maxSnapshots,
         .note = "0: off",
         .appliesTo = always,
         .intField = &T::snapshots},
    };
}

// A balancing rule's parameter: a number in [min, max] read only with its rule.
KnobInfo balanceParameter(Knob knob, const char* key, const char* flag, const char* label,
                          const char* help, double min, double max,
                          bool (*appliesTo)(const TrainConfig&), double TrainConfig::*field,
                          bool openBelow = false) {
    return {.knob = knob,
            .key = key,
            .flag = flag,
            .label = label,
            .symbol = label,
            .help = help,
            .kind = KnobKind::Real,
            .min = min,
            .max = max,
            .openBelow = openBelow,
            .sweepable = true,
            .omitWhenUnused = true,
            .appliesTo = appliesTo,
            .realField = field};
}

// The balancing rule and its parameters, with the published defaults (core/train/balance.h).
std::vector<KnobInfo> balanceRows() {
    using namespace limits;
    using K = Knob;
    using T = TrainConfig;
    using B = Balance;
    return {
        {.knob = K::Balance,
         .key = "balance",
         .flag = "balance",
         .label = "Balancing",
         .symbol = "balance",
         .help = "A rule that moves the loss weights while Adam trains: lra (Wang et al. 2021), "
                 "relobralo (Bischof & Kraus), softadapt (Heydari et al.), gradnorm (Chen et al. "
                 "2018), inverse-dirichlet (Maddu et al. 2022), or analytic, a fixed β/α = "
                 "‖f‖²/‖f′‖² over the training data. The weights freeze when L-BFGS starts; a "
                 "change of α or β ends the rule.",
         .runName = "balance %1",
         .kind = KnobKind::Choice,
         .sweepable = true,
         .switches = true,
         .omitWhenUnused = true,
         .appliesTo = balancing,
         .get = [](const T& c) { return double(int(c.balance)); },
         .set = [](T& c, double v) { c.balance = Balance(int(v)); },
         .choices = balanceNames},
        {.knob = K::BalanceEvery,
         .key = "balance_every",
         .flag = "balance-every",
         .label = "Balance every",
         .symbol = "balance every",
         .help = "lra, gradnorm and inverse-dirichlet: batches between two updates of the "
                 "weights; each update costs a second backward pass.",
         .kind = KnobKind::Int,
         .min = 1,
         .max = maxBalanceEvery,
         .unit = "batches",
         .sweepable = true,
         .omitWhenUnused = true,
         .appliesTo = gradientBalancing,
         .intField = &T::balanceEvery},
        balanceParameter(K::LraRate, "lra_rate", "lra-rate", "LRA rate",
                         "lra: λ ← (1 − a) λ + a λ̂ at each update.", 0, 1, balancingBy<B::Lra>,
                         &T::lraRate, true),
        balanceParameter(K::RelobraloAlpha, "relobralo_alpha", "relobralo-alpha", "ReLoBRaLo α",
                         "relobralo: how much of the history the weights keep at each batch.", 0, 1,
                         balancingBy<B::Relobralo>, &T::relobraloAlpha),
        balanceParameter(K::RelobraloRho, "relobralo_rho", "relobralo-rho", "ReLoBRaLo ρ",
                         "relobralo: the chance that a batch looks back to the previous weights "
                         "rather than to the first batch's losses.",
                         0, 1, balancingBy<B::Relobralo>, &T::relobraloRho),
        balanceParameter(K::RelobraloTau, "relobralo_tau", "relobralo-tau", "ReLoBRaLo τ",
                         "relobralo: the softmax temperature.", 0, maxRelobraloTau,
                         balancingBy<B::Relobralo>, &T::relobraloTau, true),
        balanceParameter(K::SoftadaptBeta, "softadapt_beta", "softadapt-beta", "SoftAdapt β",
                         "softadapt: the softmax's β; above 0 the term whose loss fell least "
                         "gets more weight.",
                         -maxSoftadaptBeta, maxSoftadaptBeta, balancingBy<B::SoftAdapt>,
                         &T::softadaptBeta),
        balanceParameter(K::GradnormAlpha, "gradnorm_alpha", "gradnorm-alpha", "GradNorm α",
                         "gradnorm: the restoring force towards equal training rates.", 0,
                         maxGradnormAlpha, balancingBy<B::GradNorm>, &T::gradnormAlpha),
        balanceParameter(K::GradnormRate, "gradnorm_rate", "gradnorm-rate", "GradNorm rate",
                         "gradnorm: the gradient-descent step of the weights at each update.", 0,
                         maxGradnormRate, balancingBy<B::GradNorm>, &T::gradnormRate, true),
        balanceParameter(K::DirichletRate, "dirichlet_rate", "dirichlet-rate",
                         "Inverse-Dirichlet rate",
                         "inverse-dirichlet: λ ← (1 − r) λ + r λ̂ at each update.", 0, 1,
                         balancingBy<B::InverseDirichlet>, &T::dirichletRate, true),
    };
}

// The rows in enum order (tst_knobregistry checks it).
std::vector<KnobInfo> makeRegistry() {
    std::vector<KnobInfo> rows;
    for (auto group : {networkRows, lossRows, trainingRows, targetRows, dataRows, scheduleRows,
                       settlingRows, balanceRows}) {
        auto more = group();
        rows.insert(rows.end(), more.begin(), more.end());
    }
    return rows;
}

// 1000000, not 1e+06: limits and counts as people type them.
std::string wholeNumber(double value) {
    return std::to_string((long long)value);
}

int clampedInt(double value) {
    if (std::isnan(value))
        return 0;
    return int(std::clamp(value, double(INT_MIN), double(INT_MAX)));
}

} // namespace

const std::vector<KnobInfo>& knobRegistry() {
    static const std::vector<KnobInfo> registry = makeRegistry();
    return registry;
}

const KnobInfo& knobInfo(Knob knob) {
    // The rows are in enum order (checked by tst_knobregistry).
    return knobRegistry()[std::size_t(knob)];
}

std::optional<Knob> knobFromName(std::string_view name) {
    for (const KnobInfo& k : knobRegistry())
        if (name == k.key || (k.alias && name == k.alias))
            return k.knob;
    return std::nullopt;
}

std::string_view knobShortName(Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    return k.alias ? k.alias : k.key;
}

std::vector<Knob> sweepableKnobs() {
    std::vector<Knob> knobs;
    for (const KnobInfo& k : knobRegistry())
        if (k.sweepable)
            knobs.push_back(k.knob);
    return knobs;
}

std::vector<Knob> liveKnobs() {
    std::vector<Knob> knobs;
    for (const KnobInfo& k : knobRegistry())
        if (k.live)
            knobs.push_back(k.knob);
    return knobs;
}

std::string knobNameList(const std::vector<Knob>& knobs, bool shortNames) {
    std::string names;
    for (Knob k : knobs)
        names += (names.empty() ? "" : ", ") +
                 std::string(shortNames ? knobShortName(k) : knobInfo(k).key);
    return names;
}

bool knobApplies(Knob knob, const TrainConfig& config) {
    return knobInfo(knob).appliesTo(config);
}

double knobValue(const TrainConfig& c, Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    if (k.intField)
        return c.*k.intField;
    if (k.realField)
        return c.*k.realField;
    if (k.boolField)
        return c.*k.boolField ? 1 : 0;
    if (k.get)
        return k.get(c);
    return std::numeric_limits<double>::quiet_NaN(); // a Text knob has no number
}

void setKnob(TrainConfig& c, Knob knob, double value) {
    const KnobInfo& k = knobInfo(knob);
    if (k.intField)
        c.*k.intField = clampedInt(value);
    else if (k.realField)
        c.*k.realField = value;
    else if (k.boolField)
        c.*k.boolField = value != 0;
    else if (k.set)
        k.set(c, value);
}

bool isIntegerKnob(Knob knob) {
    const KnobKind kind = knobInfo(knob).kind;
    return kind == KnobKind::Int || kind == KnobKind::Seed || kind == KnobKind::Choice;
}

bool isChoiceKnob(Knob knob) {
    return knobInfo(knob).kind == KnobKind::Choice;
}

std::string knobValueText(Knob knob, double value) {
    if (isChoiceKnob(knob)) {
        const auto names = knobInfo(knob).choices();
        return value >= 0 && value < double(names.size()) && value == std::floor(value)
                   ? names[std::size_t(value)]
                   : "unknown";
    }
    // The shortest text that reads back as the same value.
    std::string text;
    for (int digits = 1; digits <= 17; ++digits) {
        std::ostringstream out;
        out.precision(digits);
        out << value;
        text = out.str();
        if (std::strtod(text.c_str(), nullptr) == value)
            break;
    }
    return text;
}

std::string knobRangeText(Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    std::string text;
    switch (k.kind) {
    case KnobKind::Int:
        text = "an integer from " + wholeNumber(k.min) + " to " + wholeNumber(k.max);
        break;
    case KnobKind::Real: {
        const std::string noun = k.noun ? k.noun : "a number";
        if (!k.openBelow && !k.openAbove)
            text = std::isinf(k.max)
                       ? noun + " >= " + numberText(k.min)
                       : noun + " from " + numberText(k.min) + " to " + numberText(k.max);
        else
            text = noun + " greater than " + numberText(k.min) +
                   (k.openAbove ? " and less than " : " and at most ") + numberText(k.max);
        break;
    }
    case KnobKind::Choice: {
        const auto names = k.choices();
        for (const std::string& name : names)
            text += (text.empty() ? "one of " : ", ") + name;
        break;
    }
    case KnobKind::Bool:
        text = "true or false";
        break;
    case KnobKind::Seed:
        text = "an integer from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max());
        break;
    case KnobKind::Text:
    case KnobKind::OptionalReal:
    case KnobKind::Interval:
        text = k.noun ? k.noun : "";
        break;
    }
    if (k.note)
        text += std::string(" (") + k.note + ")";
    return text;
}

std::string knobRangeProblem(Knob knob, double value) {
    const KnobInfo& k = knobInfo(knob);
    bool bad = false;
    switch (k.kind) {
    case KnobKind::Int:
        bad = !(value >= k.min && value <= k.max) || value != std::floor(value);
        break;
    case KnobKind::Real:
        bad = !std::isfinite(value) || (k.openBelow ? value <= k.min : value < k.min) ||
              (k.openAbove ? value >= k.max : value > k.max);
        break;
    case KnobKind::Choice:
        bad = !(value >= 0 && value < double(k.choices().size())) || value != std::floor(value);
        break;
    default:
        return {};
    }
    if (!bad)
        return {};
    const bool whole =
        k.kind != KnobKind::Real && value == std::floor(value) && std::abs(value) < 1e18;
    return "must be " + knobRangeText(knob) + "; got " +
           (whole ? wholeNumber(value) : numberText(value));
}

} // namespace sobolev
