// SPDX-License-Identifier: GPL-3.0-or-later
#include "presentationmode.h"

#include "chartreadout.h"
#include "chartview.h"
#include "fieldkeyguard.h"
#include "fitchart.h"
#include "lambdachart.h"
#include "logspinbox.h"
#include "parameterpanel.h"
#include "settings.h"
#include "textformat.h"
#include "trainingchart.h"
#include "trainingcontroller.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDockWidget>
#include <QEvent>
#include <QFontMetrics>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>
#include <array>

namespace sobolev {

namespace {

using Chart = PresentationMode::Chart;

QString chartKey(Chart chart) {
    switch (chart) {
    case Chart::F:
        return QStringLiteral("f");
    case Chart::Fprime:
        return QStringLiteral("fprime");
    case Chart::Error:
        return QStringLiteral("error");
    case Chart::Loss:
        return QStringLiteral("loss");
    case Chart::Lambda:
        return QStringLiteral("lambda");
    }
    return {};
}

QString chartName(Chart chart) {
    switch (chart) {
    case Chart::F:
        return PresentationMode::tr("f");
    case Chart::Fprime:
        return PresentationMode::tr("f′");
    case Chart::Error:
        return PresentationMode::tr("error");
    case Chart::Loss:
        return PresentationMode::tr("loss");
    case Chart::Lambda:
        return PresentationMode::tr("λ(t)");
    }
    return {};
}

QString layoutKey(const QList<Chart>& charts) {
    QStringList keys;
    for (Chart chart : charts)
        keys << chartKey(chart);
    // Not a comma: QSettings' INI format would read "f,loss" back as a list.
    return keys.join(QLatin1Char('+'));
}

// A field on the strip standing in for one of the panel's: what is typed or stepped here goes
// into the panel's field as if typed there, so the panel reads, checks and marks it as usual;
// its text, mark, tooltip and enabled state come back. One form, one set of rules.
class FieldMirror : public QObject {
  public:
    FieldMirror(LogSpinBox* source, LogSpinBox* mirror)
        : QObject(mirror), m_source(source), m_mirror(mirror),
          m_sourceEdit(source->findChild<QLineEdit*>()),
          m_mirrorEdit(mirror->findChild<QLineEdit*>()) {
        mirror->setRange(source->minimum(), source->maximum());
        mirror->setStepFloor(source->stepFloor(), source->isZeroReachable());
        connect(m_sourceEdit, &QLineEdit::textChanged, this, &FieldMirror::pull);
        connect(source, &QDoubleSpinBox::valueChanged, this, &FieldMirror::pull);
        connect(m_mirrorEdit, &QLineEdit::textEdited, this, &FieldMirror::push);
        connect(mirror, &QDoubleSpinBox::valueChanged, this, &FieldMirror::push);
        // The panel is disabled while a run trains, and marks fields after an edit.
        source->installEventFilter(this);
        pull();
    }

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == m_source &&
            (event->type() == QEvent::EnabledChange || event->type() == QEvent::PaletteChange ||
             event->type() == QEvent::ToolTipChange))
            pull();
        return QObject::eventFilter(watched, event);
    }

  private:
    void pull() {
        if (m_mirrorEdit->text() != m_sourceEdit->text()) {
            const QSignalBlocker block(m_mirror); // no valueChanged back to the panel
            m_mirrorEdit->setText(m_sourceEdit->text());
        }
        m_mirror->setPalette(m_source->palette());
        m_mirror->setToolTip(m_source->toolTip());
        m_mirror->setProperty("invalid", m_source->property("invalid"));
        m_mirror->setEnabled(m_source->isEnabled());
    }
    void push() {
        if (m_sourceEdit->text() != m_mirrorEdit->text())
            m_sourceEdit->setText(m_mirrorEdit->text());
    }

    LogSpinBox* m_source;
    LogSpinBox* m_mirror;
    QLineEdit* m_sourceEdit;
    QLineEdit* m_mirrorEdit;
};

} // namespace

PresentationMode::PresentationMode(const Parts& parts, QObject* parent)
    : QObject(parent), m_parts(parts) {
    const QString saved = settings::presentationLayout().get();
    m_layout = layouts().constFirst();
    for (const QList<Chart>& candidate : layouts())
        if (layoutKey(candidate) == saved)
            m_layout = candidate;
    const double savedScale = settings::presentationScale().get();
    if (scales().contains(savedScale))
        m_scale = savedScale;

    m_toggle = new QAction(tr("&Presentation"), this);
    m_toggle->setCheckable(true);
    // F5 starts a slide show in the usual presentation programs; nothing else here uses it.
    m_toggle->setShortcut(QKeySequence(Qt::Key_F5));
    m_toggle->setToolTip(tr("Show one or two charts large, with the run controls and α, β "
                            "and the learning rate on one strip, for a projector (F5)"));
    connect(m_toggle, &QAction::toggled, this, &PresentationMode::setActive);

    m_area = new QSplitter(Qt::Horizontal);
    m_area->setObjectName(QStringLiteral("presentationArea"));
    m_area->setChildrenCollapsible(false);
    buildMenu();
    buildStrip();

    m_readout = new ChartReadout(this);
    if (TrainingController* c = m_parts.controller) {
        // The snapshots come with the epochs, and after every batch in batch slow motion.
        connect(c, &TrainingController::predictionsUpdated, this, &PresentationMode::updateReadout);
        connect(c, &TrainingController::epochsAvailable, this, &PresentationMode::updateReadout);
        connect(c, &TrainingController::knobChanged, this, &PresentationMode::updateReadout);
        connect(c, &TrainingController::runReset, this, &PresentationMode::updateReadout);
    }
}

PresentationMode::~PresentationMode() {
    // In the window while active (which then deletes it), else ours.
    if (m_area && !m_area->parent())
        delete m_area;
}

QList<QList<Chart>> PresentationMode::layouts() {
    return {{Chart::F, Chart::Fprime},
            {Chart::F, Chart::Loss},
            {Chart::Fprime, Chart::Loss},
            {Chart::F, Chart::Error},
            {Chart::Loss, Chart::Error},
            {Chart::Loss, Chart::Lambda},
            {Chart::F},
            {Chart::Fprime},
            {Chart::Error},
            {Chart::Loss},
            {Chart::Lambda}};
}

QList<double> PresentationMode::scales() {
    return {1.5, 1.75, 2.0};
}

double PresentationMode::stripScale(double chartScale) {
    // Half the charts' growth: the whole strip still fits 1280 pixels at 2×, and the class
    // reads the charts; α, β and the rate on the strip stay legible from the back.
    return 1 + (chartScale - 1) / 2;
}

QAction* PresentationMode::toggleAction() const {
    return m_toggle;
}

QMenu* PresentationMode::layoutMenu() const {
    return m_menu;
}

QToolBar* PresentationMode::strip() const {
    return m_strip;
}

bool PresentationMode::isActive() const {
    return m_active;
}

QList<Chart> PresentationMode::layout() const {
    return m_layout;
}

double PresentationMode::scale() const {
    return m_scale;
}

void PresentationMode::buildMenu() {
    m_menu = new QMenu(tr("Presentation &Charts"), m_parts.window);
    m_layoutGroup = new QActionGroup(this);
    for (const QList<Chart>& charts : layouts()) {
        QStringList names;
        for (Chart chart : charts)
            names << chartName(chart);
        QAction* action = m_menu->addAction(
            charts.size() == 1 ? names.constFirst()
                               : tr("%1 and %2").arg(names.constFirst(), names.constLast()));
        action->setCheckable(true);
        action->setChecked(charts == m_layout);
        action->setData(layoutKey(charts));
        m_layoutGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, charts] { setLayout(charts); });
    }
    m_menu->addSeparator();
    m_scaleGroup = new QActionGroup(this);
    for (double scale : scales()) {
        QAction* action = m_menu->addAction(tr("Size %1 %").arg(qRound(scale * 100)));
        action->setCheckable(true);
        action->setChecked(scale == m_scale);
        action->setData(scale);
        m_scaleGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, scale] { setScale(scale); });
    }
}

void PresentationMode::buildStrip() {
    m_strip = new QToolBar(tr("Presentation"), m_parts.window);
    m_strip->setObjectName(QStringLiteral("presentationStrip"));
    m_strip->setMovable(false);
    m_strip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_strip->addActions(m_parts.runActions);
    m_strip->addSeparator();

    const std::array<std::pair<QString, QString>, 3> knobs{{
        {QStringLiteral("alpha"), tr("α")},
        {QStringLiteral("beta"), tr("β")},
        {QStringLiteral("learning_rate"), tr("lr")},
    }};
    for (const auto& [key, label] : knobs) {
        auto* source = m_parts.panel->findChild<LogSpinBox*>(key);
        if (!source)
            continue;
        auto* mirror = new LogSpinBox;
        mirror->setObjectName(QStringLiteral("presentation_") + key);
        mirror->setAccessibleName(source->accessibleName().isEmpty() ? label
                                                                     : source->accessibleName());
        new FieldMirror(source, mirror);
        auto* name = new QLabel(QStringLiteral(" %1 ").arg(label));
        name->setBuddy(mirror);
        m_strip->addWidget(name);
        m_strip->addWidget(mirror);
    }
    m_strip->addSeparator();

    auto* slow = new QComboBox;
    slow->setObjectName(QStringLiteral("presentation_slowMotion"));
    for (int i = 0; i < m_parts.slowMotion->count(); ++i)
        slow->addItem(m_parts.slowMotion->itemText(i), m_parts.slowMotion->itemData(i));
    slow->setToolTip(m_parts.slowMotion->toolTip());
    slow->setCurrentIndex(m_parts.slowMotion->currentIndex());
    // Setting the index it already has emits nothing, so the two never ping-pong.
    connect(slow, &QComboBox::currentIndexChanged, m_parts.slowMotion, &QComboBox::setCurrentIndex);
    connect(m_parts.slowMotion, &QComboBox::currentIndexChanged, slow, &QComboBox::setCurrentIndex);
    m_strip->addWidget(slow);
    m_strip->addSeparator();

    auto* charts = new QToolButton;
    charts->setObjectName(QStringLiteral("presentationChartsButton"));
    charts->setText(tr("Charts"));
    charts->setMenu(m_menu);
    charts->setPopupMode(QToolButton::InstantPopup);
    m_strip->addWidget(charts);
    m_strip->hide();

    // Space in α, β or the learning rate pauses and resumes, as in the panel's fields.
    if (m_parts.pauseAction)
        new FieldKeyGuard(m_parts.pauseAction, m_strip, this);
}

void PresentationMode::setActive(bool active) {
    if (active == m_active)
        return;
    if (active)
        enter();
    else
        leave();
    m_active = active;
    m_toggle->setChecked(active);
    emit activeChanged(active);
}

void PresentationMode::enter() {
    QMainWindow* window = m_parts.window;
    m_windowState = window->saveState();
    m_splitterStates.clear();
    m_splitterStates.append({m_parts.rows, m_parts.rows->saveState()});
    m_rowsHidden.clear();
    for (int i = 0; i < m_parts.rows->count(); ++i) {
        QWidget* row = m_parts.rows->widget(i);
        m_rowsHidden.append({row, row->isHidden()});
        if (auto* splitter = qobject_cast<QSplitter*>(row))
            m_splitterStates.append({splitter, splitter->saveState()});
    }
    m_homes.clear();
    for (const auto& [chart, widget] : m_parts.charts) {
        auto* splitter = qobject_cast<QSplitter*>(widget->parentWidget());
        m_homes.append(
            {widget, splitter, splitter ? splitter->indexOf(widget) : -1, widget->isHidden()});
    }

    for (QDockWidget* dock : window->findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly))
        dock->hide();
    for (QToolBar* toolbar : window->findChildren<QToolBar*>(Qt::FindDirectChildrenOnly))
        toolbar->hide();
    window->addToolBar(Qt::TopToolBarArea, m_strip);
    m_strip->show();

    for (const auto& [row, hidden] : m_rowsHidden)
        if (row)
            row->hide();
    m_parts.rows->addWidget(m_area);
    m_area->show();
    arrangeCharts();
    applyScale();
    // Not in a field of the strip, where a key typed to the class would change a knob.
    if (const QList<ChartView*> views = m_area->findChildren<ChartView*>(); !views.isEmpty())
        views.constFirst()->setFocus();
}

void PresentationMode::leave() {
    QMainWindow* window = m_parts.window;
    returnCharts();
    m_area->hide();
    m_area->setParent(nullptr);
    for (const Place& home : std::as_const(m_homes))
        if (home.chart)
            home.chart->setHidden(home.hidden);
    for (const auto& [row, hidden] : m_rowsHidden)
        if (row)
            row->setHidden(hidden);
    for (const auto& [splitter, state] : m_splitterStates)
        if (splitter)
            splitter->restoreState(state);
    window->removeToolBar(m_strip);
    window->restoreState(m_windowState);
    applyScale();
}

QWidget* PresentationMode::chartWidget(Chart chart) const {
    for (const auto& [which, widget] : m_parts.charts)
        if (which == chart)
            return widget;
    return nullptr;
}

void PresentationMode::returnCharts() {
    // In increasing index, so that each lands where it was.
    QList<Place> homes = m_homes;
    std::sort(homes.begin(), homes.end(),
              [](const Place& a, const Place& b) { return a.index < b.index; });
    for (const Place& home : homes)
        if (home.chart && home.splitter && home.chart->parentWidget() == m_area)
            home.splitter->insertWidget(home.index, home.chart);
}

void PresentationMode::arrangeCharts() {
    returnCharts();
    for (Chart chart : m_layout)
        if (QWidget* widget = chartWidget(chart)) {
            // Shown first: a splitter given only a hidden chart (λ(t) for constant weights)
            // shrinks to nothing in the central one, and stays so when the chart is shown.
            widget->show();
            m_area->addWidget(widget);
        }
    // Side by side, equal.
    m_area->setSizes(QList<int>(m_area->count(), 1000));
}

QList<ChartView*> PresentationMode::chartViews() const {
    QList<ChartView*> views;
    for (const auto& [chart, widget] : m_parts.charts)
        views << widget->findChildren<ChartView*>();
    return views;
}

void PresentationMode::applyScale() {
    // Called as the charts enter or leave the presentation area.
    const double scale = m_area->parent() ? m_scale : 1.0;
    for (ChartView* view : chartViews())
        view->setContentScale(scale);
    // On a projector: a legend of the shown curves inside the plot, light training points.
    for (const auto& [which, widget] : m_parts.charts) {
        const bool presented = m_area->parent() && widget->parentWidget() == m_area;
        if (auto* loss = qobject_cast<TrainingChart*>(widget))
            loss->setCompactLegend(presented);
        else if (auto* fit = qobject_cast<FitChart*>(widget))
            fit->setLightMarkers(presented);
    }
    placeReadout();
    const double stripScale = PresentationMode::stripScale(m_scale);
    QFont font = m_parts.window->font();
    font.setPointSizeF(font.pointSizeF() * stripScale);
    m_strip->setFont(font);
    const int icon = m_parts.window->style()->pixelMetric(QStyle::PM_ToolBarIconSize);
    m_strip->setIconSize(QSize(icon, icon) * stripScale);
    // A toolbar squeezes its fields to their minimum; these must show "0.0001" whole.
    const int fieldWidth =
        QFontMetrics(font).horizontalAdvance(QStringLiteral("0.00001")) + qRound(24 * stripScale);
    for (LogSpinBox* field : m_strip->findChildren<LogSpinBox*>())
        field->setMinimumWidth(fieldWidth);
}

void PresentationMode::setLayout(const QList<Chart>& charts) {
    if (charts.isEmpty() || charts.size() > 2)
        return;
    m_layout = charts;
    for (QAction* action : m_layoutGroup->actions())
        action->setChecked(action->data().toString() == layoutKey(charts));
    if (m_area->parent()) {
        arrangeCharts();
        applyScale();
    }
    writeSettings();
}

void PresentationMode::setScale(double scale) {
    if (!scales().contains(scale))
        return;
    m_scale = scale;
    for (QAction* action : m_scaleGroup->actions())
        action->setChecked(action->data().toDouble() == scale);
    applyScale();
    writeSettings();
}

const ChartReadout* PresentationMode::readout() const {
    return m_readout;
}

void PresentationMode::placeReadout() {
    QChart* chart = nullptr;
    Qt::Corner corner = Qt::TopRightCorner;
    if (m_area->parent()) {
        // The fit first: the readout tells what the class watches form. Each in a corner its
        // curves leave mostly empty: Runge's f is low at the left, f′ negative at the right;
        // the loss chart's legend is in its top right corner.
        for (Chart which : {Chart::F, Chart::Fprime, Chart::Error, Chart::Loss, Chart::Lambda}) {
            if (!m_layout.contains(which))
                continue;
            QWidget* widget = chartWidget(which);
            if (auto* fit = qobject_cast<FitChart*>(widget))
                chart = fit->chart();
            else if (auto* loss = qobject_cast<TrainingChart*>(widget))
                chart = loss->chart();
            else if (auto* lambda = qobject_cast<LambdaChart*>(widget))
                chart = lambda->chart();
            corner =
                which == Chart::F || which == Chart::Loss ? Qt::TopLeftCorner : Qt::TopRightCorner;
            break;
        }
    }
    m_readout->attach(chart, corner);
    updateReadout();
}

QString PresentationMode::readoutText() const {
    const TrainingController* c = m_parts.controller;
    if (!c || !c->hasRun())
        return {};
    const TrainConfig config = c->config();
    const QList<EpochMetrics> history = c->history();
    const int done = history.isEmpty() ? 0 : history.constLast().epoch;
    // In batch slow motion the network shown is part-way through the next epoch.
    const int batch = c->predictionsEpoch() == done + 1 ? c->predictionsBatch() : 0;
    double alpha = config.alpha, beta = config.beta;
    for (const KnobChange& change : config.changes) {
        const bool inForce =
            change.epoch <= done || (change.epoch == done + 1 && change.batch <= batch);
        if (inForce && change.knob == Knob::Alpha)
            alpha = change.value;
        else if (inForce && change.knob == Knob::Beta)
            beta = change.value;
    }
    const bool hasFprime = !config.measured || config.measured->rowsWithFprime() > 0;
    const bool hasErrors = !history.isEmpty();
    const QString f = hasErrors ? errorText(history.constLast().valMseF) : notAvailableText();
    const QString fprime = hasErrors ? fprimeErrorText(hasFprime, history.constLast().valMseFprime)
                                     : notAvailableText();
    const QString epoch =
        batch > 0
            ? tr("epoch %1, batch %2/%3").arg(done + 1).arg(batch).arg(batchesPerEpoch(config))
            : tr("epoch %1").arg(done);
    // The validation errors, as the loss chart's "val" curves.
    return tr("%1\nα %2   β %3\nval MSE f   %4\nval MSE f′ %5")
        .arg(epoch, compactNumber(alpha), compactNumber(beta), f, fprime);
}

void PresentationMode::updateReadout() {
    if (m_readout->chart())
        m_readout->setText(readoutText());
}

void PresentationMode::writeSettings() const {
    settings::presentationLayout().set(layoutKey(m_layout));
    settings::presentationScale().set(m_scale);
}

} // namespace sobolev
