// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistorypanel.h"

#include "runfiltermodel.h"
#include "runhistory.h"
#include "runhistorymodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace sobolev {

RunHistoryPanel::RunHistoryPanel(RunHistory* history, QWidget* parent)
    : QWidget(parent), m_history(history), m_model(new RunHistoryModel(history, this)),
      m_proxy(new RunFilterModel(this)), m_view(new QTreeView(this)),
      m_filter(new QLineEdit(this)) {
    m_proxy->setSourceModel(m_model);
    m_filter->setPlaceholderText(tr("Filter: name, knobs or status"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(
        tr("Shows the runs whose name, knobs or status contain this text, e.g. β=0.1 or diverged"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &RunFilterModel::setFilterText);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_view->setObjectName(QStringLiteral("runHistoryView"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Double-click re-opens; renaming is F2 or the menu, so the two never compete.
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    // Newest first: the run just finished is the one most often looked at.
    m_view->header()->setSortIndicator(RunHistoryModel::CreatedColumn, Qt::DescendingOrder);
    m_view->setSortingEnabled(true);
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(RunHistoryModel::NameColumn, 150);
    header->resizeSection(RunHistoryModel::KnobsColumn, 210);
    for (int c : {RunHistoryModel::MseFColumn, RunHistoryModel::MseFprimeColumn,
                  RunHistoryModel::StatusColumn, RunHistoryModel::CreatedColumn})
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    // Sized to the rows in view: measuring thousands of rows' text at every sort and filter
    // keystroke would take longer than the sort itself.
    header->setResizeContentsPrecision(0);
    // The long knobs go after the results, so a narrow dock shows name, errors and status
    // (the default name already says which knobs differ); the header can be rearranged.
    header->moveSection(header->visualIndex(RunHistoryModel::KnobsColumn),
                        header->visualIndex(RunHistoryModel::StatusColumn));

    createActions();

    auto* compareButton = new QToolButton(this);
    compareButton->setDefaultAction(m_compareAction);
    compareButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* reopenButton = new QToolButton(this);
    reopenButton->setDefaultAction(m_reopenAction);
    reopenButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // The rarer actions live in one menu so the row fits a narrow dock.
    auto* more = new QToolButton(this);
    more->setText(tr("More"));
    more->setToolTip(tr("Duplicate, export, rename or delete the selected runs"));
    more->setPopupMode(QToolButton::InstantPopup);
    auto* moreMenu = new QMenu(more);
    moreMenu->addActions({m_duplicateAction, m_exportAction});
    moreMenu->addSeparator();
    moreMenu->addActions({m_renameAction, m_deleteAction});
    more->setMenu(moreMenu);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(reopenButton);
    buttons->addWidget(compareButton);
    buttons->addStretch();
    buttons->addWidget(more);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);
    layout->addLayout(buttons);

    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        const QString id = idAt(index);
        if (!id.isEmpty())
            emit reopenRequested(id);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &RunHistoryPanel::showMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunHistoryPanel::updateSelection);
    // Removing a selected row does not always announce a selection change.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RunHistoryPanel::updateSelection);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RunHistoryPanel::updateSelection);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RunHistoryPanel::updateSelection);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first) { m_view->scrollTo(m_proxy->index(first, 0)); });
    connect(m_model, &RunHistoryModel::renameFailed, this, [this](const QString& message) {
        QMessageBox::warning(this, tr("Cannot rename the run"), message);
    });
    updateSelection();
}

void RunHistoryPanel::createActions() {
    auto make = [this](const QString& text, const QString& tip) {
        auto* action = new QAction(text, this);
        action->setToolTip(tip);
        // Keys act only while the list has focus, not anywhere in the window.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
        return action;
    };
    // The full text names what the action acts on, for the Run menu; the panel's buttons
    // show the short icon text.
    m_reopenAction =
        make(tr("Re-open Run"), tr("Show the run and load its settings (double-click, Enter)"));
    m_reopenAction->setIconText(tr("Re-open"));
    m_compareAction =
        make(tr("Compare Selected Runs"), tr("Compare the selected runs (select two or more)"));
    m_compareAction->setIconText(tr("Compare"));
    m_duplicateAction = make(tr("Duplicate Run With…"),
                             tr("Train the run again with one knob changed, from the same seed"));
    m_exportAction =
        make(tr("Export Run…"),
             tr("Write the run's bundle (files, metrics.md, figures) into a new folder"));
    m_renameAction = make(tr("Rename…"), tr("Rename the run (F2)"));
    m_renameAction->setShortcut(Qt::Key_F2);
    m_deleteAction = make(tr("Delete"), tr("Delete the selected runs and their files (Del)"));
    m_deleteAction->setShortcut(QKeySequence::Delete);

    connect(m_reopenAction, &QAction::triggered, this, [this] {
        if (const QString id = singleSelectedId(); !id.isEmpty())
            emit reopenRequested(id);
    });
    connect(m_compareAction, &QAction::triggered, this, [this] {
        if (const QStringList ids = selectedIds(); ids.size() >= 2)
            emit compareRequested(ids);
    });
    connect(m_duplicateAction, &QAction::triggered, this, [this] {
        if (const QString id = singleSelectedId(); !id.isEmpty())
            emit duplicateRequested(id);
    });
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (const QString id = singleSelectedId(); !id.isEmpty())
            emit exportRequested(id);
    });
    connect(m_renameAction, &QAction::triggered, this, &RunHistoryPanel::renameCurrent);
    connect(m_deleteAction, &QAction::triggered, this, &RunHistoryPanel::deleteSelected);
}

QString RunHistoryPanel::idAt(const QModelIndex& proxyIndex) const {
    return proxyIndex.data(IdRole).toString();
}

QStringList RunHistoryPanel::selectedIds() const {
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex& index : rows)
        ids << idAt(index);
    return ids;
}

void RunHistoryPanel::selectIds(const QStringList& ids) {
    QItemSelection selection;
    for (const QString& id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        selection.select(index, index);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    if (!selection.isEmpty())
        m_view->scrollTo(selection.indexes().constFirst());
}

QString RunHistoryPanel::singleSelectedId() const {
    const QStringList ids = selectedIds();
    return ids.size() == 1 ? ids.constFirst() : QString();
}

void RunHistoryPanel::setConfirmDeletes(bool confirm) {
    m_confirmDeletes = confirm;
}

void RunHistoryPanel::updateSelection() {
    const QStringList ids = selectedIds();
    const bool one = ids.size() == 1;
    m_reopenAction->setEnabled(one);
    m_duplicateAction->setEnabled(one);
    m_exportAction->setEnabled(one);
    m_renameAction->setEnabled(one);
    m_compareAction->setEnabled(ids.size() >= 2);
    m_deleteAction->setEnabled(!ids.isEmpty());
    if (ids != m_lastSelection) {
        m_lastSelection = ids;
        emit selectionChanged(ids);
    }
}

void RunHistoryPanel::renameCurrent() {
    const QString id = singleSelectedId();
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index =
        m_proxy->mapFromSource(m_model->index(row, RunHistoryModel::NameColumn));
    m_view->setCurrentIndex(index);
    m_view->edit(index);
}

void RunHistoryPanel::deleteSelected() {
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    if (m_confirmDeletes) {
        const StoredRun* first = m_history->find(ids.constFirst());
        QMessageBox box(QMessageBox::Question, tr("Delete runs"),
                        ids.size() == 1 && first
                            ? tr("Delete the run “%1” from the history?").arg(first->name)
                            : tr("Delete these %1 runs from the history?").arg(ids.size()),
                        QMessageBox::Cancel, this);
        box.setInformativeText(tr("Their saved files are deleted too. This cannot be undone."));
        QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != remove)
            return;
    }
    QStringList errors;
    for (const QString& id : ids) {
        QString error;
        if (!m_history->remove(id, &error))
            errors << error;
    }
    if (!errors.isEmpty())
        QMessageBox::warning(this, tr("Cannot delete every run"), errors.join(QLatin1Char('\n')));
}

void RunHistoryPanel::showMenu(const QPoint& pos) {
    // Right-clicking outside the selection acts on the row under the pointer, as in file managers.
    const QModelIndex under = m_view->indexAt(pos);
    if (under.isValid() && !m_view->selectionModel()->isRowSelected(under.row(), {}))
        m_view->selectionModel()->select(under, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    QMenu menu(this);
    menu.addActions({m_reopenAction, m_compareAction});
    menu.addSeparator();
    menu.addActions({m_duplicateAction, m_exportAction});
    menu.addSeparator();
    menu.addActions({m_renameAction, m_deleteAction});
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace sobolev
