#pragma once

#include "comparison.h"
#include "tablewriter.h"

#include <QList>
#include <QTimer>
#include <QWidget>

#include <array>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QLineSeries;
class QModelIndex;
class QPointF;
class QStandardItemModel;
class QTableView;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

// Several finished runs side by side: their loss curves, fits, derivatives and errors
// overlaid in four charts, one colour per run, and a sortable table of their test-grid
// metrics with the best value of each column marked.
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
        EpochsColumn,
        SecondsColumn,
        StopReasonColumn,
        ColumnCount
    };
    // On every cell: the value the column sorts by (numbers for the numeric columns, a NaN
    // counting as +infinity; the run's position in setRuns() for the label column).
    static constexpr int SortRole = Qt::UserRole;
    // On the label cell: the run's id; its position in setRuns().
    static constexpr int IdRole = Qt::UserRole + 1;
    static constexpr int RunIndexRole = Qt::UserRole + 2;
    // On every cell: whether it holds the column's best value.
    static constexpr int BestRole = Qt::UserRole + 3;

    explicit ComparisonView(QWidget* parent = nullptr);
    ~ComparisonView() override;

    void setRuns(const QList<sobolev::ComparedRun>& runs);
    const QList<ComparedRun>& runs() const;
    QStringList labels() const; // differenceLabels() of the runs, in setRuns() order

    // Training curves, f, f' and the error of f', for export.
    QList<QChart*> charts() const;
    QTableView* table() const;
    // The table as it is sorted now, every number at full precision (shortest round-trip text).
    QStringList tableColumns() const;
    QList<QStringList> tableRows() const;
    // The same for the table exporter (numbers as doubles, NaN for a diverged run).
    DataTable comparisonTable() const;

    bool trainLossVisible() const;
    // The colour of the run at `index` in setRuns(); the palette repeats after ten runs.
    static QColor runColor(int index);

    QSize sizeHint() const override;

  public slots:
    // Training loss as a dashed line beside each run's validation loss.
    void setTrainLossVisible(bool visible);

  signals:
    // A table row was double-clicked (or Enter pressed on it).
    void runActivated(const QString& id);

  private:
    enum Plot { LossPlot, FunctionPlot, DerivativePlot, ErrorPlot, PlotCount };
    // One run's curves; the train loss is only shown on request.
    struct RunSeries {
        QLineSeries* valLoss = nullptr;
        QLineSeries* trainLoss = nullptr;
        QLineSeries* f = nullptr;
        QLineSeries* fprime = nullptr;
        QLineSeries* error = nullptr;
    };

    QWidget* createCharts();
    QWidget* createTable();
    void createSeries();
    QLineSeries* addSeries(Plot plot, const QString& name, const QColor& color, Qt::PenStyle style,
                           qreal width);
    void rebuildCurves();
    void updateRanges();
    void fillTable();
    void markBest(int column);
    QList<QVariant> rowValues(int run) const;
    int bucketsFor(Plot plot) const;
    void onPlotAreaChanged(Plot plot);
    void setRunShown(int run, bool shown);
    void applyRunVisibility(int run);
    void showReadout(Plot plot, int run, const QPointF& point, bool state);
    void onActivated(const QModelIndex& index);

    std::array<QChartView*, PlotCount> m_views{};
    std::array<QValueAxis*, PlotCount> m_xAxes{};
    std::array<QAbstractAxis*, PlotCount> m_yAxes{};
    std::array<int, PlotCount> m_buckets{};
    QLineSeries* m_trueF = nullptr;
    QLineSeries* m_trueFprime = nullptr;
    QList<RunSeries> m_series;
    QList<bool> m_runShown;
    QCheckBox* m_trainLossBox = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr;
    QList<ComparedRun> m_runs;
    QStringList m_labels;
    bool m_trainLossVisible = false;
    // Coalesces the re-decimation a resize asks for.
    QTimer m_rebuildTimer;
};

} // namespace sobolev
