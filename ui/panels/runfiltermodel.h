// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tablesort.h"

namespace sobolev {

// The Runs panel's sorting (TableSortModel's) and filtering: a row is shown when its name,
// knobs or status contain the filter text (case-insensitive). A new filter text re-maps the
// rows in one layout change; QSortFilterProxyModel's own filter setters announce every block
// of rows that appears or disappears, which over thousands of scattered runs makes the view
// lay itself out again hundreds of times per keystroke.
class RunFilterModel : public TableSortModel {
    Q_OBJECT
  public:
    explicit RunFilterModel(QObject* parent = nullptr);

    QString filterText() const { return m_text; }

  public slots:
    void setFilterText(const QString& text);

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    QString m_text;
};

} // namespace sobolev
