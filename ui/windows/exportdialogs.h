// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tablewriter.h"

#include <QFileDialog>
#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
class QWidget;
QT_END_NAMESPACE

// The dialogs around figure and table exports; the exports themselves are in chartexport.h
// and tablewriter.h. Every dialog starts in the last export folder and remembers it.
namespace sobolev {

// A right-click menu on `chartWidget` with Export as PNG/SVG/PDF and Copy Image.
void addExportMenu(QWidget* chartWidget, QChart* chart, const QString& baseName);

// Asks where to save a figure (starting in the last export folder) and, for a PNG, at
// which scale (1-4); nullopt when cancelled.
struct FigureTarget {
    QString path;
    double scale = 1;
};
std::optional<FigureTarget> askFigureTarget(QWidget* parent, const QString& title,
                                            const QString& suggestedName, const QString& filter);
// Asks for a folder to export into, starting in the last export folder, and remembers it;
// empty when cancelled. A name that does not exist yet is created (ExportFolderDialog).
QString askExportFolder(QWidget* parent, const QString& title);

// A folder dialog that also takes the name of a folder that does not exist yet, typed into
// its name field, and creates it on OK; QFileDialog alone refuses it ("Directory not
// found"), though a new folder is what a run bundle wants.
class ExportFolderDialog : public QFileDialog {
    Q_OBJECT
  public:
    ExportFolderDialog(QWidget* parent, const QString& title, const QString& startDir);
    // The chosen folder, once accepted.
    QString folder() const;

  public slots:
    void accept() override;
};

// Asks where to save `table` (CSV, JSON, Markdown or LaTeX by the chosen suffix) and, for
// Markdown and LaTeX, how many significant digits; writes it and says so or why not.
// Returns the path written, or an empty string when cancelled or failed.
QString exportTableWithDialog(QWidget* parent, const DataTable& table, const QString& title,
                              const QString& baseName);

} // namespace sobolev
