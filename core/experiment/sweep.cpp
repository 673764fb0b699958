// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/experiment/sweep.h"

#include "core/problem/sampling.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

namespace sobolev {

namespace {

constexpr SweepKnob allKnobs[] = {
    SweepKnob::Alpha,          SweepKnob::Beta,      SweepKnob::BetaOverAlpha,
    SweepKnob::LearningRate,   SweepKnob::Width,     SweepKnob::Depth,
    SweepKnob::Schedule,       SweepKnob::Precision, SweepKnob::LbfgsIterations,
    SweepKnob::LbfgsPrecision, SweepKnob::NoiseF,    SweepKnob::NoiseFprime,
    SweepKnob::Sampling};

// The names a categorical knob takes, in the order of their values.
std::vector<std::string> choiceNames(SweepKnob knob) {
    std::vector<std::string> names;
    if (knob == SweepKnob::Schedule)
        for (Schedule s : allSchedules())
            names.emplace_back(scheduleName(s));
    else if (knob == SweepKnob::Precision || knob == SweepKnob::LbfgsPrecision)
        for (Precision p : allPrecisions())
            names.emplace_back(precisionName(p));
    else if (knob == SweepKnob::Sampling)
        for (Sampling s : allSamplings())
            names.emplace_back(samplingName(s));
    return names;
}

std::string knobList() {
    std::string names;
    for (SweepKnob k : allKnobs)
        names += (names.empty() ? "" : ", ") + std::string(sweepKnobName(k));
    return names;
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Spaces around a number are allowed ("0, 0.1, 1"), as people type lists that way.
std::optional<double> parseNumber(std::string_view text) {
    text = trimmed(text);
    // from_chars for double: locale-independent and strict about trailing garbage.
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

} // namespace

bool isIntegerKnob(SweepKnob k) {
    return k == SweepKnob::Width || k == SweepKnob::Depth || k == SweepKnob::LbfgsIterations ||
           isCategoricalKnob(k);
}

bool isCategoricalKnob(SweepKnob k) {
    return k == SweepKnob::Schedule || k == SweepKnob::Precision ||
           k == SweepKnob::LbfgsPrecision || k == SweepKnob::Sampling;
}

std::string knobValueText(SweepKnob knob, double value) {
    if (isCategoricalKnob(knob)) {
        const auto names = choiceNames(knob);
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

void applyKnob(TrainConfig& c, SweepKnob knob, double value) {
    switch (knob) {
    case SweepKnob::Alpha:
        c.alpha = value;
        return;
    case SweepKnob::Beta:
        c.beta = value;
        return;
    case SweepKnob::BetaOverAlpha:
        c.beta = value * c.alpha;
        return;
    case SweepKnob::LearningRate:
        c.learningRate = value;
        return;
    case SweepKnob::Width:
        c.width = int(value);
        return;
    case SweepKnob::Depth:
        c.depth = int(value);
        return;
    case SweepKnob::Schedule:
        c.schedule = Schedule(int(value));
        return;
    case SweepKnob::Precision:
        c.precision = Precision(int(value));
        return;
    case SweepKnob::LbfgsIterations:
        c.lbfgsIterations = int(value);
        return;
    case SweepKnob::LbfgsPrecision:
        c.lbfgsPrecision = Precision(int(value));
        return;
    case SweepKnob::NoiseF:
        c.noiseF = value;
        return;
    case SweepKnob::NoiseFprime:
        c.noiseFprime = value;
        return;
    case SweepKnob::Sampling:
        c.sampling = Sampling(int(value));
        return;
    }
}

double knobValue(const TrainConfig& c, SweepKnob knob) {
    switch (knob) {
    case SweepKnob::Alpha:
        return c.alpha;
    case SweepKnob::Beta:
        return c.beta;
    case SweepKnob::BetaOverAlpha:
        return c.alpha != 0 ? c.beta / c.alpha : std::numeric_limits<double>::quiet_NaN();
    case SweepKnob::LearningRate:
        return c.learningRate;
    case SweepKnob::Width:
        return c.width;
    case SweepKnob::Depth:
        return c.depth;
    case SweepKnob::Schedule:
        return double(int(c.schedule));
    case SweepKnob::Precision:
        return double(int(c.precision));
    case SweepKnob::LbfgsIterations:
        return c.lbfgsIterations;
    case SweepKnob::LbfgsPrecision:
        return double(int(c.lbfgsPrecision));
    case SweepKnob::NoiseF:
        return c.noiseF;
    case SweepKnob::NoiseFprime:
        return c.noiseFprime;
    case SweepKnob::Sampling:
        return double(int(c.sampling));
    }
    return std::numeric_limits<double>::quiet_NaN();
}

std::string_view sweepKnobName(SweepKnob knob) {
    switch (knob) {
    case SweepKnob::Alpha:
        return "alpha";
    case SweepKnob::Beta:
        return "beta";
    case SweepKnob::BetaOverAlpha:
        return "beta_over_alpha";
    case SweepKnob::LearningRate:
        return "learning_rate";
    case SweepKnob::Width:
        return "width";
    case SweepKnob::Depth:
        return "depth";
    case SweepKnob::Schedule:
        return "schedule";
    case SweepKnob::Precision:
        return "precision";
    case SweepKnob::LbfgsIterations:
        return "lbfgs_iterations";
    case SweepKnob::LbfgsPrecision:
        return "lbfgs_precision";
    case SweepKnob::NoiseF:
        return "noise_f";
    case SweepKnob::NoiseFprime:
        return "noise_fprime";
    case SweepKnob::Sampling:
        return "sampling";
    }
    return "unknown";
}

std::optional<SweepKnob> sweepKnobFromName(std::string_view name) {
    if (name == "lr")
        return SweepKnob::LearningRate;
    for (SweepKnob k : allKnobs)
        if (sweepKnobName(k) == name)
            return k;
    return std::nullopt;
}

std::optional<SweepAxis> parseSweepAxis(std::string_view text, std::string* error) {
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
        *error = "\"" + std::string(text) +
                 "\" must be KNOB=V1,V2,... or KNOB=log:FROM:TO:COUNT; knobs: " + knobList();
        return std::nullopt;
    }
    const auto knob = sweepKnobFromName(trimmed(text.substr(0, eq)));
    if (!knob) {
        *error = "unknown knob \"" + std::string(text.substr(0, eq)) + "\"; knobs: " + knobList();
        return std::nullopt;
    }
    SweepAxis axis{*knob, {}};
    const std::string_view values = trimmed(text.substr(eq + 1));
    if (isCategoricalKnob(*knob)) {
        const auto names = choiceNames(*knob);
        for (std::string_view part : split(values, ',')) {
            const auto at = std::find(names.begin(), names.end(), trimmed(part));
            if (at == names.end()) {
                std::string allowed;
                for (const auto& n : names)
                    allowed += (allowed.empty() ? "" : ", ") + n;
                *error = std::string(sweepKnobName(*knob)) + ": \"" + std::string(part) +
                         "\" is not one of " + allowed;
                return std::nullopt;
            }
            axis.values.push_back(double(at - names.begin()));
        }
        return axis;
    }
    if (values.substr(0, 4) == "log:") {
        const auto parts = split(values.substr(4), ':');
        const auto from = parts.size() == 3 ? parseNumber(parts[0]) : std::nullopt;
        const auto to = parts.size() == 3 ? parseNumber(parts[1]) : std::nullopt;
        const auto count = parts.size() == 3 ? parseNumber(parts[2]) : std::nullopt;
        if (!from || !to || !count || *from <= 0 || *to <= *from || *count < 2 || *count > 1000 ||
            *count != std::floor(*count)) {
            *error =
                std::string(sweepKnobName(*knob)) +
                ": a log grid is log:FROM:TO:COUNT with 0 < FROM < TO and COUNT from 2 to 1000";
            return std::nullopt;
        }
        const int n = int(*count);
        for (int i = 0; i < n; ++i)
            axis.values.push_back(*from * std::pow(*to / *from, double(i) / (n - 1)));
    } else {
        for (std::string_view part : split(values, ',')) {
            const auto v = parseNumber(part);
            if (!v) {
                *error = std::string(sweepKnobName(*knob)) + ": \"" + std::string(part) +
                         "\" is not a number";
                return std::nullopt;
            }
            axis.values.push_back(*v);
        }
    }
    if (isIntegerKnob(*knob))
        for (double v : axis.values)
            if (v != std::floor(v)) {
                std::ostringstream msg;
                msg << sweepKnobName(*knob) << ": values must be integers; got " << v;
                *error = msg.str();
                return std::nullopt;
            }
    return axis;
}

std::optional<std::vector<std::uint64_t>> parseSeedList(std::string_view text, std::string* error) {
    std::vector<std::uint64_t> seeds;
    auto number = [](std::string_view s) -> std::optional<std::uint64_t> {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || s.empty())
            return std::nullopt;
        return v;
    };
    for (std::string_view part : split(text, ',')) {
        const std::size_t dash = part.find('-');
        const auto lo = number(trimmed(part.substr(0, dash)));
        const auto hi =
            dash == std::string_view::npos ? lo : number(trimmed(part.substr(dash + 1)));
        if (!lo || !hi || *hi < *lo || *hi - *lo >= maxSweepRuns) {
            *error = "seeds: \"" + std::string(part) +
                     "\" is not a seed (0-18446744073709551615) or a range like 1-5";
            return std::nullopt;
        }
        for (std::uint64_t s = *lo;; ++s) {
            seeds.push_back(s);
            if (s == *hi)
                break;
        }
    }
    return seeds;
}

std::vector<SweepPoint> expandSweep(const TrainConfig& base, const std::vector<SweepAxis>& axes,
                                    const std::vector<std::uint64_t>& seeds) {
    std::vector<SweepPoint> points{SweepPoint{base, {}, base.seed}};
    for (const SweepAxis& axis : axes) {
        std::vector<SweepPoint> next;
        for (const SweepPoint& p : points)
            for (double v : axis.values) {
                SweepPoint q = p;
                applyKnob(q.config, axis.knob, v);
                q.knobValues.push_back(v);
                next.push_back(q);
            }
        points = std::move(next);
    }
    std::vector<SweepPoint> withSeeds;
    for (const SweepPoint& p : points)
        for (std::uint64_t s : seeds) {
            SweepPoint q = p;
            q.config.seed = q.seed = s;
            withSeeds.push_back(q);
        }
    return withSeeds;
}

std::vector<ConfigProblem> validateSweep(const TrainConfig& base,
                                         const std::vector<SweepAxis>& axes,
                                         const std::vector<std::uint64_t>& seeds) {
    std::vector<ConfigProblem> problems;
    if (axes.size() > 2)
        problems.push_back({"sweep", "takes at most 2 knobs; got " + std::to_string(axes.size())});
    if (axes.size() == 2 && axes[0].knob == axes[1].knob)
        problems.push_back({"sweep", "the two knobs must differ; got " +
                                         std::string(sweepKnobName(axes[0].knob)) + " twice"});
    for (const SweepAxis& a : axes)
        if (a.values.empty())
            problems.push_back({"sweep", std::string(sweepKnobName(a.knob)) + " has no values"});
    if (seeds.empty())
        problems.push_back({"seeds", "needs at least one seed"});
    double runs = double(seeds.size());
    for (const SweepAxis& a : axes)
        runs *= double(a.values.size());
    if (runs > double(maxSweepRuns))
        problems.push_back({"sweep", "would make " + std::to_string(std::llround(runs)) +
                                         " runs; at most " + std::to_string(maxSweepRuns) +
                                         " are allowed"});
    if (!problems.empty())
        return problems;
    int reported = 0;
    for (const SweepPoint& p : expandSweep(base, axes, seeds)) {
        const auto bad = validate(p.config);
        if (bad.empty())
            continue;
        std::ostringstream where;
        for (std::size_t i = 0; i < axes.size(); ++i)
            where << (i ? ", " : "") << sweepKnobName(axes[i].knob) << "="
                  << knobValueText(axes[i].knob, p.knobValues[i]);
        problems.push_back({"sweep", "at " + where.str() + ": " + describe(bad)});
        if (++reported == 3)
            break;
    }
    return problems;
}

SweepRunner::SweepRunner(std::vector<SweepPoint> points, int threads)
    : m_points(std::move(points)), m_threads(std::max(1, threads)) {}

std::size_t SweepRunner::run(const ResultCallback& onResult) {
    auto work = [this, &onResult] {
        for (std::size_t i = m_next++; i < m_points.size() && !m_cancel; i = m_next++) {
            Trainer trainer(m_points[i].config);
            if (m_threads > 1)
                trainer.setFullBatchThreads(1); // the runs already fill the threads
            trainer.trainAll(&m_cancel);
            if (!trainer.finished())
                trainer.markStopped();
            SweepResult result{trainer.report(), trainer.history(), trainer.predictions()};
            ++m_finished;
            onResult(i, result);
        }
    };
    const int threads = int(std::min<std::size_t>(std::size_t(m_threads), m_points.size()));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread& t : pool)
        t.join();
    return m_finished;
}

} // namespace sobolev
