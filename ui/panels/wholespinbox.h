// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSpinBox>

class QLineEdit;

namespace sobolev {

// Puts a spin box's typed text back if QAbstractSpinBox replaced it with the last good value
// (it does so when the field is left or Return is pressed on text it cannot accept). Create
// one around the base class's handling of those events: a typed value is never changed
// behind the user's back; the panel marks the field with what is allowed instead.
class KeepTypedText {
  public:
    KeepTypedText(const QAbstractSpinBox* box, QLineEdit* editor);
    ~KeepTypedText();
    KeepTypedText(const KeepTypedText&) = delete;
    KeepTypedText& operator=(const KeepTypedText&) = delete;

  private:
    QLineEdit* m_editor;
    QString m_text;
    bool m_keep;
};

// A QSpinBox that shows whatever is typed: "2000" in a field that allows 1 to 1024 stays
// "2000" (QSpinBox refuses the last keystroke and shows "200"), letters stay visible, and
// neither is reverted when the field is left. value() keeps the last good value meanwhile and
// hasAcceptableInput() is false, which the panel reports with the allowed range.
class WholeSpinBox : public QSpinBox {
    Q_OBJECT
  public:
    explicit WholeSpinBox(QWidget* parent = nullptr);

    QValidator::State validate(QString& input, int& pos) const override;

  protected:
    void focusOutEvent(QFocusEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
};

// Whether `event` is one that makes QAbstractSpinBox interpret (and so replace) its text.
bool isCommitKey(const QKeyEvent* event);

} // namespace sobolev
