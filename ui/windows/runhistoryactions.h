// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shownepoch.h"

#include "runfolder.h"

#include <QObject>
#include <QStringList>

namespace sobolev {

class ComparisonWindow;
class MainWindow;
class RunHistory;
class RunHistoryLoader;
class SweepDialog;

// What the main window does with the stored runs: re-open, compare, duplicate with a changed
// knob, export, and the Sweep window that adds to them. Each says in the status bar (or a
// message box for the dialogs) why it could not act.
class RunHistoryActions : public QObject {
    Q_OBJECT
  public:
    RunHistoryActions(MainWindow* window, RunHistory* history);

    RunHistory* history() const { return m_history; }
    SweepDialog* sweepDialog() const { return m_sweepDialog; } // null until first opened
    RunHistoryLoader* loader() const { return m_loader; }

    // Opens a sweep folder (summary.csv and its run folders, as --sweep writes it): its runs
    // join the history (copied, once: opening it again reuses them) and the Sweep window
    // shows them. False with `error` set when the folder is not a sweep folder; otherwise
    // sweepFolderOpened follows once its runs are in the history.
    bool openSweepFolder(const QString& dir, QString* error);

  public slots:
    bool reopenRun(const QString& id);
    // For a request from another window (a comparison, the sweep): the run comes to the front.
    void reopenRunInFront(const QString& id);
    ComparisonWindow* compareRuns(const QStringList& ids);
    void duplicateRunDialog(const QString& id);
    void exportStoredRunDialog(const QString& id);
    SweepDialog* openSweepDialog();
    void openSweepFolderDialog();
    // Cancels a running sweep and waits for its runs to stop; the ended ones are stored.
    void stopSweep();
    // The comparison windows and the Sweep window, open and to come, show these errors.
    void setShownEpoch(sobolev::ShownEpoch which);

  signals:
    void runOpened(const sobolev::RunRecord& run);
    void statusMessage(const QString& message);
    // A comparison or the sweep asked to show every view's errors at `which` epoch.
    void shownEpochRequested(sobolev::ShownEpoch which);
    // The Sweep window shows the sweep folder `dir`; `problems` names the runs left out.
    void sweepFolderOpened(const QString& dir, const QStringList& problems);

  private:
    bool isTraining() const;
    // Opens the interrupted run `id` paused, to go on in its entry.
    bool continueInterrupted(const QString& id);
    void showSweepForm(SweepDialog* dialog, const QStringList& ids);

    MainWindow* m_window;
    RunHistory* m_history;
    SweepDialog* m_sweepDialog = nullptr;
    RunHistoryLoader* m_loader;
    ShownEpoch m_shown = ShownEpoch::Final;
};

} // namespace sobolev
