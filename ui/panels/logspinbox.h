// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDoubleSpinBox>

namespace sobolev {

// A spin box for values that span decades (learning rates, loss weights): it shows the
// shortest form that reads back exactly ("0.001", "1e-06", "5"), accepts typed scientific
// notation ("1e-3", "2.5E2") and its arrows multiply or divide by 10 instead of adding 1.
class LogSpinBox : public QDoubleSpinBox {
    Q_OBJECT
  public:
    explicit LogSpinBox(QWidget* parent = nullptr);

    // Stepping down from below `floor` goes to 0 when `zeroReachable` (a loss weight may be
    // switched off) and otherwise stops; stepping up from 0 goes to `floor`.
    void setStepFloor(double floor, bool zeroReachable);
    double stepFloor() const;
    bool isZeroReachable() const;

    // The value `steps` decades away from `value`, as the arrows would set it.
    double steppedValue(double value, int steps) const;

    void stepBy(int steps) override;
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;
    double valueFromText(const QString& text) const override;
    QString textFromValue(double value) const override;

  signals:
    // An arrow, Page key or wheel step set a new value: a finished edit, unlike typing.
    void stepped();

  protected:
    StepEnabled stepEnabled() const override;
    // Text that does not read as an allowed value stays as typed (see KeepTypedText).
    void focusOutEvent(QFocusEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    double m_floor = 1e-3;
    bool m_zeroReachable = true;
};

} // namespace sobolev
