// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"

#include <QDialog>
#include <QMap>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QSlider;
class QSpinBox;
QT_END_NAMESPACE

namespace sobolev {

// View ▸ Baselines…: which classical fits to show beside the network, and their n on a slider
// (the charts follow as it moves: the equispaced interpolant blows up as n grows while the
// Chebyshev one converges). Modeless; every change is announced at once.
class BaselinesDialog : public QDialog {
    Q_OBJECT
  public:
    BaselinesDialog(const QList<BaselineKind>& kinds, int n, QWidget* parent = nullptr);

    QList<BaselineKind> kinds() const;
    int n() const;
    // For tests and the shortcut keys: as if the user had clicked or dragged.
    void setKindChecked(BaselineKind kind, bool checked);
    void setN(int n);

  signals:
    void choiceChanged(const QList<sobolev::BaselineKind>& kinds, int n);

  private:
    void announce();

    QMap<BaselineKind, QCheckBox*> m_boxes;
    QSlider* m_slider = nullptr;
    QSpinBox* m_spin = nullptr;
};

} // namespace sobolev
