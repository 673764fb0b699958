// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "configjson.h"
#include "reportpdf.h"
#include "runfolder.h"

#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QAction;
class QChart;
class QMenu;
class QMimeData;
QT_END_NAMESPACE

namespace sobolev {

class MainWindow;
class RecentFiles;
struct InterruptedRun;

// What the File menu does for the main window: experiments and run folders opened and saved,
// recent files, examples, and the exports of the run in view. Each operation without a
// dialog returns false with `error` naming the file and the problem, and then changes nothing.
class FileActions : public QObject {
    Q_OBJECT
  public:
    FileActions(MainWindow* window, QMenu* recentMenu, QMenu* examplesMenu);

    bool openPath(const QString& path, QString* error); // an experiment .json or a run folder
    bool openExperiment(const QString& path, QString* error);
    bool saveExperiment(const QString& path, QString* error);
    bool openRunFolder(const QString& dir, QString* error);
    bool exportRun(const QString& dir, QString* error);
    // The run in view as a report (reportpdf.h).
    bool exportReport(const ReportTarget& target, QString* error);

    // A dropped experiment .json, or a folder holding a config.json; empty when it is neither.
    static QString droppablePath(const QMimeData* mime);

    // Whether openFromUi() is reading a file.
    bool isOpening() const { return m_opening; }

  public slots:
    // Opens as openPath() does, reading on a worker thread (a progress dialog with Cancel
    // when that takes a while), and says in a message box why not.
    void openFromUi(const QString& path);
    void openExperimentDialog();
    void saveExperimentDialog();
    void openRunFolderDialog();
    void exportRunDialog();
    void exportReportDialog();
    void exportFigureDialog(QChart* chart, const QString& baseName);
    void exportSheetDialog();
    void exportTableDialog(bool history);
    // The run in view replayed from its snapshots (AnimationExportDialog).
    void exportAnimationDialog();
    // The run in view at the timeline's step (where it stands, without snapshots) as a
    // 1920×1080 PNG or SVG for a projector.
    void exportSlideDialog();

  public:
    // Export Animation is enabled for a run in view that has snapshots and is not training;
    // otherwise its tooltip says why.
    void updateAnimationAction(QAction* action, bool running) const;

  signals:
    void runOpened(const sobolev::RunRecord& run);
    void statusMessage(const QString& message);

  private:
    QString askPath(bool save, const QString& title, const QString& filter);
    void fillExamplesMenu(QMenu* menu);
    // What openExperiment() and openRunFolder() do with the file once it is read.
    bool showExperiment(const QString& path, const ConfigReadResult& read, QString* error);
    bool showRunFolder(const QString& dir, const RunReadResult& read, QString* error);
    // An interrupted run folder (runcheckpoint.h): its run, paused where it was killed.
    bool showInterruptedRun(const QString& dir, const InterruptedRun& read, QString* error);

    MainWindow* m_window;
    bool m_opening = false;
    RecentFiles* m_recent;
};

} // namespace sobolev
