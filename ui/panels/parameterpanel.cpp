// SPDX-License-Identifier: GPL-3.0-or-later
#include "parameterpanel.h"
#include "textformat.h"

#include "backgroundwork.h"
#include "core/config/presets.h"
#include "core/problem/dataset.h"
#include "core/problem/sampling.h"
#include "core/problem/validate.h"
#include "core/train/balance.h"
#include "datafilerow.h"
#include "logspinbox.h"
#include "targetchecker.h"
#include "wholespinbox.h"

#include <QAbstractScrollArea>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace sobolev {

namespace {

QString decimal(double value) {
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString wholeRange(long long lo, long long hi) {
    return ParameterPanel::tr("a whole number from %1 to %2")
        .arg(QLocale().toString(lo), QLocale().toString(hi));
}

// What the field allows, as its tooltip and its problem lines say it (the registry's range;
// whole numbers in the locale's digits).
QString allowedText(Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    if (k.kind == KnobKind::Int)
        return wholeRange((long long)k.min, (long long)k.max);
    if (knob == Knob::Target) {
        QStringList names;
        for (const PresetInfo& preset : presets())
            names << QString::fromLatin1(preset.name);
        return ParameterPanel::tr("one of %1, or a formula in x")
            .arg(names.join(QStringLiteral(", ")));
    }
    if (knob == Knob::Domain)
        return ParameterPanel::tr("a < b, both within ±%1").arg(decimal(limits::maxDomainAbs));
    return toQString(knobRangeText(knob));
}

// A spin box over the knob's range; `lowest` overrides the minimum (epochs: 0 is L-BFGS
// alone, which validate() explains when there is no L-BFGS phase).
QSpinBox* makeSpinBox(Knob knob, std::optional<int> lowest = std::nullopt) {
    const KnobInfo& k = knobInfo(knob);
    auto* box = new WholeSpinBox; // what is typed stays, marked if out of range
    box->setRange(lowest.value_or(int(k.min)), int(k.max));
    // Holding an arrow on a range up to a million should not take minutes.
    box->setAccelerated(true);
    return box;
}

// `unboundedMax` stands in for a knob without an upper limit.
LogSpinBox* makeLogSpinBox(Knob knob, double stepFloor, bool zeroReachable,
                           double unboundedMax = 1e6) {
    const KnobInfo& k = knobInfo(knob);
    auto* box = new LogSpinBox;
    // The minimum is 0 even for the learning rate, which must be positive: a typed 0 then
    // reaches validate() and is shown with its reason instead of being silently refused.
    box->setRange(0.0, std::isinf(k.max) ? unboundedMax : k.max);
    box->setStepFloor(stepFloor, zeroReachable);
    return box;
}

// The registry's label as a form's row label, "&Width:": the mnemonic before the letter at
// `at`, or after the label in brackets, "Sampling (&q):", when `at` is -1. The mnemonics
// avoid F, R, V and H, which the main window's menu bar takes.
QString formLabel(Knob knob, int at, QChar key = {}) {
    QString label = knobFormLabel(knob);
    if (at >= 0)
        label.insert(at, QLatin1Char('&'));
    else
        label += QStringLiteral(" (&%1)").arg(key);
    return label + QLatin1Char(':');
}

// The knob's names (or a menu's labels for them), each with its index as the item's data.
void fillChoices(QComboBox* combo, Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    const auto names = k.choiceLabels ? k.choiceLabels() : k.choices();
    for (std::size_t i = 0; i < names.size(); ++i)
        combo->addItem(ParameterPanel::tr(names[i].c_str()), int(i));
}

QFormLayout* makeForm(QGroupBox* group) {
    auto* form = new QFormLayout(group);
    // Fields fill the narrow dock evenly instead of each taking its own size hint.
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}

// Tints the field's background toward red rather than replacing it, so that it stays readable
// with light and dark palettes; the "invalid" property is there for style sheets and tests.
void setMarked(QWidget* widget, bool marked) {
    if (widget->property("invalid").toBool() == marked)
        return;
    widget->setProperty("invalid", marked);
    if (!marked) {
        widget->setPalette(QPalette());
        return;
    }
    QPalette palette = widget->palette();
    const QColor base = palette.color(QPalette::Base);
    const QColor red(230, 40, 40);
    const auto mix = [](int a, int b) { return (3 * a + 2 * b) / 5; };
    palette.setColor(QPalette::Base,
                     QColor(mix(base.red(), red.red()), mix(base.green(), red.green()),
                            mix(base.blue(), red.blue())));
    widget->setPalette(palette);
}

// Problem text in a red that reads on light and dark backgrounds alike.
void paintAsError(QLabel* label) {
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(210, 30, 30));
    label->setPalette(palette);
}

bool holds(const QLayout* layout, const QWidget* widget) {
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem* item = layout->itemAt(i);
        if (const QWidget* w = item->widget(); w && (w == widget || w->isAncestorOf(widget)))
            return true;
        if (item->layout() && holds(item->layout(), widget))
            return true;
    }
    return false;
}

// The row of `form` whose field is `widget` or holds it (a row of several widgets), or -1.
int formRowOf(const QFormLayout* form, const QWidget* widget) {
    for (int row = 0; row < form->rowCount(); ++row)
        for (const auto role : {QFormLayout::FieldRole, QFormLayout::SpanningRole}) {
            QLayoutItem* item = form->itemAt(row, role);
            if (!item)
                continue;
            if (const QWidget* w = item->widget(); w && (w == widget || w->isAncestorOf(widget)))
                return row;
            if (item->layout() && holds(item->layout(), widget))
                return row;
        }
    return -1;
}

} // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    // First, as every edit signal from here on updates it.
    m_problemsLabel = new QLabel;
    m_problemsLabel->setObjectName(QStringLiteral("problemsLabel"));
    m_problemsLabel->setTextFormat(Qt::PlainText);
    m_problemsLabel->setWordWrap(true);
    paintAsError(m_problemsLabel);
    m_problemsLabel->hide();
    m_notesLabel = new QLabel;
    m_notesLabel->setObjectName(QStringLiteral("notesLabel"));
    m_notesLabel->setTextFormat(Qt::PlainText);
    m_notesLabel->setWordWrap(true);
    m_notesLabel->hide();

    auto* layout = new QVBoxLayout(this);
    // α and β first: the experiment's own knobs, in view without scrolling on a 1280×720
    // projector; the target and the network are set once per lesson.
    layout->addWidget(buildLossGroup());
    layout->addWidget(buildTargetGroup());
    layout->addWidget(buildNetworkGroup());
    layout->addWidget(buildOptimiserGroup());
    layout->addWidget(buildDataGroup());
    layout->addWidget(buildSettlingGroup());
    addMessageRows();
    layout->addWidget(m_problemsLabel);
    layout->addWidget(m_notesLabel);

    const TrainConfig reference;
    // Mnemonics here avoid F, R, V and H, which the main window's menu bar takes.
    m_referenceButton = new QPushButton(tr("Reference ex&periment"));
    m_referenceButton->setObjectName(QStringLiteral("referenceButton"));
    m_referenceButton->setToolTip(
        tr("Set every field to the reference experiment: %1 %2×%3, Adam %4, batch %5, "
           "%6 epochs, seed %7.")
            .arg(toQString(activationName(reference.activation)))
            .arg(reference.width)
            .arg(reference.depth)
            .arg(decimal(reference.learningRate))
            .arg(reference.batchSize)
            .arg(reference.epochs)
            .arg(reference.seed));
    connect(m_referenceButton, &QPushButton::clicked, this, &ParameterPanel::restoreReference);
    layout->addWidget(m_referenceButton);
    layout->addStretch(1);
    leaveWheelToScrolling();

    setConfig(reference);
}

void ParameterPanel::leaveWheelToScrolling() {
    // A wheel turned to scroll the form must not change the knob that passes under the
    // pointer: a field takes the wheel only once clicked or tabbed into.
    const auto guard = [this](QWidget* field) {
        field->setFocusPolicy(Qt::StrongFocus);
        field->installEventFilter(this);
    };
    for (auto* box : findChildren<QAbstractSpinBox*>())
        guard(box);
    for (auto* combo : findChildren<QComboBox*>())
        guard(combo);
}

ParameterPanel::~ParameterPanel() {
    // QWidget deletes the children only after this class's part is gone, and a focused spin box
    // still emits editingFinished on its way out; none of that may reach onEdited().
    for (QObject* child : findChildren<QObject*>())
        disconnect(child, nullptr, this, nullptr);
}

QWidget* ParameterPanel::buildNetworkGroup() {
    auto* group = new QGroupBox(tr("Network"));
    QFormLayout* form = makeForm(group);

    m_width = makeSpinBox(Knob::Width);
    addField(Knob::Width, m_width);
    form->addRow(formLabel(Knob::Width, 0), m_width);

    m_depth = makeSpinBox(Knob::Depth);
    addField(Knob::Depth, m_depth);
    form->addRow(formLabel(Knob::Depth, 0), m_depth);

    m_activation = new QComboBox;
    fillChoices(m_activation, Knob::Activation);
    addField(Knob::Activation, m_activation);
    form->addRow(formLabel(Knob::Activation, 1), m_activation);
    return group;
}

QWidget* ParameterPanel::buildLossGroup() {
    auto* group = new QGroupBox(tr("Loss"));
    QFormLayout* form = makeForm(group);
    form->addRow(new QLabel(tr("loss = α·MSE(f) + β·MSE(f′)")));

    // Stepping below 0.001 goes to 0: switching a term off is a common experiment, a weight
    // of 1e-7 is not (and can still be typed).
    m_alpha = makeLogSpinBox(Knob::Alpha, 1e-3, true);
    addField(Knob::Alpha, m_alpha);
    form->addRow(formLabel(Knob::Alpha, 0), m_alpha);

    m_beta = makeLogSpinBox(Knob::Beta, 1e-3, true);
    addField(Knob::Beta, m_beta);
    form->addRow(formLabel(Knob::Beta, 0), m_beta);
    for (LogSpinBox* box : {m_alpha, m_beta})
        watchLiveKnob(box);

    auto* balance = new QComboBox;
    fillChoices(balance, Knob::Balance);
    addField(Knob::Balance, balance);
    form->addRow(formLabel(Knob::Balance, 6), balance);
    m_analyticLabel = new QLabel;
    m_analyticLabel->setObjectName(QStringLiteral("analyticValue"));
    m_analyticLabel->setWordWrap(true);
    form->addRow(m_analyticLabel);
    // Each rule's parameters, from the registry: their ranges, labels and help.
    for (Knob knob : {Knob::BalanceEvery, Knob::LraRate, Knob::RelobraloAlpha, Knob::RelobraloRho,
                      Knob::RelobraloTau, Knob::SoftadaptBeta, Knob::GradnormAlpha,
                      Knob::GradnormRate, Knob::DirichletRate}) {
        const KnobInfo& k = knobInfo(knob);
        QWidget* field = nullptr;
        if (k.kind == KnobKind::Int) {
            field = makeSpinBox(knob);
        } else {
            auto* box = new QDoubleSpinBox;
            box->setRange(k.min, k.max);
            box->setDecimals(4);
            box->setSingleStep(0.05);
            field = box;
        }
        addField(knob, field);
        form->addRow(knobFormLabel(knob) + QLatin1Char(':'), field);
        m_balanceParameters << field;
    }
    m_lossForm = form;
    connect(this, &ParameterPanel::configChanged, this, &ParameterPanel::updateBalanceRows);
    connect(this, &ParameterPanel::targetChecked, this, &ParameterPanel::updateBalanceRows);
    return group;
}

void ParameterPanel::updateBalanceRows() {
    const TrainConfig config = this->config();
    for (QWidget* field : std::as_const(m_balanceParameters)) {
        const auto it = std::find_if(m_fields.cbegin(), m_fields.cend(),
                                     [field](const Field& f) { return f.widget == field; });
        m_lossForm->setRowVisible(field,
                                  it != m_fields.cend() && knobInfo(it->knob).appliesTo(config));
    }
    const std::uint64_t ticket = ++m_analyticTicket; // an older result is dropped
    if (config.balance != Balance::Analytic || verdict() != Verdict::Valid) {
        showAnalyticRatio(std::nullopt);
        return;
    }
    // Measured (Release, loaded machine): 0.03 ms for the reference's 2048 rows of Runge, 0.3 ms
    // for a typed formula; at a million rows 70 ms and 470 ms, which would stall the window.
    constexpr int cheapRows = 20'000;
    if (trainingRows(config) <= cheapRows) {
        showAnalyticRatio(analyticBetaOverAlpha(Dataset::trainAndValidation(config).first));
        return;
    }
    m_analyticLabel->setText(tr("β/α: working it out from the training data…"));
    m_analyticLabel->show();
    auto* work = new BackgroundWork(this, tr("Analytic balance"),
                                    tr("Working out β/α over the training data…"));
    auto ratio = std::make_shared<double>(std::nan(""));
    work->start(
        [config, ratio](BackgroundWork::Progress&) {
            *ratio = analyticBetaOverAlpha(Dataset::trainAndValidation(config).first);
        },
        [this, work, ratio, ticket](bool cancelled) {
            if (ticket == m_analyticTicket && !cancelled)
                showAnalyticRatio(*ratio);
            work->deleteLater();
        });
}

void ParameterPanel::showAnalyticRatio(std::optional<double> ratio) {
    const QString text = !ratio ? QString()
                         : std::isfinite(*ratio)
                             ? tr("β/α = %1 from the training data").arg(compactNumber(*ratio))
                             : tr("No training row has a nonzero f′: β stays as set");
    m_analyticLabel->setText(text);
    m_analyticLabel->setVisible(!text.isEmpty());
}

QWidget* ParameterPanel::buildOptimiserGroup() {
    auto* group = new QGroupBox(tr("Optimiser"));
    QFormLayout* form = makeForm(group);

    m_learningRate = makeLogSpinBox(Knob::LearningRate, 1e-6, false);
    addField(Knob::LearningRate, m_learningRate);
    form->addRow(formLabel(Knob::LearningRate, 0), m_learningRate);
    watchLiveKnob(m_learningRate);

    // 0 is L-BFGS alone; validate() says so when there is no L-BFGS phase.
    m_epochs = makeSpinBox(Knob::Epochs, 0);
    addField(Knob::Epochs, m_epochs);
    form->addRow(formLabel(Knob::Epochs, 0), m_epochs);

    // A batch larger than n_train is allowed: training then uses n_train, as the note below the
    // form says.
    m_batchSize = makeSpinBox(Knob::BatchSize);
    addField(Knob::BatchSize, m_batchSize);
    form->addRow(formLabel(Knob::BatchSize, 8), m_batchSize);
    return group;
}

QWidget* ParameterPanel::buildDataGroup() {
    auto* group = new QGroupBox(tr("Data"));
    QFormLayout* form = makeForm(group);

    m_nTrain = makeSpinBox(Knob::NTrain);
    addField(Knob::NTrain, m_nTrain);
    form->addRow(formLabel(Knob::NTrain, 0), m_nTrain);

    m_nVal = makeSpinBox(Knob::NVal);
    addField(Knob::NVal, m_nVal);
    form->addRow(formLabel(Knob::NVal, 3), m_nVal);

    m_gridPoints = makeSpinBox(Knob::GridPoints);
    addField(Knob::GridPoints, m_gridPoints);
    form->addRow(formLabel(Knob::GridPoints, 0), m_gridPoints);

    // Taken on the test grid, for the timeline and animations; they do not change the run.
    auto* snapshots = makeSpinBox(Knob::Snapshots);
    addField(Knob::Snapshots, snapshots);
    form->addRow(formLabel(Knob::Snapshots, 5), snapshots);

    // A line edit, not a spin box: QSpinBox is int-only and a double would round large seeds.
    m_seed = new QLineEdit;
    m_seed->setInputMethodHints(Qt::ImhDigitsOnly);
    addField(Knob::Seed, m_seed);
    connect(m_seed, &QLineEdit::textChanged, this, [this] {
        if (const std::optional<std::uint64_t> seed = parsedSeed())
            m_lastGoodSeed = *seed;
        onEdited();
    });

    m_newSeedButton = new QToolButton;
    m_newSeedButton->setObjectName(QStringLiteral("newSeedButton"));
    // "New" rather than "New seed": next to the seed it reads the same, and in a 300 px dock the
    // saved width is what lets a ten-digit seed show in full.
    m_newSeedButton->setText(tr("&New"));
    m_newSeedButton->setAccessibleName(tr("New seed"));
    m_newSeedButton->setToolTip(tr("Draw a new random seed."));
    connect(m_newSeedButton, &QToolButton::clicked, this, &ParameterPanel::newSeed);

    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_newSeedButton);
    auto* seedLabel = new QLabel(formLabel(Knob::Seed, 0));
    seedLabel->setBuddy(m_seed);
    form->addRow(seedLabel, seedRow);
    return group;
}

QWidget* ParameterPanel::buildSettlingGroup() {
    auto* group = new QGroupBox(tr("Settling"));
    group->setToolTip(tr("With a constant rate Adam ends wherever its last spike landed. A "
                         "decaying rate, an L-BFGS phase or the best weights make the final "
                         "numbers of two runs comparable."));
    QFormLayout* form = makeForm(group);
    m_schedule = new QComboBox;
    fillChoices(m_schedule, Knob::Schedule);
    addField(Knob::Schedule, m_schedule);
    form->addRow(formLabel(Knob::Schedule, 2), m_schedule);

    m_lrFloor = makeLogSpinBox(Knob::LrFloor, 1e-6, false);
    addField(Knob::LrFloor, m_lrFloor);
    form->addRow(formLabel(Knob::LrFloor, 5), m_lrFloor);

    m_decayFactor = new QDoubleSpinBox;
    m_decayFactor->setRange(0.0, 1.0);
    m_decayFactor->setDecimals(3);
    m_decayFactor->setSingleStep(0.05);
    addField(Knob::DecayFactor, m_decayFactor);
    form->addRow(formLabel(Knob::DecayFactor, 4), m_decayFactor);

    m_stepEpochs = makeSpinBox(Knob::StepEpochs);
    addField(Knob::StepEpochs, m_stepEpochs);
    form->addRow(formLabel(Knob::StepEpochs, 6), m_stepEpochs);

    m_patience = makeSpinBox(Knob::Patience);
    addField(Knob::Patience, m_patience);
    form->addRow(formLabel(Knob::Patience, 2), m_patience);

    auto* adamEpsilon = makeLogSpinBox(Knob::AdamEpsilon, 1e-12, false);
    addField(Knob::AdamEpsilon, adamEpsilon);
    form->addRow(formLabel(Knob::AdamEpsilon, 3), adamEpsilon);

    m_precision = new QComboBox;
    fillChoices(m_precision, Knob::Precision);
    addField(Knob::Precision, m_precision);
    form->addRow(formLabel(Knob::Precision, 4), m_precision);

    m_lbfgsIterations = makeSpinBox(Knob::LbfgsIterations);
    addField(Knob::LbfgsIterations, m_lbfgsIterations);
    form->addRow(formLabel(Knob::LbfgsIterations, 4), m_lbfgsIterations);

    m_lbfgsHistory = makeSpinBox(Knob::LbfgsHistory);
    addField(Knob::LbfgsHistory, m_lbfgsHistory);
    form->addRow(formLabel(Knob::LbfgsHistory, 13), m_lbfgsHistory);

    m_lbfgsGradientTolerance = makeLogSpinBox(Knob::LbfgsGradientTolerance, 1e-15, true, 1e6);
    addField(Knob::LbfgsGradientTolerance, m_lbfgsGradientTolerance);
    form->addRow(formLabel(Knob::LbfgsGradientTolerance, 14), m_lbfgsGradientTolerance);

    m_lbfgsChangeTolerance = makeLogSpinBox(Knob::LbfgsChangeTolerance, 1e-15, true, 1.0);
    addField(Knob::LbfgsChangeTolerance, m_lbfgsChangeTolerance);
    form->addRow(formLabel(Knob::LbfgsChangeTolerance, 14), m_lbfgsChangeTolerance);

    m_lbfgsPrecision = new QComboBox;
    fillChoices(m_lbfgsPrecision, Knob::LbfgsPrecision);
    addField(Knob::LbfgsPrecision, m_lbfgsPrecision);
    form->addRow(formLabel(Knob::LbfgsPrecision, 14), m_lbfgsPrecision);

    m_restoreBest = new QCheckBox(tr("Restore the &best weights at the end"));
    addField(Knob::RestoreBest, m_restoreBest);
    connect(m_restoreBest, &QCheckBox::toggled, this, &ParameterPanel::onEdited);
    form->addRow(m_restoreBest);

    return group;
}

void ParameterPanel::updateEnabledFields() {
    if (m_liveOnly)
        return; // setLiveOnly(false) comes back here
    // A field is editable while its knob applies (patience with plateau, the L-BFGS knobs with
    // L-BFGS iterations, n_train without data): the registry says when. The preset's
    // parameter has a rule of its own (refreshTargetInfo), and the data row enables its
    // validation share itself.
    const TrainConfig config = this->config();
    for (const Field& field : m_fields) {
        const KnobInfo& k = knobInfo(field.knob);
        if (k.knob == Knob::TargetParam || k.knob == Knob::Data || k.knob == Knob::DataValidation)
            continue;
        field.widget->setEnabled(k.switches || k.appliesTo(config));
    }
}

void ParameterPanel::addField(Knob knob, QWidget* widget) {
    const KnobInfo& k = knobInfo(knob);
    const QString key = QLatin1String(k.key);
    widget->setObjectName(key);
    QString description = tr(k.help);
    if (k.logScale && qobject_cast<LogSpinBox*>(widget))
        description += tr(" The arrows multiply or divide by 10.");
    const QString range = allowedText(knob);
    Field field{
        knob, key, knobFormLabel(knob), widget, tr("%1\nAllowed: %2.").arg(description, range),
        range};
    widget->setToolTip(field.help);
    m_fields.push_back(std::move(field));

    if (auto* box = qobject_cast<QAbstractSpinBox*>(widget))
        watchSpinBox(box);
    else if (auto* combo = qobject_cast<QComboBox*>(widget))
        connect(combo, &QComboBox::currentIndexChanged, this, &ParameterPanel::onEdited);
}

void ParameterPanel::watchLiveKnob(LogSpinBox* box) {
    connect(box, &QAbstractSpinBox::editingFinished, this, &ParameterPanel::liveKnobsEdited);
    connect(box, &LogSpinBox::stepped, this, &ParameterPanel::liveKnobsEdited);
}

void ParameterPanel::watchSpinBox(QAbstractSpinBox* box) {
    // Each signal covers a case the others miss: valueChanged a value set in code (the editor's
    // signals are blocked then), the editor's textChanged typing that does not parse (yet),
    // editingFinished a bad entry reverted when the field is left.
    if (auto* intBox = qobject_cast<QSpinBox*>(box))
        connect(intBox, &QSpinBox::valueChanged, this, &ParameterPanel::onEdited);
    else if (auto* doubleBox = qobject_cast<QDoubleSpinBox*>(box))
        connect(doubleBox, &QDoubleSpinBox::valueChanged, this, &ParameterPanel::onEdited);
    if (auto* editor = box->findChild<QLineEdit*>())
        connect(editor, &QLineEdit::textChanged, this, &ParameterPanel::onEdited);
    connect(box, &QAbstractSpinBox::editingFinished, this, &ParameterPanel::onEdited);
    box->installEventFilter(this);
}

bool ParameterPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Wheel) {
        if (auto* field = qobject_cast<QWidget*>(watched); field && !field->hasFocus()) {
            // The form's scroll area scrolls instead, as if the field were not there.
            QAbstractScrollArea* area = nullptr;
            for (QWidget* w = field->parentWidget(); w && !area; w = w->parentWidget())
                area = qobject_cast<QAbstractScrollArea*>(w);
            if (area)
                QCoreApplication::sendEvent(area->viewport(), event);
            return true;
        }
    }
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::Wheel:
        // An arrow step on text a QSpinBox cannot read reverts it to the old value without any
        // signal; look again once the event has been handled so that no stale mark remains.
        QMetaObject::invokeMethod(this, &ParameterPanel::onEdited, Qt::QueuedConnection);
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

namespace {
// A field of a plain knob reads and shows its value as a number: a spin box's value, a
// combo box's item data (the index of the name), a check box's state. Other fields are
// read by hand: nullopt.
std::optional<double> fieldValue(const QWidget* widget) {
    if (auto* box = qobject_cast<const QSpinBox*>(widget))
        return box->value();
    if (auto* box = qobject_cast<const QDoubleSpinBox*>(widget))
        return box->value();
    if (auto* combo = qobject_cast<const QComboBox*>(widget); combo && !combo->isEditable())
        return combo->currentData().toInt();
    if (auto* check = qobject_cast<const QCheckBox*>(widget))
        return check->isChecked() ? 1 : 0;
    return std::nullopt;
}

void showFieldValue(QWidget* widget, double value) {
    if (auto* box = qobject_cast<QSpinBox*>(widget))
        box->setValue(int(value));
    else if (auto* box = qobject_cast<QDoubleSpinBox*>(widget))
        box->setValue(value);
    else if (auto* combo = qobject_cast<QComboBox*>(widget)) {
        if (const int index = combo->findData(int(value)); index >= 0)
            combo->setCurrentIndex(index);
    } else if (auto* check = qobject_cast<QCheckBox*>(widget))
        check->setChecked(value != 0);
}

// The knobs whose widgets are not one plain field: read and shown by hand.
bool readByHand(Knob knob) {
    return knob == Knob::Seed || knob == Knob::Target || knob == Knob::TargetParam ||
           knob == Knob::Domain || knob == Knob::Data || knob == Knob::DataValidation;
}
} // namespace

TrainConfig ParameterPanel::config() const {
    TrainConfig config;
    for (const Field& field : m_fields)
        if (!readByHand(field.knob))
            if (const auto value = fieldValue(field.widget))
                setKnob(config, field.knob, *value);
    config.seed = parsedSeed().value_or(m_lastGoodSeed);
    config.target = m_target->currentText().trimmed().toStdString();
    bool paramOk = true;
    config.targetParam = parsedTargetParam(&paramOk);
    config.domainMin = m_domainMin->value();
    config.domainMax = m_domainMax->value();
    config.changes = m_changes;
    m_dataRow->applyTo(config);
    return config;
}

void ParameterPanel::setConfig(const TrainConfig& config) {
    {
        // One configChanged() for the whole config, not one per widget.
        const QScopedValueRollback guard(m_settingConfig, true);
        for (const Field& field : m_fields)
            if (!readByHand(field.knob))
                showFieldValue(field.widget, knobValue(config, field.knob));
        m_lastGoodSeed = config.seed;
        m_seed->setText(QString::number(config.seed));
        m_target->setEditText(QString::fromStdString(config.target));
        m_targetParam->setText(config.targetParam ? decimal(*config.targetParam) : QString());
        m_domainMin->setValue(config.domainMin);
        m_domainMax->setValue(config.domainMax);
        m_changes = config.changes;
        m_dataRow->showData(config);
    }
    updateEnabledFields();
    refreshMarks();
    m_reported = this->config();
    emit configChanged();
}

ParameterPanel::Verdict ParameterPanel::verdict() const {
    if (!collectProblems().empty())
        return Verdict::Invalid;
    const TrainConfig config = this->config();
    if (targetNeedsCheck(config) && !m_checker->verdictFor(config))
        return Verdict::Checking;
    return Verdict::Valid;
}

bool ParameterPanel::targetNeedsCheck(const TrainConfig& config) const {
    return !config.measured && knobProblems(config).empty();
}

void ParameterPanel::onTargetChecked() {
    m_checkingNote.stop();
    refreshMarks();
    emit targetChecked();
}

QStringList ParameterPanel::problems() const {
    QStringList lines;
    for (const Problem& problem : collectProblems())
        lines << tr("%1: %2").arg(fieldName(problem.key), problem.message);
    return lines;
}

void ParameterPanel::setLiveOnly(bool liveOnly) {
    if (liveOnly == m_liveOnly)
        return;
    m_liveOnly = liveOnly;
    for (const Field& field : m_fields)
        if (!knobInfo(field.knob).live)
            field.widget->setEnabled(!liveOnly);
    for (QWidget* w : std::initializer_list<QWidget*>{m_newSeedButton, m_referenceButton, m_domain})
        if (w)
            w->setEnabled(!liveOnly);
    if (!liveOnly) { // the fields that depend on others
        updateEnabledFields();
        refreshTargetInfo();
    }
}

void ParameterPanel::restoreReference() {
    setConfig(TrainConfig{});
}

void ParameterPanel::newSeed() {
    const std::uint64_t current = config().seed;
    std::uint64_t seed = current;
    // 32 bits are plenty of choice and short enough to read out and note down; the loop is
    // for the 1 in 4 billion chance of "New seed" appearing to do nothing.
    while (seed == current)
        seed = QRandomGenerator::global()->generate();
    m_seed->setText(QString::number(seed));
}

void ParameterPanel::addMessageRows() {
    const QList<QFormLayout*> forms = findChildren<QFormLayout*>();
    for (Field& field : m_fields) {
        field.message = new QLabel;
        field.message->setObjectName(field.key + QStringLiteral("_message"));
        field.message->setTextFormat(Qt::PlainText);
        field.message->setWordWrap(true);
        QFont small = field.message->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        field.message->setFont(small);
        paintAsError(field.message);
        for (QFormLayout* form : forms)
            if (const int row = formRowOf(form, field.widget); row >= 0) {
                form->insertRow(row + 1, static_cast<QWidget*>(nullptr), field.message);
                form->setRowVisible(field.message, false);
                break;
            }
        Q_ASSERT(field.message->parentWidget()); // every field is in a form
    }
}

void ParameterPanel::showMessage(const Field& field, const QStringList& reasons) {
    field.message->setText(reasons.join(u'\n'));
    const auto* group = field.message->parentWidget();
    if (auto* form = group ? qobject_cast<QFormLayout*>(group->layout()) : nullptr)
        form->setRowVisible(field.message, !reasons.isEmpty()); // no gap while it is hidden
}

const ParameterPanel::Field* ParameterPanel::fieldFor(const QString& key) const {
    for (const Field& field : m_fields)
        if (field.key == key)
            return &field;
    return nullptr;
}

bool ParameterPanel::revealFirstProblem() {
    for (const Problem& problem : collectProblems()) {
        const Field* field = fieldFor(problem.key);
        if (!field)
            continue;
        for (QWidget* w = parentWidget(); w; w = w->parentWidget())
            if (auto* area = qobject_cast<QScrollArea*>(w)) {
                // The message first, then the field: both in view when they fit, the field when
                // only one does.
                area->ensureWidgetVisible(field->message);
                area->ensureWidgetVisible(field->widget);
                break;
            }
        QWidget* target = field->widget;
        // A row of several widgets (the domain's two boxes) takes the focus at its first.
        if (target->focusPolicy() == Qt::NoFocus && !target->focusProxy())
            if (QWidget* first = target->nextInFocusChain(); first && target->isAncestorOf(first))
                target = first;
        target->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return false;
}

void ParameterPanel::onEdited() {
    if (m_settingConfig)
        return;
    refreshMarks();
    const TrainConfig now = config();
    if (now != m_reported) {
        m_reported = now;
        emit configChanged();
    }
}

void ParameterPanel::refreshMarks() {
    const std::vector<Problem> found = collectProblems();
    QStringList lines;
    for (const Problem& problem : found)
        lines << tr("%1: %2").arg(fieldName(problem.key), problem.message);

    for (const Field& field : m_fields) {
        QStringList reasons, messages;
        for (std::size_t i = 0; i < found.size(); ++i)
            if (found[i].key == field.key) {
                reasons << lines[qsizetype(i)];
                messages << found[i].message; // under the field, its name goes without saying
            }
        setMarked(field.widget, !reasons.isEmpty());
        field.widget->setToolTip(reasons.isEmpty()
                                     ? field.help
                                     : reasons.join(u'\n') + QStringLiteral("\n\n") + field.help);
        showMessage(field, messages);
    }

    // Below the form: only the problems that no field owns (the run's planned changes).
    QStringList bullets;
    for (std::size_t i = 0; i < found.size(); ++i)
        if (!fieldFor(found[i].key))
            bullets << QStringLiteral("• ") + lines[qsizetype(i)];
    m_problemsLabel->setText(bullets.join(u'\n'));
    m_problemsLabel->setVisible(!bullets.empty());
    updateEnabledFields();
    if (const TrainConfig config = this->config();
        targetNeedsCheck(config) && !m_checker->verdictFor(config)) {
        m_checker->check(config);
        if (!m_checkingNote.isActive())
            m_checkingNote.start();
    }
    refreshTargetInfo();

    const bool valid = found.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

std::vector<ParameterPanel::Problem> ParameterPanel::collectProblems() const {
    std::vector<Problem> found;
    // Text that does not parse comes first and replaces validate()'s verdict on that field:
    // config() still holds the field's last good value, which the user no longer sees.
    for (const Field& field : m_fields) {
        QString text;
        if (auto* box = qobject_cast<QAbstractSpinBox*>(field.widget);
            box && !box->hasAcceptableInput())
            text = box->text();
        else if (field.widget == m_seed && !parsedSeed())
            text = m_seed->text();
        else if (bool ok = true; field.widget == m_targetParam && (parsedTargetParam(&ok), !ok))
            text = m_targetParam->text();
        else
            continue;
        found.push_back({field.key, tr("must be %1; got \"%2\"").arg(field.range, text)});
    }
    const auto unreadable = [&](const QString& key) {
        return std::any_of(found.begin(), found.end(),
                           [&](const Problem& problem) { return problem.key == key; });
    };

    const TrainConfig config = this->config();
    std::vector<ConfigProblem> validated = knobProblems(config);
    if (targetNeedsCheck(config)) // a target not checked yet has no problems so far
        if (const auto verdict = m_checker->verdictFor(config))
            validated = verdict->problems;
    std::vector<Problem> judged;
    for (const ConfigProblem& problem : validated) {
        const QString key = QString::fromStdString(problem.field);
        if (unreadable(key))
            continue;
        judged.push_back({key, QString::fromStdString(problem.message)});
    }
    found.insert(found.end(), judged.begin(), judged.end());

    const auto position = [this](const Problem& problem) {
        const auto it = std::find_if(m_fields.begin(), m_fields.end(),
                                     [&](const Field& field) { return field.key == problem.key; });
        return it - m_fields.begin();
    };
    std::stable_sort(found.begin(), found.end(),
                     [&](const Problem& a, const Problem& b) { return position(a) < position(b); });
    return found;
}

// --- Target and data ----------------------------------------------------------------

QWidget* ParameterPanel::buildTargetGroup() {
    auto* group = new QGroupBox(tr("Target"));
    QFormLayout* form = makeForm(group);

    m_dataRow = new DataFileRow;
    addField(Knob::Data, m_dataRow);
    addField(Knob::DataValidation, m_dataRow->validationBox());
    connect(m_dataRow, &DataFileRow::dataChanged, this, &ParameterPanel::onEdited);
    form->addRow(tr("Data:"), m_dataRow);

    m_target = new QComboBox;
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    for (const PresetInfo& preset : presets()) {
        m_target->addItem(QString::fromLatin1(preset.name));
        m_target->setItemData(m_target->count() - 1, QString::fromUtf8(preset.title),
                              Qt::ToolTipRole);
    }
    addField(Knob::Target, m_target);
    connect(m_target, &QComboBox::editTextChanged, this, &ParameterPanel::onEdited);
    connect(m_target, &QComboBox::activated, this, &ParameterPanel::onTargetChosen);
    form->addRow(tr("Target f(&x):"), m_target);

    m_derivativeLabel = new QLabel;
    m_derivativeLabel->setObjectName(QStringLiteral("derivativeLabel"));
    m_derivativeLabel->setTextFormat(Qt::PlainText);
    m_derivativeLabel->setWordWrap(true);
    m_derivativeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_derivativeLabel);
    m_checker = new TargetChecker(this);
    connect(m_checker, &TargetChecker::targetChecked, this, &ParameterPanel::onTargetChecked);
    m_checkingNote.setSingleShot(true);
    m_checkingNote.setInterval(250);
    connect(&m_checkingNote, &QTimer::timeout, this, &ParameterPanel::refreshTargetInfo);

    m_targetParam = new QLineEdit;
    addField(Knob::TargetParam, m_targetParam);
    connect(m_targetParam, &QLineEdit::textChanged, this, &ParameterPanel::onEdited);
    form->addRow(formLabel(Knob::TargetParam, 4), m_targetParam);

    m_domainMin = new QDoubleSpinBox;
    m_domainMax = new QDoubleSpinBox;
    for (QDoubleSpinBox* box : {m_domainMin, m_domainMax}) {
        box->setRange(-limits::maxDomainAbs, limits::maxDomainAbs);
        box->setDecimals(4);
        box->setSingleStep(0.5);
        box->setAccelerated(true);
        watchSpinBox(box);
    }
    m_domainMin->setObjectName(QStringLiteral("domain_min"));
    m_domainMax->setObjectName(QStringLiteral("domain_max"));
    m_domainMin->setAccessibleName(tr("Domain start a"));
    m_domainMax->setAccessibleName(tr("Domain end b"));
    m_domain = new QWidget;
    auto* domainRow = new QHBoxLayout(m_domain);
    domainRow->setContentsMargins(0, 0, 0, 0);
    domainRow->addWidget(m_domainMin, 1);
    domainRow->addWidget(new QLabel(tr("to")));
    domainRow->addWidget(m_domainMax, 1);
    addField(Knob::Domain, m_domain);
    auto* domainLabel = new QLabel(formLabel(Knob::Domain, 1));
    domainLabel->setBuddy(m_domainMin);
    form->addRow(domainLabel, m_domain);

    m_sampling = new QComboBox;
    fillChoices(m_sampling, Knob::Sampling);
    addField(Knob::Sampling, m_sampling);
    form->addRow(formLabel(Knob::Sampling, -1, u'q'), m_sampling);

    m_noiseF = makeLogSpinBox(Knob::NoiseF, 1e-3, true);
    addField(Knob::NoiseF, m_noiseF);
    form->addRow(formLabel(Knob::NoiseF, -1, u'k'), m_noiseF);

    m_noiseFprime = makeLogSpinBox(Knob::NoiseFprime, 1e-3, true);
    addField(Knob::NoiseFprime, m_noiseFprime);
    form->addRow(formLabel(Knob::NoiseFprime, -1, u'y'), m_noiseFprime);
    return group;
}

void ParameterPanel::onTargetChosen(int index) {
    // A preset picked from the list: its default parameter and its usual domain.
    const PresetInfo* preset = presetByName(m_target->itemText(index).toStdString());
    if (!preset)
        return;
    m_targetParam->clear();
    m_domainMin->setValue(preset->domainMin);
    m_domainMax->setValue(preset->domainMax);
}

void ParameterPanel::refreshTargetInfo() {
    const TrainConfig config = this->config();
    const PresetInfo* preset = presetByName(config.target);
    m_targetParam->setEnabled(!m_liveOnly && (!preset || preset->paramName));
    m_targetParam->setPlaceholderText(
        preset && preset->paramName
            ? tr("%1 = %2 (default)")
                  .arg(QString::fromLatin1(preset->paramName), decimal(preset->defaultParam))
            : tr("none"));
    // Measured data replace the target and how its points are drawn.
    const bool data = bool(config.measured);
    if (data)
        m_targetParam->setEnabled(false);
    QString derivative;
    if (data) {
        derivative = tr("Training on the data file: the target, domain, sampling, noise, "
                        "n_train, n_val and grid points are not used.");
    } else if (const auto verdict = m_checker->verdictFor(config)) {
        derivative = verdict->derivative.isEmpty() ? tr("f′(x): fix the formula to see it")
                                                   : tr("f′(x) = %1").arg(verdict->derivative);
    } else if (!knobProblems(config).empty()) {
        derivative = tr("f′(x): fix the fields marked in red to see it");
    } else if (m_checkingNote.isActive()) {
        derivative = m_derivativeLabel->text(); // the check usually takes milliseconds
    } else {
        derivative = tr("f′(x): working it out…");
    }
    m_derivativeLabel->setText(derivative);

    QStringList notes;
    for (const std::string& note : configNotes(config))
        notes << QStringLiteral("• ") + QString::fromStdString(note);
    if (!config.changes.empty())
        notes << tr("• Changes during the run, which Train replays: %1")
                     .arg(changeSummaries(config).join(QStringLiteral(", ")));
    m_notesLabel->setText(notes.join(u'\n'));
    m_notesLabel->setVisible(!notes.isEmpty());
}

std::optional<double> ParameterPanel::parsedTargetParam(bool* ok) const {
    const QString text = m_targetParam->text().trimmed();
    *ok = true;
    if (text.isEmpty())
        return std::nullopt;
    const double value = QLocale().toDouble(text, ok);
    if (!*ok) {
        bool cOk = false;
        const double c = QLocale::c().toDouble(text, &cOk);
        *ok = cOk;
        return cOk ? std::optional<double>(c) : std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> ParameterPanel::parsedSeed() const {
    bool ok = false;
    const qulonglong seed = m_seed->text().trimmed().toULongLong(&ok, 10);
    if (!ok)
        return std::nullopt;
    return seed;
}

QString ParameterPanel::fieldName(const QString& key) const {
    for (const Field& field : m_fields)
        if (field.key == key)
            return field.name;
    return key;
}

} // namespace sobolev
