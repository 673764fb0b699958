// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/experiment/sweep.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace sobolev {
class TargetChecker;
}

namespace sobolev {

// "Duplicate run with…": the run's config with one knob changed. The seed stays, so the new
// run trains on the same data in the same batch order and, unless width or depth changes,
// from the same initial weights: an A/B comparison from the identical start.
class DuplicateRunDialog : public QDialog {
    Q_OBJECT
  public:
    DuplicateRunDialog(const TrainConfig& original, const QString& runName,
                       QWidget* parent = nullptr);

    // Valid whenever the dialog was accepted.
    TrainConfig config() const { return m_config; }

    // For tests and for callers that know the change already.
    void setKnob(Knob knob);
    void setValueText(const QString& text);

  private:
    void onKnobChanged();
    void revalidate();

    TrainConfig m_original;
    TrainConfig m_config;
    QComboBox* m_knob;
    QLineEdit* m_value;
    QLabel* m_problem;
    TargetChecker* m_checker; // a changed domain or point count checks the target again
    QLabel* m_note;
    QDialogButtonBox* m_buttons;
};

} // namespace sobolev
