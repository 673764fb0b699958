// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/activation.h"
#include "core/config/knobchange.h"
#include "core/config/measuredrows.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// How the Adam learning rate evolves over the Adam epochs (core/schedule.h has the formulas).
enum class Schedule { Constant, Cosine, Exponential, Step, Plateau };
// The floating-point type of the network, its data and its optimiser state.
enum class Precision { Float32, Float64 };

std::string_view scheduleName(Schedule schedule); // "constant", "cosine", ...
std::optional<Schedule> scheduleFromName(std::string_view name);
std::vector<Schedule> allSchedules();
std::string_view precisionName(Precision precision); // "float32", "float64"
std::optional<Precision> precisionFromName(std::string_view name);
std::vector<Precision> allPrecisions();
// How the training points are placed in [a, b] (core/sampling.h).
enum class Sampling { Uniform, Equispaced, Chebyshev };
std::string_view samplingName(Sampling sampling); // "uniform", "equispaced", "chebyshev"
std::optional<Sampling> samplingFromName(std::string_view name);
const std::vector<Sampling>& allSamplings();
// A rule that moves the loss weights while Adam trains (core/train/balance.h); Off keeps them
// as configured.
enum class Balance { Off, Lra, Relobralo, SoftAdapt, GradNorm, InverseDirichlet, Analytic };
std::string_view balanceName(Balance balance); // "off", "lra", ..., "inverse-dirichlet"
std::optional<Balance> balanceFromName(std::string_view name);
const std::vector<Balance>& allBalances();
// The rules that need each term's gradient (a second backward pass on their update batches).
bool balanceUsesGradients(Balance balance);

// One training experiment. The defaults are the reference experiment
// (Runge function, tanh 64x2, Adam 1e-3, batch 64, 1000 epochs, seed 12345).
struct TrainConfig {
    int width = 64; // neurons per hidden layer
    int depth = 2;  // hidden layers
    Activation activation = Activation::Tanh;
    double alpha = 1.0; // weight of MSE_f in the loss
    double beta = 1.0;  // weight of MSE_f' in the loss
    double learningRate = 1e-3;
    std::uint64_t seed = 12345;
    int epochs = 1000;
    int batchSize = 64;
    int nTrain = 2048;
    int nVal = 512;
    int gridPoints = 1001;

    // The optimiser beyond constant-rate Adam. The defaults change nothing.
    Schedule schedule = Schedule::Constant;
    double lrFloor = 0.01;     // the lowest rate, as a fraction of learningRate
    double decayFactor = 0.5;  // step and plateau multiply the rate by this
    int stepEpochs = 250;      // step: epochs between decays
    int patience = 50;         // plateau: epochs without a validation improvement
    double adamEpsilon = 1e-7; // Adam's epsilon, added to sqrt(v) (Keras's default)
    Precision precision = Precision::Float32;
    // Full-batch L-BFGS after the Adam epochs (epochs = 0: L-BFGS alone); 0 iterations: none.
    int lbfgsIterations = 0;
    int lbfgsHistory = 10;             // correction pairs kept (LBFGSpp's m)
    double lbfgsGradientTolerance = 0; // stop when |g| <= this (LBFGSpp's epsilon)
    double lbfgsChangeTolerance = 0;   // stop when the loss changes by <= this, relatively
    Precision lbfgsPrecision = Precision::Float64;
    // At the end, put back the weights of the epoch with the lowest validation loss.
    bool restoreBest = false;
    // Snapshots of the network on the test grid kept while it trains, at most this many (0:
    // none) beside the few a live change or the L-BFGS start add (core/train/snapshothook.h).
    // They record the run without changing it.
    int snapshots = 300;
    // Balancing of alpha and beta while Adam trains (core/train/balance.h has the formulas);
    // the defaults are the published ones. Off: alpha and beta stay as configured.
    Balance balance = Balance::Off;
    int balanceEvery = 10;        // gradient rules: batches between two updates
    double lraRate = 0.1;         // lra: the moving average's a
    double relobraloAlpha = 0.95; // relobralo: the moving average's alpha
    double relobraloRho = 0.99;   // relobralo: the Bernoulli lookback's expectation
    double relobraloTau = 1.0;    // relobralo: the softmax temperature
    double softadaptBeta = 0.1;   // softadapt: the softmax's beta
    double gradnormAlpha = 1.0;   // gradnorm: the restoring force
    double gradnormRate = 0.025;  // gradnorm: the weights' gradient-descent step
    double dirichletRate = 0.5;   // inverse-dirichlet: the moving average's factor
    // --- Target and data (the defaults are the reference experiment) ---
    // A preset name (runge, sine, tanh, gaussian, smooth_abs, polynomial, pinn) or a formula
    // in x such as "sin(3*x)*exp(-x^2)" (core/expression.h).
    std::string target = "runge";
    std::optional<double> targetParam; // the preset's k, omega, sigma, eps or degree; none: default
    double domainMin = -1.0, domainMax = 1.0; // training points, validation points, test grid
    Sampling sampling = Sampling::Uniform;    // of the training points only
    double noiseF = 0.0, noiseFprime = 0.0;   // Gaussian sigma on training/validation targets
    // Knobs changed during the run (core/knobchange.h), in order of epoch and batch; empty:
    // alpha, beta and the learning rate stay as above.
    std::vector<KnobChange> changes;
    // Measured data in place of the target: the CSV's path as given (empty: none), its
    // SHA-256 in hex, and its rows, which the storage layer reads (core reads no files). With
    // data, target, domain, sampling, noise, n_train and n_val are not used: the rows are the
    // training set, less the validation share drawn from the seed (measuredTrainAndValidation).
    std::string data;
    std::string dataSha256;
    double dataValidation = 0.0; // fraction of the rows held out for validation
    MeasuredRows measured;

    bool operator==(const TrainConfig&) const = default;
};

// A problem with one field; `field` is the JSON key (e.g. "learning_rate").
struct ConfigProblem {
    std::string field;
    std::string message;
};

// The allowed ranges, in one place so that validation, widgets and docs agree.
namespace limits {
inline constexpr int minWidth = 1, maxWidth = 1024;
inline constexpr int minDepth = 1, maxDepth = 8;
inline constexpr int minEpochs = 1, maxEpochs = 1'000'000;
inline constexpr int minSamples = 1, maxSamples = 1'000'000;
inline constexpr int minGridPoints = 2, maxGridPoints = 1'000'000;
inline constexpr double maxLearningRate = 1.0;
inline constexpr double maxLossWeight = 1e12;
inline constexpr int maxLbfgsIterations = 1'000'000;
inline constexpr int minLbfgsHistory = 1, maxLbfgsHistory = 1000;
inline constexpr int maxScheduleEpochs = maxEpochs; // step_epochs and patience
inline constexpr double maxAdamEpsilon = 1.0;
// batch_size x width x depth bounds the trainer's working memory.
inline constexpr double maxWorkspaceBytes = 4.0 * 1024 * 1024 * 1024;
// Target and data.
inline constexpr double maxDomainAbs = 1e6;           // |a|, |b|
inline constexpr double maxNoise = 1e6;               // sigma_f, sigma_f'
inline constexpr double maxTargetParam = 1e4;         // a preset's k, omega, ...
inline constexpr int maxPolynomialDegree = 30;        // the polynomial preset's degree
inline constexpr std::size_t maxFormulaLength = 1000; // characters of a typed f(x)
inline constexpr double maxDataValidation = 0.9;      // share of measured rows for validation
// Baselines: the degree of a polynomial, or the intervals of a piecewise cubic.
inline constexpr int minBaselineDegree = 1, maxBaselineDegree = 100;
inline constexpr int maxBaselineIntervals = 10'000; // spline and hermite
// Snapshots a run keeps: each holds f-hat and f-hat' on the grid (8 bytes a grid point).
inline constexpr int maxSnapshots = 10'000;
// Balancing rules: batches between updates, and the softmax temperatures and forces.
inline constexpr int maxBalanceEvery = 1'000'000;
inline constexpr double maxRelobraloTau = 1e6;
inline constexpr double maxSoftadaptBeta = 100; // |beta|: exp(beta x ratio) stays finite
inline constexpr double maxGradnormAlpha = 10;
inline constexpr double maxGradnormRate = 1;
} // namespace limits

// The training rows: n_train, or the measured rows less the validation share.
int trainingRows(const TrainConfig& config);

// History rows a run makes at most: the Adam epochs, then the L-BFGS iterations.
inline int plannedRows(const TrainConfig& config) {
    return config.epochs + config.lbfgsIterations;
}

// Every problem with the knobs of `config` that needs no target evaluated: each knob's
// registry range, a loss with a term, measured data that was read, the changes, and the
// trainer's workspace. validate() (core/problem/validate.h) adds the target's problems.
std::vector<ConfigProblem> knobProblems(const TrainConfig& config);

// Bytes the trainer's batch workspace needs for `config` (activations and gradients).
double workspaceBytes(const TrainConfig& config);

// The batch size the trainer uses: batch_size, or n_train when batch_size exceeds it.
int effectiveBatchSize(const TrainConfig& config);
// Things the trainer adjusts and says so, e.g. the batch size following n_train.
std::vector<std::string> configNotes(const TrainConfig& config);

// "field: message; field: message" for logs and exceptions.
std::string describe(const std::vector<ConfigProblem>& problems);

} // namespace sobolev
