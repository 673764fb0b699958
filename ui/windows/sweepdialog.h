// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shownepoch.h"

#include "core/experiment/sweep.h"
#include "examples.h"
#include "reportpdf.h"
#include "sweepcharts.h"
#include "sweepmap.h"
#include "tablewriter.h"

#include <QDialog>
#include <QTimer>

#include <memory>
#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;
class QTabWidget;

namespace sobolev {

class LatestWork;
class NoisyFinalNote;
class RunHistory;
class SweepController;

// The form and the results of a sweep of one or two knobs over a grid × several seeds; a
// SweepController runs it in the background and stores every run as it ends. Results show as
// a table, errors against the knob, and the trade-off between MSE f and MSE f'. With no knob
// it is a seed ensemble of the base config.
class SweepDialog : public QDialog {
    Q_OBJECT
  public:
    enum Column {
        SeedColumn,
        MseFColumn,
        MseFprimeColumn,
        MaxErrFColumn,
        MaxErrFprimeColumn,
        EpochsColumn,
        SecondsColumn,
        StatusColumn,
        RunColumn,
        FixedColumnCount
    };

    explicit SweepDialog(RunHistory* history, QWidget* parent = nullptr);
    ~SweepDialog() override;

    // The knobs every run starts from; `problems` are those of the form they come from (the
    // main window's panel), which keep Start disabled until they are fixed. While a sweep
    // runs they wait, and become the base when it ends.
    void setBaseConfig(const TrainConfig& config, const QStringList& problems = {});
    TrainConfig baseConfig() const { return m_base; }

    // The form, for callers and tests: axis 0 or 1; an empty values text or no knob turns
    // the axis off.
    void setAxis(int axis, std::optional<Knob> knob, const QString& values);
    void setSeeds(const QString& text);
    void setThreads(int threads);
    // The whole form at once (an example's sweep): the axes it names, the rest turned off.
    void applyForm(const SweepForm& form);
    // What is wrong with the form, one line per problem; empty when Start is possible.
    QStringList problems() const;

    bool isRunning() const;
    // Shows stored runs as this sweep's results (the last sweep, or a sweep folder opened
    // from the File menu), `label` saying where they come from. False when a sweep is
    // running or none of the runs is in the history.
    bool showStoredSweep(const std::vector<Knob>& knobs, const QStringList& ids,
                         const QString& label);
    // The history ids of this sweep's runs, in the order they ended.
    QStringList runIds() const;
    SweepView sweepView() const;
    DataTable summaryTable() const;
    // The table as shown (in its sort), with each run's best validation epoch and, while the
    // final errors are shown, its MSE f and MSE f′: the sweep report's table.
    DataTable reportTable() const;
    // Export Report…: the figures as shown, reportTable() and `notes`.
    ComparisonReport report(const QString& notes) const;
    bool writeReport(const ReportTarget& target, const QString& notes, QString* error) const;
    // The note that final errors of constant-rate Adam are noisy (hidden unless it applies).
    NoisyFinalNote* noisyNote() const { return m_note; }

    QTableView* table() const { return m_table; }
    KnobChart* knobChart() const { return m_knobChart; }
    TradeoffChart* tradeoffChart() const { return m_tradeoffChart; }
    SweepMapChart* mapChart() const { return m_mapChart; }
    RatioSliceChart* sliceChart() const { return m_sliceChart; }
    QComboBox* mapErrorBox() const { return m_mapError; }

  protected:
    void hideEvent(QHideEvent* event) override;

  public slots:
    bool start();
    void cancel();
    // Cancels and waits for the runs in progress to stop (they stop between batches).
    void cancelAndWait();
    // The table and the figures show the final errors or each run's best epoch's.
    void setShownEpoch(sobolev::ShownEpoch which);

  signals:
    void runEnded(const QString& id);
    void sweepFinished(bool cancelled);
    void openRunRequested(const QString& id);
    void compareRequested(const QStringList& ids);
    // The noisy-final-values note's button asked for best-epoch errors everywhere.
    void shownEpochRequested(sobolev::ShownEpoch which);

  private:
    QWidget* createForm();
    QWidget* createResults();
    QWidget* createMapTab();
    void openCellRuns(const QStringList& ids);
    void updateForm();
    // The sweep the form describes, or why it cannot run.
    struct Plan {
        std::vector<SweepAxis> axes;
        std::vector<std::uint64_t> seeds;
        QStringList problems;
        bool checking = false; // every run's config is being checked (m_checker)
    };
    Plan plan() const;
    // What validateSweep() said of a base config, axes and seeds.
    struct SweepVerdict {
        TrainConfig base;
        std::vector<SweepAxis> axes;
        std::vector<std::uint64_t> seeds;
        std::vector<ConfigProblem> problems;
        bool isFor(const TrainConfig& base, const Plan& plan) const;
    };
    // Checks the plan's runs on the worker thread, unless that is under way already.
    void checkInBackground(const Plan& plan);
    void onChecked();
    std::optional<std::vector<SweepAxis>> parsedAxes(QStringList* problems) const;
    std::optional<std::vector<std::uint64_t>> parsedSeeds(QStringList* problems) const;
    void onRunEnded(const QString& id, const SweepRunView& run, const QString& name);
    void onSweepFinished(bool cancelled);
    void updateProgress();
    void refreshCharts();
    void setTableHeaders(const std::vector<Knob>& knobs);
    // The form and the last sweep's runs, kept in QSettings; the runs are read back from the
    // run history (those deleted since are left out).
    void writeSettings() const;
    void readSettings();
    void addTableRow(const SweepRunView& run, const QString& name);
    void exportTable();
    void exportReport();
    SweepView shownView() const; // the runs with the errors shown (final or best epoch)

    TrainConfig m_base;
    QStringList m_baseProblems;
    std::pair<TrainConfig, QStringList> m_nextBase; // the newest setBaseConfig()
    // Every run's config is checked (a target at each seed's points) off the GUI thread.
    LatestWork* m_checker = nullptr;
    mutable std::optional<SweepVerdict> m_verdict;
    std::optional<SweepVerdict> m_asked; // the plan being checked (its problems unused)
    std::shared_ptr<std::optional<SweepVerdict>> m_newestCheck; // written by the worker
    bool m_startWhenChecked = false;

    QLabel* m_baseLabel = nullptr;
    QComboBox* m_knob[2] = {};
    QLineEdit* m_values[2] = {};
    QLineEdit* m_seeds = nullptr;
    QSpinBox* m_threads = nullptr;
    QLabel* m_problems = nullptr;
    QLabel* m_plan = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QPushButton* m_reportButton = nullptr;
    NoisyFinalNote* m_note = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr; // the runs in the controller's order; the table
                                           // shows them through a TableSortModel
    ShownEpoch m_shown = ShownEpoch::Final;
    KnobChart* m_knobChart = nullptr;
    TradeoffChart* m_tradeoffChart = nullptr;
    SweepMapChart* m_mapChart = nullptr;
    RatioSliceChart* m_sliceChart = nullptr;
    QComboBox* m_mapError = nullptr;
    QPushButton* m_mapTableButton = nullptr;

    SweepController* m_controller;
    RunHistory* m_history;
    QTimer m_chartTimer; // coalesces chart rebuilds when runs end in quick succession
};

} // namespace sobolev
