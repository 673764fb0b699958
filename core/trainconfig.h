// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sobolev {

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
// batch_size x width x depth bounds the trainer's working memory.
inline constexpr double maxWorkspaceBytes = 4.0 * 1024 * 1024 * 1024;
} // namespace limits

// Every problem with `config`, each naming the field and what is allowed; empty when valid.
std::vector<ConfigProblem> validate(const TrainConfig& config);

// Bytes the trainer's batch workspace needs for `config` (float activations and gradients).
double workspaceBytes(const TrainConfig& config);

// "field: message; field: message" for logs and exceptions.
std::string describe(const std::vector<ConfigProblem>& problems);

} // namespace sobolev
