// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpdialogs.h"

#include "chartview.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sobolev {

namespace {

QString actionName(const QAction* action) {
    QString text = action->text();
    // "&&" is a literal ampersand, a single "&" marks the mnemonic.
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text;
}

void collect(const QList<QAction*>& actions, QList<const QAction*>& found) {
    for (const QAction* action : actions) {
        if (action->menu())
            collect(action->menu()->actions(), found);
        else if (!action->shortcut().isEmpty() && !found.contains(action))
            found << action;
    }
}

} // namespace

QList<ShortcutRow> shortcutRows(const QWidget* window) {
    QList<const QAction*> found;
    if (const auto* menus = window->findChild<QMenuBar*>())
        collect(menus->actions(), found);
    // Actions outside the menus: the Runs panel's rename and delete, the run controls.
    QList<QAction*> others;
    for (QAction* action : window->findChildren<QAction*>())
        others << action;
    collect(others, found);

    QList<ShortcutRow> rows;
    for (const QAction* action : found)
        for (const QKeySequence& keys : action->shortcuts())
            rows.append({actionName(action), keys.toString(QKeySequence::NativeText)});
    // Keys that widgets handle themselves.
    rows.append({QDialog::tr("Copy the selected rows of a table (Metrics, Runs)"),
                 QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)});
    for (const ChartView::KeyHelp& help : ChartView::keyHelp()) {
        QStringList keys;
        for (Qt::Key key : help.keys)
            keys << QKeySequence(key).toString(QKeySequence::NativeText);
        rows.append({help.action, keys.join(QStringLiteral(", "))});
    }
    return rows;
}

ShortcutsDialog::ShortcutsDialog(const QList<ShortcutRow>& rows, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto* table = new QTableWidget(int(rows.size()), 2);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    for (int r = 0; r < rows.size(); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(rows[r].action));
        table->setItem(r, 1, new QTableWidgetItem(rows[r].keys));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->resizeRowsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(460, 560);
}

QString aboutText() {
    return QDialog::tr("<p><b>Sobolev Workbench %1</b></p><p>Trains a small network to fit "
                       "f(x) = 1/(1+25x²) and its derivative, with loss "
                       "α·MSE(f) + β·MSE(f′).</p>"
                       "<p>Build: %2<br>%3</p>")
        .arg(applicationVersion(), buildDescription().toHtmlEscaped(),
             libraryVersions().toHtmlEscaped().replace(QStringLiteral(", "),
                                                       QStringLiteral("<br>")));
}

} // namespace sobolev
