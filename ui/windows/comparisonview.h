// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "comparison.h"
#include "shownepoch.h"
#include "tablesort.h"
#include "tablewriter.h"

#include <QList>
#include <QWidget>
#include <array>

QT_BEGIN_NAMESPACE
class QChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QModelIndex;
class QStandardItemModel;
class QTableView;
QT_END_NAMESPACE

namespace sobolev {

class ComparisonCharts;
class NoisyFinalNote;
class RunTimeline;

// Several finished runs side by side: their loss curves, fits, derivatives and errors
// overlaid in four charts, one colour per run, and a sortable table of their test-grid
// metrics with the best value of each column marked.
//
// In ensemble mode the runs that differ only in their seed are drawn as one group each: the
// median over the group as a line, the min–max band over its runs as a translucent area of
// the same colour, and one table row per group with each metric as its median (min – max):
// errors that span decades make a mean ± std mislead.
class ComparisonView : public QWidget {
    Q_OBJECT
  public:
    enum Column {
        LabelColumn,
        NameColumn,
        MseFColumn,
        MseFprimeColumn,
        MaxErrFColumn,
        MaxErrFprimeColumn,
        H1Column,
        RelL2FColumn,
        RelL2FprimeColumn,
        EpochsColumn,
        SecondsColumn,
        StopReasonColumn,
        ColumnCount
    };
    // On every cell SortRole (tablesort.h): numbers for the numeric columns (NaN for none),
    // the run's position in setRuns() for the label column. On the label cell IdRole, the
    // run's id, and RunIndexRole, its position in setRuns().
    static constexpr int RunIndexRole = FirstTableRole;
    // On every cell: whether it holds the column's best value (the best median in ensemble mode).
    static constexpr int BestRole = FirstTableRole + 1;
    // On the label cell in ensemble mode: the group's position in groups(); RunIndexRole and
    // IdRole then name the group's first run.
    static constexpr int GroupIndexRole = FirstTableRole + 2;

    explicit ComparisonView(QWidget* parent = nullptr);
    ~ComparisonView() override;

    void setRuns(const QList<sobolev::ComparedRun>& runs);
    const QList<ComparedRun>& runs() const;
    // differenceLabels() of the runs, in setRuns() order, with the final β/α of those whose
    // weights varied ("lra, β/α→3.2").
    QStringList labels() const;
    // β/α against epoch, one curve per run, under the other charts while a run's weights vary.
    class LambdaChart* lambdaChart() const {
        return m_lambda;
    }
    // groupBySeed() of the runs' configs, and the groups' labels ("β=1 (3 seeds)").
    const QList<QList<int>>& groups() const;
    QStringList groupLabels() const;
    // Whether some group has two runs or more: only then can ensemble mode be switched on.
    bool canGroup() const;
    bool ensembleMode() const;

    // Training curves, f, f' and the error of f', for export.
    QList<QChart*> charts() const;
    // Shows the rows of a QStandardItemModel through a TableSortModel.
    QTableView* table() const;
    // The table as it is sorted now, every number at full precision (shortest round-trip text).
    // In ensemble mode a row per group, and a median, a min and a max column per number.
    QStringList tableColumns() const;
    QList<QStringList> tableRows() const;
    // The same for the table exporter (numbers as doubles, NaN for a diverged run).
    DataTable comparisonTable() const;
    // comparisonTable() with each row's best validation epoch and, while the final errors
    // are shown, its MSE f and MSE f′: the comparison report's table.
    DataTable reportTable() const;
    bool shownEpochIsBest() const;
    // The note that final errors of constant-rate Adam are noisy (hidden unless it applies).
    NoisyFinalNote* noisyNote() const;

    bool trainLossVisible() const;
    // The colour of the run (group, in ensemble mode) at `index`, as the charts draw it.
    QColor runColor(int index) const;

    QSize sizeHint() const override;

    // One timeline under the charts replays every run with snapshots in step, each at its last
    // snapshot at or before the timeline's position; hidden when no run has any.
    RunTimeline* timeline() const { return m_timeline; }

  public slots:
    // Training loss as a dashed line beside each run's validation loss.
    void setTrainLossVisible(bool visible);
    // Seed ensembles as median and min–max band; ignored (stays off) unless canGroup(). Runs
    // without a seed partner turn it off.
    void setEnsembleMode(bool on);
    // The table and the error figures show the final errors or each run's best epoch's.
    void setShownEpoch(sobolev::ShownEpoch which);

  signals:
    void ensembleModeChanged(bool on);
    // The noisy-final-values note's button asked for best-epoch errors everywhere.
    void shownEpochRequested(sobolev::ShownEpoch which);
    // A table row was double-clicked (or Enter pressed on it).
    void runActivated(const QString& id);

  private:
    void updateLambdaChart();
    QWidget* createTable();
    void updateModeTexts();
    void fillTable();
    void fillRunRows();
    void fillGroupRows();
    void markBest(int column);
    QList<QVariant> rowValues(int run) const;
    QList<QVariant> groupRowValues(int group) const;
    QString stopReasonsText(int group, bool translated) const;
    void onActivated(const QModelIndex& index);
    void showStep();
    void updateTimeline();

    ComparisonCharts* m_charts = nullptr;
    class LambdaChart* m_lambda = nullptr;
    RunTimeline* m_timeline = nullptr;
    NoisyFinalNote* m_note = nullptr;
    QCheckBox* m_trainLossBox = nullptr;
    QComboBox* m_lossBox = nullptr; // weighted loss or unweighted MSE f and MSE f′
    QCheckBox* m_ensembleBox = nullptr;
    QLabel* m_hint = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr; // the rows in setRuns() (groups()) order
    TableSortModel* m_sorted = nullptr;    // as the table shows them
    QList<ComparedRun> m_runs;             // as shown: errors per m_shown
    QList<ComparedRun> m_givenRuns;        // as given to setRuns()
    ShownEpoch m_shown = ShownEpoch::Final;
    std::array<QString, ColumnCount> m_errorTitles; // the headers without shownEpochSuffix()
    QStringList m_labels;
    QList<QList<int>> m_groups;
    QStringList m_groupLabels;
    bool m_ensembleMode = false;
};

} // namespace sobolev
