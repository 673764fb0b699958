// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepdialog.h"
#include "latestwork.h"

#include "chartexport.h"
#include "exportdialogs.h"
#include "noisynote.h"
#include "reportdialog.h"
#include "runhistory.h"
#include "settings.h"
#include "sweepcontroller.h"
#include "sweepfolder.h"
#include "tablesort.h"
#include "textformat.h"

#include <QChart>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace sobolev {

namespace {

constexpr int chartDelayMs = 250;

// What a run occupies on disk: history.csv and predictions.csv lines with every digit.
double storedRunBytes(const TrainConfig& c) {
    return 160.0 * c.epochs + 100.0 * c.gridPoints + 4000;
}

QStandardItem* item(const QString& text, const QVariant& sortValue) {
    auto* it = new QStandardItem(text);
    it->setData(sortValue, SortRole);
    it->setEditable(false);
    return it;
}

QStandardItem* errorItem(double v, bool available = true) {
    // A diverged run's NaN, and an f' error of data without f' ("—"), sort last in either
    // order (TableSortModel).
    auto* it = item(available ? errorText(v) : notAvailableText(), v);
    it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

} // namespace

SweepDialog::SweepDialog(RunHistory* history, QWidget* parent)
    : QDialog(parent), m_controller(new SweepController(history, this)), m_history(history) {
    m_checker = new LatestWork(this);
    connect(m_checker, &LatestWork::done, this, &SweepDialog::onChecked);
    connect(m_controller, &SweepController::runEnded, this, &SweepDialog::onRunEnded);
    connect(m_controller, &SweepController::sweepFinished, this, &SweepDialog::onSweepFinished);
    setWindowTitle(tr("Sweep"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setSizeGripEnabled(true);
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(createForm());
    splitter->addWidget(createResults());
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter);

    m_chartTimer.setSingleShot(true);
    m_chartTimer.setInterval(chartDelayMs);
    connect(&m_chartTimer, &QTimer::timeout, this, &SweepDialog::refreshCharts);
    setBaseConfig(TrainConfig{});
    readSettings();
    resize(1100, 820);
}

SweepDialog::~SweepDialog() {
    cancelAndWait();
    writeSettings();
}

void SweepDialog::hideEvent(QHideEvent* event) {
    writeSettings();
    QDialog::hideEvent(event);
}

void SweepDialog::writeSettings() const {
    for (int a = 0; a < 2; ++a) {
        const int knob = m_knob[a]->currentData().toInt();
        settings::sweepKnob(a).set(knob < 0 ? QString() : toQString(knobInfo(Knob(knob)).key));
        settings::sweepValues(a).set(m_values[a]->text());
    }
    settings::sweepSeeds().set(m_seeds->text());
    settings::sweepThreads().set(m_threads->value());
    QStringList knobs;
    for (Knob knob : m_controller->view().knobs)
        knobs << toQString(knobInfo(knob).key);
    settings::lastSweepKnobs().set(knobs);
    settings::lastSweepRuns().set(runIds());
}

void SweepDialog::readSettings() {
    if (settings::sweepSeeds().isStored()) {
        for (int a = 0; a < 2; ++a)
            setAxis(a, sweepKnobFromName(settings::sweepKnob(a).get().toStdString()),
                    settings::sweepValues(a).get());
        setSeeds(settings::sweepSeeds().get());
        setThreads(settings::sweepThreads().get(m_threads->value()));
    }
    std::vector<Knob> knobs;
    for (const QString& name : settings::lastSweepKnobs().get())
        if (const auto knob = sweepKnobFromName(name.toStdString()))
            knobs.push_back(*knob);
    showStoredSweep(knobs, settings::lastSweepRuns().get(),
                    tr("The last sweep, from the run history"));
}

bool SweepDialog::showStoredSweep(const std::vector<Knob>& knobs, const QStringList& ids,
                                  const QString& label) {
    if (isRunning())
        return false;
    SweepView view;
    view.knobs = knobs;
    QStringList names;
    for (const QString& id : ids) {
        const StoredRun* stored = m_history->find(id);
        if (!stored)
            continue; // deleted since
        std::vector<double> values;
        for (Knob knob : view.knobs)
            values.push_back(knobValue(stored->record.config, knob));
        // The history keeps a stored run's rows in its folder, read only when asked for.
        view.runs.append(SweepRunView{id, values, stored->record.config.seed, stored->record.report,
                                      finalWeightsInFolder(m_history->entryFolder(id))});
        names << stored->name;
    }
    if (view.runs.isEmpty())
        return false;
    m_controller->restore(view, names);
    setTableHeaders(view.knobs);
    for (qsizetype i = 0; i < view.runs.size(); ++i)
        addTableRow(view.runs[i], names[i]);
    refreshCharts();
    m_progress->setRange(0, int(view.runs.size()));
    m_progress->setValue(int(view.runs.size()));
    m_progressLabel->setText(label);
    updateForm();
    return true;
}

QWidget* SweepDialog::createForm() {
    auto* form = new QWidget;
    m_baseLabel = new QLabel;
    m_baseLabel->setWordWrap(true);
    m_baseLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* grid = new QGridLayout;
    for (int a = 0; a < 2; ++a) {
        m_knob[a] = new QComboBox;
        m_knob[a]->setObjectName(QStringLiteral("knob%1").arg(a + 1));
        m_knob[a]->addItem(a == 0 ? tr("none (seeds only)") : tr("none"), -1);
        for (Knob k : knobsInMenuOrder())
            m_knob[a]->addItem(knobLabel(k), int(k));
        m_values[a] = new QLineEdit;
        m_values[a]->setObjectName(QStringLiteral("values%1").arg(a + 1));
        m_values[a]->setPlaceholderText(tr("e.g. 0, 0.1, 1, 10   or a log grid  log:1e-3:1e3:7"));
        m_values[a]->setToolTip(
            tr("Comma-separated values, or log:FROM:TO:COUNT for COUNT values spaced "
               "evenly in log scale from FROM to TO"));
        auto* label = new QLabel(a == 0 ? tr("Knob &1:") : tr("Knob &2:"));
        label->setBuddy(m_knob[a]);
        grid->addWidget(label, a, 0);
        grid->addWidget(m_knob[a], a, 1);
        grid->addWidget(new QLabel(tr("values:")), a, 2);
        grid->addWidget(m_values[a], a, 3);
        connect(m_knob[a], &QComboBox::currentIndexChanged, this, [this, a] {
            // A Choice knob takes names: the example lists them.
            const int knob = m_knob[a]->currentData().toInt();
            QString example = tr("e.g. 0, 0.1, 1, 10   or a log grid  log:1e-3:1e3:7");
            if (knob >= 0 && isChoiceKnob(Knob(knob))) {
                QStringList names;
                for (const std::string& name : knobInfo(Knob(knob)).choices())
                    names << toQString(name);
                example = tr("e.g. %1").arg(names.join(QStringLiteral(", ")));
            }
            m_values[a]->setPlaceholderText(example);
            updateForm();
        });
        connect(m_values[a], &QLineEdit::textChanged, this, &SweepDialog::updateForm);
    }
    m_seeds = new QLineEdit(QStringLiteral("1-3"));
    m_seeds->setToolTip(tr("Seeds to run every point with: a list and ranges, e.g. 1-5 or 1,2,7"));
    m_threads = new QSpinBox;
    m_threads->setRange(1, std::max(1, QThread::idealThreadCount()) * 4);
    m_threads->setValue(std::max(1, QThread::idealThreadCount()));
    m_threads->setToolTip(tr("Runs trained at once, one per thread; this machine has %1 cores")
                              .arg(QThread::idealThreadCount()));
    auto* seedsLabel = new QLabel(tr("&Seeds:"));
    seedsLabel->setBuddy(m_seeds);
    auto* threadsLabel = new QLabel(tr("&Threads:"));
    threadsLabel->setBuddy(m_threads);
    grid->addWidget(seedsLabel, 2, 0);
    grid->addWidget(m_seeds, 2, 1);
    grid->addWidget(threadsLabel, 2, 2);
    grid->addWidget(m_threads, 2, 3, Qt::AlignLeft);
    grid->setColumnStretch(3, 1);
    connect(m_seeds, &QLineEdit::textChanged, this, &SweepDialog::updateForm);
    connect(m_threads, &QSpinBox::valueChanged, this, &SweepDialog::updateForm);

    m_problems = new QLabel;
    m_problems->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problems->setWordWrap(true);
    m_plan = new QLabel;
    m_plan->setObjectName(QStringLiteral("plan"));
    m_startButton = new QPushButton(tr("&Start"));
    m_startButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("&Cancel Sweep"));
    m_cancelButton->setToolTip(
        tr("Runs in progress stop at their next batch; finished runs are kept"));
    m_progress = new QProgressBar;
    m_progressLabel = new QLabel;
    connect(m_startButton, &QPushButton::clicked, this, &SweepDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &SweepDialog::cancel);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_startButton);
    controls->addWidget(m_cancelButton);
    controls->addWidget(m_progress, 1);
    controls->addWidget(m_progressLabel);

    auto* layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_baseLabel);
    layout->addLayout(grid);
    layout->addWidget(m_problems);
    layout->addWidget(m_plan);
    layout->addLayout(controls);
    return form;
}

QWidget* SweepDialog::createResults() {
    m_model = new QStandardItemModel(this);
    auto* sorted = new TableSortModel(this);
    sorted->setSourceModel(m_model);
    m_table = new QTableView;
    m_table->setModel(sorted);
    // The rows in the controller's numeric order until the user sorts by a column; from then
    // on the runs that end take their place in that sort.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Double-click a run to open it in the main window"));
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const QString id = index.siblingAtColumn(0).data(IdRole).toString();
        if (!id.isEmpty())
            emit openRunRequested(id);
    });

    m_knobChart = new KnobChart;
    m_tradeoffChart = new TradeoffChart;
    connect(m_tradeoffChart, &TradeoffChart::runClicked, this, &SweepDialog::openRunRequested);
    connect(m_knobChart, &KnobChart::runClicked, this, &SweepDialog::openRunRequested);
    const QList<QChart*> knobCharts = m_knobChart->charts();
    const QStringList knobNames{QStringLiteral("knob-mse-f"), QStringLiteral("knob-mse-fprime")};
    for (qsizetype i = 0; i < knobCharts.size() && i < knobNames.size(); ++i)
        if (QGraphicsView* view = knobCharts[i]->scene()->views().value(0))
            addExportMenu(view, knobCharts[i], knobNames[i]);
    addExportMenu(m_tradeoffChart, m_tradeoffChart->chart(), QStringLiteral("tradeoff"));

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_tradeoffChart, tr("&Trade-off"));
    m_tabs->addTab(m_knobChart, tr("&Errors vs Knob"));
    m_tabs->addTab(createMapTab(), tr("&Map"));
    m_tabs->addTab(m_table, tr("T&able"));

    m_compareButton = new QPushButton(tr("C&ompare Runs"));
    m_compareButton->setToolTip(
        tr("Overlay this sweep's runs; seeds of one point can be shown as a band"));
    connect(m_compareButton, &QPushButton::clicked, this,
            [this] { emit compareRequested(runIds()); });
    m_exportButton = new QPushButton(tr("E&xport Table…"));
    connect(m_exportButton, &QPushButton::clicked, this, &SweepDialog::exportTable);
    m_reportButton = new QPushButton(tr("Export &Report…"));
    m_reportButton->setToolTip(
        tr("A PDF and a Markdown with the figures, the table and your notes"));
    connect(m_reportButton, &QPushButton::clicked, this, &SweepDialog::exportReport);
    m_note = new NoisyFinalNote;
    connect(m_note, &NoisyFinalNote::bestEpochRequested, this, [this] {
        setShownEpoch(ShownEpoch::Best);
        emit shownEpochRequested(ShownEpoch::Best);
    });
    auto* close = new QPushButton(tr("Close"));
    close->setToolTip(
        tr("Hides this window; a running sweep goes on (Run ▸ Sweep… shows it again)"));
    connect(close, &QPushButton::clicked, this, &QDialog::hide);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_compareButton);
    buttons->addWidget(m_exportButton);
    buttons->addWidget(m_reportButton);
    buttons->addStretch();
    buttons->addWidget(close);

    auto* results = new QWidget;
    auto* layout = new QVBoxLayout(results);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);
    return results;
}

// The map of a two-knob sweep, and beside it for α × β the slice against β/α; the error both
// show is chosen above them.
QWidget* SweepDialog::createMapTab() {
    m_mapChart = new SweepMapChart;
    m_sliceChart = new RatioSliceChart;
    connect(m_mapChart, &SweepMapChart::runsClicked, this, &SweepDialog::openCellRuns);
    connect(m_sliceChart, &RatioSliceChart::runsClicked, this, &SweepDialog::openCellRuns);
    addExportMenu(m_mapChart, m_mapChart->chart(), QStringLiteral("map"));
    addExportMenu(m_sliceChart, m_sliceChart->chart(), QStringLiteral("map-slice"));
    m_mapError = new QComboBox;
    m_mapError->addItem(tr("H¹ error"), int(MapError::H1));
    m_mapError->addItem(tr("MSE f"), int(MapError::MseF));
    m_mapError->addItem(tr("MSE f′"), int(MapError::MseFprime));
    m_mapError->setToolTip(tr("The error the map and the slice show, final or at the best epoch "
                              "as the table shows it"));
    connect(m_mapError, &QComboBox::currentIndexChanged, this, [this] {
        const auto error = MapError(m_mapError->currentData().toInt());
        m_mapChart->setError(error);
        m_sliceChart->setError(error);
    });
    m_mapTableButton = new QPushButton(tr("Export Map &Table…"));
    m_mapTableButton->setToolTip(tr("Each cell's median, min and max over the seeds"));
    connect(m_mapTableButton, &QPushButton::clicked, this, [this] {
        if (const auto& grid = m_mapChart->grid())
            exportTableWithDialog(this, sweepGridTable(*grid), tr("Export Map Table"),
                                  QStringLiteral("map"));
    });
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Colour by:")));
    controls->addWidget(m_mapError);
    controls->addStretch();
    controls->addWidget(m_mapTableButton);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_mapChart, 1);
    charts->addWidget(m_sliceChart, 1);
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(charts, 1);
    return tab;
}

// A cell's seeds: one run opens in the main window, several in the Compare window.
void SweepDialog::openCellRuns(const QStringList& ids) {
    if (ids.size() == 1)
        emit openRunRequested(ids.constFirst());
    else if (!ids.isEmpty())
        emit compareRequested(ids);
}

void SweepDialog::setBaseConfig(const TrainConfig& config, const QStringList& problems) {
    // A running sweep keeps the knobs it started from; what the panel says meanwhile is the
    // base of the next one, taken when this one ends.
    m_nextBase = {config, problems};
    if (isRunning())
        return;
    m_base = config;
    m_baseProblems = problems;
    m_baseLabel->setText(tr("<b>Base:</b> %1, %2 epochs, batch %3, %4 training points "
                            "(the knobs in the main window; the seed is set below)")
                             .arg(knobsSummary(config).toHtmlEscaped())
                             .arg(config.epochs)
                             .arg(config.batchSize)
                             .arg(config.nTrain));
    updateForm();
}

void SweepDialog::setAxis(int axis, std::optional<Knob> knob, const QString& values) {
    m_knob[axis]->setCurrentIndex(knob ? m_knob[axis]->findData(int(*knob)) : 0);
    m_values[axis]->setText(values);
}

void SweepDialog::setSeeds(const QString& text) {
    m_seeds->setText(text);
}

void SweepDialog::setThreads(int threads) {
    m_threads->setValue(threads);
}

void SweepDialog::applyForm(const SweepForm& form) {
    for (int axis = 0; axis < 2; ++axis) {
        if (std::size_t(axis) < form.axes.size())
            setAxis(axis, form.axes[axis].first, form.axes[axis].second);
        else
            setAxis(axis, std::nullopt, QString());
    }
    setSeeds(form.seeds);
}

std::optional<std::vector<SweepAxis>> SweepDialog::parsedAxes(QStringList* problems) const {
    std::vector<SweepAxis> axes;
    bool ok = true;
    for (int a = 0; a < 2; ++a) {
        const int knob = m_knob[a]->currentData().toInt();
        const QString values = m_values[a]->text().trimmed();
        if (knob < 0) {
            if (!values.isEmpty())
                *problems << tr("Knob %1: choose a knob for the values, or clear them").arg(a + 1);
            ok = ok && values.isEmpty();
            continue;
        }
        if (values.isEmpty()) {
            *problems << tr("Knob %1 (%2): enter values, e.g. 0, 0.1, 1, 10")
                             .arg(a + 1)
                             .arg(knobLabel(Knob(knob)));
            ok = false;
            continue;
        }
        std::string error;
        const auto axis = parseSweepAxis(
            (toQString(knobInfo(Knob(knob)).key) + QLatin1Char('=') + values).toStdString(),
            &error);
        if (!axis) {
            *problems << tr("Knob %1: %2").arg(a + 1).arg(QString::fromStdString(error));
            ok = false;
        } else {
            axes.push_back(*axis);
        }
    }
    if (!ok)
        return std::nullopt;
    return axes;
}

std::optional<std::vector<std::uint64_t>> SweepDialog::parsedSeeds(QStringList* problems) const {
    std::string error;
    auto seeds = parseSeedList(m_seeds->text().trimmed().toStdString(), &error);
    if (!seeds)
        *problems << tr("Seeds: %1").arg(QString::fromStdString(error));
    return seeds;
}

SweepDialog::Plan SweepDialog::plan() const {
    Plan plan;
    const auto axes = parsedAxes(&plan.problems);
    const auto seeds = parsedSeeds(&plan.problems);
    if (!axes || !seeds)
        return plan;
    for (const QString& p : m_baseProblems)
        plan.problems << tr("Main window: %1").arg(p);
    plan.axes = *axes;
    plan.seeds = *seeds;
    if (m_verdict && m_verdict->isFor(m_base, plan)) {
        for (const ConfigProblem& p : m_verdict->problems)
            plan.problems << QString::fromStdString(p.field + ": " + p.message);
    } else {
        plan.checking = true;
    }
    return plan;
}

bool SweepDialog::SweepVerdict::isFor(const TrainConfig& b, const Plan& plan) const {
    const auto sameAxis = [](const SweepAxis& x, const SweepAxis& y) {
        return x.knob == y.knob && x.values == y.values;
    };
    return base == b && seeds == plan.seeds &&
           std::equal(axes.begin(), axes.end(), plan.axes.begin(), plan.axes.end(), sameAxis);
}

QStringList SweepDialog::problems() const {
    // For scripts and tests, which read the verdict at once; the form waits for the worker.
    if (const Plan now = plan(); now.checking)
        m_verdict =
            SweepVerdict{m_base, now.axes, now.seeds, validateSweep(m_base, now.axes, now.seeds)};
    return plan().problems;
}

void SweepDialog::checkInBackground(const Plan& plan) {
    if (m_checker->isBusy() && m_asked && m_asked->isFor(m_base, plan))
        return;
    m_asked = SweepVerdict{m_base, plan.axes, plan.seeds, {}};
    auto verdict = std::make_shared<std::optional<SweepVerdict>>();
    m_newestCheck = verdict;
    m_checker->post([verdict, base = m_base, axes = plan.axes,
                     seeds = plan.seeds](const std::atomic<bool>* cancel) {
        *verdict = SweepVerdict{base, axes, seeds, validateSweep(base, axes, seeds, cancel)};
    });
}

void SweepDialog::onChecked() {
    if (!m_newestCheck || !*m_newestCheck)
        return;
    m_verdict = **m_newestCheck;
    updateForm();
    if (std::exchange(m_startWhenChecked, false))
        start();
}

void SweepDialog::updateForm() {
    const bool running = isRunning();
    const Plan plan = this->plan();
    m_problems->setText(plan.problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!plan.problems.isEmpty());
    if (plan.checking && plan.problems.isEmpty()) {
        checkInBackground(plan);
        m_plan->setText(m_startWhenChecked
                            ? tr("Checking every run's config; the sweep starts when that is done…")
                            : tr("Checking every run's config…"));
    } else if (plan.problems.isEmpty()) {
        QStringList factors;
        std::size_t runs = plan.seeds.size();
        for (const SweepAxis& a : plan.axes) {
            factors << tr("%1 values of %2").arg(a.values.size()).arg(knobLabel(a.knob));
            runs *= a.values.size();
        }
        factors << tr("%n seed(s)", nullptr, int(plan.seeds.size()));
        QString text = tr("%1 runs (%2) of %3 epochs, %4 at a time")
                           .arg(runs)
                           .arg(factors.join(QStringLiteral(" × ")))
                           .arg(m_base.epochs)
                           .arg(std::min<std::size_t>(runs, std::size_t(m_threads->value())));
        // Every run is kept in the history: say so before a big sweep fills the disk.
        const double megabytes = double(runs) * storedRunBytes(m_base) / 1e6;
        if (megabytes >= 100)
            text += tr("; they will take about %1 MB in the run history").arg(megabytes, 0, 'f', 0);
        m_plan->setText(text);
    } else {
        m_plan->clear();
    }
    for (QWidget* w : std::initializer_list<QWidget*>{m_knob[0], m_knob[1], m_values[0],
                                                      m_values[1], m_seeds, m_threads})
        w->setEnabled(!running);
    m_startButton->setEnabled(!running && plan.problems.isEmpty());
    m_cancelButton->setEnabled(running && !m_controller->isCancelling());
    m_compareButton->setEnabled(runIds().size() >= 2);
    m_exportButton->setEnabled(!m_controller->view().runs.isEmpty());
    m_reportButton->setEnabled(!m_controller->view().runs.isEmpty());
}

bool SweepDialog::start() {
    const Plan plan = this->plan();
    if (isRunning() || !plan.problems.isEmpty())
        return false;
    if (plan.checking) { // Start pressed before the check ended: it starts when it ends
        m_startWhenChecked = true;
        updateForm();
        return true;
    }
    std::vector<Knob> knobs;
    for (const SweepAxis& a : plan.axes)
        knobs.push_back(a.knob);
    setTableHeaders(knobs);
    m_controller->start(expandSweep(m_base, plan.axes, plan.seeds), knobs, m_threads->value());
    writeSettings();
    refreshCharts();
    updateForm();
    updateProgress();
    return true;
}

void SweepDialog::setTableHeaders(const std::vector<Knob>& knobs) {
    m_model->clear();
    QStringList headers;
    for (Knob knob : knobs)
        headers << knobLabel(knob);
    const QString shown = shownEpochSuffix(m_shown);
    headers << tr("Seed") << tr("MSE f") + shown << tr("MSE f′") + shown
            << tr("max |err f|") + shown << tr("max |err f′|") + shown << tr("H¹ error") + shown
            << tr("rel. L2 f") + shown << tr("rel. L2 f′") + shown << tr("Epochs") << tr("Seconds")
            << tr("Status") << tr("Final β/α") << tr("Run");
    m_model->setHorizontalHeaderLabels(headers);
}

void SweepDialog::cancel() {
    if (!isRunning())
        return;
    m_controller->cancel();
    m_progressLabel->setText(tr("Cancelling: runs in progress stop at their next batch…"));
    updateForm();
}

void SweepDialog::cancelAndWait() {
    m_controller->cancelAndWait();
}

bool SweepDialog::isRunning() const {
    return m_controller->isRunning();
}

SweepView SweepDialog::sweepView() const {
    return m_controller->view();
}

void SweepDialog::onRunEnded(const QString& id, const SweepRunView& run, const QString& name) {
    addTableRow(run, name);
    updateProgress();
    updateForm();
    m_chartTimer.start();
    if (!id.isEmpty())
        emit runEnded(id);
}

void SweepDialog::addTableRow(const SweepRunView& run, const QString& name) {
    QList<QStandardItem*> row;
    const std::vector<Knob>& knobs = m_controller->view().knobs;
    for (std::size_t i = 0; i < run.knobValues.size(); ++i)
        row << item(knobValueLabel(knobs.at(i), run.knobValues[i]), run.knobValues[i]);
    const FitReport r = errorsAt(run.report, m_shown);
    row << item(QString::number(qulonglong(run.seed)), QVariant::fromValue(qulonglong(run.seed)))
        << errorItem(r.mseF) << errorItem(r.mseFprime, r.hasFprime) << errorItem(r.maxErrF)
        << errorItem(r.maxErrFprime, r.hasFprime) << errorItem(r.h1(), r.hasFprime)
        << errorItem(r.relL2F) << errorItem(r.relL2Fprime, r.hasFprime)
        << item(QString::number(r.epochsRun), r.epochsRun)
        << item(QString::number(r.trainSeconds, 'f', 1), r.trainSeconds)
        << item(toQString(stopReasonName(r.stopReason)), toQString(stopReasonName(r.stopReason)));
    const double ratio =
        run.finalWeights ? run.finalWeights->beta / run.finalWeights->alpha : std::nan("");
    row << (std::isfinite(ratio) ? item(compactNumber(ratio), ratio)
                                 : item(notAvailableText(), QVariant()))
        << item(name, name);
    row.front()->setData(run.id, IdRole);
    if (r.stopReason == StopReason::Diverged)
        row.back()->setToolTip(QString::fromStdString(r.stopMessage));
    // At the run's place in the controller's numeric order; the table shows it there unless
    // the user sorted the table.
    const QList<SweepRunView>& runs = m_controller->view().runs;
    const auto at = std::find_if(runs.begin(), runs.end(), [&](const SweepRunView& r) {
        return r.id == run.id && r.seed == run.seed && r.knobValues == run.knobValues;
    });
    m_model->insertRow(int(std::min<qsizetype>(at - runs.begin(), m_model->rowCount())), row);
}

void SweepDialog::onSweepFinished(bool cancelled) {
    m_chartTimer.stop();
    setBaseConfig(m_nextBase.first, m_nextBase.second);
    refreshCharts();
    const QString summary =
        tr("%1 of %2 runs ended in %3%4")
            .arg(m_controller->view().runs.size())
            .arg(m_controller->total())
            .arg(formatDuration(m_controller->elapsedSeconds()))
            .arg(cancelled ? tr(" (cancelled; the finished runs are kept)") : QString());
    m_progressLabel->setText(summary);
    writeSettings();
    updateForm();
    if (!m_controller->storeErrors().isEmpty())
        QMessageBox::warning(this, tr("Run history"),
                             tr("These runs could not be stored in the run history:\n%1")
                                 .arg(m_controller->storeErrors().join(QLatin1Char('\n'))));
    emit sweepFinished(cancelled);
}

void SweepDialog::updateProgress() {
    const std::size_t done = std::size_t(m_controller->view().runs.size()),
                      total = m_controller->total();
    m_progress->setRange(0, int(total));
    m_progress->setValue(int(done));
    const double elapsed = m_controller->elapsedSeconds();
    const double eta = done > 0 ? elapsed / double(done) * double(total - done) : std::nan("");
    m_progressLabel->setText(tr("%1 of %2 runs · elapsed %3 · ETA %4")
                                 .arg(done)
                                 .arg(total)
                                 .arg(formatDuration(elapsed))
                                 .arg(formatDuration(eta)));
}

void SweepDialog::refreshCharts() {
    const SweepView shown = shownView();
    m_knobChart->setSweep(shown);
    m_tradeoffChart->setSweep(shown);
    m_mapChart->setSweep(shown);
    m_sliceChart->setSweep(shown);
    // The slice needs α × β; for other grids the map has the room to itself.
    m_sliceChart->setVisible(m_mapChart->grid() && m_sliceChart->grid());
    m_mapError->setEnabled(m_mapChart->grid().has_value());
    m_mapTableButton->setEnabled(m_mapChart->grid().has_value());
    QList<TrainConfig> configs;
    for (const QString& id : runIds())
        if (const StoredRun* stored = m_history->find(id))
            configs << stored->record.config;
    m_note->update(configs, m_shown);
}

SweepView SweepDialog::shownView() const {
    SweepView shown = m_controller->view();
    for (SweepRunView& run : shown.runs)
        run.report = errorsAt(run.report, m_shown);
    shown.shown = m_shown;
    return shown;
}

void SweepDialog::setShownEpoch(ShownEpoch which) {
    if (which == m_shown)
        return;
    m_shown = which;
    const SweepView& view = m_controller->view();
    setTableHeaders(view.knobs);
    for (qsizetype i = 0; i < view.runs.size(); ++i)
        addTableRow(view.runs[i], m_controller->names().value(i));
    refreshCharts();
}

QStringList SweepDialog::runIds() const {
    return m_controller->runIds();
}

DataTable SweepDialog::summaryTable() const {
    const SweepView& view = m_controller->view();
    DataTable table = sweepSummaryTable(view.knobs, QStringLiteral("run"));
    for (qsizetype i = 0; i < view.runs.size(); ++i) {
        const SweepRunView& run = view.runs[i];
        appendSweepRow(table, m_controller->view().knobs, run.knobValues, run.seed, run.report,
                       m_controller->names().value(i), run.finalWeights);
    }
    return table;
}

void SweepDialog::exportTable() {
    exportTableWithDialog(this, summaryTable(), tr("Export Sweep Table"), QStringLiteral("sweep"));
}

DataTable SweepDialog::reportTable() const {
    const SweepView& view = m_controller->view();
    const bool final = m_shown == ShownEpoch::Final;
    const QString shown = shownEpochSuffix(m_shown);
    DataTable table{tr("Sweep"), {}, {}};
    for (Knob knob : view.knobs)
        table.columns << knobLabel(knob);
    table.columns << tr("Seed") << tr("MSE f") + shown << tr("MSE f′") + shown
                  << tr("max |err f|") + shown << tr("max |err f′|") + shown
                  << tr("H¹ error") + shown << tr("Best epoch");
    if (final)
        table.columns << tr("MSE f (best epoch)") << tr("MSE f′ (best epoch)");
    table.columns << tr("Epochs") << tr("Run");
    // In the order the table is sorted to; its source rows are the runs in view order.
    const auto* sorted = qobject_cast<const QSortFilterProxyModel*>(m_table->model());
    for (int row = 0; row < sorted->rowCount(); ++row) {
        const int at = sorted->mapToSource(sorted->index(row, 0)).row();
        const SweepRunView& run = view.runs.at(at);
        const FitReport r = errorsAt(run.report, m_shown);
        const auto fprime = [&r](double v) { return fprimeCell(r.hasFprime, v); };
        QList<QVariant> values;
        for (std::size_t k = 0; k < run.knobValues.size(); ++k)
            values << (isChoiceKnob(view.knobs[k])
                           ? QVariant(knobValueLabel(view.knobs[k], run.knobValues[k]))
                           : QVariant(run.knobValues[k]));
        values << QVariant::fromValue(qulonglong(run.seed)) << r.mseF << fprime(r.mseFprime)
               << r.maxErrF << fprime(r.maxErrFprime) << fprime(r.h1());
        const BestEpoch& best = run.report.best;
        values << (best.epoch > 0 ? QVariant(best.epoch) : QVariant(notAvailableText()));
        if (final)
            values << (best.epoch > 0 ? QVariant(best.mseF) : QVariant(notAvailableText()))
                   << (best.epoch > 0 ? fprimeCell(best.hasFprime, best.mseFprime)
                                      : QVariant(notAvailableText()));
        values << r.epochsRun << m_controller->names().value(at);
        table.rows << values;
    }
    return table;
}

ComparisonReport SweepDialog::report(const QString& notes) const {
    const SweepView& view = m_controller->view();
    ComparisonReport report;
    report.title = tr("Sobolev Workbench sweep");
    QStringList knobs;
    for (Knob knob : view.knobs)
        knobs << knobLabel(knob);
    report.description =
        knobs.isEmpty() ? tr("%n run(s) of one config over seeds", nullptr, int(view.runs.size()))
                        : tr("%n run(s) over %1 and seeds", nullptr, int(view.runs.size()))
                              .arg(knobs.join(QStringLiteral(" × ")));
    report.notes = notes;
    report.figures.append({QStringLiteral("tradeoff"),
                           tr("The trade-off between MSE f and MSE f′, a point per run.")});
    if (!view.knobs.empty()) {
        report.figures.append(
            {QStringLiteral("knob-mse-f"),
             tr("MSE f against %1: median and min–max over the seeds.").arg(knobs.constFirst())});
        report.figures.append(
            {QStringLiteral("knob-mse-fprime"),
             tr("MSE f′ against %1: median and min–max over the seeds.").arg(knobs.constFirst())});
    }
    // The figures of a grid, as SweepFigures draws them: the H¹ error.
    if (const auto grid = sweepGrid(shownView(), MapError::H1, nullptr)) {
        report.figures.append({QStringLiteral("map"),
                               tr("The H¹ error by %1 and %2: the median over the seeds of each "
                                  "pair, on a log colour scale.")
                                   .arg(knobLabel(grid->xKnob), knobLabel(grid->yKnob))});
        if (grid->isAlphaBeta())
            report.figures.append(
                {QStringLiteral("map-slice"),
                 tr("The H¹ error of each pair against β/α: median and min–max over the seeds.")});
    }
    report.table = reportTable();
    report.tableIntro = m_shown == ShownEpoch::Best
                            ? tr("Errors at each run's best validation epoch, on the test grid.")
                            : tr("Final errors on the test grid, and the best validation epoch's.");
    if (m_note->applies())
        report.remarks << m_note->plainText();
    report.remarks << tr("Base: %1, %2 epochs, batch %3, %4 training points.")
                          .arg(knobsSummary(m_base))
                          .arg(m_base.epochs)
                          .arg(m_base.batchSize)
                          .arg(m_base.nTrain);
    return report;
}

bool SweepDialog::writeReport(const ReportTarget& target, const QString& notes,
                              QString* error) const {
    const SweepFigures figures(shownView());
    ReportFigures shown = figures.figures();
    if (m_controller->view().knobs.empty())
        shown = shown.mid(0, 1); // errors against a knob need a knob
    return writeReportFiles(target, comparisonReportContent(report(notes)), shown, error);
}

void SweepDialog::exportReport() {
    ReportDialog dialog(this, QStringLiteral("sweep.pdf"), true);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (writeReport(dialog.target(), dialog.notes(), &error))
        m_progressLabel->setText(
            tr("Exported %1").arg(QDir::toNativeSeparators(dialog.target().pdfPath)));
    else
        QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace sobolev
