// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>

class QThread;

namespace sobolev {

// Work on a worker thread of which only the newest request matters: the check of what is being
// typed. A new job cancels the one in progress (an atomic the job polls) and replaces any job
// still waiting, so a burst of edits costs one job, not one each. done() follows the newest job
// on the GUI thread; a job keeps its result in what it captured.
class LatestWork : public QObject {
    Q_OBJECT
  public:
    using Job = std::function<void(const std::atomic<bool>* cancel)>;

    explicit LatestWork(QObject* parent = nullptr);
    ~LatestWork() override; // cancels the job in progress and waits for it

    void post(Job job);
    // A job was posted and done() has not followed yet.
    bool isBusy() const { return m_worker != nullptr; }

  signals:
    void done();

  private:
    void startWorker();
    void onWorkerFinished();

    QThread* m_worker = nullptr;
    std::atomic<bool> m_cancel{false};
    QMutex m_mutex; // guards m_pending and m_newestRan, shared with the worker
    Job m_pending;
    bool m_newestRan = false; // the last job taken ran to its end, with none posted after it
};

} // namespace sobolev
