// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QAction;
class QLineEdit;
class QTreeView;

namespace sobolev {

class RunHistory;
class RunFilterModel;
class RunHistoryModel;

// The side panel listing the run history: sortable, multi-selection, rename in place (F2),
// delete (Del), and requests the main window acts on (re-open, compare, duplicate, export).
class RunHistoryPanel : public QWidget {
    Q_OBJECT
  public:
    explicit RunHistoryPanel(RunHistory* history, QWidget* parent = nullptr);

    // In the order shown.
    QStringList selectedIds() const;
    void selectIds(const QStringList& ids);

    // Tests switch the "Delete n runs?" question off; it is on by default.
    void setConfirmDeletes(bool confirm);

    QTreeView* view() const { return m_view; }
    // Shows only the runs whose name, knobs or status contain the text (any case).
    QLineEdit* filterEdit() const { return m_filter; }
    RunHistoryModel* model() const { return m_model; }
    QAction* reopenAction() const { return m_reopenAction; }
    QAction* compareAction() const { return m_compareAction; }
    QAction* duplicateAction() const { return m_duplicateAction; }
    QAction* exportAction() const { return m_exportAction; }
    QAction* renameAction() const { return m_renameAction; }
    QAction* deleteAction() const { return m_deleteAction; }

  signals:
    void reopenRequested(const QString& id);
    void compareRequested(const QStringList& ids);
    void duplicateRequested(const QString& id);
    void exportRequested(const QString& id);
    void selectionChanged(const QStringList& ids);

  public slots:
    void renameCurrent();
    void deleteSelected();

  private:
    void createActions();
    void updateSelection();
    QString idAt(const QModelIndex& proxyIndex) const;
    QString singleSelectedId() const;
    void showMenu(const QPoint& pos);

    RunHistory* m_history;
    RunHistoryModel* m_model;
    RunFilterModel* m_proxy;
    QTreeView* m_view;
    QLineEdit* m_filter;
    QStringList m_lastSelection;
    bool m_confirmDeletes = true;

    QAction* m_reopenAction = nullptr;
    QAction* m_compareAction = nullptr;
    QAction* m_duplicateAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_renameAction = nullptr;
    QAction* m_deleteAction = nullptr;
};

} // namespace sobolev
