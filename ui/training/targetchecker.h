// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <deque>
#include <optional>
#include <vector>

class QThread;

namespace sobolev {

// What targetProblems() says of a config's target inputs, and f′ as a formula when the target
// compiles ("" otherwise).
struct TargetVerdict {
    TrainConfig inputs; // targetInputs() of the config checked
    std::vector<ConfigProblem> problems;
    QString derivative;
};

// Checks targets on a worker thread: compiling a typed formula (GiNaC) and evaluating f and f′
// at every point a run uses take time that grows with the formula and the point counts, and
// no text typed into the panel may freeze the window. The newest request wins: a request
// cancels the check in progress (an atomic that targetProblems() polls), and requests made
// meanwhile are never checked. The last verdicts are kept, so that going back to a target
// seen before needs no new check.
class TargetChecker : public QObject {
    Q_OBJECT
  public:
    explicit TargetChecker(QObject* parent = nullptr);
    ~TargetChecker() override; // cancels the check in progress and waits for it

    // The verdict on the target inputs of `config`, if it was checked. A preset is checked
    // here and now: its values cost nanoseconds a point, a typed formula's up to microseconds.
    std::optional<TargetVerdict> verdictFor(const TrainConfig& config) const;
    // Checks the target inputs of `config` unless they were checked or are being checked;
    // targetChecked() follows.
    void check(const TrainConfig& config);
    // A check was asked for and its verdict has not come yet.
    bool isChecking() const { return m_worker != nullptr; }

  signals:
    void targetChecked(const sobolev::TargetVerdict& verdict);

  private:
    void startWorker();
    void onWorkerFinished();

    QThread* m_worker = nullptr;
    std::atomic<bool> m_cancel{false};
    TrainConfig m_asked; // the newest request's inputs
    // Shared with the worker, under m_mutex.
    QMutex m_mutex;
    std::optional<TrainConfig> m_pending;
    std::optional<TargetVerdict> m_finished; // of the newest request, once checked
    // GUI thread.
    void keep(const TargetVerdict& verdict) const;
    mutable std::deque<TargetVerdict> m_verdicts; // newest first
};

} // namespace sobolev
