// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/experiment/sweep.h"
#include "core/problem/validate.h"

#include "core/problem/sampling.h"
#include "core/train/checkpointtimer.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace sobolev {

namespace {

std::string knobList() {
    return knobNameList(sweepableKnobs());
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

// What targetProblems() reads: the target, its parameter, the domain, the test grid and the
// training and validation points (their counts, sampling and seed). Doubles by their bits, so
// that a NaN is a key like any other.
using TargetKey = std::tuple<std::string, bool, std::uint64_t, std::uint64_t, std::uint64_t, int,
                             int, int, Sampling, std::uint64_t>;

TargetKey targetKey(const TrainConfig& c) {
    return {c.target,
            c.targetParam.has_value(),
            std::bit_cast<std::uint64_t>(c.targetParam.value_or(0.0)),
            std::bit_cast<std::uint64_t>(c.domainMin),
            std::bit_cast<std::uint64_t>(c.domainMax),
            c.gridPoints,
            c.nTrain,
            c.nVal,
            c.sampling,
            c.seed};
}

} // namespace

std::optional<Knob> sweepKnobFromName(std::string_view name) {
    const auto knob = knobFromName(name);
    return knob && knobInfo(*knob).sweepable ? knob : std::nullopt;
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
    const std::string name = knobInfo(*knob).key;
    if (isChoiceKnob(*knob)) {
        const auto names = knobInfo(*knob).choices();
        for (std::string_view part : split(values, ',')) {
            const auto at = std::find(names.begin(), names.end(), trimmed(part));
            if (at == names.end()) {
                std::string allowed;
                for (const auto& n : names)
                    allowed += (allowed.empty() ? "" : ", ") + n;
                *error = name + ": \"" + std::string(part) + "\" is not one of " + allowed;
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
                name +
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
                *error = name + ": \"" + std::string(part) + "\" is not a number";
                return std::nullopt;
            }
            axis.values.push_back(*v);
        }
    }
    if (isIntegerKnob(*knob))
        for (double v : axis.values)
            if (v != std::floor(v)) {
                std::ostringstream msg;
                msg << name << ": values must be integers; got " << v;
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
        // Counted before they are made: "1-9999,1-9999,..." would otherwise fill gigabytes
        // before the sweep's run count is checked.
        if (*hi - *lo + 1 > maxSweepRuns - seeds.size()) {
            *error = "seeds: \"" + std::string(text.substr(0, 40)) +
                     (text.size() > 40 ? "...\"" : "\"") + " makes more than " +
                     std::to_string(maxSweepRuns) + " seeds; a sweep has at most " +
                     std::to_string(maxSweepRuns) + " runs";
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
                setKnob(q.config, axis.knob, v);
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
                                         const std::vector<std::uint64_t>& seeds,
                                         const std::atomic<bool>* cancel) {
    std::vector<ConfigProblem> problems;
    if (axes.size() > 2)
        problems.push_back({"sweep", "takes at most 2 knobs; got " + std::to_string(axes.size())});
    if (axes.size() == 2 && axes[0].knob == axes[1].knob)
        problems.push_back({"sweep", "the two knobs must differ; got " +
                                         std::string(knobInfo(axes[0].knob).key) + " twice"});
    for (const SweepAxis& a : axes)
        if (a.values.empty())
            problems.push_back({"sweep", std::string(knobInfo(a.knob).key) + " has no values"});
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
    // validate() of each point, with the target checked once for the points that share what it
    // reads: a formula at a million points takes ~0.3 s, and a sweep over knobs that leave the
    // target and its points alone (alpha, beta, width, ...) has up to 10,000 points.
    std::map<TargetKey, std::vector<ConfigProblem>> targetVerdicts;
    for (const SweepPoint& p : expandSweep(base, axes, seeds)) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            break;
        auto bad = knobProblems(p.config);
        if (bad.empty() && !p.config.measured) {
            auto [at, added] = targetVerdicts.try_emplace(targetKey(p.config));
            if (added)
                at->second = targetProblems(p.config, cancel);
            bad = at->second;
        }
        if (bad.empty())
            continue;
        std::ostringstream where;
        for (std::size_t i = 0; i < axes.size(); ++i)
            where << (i ? ", " : "") << knobInfo(axes[i].knob).key << "="
                  << knobValueText(axes[i].knob, p.knobValues[i]);
        problems.push_back({"sweep", "at " + where.str() + ": " + describe(bad)});
        if (++reported == 3)
            break;
    }
    return problems;
}

SweepRunner::SweepRunner(std::vector<SweepPoint> points, int threads)
    : m_points(std::move(points)), m_threads(std::max(1, threads)) {}

bool SweepRunner::train(std::size_t i, SweepResult& result) {
    Trainer trainer(m_points[i].config);
    if (m_threads > 1)
        trainer.setFullBatchThreads(1); // the runs already fill the threads
    const SweepCheckpoints& saving = m_checkpoints;
    if (saving.resume)
        if (const std::optional<TrainerCheckpoint> saved = saving.resume(i)) {
            try {
                trainer.restore(*saved);
            } catch (const std::invalid_argument&) {
                // restore() left the trainer at the start: train the run afresh
            }
        }
    CheckpointTimer timer(saving.intervalSeconds);
    trainer.trainAll(&m_cancel, [&](const EpochMetrics& row) {
        if (saving.save && timer.due(trainer, row))
            saving.save(i, trainer.checkpoint());
    });
    if (!trainer.finished() && saving.save) {
        saving.save(i, trainer.checkpoint()); // where the cancel stopped it, mid-epoch or not
        return false;
    }
    if (!trainer.finished())
        trainer.markStopped();
    result = {trainer.report(), trainer.history(), trainer.predictions(), trainer.snapshots()};
    return true;
}

std::size_t SweepRunner::run(const ResultCallback& onResult) {
    auto work = [this, &onResult] {
        for (std::size_t i = m_next++; i < m_points.size() && !m_cancel; i = m_next++) {
            SweepResult result;
            if (!train(i, result))
                continue;
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
