// SPDX-License-Identifier: GPL-3.0-or-later
#include "parameterpanel.h"
#include "textformat.h"

#include "datafilerow.h"
#include "logspinbox.h"
#include "sampling.h"
#include "target.h"
#include "wholespinbox.h"

#include <QCheckBox>
#include <QComboBox>
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

QString lossWeightRange() {
    return ParameterPanel::tr("a number from 0 to %1").arg(decimal(limits::maxLossWeight));
}

QSpinBox* makeSpinBox(int lo, int hi) {
    auto* box = new WholeSpinBox; // what is typed stays, marked if out of range
    box->setRange(lo, hi);
    // Holding an arrow on a range up to a million should not take minutes.
    box->setAccelerated(true);
    return box;
}

LogSpinBox* makeLogSpinBox(double max, double stepFloor, bool zeroReachable) {
    auto* box = new LogSpinBox;
    // The minimum is 0 even for the learning rate, which must be positive: a typed 0 then
    // reaches validate() and is shown with its reason instead of being silently refused.
    box->setRange(0.0, max);
    box->setStepFloor(stepFloor, zeroReachable);
    return box;
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

} // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    // First, as every edit signal from here on updates it.
    m_problemsLabel = new QLabel;
    m_problemsLabel->setObjectName(QStringLiteral("problemsLabel"));
    m_problemsLabel->setTextFormat(Qt::PlainText);
    m_problemsLabel->setWordWrap(true);
    QPalette problemsPalette = m_problemsLabel->palette();
    problemsPalette.setColor(QPalette::WindowText, QColor(210, 30, 30));
    m_problemsLabel->setPalette(problemsPalette);
    m_problemsLabel->hide();
    m_notesLabel = new QLabel;
    m_notesLabel->setObjectName(QStringLiteral("notesLabel"));
    m_notesLabel->setTextFormat(Qt::PlainText);
    m_notesLabel->setWordWrap(true);
    m_notesLabel->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildTargetGroup());
    layout->addWidget(buildNetworkGroup());
    layout->addWidget(buildLossGroup());
    layout->addWidget(buildOptimiserGroup());
    layout->addWidget(buildDataGroup());
    layout->addWidget(buildSettlingGroup());
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

    setConfig(reference);
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

    m_width = makeSpinBox(limits::minWidth, limits::maxWidth);
    addField(QStringLiteral("width"), tr("Width"), m_width, tr("Neurons in each hidden layer."),
             wholeRange(limits::minWidth, limits::maxWidth));
    form->addRow(tr("&Width:"), m_width);

    m_depth = makeSpinBox(limits::minDepth, limits::maxDepth);
    addField(QStringLiteral("depth"), tr("Depth"), m_depth, tr("Number of hidden layers."),
             wholeRange(limits::minDepth, limits::maxDepth));
    form->addRow(tr("&Depth:"), m_depth);

    m_activation = new QComboBox;
    QStringList names;
    for (Activation activation : allActivations()) {
        const QString name = toQString(activationName(activation));
        m_activation->addItem(name, int(activation));
        names << name;
    }
    addField(QStringLiteral("activation"), tr("Activation"), m_activation,
             tr("Nonlinearity of the hidden neurons. The derivative term of the loss "
                "differentiates the network a second time, so only smooth ones are offered."),
             tr("one of %1").arg(names.join(QStringLiteral(", "))));
    form->addRow(tr("A&ctivation:"), m_activation);
    return group;
}

QWidget* ParameterPanel::buildLossGroup() {
    auto* group = new QGroupBox(tr("Loss"));
    QFormLayout* form = makeForm(group);
    form->addRow(new QLabel(tr("loss = α·MSE(f) + β·MSE(f′)")));

    // Stepping below 0.001 goes to 0: switching a term off is a common experiment, a weight
    // of 1e-7 is not (and can still be typed).
    m_alpha = makeLogSpinBox(limits::maxLossWeight, 1e-3, true);
    addField(QStringLiteral("alpha"), tr("Alpha"), m_alpha,
             tr("Weight α of the function error in the loss; 0 fits the derivative alone, but "
                "not together with β = 0. The arrows multiply or divide by 10."),
             lossWeightRange());
    form->addRow(tr("&Alpha:"), m_alpha);

    m_beta = makeLogSpinBox(limits::maxLossWeight, 1e-3, true);
    addField(QStringLiteral("beta"), tr("Beta"), m_beta,
             tr("Weight β of the derivative error in the loss; 0 is a plain fit of f, but "
                "not together with α = 0. The arrows multiply or divide by 10."),
             lossWeightRange());
    form->addRow(tr("&Beta:"), m_beta);
    for (LogSpinBox* box : {m_alpha, m_beta})
        watchKnob(box);
    return group;
}

QWidget* ParameterPanel::buildOptimiserGroup() {
    auto* group = new QGroupBox(tr("Optimiser"));
    QFormLayout* form = makeForm(group);

    m_learningRate = makeLogSpinBox(limits::maxLearningRate, 1e-6, false);
    addField(QStringLiteral("learning_rate"), tr("Learning rate"), m_learningRate,
             tr("Adam's step size. The arrows multiply or divide by 10; you can type 1e-3."),
             tr("a number greater than 0 and at most %1").arg(decimal(limits::maxLearningRate)));
    form->addRow(tr("&Learning rate:"), m_learningRate);
    watchKnob(m_learningRate);

    // 0 is L-BFGS alone; validate() says so when there is no L-BFGS phase.
    m_epochs = makeSpinBox(0, limits::maxEpochs);
    addField(QStringLiteral("epochs"), tr("Epochs"), m_epochs,
             tr("Adam's passes over the training points (0: L-BFGS alone)."),
             wholeRange(limits::minEpochs, limits::maxEpochs));
    form->addRow(tr("&Epochs:"), m_epochs);

    // A batch larger than n_train is allowed: training then uses n_train, as the note below the
    // form says.
    m_batchSize = makeSpinBox(1, limits::maxSamples);
    addField(QStringLiteral("batch_size"), tr("Batch size"), m_batchSize,
             tr("Training points per Adam step. Larger batches take fewer, smoother steps per "
                "epoch and need more memory. Above the number of training points, training "
                "uses all of them in one batch."),
             wholeRange(1, limits::maxSamples));
    form->addRow(tr("Batch si&ze:"), m_batchSize);
    return group;
}

QWidget* ParameterPanel::buildDataGroup() {
    auto* group = new QGroupBox(tr("Data"));
    QFormLayout* form = makeForm(group);

    m_nTrain = makeSpinBox(limits::minSamples, limits::maxSamples);
    addField(QStringLiteral("n_train"), tr("Training points"), m_nTrain,
             tr("Points of the domain to train on, placed by the sampling."),
             wholeRange(limits::minSamples, limits::maxSamples));
    form->addRow(tr("&Training points:"), m_nTrain);

    m_nVal = makeSpinBox(limits::minSamples, limits::maxSamples);
    addField(QStringLiteral("n_val"), tr("Validation points"), m_nVal,
             tr("Points drawn uniformly from the domain, separately, to watch for overfitting; "
                "never trained on."),
             wholeRange(limits::minSamples, limits::maxSamples));
    form->addRow(tr("Val&idation points:"), m_nVal);

    m_gridPoints = makeSpinBox(limits::minGridPoints, limits::maxGridPoints);
    addField(QStringLiteral("grid_points"), tr("Grid points"), m_gridPoints,
             tr("Evenly spaced points on the domain where the fit is plotted and its errors are "
                "measured."),
             wholeRange(limits::minGridPoints, limits::maxGridPoints));
    form->addRow(tr("&Grid points:"), m_gridPoints);

    // A line edit, not a spin box: QSpinBox is int-only and a double would round large seeds.
    m_seed = new QLineEdit;
    m_seed->setInputMethodHints(Qt::ImhDigitsOnly);
    addField(QStringLiteral("seed"), tr("Seed"), m_seed,
             tr("Seeds the sampled points, the initial weights and the shuffling: the same "
                "seed draws the same data and starting network."),
             tr("a whole number from 0 to %1")
                 .arg(QLocale().toString(std::numeric_limits<qulonglong>::max())));
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
    auto* seedLabel = new QLabel(tr("&Seed:"));
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
    auto choices = [](QComboBox* combo, const auto& values, auto nameOf) {
        QStringList names;
        for (auto value : values) {
            combo->addItem(toQString(nameOf(value)), int(value));
            names << toQString(nameOf(value));
        }
        return tr("one of %1").arg(names.join(QStringLiteral(", ")));
    };

    m_schedule = new QComboBox;
    const QString schedules = choices(m_schedule, allSchedules(), scheduleName);
    addField(QStringLiteral("schedule"), tr("Schedule"), m_schedule,
             tr("How Adam's learning rate changes: constant; cosine down to the floor over the "
                "epochs; exponential down to the floor; step, times the decay factor every few "
                "epochs; plateau, times the decay factor when the validation loss stalls."),
             schedules);
    form->addRow(tr("Sc&hedule:"), m_schedule);

    m_lrFloor = makeLogSpinBox(1.0, 1e-6, false);
    addField(QStringLiteral("lr_floor"), tr("Rate floor"), m_lrFloor,
             tr("The lowest rate a schedule reaches, as a fraction of the learning rate "
                "(0.01: a hundredth)."),
             tr("a number greater than 0 and at most 1"));
    form->addRow(tr("Rate &floor:"), m_lrFloor);

    m_decayFactor = new QDoubleSpinBox;
    m_decayFactor->setRange(0.0, 1.0);
    m_decayFactor->setDecimals(3);
    m_decayFactor->setSingleStep(0.05);
    addField(QStringLiteral("decay_factor"), tr("Decay factor"), m_decayFactor,
             tr("step and plateau multiply the rate by this."),
             tr("a number greater than 0 and less than 1"));
    form->addRow(tr("Deca&y factor:"), m_decayFactor);

    m_stepEpochs = makeSpinBox(1, limits::maxScheduleEpochs);
    addField(QStringLiteral("step_epochs"), tr("Step epochs"), m_stepEpochs,
             tr("step: epochs between two decays."), wholeRange(1, limits::maxScheduleEpochs));
    form->addRow(tr("Step e&pochs:"), m_stepEpochs);

    m_patience = makeSpinBox(1, limits::maxScheduleEpochs);
    addField(QStringLiteral("patience"), tr("Patience"), m_patience,
             tr("plateau: epochs without a better validation loss before a decay."),
             wholeRange(1, limits::maxScheduleEpochs));
    form->addRow(tr("Pa&tience:"), m_patience);

    m_precision = new QComboBox;
    const QString precisions = choices(m_precision, allPrecisions(), precisionName);
    addField(QStringLiteral("precision"), tr("Precision"), m_precision,
             tr("The network's number type for Adam: float32 is fast, float64 about half as "
                "fast and far more exact."),
             precisions);
    form->addRow(tr("Prec&ision:"), m_precision);

    m_lbfgsIterations = makeSpinBox(0, limits::maxLbfgsIterations);
    addField(QStringLiteral("lbfgs_iterations"), tr("L-BFGS iterations"), m_lbfgsIterations,
             tr("Full-batch L-BFGS iterations after the Adam epochs, each a row of the history "
                "(0: none). It settles into the minimum Adam found, often 100× lower."),
             wholeRange(0, limits::maxLbfgsIterations));
    form->addRow(tr("L-BF&GS iterations:"), m_lbfgsIterations);

    m_lbfgsHistory = makeSpinBox(limits::minLbfgsHistory, limits::maxLbfgsHistory);
    addField(QStringLiteral("lbfgs_history"), tr("L-BFGS history"), m_lbfgsHistory,
             tr("Correction pairs L-BFGS remembers to model the curvature."),
             wholeRange(limits::minLbfgsHistory, limits::maxLbfgsHistory));
    form->addRow(tr("L-BFGS histor&y:"), m_lbfgsHistory);

    m_lbfgsGradientTolerance = makeLogSpinBox(1e6, 1e-15, true);
    addField(QStringLiteral("lbfgs_gradient_tolerance"), tr("Gradient tolerance"),
             m_lbfgsGradientTolerance,
             tr("L-BFGS stops when the gradient's norm is at most this (0: off)."),
             tr("a number from 0 up"));
    form->addRow(tr("Gradient toler&ance:"), m_lbfgsGradientTolerance);

    m_lbfgsChangeTolerance = makeLogSpinBox(1.0, 1e-15, true);
    addField(QStringLiteral("lbfgs_change_tolerance"), tr("Change tolerance"),
             m_lbfgsChangeTolerance,
             tr("L-BFGS stops when an iteration lowers the loss by at most this fraction "
                "(0: off)."),
             tr("a number from 0 up"));
    form->addRow(tr("Change toleran&ce:"), m_lbfgsChangeTolerance);

    m_lbfgsPrecision = new QComboBox;
    choices(m_lbfgsPrecision, allPrecisions(), precisionName);
    addField(QStringLiteral("lbfgs_precision"), tr("L-BFGS precision"), m_lbfgsPrecision,
             tr("The network's number type for L-BFGS; its line search needs float64 to go "
                "far."),
             precisions);
    form->addRow(tr("L-BFGS precisi&on:"), m_lbfgsPrecision);

    m_restoreBest = new QCheckBox(tr("Restore the &best weights at the end"));
    m_restoreBest->setObjectName(QStringLiteral("restore_best"));
    m_restoreBest->setToolTip(tr("When the run completes, put back the weights of the epoch "
                                 "with the lowest validation loss. Either way the metrics "
                                 "report that epoch beside the final one."));
    connect(m_restoreBest, &QCheckBox::toggled, this, &ParameterPanel::onEdited);
    form->addRow(m_restoreBest);

    connect(m_schedule, &QComboBox::currentIndexChanged, this,
            &ParameterPanel::updateSettlingFields);
    connect(m_lbfgsIterations, &QSpinBox::valueChanged, this,
            &ParameterPanel::updateSettlingFields);
    return group;
}

void ParameterPanel::updateSettlingFields() {
    if (m_liveOnly)
        return; // setLiveOnly(false) comes back here
    const auto schedule = Schedule(m_schedule->currentData().toInt());
    m_lrFloor->setEnabled(schedule != Schedule::Constant);
    m_decayFactor->setEnabled(schedule == Schedule::Step || schedule == Schedule::Plateau);
    m_stepEpochs->setEnabled(schedule == Schedule::Step);
    m_patience->setEnabled(schedule == Schedule::Plateau);
    const bool lbfgs = m_lbfgsIterations->value() > 0;
    for (QWidget* field : std::initializer_list<QWidget*>{m_lbfgsHistory, m_lbfgsGradientTolerance,
                                                          m_lbfgsChangeTolerance, m_lbfgsPrecision})
        field->setEnabled(lbfgs);
}

void ParameterPanel::addField(const QString& key, const QString& name, QWidget* widget,
                              const QString& description, const QString& range) {
    widget->setObjectName(key);
    Field field{key, name, widget, tr("%1\nAllowed: %2.").arg(description, range), range};
    widget->setToolTip(field.help);
    m_fields.push_back(std::move(field));

    if (auto* box = qobject_cast<QAbstractSpinBox*>(widget))
        watchSpinBox(box);
    else if (auto* combo = qobject_cast<QComboBox*>(widget))
        connect(combo, &QComboBox::currentIndexChanged, this, &ParameterPanel::onEdited);
}

void ParameterPanel::watchKnob(LogSpinBox* box) {
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

TrainConfig ParameterPanel::config() const {
    TrainConfig config;
    config.width = m_width->value();
    config.depth = m_depth->value();
    config.activation = static_cast<Activation>(m_activation->currentData().toInt());
    config.alpha = m_alpha->value();
    config.beta = m_beta->value();
    config.learningRate = m_learningRate->value();
    config.seed = parsedSeed().value_or(m_lastGoodSeed);
    config.epochs = m_epochs->value();
    config.batchSize = m_batchSize->value();
    config.nTrain = m_nTrain->value();
    config.nVal = m_nVal->value();
    config.gridPoints = m_gridPoints->value();
    config.schedule = Schedule(m_schedule->currentData().toInt());
    config.lrFloor = m_lrFloor->value();
    config.decayFactor = m_decayFactor->value();
    config.stepEpochs = m_stepEpochs->value();
    config.patience = m_patience->value();
    config.precision = Precision(m_precision->currentData().toInt());
    config.lbfgsIterations = m_lbfgsIterations->value();
    config.lbfgsHistory = m_lbfgsHistory->value();
    config.lbfgsGradientTolerance = m_lbfgsGradientTolerance->value();
    config.lbfgsChangeTolerance = m_lbfgsChangeTolerance->value();
    config.lbfgsPrecision = Precision(m_lbfgsPrecision->currentData().toInt());
    config.restoreBest = m_restoreBest->isChecked();
    config.target = m_target->currentText().trimmed().toStdString();
    bool paramOk = true;
    config.targetParam = parsedTargetParam(&paramOk);
    config.domainMin = m_domainMin->value();
    config.domainMax = m_domainMax->value();
    config.sampling = static_cast<Sampling>(m_sampling->currentData().toInt());
    config.noiseF = m_noiseF->value();
    config.noiseFprime = m_noiseFprime->value();
    config.changes = m_changes;
    m_dataRow->applyTo(config);
    return config;
}

void ParameterPanel::setConfig(const TrainConfig& config) {
    {
        // One configChanged() for the whole config, not one per widget.
        const QScopedValueRollback guard(m_settingConfig, true);
        m_width->setValue(config.width);
        m_depth->setValue(config.depth);
        if (const int index = m_activation->findData(int(config.activation)); index >= 0)
            m_activation->setCurrentIndex(index);
        m_alpha->setValue(config.alpha);
        m_beta->setValue(config.beta);
        m_learningRate->setValue(config.learningRate);
        m_lastGoodSeed = config.seed;
        m_seed->setText(QString::number(config.seed));
        m_epochs->setValue(config.epochs);
        m_batchSize->setValue(config.batchSize);
        m_nTrain->setValue(config.nTrain);
        m_nVal->setValue(config.nVal);
        m_gridPoints->setValue(config.gridPoints);
        const auto choose = [](QComboBox* combo, int value) {
            if (const int index = combo->findData(value); index >= 0)
                combo->setCurrentIndex(index);
        };
        choose(m_schedule, int(config.schedule));
        m_lrFloor->setValue(config.lrFloor);
        m_decayFactor->setValue(config.decayFactor);
        m_stepEpochs->setValue(config.stepEpochs);
        m_patience->setValue(config.patience);
        choose(m_precision, int(config.precision));
        m_lbfgsIterations->setValue(config.lbfgsIterations);
        m_lbfgsHistory->setValue(config.lbfgsHistory);
        m_lbfgsGradientTolerance->setValue(config.lbfgsGradientTolerance);
        m_lbfgsChangeTolerance->setValue(config.lbfgsChangeTolerance);
        choose(m_lbfgsPrecision, int(config.lbfgsPrecision));
        m_restoreBest->setChecked(config.restoreBest);
        m_target->setEditText(QString::fromStdString(config.target));
        m_targetParam->setText(config.targetParam ? decimal(*config.targetParam) : QString());
        m_domainMin->setValue(config.domainMin);
        m_domainMax->setValue(config.domainMax);
        if (const int index = m_sampling->findData(int(config.sampling)); index >= 0)
            m_sampling->setCurrentIndex(index);
        m_noiseF->setValue(config.noiseF);
        m_noiseFprime->setValue(config.noiseFprime);
        m_changes = config.changes;
        m_dataRow->showData(config);
    }
    updateSettlingFields();
    refreshMarks();
    m_reported = this->config();
    emit configChanged();
}

bool ParameterPanel::isValid() const {
    return collectProblems().empty();
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
        if (field.widget != m_alpha && field.widget != m_beta && field.widget != m_learningRate)
            field.widget->setEnabled(!liveOnly);
    for (QWidget* w : std::initializer_list<QWidget*>{m_newSeedButton, m_referenceButton, m_domain})
        if (w)
            w->setEnabled(!liveOnly);
    if (!liveOnly) { // the fields that depend on others
        updateSettlingFields();
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
        QStringList reasons;
        for (std::size_t i = 0; i < found.size(); ++i)
            if (found[i].key == field.key)
                reasons << lines[qsizetype(i)];
        setMarked(field.widget, !reasons.isEmpty());
        field.widget->setToolTip(reasons.isEmpty()
                                     ? field.help
                                     : reasons.join(u'\n') + QStringLiteral("\n\n") + field.help);
    }

    QStringList bullets;
    for (const QString& line : lines)
        bullets << QStringLiteral("• ") + line;
    m_problemsLabel->setText(bullets.join(u'\n'));
    m_problemsLabel->setVisible(!found.empty());
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
    std::vector<Problem> judged;
    for (const ConfigProblem& problem : validate(config)) {
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

// --- Target and data (issue #12) ----------------------------------------------------------------

QWidget* ParameterPanel::buildTargetGroup() {
    auto* group = new QGroupBox(tr("Target"));
    QFormLayout* form = makeForm(group);

    m_dataRow = new DataFileRow;
    addField(QStringLiteral("data"), tr("Data file"), m_dataRow,
             tr("Measured x, f and optionally f′ from a CSV file, in place of the target."),
             tr("a CSV file of x, f[, f′] rows"));
    addField(QStringLiteral("data_validation"), tr("Validation share"), m_dataRow->validationBox(),
             tr("The share of the data's rows held out for validation."),
             tr("a fraction from 0 to %1").arg(decimal(limits::maxDataValidation)));
    connect(m_dataRow, &DataFileRow::dataChanged, this, &ParameterPanel::onEdited);
    form->addRow(tr("Data:"), m_dataRow);

    m_target = new QComboBox;
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    QStringList names;
    for (const PresetInfo& preset : presets()) {
        m_target->addItem(QString::fromLatin1(preset.name));
        m_target->setItemData(m_target->count() - 1, QString::fromUtf8(preset.title),
                              Qt::ToolTipRole);
        names << QString::fromLatin1(preset.name);
    }
    addField(QStringLiteral("target"), tr("Target"), m_target,
             tr("The function f to fit: pick a preset, or type a formula in x such as "
                "sin(3*x)*exp(-x^2) (+ - * / ^, pi, e, sin cos tan asin acos atan sinh cosh "
                "tanh asinh acosh atanh exp log sqrt abs). Its derivative is found "
                "symbolically and shown below."),
             tr("one of %1, or a formula in x").arg(names.join(QStringLiteral(", "))));
    connect(m_target, &QComboBox::editTextChanged, this, &ParameterPanel::onEdited);
    connect(m_target, &QComboBox::activated, this, &ParameterPanel::onTargetChosen);
    form->addRow(tr("Target f(&x):"), m_target);

    m_derivativeLabel = new QLabel;
    m_derivativeLabel->setObjectName(QStringLiteral("derivativeLabel"));
    m_derivativeLabel->setTextFormat(Qt::PlainText);
    m_derivativeLabel->setWordWrap(true);
    m_derivativeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_derivativeLabel);

    m_targetParam = new QLineEdit;
    addField(QStringLiteral("target_param"), tr("Parameter"), m_targetParam,
             tr("The preset's parameter (k, ω, σ, ε or the degree); empty: its default."),
             tr("a number in the preset's range, or empty"));
    connect(m_targetParam, &QLineEdit::textChanged, this, &ParameterPanel::onEdited);
    form->addRow(tr("Para&meter:"), m_targetParam);

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
    addField(QStringLiteral("domain"), tr("Domain"), m_domain,
             tr("The interval [a, b] of the training and validation points and the test grid."),
             tr("a < b, both within ±%1").arg(decimal(limits::maxDomainAbs)));
    auto* domainLabel = new QLabel(tr("D&omain:"));
    domainLabel->setBuddy(m_domainMin);
    form->addRow(domainLabel, m_domain);

    m_sampling = new QComboBox;
    m_sampling->addItem(tr("uniform random"), int(Sampling::Uniform));
    m_sampling->addItem(tr("equispaced"), int(Sampling::Equispaced));
    m_sampling->addItem(tr("Chebyshev nodes"), int(Sampling::Chebyshev));
    addField(QStringLiteral("sampling"), tr("Sampling"), m_sampling,
             tr("How the training points are placed; the validation points stay uniform random "
                "and the test grid evenly spaced. Chebyshev nodes cluster at the ends."),
             tr("uniform, equispaced or chebyshev"));
    form->addRow(tr("Sampling (&q):"), m_sampling);

    m_noiseF = makeLogSpinBox(limits::maxNoise, 1e-3, true);
    addField(QStringLiteral("noise_f"), tr("Noise σ_f"), m_noiseF,
             tr("Standard deviation of Gaussian noise on the training and validation values "
                "of f; the test grid stays clean."),
             tr("a number from 0 to %1").arg(decimal(limits::maxNoise)));
    form->addRow(tr("Noise σ_f (&k):"), m_noiseF);

    m_noiseFprime = makeLogSpinBox(limits::maxNoise, 1e-3, true);
    addField(QStringLiteral("noise_fprime"), tr("Noise σ_f′"), m_noiseFprime,
             tr("Standard deviation of Gaussian noise on the training and validation values "
                "of f′."),
             tr("a number from 0 to %1").arg(decimal(limits::maxNoise)));
    form->addRow(tr("Noise σ_f′ (&y):"), m_noiseFprime);
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
    for (QWidget* w : {static_cast<QWidget*>(m_target), static_cast<QWidget*>(m_domain),
                       static_cast<QWidget*>(m_sampling), static_cast<QWidget*>(m_noiseF),
                       static_cast<QWidget*>(m_noiseFprime), static_cast<QWidget*>(m_nTrain),
                       static_cast<QWidget*>(m_nVal), static_cast<QWidget*>(m_gridPoints)})
        w->setEnabled(!data);
    if (data)
        m_targetParam->setEnabled(false);
    QString derivative;
    if (data) {
        derivative = tr("Training on the data file: the target, domain, sampling, noise, "
                        "n_train, n_val and grid points are not used.");
    } else {
        try {
            const Target target = Target::fromConfig(config);
            derivative = tr("f′(x) = %1").arg(QString::fromStdString(target.derivativeFormula()));
        } catch (const std::exception&) {
            derivative = tr("f′(x): fix the formula to see it");
        }
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
