// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/trainconfig.h"

#include "core/problem/targetcheck.h"

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

// The problems of config.changes: each change in an Adam epoch and batch of the run, in
// order, its value in the knob's range, and never alpha and beta both 0.
void checkChanges(std::vector<ConfigProblem>& problems, const TrainConfig& c) {
    using namespace limits;
    const bool sizesValid = c.nTrain >= minSamples && c.batchSize >= 1;
    const int batches = sizesValid ? batchesPerEpoch(c) : 0;
    double alpha = c.alpha, beta = c.beta;
    const KnobChange* previous = nullptr;
    for (const KnobChange& change : c.changes) {
        const std::string name(liveKnobName(change.knob));
        const std::string which = "the change at epoch " + std::to_string(change.epoch) +
                                  ", batch " + std::to_string(change.batch) + " (" + name + "=" +
                                  number(change.value) + "): ";
        auto problem = [&](const std::string& message) {
            problems.push_back({"changes", which + message});
        };
        if (change.epoch < 1 || change.epoch > c.epochs)
            problem(c.epochs < 1
                        ? std::string("the run has no Adam epochs to change")
                        : "the epoch must be an Adam epoch from 1 to " + std::to_string(c.epochs));
        if (sizesValid && (change.batch < 1 || change.batch > batches))
            problem("the batch must be from 1 to " + std::to_string(batches) +
                    " (the batches of an epoch)");
        if (previous && changeComesBefore(change, *previous))
            problem("comes before the change listed above it; list changes in order of epoch "
                    "and batch");
        previous = &change;
        if (const std::string bad = knobValueProblem(change.knob, change.value); !bad.empty()) {
            problem(bad);
            continue;
        }
        if (change.knob == LiveKnob::LearningRate)
            continue;
        (change.knob == LiveKnob::Alpha ? alpha : beta) = change.value;
        if (alpha == 0 && beta == 0)
            problem("alpha and beta cannot both be 0: the loss would be empty");
    }
}

} // namespace

std::vector<Schedule> allSchedules() {
    return {Schedule::Constant, Schedule::Cosine, Schedule::Exponential, Schedule::Step,
            Schedule::Plateau};
}

std::string_view scheduleName(Schedule schedule) {
    switch (schedule) {
    case Schedule::Constant:
        return "constant";
    case Schedule::Cosine:
        return "cosine";
    case Schedule::Exponential:
        return "exponential";
    case Schedule::Step:
        return "step";
    case Schedule::Plateau:
        return "plateau";
    }
    return "unknown";
}

std::optional<Schedule> scheduleFromName(std::string_view name) {
    for (Schedule s : allSchedules())
        if (scheduleName(s) == name)
            return s;
    return std::nullopt;
}

std::string_view precisionName(Precision precision) {
    switch (precision) {
    case Precision::Float32:
        return "float32";
    case Precision::Float64:
        return "float64";
    }
    return "unknown";
}

std::vector<Precision> allPrecisions() {
    return {Precision::Float32, Precision::Float64};
}

std::optional<Precision> precisionFromName(std::string_view name) {
    for (Precision p : allPrecisions())
        if (precisionName(p) == name)
            return p;
    return std::nullopt;
}

int trainingRows(const TrainConfig& c) {
    if (!c.measured)
        return c.nTrain;
    return c.measured->rows() - validationRowCount(c.measured->rows(), c.dataValidation);
}

int effectiveBatchSize(const TrainConfig& c) {
    return std::max(1, std::min(c.batchSize, trainingRows(c)));
}

std::vector<std::string> configNotes(const TrainConfig& c) {
    std::vector<std::string> notes;
    const int rows = trainingRows(c);
    const std::string what = c.measured ? "the data's training rows " : "n_train ";
    if (c.batchSize > rows && rows >= 1)
        notes.push_back("batch_size " + std::to_string(c.batchSize) + " exceeds " + what +
                        std::to_string(rows) + ": training in batches of " + std::to_string(rows) +
                        " (one batch per epoch)");
    if (c.measured) {
        const int val = validationRowCount(c.measured->rows(), c.dataValidation);
        const int withFprime = c.measured->rowsWithFprime();
        if (val == 0)
            notes.push_back("no validation split (data_validation 0): the validation values "
                            "and the metrics are on the training data");
        if (withFprime == 0 && c.beta != 0)
            notes.push_back("the data have no f' values: the beta term is 0");
        else if (withFprime < c.measured->rows())
            notes.push_back("f' is given on " + std::to_string(withFprime) + " of " +
                            std::to_string(c.measured->rows()) +
                            " rows: the beta term averages over those");
    }
    return notes;
}

double workspaceBytes(const TrainConfig& c) {
    // Per hidden layer: pre-activations, activations and back-propagated values (3 x 2B) plus
    // sigma' and sigma'' (2 x B), all width x batch scalars of the run's precision.
    const double scalarBytes = c.precision == Precision::Float64 ? 8 : 4;
    const double perLayer = 8.0 * double(c.width) * double(effectiveBatchSize(c)) * scalarBytes;
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

    // 0 epochs: L-BFGS alone.
    if (c.epochs == 0 && c.lbfgsIterations == 0)
        problems.push_back({"epochs", "must be an integer from 1 to " + std::to_string(maxEpochs) +
                                          " (0 only with lbfgs_iterations > 0: L-BFGS alone); "
                                          "got 0"});
    else
        checkRange(problems, "epochs", c.epochs, c.lbfgsIterations > 0 ? 0 : minEpochs, maxEpochs);
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
    if (!c.data.empty() && !c.measured)
        problems.push_back({"data", "the file " + c.data + " has not been read"});
    if (!std::isfinite(c.dataValidation) || c.dataValidation < 0 ||
        c.dataValidation > maxDataValidation)
        problems.push_back({"data_validation", "must be a fraction from 0 to " +
                                                   number(maxDataValidation) + "; got " +
                                                   number(c.dataValidation)});
    // With measured data the target is not used, so its problems do not matter.
    if (problems.empty() && !c.measured) {
        const auto targetBad = targetProblems(c);
        problems.insert(problems.end(), targetBad.begin(), targetBad.end());
    }

    if (scheduleName(c.schedule) == "unknown")
        problems.push_back({"schedule", "is not a known schedule"});
    if (!std::isfinite(c.lrFloor) || c.lrFloor <= 0 || c.lrFloor > 1)
        problems.push_back({"lr_floor", "must be a fraction of the learning rate, greater than 0 "
                                        "and at most 1; got " +
                                            number(c.lrFloor)});
    if (!std::isfinite(c.decayFactor) || c.decayFactor <= 0 || c.decayFactor >= 1)
        problems.push_back({"decay_factor", "must be greater than 0 and less than 1; got " +
                                                number(c.decayFactor)});
    checkRange(problems, "step_epochs", c.stepEpochs, 1, maxScheduleEpochs);
    checkRange(problems, "patience", c.patience, 1, maxScheduleEpochs);
    if (precisionName(c.precision) == "unknown")
        problems.push_back({"precision", "must be float32 or float64"});
    if (precisionName(c.lbfgsPrecision) == "unknown")
        problems.push_back({"lbfgs_precision", "must be float32 or float64"});
    checkRange(problems, "lbfgs_iterations", c.lbfgsIterations, 0, maxLbfgsIterations);
    checkRange(problems, "lbfgs_history", c.lbfgsHistory, minLbfgsHistory, maxLbfgsHistory);
    for (auto [field, value] : {std::pair{"lbfgs_gradient_tolerance", c.lbfgsGradientTolerance},
                                std::pair{"lbfgs_change_tolerance", c.lbfgsChangeTolerance}})
        if (!std::isfinite(value) || value < 0)
            problems.push_back({field, "must be a number >= 0 (0: off); got " + number(value)});

    checkChanges(problems, c);

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
