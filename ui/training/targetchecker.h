// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace sobolev {

class LatestWork;

// What targetProblems() says of a config's target inputs, and f′ as a formula when the target
// compiles ("" otherwise).
struct TargetVerdict {
    TrainConfig inputs; // targetInputs() of the config checked
    std::vector<ConfigProblem> problems;
    QString derivative;
};

// Checks targets on a worker thread (LatestWork): compiling a typed formula (GiNaC) and
// evaluating f and f′ at every point a run uses take time that grows with the formula and the
// point counts, and no text typed into the panel may freeze the window. The newest request
// wins. The last verdicts are kept, so that going back to a target seen before needs no new
// check.
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
    bool isChecking() const;

  signals:
    void targetChecked(const sobolev::TargetVerdict& verdict);

  private:
    void onChecked();
    void keep(const TargetVerdict& verdict) const;

    LatestWork* m_work;
    TrainConfig m_asked;                                    // the newest request's inputs
    std::shared_ptr<std::optional<TargetVerdict>> m_newest; // its verdict, written by the worker
    mutable std::deque<TargetVerdict> m_verdicts;           // newest first
};

} // namespace sobolev
