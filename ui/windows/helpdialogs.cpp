// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpdialogs.h"

#include <Eigen/Core>

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

#ifndef SOBOLEV_VERSION
#error "SOBOLEV_VERSION is set by ui/windows/CMakeLists.txt"
#endif

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

QString buildDescription() {
#if defined(__clang__)
    const QString compiler = QStringLiteral("Clang %1.%2.%3")
                                 .arg(__clang_major__)
                                 .arg(__clang_minor__)
                                 .arg(__clang_patchlevel__);
#elif defined(__GNUC__)
    const QString compiler =
        QStringLiteral("GCC %1.%2.%3").arg(__GNUC__).arg(__GNUC_MINOR__).arg(__GNUC_PATCHLEVEL__);
#else
    const QString compiler = QDialog::tr("an unknown compiler");
#endif
#if SOBOLEV_NATIVE_BUILD
    return QDialog::tr("%1, native (-march=native: for this machine's CPU only)").arg(compiler);
#else
    return QDialog::tr("%1, portable (any x86-64 CPU)").arg(compiler);
#endif
}

QString aboutText() {
    return QDialog::tr("<p><b>Sobolev Workbench %1</b></p><p>Trains a small network to fit "
                       "f(x) = 1/(1+25x²) and its derivative, with loss "
                       "α·MSE(f) + β·MSE(f′).</p>"
                       "<p>Build: %2<br>Qt %3 (built with %4)<br>Eigen %5.%6.%7</p>")
        .arg(QStringLiteral(SOBOLEV_VERSION), buildDescription().toHtmlEscaped(),
             QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
        .arg(EIGEN_WORLD_VERSION)
        .arg(EIGEN_MAJOR_VERSION)
        .arg(EIGEN_MINOR_VERSION);
}

} // namespace sobolev
