// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistoryactions.h"

#include "comparisonview.h"
#include "comparisonwindow.h"
#include "duplicatedialog.h"
#include "exportdialogs.h"
#include "fileio.h"
#include "mainwindow.h"
#include "parameterpanel.h"
#include "runbundle.h"
#include "runhistory.h"
#include "sweepdialog.h"
#include "trainingcontroller.h"

#include <QDir>
#include <QMessageBox>

namespace sobolev {

RunHistoryActions::RunHistoryActions(MainWindow* window, RunHistory* history)
    : QObject(window), m_window(window), m_history(history) {}

bool RunHistoryActions::isTraining() const {
    return m_window->controller()->state() == TrainingController::State::Running;
}

bool RunHistoryActions::reopenRun(const QString& id) {
    const StoredRun* stored = m_history->find(id);
    if (!stored) {
        emit statusMessage(tr("That run is no longer in the history"));
        return false;
    }
    if (isTraining()) {
        emit statusMessage(tr("Stop the current run before opening “%1”").arg(stored->name));
        return false;
    }
    const QString name = stored->name;
    emit runOpened(stored->record);
    emit statusMessage(
        tr("Opened “%1”: its knobs are in the panel; Train runs them again").arg(name));
    return true;
}

void RunHistoryActions::reopenRunInFront(const QString& id) {
    if (reopenRun(id)) {
        m_window->raise();
        m_window->activateWindow();
    }
}

ComparisonWindow* RunHistoryActions::compareRuns(const QStringList& ids) {
    QList<ComparedRun> runs;
    for (const QString& id : ids)
        if (const StoredRun* stored = m_history->find(id))
            runs.append({stored->id, stored->name, stored->record});
    if (runs.isEmpty()) {
        emit statusMessage(tr("Select the runs to compare in the Runs panel"));
        return nullptr;
    }
    auto* window = new ComparisonWindow(runs, m_window);
    window->view()->setShownEpoch(m_shown);
    window->setWindowFlag(Qt::Window);
    connect(window, &ComparisonWindow::openRunRequested, this,
            &RunHistoryActions::reopenRunInFront);
    window->show();
    return window;
}

void RunHistoryActions::duplicateRunDialog(const QString& id) {
    const StoredRun* stored = m_history->find(id);
    if (!stored)
        return;
    if (isTraining()) {
        QMessageBox::information(m_window, tr("Training"), tr("Stop the current run first."));
        return;
    }
    DuplicateRunDialog dialog(stored->record.config, stored->name, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_window->parameterPanel()->setConfig(dialog.config());
    m_window->controller()->start(dialog.config());
}

void RunHistoryActions::exportStoredRunDialog(const QString& id) {
    const StoredRun* stored = m_history->find(id);
    if (!stored)
        return;
    const QString dir = askExportFolder(
        m_window, tr("Export “%1” (choose a new or empty folder)").arg(stored->name));
    if (dir.isEmpty())
        return;
    // The dialog ran an event loop: the run may have been deleted meanwhile.
    stored = m_history->find(id);
    QString error;
    if (!stored)
        error = tr("The run was deleted while the folder was being chosen");
    else if (isFreshFolder(dir, &error) && writeRunBundle(dir, stored->record, &error))
        emit statusMessage(
            tr("Exported “%1” to %2").arg(stored->name, QDir::toNativeSeparators(dir)));
    if (!error.isEmpty())
        QMessageBox::warning(m_window, tr("Export failed"), error);
}

SweepDialog* RunHistoryActions::openSweepDialog() {
    ParameterPanel* panel = m_window->parameterPanel();
    if (!m_sweepDialog) {
        m_sweepDialog = new SweepDialog(m_history, m_window);
        m_sweepDialog->setShownEpoch(m_shown);
        // The sweep starts from the panel's knobs as they are when Start is pressed.
        connect(panel, &ParameterPanel::configChanged, m_sweepDialog, [this, panel] {
            if (!m_sweepDialog->isRunning() && panel->isValid())
                m_sweepDialog->setBaseConfig(panel->config());
        });
        connect(m_sweepDialog, &SweepDialog::openRunRequested, this,
                &RunHistoryActions::reopenRunInFront);
        // A sweep's seeds of one point belong together: compare them as ensembles.
        connect(m_sweepDialog, &SweepDialog::compareRequested, this,
                [this](const QStringList& ids) {
                    if (ComparisonWindow* window = compareRuns(ids))
                        window->view()->setEnsembleMode(true);
                });
    }
    if (!m_sweepDialog->isRunning())
        m_sweepDialog->setBaseConfig(panel->isValid() ? panel->config() : TrainConfig{});
    m_sweepDialog->show();
    m_sweepDialog->raise();
    m_sweepDialog->activateWindow();
    return m_sweepDialog;
}

void RunHistoryActions::stopSweep() {
    if (m_sweepDialog)
        m_sweepDialog->cancelAndWait();
}

void RunHistoryActions::setShownEpoch(ShownEpoch which) {
    m_shown = which;
    for (ComparisonWindow* window : m_window->findChildren<ComparisonWindow*>())
        window->view()->setShownEpoch(which);
    if (m_sweepDialog)
        m_sweepDialog->setShownEpoch(which);
}

} // namespace sobolev
