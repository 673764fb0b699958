// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparisonview.h"

#include "comparisoncharts.h"
#include "core/eval/ensemble.h"
#include "lambdachart.h"
#include "lossweights.h"
#include "noisynote.h"
#include "runhistory.h"
#include "runtimeline.h"
#include "textformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <tuple>

namespace sobolev {

namespace {

const QColor bestBackground(0xd8, 0xf0, 0xd0);

// "3.1e-7" and "2e3" rather than "3.1e-07" and "2e+03".
QString shortExponent(QString text) {
    static const QRegularExpression paddedExponent(QStringLiteral("e([+-])0*(\\d)"));
    text.replace(paddedExponent, QStringLiteral("e\\1\\2"));
    return text.replace(QStringLiteral("e+"), QStringLiteral("e"));
}

// Two significant digits and a short exponent, "3.1e-7", so that a median and its range fit a
// column.
QString shortErrorText(double v) {
    return shortExponent(QString::number(v, 'e', 1));
}

QString epochsText(double v) {
    return v == std::round(v) ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
}

QString secondsText(double v) {
    if (!std::isfinite(v))
        return QStringLiteral("–");
    // "1.23e+03" reads worse than the whole seconds.
    return std::abs(v) >= 1000 ? QString::number(v, 'f', 0) : QString::number(v, 'g', 3);
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

// "3.1e-7 (1.2e-7 – 2.5e-5)": the median and the range of the runs, which stay truthful when
// the errors span decades (a mean and std would not: one bad seed drags both). A single
// run's value alone; with the number of runs the statistics are over when some diverged.
QString spreadText(const Spread& s, NumberKind kind) {
    if (s.count == 0)
        return QStringLiteral("NaN");
    QString text = numberText(s.median, kind, true);
    if (s.count > 1)
        text += QStringLiteral(" (%1 – %2)")
                    .arg(numberText(s.min, kind, true), numberText(s.max, kind, true));
    if (s.nonFinite > 0)
        text += ComparisonView::tr(", %1 of %2 runs").arg(s.count).arg(s.count + s.nonFinite);
    return text;
}

QString spreadDetails(const Spread& s) {
    if (s.count == 0)
        return ComparisonView::tr("no finite value: every run diverged");
    QString text = ComparisonView::tr("median %1\nmin %2, max %3\nmean %4, std %5\nover %6 runs")
                       .arg(formatNumber(s.median), formatNumber(s.min), formatNumber(s.max),
                            formatNumber(s.mean), formatNumber(s.std))
                       .arg(s.count);
    if (s.nonFinite > 0)
        text += ComparisonView::tr("; %1 non-finite left out").arg(s.nonFinite);
    return text;
}

// A group's runs as its table row tells of them.
struct GroupRuns {
    EnsembleSummary summary;
    QStringList seeds, names;
};

GroupRuns groupRuns(const QList<ComparedRun>& runs, const QList<int>& group) {
    GroupRuns g;
    std::vector<FitReport> reports;
    for (int r : group) {
        reports.push_back(runs[r].run.report);
        g.seeds << QString::number(qulonglong(runs[r].run.config.seed));
        g.names << runs[r].name;
    }
    g.summary = summarize(reports);
    return g;
}

QList<QStandardItem*> newRow() {
    QList<QStandardItem*> row;
    for (int c = 0; c < ComparisonView::ColumnCount; ++c)
        row << new QStandardItem;
    return row;
}

// The label cell of a run's or a group's row; `position` is the row's place in setRuns()
// (in groups()) order, which it sorts by; `color` is its curves' colour.
void setLabel(QStandardItem* item, const QString& text, int position, const QColor& color,
              const QString& id, int run) {
    item->setText(text);
    // Sorted in setRuns order (a sweep's order), not by the alphabet's "β=10" before "β=2".
    item->setData(position, SortRole);
    item->setData(color, Qt::DecorationRole);
    item->setData(id, IdRole);
    item->setData(run, ComparisonView::RunIndexRole);
}

bool lowerIsBetter(int column) {
    switch (column) {
    case ComparisonView::MseFColumn:
    case ComparisonView::MseFprimeColumn:
    case ComparisonView::MaxErrFColumn:
    case ComparisonView::MaxErrFprimeColumn:
    case ComparisonView::H1Column:
    case ComparisonView::RelL2FColumn:
    case ComparisonView::RelL2FprimeColumn:
    case ComparisonView::SecondsColumn:
        return true;
    default:
        // More epochs are neither better nor worse: they are a knob, not a result.
        return false;
    }
}

} // namespace

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent) {
    m_charts = new ComparisonCharts;
    m_timeline = new RunTimeline;
    // No other key of the window plays or steps.
    m_timeline->setWindowShortcuts(true);
    connect(m_timeline, &RunTimeline::stepChanged, this, &ComparisonView::showStep);
    auto* chartsAndTimeline = new QWidget;
    auto* chartsLayout = new QVBoxLayout(chartsAndTimeline);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_charts, 1);
    m_lambda = new LambdaChart;
    m_lambda->hide();
    chartsLayout->addWidget(m_lambda);
    chartsLayout->addWidget(m_timeline);
    auto* outer = new QSplitter(Qt::Vertical, this);
    outer->setChildrenCollapsible(false);
    outer->addWidget(chartsAndTimeline);
    outer->addWidget(createTable());
    // The charts are what the eye compares; the table needs a few rows. setSizes() before the
    // first layout sets proportions, and the stretch factors keep them on resize.
    outer->setSizes({3000, 1000});
    outer->setStretchFactor(0, 3);
    outer->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(outer);
    setRuns({});
}

ComparisonView::~ComparisonView() = default;

void ComparisonView::updateTimeline() {
    QList<const SnapshotSeries*> recorded;
    for (const ComparedRun& run : std::as_const(m_runs))
        if (!run.run.snapshots.empty())
            recorded << &run.run.snapshots;
    // Hidden without snapshots: the charts keep the room, which a crowded legend needs.
    m_timeline->setVisible(!recorded.isEmpty());
    if (recorded.isEmpty())
        m_timeline->setUnavailable(tr("None of these runs recorded snapshots to replay"));
    else
        m_timeline->setSteps(timelineSteps(recorded)); // at the last: the runs as they ended
}

void ComparisonView::showStep() {
    QList<Predictions> networks;
    const Snapshot* latest = nullptr; // the one the step stands for: the latest shown
    for (qsizetype r = 0; r < m_runs.size(); ++r) {
        const Predictions& end = m_runs[r].run.predictions;
        const SnapshotSeries& series = m_runs[r].run.snapshots;
        const int at = snapshotAt(series, m_timeline->position());
        // The last step is every run as it ended, as a run without snapshots always is.
        if (at < 0 || m_timeline->atLastStep()) {
            networks << end;
            continue;
        }
        const Snapshot& snapshot = series.snapshots[std::size_t(at)];
        networks << predictionsAt(series, snapshot, end);
        if (!latest || snapshot.position > latest->position)
            latest = &snapshot;
    }
    m_charts->setNetworks(networks, latest ? snapshotWhen(*latest) : QString());
}

QWidget* ComparisonView::createTable() {
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_sorted = new TableSortModel(this);
    m_sorted->setSourceModel(m_model);
    const std::array<std::pair<QString, QString>, ColumnCount> headers{{
        {tr("Run"), tr("The knobs in which the runs differ")},
        {tr("Name"), QString()},
        {tr("MSE f"), tr("Mean squared error of f on the test grid")},
        {tr("MSE f'"), tr("Mean squared error of f′ on the test grid")},
        {tr("max |err| f"), tr("Largest |f − f_θ| on the test grid")},
        {tr("max |err| f'"), tr("Largest |f′ − ∂ₓf_θ| on the test grid")},
        {tr("H¹ error"), tr("The discrete Sobolev error √(MSE f + MSE f′) on the test grid")},
        {tr("rel. L2 f"), tr("‖f − f_θ‖₂ / ‖f‖₂ on the test grid")},
        {tr("rel. L2 f'"), tr("‖f′ − ∂ₓf_θ‖₂ / ‖f′‖₂ on the test grid")},
        {tr("Epochs"), tr("Epochs run")},
        {tr("Train time (s)"), tr("Training time in seconds")},
        {tr("Stop reason"), QString()},
    }};
    for (int c = 0; c < ColumnCount; ++c) {
        m_errorTitles[c] = headers[c].first;
        auto* item = new QStandardItem(headers[c].first);
        item->setToolTip(headers[c].second);
        m_model->setHorizontalHeaderItem(c, item);
    }

    m_table = new QTableView;
    m_table->setModel(m_sorted);
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
    m_lossBox = new QComboBox;
    m_lossBox->setObjectName(QStringLiteral("lossShown"));
    m_lossBox->addItem(tr("Loss α·MSE f + β·MSE f′"), int(ComparisonCharts::LossShown::Weighted));
    m_lossBox->addItem(tr("MSE f and MSE f′, unweighted"),
                       int(ComparisonCharts::LossShown::Unweighted));
    m_lossBox->setToolTip(tr("What the loss chart draws. Runs with different α or β weigh "
                             "their losses differently, so their losses cannot be compared; "
                             "their unweighted errors can (the default for them)."));
    connect(m_lossBox, &QComboBox::currentIndexChanged, this, [this] {
        const auto shown = ComparisonCharts::LossShown(m_lossBox->currentData().toInt());
        m_charts->setLossShown(shown);
        m_trainLossBox->setEnabled(shown == ComparisonCharts::LossShown::Weighted);
    });
    m_ensembleBox = new QCheckBox(tr("Group seeds (median and min–max band)"));
    connect(m_ensembleBox, &QCheckBox::toggled, this, &ComparisonView::setEnsembleMode);
    m_hint = new QLabel;
    m_hint->setEnabled(false); // greyed: a hint, not content

    // Above the table it speaks of, so that the charts keep their room.
    m_note = new NoisyFinalNote;
    connect(m_note, &NoisyFinalNote::bestEpochRequested, this, [this] {
        setShownEpoch(ShownEpoch::Best);
        emit shownEpochRequested(ShownEpoch::Best);
    });

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 0);
    controls->addWidget(m_lossBox);
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
    layout->addWidget(m_note);
    layout->addWidget(m_table);
    return panel;
}

void ComparisonView::setShownEpoch(ShownEpoch which) {
    if (which == m_shown)
        return;
    m_shown = which;
    for (int c :
         {int(MseFColumn), int(MseFprimeColumn), int(MaxErrFColumn), int(MaxErrFprimeColumn),
          int(H1Column), int(RelL2FColumn), int(RelL2FprimeColumn)})
        m_model->horizontalHeaderItem(c)->setText(m_errorTitles[c] + shownEpochSuffix(which));
    setRuns(m_givenRuns);
}

void ComparisonView::setRuns(const QList<ComparedRun>& runs) {
    m_givenRuns = runs;
    m_runs = runs;
    for (ComparedRun& r : m_runs)
        r.run.report = errorsAt(r.run.report, m_shown);
    QList<TrainConfig> configs;
    QStringList numbers;
    for (const ComparedRun& r : runs) {
        configs << r.run.config;
        numbers << r.numberText();
    }
    m_note->update(configs, m_shown);
    m_labels = differenceLabels(configs, numbers);
    for (qsizetype i = 0; i < runs.size(); ++i)
        if (const QString weights = finalWeightsLabel(runs[i].run.config, runs[i].run.history);
            !weights.isEmpty())
            m_labels[i] += QStringLiteral(", ") + weights;
    m_groups = groupBySeed(configs);
    m_groupLabels = sobolev::groupLabels(configs, m_groups);

    const bool wasEnsemble = m_ensembleMode;
    m_ensembleMode = m_ensembleMode && canGroup();
    {
        const QSignalBlocker blocker(m_ensembleBox);
        m_ensembleBox->setEnabled(canGroup());
        m_ensembleBox->setChecked(m_ensembleMode);
    }
    m_ensembleBox->setToolTip(
        canGroup() ? tr("Draw the runs that differ only in their seed as one curve each: their "
                        "median, and the band between their smallest and largest value")
                   : tr("No two runs differ only in their seed"));

    updateModeTexts();
    m_charts->setRuns(m_runs, m_labels, m_groups, m_groupLabels, m_ensembleMode);
    updateLambdaChart();
    updateTimeline();
    // Losses weighted differently (from the start or by a change during the run) are not
    // comparable: then the unweighted errors by default.
    const auto weights = [](const TrainConfig& c) {
        std::vector<KnobChange> changes = c.changes;
        std::erase_if(changes, [](const KnobChange& k) {
            return k.knob != Knob::Alpha && k.knob != Knob::Beta;
        });
        return std::tuple(c.alpha, c.beta, changes);
    };
    const bool differentWeights = std::any_of(m_runs.cbegin(), m_runs.cend(), [&](const auto& r) {
        return weights(r.run.config) != weights(m_runs.constFirst().run.config);
    });
    m_lossBox->setCurrentIndex(
        m_lossBox->findData(int(differentWeights ? ComparisonCharts::LossShown::Unweighted
                                                 : ComparisonCharts::LossShown::Weighted)));
    fillTable();
    if (wasEnsemble != m_ensembleMode)
        emit ensembleModeChanged(m_ensembleMode);
}

void ComparisonView::updateModeTexts() {
    m_hint->setText(m_ensembleMode ? tr("Median (min – max) over the seeds; best median per column "
                                        "in bold.")
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
    return m_charts->charts();
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
            columns << tr("%1 (median)").arg(header) << tr("%1 (min)").arg(header)
                    << tr("%1 (max)").arg(header);
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
    for (int row = 0; row < m_sorted->rowCount(); ++row) {
        const QModelIndex label = m_sorted->index(row, LabelColumn);
        table.rows << (m_ensembleMode ? groupRowValues(label.data(GroupIndexRole).toInt())
                                      : rowValues(label.data(RunIndexRole).toInt()));
    }
    return table;
}

DataTable ComparisonView::reportTable() const {
    DataTable table = comparisonTable();
    // The numbers of the best validation epoch beside the final ones (or, while the table
    // shows the best epoch's errors, its epoch alone); in ensemble mode their medians.
    const bool final = m_shown == ShownEpoch::Final;
    const QString median = m_ensembleMode ? tr(" (median)") : QString();
    table.columns << tr("Best epoch") + median;
    if (final)
        table.columns << tr("MSE f (best epoch)") + median << tr("MSE f′ (best epoch)") + median;
    for (int row = 0; row < m_sorted->rowCount(); ++row) {
        const QModelIndex label = m_sorted->index(row, LabelColumn);
        const QList<int> runs = m_ensembleMode ? m_groups.value(label.data(GroupIndexRole).toInt())
                                               : QList<int>{label.data(RunIndexRole).toInt()};
        std::vector<double> epochs, mseF, mseFprime;
        for (int r : runs) {
            const FitReport& report = m_givenRuns[r].run.report;
            epochs.push_back(report.best.epoch > 0 ? report.best.epoch : std::nan(""));
            mseF.push_back(report.best.epoch > 0 ? report.best.mseF : std::nan(""));
            mseFprime.push_back(report.best.epoch > 0 && report.best.hasFprime
                                    ? report.best.mseFprime
                                    : std::nan(""));
        }
        // The median of the runs that have the value; "—" when none has.
        const auto cell = [](const std::vector<double>& values) -> QVariant {
            const Spread spread = spreadOf(values);
            return spread.count == 0 ? QVariant(notAvailableText()) : QVariant(spread.median);
        };
        QList<QVariant>& values = table.rows[row];
        const QVariant epoch = cell(epochs);
        values << (epoch.typeId() == QMetaType::Double &&
                           epoch.toDouble() == std::round(epoch.toDouble())
                       ? QVariant(int(epoch.toDouble()))
                       : epoch);
        if (final)
            values << cell(mseF) << cell(mseFprime);
    }
    return table;
}

bool ComparisonView::shownEpochIsBest() const {
    return m_shown == ShownEpoch::Best;
}

NoisyFinalNote* ComparisonView::noisyNote() const {
    return m_note;
}

bool ComparisonView::trainLossVisible() const {
    return m_charts->trainLossVisible();
}

QColor ComparisonView::runColor(int index) const {
    return m_charts->runColor(index);
}

QSize ComparisonView::sizeHint() const {
    return {1200, 800};
}

void ComparisonView::setTrainLossVisible(bool visible) {
    if (trainLossVisible() == visible)
        return;
    {
        const QSignalBlocker blocker(m_trainLossBox);
        m_trainLossBox->setChecked(visible);
    }
    m_charts->setTrainLossVisible(visible);
}

void ComparisonView::setEnsembleMode(bool on) {
    on = on && canGroup();
    const bool changed = on != m_ensembleMode;
    if (changed) {
        m_ensembleMode = on;
        updateModeTexts();
        m_charts->setEnsembleMode(on);
        updateLambdaChart();
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

QList<QVariant> ComparisonView::rowValues(int run) const {
    const ComparedRun& r = m_runs[run];
    const FitReport& m = r.run.report;
    QList<QVariant> values{m_labels[run], r.name};
    values << m.mseF << m.mseFprime << m.maxErrF << m.maxErrFprime << m.h1() << m.relL2F
           << m.relL2Fprime << m.epochsRun << m.trainSeconds
           << toQString(stopReasonName(m.stopReason));
    return values;
}

QList<QVariant> ComparisonView::groupRowValues(int group) const {
    const GroupRuns g = groupRuns(m_runs, m_groups[group]);
    const EnsembleSummary& summary = g.summary;
    QList<QVariant> values{m_groupLabels[group], g.seeds.join(QStringLiteral(", ")),
                           int(m_groups[group].size())};
    for (const Spread& spread :
         {summary.mseF, summary.mseFprime, summary.maxErrF, summary.maxErrFprime, summary.h1,
          summary.relL2F, summary.relL2Fprime, summary.epochsRun, summary.trainSeconds})
        values << spread.median << spread.min << spread.max;
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
        return translated ? stopReasonText(reason) : toQString(stopReasonName(reason));
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
    // The rows arrive in setRuns order; m_sorted shows them in the user's chosen sort.
    m_table->resizeColumnsToContents();
}

void ComparisonView::fillGroupRows() {
    for (int g = 0; g < m_groups.size(); ++g) {
        const QList<int>& runs = m_groups[g];
        const QList<QStandardItem*> row = newRow();
        const auto [summary, seeds, names] = groupRuns(m_runs, runs);
        const ComparedRun& first = m_runs[runs.constFirst()];

        setLabel(row[LabelColumn], m_groupLabels[g], g, runColor(g), first.id, runs.constFirst());
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

        const std::array<std::tuple<int, Spread, NumberKind>, 9> numbers{{
            {MseFColumn, summary.mseF, NumberKind::Error},
            {MseFprimeColumn, summary.mseFprime, NumberKind::Error},
            {MaxErrFColumn, summary.maxErrF, NumberKind::Error},
            {MaxErrFprimeColumn, summary.maxErrFprime, NumberKind::Error},
            {H1Column, summary.h1, NumberKind::Error},
            {RelL2FColumn, summary.relL2F, NumberKind::Error},
            {RelL2FprimeColumn, summary.relL2Fprime, NumberKind::Error},
            {EpochsColumn, summary.epochsRun, NumberKind::Epochs},
            {SecondsColumn, summary.trainSeconds, NumberKind::Seconds},
        }};
        for (const auto& [column, spread, kind] : numbers) {
            row[column]->setText(spreadText(spread, kind));
            // By the median; a group without a finite value after every other.
            row[column]->setData(spread.median, SortRole);
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
        const QList<QStandardItem*> row = newRow();

        setLabel(row[LabelColumn], m_labels[r], r, runColor(r), run.id, r);
        row[LabelColumn]->setToolTip(knobsDetails(run.run.config));
        row[NameColumn]->setText(run.name);
        row[NameColumn]->setData(run.name, SortRole);

        const std::array<std::pair<int, double>, 8> numbers{{{MseFColumn, m.mseF},
                                                             {MseFprimeColumn, m.mseFprime},
                                                             {MaxErrFColumn, m.maxErrF},
                                                             {MaxErrFprimeColumn, m.maxErrFprime},
                                                             {H1Column, m.h1()},
                                                             {RelL2FColumn, m.relL2F},
                                                             {RelL2FprimeColumn, m.relL2Fprime},
                                                             {SecondsColumn, m.trainSeconds}}};
        const auto fprimeColumn = [](int c) {
            return c == MseFprimeColumn || c == MaxErrFprimeColumn || c == H1Column ||
                   c == RelL2FprimeColumn;
        };
        for (auto [column, value] : numbers) {
            row[column]->setText(column == SecondsColumn ? secondsText(value)
                                 : fprimeColumn(column)  ? fprimeErrorText(m.hasFprime, value)
                                                         : errorText(value));
            row[column]->setData(value, SortRole);
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

void ComparisonView::onActivated(const QModelIndex& index) {
    // A group's row stands for several runs; none of them is the one to open.
    if (!index.isValid() || m_ensembleMode)
        return;
    emit runActivated(index.siblingAtColumn(LabelColumn).data(IdRole).toString());
}

void ComparisonView::updateLambdaChart() {
    const bool vary = std::any_of(m_runs.cbegin(), m_runs.cend(), [](const ComparedRun& r) {
        return weightsVary(r.run.config) || weightsVary(r.run.history);
    });
    m_lambda->setVisible(vary);
    if (!vary) {
        m_lambda->clear();
        return;
    }
    // Each run in its colour in the other charts: its group's in ensemble mode.
    QList<LambdaChart::Run> curves;
    for (int i = 0; i < int(m_runs.size()); ++i) {
        int colour = i;
        if (m_ensembleMode)
            for (int g = 0; g < int(m_groups.size()); ++g)
                if (m_groups[g].contains(i))
                    colour = g;
        const std::vector<EpochMetrics>& history = m_runs[i].run.history;
        curves.append(
            {m_labels.value(i), m_charts->runColor(colour), {history.begin(), history.end()}});
    }
    m_lambda->setRuns(curves);
}

} // namespace sobolev
