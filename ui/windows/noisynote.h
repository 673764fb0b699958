// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shownepoch.h"

#include "core/config/trainconfig.h"

#include <QFrame>
#include <QList>

class QLabel;
class QPushButton;

namespace sobolev {

// Whether a run of `config` ends wherever Adam's last steps left it: a constant learning
// rate, no L-BFGS phase after it, and not the best epoch's weights put back. Its final errors
// then say as much about the last epoch's luck as about the knobs.
bool finalErrorsAreNoisy(const TrainConfig& config);

// The note above a table or chart that ranks runs by their final errors when some of them
// train with constant-rate Adam: those values are noisy from seed to seed, with a button that
// shows the best-epoch errors instead, and a pointer to a cosine schedule. Hidden while
// best-epoch errors are shown, and when every run settles (a schedule, L-BFGS, best weights).
class NoisyFinalNote : public QFrame {
    Q_OBJECT
  public:
    explicit NoisyFinalNote(QWidget* parent = nullptr);

    // Shows or hides the note for runs of `configs` whose errors `shown` are on view.
    void update(const QList<TrainConfig>& configs, ShownEpoch shown);
    // Whether the note applies (it may still be hidden because its window is).
    bool applies() const { return m_applies; }
    // Its sentence as plain text, for a report.
    QString plainText() const;

    // The seed-to-seed spread of the reference experiment's final MSE f over seeds 1-20,
    // 1.8e-8 to 6.0e-5 (README, Figures), rounded.
    static constexpr int seedSpread = 3000;

  signals:
    // The button: show each run's errors at its best validation epoch.
    void bestEpochRequested();

  private:
    QLabel* m_label;
    QPushButton* m_button;
    bool m_applies = false;
};

} // namespace sobolev
