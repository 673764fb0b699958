// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "fitchart.h"
#include "runfolder.h"
#include "trainingcontroller.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>

#include <array>
#include <cstdint>
#include <utility>

class QAction;
class QChart;
class QComboBox;
class QLabel;
class QMessageBox;
class QProgressBar;
class QSplitter;

namespace sobolev {

class BaselineOverlay;
class BaselinesDialog;
class ComparisonWindow;
class FileActions;
class RunHistoryActions;
class MetricsTable;
class RunHistoryPanel;
class SweepDialog;
class ParameterPanel;
class PresentationMode;
class RunReplay;
class RunTimeline;
class TrainingChart;

// Wires the panels to the training controller; owns no training logic of its own.
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ParameterPanel* parameterPanel() const { return m_panel; }
    TrainingController* controller() const { return m_controller; }
    TrainingChart* trainingChart() const { return m_trainingChart; }
    // β/α against epoch under the loss chart, shown for a run whose weights vary.
    class LambdaChart* lambdaChart() const {
        return m_lambdaChart;
    }
    QAction* lambdaAction() const { return m_lambdaAction; } // View ▸ Show λ(t) Chart
    FitChart* fitChart(FitChart::Kind kind) const;
    MetricsTable* metricsTable() const { return m_metrics; }
    // Under the charts: replays the run in view when it is paused or over.
    RunTimeline* timeline() const { return m_timeline; }
    QAction* trainAction() const { return m_trainAction; }
    QAction* newRunAction() const { return m_newRunAction; }
    // Slow motion: the epochs-per-second cap (0: full speed), then the batches-per-second caps
    // (item data under slowMotionBatchRole), a view setting kept in QSettings.
    QComboBox* slowMotionBox() const { return m_slowMotion; }
    static QList<int> slowMotionCaps() { return {0, 200, 50, 10, 2}; }
    static QList<int> slowMotionBatchCaps() { return {10, 5, 2}; }
    static constexpr int slowMotionBatchRole = Qt::UserRole + 1;
    class RunHistory* runHistory() const {
        return m_history;
    }
    RunHistoryPanel* runHistoryPanel() const { return m_runsPanel; }
    class RunJournal* runJournal() const {
        return m_journal;
    }
    PresentationMode* presentation() const { return m_presentation; }

    void setConfig(const TrainConfig& config);
    TrainConfig config() const;

    FileActions* fileActions() const { return m_files; }
    RunHistoryActions* runHistoryActions() const { return m_runActions; }
    // The run in view: the controller's (finished, stopped or paused) or one opened from disk.
    std::optional<RunRecord> currentRun() const;
    QList<QChart*> charts() const; // training, f, f', error

    // Shorthands for the actions' operations without dialogs.
    bool openPath(const QString& path, QString* error);
    bool openExperiment(const QString& path, QString* error);
    bool saveExperiment(const QString& path, QString* error);
    bool openRunFolder(const QString& dir, QString* error);
    bool exportRun(const QString& dir, QString* error);
    bool reopenRun(const QString& id);
    ComparisonWindow* compareRuns(const QStringList& ids);
    SweepDialog* openSweepDialog();
    BaselinesDialog* openBaselinesDialog(); // View ▸ Baselines…
    BaselineOverlay* baselines() const;

  public slots:
    // Resume a paused run whose knobs other than α, β and the rate are unchanged (those are
    // live changes), else start a fresh one (RunControls).
    void train();
    void newRun(); // always a fresh run with the knobs as shown
    void togglePause();
    void step();
    void stop();
    void resetRun();
    void showRun(const sobolev::RunRecord& run);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    // On an invalid form: reveals the first bad field and says what is wrong; returns whether
    // it did, so that Train and New Run start nothing.
    bool explainInvalidForm();
    void createActions();
    void createMenus();
    void createPanels();
    void updateActions();
    void updateProgress();
    void onStateChanged(TrainingController::State state);
    void onRunStarted(const TrainConfig& config);
    void onEpochs(const QList<EpochMetrics>& epochs);
    void onPredictions(const Predictions& predictions);
    void onRunFinished(const FitReport& report);
    // Shows the target on the panel's test grid when a knob that changes the data changed.
    void showTargetForKnobs(bool force);
    // The λ(t) chart is shown while the View menu asks for it and the weights of the run in
    // view (else of the knobs in the panel) vary.
    void updateLambdaChart();
    // The run history's unreadable entries: logged, and the first named in the status bar.
    void showHistoryProblems(const QStringList& skipped);
    // While the form is invalid the status bar names its first problem; once it is valid
    // again, the message from before.
    void showFormVerdict();
    void readSettings();
    void writeSettings() const;
    // The knobs shown (when valid) and the view settings: written a moment after each change,
    // so that a crash or kill loses none of them, and again on closing.
    void writeKnobsAndView() const;
    void saveSettingsAsTheyChange();
    // Help ▸ What Am I Seeing? (F1): the help of the chart under the mouse, else of the one
    // with the focus, else the one shown last.
    void showChartHelp();
    // A run training, or paused after training: closing would end it.
    bool runInProgress() const;
    // Asks whether to stop the run in progress and quit; closes again when told to.
    void askBeforeClosing();

    std::optional<RunRecord> m_openedRun; // shown until the next run starts
    std::optional<RunRecord> m_unkeptRun; // a false start, kept only by m_keepRunAction
    TrainingController::State m_shownState = TrainingController::State::Idle;
    // The data knobs (grid points, seed, n_train, n_val) of what the fit charts show.
    std::optional<QString> m_shownData;    // dataKnobs() of what the fit charts show
    class RunHistory* m_history = nullptr; // every run that ended, kept on disk
    RunHistoryPanel* m_runsPanel = nullptr;
    FileActions* m_files = nullptr;
    RunHistoryActions* m_runActions = nullptr;
    PresentationMode* m_presentation = nullptr;
    class RunControls* m_runControls = nullptr; // what Train, Resume, Step and Reset do
    class RunJournal* m_journal = nullptr;      // the run's history entry while it trains

    TrainingController* m_controller;
    ParameterPanel* m_panel = nullptr;
    TrainingChart* m_trainingChart = nullptr;
    class LambdaChart* m_lambdaChart = nullptr;
    QSplitter* m_lossColumn = nullptr; // the loss chart over the λ(t) chart
    FitChart* m_fChart = nullptr;
    FitChart* m_fprimeChart = nullptr;
    FitChart* m_errorChart = nullptr;
    MetricsTable* m_metrics = nullptr;
    RunTimeline* m_timeline = nullptr;
    RunReplay* m_replay = nullptr;
    QSplitter* m_rows = nullptr;
    QSplitter* m_topRow = nullptr;
    QSplitter* m_bottomRow = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_epochLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QElapsedTimer m_sinceProgressShown; // while a run trains
    QComboBox* m_slowMotion = nullptr;

    QAction* m_trainAction = nullptr;
    QAction* m_newRunAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_resetAction = nullptr;
    QAction* m_keepRunAction = nullptr;
    QAction* m_animationAction = nullptr; // File ▸ Export Animation…
    QAction* m_referenceAction = nullptr;
    QAction* m_reportAction = nullptr; // enabled while there is a run to report
    QAction* m_pointsAction = nullptr;
    QAction* m_bestErrorsAction = nullptr;
    QAction* m_weightedAction = nullptr;
    QAction* m_lambdaAction = nullptr;
    QAction* m_baselinesAction = nullptr;
    BaselineOverlay* m_baselines = nullptr;
    BaselinesDialog* m_baselinesDialog = nullptr;
    class ChartHelpDialog* m_chartHelp = nullptr; // made on the first F1
    QTimer* m_settingsSaver = nullptr;            // debounces writeKnobsAndView()
    QPointer<QMessageBox> m_closeQuestion;        // "A run is training…", while it is shown
    bool m_quitConfirmed = false;                 // the user chose to stop the run and quit
    // While the form is invalid: the status message before it, and the "Not ready" shown.
    std::optional<std::pair<QString, QString>> m_notReady;
};

} // namespace sobolev
