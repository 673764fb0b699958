// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "reportcontent.h"
#include "runfolder.h"

#include <QByteArray>
#include <QString>

namespace sobolev {

class RunFigures;

// `content` as a PDF on `page` paper, its figures drawn from `figures`. The text is text
// (searchable and selectable) and the figures are vector graphics: the charts' scenes are
// drawn straight into the PDF's painter, never through an image.
QByteArray renderReportPdf(const ReportContent& content, const RunFigures& figures,
                           ReportPage page);

// What to write: the PDF at `pdfPath` (it must end in .pdf), and unless `markdown` is false
// the same content as Markdown beside it (the same name ending in .md) with the four figures
// as PNG and SVG in `figureDir`, a folder relative to the PDF's ("" for the PDF's own folder,
// which must exist).
struct ReportTarget {
    QString pdfPath;
    ReportPage page = ReportPage::A4;
    bool markdown = true;
    QString figureDir;
};

// Writes the report of `run` (reportContent) as `target` says; on failure returns false with
// `error` naming the file and the problem. Needs a QApplication (the figures are widgets).
bool writeReport(const ReportTarget& target, const RunRecord& run, QString* error,
                 const std::vector<BaselineResult>& baselines = {});

// "report.md" beside "report.pdf".
QString markdownPathFor(const QString& pdfPath);

} // namespace sobolev
