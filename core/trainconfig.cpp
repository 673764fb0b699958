// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainconfig.h"

#include "target.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sobolev {

namespace {

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

void checkRange(std::vector<ConfigProblem>& problems, const char* field, long long value,
                long long lo, long long hi) {
    if (value < lo || value > hi)
        problems.push_back({field, "must be an integer from " + std::to_string(lo) + " to " +
                                       std::to_string(hi) + "; got " + std::to_string(value)});
}

} // namespace

int effectiveBatchSize(const TrainConfig& c) {
    return std::max(1, std::min(c.batchSize, c.nTrain));
}

std::vector<std::string> configNotes(const TrainConfig& c) {
    std::vector<std::string> notes;
    if (c.batchSize > c.nTrain && c.nTrain >= 1)
        notes.push_back("batch_size " + std::to_string(c.batchSize) + " exceeds n_train " +
                        std::to_string(c.nTrain) + ": training in batches of " +
                        std::to_string(c.nTrain) + " (one batch per epoch)");
    return notes;
}

double workspaceBytes(const TrainConfig& c) {
    // Per hidden layer: pre-activations, activations and back-propagated values (3 x 2B) plus
    // sigma' and sigma'' (2 x B), all width x batch floats.
    const double perLayer = 8.0 * double(c.width) * double(effectiveBatchSize(c)) * sizeof(float);
    return perLayer * double(c.depth);
}

std::vector<ConfigProblem> validate(const TrainConfig& c) {
    using namespace limits;
    std::vector<ConfigProblem> problems;
    checkRange(problems, "width", c.width, minWidth, maxWidth);
    checkRange(problems, "depth", c.depth, minDepth, maxDepth);
    if (activationName(c.activation) == "unknown")
        problems.push_back({"activation", "is not a known activation"});

    for (auto [field, value] : {std::pair{"alpha", c.alpha}, std::pair{"beta", c.beta}}) {
        if (!std::isfinite(value) || value < 0 || value > maxLossWeight)
            problems.push_back({field, "must be a number from 0 to " + number(maxLossWeight) +
                                           "; got " + number(value)});
    }
    if (c.alpha == 0 && c.beta == 0)
        problems.push_back({"beta", "alpha and beta cannot both be 0: the loss would be empty"});

    if (!std::isfinite(c.learningRate) || c.learningRate <= 0 || c.learningRate > maxLearningRate)
        problems.push_back({"learning_rate", "must be greater than 0 and at most " +
                                                 number(maxLearningRate) + "; got " +
                                                 number(c.learningRate)});

    checkRange(problems, "epochs", c.epochs, minEpochs, maxEpochs);
    checkRange(problems, "n_train", c.nTrain, minSamples, maxSamples);
    checkRange(problems, "n_val", c.nVal, minSamples, maxSamples);
    checkRange(problems, "grid_points", c.gridPoints, minGridPoints, maxGridPoints);
    // A batch larger than n_train is allowed: the trainer then uses n_train (configNotes()).
    checkRange(problems, "batch_size", c.batchSize, 1, maxSamples);

    // Target and data (issue #12).
    for (auto [field, value] :
         {std::pair{"noise_f", c.noiseF}, std::pair{"noise_fprime", c.noiseFprime}})
        if (!std::isfinite(value) || value < 0 || value > maxNoise)
            problems.push_back({field, "must be a standard deviation from 0 to " +
                                           number(maxNoise) + "; got " + number(value)});
    if (problems.empty()) {
        const auto targetBad = targetProblems(c);
        problems.insert(problems.end(), targetBad.begin(), targetBad.end());
    }

    if (problems.empty() && workspaceBytes(c) > maxWorkspaceBytes)
        problems.push_back({"batch_size", "batch_size x width x depth needs " +
                                              number(std::round(workspaceBytes(c) / (1 << 20))) +
                                              " MiB of working memory; the limit is " +
                                              number(maxWorkspaceBytes / (1 << 20)) +
                                              " MiB: use a smaller batch"});
    return problems;
}

std::string describe(const std::vector<ConfigProblem>& problems) {
    std::string text;
    for (const auto& p : problems) {
        if (!text.empty())
            text += "; ";
        text += p.field + " " + p.message;
    }
    return text;
}

} // namespace sobolev
