// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "buildinfo.h"

#include <QDialog>
#include <QList>
#include <QString>

class QWidget;

namespace sobolev {

// One line of Help ▸ Keyboard Shortcuts.
struct ShortcutRow {
    QString action; // as the menu reads, without the mnemonic: "Pause", "Open Experiment…"
    QString keys;   // as the platform writes it: "Ctrl+R", "Space"
    bool operator==(const ShortcutRow&) const = default;
};

// Every shortcut of `window`: its actions that have one, in the order of the menus and then of
// the panels, and the keys that widgets handle themselves (copying a table). Built from the
// actions, so that the list cannot fall behind them.
QList<ShortcutRow> shortcutRows(const QWidget* window);

// Help ▸ Keyboard Shortcuts: the rows in a two-column table.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ShortcutsDialog(const QList<ShortcutRow>& rows, QWidget* parent = nullptr);
};

// Help ▸ About: what the program does, its version, the build, and the Qt and Eigen versions
// (buildinfo.h).
QString aboutText();

} // namespace sobolev
