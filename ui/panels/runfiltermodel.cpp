// SPDX-License-Identifier: GPL-3.0-or-later
#include "runfiltermodel.h"

#include "runhistorymodel.h"

namespace sobolev {

RunFilterModel::RunFilterModel(QObject* parent) : TableSortModel(parent) {}

void RunFilterModel::setFilterText(const QString& text) {
    if (text == m_text)
        return;
    m_text = text;
    invalidate(); // one layoutChanged; the rows are filtered again as the view asks for them
}

bool RunFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_text.isEmpty())
        return true;
    const QAbstractItemModel* source = sourceModel();
    // The columns the filter box names; the errors and dates are sorted by, not searched.
    for (int column :
         {RunHistoryModel::NameColumn, RunHistoryModel::KnobsColumn, RunHistoryModel::StatusColumn})
        if (source->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace sobolev
