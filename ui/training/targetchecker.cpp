// SPDX-License-Identifier: GPL-3.0-or-later
#include "targetchecker.h"

#include "core/config/presets.h"
#include "core/problem/target.h"
#include "core/problem/validate.h"

#include "latestwork.h"

namespace sobolev {

namespace {

// Enough to go back and forth between a few targets and domains without a new check.
constexpr std::size_t keptVerdicts = 16;

TargetVerdict checkTarget(const TrainConfig& inputs, const std::atomic<bool>* cancel) {
    TargetVerdict verdict{inputs, targetProblems(inputs, cancel), QString()};
    const bool targetReads =
        std::none_of(verdict.problems.begin(), verdict.problems.end(),
                     [](const ConfigProblem& p) { return p.field == "target"; });
    if (targetReads) {
        try { // compiled already by targetProblems(): the formula is cached
            verdict.derivative =
                QString::fromStdString(Target::fromConfig(inputs).derivativeFormula());
        } catch (const std::exception&) {
            // A problem in another field (the domain, the parameter); no f′ to show.
        }
    }
    return verdict;
}

} // namespace

TargetChecker::TargetChecker(QObject* parent) : QObject(parent), m_work(new LatestWork(this)) {
    connect(m_work, &LatestWork::done, this, &TargetChecker::onChecked);
}

TargetChecker::~TargetChecker() = default;

bool TargetChecker::isChecking() const {
    return m_work->isBusy();
}

std::optional<TargetVerdict> TargetChecker::verdictFor(const TrainConfig& config) const {
    const TrainConfig inputs = targetInputs(config);
    for (const TargetVerdict& verdict : m_verdicts)
        if (verdict.inputs == inputs)
            return verdict;
    if (!presetByName(inputs.target))
        return std::nullopt;
    TargetVerdict verdict = checkTarget(inputs, nullptr);
    keep(verdict);
    return verdict;
}

void TargetChecker::keep(const TargetVerdict& verdict) const {
    m_verdicts.push_front(verdict);
    if (m_verdicts.size() > keptVerdicts)
        m_verdicts.pop_back();
}

void TargetChecker::check(const TrainConfig& config) {
    const TrainConfig inputs = targetInputs(config);
    if ((m_work->isBusy() && inputs == m_asked) || verdictFor(inputs))
        return;
    m_asked = inputs;
    auto verdict = std::make_shared<std::optional<TargetVerdict>>();
    m_newest = verdict;
    m_work->post([inputs, verdict](const std::atomic<bool>* cancel) {
        *verdict = checkTarget(inputs, cancel);
    });
}

void TargetChecker::onChecked() {
    if (!m_newest || !*m_newest)
        return;
    const TargetVerdict verdict = **m_newest;
    keep(verdict);
    emit targetChecked(verdict);
}

} // namespace sobolev
