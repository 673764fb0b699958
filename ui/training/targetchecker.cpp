// SPDX-License-Identifier: GPL-3.0-or-later
#include "targetchecker.h"

#include "core/config/presets.h"
#include "core/problem/target.h"
#include "core/problem/validate.h"

#include <QThread>

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

TargetChecker::TargetChecker(QObject* parent) : QObject(parent) {}

TargetChecker::~TargetChecker() {
    if (!m_worker)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_pending.reset();
    }
    m_cancel = true;
    m_worker->wait();
    delete m_worker;
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
    if ((m_worker && inputs == m_asked) || verdictFor(inputs))
        return;
    m_asked = inputs;
    {
        QMutexLocker lock(&m_mutex);
        m_pending = inputs;
    }
    if (m_worker)
        m_cancel = true; // the worker takes m_pending next
    else
        startWorker();
}

void TargetChecker::startWorker() {
    m_worker = QThread::create([this] {
        for (;;) {
            TrainConfig inputs;
            {
                QMutexLocker lock(&m_mutex);
                if (!m_pending)
                    return;
                inputs = std::move(*m_pending);
                m_pending.reset();
                m_cancel = false;
            }
            TargetVerdict verdict = checkTarget(inputs, &m_cancel);
            QMutexLocker lock(&m_mutex);
            if (!m_pending && !m_cancel)
                m_finished = std::move(verdict);
        }
    });
    m_worker->setObjectName(QStringLiteral("target checker"));
    connect(m_worker, &QThread::finished, this, &TargetChecker::onWorkerFinished);
    m_worker->start();
}

void TargetChecker::onWorkerFinished() {
    m_worker->deleteLater();
    m_worker = nullptr;
    std::optional<TargetVerdict> verdict;
    bool more = false;
    {
        QMutexLocker lock(&m_mutex);
        verdict.swap(m_finished);
        more = m_pending.has_value(); // asked for after the worker saw an empty queue
    }
    if (verdict)
        keep(*verdict);
    if (more)
        startWorker();
    else if (verdict)
        emit targetChecked(*verdict);
}

} // namespace sobolev
