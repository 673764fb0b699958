// SPDX-License-Identifier: GPL-3.0-or-later
#include "wholespinbox.h"

#include <QKeyEvent>
#include <QLineEdit>

namespace sobolev {

KeepTypedText::KeepTypedText(const QAbstractSpinBox* box, QLineEdit* editor)
    : m_editor(editor), m_text(editor->text()), m_keep(!box->hasAcceptableInput()) {}

KeepTypedText::~KeepTypedText() {
    if (m_keep && m_editor->text() != m_text)
        m_editor->setText(m_text);
}

bool isCommitKey(const QKeyEvent* event) {
    return event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
}

WholeSpinBox::WholeSpinBox(QWidget* parent) : QSpinBox(parent) {}

QValidator::State WholeSpinBox::validate(QString& input, int& pos) const {
    const QValidator::State state = QSpinBox::validate(input, pos);
    // Intermediate rather than Invalid: the keystroke stays, and the panel says what is wrong.
    return state == QValidator::Invalid ? QValidator::Intermediate : state;
}

void WholeSpinBox::focusOutEvent(QFocusEvent* event) {
    const KeepTypedText keep(this, lineEdit());
    QSpinBox::focusOutEvent(event);
}

void WholeSpinBox::keyPressEvent(QKeyEvent* event) {
    if (!isCommitKey(event)) {
        QSpinBox::keyPressEvent(event);
        return;
    }
    const KeepTypedText keep(this, lineEdit());
    QSpinBox::keyPressEvent(event);
}

} // namespace sobolev
