// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace sobolev {

// Keeps an action's single-key shortcut (Space for Pause/Resume) out of the text fields in
// `fields`: there the key triggers the action as anywhere else in the window, or does nothing
// when the action is disabled, and never types into the field. No field of the form takes a
// space, so nothing is lost; a field elsewhere (the Runs filter) types it as usual.
class FieldKeyGuard : public QObject {
    Q_OBJECT
  public:
    FieldKeyGuard(QAction* action, QWidget* fields, QObject* parent = nullptr);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    bool isGuardedKey(const QEvent* event) const;

    QPointer<QAction> m_action;
    QPointer<QWidget> m_fields;
};

} // namespace sobolev
