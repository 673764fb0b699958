// SPDX-License-Identifier: GPL-3.0-or-later
#include "fileactions.h"
#include "backgroundwork.h"

#include "textformat.h"

#include "animationexportdialog.h"
#include "baselineoverlay.h"
#include "chartexport.h"
#include "configjson.h"
#include "examples.h"
#include "exportdialogs.h"
#include "fileio.h"
#include "mainwindow.h"
#include "parameterpanel.h"
#include "recentfiles.h"
#include "reportdialog.h"
#include "runbundle.h"
#include "runcheckpoint.h"
#include "runhistoryactions.h"
#include "runtimeline.h"
#include "settings.h"
#include "slideexport.h"
#include "sweepdialog.h"
#include "tablewriter.h"
#include "trainingcontroller.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>

#include <memory>

namespace sobolev {

FileActions::FileActions(MainWindow* window, QMenu* recentMenu, QMenu* examplesMenu)
    : QObject(window), m_window(window), m_recent(new RecentFiles(recentMenu, this)) {
    connect(m_recent, &RecentFiles::openRequested, this, &FileActions::openFromUi);
    fillExamplesMenu(examplesMenu);
}

bool FileActions::openExperiment(const QString& path, QString* error) {
    return showExperiment(path, readExperimentFile(path), error);
}

bool FileActions::showExperiment(const QString& path, const ConfigReadResult& r, QString* error) {
    if (!r.errors.isEmpty()) {
        *error = r.errors.join(QLatin1Char('\n'));
        return false;
    }
    m_window->parameterPanel()->setConfig(r.config);
    m_recent->add(path);
    emit statusMessage(tr("Opened experiment %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool FileActions::saveExperiment(const QString& path, QString* error) {
    if (!writeExperimentFile(path, m_window->parameterPanel()->config(), error))
        return false;
    m_recent->add(path);
    emit statusMessage(tr("Saved experiment %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool FileActions::openRunFolder(const QString& dir, QString* error) {
    if (m_window->controller()->state() == TrainingController::State::Running) {
        *error = tr("%1: stop the current run before opening another").arg(dir);
        return false;
    }
    if (runFolderState(dir) == RunFolderState::Interrupted)
        return showInterruptedRun(dir, readInterruptedRun(dir), error);
    return showRunFolder(dir, readRunFolder(dir), error);
}

bool FileActions::showInterruptedRun(const QString& dir, const InterruptedRun& r, QString* error) {
    TrainingController* controller = m_window->controller();
    if (!r.errors.isEmpty()) {
        *error = r.errors.join(QLatin1Char('\n'));
        return false;
    }
    TrainConfig shown = r.config;
    if (r.checkpoint)
        shown.changes = r.checkpoint->changes;
    if (r.checkpoint) {
        if (!controller->prepareFrom(r.config, *r.checkpoint, error)) {
            *error = tr("%1: %2").arg(dir, *error);
            return false;
        }
    } else { // killed before its first checkpoint: it starts again
        controller->prepare(r.config);
    }
    m_window->parameterPanel()->setConfig(shown);
    m_recent->add(dir);
    emit statusMessage(tr("Opened the interrupted run %1, paused after epoch %2 of %3: Resume "
                          "continues it")
                           .arg(QDir::toNativeSeparators(dir))
                           .arg(controller->epochsDone())
                           .arg(plannedRows(r.config)));
    return true;
}

bool FileActions::showRunFolder(const QString& dir, const RunReadResult& r, QString* error) {
    if (m_window->controller()->state() == TrainingController::State::Running) {
        *error = tr("%1: stop the current run before opening another").arg(dir);
        return false;
    }
    if (!r.errors.isEmpty()) {
        *error = r.errors.join(QLatin1Char('\n'));
        return false;
    }
    emit runOpened(r.run);
    m_recent->add(dir);
    emit statusMessage(
        tr("Opened run %1: %2")
            .arg(QDir::toNativeSeparators(dir), QString::fromStdString(r.run.report.stopMessage)));
    return true;
}

bool FileActions::openPath(const QString& path, QString* error) {
    const QFileInfo info(path);
    if (info.isDir())
        return openRunFolder(path, error);
    if (info.isFile())
        return openExperiment(path, error);
    *error = tr("%1: no such file or folder").arg(path);
    return false;
}

bool FileActions::exportRun(const QString& dir, QString* error) {
    const std::optional<RunRecord> run = m_window->currentRun();
    if (!run) {
        *error = tr("%1: there is no run to export yet; train or open one first").arg(dir);
        return false;
    }
    if (!isFreshFolder(dir, error))
        return false;
    // The baselines in view go along: into metrics.json, metrics.md and the figures.
    if (!writeRunBundle(dir, *run, error, m_window->baselines()->results()))
        return false;
    emit statusMessage(tr("Exported the run to %1").arg(QDir::toNativeSeparators(dir)));
    return true;
}

bool FileActions::exportReport(const ReportTarget& target, QString* error) {
    const std::optional<RunRecord> run = m_window->currentRun();
    if (!run) {
        *error =
            tr("%1: there is no run to report yet; train or open one first").arg(target.pdfPath);
        return false;
    }
    // The baselines in view go in its metrics tables and figures, as in the run bundle.
    if (!writeReport(target, *run, error, m_window->baselines()->results()))
        return false;
    emit statusMessage(
        tr("Exported the report to %1").arg(QDir::toNativeSeparators(target.pdfPath)));
    return true;
}

QString FileActions::droppablePath(const QMimeData* mime) {
    if (!mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return {};
    const QString path = mime->urls().first().toLocalFile();
    const QFileInfo info(path);
    if (info.isDir() ? QFileInfo::exists(QDir(path).filePath(QStringLiteral("config.json")))
                     : info.suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0)
        return path;
    return {};
}

void FileActions::openFromUi(const QString& path) {
    const QFileInfo info(path);
    QString error;
    if (m_opening)
        error = tr("%1: another file is being opened; wait for it or cancel it").arg(path);
    else if (!info.isDir() && !info.isFile())
        error = tr("%1: no such file or folder").arg(path);
    else if (info.isDir() && m_window->controller()->state() == TrainingController::State::Running)
        error = tr("%1: stop the current run before opening another").arg(path);
    if (!error.isEmpty()) {
        if (!info.exists())
            m_recent->remove(path);
        QMessageBox::warning(m_window, tr("Cannot open"), error);
        return;
    }
    // A run folder's history may have a million epochs, and an experiment may name a CSV of a
    // million rows or a target checked at three million points: seconds of reading.
    const bool folder = info.isDir();
    auto* work =
        new BackgroundWork(m_window, folder ? tr("Open Run Folder") : tr("Open Experiment"),
                           tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
    auto run = std::make_shared<RunReadResult>();
    auto interrupted = std::make_shared<std::optional<InterruptedRun>>();
    auto experiment = std::make_shared<ConfigReadResult>();
    m_opening = true;
    work->start(
        [folder, path, run, interrupted, experiment](BackgroundWork::Progress&) {
            if (folder && runFolderState(path) == RunFolderState::Interrupted)
                *interrupted = readInterruptedRun(path);
            else if (folder)
                *run = readRunFolder(path);
            else
                *experiment = readExperimentFile(path);
        },
        [this, work, folder, path, run, interrupted, experiment](bool cancelled) {
            work->deleteLater();
            m_opening = false;
            if (cancelled) {
                emit statusMessage(tr("Opening %1 cancelled").arg(QDir::toNativeSeparators(path)));
                return;
            }
            QString error;
            const bool shown = !folder        ? showExperiment(path, *experiment, &error)
                               : *interrupted ? showInterruptedRun(path, **interrupted, &error)
                                              : showRunFolder(path, *run, &error);
            if (!shown)
                QMessageBox::warning(m_window, tr("Cannot open"), error);
        });
}

QString FileActions::askPath(bool save, const QString& title, const QString& filter) {
    const QString dir = settings::experimentFolder().get();
    const QString path = save ? QFileDialog::getSaveFileName(m_window, title, dir, filter)
                              : QFileDialog::getOpenFileName(m_window, title, dir, filter);
    if (!path.isEmpty())
        settings::experimentFolder().set(QFileInfo(path).absolutePath());
    return path;
}

void FileActions::openExperimentDialog() {
    const QString path =
        askPath(false, tr("Open Experiment"), tr("Experiment (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFromUi(path);
}

void FileActions::saveExperimentDialog() {
    ParameterPanel* panel = m_window->parameterPanel();
    if (panel->verdict() == ParameterPanel::Verdict::Checking) {
        QMessageBox::information(m_window, tr("Not Saved Yet"),
                                 tr("The target f(x) is still being checked at every point of "
                                    "the run. Save again when f′ shows under it."));
        return;
    }
    if (!panel->isValid()) {
        QMessageBox::warning(
            m_window, tr("Cannot save"),
            tr("Fix these first:\n%1").arg(panel->problems().join(QLatin1Char('\n'))));
        return;
    }
    QString path = askPath(true, tr("Save Experiment"), tr("Experiment (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    QString error;
    if (!saveExperiment(path, &error))
        QMessageBox::warning(m_window, tr("Cannot save"), error);
}

void FileActions::openRunFolderDialog() {
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Open Run Folder"),
                                                          settings::experimentFolder().get());
    if (dir.isEmpty())
        return;
    settings::experimentFolder().set(dir);
    openFromUi(dir);
}

void FileActions::exportRunDialog() {
    const QString dir =
        askExportFolder(m_window, tr("Export Run Bundle (choose a new or empty folder)"));
    if (dir.isEmpty())
        return;
    QString error;
    if (!exportRun(dir, &error))
        QMessageBox::warning(m_window, tr("Export failed"), error);
}

void FileActions::exportReportDialog() {
    if (!m_window->currentRun()) {
        QMessageBox::information(m_window, tr("Nothing to report"),
                                 tr("Train or open a run first."));
        return;
    }
    ReportDialog dialog(m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    // Drawing the figures and the pages takes a few seconds.
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    const bool written = exportReport(dialog.target(), &error);
    QGuiApplication::restoreOverrideCursor();
    if (!written)
        QMessageBox::warning(m_window, tr("Export failed"), error);
}

void FileActions::exportFigureDialog(QChart* chart, const QString& baseName) {
    const auto target =
        askFigureTarget(m_window, tr("Export Figure"), baseName + QStringLiteral(".png"),
                        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (target && !exportChart(chart, target->path, target->scale, &error))
        QMessageBox::warning(m_window, tr("Export failed"), error);
    else if (target)
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(target->path)));
}

void FileActions::exportSheetDialog() {
    const auto target =
        askFigureTarget(m_window, tr("Export Figure Sheet"), QStringLiteral("figures.pdf"),
                        tr("PDF document (*.pdf);;PNG image (*.png)"));
    QString error;
    const std::optional<RunRecord> run = m_window->currentRun();
    const QString caption = run ? figureCaption(run->config, run->report) : QString();
    if (target &&
        !exportFigureSheet(m_window->charts(), target->path, target->scale, &error, caption))
        QMessageBox::warning(m_window, tr("Export failed"), error);
    else if (target)
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(target->path)));
}

namespace {

// Why the run in view cannot be animated; empty when it can.
QString whyNoAnimation(const std::optional<RunRecord>& run, bool running) {
    if (running)
        return FileActions::tr("Pause or stop the run to export its animation");
    if (!run)
        return FileActions::tr("Train or open a run first");
    if (run->snapshots.empty())
        return FileActions::tr("This run has no snapshots to replay: it was trained with "
                               "snapshots 0, or before runs recorded them");
    return {};
}

} // namespace

void FileActions::updateAnimationAction(QAction* action, bool running) const {
    const QString why = whyNoAnimation(m_window->currentRun(), running);
    action->setEnabled(why.isEmpty());
    const QString tip = why.isEmpty() ? tr("The run replayed from its snapshots as a GIF, MP4 "
                                           "or WebM: the fit forming, for slides")
                                      : why;
    action->setToolTip(tip);
    action->setStatusTip(tip);
}

void FileActions::exportAnimationDialog() {
    const std::optional<RunRecord> run = m_window->currentRun();
    if (const QString why = whyNoAnimation(run, false); !why.isEmpty()) {
        QMessageBox::information(m_window, tr("Nothing to animate"), why);
        return;
    }
    AnimationExportDialog dialog({AnimatedRun{*run, {}}}, m_window);
    connect(&dialog, &AnimationExportDialog::exported, this, [this](const QString& path) {
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });
    dialog.exec();
}

void FileActions::exportSlideDialog() {
    std::optional<RunRecord> run = m_window->currentRun();
    if (!run) {
        QMessageBox::information(m_window, tr("Nothing to show"), tr("Train or open a run first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Slide (1920×1080)"),
        QDir(settings::exportFolder().get()).filePath(QStringLiteral("slide.png")),
        tr("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    settings::exportFolder().set(QFileInfo(path).absolutePath());
    // The step the timeline shows; without snapshots, the run where it stands.
    std::optional<double> step;
    if (run->snapshots.empty())
        run->snapshots = finalSnapshot(*run);
    else if (m_window->timeline()->isAvailable())
        step = m_window->timeline()->position();
    QString error;
    if (!exportSlide(path, {AnimatedRun{*run, {}}},
                     {AnimationChart::Function, AnimationChart::Derivative}, step, &error))
        QMessageBox::warning(m_window, tr("Export failed"), error);
    else
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
}

void FileActions::exportTableDialog(bool history) {
    const std::optional<RunRecord> run = m_window->currentRun();
    if (!run) {
        QMessageBox::information(m_window, tr("Nothing to export"),
                                 tr("Train or open a run first."));
        return;
    }
    const DataTable table = history ? historyTable(run->history) : metricsTable(run->report);
    const QString path = exportTableWithDialog(
        m_window, table, history ? tr("Export History Table") : tr("Export Metrics Table"),
        history ? QStringLiteral("history") : QStringLiteral("metrics"));
    if (!path.isEmpty())
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
}

void FileActions::fillExamplesMenu(QMenu* menu) {
    for (const Example& example : builtInExamples()) {
        QAction* action = menu->addAction(example.title, this, [this, example] {
            m_window->parameterPanel()->setConfig(example.config);
            if (example.sweep) {
                SweepDialog* sweep = m_window->runHistoryActions()->openSweepDialog();
                if (!sweep->isRunning())
                    sweep->applyForm(*example.sweep);
            }
            emit statusMessage(
                tr("Example “%1” loaded: %2").arg(example.title, example.description));
        });
        action->setToolTip(example.description);
    }
}

} // namespace sobolev
