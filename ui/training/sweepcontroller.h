// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/experiment/sweep.h"
#include "sweepview.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

class QThread;

namespace sobolev {

class RunHistory;

// Runs a sweep (core's SweepRunner, a thread pool) from a QThread, as TrainingController runs
// one training, and stores every run in the run history the moment it ends, on this object's
// thread. The runs stop between batches on an atomic flag (SweepRunner::cancel); a cancel or a
// closed window keeps every run that ended.
class SweepController : public QObject {
    Q_OBJECT
  public:
    explicit SweepController(RunHistory* history, QObject* parent = nullptr);
    ~SweepController() override; // cancels and waits

    // False when a sweep is running already; the points come from expandSweep().
    bool start(std::vector<SweepPoint> points, std::vector<Knob> knobs, int threads);
    bool isRunning() const { return m_worker != nullptr; }
    bool isCancelling() const { return isRunning() && m_runner->cancelled(); }

    // This sweep's ended runs (the last sweep's once it is over), in numeric order of their
    // knob values and then their seeds; the names are those given in the run history.
    const SweepView& view() const { return m_view; }
    const QStringList& names() const { return m_names; }
    QStringList runIds() const;
    std::size_t total() const { return m_runner ? m_runner->total() : 0; }
    double elapsedSeconds() const { return m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0; }
    // Shows a sweep that ended before (the last one, read back from the run history) as if it
    // had just ended; ignored while a sweep is running.
    void restore(SweepView view, QStringList names);
    // Runs that could not be written into the run history, one line each.
    const QStringList& storeErrors() const { return m_storeErrors; }

  public slots:
    void cancel();
    // Cancels and waits for the runs in progress to stop; every run that ended is stored
    // and announced before this returns.
    void cancelAndWait();

  signals:
    void sweepStarted();
    // `id` is empty when the run could not be stored (see storeErrors()).
    void runEnded(const QString& id, const sobolev::SweepRunView& run, const QString& name);
    void sweepFinished(bool cancelled);

  private:
    void takeResults(); // stores what the workers finished since the last call
    void storeRun(std::size_t index, const SweepResult& result);
    void finish();

    RunHistory* m_history;
    std::unique_ptr<SweepRunner> m_runner;
    QThread* m_worker = nullptr;
    SweepView m_view;
    QStringList m_names;
    QStringList m_storeErrors;
    QElapsedTimer m_clock;
    // Filled by the pool's threads, emptied by takeResults() on this object's thread.
    std::mutex m_pendingMutex;
    std::vector<std::pair<std::size_t, SweepResult>> m_pending;
};

} // namespace sobolev
