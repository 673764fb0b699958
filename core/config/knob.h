// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sobolev {

// Every knob of a TrainConfig, one per row of the knob registry (core/config/knobregistry.h),
// in the registry's order. The sweep, live changes, JSON, the command line, the panel and the
// reports all name a knob by this one enum. BetaOverAlpha is derived: a sweep sets
// beta = value x alpha; it is not stored in a config.
enum class Knob {
    Width,
    Depth,
    Activation,
    Alpha,
    Beta,
    BetaOverAlpha,
    LearningRate,
    Seed,
    Epochs,
    BatchSize,
    NTrain,
    NVal,
    GridPoints,
    Target,
    TargetParam,
    Domain,
    Sampling,
    NoiseF,
    NoiseFprime,
    Data,
    DataSha256,
    DataValidation,
    Schedule,
    LrFloor,
    DecayFactor,
    StepEpochs,
    Patience,
    AdamEpsilon,
    Precision,
    LbfgsIterations,
    LbfgsHistory,
    LbfgsGradientTolerance,
    LbfgsChangeTolerance,
    LbfgsPrecision,
    RestoreBest,
    Snapshots,
    Balance,
    BalanceEvery,
    LraRate,
    RelobraloAlpha,
    RelobraloRho,
    RelobraloTau,
    SoftadaptBeta,
    GradnormAlpha,
    GradnormRate,
    DirichletRate,
};

} // namespace sobolev
