// SPDX-License-Identifier: GPL-3.0-or-later
#include "runjournal.h"

#include "runhistory.h"
#include "trainingcontroller.h"

#include <utility>

namespace sobolev {

RunJournal::RunJournal(TrainingController* controller, RunHistory* history, QObject* parent)
    : QObject(parent), m_controller(controller), m_history(history) {
    controller->setCheckpointFolders([this](const TrainConfig& c) { return beginEntry(c); });
    // The controller has let go of the run before either: its entry is no longer written.
    connect(controller, &TrainingController::runStarted, this, &RunJournal::discard);
    connect(controller, &TrainingController::runReset, this, &RunJournal::discard);
}

QString RunJournal::beginEntry(const TrainConfig& config) {
    discard();
    QString error;
    m_entry = m_history->beginEntry(config, &error);
    if (m_entry.isEmpty()) {
        // The run trains on; it is stored when it ends, as before checkpoints.
        qWarning("run history: %s", qPrintable(error));
        return {};
    }
    return m_history->entryFolder(m_entry);
}

bool RunJournal::continueEntry(const QString& id, QString* error) {
    discard();
    if (!m_history->claimEntry(id, error))
        return false;
    m_entry = id;
    m_controller->continueInFolder(m_history->entryFolder(id));
    return true;
}

QString RunJournal::store(const RunRecord& run, QString* error) {
    if (!m_entry.isEmpty()) {
        const QString id = m_history->complete(m_entry, run, error);
        if (!id.isEmpty()) {
            m_entry.clear();
            return id;
        }
        qWarning("run history: %s; storing the run anew", qPrintable(*error));
        discard();
    }
    return m_history->add(run, {}, error);
}

void RunJournal::discard() {
    if (!m_entry.isEmpty())
        m_history->discardEntry(std::exchange(m_entry, QString()));
}

} // namespace sobolev
