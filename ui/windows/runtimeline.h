// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"
#include "snapshotsteps.h"

#include <QElapsedTimer>
#include <QList>
#include <QTimer>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace sobolev {

// One place on a timeline: where on the loss chart's epoch axis (Snapshot::position), and
// what the label says there.
struct TimelineStep {
    double position = 0;
    QString caption;
};

// A step per snapshot of one run.
QList<TimelineStep> timelineSteps(const SnapshotSeries& series);
// A step per position any of the runs recorded, in order (one run's caption where several
// runs share a position); the captions name no α and β, which may differ between the runs.
QList<TimelineStep> timelineSteps(const QList<const SnapshotSeries*>& runs);

// A slider through the recorded steps of a run (or of several, in step), with Play/Pause, the
// replay's length and a "log time" choice that gives the first epoch as much of the replay
// as all the others. Home and End go to the first and last step, ← and → one step, Space
// plays and pauses: while the focus is inside the timeline (there before any shortcut of the
// window, such as Space for Pause), or with setWindowShortcuts() anywhere in the window but
// in a text field (which types the key, or moves its cursor).
class RunTimeline : public QWidget {
    Q_OBJECT
  public:
    explicit RunTimeline(QWidget* parent = nullptr);

    // The steps to go through; the timeline goes to the last one (the run as it ended)
    // without emitting stepChanged().
    void setSteps(const QList<TimelineStep>& steps);
    // No steps to show, and why: the controls are disabled with `reason` as their tooltip.
    void setUnavailable(const QString& reason);
    bool isAvailable() const;
    QString unavailableReason() const;

    int step() const;
    int stepCount() const;
    double position() const; // of step(); 0 without steps
    bool atLastStep() const;
    bool isPlaying() const;
    QString caption() const; // the label's text
    // The keys work anywhere in the window, not only with the focus in the timeline (a window
    // where Space has no other use).
    void setWindowShortcuts(bool on);

    QSlider* slider() const { return m_slider; }
    QComboBox* speedBox() const { return m_speed; }
    QCheckBox* logTimeBox() const { return m_logTime; }

    // The replay's lengths offered, in seconds for the whole run.
    static QList<int> replaySeconds() { return {5, 10, 20, 60}; }
    // The share of the replay spent before `position`, 0 to 1; with log time the first epoch
    // takes half of it.
    double timeFraction(double position) const;

  public slots:
    void setStep(int step);
    void play();
    void pause();
    void togglePlaying();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  signals:
    // The user (or the replay) moved to another step.
    void stepChanged(int step);
    void playingChanged(bool playing);

  private:
    // Home, End, ← and → or Space: what the key does; false for other keys.
    bool pressKey(int key);
    void advance(); // a frame of the replay
    void restartClock();
    void updateCaption();
    void updateControls();

    QList<TimelineStep> m_steps;
    QString m_reason;
    QToolButton* m_playButton = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_caption = nullptr;
    QComboBox* m_speed = nullptr;
    QCheckBox* m_logTime = nullptr;
    QList<QAction*> m_keys; // with setWindowShortcuts(true)
    QTimer m_frames;
    QElapsedTimer m_clock;
    double m_playedFrom = 0; // timeFraction() where the clock started
};

} // namespace sobolev
