// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "comparison.h"
#include "reportpdf.h"

#include <QMainWindow>

namespace sobolev {

class ComparisonView;

// A window of its own for comparing runs, so several comparisons can stay open beside the
// main window; it exports its table and figures like the main window does.
class ComparisonWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit ComparisonWindow(const QList<ComparedRun>& runs, QWidget* parent = nullptr);

    ComparisonView* view() const { return m_view; }

    // File ▸ Export Report…: the figures as shown, the table with the best epochs, `notes`.
    ComparisonReport report(const QString& notes) const;
    bool writeReport(const ReportTarget& target, const QString& notes, QString* error) const;

  signals:
    // The user asked to open one of the runs in the main window.
    void openRunRequested(const QString& id);

  private:
    void createMenus();
    void exportFigures();
    void exportAnimation(); // the runs together, from their snapshots

    ComparisonView* m_view;
};

} // namespace sobolev
