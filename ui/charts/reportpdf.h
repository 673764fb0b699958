// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "reportcontent.h"
#include "runfolder.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace sobolev {

class RunFigures;

// Where renderReportPdf put a block, for tests and checks of the layout: its kind ("title",
// "heading", "paragraph", "formula", "table", "figure"), its name (a heading's text, a
// table's title, a figure's file stem) and its page (1 for the first); a table also has
// the page of each of its body rows.
struct ReportPlacement {
    QString kind;
    QString name;
    int page = 0;
    QList<int> rowPages;
};

// A report's figures by name (ReportBlock::figure), each a laid-out chart.
using ReportFigures = QList<std::pair<QString, QChart*>>;

// `content` as a PDF on `page` paper, its figures drawn from `figures`. The text is text
// (searchable and selectable) and the figures are vector graphics: the charts' scenes are
// drawn straight into the PDF's painter, never through an image. A table is kept whole on
// a page when it fits on one; a longer one continues under its header repeated, never with
// a lone row on a page; a heading stays with the start of its section. `placements`, when
// given, receives where each block went.
QByteArray renderReportPdf(const ReportContent& content, const ReportFigures& figures,
                           ReportPage page, QList<ReportPlacement>* placements = nullptr);
QByteArray renderReportPdf(const ReportContent& content, const RunFigures& figures, ReportPage page,
                           QList<ReportPlacement>* placements = nullptr);

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

// Writes `content` with `figures` as `target` says (the Markdown's figures as PNG and SVG);
// on failure returns false with `error` naming the file and the problem. Needs a
// QApplication (the figures are widgets).
bool writeReportFiles(const ReportTarget& target, const ReportContent& content,
                      const ReportFigures& figures, QString* error);
// The report of `run` (reportContent) with its four figures, as writeReportFiles.
bool writeReport(const ReportTarget& target, const RunRecord& run, QString* error,
                 const std::vector<BaselineResult>& baselines = {});

// "report.md" beside "report.pdf".
QString markdownPathFor(const QString& pdfPath);

} // namespace sobolev
