#include "comparisonview.h"

#include "chartstyle.h"
#include "ensemble.h"
#include "runhistory.h"

#include <QAreaSeries>
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
#include <QRegularExpression>
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
// A seed band's fill: light enough that two overlapping bands and the lines on them stay
// readable. The training loss's band is lighter still: it sits under the validation band.
constexpr int bandAlpha = 56, trainBandAlpha = 28;
// A band needs fewer points than a line: its edges are drawn from one per this many buckets.
constexpr int bandBucketRatio = 2;

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

void includeVisible(cs::Extent* extent, const QAreaSeries* band) {
    if (band && band->isVisible()) {
        extent->include(band->upperSeries()->points());
        extent->include(band->lowerSeries()->points());
    }
}

// The points (x[i], y[i]) a plot can draw: the finite ones, on a log axis the positive ones.
QList<QPointF> drawable(const std::vector<double>& x, const std::vector<double>& y, bool logY) {
    QList<QPointF> points;
    const size_t n = std::min(x.size(), y.size());
    points.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]))
            continue;
        if (logY) {
            if (const auto v = cs::logSafe(y[i]))
                points.append({x[i], *v});
        } else if (std::isfinite(y[i])) {
            points.append({x[i], y[i]});
        }
    }
    return points;
}

bool drawableY(double y, bool logY) {
    return logY ? cs::logSafe(y).has_value() : std::isfinite(y);
}

// A min–max band's edges. Up to 2 * buckets points they are the band's own points; beyond,
// one point per bucket of consecutive indices: the smallest min and the largest max in it,
// so the band still holds every run's spikes. Each bucket sits at its middle x, the first
// and the last at the curve's ends.
struct BandEdges {
    QList<QPointF> upper, lower;
};

BandEdges bandEdges(const std::vector<double>& x, const Band& band, qsizetype buckets, bool logY) {
    BandEdges edges;
    const qsizetype n = qsizetype(std::min(x.size(), band.size()));
    if (n <= 2 * buckets) {
        for (qsizetype i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]))
                continue;
            if (drawableY(band.max[i], logY))
                edges.upper.append({x[i], band.max[i]});
            if (drawableY(band.min[i], logY))
                edges.lower.append({x[i], band.min[i]});
        }
        return edges;
    }
    edges.upper.reserve(buckets);
    edges.lower.reserve(buckets);
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = n * b / buckets, end = n * (b + 1) / buckets;
        if (begin == end)
            continue;
        const double bx = b == 0             ? x[begin]
                          : b == buckets - 1 ? x[end - 1]
                                             : 0.5 * (x[begin] + x[end - 1]);
        std::optional<double> lo, hi;
        for (qsizetype i = begin; i < end; ++i) {
            if (drawableY(band.min[i], logY))
                lo = lo ? std::min(*lo, band.min[i]) : band.min[i];
            if (drawableY(band.max[i], logY))
                hi = hi ? std::max(*hi, band.max[i]) : band.max[i];
        }
        if (!std::isfinite(bx))
            continue;
        if (hi)
            edges.upper.append({bx, *hi});
        if (lo)
            edges.lower.append({bx, *lo});
    }
    return edges;
}

void setBand(QAreaSeries* area, const BandEdges& edges) {
    if (!area)
        return;
    area->upperSeries()->replace(edges.upper);
    area->lowerSeries()->replace(edges.lower);
}

// "3.1e-7" and "2e3" rather than "3.1e-07" and "2e+03".
QString shortExponent(QString text) {
    static const QRegularExpression paddedExponent(QStringLiteral("e([+-])0*(\\d)"));
    text.replace(paddedExponent, QStringLiteral("e\\1\\2"));
    return text.replace(QStringLiteral("e+"), QStringLiteral("e"));
}

// Two significant digits and a short exponent, "3.1e-7", so that "mean ± std" fits a column.
QString shortErrorText(double v) {
    return shortExponent(QString::number(v, 'e', 1));
}

QString epochsText(double v) {
    return v == std::round(v) ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
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

enum class NumberKind { Error, Epochs, Seconds };

QString numberText(double v, NumberKind kind, bool compact) {
    switch (kind) {
    case NumberKind::Error:
        return compact ? shortErrorText(v) : errorText(v);
    case NumberKind::Epochs:
        return epochsText(v);
    case NumberKind::Seconds:
        break;
    }
    return secondsText(v);
}

// "3.1e-7 ± 1.2e-7"; a single run's value alone (its spread is unknown, not zero); with the
// number of runs the statistics are over when some diverged.
QString spreadText(const Spread& s, NumberKind kind) {
    if (s.count == 0)
        return QStringLiteral("NaN");
    QString text = numberText(s.mean, kind, true);
    if (s.count > 1) {
        // Two digits of a time's spread are plenty: "12.3 ± 0.41", not "± 0.000108".
        const QString spread = kind != NumberKind::Seconds ? numberText(s.std, kind, true)
                               : std::abs(s.std) >= 100
                                   ? QString::number(s.std, 'f', 0)
                                   : shortExponent(QString::number(s.std, 'g', 2));
        text += QStringLiteral(" ± ") + spread;
    }
    if (s.nonFinite > 0)
        text += ComparisonView::tr(" (%1 of %2 runs)").arg(s.count).arg(s.count + s.nonFinite);
    return text;
}

QString spreadDetails(const Spread& s) {
    if (s.count == 0)
        return ComparisonView::tr("no finite value: every run diverged");
    QString text = ComparisonView::tr("mean %1, std %2\nmin %3, max %4\nover %5 runs")
                       .arg(formatNumber(s.mean), formatNumber(s.std), formatNumber(s.min),
                            formatNumber(s.max))
                       .arg(s.count);
    if (s.nonFinite > 0)
        text += ComparisonView::tr("; %1 non-finite left out").arg(s.nonFinite);
    return text;
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
    m_ensembleBox = new QCheckBox(tr("Group seeds (mean and min–max band)"));
    connect(m_ensembleBox, &QCheckBox::toggled, this, &ComparisonView::setEnsembleMode);
    m_hint = new QLabel;
    m_hint->setEnabled(false); // greyed: a hint, not content

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 0);
    controls->addWidget(m_trainLossBox);
    controls->addSpacing(12);
    controls->addWidget(m_ensembleBox);
    controls->addStretch();
    controls->addWidget(m_hint);

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
    m_groups = groupBySeed(configs);
    m_groupLabels = sobolev::groupLabels(configs, m_groups);
    m_runShown = QList<bool>(runs.size(), true);
    m_groupShown = QList<bool>(m_groups.size(), true);
    m_targetShown = {true, true};

    const bool wasEnsemble = m_ensembleMode;
    m_ensembleMode = m_ensembleMode && canGroup();
    {
        const QSignalBlocker blocker(m_ensembleBox);
        m_ensembleBox->setEnabled(canGroup());
        m_ensembleBox->setChecked(m_ensembleMode);
    }
    m_ensembleBox->setToolTip(
        canGroup() ? tr("Draw the runs that differ only in their seed as one curve each: their "
                        "mean, and the band between their smallest and largest value")
                   : tr("No two runs differ only in their seed"));

    updateModeTexts();
    createSeries();
    rebuildCurves();
    updateRanges();
    fillTable();
    if (wasEnsemble != m_ensembleMode)
        emit ensembleModeChanged(m_ensembleMode);
}

void ComparisonView::updateLegendFont() {
    // Qt drops the legend entries that don't fit the chart's height; a smaller font lets about
    // twelve fit where ten would.
    QFont legendFont = font();
    if ((m_ensembleMode ? m_groups.size() : m_runs.size()) > crowdedLegend)
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    for (QChartView* view : m_views)
        view->chart()->legend()->setFont(legendFont);
}

void ComparisonView::updateModeTexts() {
    updateLegendFont();
    const QString lossTitle = m_trainLossVisible
                                  ? tr("Validation loss (solid) and training loss (dashed)")
                                  : tr("Validation loss");
    m_views[LossPlot]->chart()->setTitle(
        m_ensembleMode ? tr("%1: mean and min–max over seeds").arg(lossTitle) : lossTitle);
    m_hint->setText(m_ensembleMode ? tr("Mean ± std over the seeds; best mean per column in bold.")
                                   : tr("Best value per column in bold. Double-click a run to "
                                        "open it."));
    QStandardItem* name = m_model->horizontalHeaderItem(NameColumn);
    name->setText(m_ensembleMode ? tr("Seeds") : tr("Name"));
    name->setToolTip(m_ensembleMode ? tr("The seeds of the group's runs") : QString());
}

const QList<ComparedRun>& ComparisonView::runs() const {
    return m_runs;
}

QStringList ComparisonView::labels() const {
    return m_labels;
}

const QList<QList<int>>& ComparisonView::groups() const {
    return m_groups;
}

QStringList ComparisonView::groupLabels() const {
    return m_groupLabels;
}

bool ComparisonView::canGroup() const {
    return std::any_of(m_groups.cbegin(), m_groups.cend(),
                       [](const QList<int>& g) { return g.size() >= 2; });
}

bool ComparisonView::ensembleMode() const {
    return m_ensembleMode;
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
    for (int c = 0; c < ColumnCount; ++c) {
        const QString header = m_model->horizontalHeaderItem(c)->text();
        if (!m_ensembleMode) {
            columns << header;
        } else if (c >= MseFColumn && c <= SecondsColumn) {
            columns << tr("%1 (mean)").arg(header) << tr("%1 (std)").arg(header);
        } else {
            columns << header;
            if (c == NameColumn)
                columns << tr("Runs");
        }
    }
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
    if (m_ensembleMode)
        table.title = tr("Seed ensemble comparison (test grid)");
    // In the order the user sorted the table to.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QStandardItem* label = m_model->item(row, LabelColumn);
        table.rows << (m_ensembleMode ? groupRowValues(label->data(GroupIndexRole).toInt())
                                      : rowValues(label->data(RunIndexRole).toInt()));
    }
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
    updateModeTexts();
    for (int r = 0; r < m_series.size(); ++r)
        applyRunVisibility(r);
    for (int g = 0; g < m_groupSeries.size(); ++g)
        applyGroupVisibility(g);
    updateRanges();
}

void ComparisonView::setEnsembleMode(bool on) {
    on = on && canGroup();
    const bool changed = on != m_ensembleMode;
    if (changed) {
        m_ensembleMode = on;
        updateModeTexts();
        createSeries();
        rebuildCurves();
        updateRanges();
        fillTable();
    }
    {
        // Also unticks the box when the request was refused.
        const QSignalBlocker blocker(m_ensembleBox);
        m_ensembleBox->setChecked(m_ensembleMode);
    }
    if (changed)
        emit ensembleModeChanged(m_ensembleMode);
}

void ComparisonView::createSeries() {
    for (QChartView* view : m_views)
        view->chart()->removeAllSeries();
    m_series.clear();
    m_groupSeries.clear();
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

    if (m_ensembleMode)
        createGroupSeries();
    else
        createRunSeries();

    for (size_t t = 0; t < targets.size(); ++t) {
        const Plot plot = targets[t].first;
        QLineSeries* series = addSeries(plot, targets[t].second, truth, Qt::DashLine, 1.0);
        (plot == FunctionPlot ? m_trueF : m_trueFprime) = series;
        QLegendMarker* drawn = series->chart()->legend()->markers(series).constFirst();
        connect(series, &QLineSeries::hovered, this,
                [this, plot](const QPointF& point, bool state) {
                    showReadout(plot, -1, point, state);
                });
        QLegendMarker* entry = series->chart()->legend()->markers(legendEntries[t]).constFirst();
        connect(entry, &QLegendMarker::clicked, this, [this, t, series, drawn, entry] {
            m_targetShown[t] = !series->isVisible();
            series->setVisible(m_targetShown[t]);
            // Showing a series shows its marker too.
            drawn->setVisible(false);
            cs::setMarkerShown(entry, m_targetShown[t]);
            updateRanges();
        });
        series->setVisible(m_targetShown[t]);
        drawn->setVisible(false);
        cs::setMarkerShown(entry, m_targetShown[t]);
    }

    for (int r = 0; r < m_series.size(); ++r)
        applyRunVisibility(r);
    for (int g = 0; g < m_groupSeries.size(); ++g)
        applyGroupVisibility(g);
}

void ComparisonView::createRunSeries() {
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
}

void ComparisonView::createGroupSeries() {
    // Every band first, so that no band covers another group's line.
    m_groupSeries.resize(m_groups.size());
    for (int g = 0; g < m_groups.size(); ++g) {
        if (m_groups[g].size() < 2)
            continue; // a single run is drawn as a plain line
        const QColor color = runColor(g);
        const QString& label = m_groupLabels[g];
        GroupSeries& s = m_groupSeries[g];
        s.trainLossBand =
            addBand(LossPlot, tr("%1 (training, band)").arg(label), color, trainBandAlpha);
        s.valLossBand = addBand(LossPlot, tr("%1 (band)").arg(label), color, bandAlpha);
        s.fBand = addBand(FunctionPlot, tr("%1 (band)").arg(label), color, bandAlpha);
        s.fprimeBand = addBand(DerivativePlot, tr("%1 (band)").arg(label), color, bandAlpha);
        s.errorBand = addBand(ErrorPlot, tr("%1 (band)").arg(label), color, bandAlpha);
    }
    for (int g = 0; g < m_groups.size(); ++g) {
        const QColor color = runColor(g);
        const QString& label = m_groupLabels[g];
        GroupSeries& s = m_groupSeries[g];
        s.valLoss = addSeries(LossPlot, label, color, Qt::SolidLine, 1.6);
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
                    [this, plot, g](const QPointF& point, bool state) {
                        showGroupReadout(plot, g, point, state);
                    });
        }
        for (QLineSeries* series : {s.valLoss, s.f, s.fprime, s.error}) {
            QLegendMarker* marker = series->chart()->legend()->markers(series).constFirst();
            connect(marker, &QLegendMarker::clicked, this,
                    [this, g] { setGroupShown(g, !m_groupShown[g]); });
        }
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

QAreaSeries* ComparisonView::addBand(Plot plot, const QString& name, const QColor& color,
                                     int alpha) {
    auto* band = new QAreaSeries;
    // The area series doesn't own its edges; as its children they go with it.
    band->setUpperSeries(new QLineSeries(band));
    band->setLowerSeries(new QLineSeries(band));
    band->setName(name);
    QColor fill = color;
    fill.setAlpha(alpha);
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    QChart* chart = m_views[plot]->chart();
    chart->addSeries(band);
    band->attachAxis(m_xAxes[plot]);
    band->attachAxis(m_yAxes[plot]);
    // The group's line names it in the legend; the band has no entry of its own.
    chart->legend()->markers(band).constFirst()->setVisible(false);
    return band;
}

void ComparisonView::rebuildCurves() {
    m_rebuildTimer.stop();
    for (int p = 0; p < PlotCount; ++p)
        m_buckets[p] = bucketsFor(Plot(p));

    if (m_ensembleMode)
        rebuildGroupCurves();
    else
        rebuildRunCurves();

    const Predictions* reference = nullptr;
    for (const ComparedRun& r : m_runs) {
        const Predictions& p = r.run.predictions;
        // The densest grid draws the target best.
        if (!reference || p.x.size() > reference->x.size())
            reference = &p;
    }
    if (m_trueF) {
        const Predictions empty;
        const Predictions& p = reference ? *reference : empty;
        // The target is smooth: its trend is the curve.
        m_trueF->replace(cs::decimated(cs::curve(p.x, p.f), m_buckets[FunctionPlot],
                                       cs::Decimation::Trend, false));
        m_trueFprime->replace(cs::decimated(cs::curve(p.x, p.fprime), m_buckets[DerivativePlot],
                                            cs::Decimation::Trend, false));
    }
}

void ComparisonView::rebuildRunCurves() {
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
        s.error->replace(cs::decimated(cs::errorCurve(p.x, p.fprime, p.fprimeHat),
                                       m_buckets[ErrorPlot], env, true));
    }
}

void ComparisonView::rebuildGroupCurves() {
    const auto env = cs::Decimation::Envelope;
    auto bandBuckets = [this](Plot plot) { return std::max(1, m_buckets[plot] / bandBucketRatio); };
    for (int g = 0; g < m_groups.size(); ++g) {
        const GroupSeries& s = m_groupSeries[g];
        // The runs' curves, index by index; a run that stopped early has a shorter history.
        std::vector<std::vector<double>> valLoss, trainLoss, f, fprime, error;
        const std::vector<EpochMetrics>* longest = nullptr;
        const Predictions* grid = nullptr;
        for (int r : m_groups[g]) {
            const RunRecord& run = m_runs[r].run;
            valLoss.push_back(historyColumn(run.history, &EpochMetrics::valLoss));
            trainLoss.push_back(historyColumn(run.history, &EpochMetrics::loss));
            const Predictions& p = run.predictions;
            f.push_back(p.fHat);
            fprime.push_back(p.fprimeHat);
            std::vector<double> e(std::min(p.fprime.size(), p.fprimeHat.size()));
            for (size_t i = 0; i < e.size(); ++i)
                e[i] = std::abs(p.fprime[i] - p.fprimeHat[i]);
            error.push_back(std::move(e));
            if (!longest || run.history.size() > longest->size())
                longest = &run.history;
            if (!grid || p.x.size() > grid->x.size())
                grid = &p;
        }
        std::vector<double> epochs;
        if (longest)
            for (const EpochMetrics& m : *longest)
                epochs.push_back(double(m.epoch));
        const std::vector<double> noGrid;
        const std::vector<double>& x = grid ? grid->x : noGrid;

        const Band valBand = bandOf(valLoss), trainBand = bandOf(trainLoss), fBand = bandOf(f),
                   fprimeBand = bandOf(fprime), errorBand = bandOf(error);
        s.valLoss->replace(
            cs::decimated(drawable(epochs, valBand.mean, true), m_buckets[LossPlot], env, true));
        s.trainLoss->replace(cs::decimated(drawable(epochs, trainBand.mean, true),
                                           m_buckets[LossPlot], cs::Decimation::Trend, true));
        s.f->replace(
            cs::decimated(drawable(x, fBand.mean, false), m_buckets[FunctionPlot], env, false));
        s.fprime->replace(cs::decimated(drawable(x, fprimeBand.mean, false),
                                        m_buckets[DerivativePlot], env, false));
        s.error->replace(
            cs::decimated(drawable(x, errorBand.mean, true), m_buckets[ErrorPlot], env, true));

        setBand(s.valLossBand, bandEdges(epochs, valBand, bandBuckets(LossPlot), true));
        setBand(s.trainLossBand, bandEdges(epochs, trainBand, bandBuckets(LossPlot), true));
        setBand(s.fBand, bandEdges(x, fBand, bandBuckets(FunctionPlot), false));
        setBand(s.fprimeBand, bandEdges(x, fprimeBand, bandBuckets(DerivativePlot), false));
        setBand(s.errorBand, bandEdges(x, errorBand, bandBuckets(ErrorPlot), true));
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
    for (const GroupSeries& s : m_groupSeries) {
        includeVisible(&y[LossPlot], s.valLoss);
        includeVisible(&y[LossPlot], s.trainLoss);
        includeVisible(&y[FunctionPlot], s.f);
        includeVisible(&y[DerivativePlot], s.fprime);
        includeVisible(&y[ErrorPlot], s.error);
        includeVisible(&y[LossPlot], s.valLossBand);
        includeVisible(&y[LossPlot], s.trainLossBand);
        includeVisible(&y[FunctionPlot], s.fBand);
        includeVisible(&y[DerivativePlot], s.fprimeBand);
        includeVisible(&y[ErrorPlot], s.errorBand);
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

QList<QVariant> ComparisonView::groupRowValues(int group) const {
    const QList<int>& runs = m_groups[group];
    std::vector<FitReport> reports;
    QStringList seeds;
    for (int r : runs) {
        reports.push_back(m_runs[r].run.report);
        seeds << QString::number(qulonglong(m_runs[r].run.config.seed));
    }
    const EnsembleSummary summary = summarize(reports);
    QList<QVariant> values{m_groupLabels[group], seeds.join(QStringLiteral(", ")),
                           int(runs.size())};
    for (const Spread& spread : {summary.mseF, summary.mseFprime, summary.maxErrF,
                                 summary.maxErrFprime, summary.epochsRun, summary.trainSeconds})
        values << spread.mean << spread.std;
    values << stopReasonsText(group, false);
    return values;
}

// "completed", or "2 completed, 1 diverged" when the runs ended differently.
QString ComparisonView::stopReasonsText(int group, bool translated) const {
    QList<StopReason> order;
    QList<int> counts;
    for (int r : m_groups[group]) {
        const StopReason reason = m_runs[r].run.report.stopReason;
        const qsizetype at = order.indexOf(reason);
        if (at < 0) {
            order << reason;
            counts << 1;
        } else {
            ++counts[at];
        }
    }
    auto name = [translated](StopReason reason) {
        return translated ? stopReasonText(reason)
                          : QString::fromUtf8(stopReasonName(reason).data());
    };
    if (order.size() == 1)
        return name(order.constFirst());
    QStringList parts;
    for (qsizetype i = 0; i < order.size(); ++i)
        parts << QStringLiteral("%1 %2").arg(counts[i]).arg(name(order[i]));
    return parts.join(QStringLiteral(", "));
}

void ComparisonView::fillTable() {
    m_model->setRowCount(0);
    if (m_ensembleMode)
        fillGroupRows();
    else
        fillRunRows();
    for (int c = 0; c < ColumnCount; ++c)
        markBest(c);
    // The rows arrive in setRuns order; the user's chosen sort still applies.
    const QHeaderView* header = m_table->horizontalHeader();
    m_model->sort(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_table->resizeColumnsToContents();
}

void ComparisonView::fillGroupRows() {
    for (int g = 0; g < m_groups.size(); ++g) {
        const QList<int>& runs = m_groups[g];
        QList<QStandardItem*> row;
        for (int c = 0; c < ColumnCount; ++c)
            row << new QStandardItem;

        std::vector<FitReport> reports;
        QStringList seeds, names;
        for (int r : runs) {
            reports.push_back(m_runs[r].run.report);
            seeds << QString::number(qulonglong(m_runs[r].run.config.seed));
            names << m_runs[r].name;
        }
        const EnsembleSummary summary = summarize(reports);
        const ComparedRun& first = m_runs[runs.constFirst()];

        row[LabelColumn]->setText(m_groupLabels[g]);
        row[LabelColumn]->setData(g, SortRole);
        row[LabelColumn]->setData(runColor(g), Qt::DecorationRole);
        row[LabelColumn]->setData(first.id, IdRole);
        row[LabelColumn]->setData(runs.constFirst(), RunIndexRole);
        row[LabelColumn]->setData(g, GroupIndexRole);
        // The group's config, with its seeds where one run's seed would be.
        QStringList details = knobsDetails(first.run.config).split(u'\n');
        const qsizetype seedLine =
            details.indexOf(QStringLiteral("seed: %1").arg(qulonglong(first.run.config.seed)));
        const QString seedsLine = tr("seeds: %1").arg(seeds.join(QStringLiteral(", ")));
        if (seedLine >= 0)
            details[seedLine] = seedsLine;
        else
            details << seedsLine;
        row[LabelColumn]->setToolTip(details.join(u'\n'));
        row[NameColumn]->setText(seeds.join(QStringLiteral(", ")));
        row[NameColumn]->setData(seeds.join(QStringLiteral(", ")), SortRole);
        row[NameColumn]->setToolTip(names.join(u'\n'));

        const std::array<std::tuple<int, Spread, NumberKind>, 6> numbers{{
            {MseFColumn, summary.mseF, NumberKind::Error},
            {MseFprimeColumn, summary.mseFprime, NumberKind::Error},
            {MaxErrFColumn, summary.maxErrF, NumberKind::Error},
            {MaxErrFprimeColumn, summary.maxErrFprime, NumberKind::Error},
            {EpochsColumn, summary.epochsRun, NumberKind::Epochs},
            {SecondsColumn, summary.trainSeconds, NumberKind::Seconds},
        }};
        for (const auto& [column, spread, kind] : numbers) {
            row[column]->setText(spreadText(spread, kind));
            // By the mean; a group without a finite value after every other.
            row[column]->setData(sortable(spread.mean), SortRole);
            row[column]->setToolTip(spreadDetails(spread));
            row[column]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }

        row[StopReasonColumn]->setText(stopReasonsText(g, true));
        // Fewest diverged runs first.
        row[StopReasonColumn]->setData(int(summary.diverged), SortRole);
        m_model->appendRow(row);
    }
}

void ComparisonView::fillRunRows() {
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

void ComparisonView::setGroupShown(int group, bool shown) {
    m_groupShown[group] = shown;
    applyGroupVisibility(group);
    updateRanges();
}

void ComparisonView::applyGroupVisibility(int group) {
    const GroupSeries& s = m_groupSeries[group];
    const bool shown = m_groupShown[group];
    for (QLineSeries* series : {s.valLoss, s.f, s.fprime, s.error}) {
        series->setVisible(shown);
        cs::setMarkerShown(series->chart()->legend()->markers(series).constFirst(), shown);
    }
    s.trainLoss->setVisible(shown && m_trainLossVisible);
    s.trainLoss->chart()->legend()->markers(s.trainLoss).constFirst()->setVisible(false);
    for (QAreaSeries* band : {s.valLossBand, s.fBand, s.fprimeBand, s.errorBand, s.trainLossBand}) {
        if (!band)
            continue;
        band->setVisible(shown && (band != s.trainLossBand || m_trainLossVisible));
        // Showing a series shows its marker too; the band never has one.
        band->chart()->legend()->markers(band).constFirst()->setVisible(false);
    }
}

void ComparisonView::showGroupReadout(Plot plot, int group, const QPointF& point, bool state) {
    if (!state) {
        cs::showHoverText(m_views[plot], false, {});
        return;
    }
    const QList<int>& runs = m_groups[group];
    if (plot != LossPlot) {
        cs::showHoverText(m_views[plot], true,
                          {m_groupLabels[group], tr("x = %1").arg(point.x(), 0, 'g', 3),
                           tr("mean y = %1").arg(point.y(), 0, 'g', 4)});
        return;
    }
    // The stored values of the nearest epoch over the group's runs.
    const int epoch = int(std::lround(point.x()));
    std::vector<double> val, train;
    for (int r : runs) {
        const std::vector<EpochMetrics>& history = m_runs[r].run.history;
        auto it = std::lower_bound(history.cbegin(), history.cend(), epoch,
                                   [](const EpochMetrics& m, int e) { return m.epoch < e; });
        if (it != history.cend() && it->epoch == epoch) {
            val.push_back(it->valLoss);
            train.push_back(it->loss);
        }
    }
    if (val.empty())
        return;
    const Spread v = spreadOf(val), t = spreadOf(train);
    cs::showHoverText(m_views[plot], true,
                      {m_groupLabels[group],
                       tr("epoch %1, %2 of %3 runs").arg(epoch).arg(val.size()).arg(runs.size()),
                       tr("validation loss %1 (%2 – %3)")
                           .arg(v.mean, 0, 'g', 4)
                           .arg(v.min, 0, 'g', 3)
                           .arg(v.max, 0, 'g', 3),
                       tr("training loss %1 (%2 – %3)")
                           .arg(t.mean, 0, 'g', 4)
                           .arg(t.min, 0, 'g', 3)
                           .arg(t.max, 0, 'g', 3)});
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
    // A group's row stands for several runs; none of them is the one to open.
    if (!index.isValid() || m_ensembleMode)
        return;
    const QStandardItem* label = m_model->item(index.row(), LabelColumn);
    if (label)
        emit runActivated(label->data(IdRole).toString());
}

} // namespace sobolev
