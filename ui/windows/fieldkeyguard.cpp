// SPDX-License-Identifier: GPL-3.0-or-later
#include "fieldkeyguard.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>

namespace sobolev {

FieldKeyGuard::FieldKeyGuard(QAction* action, QWidget* fields, QObject* parent)
    : QObject(parent), m_action(action), m_fields(fields) {
    // The key events go to whichever field has the focus, spin boxes' editors included.
    qApp->installEventFilter(this);
}

bool FieldKeyGuard::isGuardedKey(const QEvent* event) const {
    if (!m_action || !m_fields)
        return false;
    const auto* key = static_cast<const QKeyEvent*>(event);
    for (const QKeySequence& shortcut : m_action->shortcuts())
        if (shortcut.count() == 1 && shortcut[0].key() == key->key() &&
            shortcut[0].keyboardModifiers() == (key->modifiers() & ~Qt::KeypadModifier))
            return true;
    return false;
}

bool FieldKeyGuard::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type type = event->type();
    if (type != QEvent::ShortcutOverride && type != QEvent::KeyPress)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || !(qobject_cast<QLineEdit*>(widget) || qobject_cast<QAbstractSpinBox*>(widget)) ||
        !isGuardedKey(event) || !m_fields->isAncestorOf(widget))
        return false;
    if (type == QEvent::ShortcutOverride) {
        // Not claimed by the field: the window's shortcut runs, if it is enabled.
        event->ignore();
        return true;
    }
    // The key reached the field, so the action is disabled: the key does nothing.
    return true;
}

} // namespace sobolev
