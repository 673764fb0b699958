// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/validate.h"

#include "core/config/numbertext.h"
#include "core/problem/dataset.h"
#include "core/problem/formula/expression.h"
#include "core/problem/target.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cfloat>
#include <cmath>

namespace sobolev {

namespace {

std::string presetNames() {
    std::string names;
    for (const PresetInfo& p : presets())
        names += (names.empty() ? "" : ", ") + std::string(p.name);
    return names;
}

// Checks that f and f' are finite floats at points, in order (f before f' at each), and
// names the first point where one is not. The points are evaluated in blocks by the batch
// evaluation, which gives the pointwise values bit for bit several times faster: 3,000,000
// points (a million each of grid, validation and training points) are checked in ~0.1 s.
struct PointChecker {
    const CompiledFormula& formula;
    std::vector<ConfigProblem>& problems;
    const std::atomic<bool>* cancel; // polled between blocks: a long formula costs microseconds

    template <typename PointAt>
    bool operator()(std::size_t n, PointAt pointAt, const char* where) const {
        constexpr std::size_t block = 1024;
        double x[block], f[block], fprime[block];
        for (std::size_t start = 0; start < n; start += block) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return false;
            const std::size_t count = std::min(block, n - start);
            for (std::size_t i = 0; i < count; ++i)
                x[i] = pointAt(start + i);
            formula.evaluate(x, f, fprime, count);
            for (std::size_t i = 0; i < count; ++i)
                if (!finiteFloat(x[i], f[i], false, where) ||
                    !finiteFloat(x[i], fprime[i], true, where))
                    return false;
        }
        return true;
    }

    bool finiteFloat(double x, double v, bool derivative, const char* where) const {
        const char* name = derivative ? "f′(x)" : "f(x)";
        if (!std::isfinite(v)) {
            problems.push_back(
                {"target", std::string(name) + " is undefined at x = " + numberText(x, 15) + " (" +
                               formula.problemAt(x, derivative).value_or("not a finite number") +
                               "), " + where});
            return false;
        }
        if (std::abs(v) > FLT_MAX) {
            problems.push_back({"target", std::string(name) + " = " + numberText(v, 15) +
                                              " at x = " + numberText(x, 15) + ", " + where +
                                              ", is beyond the float range of the network "
                                              "(|value| at most 3.4e38)"});
            return false;
        }
        return true;
    }
};

std::vector<ConfigProblem> formulaProblems(const TrainConfig& c,
                                           std::vector<ConfigProblem> problems,
                                           const std::atomic<bool>* cancel) {
    if (c.target.find_first_not_of(" \t") == std::string::npos) {
        problems.push_back({"target", "is empty: give a preset (" + presetNames() +
                                          ") or a formula in x, e.g. sin(3*x)*exp(-x^2)"});
        return problems;
    }
    std::string error;
    const auto formula = CompiledFormula::compile(c.target, &error);
    if (!formula) {
        // A single word is most likely a misspelt preset.
        if (std::isalpha(static_cast<unsigned char>(c.target[0])) &&
            c.target.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") ==
                std::string::npos)
            error = "\"" + c.target + "\" is neither a preset (" + presetNames() +
                    ") nor a formula in x (" + error + ")";
        problems.push_back({"target", error});
        return problems;
    }
    if (c.targetParam)
        problems.push_back({"target_param", "only a preset has a parameter; the formula \"" +
                                                c.target + "\" has none"});
    if (!problems.empty())
        return problems;
    // f and f' must be finite floats at every point the run evaluates them: the test grid,
    // the validation and the training points, plus 0 and the ends of the domain (where
    // formulas are most often undefined).
    const auto [trainX, valX] = Dataset::trainAndValidationX(c);
    const double a = c.domainMin, b = c.domainMax;
    const PointChecker check{*formula, problems, cancel};
    const auto zero = [](std::size_t) { return 0.0; };
    const auto gridAt = [&](std::size_t i) {
        return double(float(gridPoint(a, b, int(i), c.gridPoints)));
    };
    const auto validationAt = [&](std::size_t i) { return double(valX[Eigen::Index(i)]); };
    const auto trainingAt = [&](std::size_t i) { return double(trainX[Eigen::Index(i)]); };
    if (a < 0 && b > 0 && !check(1, zero, "inside the domain"))
        return problems;
    if (!check(std::size_t(c.gridPoints), gridAt, "a point of the test grid"))
        return problems;
    if (!check(std::size_t(valX.size()), validationAt, "a validation point"))
        return problems;
    check(std::size_t(trainX.size()), trainingAt, "a training point");
    return problems;
}

} // namespace

std::vector<ConfigProblem> targetProblems(const TrainConfig& c, const std::atomic<bool>* cancel) {
    std::vector<ConfigProblem> problems;
    const double a = c.domainMin, b = c.domainMax;
    if (!std::isfinite(a) || !std::isfinite(b) || std::abs(a) > limits::maxDomainAbs ||
        std::abs(b) > limits::maxDomainAbs || !(a < b))
        problems.push_back({"domain", "must be [a, b] with a < b and |a|, |b| at most " +
                                          numberText(limits::maxDomainAbs, 15) + "; got [" +
                                          numberText(a, 15) + ", " + numberText(b, 15) + "]"});
    const PresetInfo* info = presetByName(c.target);
    if (!info)
        return formulaProblems(c, std::move(problems), cancel);
    if (c.targetParam) {
        const double p = *c.targetParam;
        if (!info->paramName)
            problems.push_back({"target_param", "the " + std::string(info->name) +
                                                    " preset has no parameter; got " +
                                                    numberText(p, 15)});
        else if (info->preset == Preset::Polynomial && (!std::isfinite(p) || p != std::floor(p) ||
                                                        p < 0 || p > limits::maxPolynomialDegree))
            problems.push_back({"target_param", "the polynomial's degree must be an integer "
                                                "from 0 to " +
                                                    std::to_string(limits::maxPolynomialDegree) +
                                                    "; got " + numberText(p, 15)});
        else if (!std::isfinite(p) || p < info->minParam || p > info->maxParam)
            problems.push_back({"target_param",
                                std::string(info->paramName) + " of " + info->name +
                                    " must be from " + numberText(info->minParam, 15) + " to " +
                                    numberText(info->maxParam, 15) + "; got " + numberText(p, 15)});
    }
    if (!problems.empty())
        return problems;
    // The network computes in float: f and f' must be finite floats on the test grid (the
    // presets are smooth, so the grid and the ends of the domain bound them).
    const Target target = Target::fromConfig(c);
    const int n = std::min(std::max(c.gridPoints, 2), limits::maxGridPoints);
    for (int i = 0; i < n; ++i) {
        const double x = gridPoint(a, b, i, n);
        for (auto [name, v] : {std::pair{"f", target.f(x)}, std::pair{"f'", target.fprime(x)}})
            if (!std::isfinite(v) || std::abs(v) > FLT_MAX) {
                problems.push_back(
                    {"domain", std::string(name) + "(x) = " + numberText(v, 15) +
                                   " at x = " + numberText(x, 15) +
                                   " is beyond the float range of the network "
                                   "(|value| at most 3.4e38): use a smaller domain"});
                return problems;
            }
    }
    return problems;
}

TrainConfig targetInputs(const TrainConfig& config) {
    // What targetProblems() and Dataset::trainAndValidationX() read, and nothing else.
    TrainConfig inputs;
    inputs.target = config.target;
    inputs.targetParam = config.targetParam;
    inputs.domainMin = config.domainMin;
    inputs.domainMax = config.domainMax;
    inputs.gridPoints = config.gridPoints;
    inputs.nTrain = config.nTrain;
    inputs.nVal = config.nVal;
    inputs.sampling = config.sampling;
    inputs.seed = config.seed;
    return inputs;
}

std::vector<ConfigProblem> validate(const TrainConfig& config) {
    std::vector<ConfigProblem> problems = knobProblems(config);
    if (problems.empty() && !config.measured)
        problems = targetProblems(config);
    return problems;
}

} // namespace sobolev
