// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/trainconfig.h"

#include "core/config/knobregistry.h"
#include "core/config/numbertext.h"

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

// The problems of config.changes: each change in an Adam epoch and batch of the run, in
// order, its value in the knob's range, and never alpha and beta both 0.
void checkChanges(std::vector<ConfigProblem>& problems, const TrainConfig& c) {
    using namespace limits;
    const bool sizesValid = c.nTrain >= minSamples && c.batchSize >= 1;
    const int batches = sizesValid ? batchesPerEpoch(c) : 0;
    double alpha = c.alpha, beta = c.beta;
    const KnobChange* previous = nullptr;
    // A list of thousands of bad changes names the first few; the rest are counted.
    constexpr int listed = 20;
    int found = 0;
    for (const KnobChange& change : c.changes) {
        auto problem = [&](const std::string& message) {
            if (++found > listed)
                return;
            problems.push_back({"changes", "the change at epoch " + std::to_string(change.epoch) +
                                               ", batch " + std::to_string(change.batch) + " (" +
                                               std::string(knobShortName(change.knob)) + "=" +
                                               numberText(change.value) + "): " + message});
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
        if (change.knob == Knob::LearningRate)
            continue;
        (change.knob == Knob::Alpha ? alpha : beta) = change.value;
        if (alpha == 0 && beta == 0)
            problem("alpha and beta cannot both be 0: the loss would be empty");
    }
    if (found > listed)
        problems.push_back({"changes", std::to_string(found - listed) +
                                           " more problems with changes; only the first " +
                                           std::to_string(listed) + " are listed"});
}

// 0 epochs: L-BFGS alone, which the epochs row's range does not cover.
bool lbfgsAlone(const TrainConfig& c) {
    return c.epochs == 0 && c.lbfgsIterations > 0;
}

void checkLossNotEmpty(std::vector<ConfigProblem>& problems, const TrainConfig& c) {
    if (c.alpha == 0 && c.beta == 0)
        problems.push_back({"beta", "alpha and beta cannot both be 0: the loss would be empty"});
    else if (c.balance != Balance::Off && (c.alpha == 0 || c.beta == 0))
        problems.push_back({"balance", "balance " + std::string(balanceName(c.balance)) +
                                           " weighs both terms: it needs alpha > 0 and beta > 0"});
}

// The storage layer reads a data file into `measured`; a path without rows was not read.
void checkDataRead(std::vector<ConfigProblem>& problems, const TrainConfig& c) {
    if (!c.data.empty() && !c.measured)
        problems.push_back({"data", "the file " + c.data + " has not been read"});
}

// batch_size x width x depth bounds the trainer's working memory.
void checkWorkspace(std::vector<ConfigProblem>& problems, const TrainConfig& c) {
    using namespace limits;
    if (workspaceBytes(c) > maxWorkspaceBytes)
        problems.push_back(
            {"batch_size", "batch_size x width x depth needs " +
                               numberText(std::round(workspaceBytes(c) / (1 << 20))) +
                               " MiB of working memory; the limit is " +
                               numberText(maxWorkspaceBytes / (1 << 20)) +
                               " MiB: use a smaller batch"});
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

std::string_view samplingName(Sampling sampling) {
    switch (sampling) {
    case Sampling::Uniform:
        return "uniform";
    case Sampling::Equispaced:
        return "equispaced";
    case Sampling::Chebyshev:
        return "chebyshev";
    }
    return "unknown";
}

const std::vector<Sampling>& allSamplings() {
    static const std::vector<Sampling> all{Sampling::Uniform, Sampling::Equispaced,
                                           Sampling::Chebyshev};
    return all;
}

std::optional<Sampling> samplingFromName(std::string_view name) {
    for (Sampling s : allSamplings())
        if (samplingName(s) == name)
            return s;
    return std::nullopt;
}

const std::vector<Balance>& allBalances() {
    static const std::vector<Balance> all{Balance::Off,       Balance::Lra,
                                          Balance::Relobralo, Balance::SoftAdapt,
                                          Balance::GradNorm,  Balance::InverseDirichlet,
                                          Balance::Analytic};
    return all;
}

std::string_view balanceName(Balance balance) {
    switch (balance) {
    case Balance::Off:
        return "off";
    case Balance::Lra:
        return "lra";
    case Balance::Relobralo:
        return "relobralo";
    case Balance::SoftAdapt:
        return "softadapt";
    case Balance::GradNorm:
        return "gradnorm";
    case Balance::InverseDirichlet:
        return "inverse-dirichlet";
    case Balance::Analytic:
        return "analytic";
    }
    return "unknown";
}

std::optional<Balance> balanceFromName(std::string_view name) {
    for (Balance b : allBalances())
        if (balanceName(b) == name)
            return b;
    return std::nullopt;
}

bool balanceUsesGradients(Balance balance) {
    return balance == Balance::Lra || balance == Balance::GradNorm ||
           balance == Balance::InverseDirichlet;
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

std::vector<ConfigProblem> knobProblems(const TrainConfig& c) {
    std::vector<ConfigProblem> problems;
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.stored || (k.knob == Knob::Epochs && lbfgsAlone(c)))
            continue;
        if (std::string bad = knobRangeProblem(k.knob, knobValue(c, k.knob)); !bad.empty())
            problems.push_back({k.key, std::move(bad)});
    }
    checkLossNotEmpty(problems, c);
    checkDataRead(problems, c);
    checkChanges(problems, c);
    if (problems.empty())
        checkWorkspace(problems, c);
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
