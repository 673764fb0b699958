// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "runfolder.h"

#include <QObject>
#include <QString>

namespace sobolev {

class RunHistory;
class TrainingController;

// The run in the controller as an entry of the run history while it trains, so that a killed
// window loses at most a few seconds of it: the entry is begun when the run first trains,
// the controller saves its checkpoint there as it goes (and when it pauses), and the ended
// run is completed in it. A run that is reset, replaced by another or not kept (a false
// start) takes its entry with it. Only a kill leaves an entry behind, which the next start
// lists as interrupted; opening it continues the run in the same entry.
class RunJournal : public QObject {
    Q_OBJECT
  public:
    RunJournal(TrainingController* controller, RunHistory* history, QObject* parent = nullptr);

    // The history entry of the run in the controller; empty before it trains.
    QString entryId() const { return m_entry; }
    // The run in the controller was just restored from the interrupted entry `id`
    // (TrainingController::prepareFrom): it goes on in that entry. False, with `error` set,
    // when another window continues it already.
    bool continueEntry(const QString& id, QString* error);
    // The ended run, into its entry (or a new one when it has none), as RunHistory::add();
    // returns its id, or empty with `error` set.
    QString store(const RunRecord& run, QString* error);
    // The run is not kept: its entry goes.
    void discard();

  private:
    QString beginEntry(const TrainConfig& config);

    TrainingController* m_controller;
    RunHistory* m_history;
    QString m_entry;
};

} // namespace sobolev
