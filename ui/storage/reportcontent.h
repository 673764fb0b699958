// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"

#include "runfolder.h"
#include "tablewriter.h"

#include <QDateTime>
#include <QList>
#include <QLocale>
#include <QString>

#include <optional>
#include <utility>

// What a run's report says, as sections of paragraphs, formulas, tables and figures; the PDF
// (ui/charts/reportpdf.h) and the Markdown below are two renderings of the same content.
namespace sobolev {

enum class ReportPage { A4, Letter };
// "a4", "letter" (any case); nullopt for anything else.
std::optional<ReportPage> reportPageFromName(const QString& name);
QString reportPageName(ReportPage page); // "a4", "letter"
// Letter where it is the usual paper (CLDR's paperSize data: the US, Canada, Mexico and a few
// more in the Americas, and the Philippines), A4 everywhere else.
ReportPage defaultReportPage(const QLocale& locale = QLocale());

// A knob changed by hand during a run: from `oldValue` to `newValue` before batch
// `batch` of epoch `epoch`.
struct ReportBlock {
    enum class Kind { Paragraph, Formula, Table, Figure };
    Kind kind = Kind::Paragraph;
    QString text;    // Paragraph: the text; Formula: plain ("f(x) = 1/(1+25*x^2)"); Figure: caption
    QString latex;   // Formula: the same in LaTeX, for the Markdown ($$…$$)
    DataTable table; // Table (its title is not shown; the section names it)
    int significantDigits = 3; // Table: of numbers that are not integers
    QString figure;            // Figure: the file stem of writeRunFigures ("training", "f", …)
    bool typed = false;        // Paragraph: text the user typed, escaped in the Markdown
};

struct ReportSection {
    QString heading;
    QList<ReportBlock> blocks;
};

struct ReportContent {
    QString title;    // "Sobolev Workbench report"
    QString subtitle; // what was run, and when the report was written
    QList<ReportSection> sections;
};

// The headings of reportContent's sections, in order.
QStringList reportSectionHeadings();

// The metrics table: a row per fit (the network at the end of the run, and at its best
// validation epoch), its name first and then its errors on the test grid. Other fits of the
// same problem (baselines) are more rows of the same columns.
DataTable reportMetricsTable(const RunRecord& run,
                             const std::vector<BaselineResult>& baselines = {});
// The same rows with the x of each maximum error and the relative L2 errors.
DataTable reportWhereTable(const RunRecord& run, const std::vector<BaselineResult>& baselines = {});

// Epoch, batch, knob, from, to: a row per change.
// The live knob changes of `config` (its `changes`), each with the value it replaced.
DataTable knobChangesTable(const TrainConfig& config);

// The report of `run`, what a reader needs first: a summary (the experiment and its final and
// best errors), the four figures, the metrics (with `baselines`); then the target and its
// derivative, a summary of the history, the live knob changes of its config ("none" when
// empty), the knobs by their panel labels with units (first those that differ from the
// reference experiment) and the software that wrote it, at `written`.
ReportContent reportContent(const RunRecord& run, const std::vector<BaselineResult>& baselines = {},
                            const QDateTime& written = QDateTime::currentDateTimeUtc());

// What a comparison or sweep report shows: what is compared, the user's notes, the figures of
// the window (file stem and caption), the table as the window shows it and remarks below it.
struct ComparisonReport {
    QString title;       // "Sobolev Workbench comparison"
    QString description; // "4 runs: β=0, β=0.1, β=1, β=10"
    QString notes;       // free text; paragraphs split at blank lines
    QList<std::pair<QString, QString>> figures;
    QString tableIntro; // which errors the table shows
    DataTable table;
    QStringList remarks;
};
// Its report: the notes first (the homework's answer), then the figures, the table and the
// software that wrote it, at `written`.
ReportContent comparisonReportContent(const ComparisonReport& report,
                                      const QDateTime& written = QDateTime::currentDateTimeUtc());
// The headings of comparisonReportContent's sections, notes included.
QStringList comparisonSectionHeadings();

// `text` with Markdown's special characters escaped, so that it shows as typed: "β_1 *x*"
// stays "β_1 *x*" and not a subscript or emphasis.
QString markdownEscaped(const QString& text);

// The content as Markdown. Figures link to `figureDir`/<figure>.png (and .svg), relative to
// the Markdown file; an empty `figureDir` is the Markdown's own folder.
QByteArray reportMarkdown(const ReportContent& content, const QString& figureDir = {});

} // namespace sobolev
