// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepcontroller.h"

#include "runhistory.h"
#include "textformat.h"

#include <QThread>

#include <algorithm>

namespace sobolev {

namespace {

// "β=0.1, seed 2": the point's knob values and seed.
QString pointLabel(const std::vector<Knob>& knobs, const std::vector<double>& values,
                   std::uint64_t seed) {
    QStringList parts;
    for (std::size_t i = 0; i < knobs.size(); ++i)
        parts << QStringLiteral("%1=%2").arg(knobLabel(knobs[i]),
                                             knobValueLabel(knobs[i], values[i]));
    parts << SweepController::tr("seed %1").arg(qulonglong(seed));
    return parts.join(QStringLiteral(", "));
}

// Numeric order: by the first knob's value, then the second's, then the seed.
bool comesBefore(const SweepRunView& a, const SweepRunView& b) {
    if (a.knobValues != b.knobValues)
        return std::lexicographical_compare(a.knobValues.begin(), a.knobValues.end(),
                                            b.knobValues.begin(), b.knobValues.end());
    return a.seed < b.seed;
}

} // namespace

SweepController::SweepController(RunHistory* history, QObject* parent)
    : QObject(parent), m_history(history) {}

SweepController::~SweepController() {
    cancelAndWait();
}

bool SweepController::start(std::vector<SweepPoint> points, std::vector<Knob> knobs, int threads) {
    if (isRunning())
        return false;
    m_runner = std::make_unique<SweepRunner>(std::move(points), threads);
    m_view = SweepView{std::move(knobs), {}};
    m_names.clear();
    m_storeErrors.clear();
    m_clock.start();
    SweepRunner* runner = m_runner.get();
    m_worker = QThread::create([this, runner] {
        runner->run([this](std::size_t index, const SweepResult& result) {
            {
                std::lock_guard lock(m_pendingMutex);
                m_pending.emplace_back(index, result);
            }
            QMetaObject::invokeMethod(this, &SweepController::takeResults, Qt::QueuedConnection);
        });
    });
    connect(m_worker, &QThread::finished, this, &SweepController::finish);
    m_worker->start();
    emit sweepStarted();
    return true;
}

void SweepController::cancel() {
    if (isRunning())
        m_runner->cancel();
}

void SweepController::cancelAndWait() {
    if (!isRunning())
        return;
    m_runner->cancel();
    m_worker->wait();
    finish();
}

QStringList SweepController::runIds() const {
    QStringList ids;
    for (const SweepRunView& run : m_view.runs)
        if (!run.id.isEmpty())
            ids << run.id;
    return ids;
}

void SweepController::takeResults() {
    std::vector<std::pair<std::size_t, SweepResult>> results;
    {
        std::lock_guard lock(m_pendingMutex);
        results.swap(m_pending);
    }
    for (const auto& [index, result] : results)
        storeRun(index, result);
}

void SweepController::storeRun(std::size_t index, const SweepResult& result) {
    const SweepPoint& point = m_runner->points()[index];
    const QString label = pointLabel(m_view.knobs, point.knobValues, point.seed);
    const QString name =
        m_view.knobs.empty() ? tr("%1 (ensemble)").arg(label) : tr("%1 (sweep)").arg(label);
    QString error;
    const QString id = m_history->add(RunRecord{point.config, result.history, result.predictions,
                                                result.report, result.snapshots},
                                      name, &error);
    if (id.isEmpty())
        m_storeErrors << error;
    // In numeric order rather than the order the threads finished them: "seeds 1, 2".
    const SweepRunView run{id, point.knobValues, point.seed, result.report,
                           finalWeights(result.history)};
    const auto at = std::upper_bound(m_view.runs.begin(), m_view.runs.end(), run, comesBefore);
    const qsizetype position = at - m_view.runs.begin();
    m_view.runs.insert(position, run);
    m_names.insert(position, name);
    emit runEnded(id, run, name);
}

void SweepController::restore(SweepView view, QStringList names) {
    if (isRunning())
        return;
    m_runner.reset();
    m_view = std::move(view);
    m_names = std::move(names);
    m_storeErrors.clear();
}

void SweepController::finish() {
    // Reached from the thread's finished signal and, after a cancelAndWait(), before it.
    if (!m_worker)
        return;
    m_worker->wait();
    delete m_worker;
    m_worker = nullptr;
    takeResults();
    emit sweepFinished(m_runner->cancelled());
}

} // namespace sobolev
