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
#include "runhistoryloader.h"
#include "runjournal.h"
#include "settings.h"
#include "sweepdialog.h"
#include "sweepsummary.h"
#include "textformat.h"
#include "trainingcontroller.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

#include <set>

namespace sobolev {

RunHistoryActions::RunHistoryActions(MainWindow* window, RunHistory* history)
    : QObject(window), m_window(window), m_history(history),
      m_loader(new RunHistoryLoader(history, window)) {}

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
    if (stored->interrupted)
        return continueInterrupted(id);
    // The history keeps only what its panel shows; the curves come from the run's folder.
    const RunReadResult read = m_history->readRun(id);
    if (!read.errors.isEmpty()) {
        emit statusMessage(tr("Cannot open “%1”: %2").arg(name, read.errors.constFirst()));
        return false;
    }
    emit runOpened(read.run);
    emit statusMessage(
        tr("Opened “%1”: its knobs are in the panel; Train runs them again").arg(name));
    return true;
}

bool RunHistoryActions::continueInterrupted(const QString& id) {
    // Paused at its last checkpoint; Resume goes on, writing into the same entry.
    QString error;
    if (!m_window->openRunFolder(m_history->entryFolder(id), &error) ||
        !m_window->runJournal()->continueEntry(id, &error)) {
        emit statusMessage(tr("Cannot open the interrupted run: %1").arg(error));
        return false;
    }
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
    QStringList unreadable;
    for (const QString& id : ids)
        if (const StoredRun* stored = m_history->find(id); stored && stored->interrupted) {
            unreadable << tr("“%1” was interrupted: open it to continue it").arg(stored->name);
        } else if (stored) {
            const RunReadResult read = m_history->readRun(id);
            if (read.errors.isEmpty())
                runs.append({stored->id, stored->name, read.run, stored->number});
            else
                unreadable << read.errors.constFirst();
        }
    if (!unreadable.isEmpty())
        emit statusMessage(tr("Left out %n unreadable run(s); %1", nullptr, int(unreadable.size()))
                               .arg(unreadable.constFirst()));
    if (runs.isEmpty()) {
        if (unreadable.isEmpty())
            emit statusMessage(tr("Select the runs to compare in the Runs panel"));
        return nullptr;
    }
    auto* window = new ComparisonWindow(runs, m_window);
    window->view()->setShownEpoch(m_shown);
    connect(window->view(), &ComparisonView::shownEpochRequested, this,
            &RunHistoryActions::shownEpochRequested);
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
    else if (const RunReadResult read = m_history->readRun(id); !read.errors.isEmpty())
        error = read.errors.join(QLatin1Char('\n'));
    else if (isFreshFolder(dir, &error) && writeRunBundle(dir, read.run, &error))
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
        connect(m_sweepDialog, &SweepDialog::shownEpochRequested, this,
                &RunHistoryActions::shownEpochRequested);
        // The sweep starts from the panel's knobs as they are when Start is pressed. While
        // the panel has problems the Sweep window lists them instead of falling back to
        // other knobs (the reference's width and depth ran in place of the typed ones).
        const auto followPanel = [this, panel] {
            m_sweepDialog->setBaseConfig(panel->config(), panel->problems());
        };
        connect(panel, &ParameterPanel::configChanged, m_sweepDialog, followPanel);
        connect(panel, &ParameterPanel::validityChanged, m_sweepDialog, followPanel);
        connect(m_sweepDialog, &SweepDialog::openRunRequested, this,
                &RunHistoryActions::reopenRunInFront);
        // A sweep's seeds of one point belong together: compare them as ensembles.
        connect(m_sweepDialog, &SweepDialog::compareRequested, this,
                [this](const QStringList& ids) {
                    if (ComparisonWindow* window = compareRuns(ids))
                        window->view()->setEnsembleMode(true);
                });
    }
    m_sweepDialog->setBaseConfig(panel->config(), panel->problems());
    m_sweepDialog->show();
    m_sweepDialog->raise();
    m_sweepDialog->activateWindow();
    return m_sweepDialog;
}

void RunHistoryActions::openSweepFolderDialog() {
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Open Sweep Folder"),
                                                          settings::experimentFolder().get());
    if (dir.isEmpty())
        return;
    settings::experimentFolder().set(dir);
    QString error;
    if (!openSweepFolder(dir, &error))
        QMessageBox::warning(m_window, tr("Cannot open the sweep"), error);
}

bool RunHistoryActions::openSweepFolder(const QString& dir, QString* error) {
    if (m_loader->isBusy()) {
        *error = tr("The run history is still being read; open the sweep when it has finished");
        return false;
    }
    if (m_sweepDialog && m_sweepDialog->isRunning()) {
        *error = tr("A sweep is running; open the sweep folder when it has finished");
        return false;
    }
    const SweepFolderReadResult read = readSweepFolder(dir);
    if (!read.errors.isEmpty()) {
        *error = read.errors.join(QLatin1Char('\n'));
        return false;
    }
    const SweepFolder sweep = read.sweep;
    const QString sweepName = QFileInfo(sweep.dir).fileName();
    QList<RunHistory::Import> imports;
    for (const QString& run : sweep.runFolders)
        if (m_history->importedFrom(run).isEmpty())
            imports.append({run, sweepName + QLatin1Char(' ') + QFileInfo(run).fileName()});
    m_loader->import(imports, [this, sweep](const QStringList& importProblems) {
        QStringList problems = importProblems;
        for (const QString& missing : sweep.missing)
            problems << tr("%1: listed in summary.csv but not there")
                            .arg(QDir(sweep.dir).filePath(missing));
        QStringList ids;
        for (const QString& run : sweep.runFolders)
            if (const QString id = m_history->importedFrom(run); !id.isEmpty())
                ids << id;
        SweepDialog* dialog = openSweepDialog();
        const QString where = QDir::toNativeSeparators(sweep.dir);
        if (dialog->showStoredSweep(sweep.knobs, ids, tr("The sweep folder %1").arg(where)))
            showSweepForm(dialog, ids);
        else
            problems.prepend(tr("%1: none of its runs could be read").arg(where));
        for (const QString& p : problems)
            qWarning("open sweep: %s", qPrintable(p));
        emit statusMessage(
            problems.isEmpty()
                ? tr("Opened the sweep %1: %n run(s)", nullptr, int(ids.size())).arg(where)
                : tr("Opened the sweep %1 with %n problem(s); the first: %2", nullptr,
                     int(problems.size()))
                      .arg(where, problems.constFirst()));
        emit sweepFolderOpened(sweep.dir, problems);
    });
    return true;
}

void RunHistoryActions::showSweepForm(SweepDialog* dialog, const QStringList& ids) {
    // The form describes the opened sweep, so Start runs it again: its first run's knobs as
    // the base, and each knob's and the seeds' values as they occur among its runs.
    const SweepView view = dialog->sweepView();
    const StoredRun* first = m_history->find(ids.value(0));
    if (!first)
        return;
    dialog->setBaseConfig(first->record.config);
    SweepForm form;
    for (std::size_t k = 0; k < view.knobs.size(); ++k) {
        std::set<double> values;
        for (const SweepRunView& run : view.runs)
            values.insert(run.knobValues.at(k));
        QStringList texts;
        for (double v : values)
            texts << toQString(knobValueText(view.knobs[k], v));
        form.axes.emplace_back(view.knobs[k], texts.join(QStringLiteral(", ")));
    }
    std::set<std::uint64_t> seeds;
    for (const SweepRunView& run : view.runs)
        seeds.insert(run.seed);
    QStringList seedTexts;
    for (std::uint64_t seed : seeds)
        seedTexts << QString::number(qulonglong(seed));
    form.seeds = seedTexts.join(QStringLiteral(", "));
    dialog->applyForm(form);
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
