// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportdialogs.h"

#include "chartexport.h"
#include "settings.h"

#include <QApplication>
#include <QChart>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>

namespace sobolev {

std::optional<FigureTarget> askFigureTarget(QWidget* parent, const QString& title,
                                            const QString& suggestedName, const QString& filter) {
    const QString suggested = QDir(settings::exportFolder().get()).filePath(suggestedName);
    const QString path = QFileDialog::getSaveFileName(parent, title, suggested, filter);
    if (path.isEmpty())
        return std::nullopt;
    settings::exportFolder().set(QFileInfo(path).absolutePath());
    if (figureFormatForPath(path) != FigureFormat::Png)
        return FigureTarget{path, 1};
    bool ok = false;
    const double scale = QInputDialog::getDouble(
        parent, QObject::tr("PNG Scale"),
        QObject::tr("Pixels per screen pixel (1–4; 2 or more for slides and print):"),
        settings::pngScale().get(), 1, 4, 1, &ok);
    if (!ok)
        return std::nullopt;
    settings::pngScale().set(scale);
    return FigureTarget{path, scale};
}

ExportFolderDialog::ExportFolderDialog(QWidget* parent, const QString& title,
                                       const QString& startDir)
    : QFileDialog(parent, title, startDir) {
    setFileMode(QFileDialog::Directory);
    // Qt's own dialog on every platform, so that accept() below sees the typed name.
    setOptions(QFileDialog::ShowDirsOnly | QFileDialog::DontUseNativeDialog);
    setLabelText(QFileDialog::FileName, tr("Folder:"));
}

QString ExportFolderDialog::folder() const {
    const QStringList files = selectedFiles();
    return files.isEmpty() ? QString() : QDir::cleanPath(files.constFirst());
}

void ExportFolderDialog::accept() {
    const QString path = folder();
    // Only the last level: a typo in the parent folders should not create a tree of them.
    if (!path.isEmpty() && !QFileInfo::exists(path) && !QDir().mkdir(path)) {
        QMessageBox::warning(
            this, windowTitle(),
            tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    QFileDialog::accept();
}

QString askExportFolder(QWidget* parent, const QString& title) {
    ExportFolderDialog dialog(parent, title, settings::exportFolder().get());
    if (dialog.exec() != QDialog::Accepted)
        return {};
    const QString dir = dialog.folder();
    if (!dir.isEmpty())
        settings::exportFolder().set(dir);
    return dir;
}

void addExportMenu(QWidget* chartWidget, QChart* chart, const QString& baseName) {
    chartWidget->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        chartWidget, &QWidget::customContextMenuRequested, chartWidget,
        [chartWidget, chart, baseName](const QPoint& pos) {
            QMenu menu(chartWidget);
            auto exportAs = [&](const QString& suffix, const QString& filter) {
                const auto target = askFigureTarget(chartWidget, QObject::tr("Export Figure"),
                                                    baseName + suffix, filter);
                QString error;
                if (target && !exportChart(chart, target->path, target->scale, &error))
                    QMessageBox::warning(chartWidget, QObject::tr("Export failed"), error);
            };
            menu.addAction(QObject::tr("Export as &PNG…"), [&] {
                exportAs(QStringLiteral(".png"), QObject::tr("PNG image (*.png)"));
            });
            menu.addAction(QObject::tr("Export as &SVG…"), [&] {
                exportAs(QStringLiteral(".svg"), QObject::tr("SVG drawing (*.svg)"));
            });
            menu.addAction(QObject::tr("Export as P&DF…"), [&] {
                exportAs(QStringLiteral(".pdf"), QObject::tr("PDF document (*.pdf)"));
            });
            menu.addSeparator();
            menu.addAction(QObject::tr("&Copy Image"), [&] {
                QApplication::clipboard()->setImage(renderChartImage(chart, 2));
            });
            menu.exec(chartWidget->mapToGlobal(pos));
        });
}

QString exportTableWithDialog(QWidget* parent, const DataTable& table, const QString& title,
                              const QString& baseName) {
    const QString path = QFileDialog::getSaveFileName(
        parent, title,
        QDir(settings::exportFolder().get()).filePath(baseName + QStringLiteral(".csv")),
        QObject::tr("CSV (*.csv);;JSON (*.json);;Markdown (*.md);;LaTeX booktabs (*.tex)"));
    if (path.isEmpty())
        return {};
    settings::exportFolder().set(QFileInfo(path).absolutePath());
    int digits = 3;
    const auto format = tableFormatForPath(path);
    if (format == TableFormat::Markdown || format == TableFormat::Latex) {
        bool ok = false;
        digits = QInputDialog::getInt(parent, QObject::tr("Precision"),
                                      QObject::tr("Significant digits (CSV and JSON keep all):"),
                                      settings::tableDigits().get(), 1, 17, 1, &ok);
        if (!ok)
            return {};
        settings::tableDigits().set(digits);
    }
    QString error;
    if (!exportTable(table, path, digits, &error)) {
        QMessageBox::warning(parent, QObject::tr("Export failed"), error);
        return {};
    }
    return path;
}

} // namespace sobolev
