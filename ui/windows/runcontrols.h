// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "trainingcontroller.h"

#include <QObject>
#include <QString>

#include <map>

class QWidget;

namespace sobolev {

class ParameterPanel;

// What Train, Pause/Resume, Step and Reset do with the run in the controller and the knobs in
// the panel, and the knobs changed during a run:
// - α, β and the learning rate change the run in progress: while it runs, from the batch
//   after the edit is finished (Enter, leaving the field, an arrow step); while it is paused,
//   from the batch it goes on with.
// - Any other knob changed while paused needs a new run. The status bar says so; Train then
//   starts one, and Resume continues the paused run with its own knobs only after asking.
// - A run that has not trained a batch since it was prepared or reset has nothing to go on
//   from: Train, Resume and Step start it afresh with the knobs as shown, so an edit there is
//   the run's own knob, never a change "from epoch 1, batch 1".
class RunControls : public QObject {
    Q_OBJECT
  public:
    // α, β and the learning rate (the registry's live knobs) by knob.
    using LiveValues = std::map<Knob, double>;

    // `dialogParent` parents the question before a resume.
    RunControls(TrainingController* controller, ParameterPanel* panel, QWidget* dialogParent);

    // The panel's knobs other than α, β and the learning rate are those of the run in the
    // controller (and its planned changes); α, β and the rate may differ: they are live.
    bool panelContinuesRun() const;
    // The panel's knobs that differ from the run's and need a new run, abbreviated ("32×2").
    QStringList knobsNeedingNewRun() const;

  public slots:
    // Resume a run paused mid-way with the live changes; otherwise (finished, reset, not
    // started, or another knob changed) a new run with the knobs as shown.
    void train();
    // A fresh run with the knobs as shown, whatever the state: a run in hand (running, or
    // paused after training) is stopped first and ends as Stop ends it (kept in the Runs
    // list unless it is a false start).
    void newRun();
    void resume(); // the paused run; asks first when a knob that needs a new run changed
    void step();
    void reset();

  signals:
    void statusMessage(const QString& message);

  private:
    // Paused after training at least one batch: there is a run to go on with.
    bool pausedMidRun() const;
    void onRunStarted(const TrainConfig& config);
    void onKnobChanged(const KnobChange& change);
    void onPanelChanged();
    // Sends the panel's α, β and rate that differ from what the run was last told.
    void sendLiveChanges();
    // The live knobs' values in the panel.
    LiveValues panelValues() const;
    // While the panel's target is being checked, `action` waits for the verdict and runs if
    // the panel is then valid; returns whether it has to wait.
    bool waitForTargetCheck(void (RunControls::*action)(), const QString& what);
    void onTargetChecked();

    TrainingController* m_controller;
    ParameterPanel* m_panel;
    QWidget* m_dialogParent;
    TrainConfig m_started; // the run's config as it started (planned changes only)
    LiveValues m_told;     // α, β, rate as the run was last told (or started with)
    LiveValues m_shown;    // what the run has applied, for the status bar's "from"
    void (RunControls::*m_afterCheck)() = nullptr; // Train, Step or Reset pressed meanwhile
};

} // namespace sobolev
