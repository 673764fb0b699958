// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace sobolev {

// The roles every sortable table of runs puts on its cells (the Runs panel, the comparison
// table, the sweep table). A table's own roles start at FirstTableRole.
enum TableRole : int {
    // The value a column sorts by: a number for a number (NaN when there is none, as for a
    // diverged run's errors), text for text.
    SortRole = Qt::UserRole,
    // The run's id in the run history, on the cells that name a run.
    IdRole,
    FirstTableRole
};

// Whether `value` is no value for sorting: nothing, an empty text or NaN.
bool isMissingSortValue(const QVariant& value);

// Whether `left` comes before `right` when a column is sorted in `order`: numbers by value
// (2 before 10, whatever their types), texts by their characters, numbers before texts, and a
// missing value after every other in both orders. Equal values are "not before" each other,
// so that a stable sort keeps their previous order.
bool sortsBefore(const QVariant& left, const QVariant& right, Qt::SortOrder order,
                 Qt::CaseSensitivity textCase = Qt::CaseSensitive);

// A proxy that sorts its source's rows by SortRole with sortsBefore(): a diverged run's
// NaN error ends up at the bottom whichever way the column is sorted.
class TableSortModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit TableSortModel(QObject* parent = nullptr);

  protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace sobolev
