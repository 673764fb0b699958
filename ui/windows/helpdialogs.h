// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "buildinfo.h"

#include <QDialog>
#include <QList>
#include <QString>

class QListWidget;
class QTextBrowser;
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

// The main window's charts, as Help ▸ What Am I Seeing? explains them.
enum class ChartTopic { Function, Derivative, Loss, Error, Lambda };

struct ChartHelp {
    QString title; // the chart's title, plain: "f′(x) and ∂ₓfθ(x)"
    QString text;  // a few plain sentences (rich text): the axes, each curve, what to look for
};
QList<ChartTopic> chartTopics(); // in the order of the window: f, f′, loss, error, λ(t)
ChartHelp chartHelp(ChartTopic topic);

// Help ▸ What Am I Seeing? (F1): the charts in a list and the help of the one chosen, for a
// student alone. Not modal: it stays open beside the charts it explains.
class ChartHelpDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ChartHelpDialog(QWidget* parent = nullptr);
    void showTopic(ChartTopic topic);
    ChartTopic topic() const;
    QString shownText() const; // the help as the student reads it, plain

  private:
    QListWidget* m_list = nullptr;
    QTextBrowser* m_text = nullptr;
};

// Help ▸ About: what the program does, its version, the build, and the Qt and Eigen versions
// (buildinfo.h).
QString aboutText();

} // namespace sobolev
