#include "comparisonview.h"

#include "chartstyle.h"
#include "runhistory.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace sobolev {

namespace cs = chartstyle;

namespace {

// About two points per pixel column of the plot, as in the single-run charts: more only
// makes every repaint slower. The bucket count follows the plot's width.
constexpr int minBuckets = 100, maxBuckets = 1000;
// A resize re-decimates only once the width has changed by more than this fraction.
constexpr double rebuildTolerance = 0.2;
constexpr int rebuildDelayMs = 100;
constexpr double yMargin = 0.05;
// Where a network crosses the target its error dips towards zero; following those dips down
// the log axis would squash the rest of the curves into a few pixels.
constexpr double errorDecadesShown = 6;

constexpr int crowdedLegend = 6;

const QColor bestBackground(0xd8, 0xf0, 0xd0);


template <typename Value>
QList<QPointF> historyCurve(const std::vector<EpochMetrics>& history, Value value) {
    QList<QPointF> points;
    points.reserve(qsizetype(history.size()));
    for (const EpochMetrics& m : history)
        if (const auto y = cs::logSafe(value(m)))
            points.append({double(m.epoch), *y});
    return points;
}



void includeVisible(cs::Extent* extent, const QLineSeries* series) {
    if (series && series->isVisible())
        extent->include(series->points());
}

QString stopReasonText(StopReason reason) {
    switch (reason) {
    case StopReason::Completed:
        return ComparisonView::tr("completed");
    case StopReason::Stopped:
        return ComparisonView::tr("stopped");
    case StopReason::Diverged:
        return ComparisonView::tr("diverged");
    case StopReason::None:
        break;
    }
    return ComparisonView::tr("unknown");
}

// Errors in one form down the column, so their exponents line up; three significant digits.
QString errorText(double v) {
    return std::isnan(v) ? QStringLiteral("NaN") : QString::number(v, 'e', 2);
}

QString secondsText(double v) {
    if (!std::isfinite(v))
        return QStringLiteral("–");
    // "1.23e+03" reads worse than the whole seconds.
    return std::abs(v) >= 1000 ? QString::number(v, 'f', 0) : QString::number(v, 'g', 3);
}

// A diverged run's NaN sorts after every number rather than scrambling the order.
double sortable(double v) {
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
}

bool lowerIsBetter(int column) {
    switch (column) {
    case ComparisonView::MseFColumn:
    case ComparisonView::MseFprimeColumn:
    case ComparisonView::MaxErrFColumn:
    case ComparisonView::MaxErrFprimeColumn:
    case ComparisonView::SecondsColumn:
        return true;
    default:
        // More epochs are neither better nor worse: they are a knob, not a result.
        return false;
    }
}

} // namespace

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent) {
    auto* outer = new QSplitter(Qt::Vertical, this);
    outer->setChildrenCollapsible(false);
    outer->addWidget(createCharts());
    outer->addWidget(createTable());
    // The charts are what the eye compares; the table needs a few rows. setSizes() before the
    // first layout sets proportions, and the stretch factors keep them on resize.
    outer->setSizes({3000, 1000});
    outer->setStretchFactor(0, 3);
    outer->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(outer);

    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(rebuildDelayMs);
    connect(&m_rebuildTimer, &QTimer::timeout, this, [this] {
        rebuildCurves();
        updateRanges();
    });
    setRuns({});
}

ComparisonView::~ComparisonView() = default;

QWidget* ComparisonView::createCharts() {
    struct PlotSpec {
        QString title, xTitle, yTitle;
        bool logY;
    };
    const std::array<PlotSpec, PlotCount> specs{{
        {tr("Validation loss"), tr("epoch"), tr("loss"), true},
        {tr("f(x): target and networks"), tr("x"), tr("f(x)"), false},
        {tr("f′(x) and ∂<sub>x</sub>f<sub>θ</sub>(x)"), tr("x"), tr("f′(x)"), false},
        {tr("Pointwise error |f′ − ∂<sub>x</sub>f<sub>θ</sub>|"), tr("x"), tr("|error|"), true},
    }};
    for (int p = 0; p < PlotCount; ++p) {
        auto* chart = new QChart;
        chart->setTitle(specs[p].title);
        m_views[p] = cs::createChartView(chart, nullptr);
        m_xAxes[p] = cs::createValueAxis(specs[p].xTitle, p == LossPlot ? QStringLiteral("%.0f")
                                                                        : QStringLiteral("%g"));
        chart->addAxis(m_xAxes[p], Qt::AlignBottom);
        if (specs[p].logY) {
            auto* axis = cs::createLogAxis(specs[p].yTitle);
            chart->addAxis(axis, Qt::AlignLeft);
            cs::keepLogLabelsReadable(chart, axis);
            m_yAxes[p] = axis;
        } else {
            auto* axis = cs::createValueAxis(specs[p].yTitle, QStringLiteral("%g"));
            chart->addAxis(axis, Qt::AlignLeft);
            m_yAxes[p] = axis;
        }
        // Run labels can be long ("β=0.1, lr=1e-3, seed 2") and there may be ten of them; a
        // horizontal legend in Qt 6.4 elides its entries rather than wrapping them.
        chart->legend()->setAlignment(Qt::AlignRight);
        const auto plot = Plot(p);
        connect(chart, &QChart::plotAreaChanged, this, [this, plot] { onPlotAreaChanged(plot); });
    }

    // Two rows of two; the rows' column splitters move together so the charts stay aligned.
    auto* top = new QSplitter(Qt::Horizontal);
    auto* bottom = new QSplitter(Qt::Horizontal);
    top->addWidget(m_views[LossPlot]);
    top->addWidget(m_views[FunctionPlot]);
    bottom->addWidget(m_views[DerivativePlot]);
    bottom->addWidget(m_views[ErrorPlot]);
    for (auto [from, to] : {std::pair{top, bottom}, std::pair{bottom, top}}) {
        from->setChildrenCollapsible(false);
        connect(from, &QSplitter::splitterMoved, to, [from, to] {
            if (to->sizes() != from->sizes())
                to->setSizes(from->sizes());
        });
    }
    auto* grid = new QSplitter(Qt::Vertical);
    grid->setChildrenCollapsible(false);
    grid->addWidget(top);
    grid->addWidget(bottom);
    return grid;
}

QWidget* ComparisonView::createTable() {
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setSortRole(SortRole);
    const std::array<std::pair<QString, QString>, ColumnCount> headers{{
        {tr("Run"), tr("The knobs in which the runs differ")},
        {tr("Name"), QString()},
        {tr("MSE f"), tr("Mean squared error of f on the test grid")},
        {tr("MSE f'"), tr("Mean squared error of f′ on the test grid")},
        {tr("max |err| f"), tr("Largest |f − f_θ| on the test grid")},
        {tr("max |err| f'"), tr("Largest |f′ − ∂ₓf_θ| on the test grid")},
        {tr("Epochs"), tr("Epochs run")},
        {tr("Train time (s)"), tr("Training time in seconds")},
        {tr("Stop reason"), QString()},
    }};
    for (int c = 0; c < ColumnCount; ++c) {
        auto* item = new QStandardItem(headers[c].first);
        item->setToolTip(headers[c].second);
        m_model->setHorizontalHeaderItem(c, item);
    }

    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    // Text-high rows: the styles' default leaves room for fewer runs than the space allows.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicator(LabelColumn, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    // `activated` is a double-click, or a single click where the platform activates on one,
    // or Enter.
    connect(m_table, &QTableView::activated, this, &ComparisonView::onActivated);

    m_trainLossBox = new QCheckBox(tr("Show training loss (dashed)"));
    m_trainLossBox->setToolTip(tr("Draw each run's training loss beside its validation loss"));
    connect(m_trainLossBox, &QCheckBox::toggled, this, &ComparisonView::setTrainLossVisible);
    auto* hint = new QLabel(tr("Best value per column in bold. Double-click a run to open it."));
    hint->setEnabled(false); // greyed: a hint, not content

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 0);
    controls->addWidget(m_trainLossBox);
    controls->addStretch();
    controls->addWidget(hint);

    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(m_table);
    return panel;
}

void ComparisonView::setRuns(const QList<ComparedRun>& runs) {
    m_runs = runs;
    QList<TrainConfig> configs;
    for (const ComparedRun& r : runs)
        configs << r.run.config;
    m_labels = differenceLabels(configs);
    m_runShown = QList<bool>(runs.size(), true);

    // Qt drops the legend entries that don't fit the chart's height; a smaller font lets about
    // twelve fit where ten would.
    QFont legendFont = font();
    if (m_runs.size() > crowdedLegend)
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    for (QChartView* view : m_views)
        view->chart()->legend()->setFont(legendFont);

    createSeries();
    rebuildCurves();
    for (int r = 0; r < m_runs.size(); ++r)
        applyRunVisibility(r);
    updateRanges();
    fillTable();
}

const QList<ComparedRun>& ComparisonView::runs() const {
    return m_runs;
}

QStringList ComparisonView::labels() const {
    return m_labels;
}

QList<QChart*> ComparisonView::charts() const {
    QList<QChart*> charts;
    for (QChartView* view : m_views)
        charts << view->chart();
    return charts;
}

QTableView* ComparisonView::table() const {
    return m_table;
}

QStringList ComparisonView::tableColumns() const {
    QStringList columns;
    for (int c = 0; c < ColumnCount; ++c)
        columns << m_model->horizontalHeaderItem(c)->text();
    return columns;
}

QList<QStringList> ComparisonView::tableRows() const {
    QList<QStringList> rows;
    for (const QList<QVariant>& values : comparisonTable().rows) {
        QStringList row;
        for (const QVariant& v : values)
            row << (v.typeId() == QMetaType::Double ? formatNumber(v.toDouble()) : v.toString());
        rows << row;
    }
    return rows;
}

DataTable ComparisonView::comparisonTable() const {
    DataTable table{tr("Run comparison (test grid)"), tableColumns(), {}};
    // In the order the user sorted the table to.
    for (int row = 0; row < m_model->rowCount(); ++row)
        table.rows << rowValues(m_model->item(row, LabelColumn)->data(RunIndexRole).toInt());
    return table;
}

bool ComparisonView::trainLossVisible() const {
    return m_trainLossVisible;
}

QColor ComparisonView::runColor(int index) {
    // Okabe-Ito without its black (the target's colour) and its pale yellow (unreadable on
    // white), darkened yellow instead, then Paul Tol's wine, indigo and teal.
    static const std::array<QColor, 10> palette{{
        QColor(0x00, 0x72, 0xb2), // blue
        QColor(0xd5, 0x5e, 0x00), // vermillion
        QColor(0x00, 0x9e, 0x73), // bluish green
        QColor(0xcc, 0x79, 0xa7), // reddish purple
        QColor(0xe6, 0x9f, 0x00), // orange
        QColor(0x56, 0xb4, 0xe9), // sky blue
        QColor(0x8c, 0x6d, 0x00), // dark yellow
        QColor(0x88, 0x22, 0x55), // wine
        QColor(0x33, 0x22, 0x88), // indigo
        QColor(0x44, 0xaa, 0x99), // teal
    }};
    return palette[size_t(std::max(index, 0)) % palette.size()];
}

QSize ComparisonView::sizeHint() const {
    return {1200, 800};
}

void ComparisonView::setTrainLossVisible(bool visible) {
    if (m_trainLossVisible == visible)
        return;
    m_trainLossVisible = visible;
    {
        const QSignalBlocker blocker(m_trainLossBox);
        m_trainLossBox->setChecked(visible);
    }
    m_views[LossPlot]->chart()->setTitle(
        visible ? tr("Validation loss (solid) and training loss (dashed)") : tr("Validation loss"));
    for (int r = 0; r < m_runs.size(); ++r)
        applyRunVisibility(r);
    updateRanges();
}

void ComparisonView::createSeries() {
    for (QChartView* view : m_views)
        view->chart()->removeAllSeries();
    m_series.clear();
    m_trueF = m_trueFprime = nullptr;

    // The target is drawn last, on top of the networks (a black dashed line over coloured
    // ones lets both be seen where a network fits well), but named first in the legend: with
    // many runs Qt drops the entries that don't fit, and the last one must not be the target.
    // A series without points stands in for it there.
    const QColor truth = cs::color(cs::Role::Truth);
    const std::array<std::pair<Plot, QString>, 2> targets{
        {{FunctionPlot, tr("true f")}, {DerivativePlot, tr("true f′")}}};
    std::array<QLineSeries*, 2> legendEntries{};
    for (size_t t = 0; t < targets.size(); ++t)
        legendEntries[t] = addSeries(targets[t].first, targets[t].second, truth, Qt::DashLine, 1.0);

    for (int r = 0; r < m_runs.size(); ++r) {
        const QColor color = runColor(r);
        const QString& label = m_labels[r];
        RunSeries s;
        s.valLoss = addSeries(LossPlot, label, color, Qt::SolidLine, 1.6);
        // Dashed pens one pixel wide: the raster engine dashes those on its fast path.
        s.trainLoss = addSeries(LossPlot, tr("%1 (training)").arg(label), color, Qt::DashLine, 1.0);
        s.f = addSeries(FunctionPlot, label, color, Qt::SolidLine, 1.6);
        s.fprime = addSeries(DerivativePlot, label, color, Qt::SolidLine, 1.6);
        s.error = addSeries(ErrorPlot, label, color, Qt::SolidLine, 1.6);
        const std::array<std::pair<Plot, QLineSeries*>, 5> all{{{LossPlot, s.valLoss},
                                                                {LossPlot, s.trainLoss},
                                                                {FunctionPlot, s.f},
                                                                {DerivativePlot, s.fprime},
                                                                {ErrorPlot, s.error}}};
        for (auto [plot, series] : all) {
            connect(series, &QLineSeries::hovered, this,
                    [this, plot, r](const QPointF& point, bool state) {
                        showReadout(plot, r, point, state);
                    });
        }
        for (QLineSeries* series : {s.valLoss, s.f, s.fprime, s.error}) {
            QLegendMarker* marker = series->chart()->legend()->markers(series).constFirst();
            connect(marker, &QLegendMarker::clicked, this,
                    [this, r] { setRunShown(r, !m_runShown[r]); });
        }
        m_series << s;
    }

    for (size_t t = 0; t < targets.size(); ++t) {
        const Plot plot = targets[t].first;
        QLineSeries* series = addSeries(plot, targets[t].second, truth, Qt::DashLine, 1.0);
        (plot == FunctionPlot ? m_trueF : m_trueFprime) = series;
        QLegendMarker* drawn = series->chart()->legend()->markers(series).constFirst();
        drawn->setVisible(false);
        connect(series, &QLineSeries::hovered, this,
                [this, plot](const QPointF& point, bool state) {
                    showReadout(plot, -1, point, state);
                });
        QLegendMarker* entry = series->chart()->legend()->markers(legendEntries[t]).constFirst();
        connect(entry, &QLegendMarker::clicked, this, [this, series, drawn, entry] {
            series->setVisible(!series->isVisible());
            // Showing a series shows its marker too.
            drawn->setVisible(false);
            cs::setMarkerShown(entry, series->isVisible());
            updateRanges();
        });
    }
}

QLineSeries* ComparisonView::addSeries(Plot plot, const QString& name, const QColor& color,
                                       Qt::PenStyle style, qreal width) {
    QLineSeries* series = cs::createLineSeries(name, color, style, width);
    QChart* chart = m_views[plot]->chart();
    chart->addSeries(series);
    series->attachAxis(m_xAxes[plot]);
    series->attachAxis(m_yAxes[plot]);
    return series;
}

void ComparisonView::rebuildCurves() {
    m_rebuildTimer.stop();
    for (int p = 0; p < PlotCount; ++p)
        m_buckets[p] = bucketsFor(Plot(p));

    const Predictions* reference = nullptr;
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunRecord& run = m_runs[r].run;
        const Predictions& p = run.predictions;
        const RunSeries& s = m_series[r];
        const auto env = cs::Decimation::Envelope;
        s.valLoss->replace(
            cs::decimated(historyCurve(run.history, [](const auto& m) { return m.valLoss; }),
                      m_buckets[LossPlot], env, true));
        s.trainLoss->replace(
            cs::decimated(historyCurve(run.history, [](const auto& m) { return m.loss; }),
                      m_buckets[LossPlot], cs::Decimation::Trend, true));
        s.f->replace(cs::decimated(cs::curve(p.x, p.fHat), m_buckets[FunctionPlot], env, false));
        s.fprime->replace(
            cs::decimated(cs::curve(p.x, p.fprimeHat), m_buckets[DerivativePlot], env, false));
        s.error->replace(
            cs::decimated(cs::errorCurve(p.x, p.fprime, p.fprimeHat), m_buckets[ErrorPlot], env, true));
        // The densest grid draws the target best.
        if (!reference || p.x.size() > reference->x.size())
            reference = &p;
    }
    if (m_trueF) {
        const Predictions empty;
        const Predictions& p = reference ? *reference : empty;
        // The target is smooth: its trend is the curve.
        m_trueF->replace(
            cs::decimated(cs::curve(p.x, p.f), m_buckets[FunctionPlot], cs::Decimation::Trend, false));
        m_trueFprime->replace(cs::decimated(cs::curve(p.x, p.fprime), m_buckets[DerivativePlot],
                                        cs::Decimation::Trend, false));
    }
}

void ComparisonView::updateRanges() {
    std::array<cs::Extent, PlotCount> y;
    cs::Extent x;
    double lastEpoch = 2;
    for (const RunSeries& s : m_series) {
        includeVisible(&y[LossPlot], s.valLoss);
        includeVisible(&y[LossPlot], s.trainLoss);
        includeVisible(&y[FunctionPlot], s.f);
        includeVisible(&y[DerivativePlot], s.fprime);
        includeVisible(&y[ErrorPlot], s.error);
    }
    includeVisible(&y[FunctionPlot], m_trueF);
    includeVisible(&y[DerivativePlot], m_trueFprime);
    for (const ComparedRun& r : m_runs) {
        if (!r.run.history.empty())
            lastEpoch = std::max(lastEpoch, double(r.run.history.back().epoch));
        for (double v : r.run.predictions.x)
            x.include(v);
    }

    // Whole epochs only: a tick at 2.5 would be labelled "2" or "3".
    cs::setValueRange(m_xAxes[LossPlot], {1, lastEpoch}, 5, 1);
    const cs::Range xRange = x.isEmpty() || !x.range().isValid() ? cs::Range{-1, 1} : x.range();
    for (Plot p : {FunctionPlot, DerivativePlot, ErrorPlot})
        cs::setValueRange(m_xAxes[p], xRange, 4);

    for (Plot p : {FunctionPlot, DerivativePlot})
        cs::setValueRange(static_cast<QValueAxis*>(m_yAxes[p]),
                          cs::paddedRange(y[p], yMargin, {0, 1}), 5);

    cs::setLogRange(m_views[LossPlot]->chart(), static_cast<QLogValueAxis*>(m_yAxes[LossPlot]),
                    cs::decadeRange(y[LossPlot], {1e-4, 1}));
    cs::Extent error;
    if (!y[ErrorPlot].isEmpty()) {
        const double hi = y[ErrorPlot].range().hi;
        error.include(std::max(y[ErrorPlot].range().lo, hi * std::pow(10.0, -errorDecadesShown)));
        error.include(hi);
    }
    cs::setLogRange(m_views[ErrorPlot]->chart(), static_cast<QLogValueAxis*>(m_yAxes[ErrorPlot]),
                    cs::decadeRange(error, {1e-6, 1}));
}

QList<QVariant> ComparisonView::rowValues(int run) const {
    const ComparedRun& r = m_runs[run];
    const FitReport& m = r.run.report;
    QList<QVariant> values{m_labels[run], r.name};
    values << m.mseF << m.mseFprime << m.maxErrF << m.maxErrFprime << m.epochsRun << m.trainSeconds
           << QString::fromUtf8(stopReasonName(m.stopReason).data());
    return values;
}

void ComparisonView::fillTable() {
    m_model->setRowCount(0);
    for (int r = 0; r < m_runs.size(); ++r) {
        const ComparedRun& run = m_runs[r];
        const FitReport& m = run.run.report;
        QList<QStandardItem*> row;
        for (int c = 0; c < ColumnCount; ++c)
            row << new QStandardItem;

        row[LabelColumn]->setText(m_labels[r]);
        // Sorted in setRuns order (a sweep's order), not by the alphabet's "β=10" before "β=2".
        row[LabelColumn]->setData(r, SortRole);
        row[LabelColumn]->setData(runColor(r), Qt::DecorationRole);
        row[LabelColumn]->setData(run.id, IdRole);
        row[LabelColumn]->setData(r, RunIndexRole);
        row[LabelColumn]->setToolTip(knobsDetails(run.run.config));
        row[NameColumn]->setText(run.name);
        row[NameColumn]->setData(run.name, SortRole);

        const std::array<std::pair<int, double>, 5> numbers{{{MseFColumn, m.mseF},
                                                             {MseFprimeColumn, m.mseFprime},
                                                             {MaxErrFColumn, m.maxErrF},
                                                             {MaxErrFprimeColumn, m.maxErrFprime},
                                                             {SecondsColumn, m.trainSeconds}}};
        for (auto [column, value] : numbers) {
            row[column]->setText(column == SecondsColumn ? secondsText(value) : errorText(value));
            row[column]->setData(sortable(value), SortRole);
            row[column]->setToolTip(formatNumber(value));
        }
        row[EpochsColumn]->setText(QString::number(m.epochsRun));
        row[EpochsColumn]->setData(m.epochsRun, SortRole);
        for (int c = MseFColumn; c <= SecondsColumn; ++c)
            row[c]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);

        row[StopReasonColumn]->setText(stopReasonText(m.stopReason));
        row[StopReasonColumn]->setData(int(m.stopReason), SortRole);
        row[StopReasonColumn]->setToolTip(QString::fromStdString(m.stopMessage));
        m_model->appendRow(row);
    }
    for (int c = 0; c < ColumnCount; ++c)
        markBest(c);
    // The rows arrive in setRuns order; the user's chosen sort still applies.
    const QHeaderView* header = m_table->horizontalHeader();
    m_model->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_table->resizeColumnsToContents();
}

void ComparisonView::markBest(int column) {
    if (!lowerIsBetter(column))
        return;
    // The marking lives on the items, so it moves with them when the table is re-sorted.
    QList<double> values;
    for (int row = 0; row < m_model->rowCount(); ++row)
        values << m_model->item(row, column)->data(SortRole).toDouble();
    QList<double> finite;
    std::copy_if(values.cbegin(), values.cend(), std::back_inserter(finite),
                 [](double v) { return std::isfinite(v); });
    if (finite.isEmpty())
        return;
    const auto [lo, hi] = std::minmax_element(finite.cbegin(), finite.cend());
    // With one run, or all runs alike, every cell would be "best": no information.
    if (finite.size() < 2 || *lo == *hi)
        return;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (values[row] != *lo)
            continue;
        QStandardItem* item = m_model->item(row, column);
        QFont font = m_table->font();
        font.setBold(true);
        item->setFont(font);
        item->setBackground(bestBackground);
        // Dark text whatever the palette: light text on the light green would vanish.
        item->setForeground(QColor(Qt::black));
        item->setData(true, BestRole);
        item->setToolTip(tr("%1 (best)").arg(item->toolTip()));
    }
}

int ComparisonView::bucketsFor(Plot plot) const {
    const double width = m_views[plot]->chart()->plotArea().width();
    // Before the first layout there is no plot area; assume a wide one.
    return width > 0 ? std::clamp(int(width), minBuckets, maxBuckets) : maxBuckets;
}

void ComparisonView::onPlotAreaChanged(Plot plot) {
    // Only a real change of width: the ranges set after a rebuild move the plot area a few
    // pixels too, and must not start another rebuild.
    const int wanted = bucketsFor(plot);
    if (std::abs(wanted - m_buckets[plot]) > rebuildTolerance * m_buckets[plot])
        m_rebuildTimer.start();
}

void ComparisonView::setRunShown(int run, bool shown) {
    m_runShown[run] = shown;
    applyRunVisibility(run);
    updateRanges();
}

void ComparisonView::applyRunVisibility(int run) {
    const RunSeries& s = m_series[run];
    const bool shown = m_runShown[run];
    for (QLineSeries* series : {s.valLoss, s.f, s.fprime, s.error}) {
        series->setVisible(shown);
        // A hidden run stays in the legend, dimmed, so it can be clicked back on.
        cs::setMarkerShown(series->chart()->legend()->markers(series).constFirst(), shown);
    }
    s.trainLoss->setVisible(shown && m_trainLossVisible);
    // One legend entry per run: the dashed line is explained by the chart title.
    s.trainLoss->chart()->legend()->markers(s.trainLoss).constFirst()->setVisible(false);
}

void ComparisonView::showReadout(Plot plot, int run, const QPointF& point, bool state) {
    if (!state) {
        cs::showHoverText(m_views[plot], false, {});
        return;
    }
    if (plot == LossPlot && run >= 0) {
        // The stored values of the nearest epoch, not the decimated or interpolated ones.
        const std::vector<EpochMetrics>& history = m_runs[run].run.history;
        if (history.empty())
            return;
        const int epoch = int(std::lround(point.x()));
        auto it = std::lower_bound(history.cbegin(), history.cend(), epoch,
                                   [](const EpochMetrics& m, int e) { return m.epoch < e; });
        if (it == history.cend())
            --it;
        cs::showHoverText(m_views[plot], true,
                          {m_labels[run], tr("epoch %1").arg(it->epoch),
                           tr("validation loss %1").arg(it->valLoss, 0, 'g', 4),
                           tr("training loss %1").arg(it->loss, 0, 'g', 4)});
        return;
    }
    const QString name = run >= 0               ? m_labels[run]
                         : plot == FunctionPlot ? tr("true f")
                                                : tr("true f′");
    cs::showHoverText(
        m_views[plot], true,
        {name, tr("x = %1").arg(point.x(), 0, 'g', 3), tr("y = %1").arg(point.y(), 0, 'g', 4)});
}

void ComparisonView::onActivated(const QModelIndex& index) {
    if (!index.isValid())
        return;
    const QStandardItem* label = m_model->item(index.row(), LabelColumn);
    if (label)
        emit runActivated(label->data(IdRole).toString());
}

} // namespace sobolev
