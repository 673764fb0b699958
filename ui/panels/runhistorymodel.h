// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shownepoch.h"
#include "tablesort.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace sobolev {

class RunHistory;
struct StoredRun;

// The runs of a RunHistory as a table, one row per run in the history's order; follows the
// history's signals. Editing the name column renames the run on disk.
class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        NameColumn,
        KnobsColumn,
        MseFColumn,
        MseFprimeColumn,
        StatusColumn,
        CreatedColumn,
        ColumnCount
    };
    // SortRole (tablesort.h) holds the errors as numbers and the creation order as the id;
    // IdRole the run's id on every cell.
    explicit RunHistoryModel(RunHistory* history, QObject* parent = nullptr);

    RunHistory* history() const { return m_history; }
    QString idAt(int row) const;
    int rowOf(const QString& id) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    ShownEpoch shownEpoch() const { return m_shown; }

  public slots:
    // The error columns show the final errors or those of each run's best validation epoch.
    void setShownEpoch(sobolev::ShownEpoch which);

  signals:
    // A rename the user typed could not be stored; `message` names the file and the problem.
    void renameFailed(const QString& message);

  private:
    // What filtering and sorting read of a run, formatted once: the panel's filter reads
    // the name, knobs and status of every row at each keystroke, and a sort reads a column O(n log
    // n) times, which with thousands of runs would otherwise format the same text over again.
    struct Row {
        QString knobs;
    };
    Row rowFor(const StoredRun& run) const;
    void reload();
    void onAdded(const QString& id);
    void onRenamed(const QString& id);
    void onRemoved(const QString& id);
    QVariant cell(const StoredRun& run, const Row& row, int column, int role) const;

    RunHistory* m_history;
    // Our own copy of the row order: when runRemoved arrives the run has already left the
    // history, and the row must still be found to announce its removal.
    QStringList m_ids;
    QList<Row> m_rows; // parallel to m_ids
    ShownEpoch m_shown = ShownEpoch::Final;
};

} // namespace sobolev
