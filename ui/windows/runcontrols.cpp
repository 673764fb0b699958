// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontrols.h"

#include "parameterpanel.h"
#include "textformat.h"

#include <QMessageBox>

#include <utility>

namespace sobolev {

namespace {

using State = TrainingController::State;

// `c` without the knobs that can change during a run.
TrainConfig withoutLiveKnobs(TrainConfig c) {
    for (Knob knob : liveKnobs())
        setKnob(c, knob, 0);
    return c;
}

RunControls::LiveValues liveValues(const TrainConfig& c) {
    RunControls::LiveValues values;
    for (Knob knob : liveKnobs())
        values[knob] = knobValue(c, knob);
    return values;
}

} // namespace

RunControls::RunControls(TrainingController* controller, ParameterPanel* panel,
                         QWidget* dialogParent)
    : QObject(dialogParent), m_controller(controller), m_panel(panel),
      m_dialogParent(dialogParent) {
    connect(controller, &TrainingController::runStarted, this, &RunControls::onRunStarted);
    connect(controller, &TrainingController::runReset, this,
            [this] { onRunStarted(m_controller->config()); });
    connect(controller, &TrainingController::knobChanged, this, &RunControls::onKnobChanged);
    connect(controller, &TrainingController::knobChangeRefused, this,
            [this](Knob knob, double value) {
                emit statusMessage(tr("%1 = %2 not applied to the run: its Adam epochs were "
                                      "over (L-BFGS keeps the loss it started with)")
                                       .arg(liveKnobLabel(knob), compactNumber(value)));
            });
    connect(panel, &ParameterPanel::liveKnobsEdited, this, [this] {
        if (m_controller->state() == State::Running)
            sendLiveChanges();
    });
    connect(panel, &ParameterPanel::configChanged, this, &RunControls::onPanelChanged);
    connect(panel, &ParameterPanel::targetChecked, this, &RunControls::onTargetChecked);
}

bool RunControls::waitForTargetCheck(void (RunControls::*action)(), const QString& what) {
    if (m_panel->verdict() != ParameterPanel::Verdict::Checking)
        return false;
    m_afterCheck = action;
    emit statusMessage(tr("Checking the target f(x) at every point of the run: %1 when that is "
                          "done")
                           .arg(what));
    return true;
}

void RunControls::onTargetChecked() {
    const auto action = std::exchange(m_afterCheck, nullptr);
    if (!action || m_panel->verdict() == ParameterPanel::Verdict::Checking)
        return;
    if (m_panel->isValid())
        (this->*action)();
    else
        emit statusMessage(tr("Not started: %1").arg(m_panel->problems().value(0)));
}

RunControls::LiveValues RunControls::panelValues() const {
    return liveValues(m_panel->config());
}

bool RunControls::pausedMidRun() const {
    return m_controller->state() == State::Paused && !m_controller->atInitialWeights();
}

bool RunControls::panelContinuesRun() const {
    return m_controller->hasRun() &&
           withoutLiveKnobs(m_panel->config()) == withoutLiveKnobs(m_started);
}

QStringList RunControls::knobsNeedingNewRun() const {
    QStringList knobs =
        knobDifferences(withoutLiveKnobs(m_panel->config()), withoutLiveKnobs(m_started));
    if (m_panel->config().changes != m_started.changes)
        knobs << tr("changes");
    knobs.removeDuplicates();
    return knobs;
}

void RunControls::onRunStarted(const TrainConfig& config) {
    m_started = config;
    m_told = m_shown = liveValues(config);
}

void RunControls::sendLiveChanges() {
    if (!m_panel->isValid() || !m_controller->hasRun())
        return; // the panel marks what is wrong; nothing half-typed reaches the run
    LiveValues wanted = panelValues();
    for (Knob knob : liveKnobs()) {
        if (wanted[knob] != m_told[knob]) {
            m_controller->changeKnob(knob, wanted[knob]);
            m_told[knob] = wanted[knob];
        }
    }
}

void RunControls::onKnobChanged(const KnobChange& change) {
    emit statusMessage(tr("%1 from epoch %2, batch %3")
                           .arg(knobChangeText(change.knob, m_shown[change.knob], change.value))
                           .arg(change.epoch)
                           .arg(change.batch));
    m_shown[change.knob] = change.value;
}

void RunControls::onPanelChanged() {
    if (m_controller->state() != State::Paused)
        return;
    if (!pausedMidRun()) {
        if (m_panel->config() != m_started)
            emit statusMessage(tr("The run has not trained yet: Train starts it with these "
                                  "knobs"));
        return;
    }
    if (!panelContinuesRun()) {
        emit statusMessage(tr("Changed %1: that needs a new run. Train starts a new run with "
                              "these knobs; Resume continues the paused run with its own, after "
                              "asking.")
                               .arg(knobsNeedingNewRun().join(QStringLiteral(", "))));
        return;
    }
    QStringList live;
    LiveValues wanted = panelValues();
    for (Knob knob : liveKnobs())
        if (wanted[knob] != m_told[knob])
            live << knobChangeText(knob, m_told[knob], wanted[knob]);
    if (!live.isEmpty())
        emit statusMessage(tr("%1: from the next batch, when the run goes on (Resume or Train)")
                               .arg(live.join(QStringLiteral(", "))));
}

void RunControls::train() {
    const State state = m_controller->state();
    if (state == State::Running || waitForTargetCheck(&RunControls::train, tr("training starts")))
        return;
    if (pausedMidRun() && panelContinuesRun()) {
        sendLiveChanges();
        m_controller->resume();
    } else {
        m_controller->start(m_panel->config());
    }
}

void RunControls::newRun() {
    if (waitForTargetCheck(&RunControls::newRun, tr("the new run starts")))
        return;
    if (!m_panel->isValid()) {
        emit statusMessage(tr("Not started: %1").arg(m_panel->problems().value(0)));
        return;
    }
    if (m_controller->state() == State::Running) {
        // The worker ends its batch first; the new run starts once the run has ended (and was
        // kept by whoever keeps runs: they heard of it first).
        auto* once = new QObject(this);
        connect(
            m_controller, &TrainingController::runFinished, once,
            [this, once] {
                delete once;
                m_controller->start(m_panel->config());
            },
            Qt::QueuedConnection);
        m_controller->stop();
        return;
    }
    if (pausedMidRun())
        m_controller->stop();
    m_controller->start(m_panel->config());
}

void RunControls::resume() {
    if (m_controller->state() != State::Paused)
        return;
    if (!pausedMidRun() && m_panel->isValid()) {
        m_controller->start(m_panel->config()); // nothing trained yet: the knobs as shown
        return;
    }
    QString said;
    if (!panelContinuesRun()) {
        const QString knobs = knobsNeedingNewRun().join(QStringLiteral(", "));
        const auto answer = QMessageBox::question(
            m_dialogParent, tr("Resume the Paused Run?"),
            tr("The knobs changed since this run started (%1), and that needs a new run: Train "
               "starts one.\n\nContinue the paused run with its own knobs instead? The panel "
               "then shows them again.")
                .arg(knobs),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
        // The run's knobs, with the panel's α, β and rate, which are live changes.
        TrainConfig shown = m_started;
        for (const auto& [knob, value] : panelValues())
            setKnob(shown, knob, value);
        m_panel->setConfig(shown);
        said = tr("Resumed the paused run with its own knobs; %1 would need a new run").arg(knobs);
    }
    if (m_panel->isValid())
        sendLiveChanges();
    m_controller->resume();
    if (!said.isEmpty()) // after the controller's "Resumed at epoch N"
        emit statusMessage(said);
}

void RunControls::step() {
    const State state = m_controller->state();
    if (state == State::Running ||
        waitForTargetCheck(&RunControls::step, tr("one epoch follows")) || !m_panel->isValid())
        return;
    if (pausedMidRun() && panelContinuesRun())
        sendLiveChanges();
    else
        m_controller->prepare(m_panel->config());
    m_controller->step();
}

void RunControls::reset() {
    if (m_controller->state() == State::Running ||
        (m_controller->hasRun() && m_panel->config() == m_started))
        m_controller->reset();
    else if (!waitForTargetCheck(&RunControls::reset, tr("the run is prepared")) &&
             m_panel->isValid())
        m_controller->prepare(m_panel->config());
}

} // namespace sobolev
