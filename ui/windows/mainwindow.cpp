// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "baselineoverlay.h"
#include "baselinesdialog.h"
#include "chartexport.h"
#include "comparisonview.h"
#include "comparisonwindow.h"
#include "configjson.h"
#include "core/problem/dataset.h"
#include "core/problem/target.h"
#include "exportdialogs.h"
#include "fieldkeyguard.h"
#include "fileactions.h"
#include "helpdialogs.h"
#include "lambdachart.h"
#include "lossweights.h"
#include "metricstable.h"
#include "parameterpanel.h"
#include "presentationmode.h"
#include "runbundle.h"
#include "runcontrols.h"
#include "runhistory.h"
#include "runhistoryactions.h"
#include "runhistoryloader.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"
#include "runjournal.h"
#include "runreplay.h"
#include "runtimeline.h"
#include "screenfit.h"
#include "settings.h"
#include "sweepdialog.h"
#include "tablewriter.h"
#include "textformat.h"
#include "trainingchart.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCloseEvent>
#include <QComboBox>
#include <QCursor>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <utility>

// Q_INIT_RESOURCE must be called outside any namespace.
static void initResources() {
    Q_INIT_RESOURCE(resources);
}

namespace sobolev {

namespace {

QString describeRun(const TrainConfig& c) {
    return QObject::tr("%1×%2 %3, α=%4, β=%5, lr=%6, seed %7")
        .arg(c.width)
        .arg(c.depth)
        .arg(toQString(activationName(c.activation)))
        .arg(c.alpha)
        .arg(c.beta)
        .arg(c.learningRate)
        .arg(qulonglong(c.seed));
}

// What the shown target and training points depend on: sizes, seed, target and data knobs.
QString dataKnobs(const TrainConfig& c) {
    return QStringLiteral("%1 %2 %3 %4").arg(c.gridPoints).arg(c.seed).arg(c.nTrain).arg(c.nVal) +
           dataSummary(c) + QString::fromStdString(c.dataSha256);
}

// The training points with the values trained on, on both fit charts.
// Measured data: every row, shown in place of the target curve.
void showTrainingData(const TrainConfig& config, FitChart* fChart, FitChart* fprimeChart) {
    const Dataset train =
        config.measured ? Dataset::testGrid(config) : Dataset::trainAndValidation(config).first;
    const auto vec = [](const Eigen::RowVectorXf& v) {
        return std::vector<float>(v.data(), v.data() + v.size());
    };
    for (FitChart* chart : {fChart, fprimeChart})
        chart->setTrainingData(vec(train.x), vec(train.f), vec(train.fprime),
                               bool(config.measured));
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_controller(new TrainingController(this)) {
    initResources();
    setWindowTitle(tr("Sobolev Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/sobolev-workbench.svg")));
    setAcceptDrops(true);
    // Every run that ends is stored at once, so closing the window or a crash loses nothing;
    // an entry that cannot be read is skipped with a warning and the rest loads. The history
    // is loaded last, from its index (or, when that is missing, by reading every run folder
    // in the background).
    m_history =
        new RunHistory(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                           .filePath(QStringLiteral("runs")),
                       this);
    m_journal = new RunJournal(m_controller, m_history, this);
    m_runActions = new RunHistoryActions(this, m_history);
    connect(m_runActions->loader(), &RunHistoryLoader::loaded, this,
            &MainWindow::showHistoryProblems);
    connect(m_runActions, &RunHistoryActions::runOpened, this, &MainWindow::showRun);
    connect(m_runActions, &RunHistoryActions::statusMessage, this,
            [this](const QString& m) { statusBar()->showMessage(m); });
    createPanels();
    createActions();
    createMenus();

    connect(m_controller, &TrainingController::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_controller, &TrainingController::runStarted, this, &MainWindow::onRunStarted);
    connect(m_controller, &TrainingController::epochsAvailable, this, &MainWindow::onEpochs);
    connect(m_controller, &TrainingController::predictionsUpdated, this,
            &MainWindow::onPredictions);
    connect(m_controller, &TrainingController::runFinished, this, &MainWindow::onRunFinished);
    m_runControls = new RunControls(m_controller, m_panel, this);
    connect(m_runControls, &RunControls::statusMessage, this,
            [this](const QString& m) { statusBar()->showMessage(m); });
    // A change the worker applied: its marker on the loss chart, where it happened.
    connect(m_controller, &TrainingController::knobChanged, this, [this] {
        m_trainingChart->setKnobChanges(m_controller->config());
        updateLambdaChart();
    });
    connect(m_controller, &TrainingController::runReset, this, [this] {
        m_trainingChart->clear();
        m_lambdaChart->clear();
        m_trainingChart->setKnobChanges(m_controller->config());
        m_metrics->clearValues();
        m_replay->leave();
        updateProgress();
        statusBar()->showMessage(tr("Reset to the initial weights of seed %1")
                                     .arg(qulonglong(m_controller->config().seed)));
    });
    connect(m_panel, &ParameterPanel::validityChanged, this, &MainWindow::updateActions);
    connect(m_panel, &ParameterPanel::configChanged, this, &MainWindow::updateActions);
    // Before a run the counter reads the epochs the panel plans.
    connect(m_panel, &ParameterPanel::configChanged, this, &MainWindow::updateProgress);
    connect(m_panel, &ParameterPanel::configChanged, this, [this] { showTargetForKnobs(false); });
    connect(m_panel, &ParameterPanel::targetChecked, this, [this] { showTargetForKnobs(false); });
    connect(m_panel, &ParameterPanel::configChanged, this, &MainWindow::showFormVerdict);
    connect(m_panel, &ParameterPanel::configChanged, this, &MainWindow::updateLambdaChart);
    connect(m_panel, &ParameterPanel::validityChanged, this, &MainWindow::showFormVerdict);

    readSettings();
    saveSettingsAsTheyChange();
    // The first screen already shows what is to be learnt.
    showTargetForKnobs(true);
    for (FitChart* chart : {m_fChart, m_fprimeChart, m_errorChart})
        chart->redrawNow();
    updateActions();
    updateProgress();
    statusBar()->showMessage(tr("Ready: set the knobs and press Train (Ctrl+R)"));
    showFormVerdict(); // a saved config that is no longer valid
    m_runActions->loader()->load();
}

void MainWindow::showFormVerdict() {
    const QStringList problems = m_panel->verdict() == ParameterPanel::Verdict::Invalid
                                     ? m_panel->problems()
                                     : QStringList();
    if (problems.isEmpty()) {
        // Back to what it said before, unless a newer message (a run that ended) replaced ours.
        if (const auto notReady = std::exchange(m_notReady, std::nullopt);
            notReady && statusBar()->currentMessage() == notReady->second)
            statusBar()->showMessage(notReady->first);
        return;
    }
    const qsizetype more = problems.size() - 1;
    const QString message =
        more == 0 ? tr("Not ready: %1").arg(problems.first())
                  : tr("Not ready: %1 (and %n more)", "", int(more)).arg(problems.first());
    if (!m_notReady)
        m_notReady.emplace(statusBar()->currentMessage(), QString());
    m_notReady->second = message;
    statusBar()->showMessage(message);
}

void MainWindow::showHistoryProblems(const QStringList& skipped) {
    for (const QString& problem : skipped)
        qWarning("run history: %s", qPrintable(problem));
    QStringList messages;
    const QList<StoredRun>& runs = m_history->runs();
    const int interrupted = int(std::count_if(runs.cbegin(), runs.cend(),
                                              [](const StoredRun& r) { return r.interrupted; }));
    // After a crash or a kill the first thing to know: the run is not lost.
    if (interrupted > 0)
        messages << tr("%n run(s) stopped by a crash or a kill before finishing: marked "
                       "\"interrupted\" in Runs; double-click one to continue it from its last "
                       "checkpoint",
                       nullptr, interrupted);
    if (!skipped.isEmpty())
        messages
            << (skipped.size() == 1
                    ? tr("Run history: skipped an unreadable run; %1").arg(skipped.constFirst())
                    : tr("Run history: skipped %1 unreadable runs; %2")
                          .arg(skipped.size())
                          .arg(skipped.constFirst()));
    if (!messages.isEmpty())
        statusBar()->showMessage(messages.join(QStringLiteral(" · ")));
}

MainWindow::~MainWindow() {
    // A focused field still reports its edit as the children are deleted, after this class's
    // part is gone: none of that may reach the slots here.
    disconnect(m_panel, nullptr, this, nullptr);
    m_controller->shutdown();
    // Before the history it stores into is deleted with the other children.
    m_runActions->stopSweep();
}

FitChart* MainWindow::fitChart(FitChart::Kind kind) const {
    switch (kind) {
    case FitChart::Kind::Function:
        return m_fChart;
    case FitChart::Kind::Derivative:
        return m_fprimeChart;
    case FitChart::Kind::Error:
        return m_errorChart;
    }
    return nullptr;
}

void MainWindow::createPanels() {
    m_fChart = new FitChart(FitChart::Kind::Function);
    m_fprimeChart = new FitChart(FitChart::Kind::Derivative);
    m_errorChart = new FitChart(FitChart::Kind::Error);
    m_trainingChart = new TrainingChart;
    m_lambdaChart = new LambdaChart;
    // One epoch axis for both: zooming the loss chart zooms λ(t) too.
    m_lambdaChart->followEpochAxis(
        qobject_cast<QValueAxis*>(m_trainingChart->chart()->axes(Qt::Horizontal).constFirst()));
    m_lossColumn = new QSplitter(Qt::Vertical);
    m_lossColumn->setObjectName(QStringLiteral("lossColumn"));
    m_lossColumn->addWidget(m_trainingChart);
    m_lossColumn->addWidget(m_lambdaChart);
    // Two thirds of the height to the loss. Only the vertical stretch: a horizontal one would
    // follow the charts into presentation mode's side-by-side area.
    for (const auto& [chart, stretch] : {std::pair<QWidget*, int>{m_trainingChart, 2},
                                         std::pair<QWidget*, int>{m_lambdaChart, 1}}) {
        QSizePolicy policy = chart->sizePolicy();
        policy.setVerticalStretch(stretch);
        chart->setSizePolicy(policy);
    }
    m_lambdaChart->hide();

    m_topRow = new QSplitter(Qt::Horizontal);
    m_topRow->addWidget(m_fChart);
    m_topRow->addWidget(m_fprimeChart);
    m_bottomRow = new QSplitter(Qt::Horizontal);
    m_bottomRow->addWidget(m_lossColumn);
    m_bottomRow->addWidget(m_errorChart);
    m_rows = new QSplitter(Qt::Vertical);
    m_rows->addWidget(m_topRow);
    m_rows->addWidget(m_bottomRow);
    for (QSplitter* s : {m_topRow, m_bottomRow, m_rows, m_lossColumn})
        s->setChildrenCollapsible(false);
    m_topRow->setObjectName(QStringLiteral("topRow"));
    m_bottomRow->setObjectName(QStringLiteral("bottomRow"));
    m_rows->setObjectName(QStringLiteral("rows"));
    m_timeline = new RunTimeline;
    auto* chartsAndTimeline = new QWidget;
    auto* chartsLayout = new QVBoxLayout(chartsAndTimeline);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_rows, 1);
    chartsLayout->addWidget(m_timeline);
    setCentralWidget(chartsAndTimeline);
    addExportMenu(m_trainingChart, m_trainingChart->chart(), QStringLiteral("training"));
    addExportMenu(m_fChart, m_fChart->chart(), QStringLiteral("f"));
    addExportMenu(m_fprimeChart, m_fprimeChart->chart(), QStringLiteral("fprime"));
    addExportMenu(m_errorChart, m_errorChart->chart(), QStringLiteral("error"));
    addExportMenu(m_lambdaChart, m_lambdaChart->chart(), QStringLiteral("lambda"));

    m_panel = new ParameterPanel;
    // The form is taller than a small screen; it scrolls rather than squeezing the charts.
    auto* panelScroll = new QScrollArea;
    panelScroll->setWidget(m_panel);
    panelScroll->setWidgetResizable(true);
    panelScroll->setFrameShape(QFrame::NoFrame);
    panelScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    panelScroll->setMinimumWidth(m_panel->minimumSizeHint().width() + 20);
    auto* panelDock = new QDockWidget(tr("Parameters"), this);
    panelDock->setObjectName(QStringLiteral("parametersDock"));
    panelDock->setWidget(panelScroll);
    panelDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, panelDock);

    m_metrics = new MetricsTable;
    auto* metricsDock = new QDockWidget(tr("Metrics"), this);
    metricsDock->setObjectName(QStringLiteral("metricsDock"));
    metricsDock->setWidget(m_metrics);
    metricsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, metricsDock);
    m_baselines = new BaselineOverlay({m_fChart, m_fprimeChart, m_errorChart}, m_metrics, this);
    m_replay = new RunReplay(
        m_timeline,
        {{m_fChart, m_fprimeChart, m_errorChart}, m_trainingChart, m_metrics, m_lambdaChart}, this);
    m_replay->leave();

    m_runsPanel = new RunHistoryPanel(m_history);
    auto* runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName(QStringLiteral("runsDock"));
    runsDock->setWidget(m_runsPanel);
    runsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                          QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, runsDock);
    connect(m_runsPanel, &RunHistoryPanel::reopenRequested, m_runActions,
            &RunHistoryActions::reopenRun);
    connect(m_runsPanel, &RunHistoryPanel::compareRequested, m_runActions,
            &RunHistoryActions::compareRuns);
    connect(m_runsPanel, &RunHistoryPanel::duplicateRequested, m_runActions,
            &RunHistoryActions::duplicateRunDialog);
    connect(m_runsPanel, &RunHistoryPanel::exportRequested, m_runActions,
            &RunHistoryActions::exportStoredRunDialog);

    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_epochLabel = new QLabel;
    m_epochLabel->setObjectName(QStringLiteral("epochLabel"));
    m_rateLabel = new QLabel;
    statusBar()->addPermanentWidget(m_epochLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_progress);
}

QList<QChart*> MainWindow::charts() const {
    return {m_trainingChart->chart(), m_fChart->chart(), m_fprimeChart->chart(),
            m_errorChart->chart()};
}

void MainWindow::createActions() {
    QStyle* s = style();
    m_trainAction = new QAction(s->standardIcon(QStyle::SP_MediaPlay), tr("&Train"), this);
    m_trainAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_trainAction->setToolTip(tr("Train with the current knobs (Ctrl+R); continues a paused run "
                                 "if no knob changed, else starts a fresh run"));
    connect(m_trainAction, &QAction::triggered, this, &MainWindow::train);

    // Ctrl+N: no File ▸ New here (an experiment is the knobs in the panel), so the key
    // commonly meaning "new" is free for the new run.
    m_newRunAction = new QAction(s->standardIcon(QStyle::SP_FileIcon), tr("&New Run"), this);
    m_newRunAction->setObjectName(QStringLiteral("newRunAction"));
    m_newRunAction->setShortcut(QKeySequence::New);
    m_newRunAction->setToolTip(tr("Start a fresh run with the knobs as shown (Ctrl+N); a run "
                                  "in progress or paused is stopped and kept first"));
    connect(m_newRunAction, &QAction::triggered, this, &MainWindow::newRun);

    m_pauseAction = new QAction(s->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    m_pauseAction->setShortcut(QKeySequence(Qt::Key_Space));
    m_pauseAction->setToolTip(tr("Pause or resume the run (Space)"));
    connect(m_pauseAction, &QAction::triggered, this, &MainWindow::togglePause);
    // Space in a knob's field pauses or resumes too, instead of typing over the value.
    new FieldKeyGuard(m_pauseAction, m_panel, this);

    m_stepAction = new QAction(s->standardIcon(QStyle::SP_MediaSkipForward), tr("S&tep"), this);
    m_stepAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_stepAction->setToolTip(tr("Train one epoch, then pause (Ctrl+T)"));
    connect(m_stepAction, &QAction::triggered, this, &MainWindow::step);

    m_stopAction = new QAction(s->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_stopAction->setToolTip(tr("End the run; it stays in view (Esc)"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stop);

    m_resetAction = new QAction(s->standardIcon(QStyle::SP_BrowserReload), tr("&Reset"), this);
    m_resetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_resetAction->setToolTip(tr("Back to the initial weights of the current seed and config "
                                 "(Ctrl+Shift+R)"));
    connect(m_resetAction, &QAction::triggered, this, &MainWindow::resetRun);

    m_referenceAction = new QAction(tr("Reference &Experiment"), this);
    m_referenceAction->setToolTip(tr("Restore the seed notebook's settings"));
    connect(m_referenceAction, &QAction::triggered, m_panel, &ParameterPanel::restoreReference);

    m_baselinesAction = new QAction(tr("B&aselines…"), this);
    m_baselinesAction->setToolTip(tr("Classical fits beside the network: polynomial "
                                     "interpolation, least squares, spline, cubic Hermite"));
    connect(m_baselinesAction, &QAction::triggered, this, &MainWindow::openBaselinesDialog);

    m_pointsAction = new QAction(tr("Show Training &Points"), this);
    m_pointsAction->setCheckable(true);
    connect(m_pointsAction, &QAction::toggled, this, [this](bool on) {
        m_fChart->setTrainingPointsVisible(on);
        m_fprimeChart->setTrainingPointsVisible(on);
    });
    m_bestErrorsAction = new QAction(tr("Show &Best-Epoch Errors"), this);
    m_bestErrorsAction->setCheckable(true);
    m_bestErrorsAction->setToolTip(
        tr("In the Runs panel, comparisons and sweeps, show each run's errors at its epoch with "
           "the lowest validation loss instead of at its end"));
    connect(m_bestErrorsAction, &QAction::toggled, this, [this](bool on) {
        const ShownEpoch which = on ? ShownEpoch::Best : ShownEpoch::Final;
        m_runsPanel->model()->setShownEpoch(which);
        m_runActions->setShownEpoch(which);
    });
    // A comparison's or the sweep's note about noisy final values switches every view.
    connect(
        m_runActions, &RunHistoryActions::shownEpochRequested, m_bestErrorsAction,
        [this](ShownEpoch which) { m_bestErrorsAction->setChecked(which == ShownEpoch::Best); });
    m_weightedAction = new QAction(tr("Show &Weighted Loss Terms"), this);
    m_weightedAction->setCheckable(true);
    m_weightedAction->setToolTip(tr("Show α·MSE f and β·MSE f' to see which term dominates"));
    connect(m_weightedAction, &QAction::toggled, m_trainingChart,
            &TrainingChart::setWeightedTermsVisible);
    m_lambdaAction = new QAction(tr("Show &λ(t) Chart When Weights Vary"), this);
    m_lambdaAction->setObjectName(QStringLiteral("lambdaAction"));
    m_lambdaAction->setCheckable(true);
    m_lambdaAction->setToolTip(
        tr("Under the loss chart, β/α against epoch, for a run whose α or β changes while it "
           "trains; hidden for constant weights"));
    connect(m_lambdaAction, &QAction::toggled, this, &MainWindow::updateLambdaChart);

    m_slowMotion = new QComboBox;
    m_slowMotion->setObjectName(QStringLiteral("slowMotion"));
    for (int cap : slowMotionCaps())
        m_slowMotion->addItem(cap == 0 ? tr("Full speed") : tr("%1 epochs/s").arg(cap), cap);
    // Slower still, for the first second of a run: the fit redrawn after every batch.
    for (int cap : slowMotionBatchCaps()) {
        m_slowMotion->addItem(tr("%n batches/s", nullptr, cap), 0);
        m_slowMotion->setItemData(m_slowMotion->count() - 1, cap, slowMotionBatchRole);
    }
    m_slowMotion->setToolTip(tr("Slow motion: train at most this many epochs, or batches, a "
                                "second, to watch the fit change; the results are the same as at "
                                "full speed"));
    connect(m_slowMotion, &QComboBox::currentIndexChanged, this, [this] {
        if (const int batches = m_slowMotion->currentData(slowMotionBatchRole).toInt(); batches > 0)
            m_controller->setBatchesPerSecondCap(batches);
        else
            m_controller->setEpochsPerSecondCap(m_slowMotion->currentData().toInt());
    });

    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("runToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions(
        {m_newRunAction, m_trainAction, m_pauseAction, m_stepAction, m_stopAction, m_resetAction});
    toolbar->addSeparator();
    toolbar->addWidget(m_slowMotion);

    PresentationMode::Parts parts;
    parts.window = this;
    parts.rows = m_rows;
    parts.charts = {{PresentationMode::Chart::F, m_fChart},
                    {PresentationMode::Chart::Fprime, m_fprimeChart},
                    {PresentationMode::Chart::Error, m_errorChart},
                    {PresentationMode::Chart::Loss, m_trainingChart},
                    {PresentationMode::Chart::Lambda, m_lambdaChart}};
    parts.runActions = {m_trainAction, m_pauseAction, m_stopAction, m_resetAction};
    parts.pauseAction = m_pauseAction;
    parts.slowMotion = m_slowMotion;
    parts.controller = m_controller;
    parts.panel = m_panel;
    m_presentation = new PresentationMode(parts, this);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openExperiment = file->addAction(tr("&Open Experiment…"), QKeySequence::Open);
    openExperiment->setToolTip(tr("Load the knobs from an experiment (config) JSON file"));
    QAction* openRunFolder =
        file->addAction(tr("Open &Run Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openRunFolder->setToolTip(tr("Show a saved run's curves, fits and metrics without training; "
                                 "a killed headless run's folder opens paused where it was"));
    QMenu* recent = file->addMenu(tr("Open Re&cent"));
    QMenu* examples = file->addMenu(tr("E&xamples"));
    m_files = new FileActions(this, recent, examples);
    connect(m_files, &FileActions::runOpened, this, &MainWindow::showRun);
    connect(m_files, &FileActions::statusMessage, this,
            [this](const QString& m) { statusBar()->showMessage(m); });
    connect(openExperiment, &QAction::triggered, m_files, &FileActions::openExperimentDialog);
    connect(openRunFolder, &QAction::triggered, m_files, &FileActions::openRunFolderDialog);
    file->addAction(tr("Open S&weep…"), m_runActions, &RunHistoryActions::openSweepFolderDialog)
        ->setToolTip(tr("Show a sweep folder (summary.csv and its run folders, as --sweep "
                        "writes it) in the Sweep window; its runs join the Runs panel"));
    file->addAction(tr("&Save Experiment…"), QKeySequence::Save, m_files,
                    &FileActions::saveExperimentDialog)
        ->setToolTip(tr("Save the knobs as an experiment JSON file (same keys as --config)"));
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu
        ->addAction(tr("&Run Bundle…"), QKeySequence(Qt::CTRL | Qt::Key_E), m_files,
                    &FileActions::exportRunDialog)
        ->setToolTip(
            tr("A folder with config, history, predictions, metrics and the four figures"));
    exportMenu->addSeparator();
    const QList<std::pair<QString, QString>> figureNames = {
        {tr("&Training Chart…"), QStringLiteral("training")},
        {tr("&f Chart…"), QStringLiteral("f")},
        {tr("f′ &Chart…"), QStringLiteral("fprime")},
        {tr("&Error Chart…"), QStringLiteral("error")}};
    for (int i = 0; i < figureNames.size(); ++i) {
        QChart* chart = charts()[i];
        const QString base = figureNames[i].second;
        exportMenu->addAction(figureNames[i].first, this,
                              [this, chart, base] { m_files->exportFigureDialog(chart, base); });
    }
    exportMenu->addAction(tr("Figure &Sheet…"), m_files, &FileActions::exportSheetDialog);
    exportMenu->addSeparator();
    exportMenu->addAction(tr("&Metrics Table…"), this,
                          [this] { m_files->exportTableDialog(false); });
    exportMenu->addAction(tr("&History Table…"), this,
                          [this] { m_files->exportTableDialog(true); });
    m_reportAction =
        file->addAction(tr("Export Re&port…"), m_files, &FileActions::exportReportDialog);
    m_reportAction->setObjectName(QStringLiteral("exportReportAction"));
    m_reportAction->setToolTip(
        tr("The run as a PDF report (A4 or Letter), and the same as Markdown"));
    m_animationAction =
        file->addAction(tr("Export &Animation…"), m_files, &FileActions::exportAnimationDialog);
    m_animationAction->setObjectName(QStringLiteral("exportAnimationAction"));
    file->addAction(tr("Export S&lide…"), m_files, &FileActions::exportSlideDialog)
        ->setToolTip(tr("The run in view as a 1920×1080 PNG or SVG, drawn for a projector"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addActions(
        {m_newRunAction, m_trainAction, m_pauseAction, m_stepAction, m_stopAction, m_resetAction});
    m_keepRunAction = run->addAction(tr("&Keep Stopped Run"), this, [this] {
        const QString id = m_history->add(*std::exchange(m_unkeptRun, std::nullopt));
        m_keepRunAction->setEnabled(false);
        m_runsPanel->selectIds({id});
        if (const StoredRun* kept = m_history->find(id))
            statusBar()->showMessage(tr("Kept in the Runs list as “%1”").arg(kept->name));
    });
    m_keepRunAction->setToolTip(tr("A run stopped in its first tenth is not kept in the Runs "
                                   "list unless you ask: keep the one in view"));
    m_keepRunAction->setEnabled(false);
    run->addSeparator();
    run->addAction(m_referenceAction);
    QAction* newSeed = run->addAction(tr("New &Seed"), m_panel, &ParameterPanel::newSeed);
    newSeed->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    run->addSeparator();
    run->addAction(tr("S&weep…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W), m_runActions,
                   &RunHistoryActions::openSweepDialog)
        ->setToolTip(
            tr("Train the current knobs over a grid of one or two knobs and several seeds"));
    run->addSeparator();
    run->addActions({m_runsPanel->reopenAction(), m_runsPanel->compareAction(),
                     m_runsPanel->duplicateAction()});

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_pointsAction);
    view->addAction(m_weightedAction);
    view->addAction(m_lambdaAction);
    view->addAction(m_bestErrorsAction);
    view->addAction(m_baselinesAction);
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_presentation->toggleAction());
    view->addMenu(m_presentation->layoutMenu());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* chartHelp =
        help->addAction(tr("&What Am I Seeing?"), this, &MainWindow::showChartHelp);
    chartHelp->setShortcut(QKeySequence::HelpContents);
    chartHelp->setToolTip(tr("What the chart under the mouse shows: its axes, its curves and "
                             "what to look for"));
    help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
        auto* dialog = new ShortcutsDialog(shortcutRows(this), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    help->addAction(tr("&About Sobolev Workbench"), this, [this] {
        QMessageBox::about(this, tr("About Sobolev Workbench"), aboutText());
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::showChartHelp() {
    const QList<std::pair<QWidget*, ChartTopic>> charts = {{m_fChart, ChartTopic::Function},
                                                           {m_fprimeChart, ChartTopic::Derivative},
                                                           {m_trainingChart, ChartTopic::Loss},
                                                           {m_lambdaChart, ChartTopic::Lambda},
                                                           {m_errorChart, ChartTopic::Error}};
    const auto topicOf = [&](const QWidget* widget) -> std::optional<ChartTopic> {
        for (const auto& [chart, topic] : charts)
            if (widget && (widget == chart || chart->isAncestorOf(widget)))
                return topic;
        return std::nullopt;
    };
    if (!m_chartHelp)
        m_chartHelp = new ChartHelpDialog(this);
    const std::optional<ChartTopic> pointed = topicOf(QApplication::widgetAt(QCursor::pos()));
    const std::optional<ChartTopic> focused = topicOf(QApplication::focusWidget());
    const ChartTopic topic = pointed ? *pointed : focused ? *focused : m_chartHelp->topic();
    m_chartHelp->showTopic(topic);
    const bool opening = !m_chartHelp->isVisible();
    m_chartHelp->show();
    m_chartHelp->raise();
    if (!opening)
        return; // where the student put it
    // Over the half of the window that does not hold the chart explained, so both are seen.
    QWidget* chart = std::find_if(charts.begin(), charts.end(), [&](const auto& c) {
                         return c.second == topic;
                     })->first;
    const QRect window = frameGeometry();
    const bool chartOnTheRight =
        chart->mapToGlobal(chart->rect().center()).x() > window.center().x();
    QRect place(QPoint(), m_chartHelp->frameGeometry().size());
    place.moveCenter(window.center());
    place.moveLeft(chartOnTheRight ? window.left() + window.width() / 4 - place.width() / 2
                                   : window.left() + 3 * window.width() / 4 - place.width() / 2);
    if (const QScreen* s = screen())
        place = fittedToScreen(place, s->availableGeometry());
    m_chartHelp->move(place.topLeft());
}

void MainWindow::setConfig(const TrainConfig& config) {
    m_panel->setConfig(config);
}

TrainConfig MainWindow::config() const {
    return m_panel->config();
}

bool MainWindow::explainInvalidForm() {
    if (m_panel->verdict() != ParameterPanel::Verdict::Invalid)
        return false;
    // Shown where it is: the field, scrolled into view with its message under it.
    m_panel->revealFirstProblem();
    statusBar()->showMessage(
        tr("Cannot train: %1").arg(m_panel->problems().join(QStringLiteral("; "))));
    if (m_notReady) // fixing the field brings back the message from before, as for ours
        m_notReady->second = statusBar()->currentMessage();
    return true;
}

void MainWindow::train() {
    if (!explainInvalidForm())
        m_runControls->train();
}

void MainWindow::newRun() {
    if (!explainInvalidForm())
        m_runControls->newRun();
}

void MainWindow::togglePause() {
    using State = TrainingController::State;
    // The status bar says "Paused at epoch N" once the worker has stopped (onStateChanged):
    // it finishes its batch first, and the epochs it finished meanwhile are still to come.
    if (m_controller->state() == State::Running) {
        m_controller->pause();
    } else if (m_controller->state() == State::Paused) {
        m_runControls->resume();
    }
}

void MainWindow::step() {
    m_runControls->step();
}

void MainWindow::stop() {
    if (m_controller->state() == TrainingController::State::Running ||
        m_controller->state() == TrainingController::State::Paused)
        m_controller->stop();
}

void MainWindow::resetRun() {
    m_runControls->reset();
}

void MainWindow::updateActions() {
    using State = TrainingController::State;
    const State state = m_controller->state();
    const bool running = state == State::Running;
    // A target still being checked is not a problem yet: Train then waits for the verdict.
    const bool valid = m_panel->verdict() != ParameterPanel::Verdict::Invalid;
    // Train and New Run stay enabled on an invalid form: pressed, they show what is wrong and
    // where, which a greyed-out button (and a silent Ctrl+R) never tells.
    m_trainAction->setEnabled(!running);
    m_pauseAction->setEnabled(running || state == State::Paused);
    m_pauseAction->setText(running ? tr("&Pause") : tr("Res&ume"));
    m_pauseAction->setIcon(
        style()->standardIcon(running ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_stepAction->setEnabled(!running && valid);
    m_stopAction->setEnabled(running || state == State::Paused);
    m_resetAction->setEnabled(!running && (m_controller->hasRun() || valid));
    m_panel->setLiveOnly(running);
    m_referenceAction->setEnabled(!running);
    if (m_reportAction) // a run trained here or opened from the history or a folder
        m_reportAction->setEnabled(m_openedRun || m_controller->hasRun());
    if (m_animationAction)
        m_files->updateAnimationAction(m_animationAction, running);
}

void MainWindow::updateProgress() {
    // A run opened from the history or a folder shows how far it went.
    const int total = plannedRows(m_openedRun              ? m_openedRun->config
                                  : m_controller->hasRun() ? m_controller->config()
                                                           : m_panel->config());
    const int done = m_openedRun ? m_openedRun->report.epochsRun : m_controller->epochsDone();
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(std::min(done, total));
    m_epochLabel->setText(tr("epoch %1 / %2").arg(done).arg(total));
    const double elapsed =
        m_openedRun ? m_openedRun->report.trainSeconds : m_controller->elapsedSeconds();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const double eta = rate > 0 ? (total - done) / rate : std::nan("");
    const bool running = m_controller->state() == TrainingController::State::Running;
    m_rateLabel->setText(tr("%1 epochs/s · elapsed %2 · ETA %3")
                             .arg(rate, 0, 'f', 0)
                             .arg(formatDuration(elapsed))
                             .arg(running ? formatDuration(eta) : QStringLiteral("–")));
}

BaselinesDialog* MainWindow::openBaselinesDialog() {
    if (!m_baselinesDialog) {
        m_baselinesDialog = new BaselinesDialog(m_baselines->kinds(), m_baselines->n(), this);
        connect(m_baselinesDialog, &BaselinesDialog::choiceChanged, m_baselines,
                &BaselineOverlay::setChoice);
    }
    m_baselinesDialog->show();
    m_baselinesDialog->raise();
    m_baselinesDialog->activateWindow();
    return m_baselinesDialog;
}

BaselineOverlay* MainWindow::baselines() const {
    return m_baselines;
}

void MainWindow::showTargetForKnobs(bool force) {
    if (m_controller->state() == TrainingController::State::Running || !m_panel->isValid())
        return;
    const TrainConfig config = m_panel->config();
    if (!force && m_shownData == dataKnobs(config))
        return; // the run in view, if any, stays
    m_shownData = dataKnobs(config);
    const Predictions target = targetOnGrid(config);
    for (FitChart* chart : {m_fChart, m_fprimeChart, m_errorChart})
        chart->showTarget(target);
    // The loss and the errors of the last run belong to its own target; it stays in the Runs
    // list. A run paused mid-way stays in view: it can still go on.
    if (!(m_controller->state() == TrainingController::State::Paused &&
          !m_controller->atInitialWeights())) {
        m_trainingChart->clear();
        m_lambdaChart->clear();
        m_metrics->clearValues();
        m_metrics->setLiveOnData(bool(config.measured));
        m_replay->leave();
    }
    showTrainingData(config, m_fChart, m_fprimeChart);
    m_baselines->showFor(config);
}

void MainWindow::onStateChanged(TrainingController::State state) {
    using State = TrainingController::State;
    const State before = std::exchange(m_shownState, state);
    updateActions();
    // A run that stands still can be replayed; one that trains is drawn live.
    if (state == State::Running)
        m_replay->leave(tr("Replay is possible once the run is paused or has finished"));
    else if (const auto run = currentRun();
             run && before == State::Running && state == State::Paused)
        m_replay->setRun(*run, true);
    // By now the controller has handed over every epoch the worker finished, so the status
    // bar, the epoch counter and the metrics table name the same epoch.
    if (before == State::Running && state == State::Paused) {
        updateProgress();
        if (const auto predictions = m_controller->predictions())
            m_metrics->setLive(compareOnGrid(*predictions), m_controller->predictionsEpoch(),
                               m_controller->predictionsSeconds(), true);
        statusBar()->showMessage(tr("Paused at epoch %1").arg(m_controller->epochsDone()));
    } else if (before == State::Paused && state == State::Running && m_controller->hasRun() &&
               m_controller->epochsDone() > 0) {
        statusBar()->showMessage(tr("Resumed at epoch %1").arg(m_controller->epochsDone()));
    }
}

void MainWindow::onRunStarted(const TrainConfig& config) {
    m_openedRun.reset();
    m_unkeptRun.reset();
    m_keepRunAction->setEnabled(false);
    m_shownData = dataKnobs(config);
    m_trainingChart->clear();
    m_trainingChart->setLossWeights(config.alpha, config.beta);
    m_trainingChart->setKnobChanges(config);
    m_lambdaChart->clear();
    updateLambdaChart();
    showTrainingData(config, m_fChart, m_fprimeChart);
    m_baselines->showFor(config);
    m_metrics->clearValues();
    m_metrics->setLiveOnData(bool(config.measured));
    updateProgress();
    statusBar()->showMessage(tr("Training started: %1").arg(describeRun(config)));
}

void MainWindow::onEpochs(const QList<EpochMetrics>& epochs) {
    m_trainingChart->appendEpochs(epochs);
    m_lambdaChart->appendEpochs(epochs);
    // A few times a second is enough to read; every frame, the status bar took a tenth of the
    // GUI thread's time. The run's end shows the last epoch.
    constexpr int progressIntervalMs = 100;
    if (!m_sinceProgressShown.isValid() || m_sinceProgressShown.elapsed() >= progressIntervalMs) {
        m_sinceProgressShown.start();
        updateProgress();
    }
}

void MainWindow::onPredictions(const Predictions& predictions) {
    const bool running = m_controller->state() == TrainingController::State::Running;
    for (FitChart* chart : {m_fChart, m_fprimeChart, m_errorChart}) {
        chart->setPredictions(predictions);
        // The controller already sends at most one snapshot a frame (in batch slow motion
        // one a batch, a few a second); waiting for the chart's own frame would only make
        // the curve older, or skip a batch. A chart out of sight waits until it is shown.
        if (running && chart->isVisible())
            chart->redrawNow();
    }
    // A run reopened paused at its checkpoint shows its errors there, as one paused by hand.
    const bool pausedMidRun = m_controller->state() == TrainingController::State::Paused &&
                              !m_controller->atInitialWeights();
    if (running || pausedMidRun)
        // The trainer's own time, as the finished run reports it: slow motion's waits and the
        // pauses are not training.
        m_metrics->setLive(compareOnGrid(predictions), m_controller->predictionsEpoch(),
                           m_controller->predictionsSeconds(), pausedMidRun);
}

void MainWindow::onRunFinished(const FitReport& report) {
    m_metrics->setReport(report);
    QString historyError;
    if (const auto run = currentRun(); run && RunHistory::isFalseStart(*run)) {
        m_unkeptRun = run;
        m_journal->discard();
    } else if (const QString id = run ? m_journal->store(*run, &historyError) : QString();
               !id.isEmpty())
        m_runsPanel->selectIds({id}); // the run in view, not an older one
    else if (run)
        qWarning("run history: %s", qPrintable(historyError));
    m_keepRunAction->setEnabled(bool(m_unkeptRun));
    if (const auto run = currentRun())
        m_replay->setRun(*run);
    updateProgress();
    QString message;
    switch (report.stopReason) {
    case StopReason::Completed:
        message = tr("Finished %1 epochs in %2: MSE f %3, MSE f' %4")
                      .arg(report.epochsRun)
                      .arg(formatDuration(report.trainSeconds))
                      .arg(report.mseF, 0, 'e', 2)
                      .arg(fprimeErrorText(report.hasFprime, report.mseFprime));
        break;
    case StopReason::Stopped:
        message = m_unkeptRun ? tr("Stopped at epoch %1, in the run's first tenth: not kept in the "
                                   "Runs list (Run ▸ Keep Stopped Run keeps it)")
                                    .arg(report.epochsRun)
                              : tr("Stopped at epoch %1").arg(report.epochsRun);
        break;
    case StopReason::Diverged:
        message = tr("Diverged: %1").arg(QString::fromStdString(report.stopMessage));
        break;
    case StopReason::None:
        break;
    }
    statusBar()->showMessage(message);
}

bool MainWindow::openPath(const QString& path, QString* error) {
    return m_files->openPath(path, error);
}

bool MainWindow::openExperiment(const QString& path, QString* error) {
    return m_files->openExperiment(path, error);
}

bool MainWindow::saveExperiment(const QString& path, QString* error) {
    return m_files->saveExperiment(path, error);
}

bool MainWindow::openRunFolder(const QString& dir, QString* error) {
    return m_files->openRunFolder(dir, error);
}

bool MainWindow::exportRun(const QString& dir, QString* error) {
    return m_files->exportRun(dir, error);
}

bool MainWindow::reopenRun(const QString& id) {
    return m_runActions->reopenRun(id);
}

ComparisonWindow* MainWindow::compareRuns(const QStringList& ids) {
    return m_runActions->compareRuns(ids);
}

SweepDialog* MainWindow::openSweepDialog() {
    return m_runActions->openSweepDialog();
}

std::optional<RunRecord> MainWindow::currentRun() const {
    if (m_openedRun)
        return m_openedRun;
    if (!m_controller->hasRun() || !m_controller->predictions())
        return std::nullopt;
    RunRecord run;
    run.config = m_controller->config();
    const QList<EpochMetrics> history = m_controller->history();
    run.history.assign(history.begin(), history.end());
    run.predictions = *m_controller->predictions();
    run.snapshots = m_controller->snapshots();
    if (m_controller->report()) {
        run.report = *m_controller->report();
    } else {
        // A paused or running run: its errors so far, marked as stopped where it stands.
        run.report = compareOnGrid(run.predictions);
        run.report.epochsRun = int(run.history.size());
        run.report.trainSeconds = run.history.empty() ? 0 : run.history.back().seconds;
        run.report.stopReason = StopReason::Stopped;
        const bool running = m_controller->state() == TrainingController::State::Running;
        run.report.stopMessage =
            (running ? QStringLiteral("in progress: exported after %1 of %2 epochs")
                     : QStringLiteral("paused after %1 of %2 epochs"))
                .arg(run.report.epochsRun)
                .arg(run.config.epochs)
                .toStdString();
    }
    return run;
}

void MainWindow::showRun(const RunRecord& run) {
    m_openedRun = run;
    m_shownData = dataKnobs(run.config); // its own curves, not the bare target
    m_panel->setConfig(run.config);
    m_trainingChart->setLossWeights(run.config.alpha, run.config.beta);
    m_trainingChart->setKnobChanges(run.config);
    m_trainingChart->setHistory(QList<EpochMetrics>(run.history.begin(), run.history.end()));
    m_lambdaChart->setHistory(QList<EpochMetrics>(run.history.begin(), run.history.end()));
    updateLambdaChart();
    for (FitChart* chart : {m_fChart, m_fprimeChart, m_errorChart})
        chart->setPredictions(run.predictions);
    // The training points follow from the seed, the data sizes and the target knobs.
    showTrainingData(run.config, m_fChart, m_fprimeChart);
    m_baselines->showFor(run.config);
    m_metrics->setReport(run.report);
    m_replay->setRun(run);
    updateProgress();
    updateActions();
}

void MainWindow::updateLambdaChart() {
    if (!m_lambdaAction)
        return; // the panel reports its first config before the actions exist
    const bool vary = m_openedRun
                          ? weightsVary(m_openedRun->config) || weightsVary(m_openedRun->history)
                      : m_controller->hasRun() ? weightsVary(m_controller->config())
                                               : weightsVary(m_panel->config());
    const bool shown = m_lambdaAction->isChecked() && vary;
    // In presentation mode the chart is where the presenter put it, shown.
    if (m_lambdaChart->parentWidget() == m_lossColumn)
        m_lambdaChart->setVisible(shown);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!FileActions::droppablePath(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = FileActions::droppablePath(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    // After the drop returns, so that a message box does not block the drag source.
    QTimer::singleShot(0, m_files, [this, path] { m_files->openFromUi(path); });
}

bool MainWindow::runInProgress() const {
    using State = TrainingController::State;
    const State state = m_controller->state();
    return state == State::Running || (state == State::Paused && !m_controller->atInitialWeights());
}

void MainWindow::askBeforeClosing() {
    if (m_closeQuestion) {
        m_closeQuestion->raise();
        return;
    }
    const bool running = m_controller->state() == TrainingController::State::Running;
    const int total = plannedRows(m_controller->config());
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Quit Sobolev Workbench"),
        running
            ? tr("A run is training (epoch %1 of %2).").arg(m_controller->epochsDone()).arg(total)
            : tr("A run is paused at epoch %1 of %2.").arg(m_controller->epochsDone()).arg(total),
        QMessageBox::Cancel, this);
    box->setInformativeText(tr("Stop it and quit: the run ends where it is and is kept in the "
                               "Runs list as a stopped run, to look at or compare next time."));
    QPushButton* stopAndQuit = box->addButton(tr("&Stop It and Quit"), QMessageBox::AcceptRole);
    stopAndQuit->setObjectName(QStringLiteral("stopAndQuit"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // Window-modal and answered later: no event loop nested in closeEvent, where the run would
    // go on delivering epochs to a window half closed.
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, stopAndQuit](QAbstractButton* button) {
        if (button != stopAndQuit)
            return;
        m_quitConfirmed = true;
        QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    });
    m_closeQuestion = box;
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    const bool inProgress = runInProgress();
    if (inProgress && !m_quitConfirmed) {
        event->ignore();
        askBeforeClosing();
        return;
    }
    m_quitConfirmed = false;
    m_controller->shutdown(); // a running run ends as stopped, and is stored (onRunFinished)
    if (m_controller->state() == TrainingController::State::Paused)
        m_controller->stop(); // the same for one paused mid-run
    // The user was told the run is kept, so a run stopped in its first tenth is kept too.
    if (inProgress && m_unkeptRun)
        m_history->add(*std::exchange(m_unkeptRun, std::nullopt));
    m_runActions->stopSweep();        // the finished runs are in the history already
    m_presentation->setActive(false); // the layout kept is the everyday one
    m_settingsSaver->stop();
    writeSettings();
    event->accept();
}

void MainWindow::readSettings() {
    // A window and docks saved on a larger screen (a laptop's, shown on a 1280×720 projector)
    // are not forced onto this one, where the Runs column would be off the screen: the window
    // starts as on a first start here.
    const bool restored = restoreGeometry(settings::windowGeometry().get()) && moveOntoScreen(this);
    if (!restored)
        fitFirstWindowToScreen(this);
    if (!restored || !restoreState(settings::windowState().get())) {
        // First start: the metrics take what their rows need, the parameters the rest.
        auto* parameters = findChild<QDockWidget*>(QStringLiteral("parametersDock"));
        auto* metrics = findChild<QDockWidget*>(QStringLiteral("metricsDock"));
        resizeDocks({parameters, metrics}, {height(), m_metrics->sizeHint().height()},
                    Qt::Vertical);
        auto* runs = findChild<QDockWidget*>(QStringLiteral("runsDock"));
        if (width() < 1500) {
            // A small screen: a column of runs would leave the charts too narrow; the runs
            // share the metrics' place, a tab away.
            tabifyDockWidget(metrics, runs);
            metrics->raise();
        } else {
            // Wide enough for a run's name and both errors.
            resizeDocks({runs}, {380}, Qt::Horizontal);
        }
    }
    m_rows->restoreState(settings::chartRows().get());
    m_topRow->restoreState(settings::topChartRow().get());
    m_bottomRow->restoreState(settings::bottomChartRow().get());
    m_pointsAction->setChecked(settings::showTrainingPoints().get());
    m_weightedAction->setChecked(settings::showWeightedTerms().get());
    m_lambdaAction->setChecked(settings::showLambdaChart().get());
    m_bestErrorsAction->setChecked(settings::showBestEpochErrors().get());
    // Not a knob of the experiment, so not in config.json: a view setting.
    const int batchCap = settings::batchesPerSecondCap().get();
    m_slowMotion->setCurrentIndex(std::max(
        0, batchCap > 0 ? m_slowMotion->findData(batchCap, slowMotionBatchRole)
                        : int(slowMotionCaps().indexOf(settings::epochsPerSecondCap().get()))));
    const QJsonDocument last = QJsonDocument::fromJson(settings::lastConfig().get());
    const ConfigReadResult saved = configFromJson(last.object());
    // A saved config that no longer reads (older version, hand-edited) falls back to the reference.
    m_panel->setConfig(last.isObject() && saved.errors.isEmpty() ? saved.config : TrainConfig{});
}

void MainWindow::saveSettingsAsTheyChange() {
    m_settingsSaver = new QTimer(this);
    m_settingsSaver->setSingleShot(true);
    // Half a second after the last edit: typing "0.001" writes once, not five times.
    m_settingsSaver->setInterval(500);
    connect(m_settingsSaver, &QTimer::timeout, this, &MainWindow::writeKnobsAndView);
    // The timer, not the window, is captured: a field losing focus while the window is being
    // destroyed still reports its edit, after the window's own part is gone.
    const auto later = [saver = m_settingsSaver] { saver->start(); };
    connect(m_panel, &ParameterPanel::configChanged, m_settingsSaver, later);
    connect(m_panel, &ParameterPanel::validityChanged, m_settingsSaver, later);
    for (QAction* toggle : {m_pointsAction, m_weightedAction, m_bestErrorsAction, m_lambdaAction})
        connect(toggle, &QAction::toggled, m_settingsSaver, later);
    connect(m_slowMotion, &QComboBox::currentIndexChanged, m_settingsSaver, later);
}

void MainWindow::writeSettings() const {
    settings::windowGeometry().set(saveGeometry());
    settings::windowState().set(saveState());
    settings::chartRows().set(m_rows->saveState());
    settings::topChartRow().set(m_topRow->saveState());
    settings::bottomChartRow().set(m_bottomRow->saveState());
    writeKnobsAndView();
}

void MainWindow::writeKnobsAndView() const {
    settings::showTrainingPoints().set(m_pointsAction->isChecked());
    settings::showWeightedTerms().set(m_weightedAction->isChecked());
    settings::showLambdaChart().set(m_lambdaAction->isChecked());
    settings::showBestEpochErrors().set(m_bestErrorsAction->isChecked());
    settings::epochsPerSecondCap().set(m_slowMotion->currentData().toInt());
    settings::batchesPerSecondCap().set(m_slowMotion->currentData(slowMotionBatchRole).toInt());
    if (m_panel->isValid()) // an unfinished edit does not replace the last good config
        settings::lastConfig().set(
            QJsonDocument(configToJson(m_panel->config())).toJson(QJsonDocument::Compact));
}

} // namespace sobolev
