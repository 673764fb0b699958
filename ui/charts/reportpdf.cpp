// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportpdf.h"

#include "buildinfo.h"
#include "chartexport.h"
#include "fileio.h"
#include "runfigures.h"

#include <QBuffer>
#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

#include <algorithm>
#include <memory>
#include <numeric>
#include <tuple>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::ReportPdf", text);
}

// The PDF is laid out in the screen's logical pixels (96 to the inch), the unit the charts
// are laid out in: a chart drawn 1:1 keeps its text sizes and its text fits its boxes.
constexpr int logicalDpi = 96;
constexpr double marginMm = 20;
constexpr double footerHeight = 24;

QFont font(double points, bool bold = false, bool italic = false, bool mono = false) {
    QFont f(mono ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
    f.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setItalic(italic);
    // No ligatures: "fl" and "fi" stay two letters, so that the PDF's text searches and copies
    // as typed ("float32", "fit").
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

bool isNumberCell(const QVariant& v) {
    switch (v.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

// A table measured for the page: its cells' texts, its columns' widths and alignment, and
// its rows' heights, at the largest of 9, 8 and 7 points at which it fits the page's width,
// first with whole headers, then with headers wrapped between words and narrower gaps (at
// 7 points the widest column wraps too).
struct TableGeometry {
    QFont body, head;
    QList<QStringList> cells;
    QList<double> widths;
    QList<bool> right;
    double headerHeight = 0;
    QList<double> rowHeights;
    double tableWidth = 0;
    double pad = 14; // between columns
};

// A cell wraps between words, and inside a word only when the word alone is too wide: the
// drawText() flags offer word wrap or wrap anywhere, and anywhere broke "H¹ error" as "H¹ er/ror".
QTextOption cellOption(Qt::Alignment alignment) {
    QTextOption option(alignment);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

// Places blocks top to bottom on pages of the PDF, starting a page when the next block does
// not fit on this one; every page has its number in the footer.
class PageFlow {
  public:
    PageFlow(QPdfWriter& pdf, QPainter& painter, const QString& footer,
             QList<ReportPlacement>* placements)
        : m_pdf(pdf), m_painter(painter), m_footer(footer), m_placements(placements) {
        const QRect paint = pdf.pageLayout().paintRectPixels(logicalDpi);
        m_area = QRectF(0, 0, paint.width(), paint.height() - footerHeight);
        m_y = m_area.top();
        drawFooter();
    }

    double width() const { return m_area.width(); }

    void space(double height) {
        if (m_y > m_area.top())
            m_y += height;
    }

    void title(const QString& text, const QString& subtitle) {
        place(QStringLiteral("title"), text);
        text_(text, titleFont(), 0);
        space(4);
        text_(subtitle, font(9), 0, QColor(80, 80, 80));
    }

    // A heading is never the last line of a page: it starts a page unless `keep` (the height
    // of the start of its section, keepHeight()) fits below it.
    void heading(const QString& text, double keep) {
        const QFont f = headingFont();
        space(16);
        fit(textHeight(text, f, 0) + 6 + keep);
        place(QStringLiteral("heading"), text);
        text_(text, f, 0);
        space(6);
    }

    void paragraph(const QString& text) {
        place(QStringLiteral("paragraph"), text.left(40));
        // A line break typed into notes stays one.
        text_(QString(text).replace(QLatin1Char('\n'), QChar::LineSeparator), font(10), 0);
        space(6);
    }

    void formula(const QString& text) {
        place(QStringLiteral("formula"), text.left(40));
        text_(text, formulaFont(), 12, Qt::black, true);
        space(4);
    }

    void table(const DataTable& t, int digits);
    void figure(QChart* chart, const QString& name, const QString& caption);

    // What must stay on the page with the heading above `block`: a table's header and first
    // two rows (or all of it), a figure, the first lines of a text; a short paragraph that
    // introduces the next block also keeps that block's start.
    double keepHeight(const QList<ReportBlock>& blocks, int index, const ReportFigures& figures);

  private:
    static QFont titleFont() { return font(18, true); }
    static QFont headingFont() { return font(13, true); }
    static QFont formulaFont() { return font(10, false, false, true); }

    void place(const QString& kind, const QString& name) {
        if (m_placements)
            m_placements->append({kind, name, m_page, {}});
    }

    double height(const QString& text, const QFont& f, double w,
                  int wrap = Qt::TextWordWrap) const {
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, w, 1e6), wrap, text).height();
    }

    double cellHeight(const QString& text, const QFont& f, double w) const {
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, w, 1e6), text, cellOption(Qt::AlignLeft))
            .height();
    }

    // Starts a new page unless `h` fits below the current position (or the page is empty).
    void fit(double h) {
        if (m_y + h > m_area.bottom() && m_y > m_area.top())
            newPage();
    }

    void newPage() {
        m_pdf.newPage();
        m_y = m_area.top();
        drawFooter();
    }

    std::unique_ptr<QTextLayout> layOut(const QString& text, const QFont& f, double indent,
                                        bool anywhere) const {
        auto layout = std::make_unique<QTextLayout>(text, f, m_painter.device());
        QTextOption option;
        option.setWrapMode(anywhere ? QTextOption::WrapAnywhere
                                    : QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout->setTextOption(option);
        double h = 0;
        layout->beginLayout();
        for (QTextLine line = layout->createLine(); line.isValid(); line = layout->createLine()) {
            line.setLineWidth(width() - indent);
            line.setPosition(QPointF(0, h));
            h += line.height();
        }
        layout->endLayout();
        return layout;
    }

    // The height of the first `lines` lines of `text` (all of them by default).
    double textHeight(const QString& text, const QFont& f, double indent, int lines = -1,
                      bool anywhere = false) const {
        const auto layout = layOut(text, f, indent, anywhere);
        double h = 0;
        for (int i = 0; i < layout->lineCount() && (lines < 0 || i < lines); ++i)
            h += layout->lineAt(i).height();
        return h;
    }

    // Wrapped at `width() - indent`; moved to the next page whole when it fits on one, else
    // broken between lines (a long derivative can fill more than a page).
    void text_(const QString& text, const QFont& f, double indent, QColor colour = Qt::black,
               bool anywhere = false) {
        const auto layout = layOut(text, f, indent, anywhere);
        double h = 0;
        for (int i = 0; i < layout->lineCount(); ++i)
            h += layout->lineAt(i).height();
        if (h <= m_area.height())
            fit(h);
        m_painter.setPen(colour);
        for (int i = 0; i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            fit(line.height());
            line.draw(&m_painter, QPointF(indent, m_y - line.y()));
            m_y += line.height();
        }
    }

    void drawFooter() {
        ++m_page;
        m_painter.setFont(font(8));
        m_painter.setPen(QColor(100, 100, 100));
        const QRectF footer(0, m_area.bottom() + 8, width(), footerHeight - 8);
        m_painter.drawText(footer, Qt::AlignLeft | Qt::AlignBottom, m_footer);
        m_painter.drawText(footer, Qt::AlignRight | Qt::AlignBottom, tr("page %1").arg(m_page));
    }

    TableGeometry measure(const DataTable& t, int digits) const;
    TableGeometry measureAt(const DataTable& t, int digits, double points, bool wrapHeaders,
                            double pad) const;
    void drawRow(const TableGeometry& g, const QStringList& texts, bool header, double h);
    void rule(const TableGeometry& g, double thickness);
    QSizeF figureSize(QChart* chart, const QString& caption, double* captionHeight) const;

    QPdfWriter& m_pdf;
    QPainter& m_painter;
    QString m_footer;
    QList<ReportPlacement>* m_placements;
    QRectF m_area;
    double m_y = 0;
    int m_page = 0;
};

constexpr double ruleHeight = 1;

TableGeometry PageFlow::measureAt(const DataTable& t, int digits, double points, bool wrapHeaders,
                                  double pad) const {
    TableGeometry g;
    g.pad = pad;
    const int columns = int(t.columns.size());
    g.body = font(points);
    g.head = font(points, true);
    g.cells = tableCellTexts(t, digits); // one notation per column
    for (QStringList& texts : g.cells)
        while (texts.size() < columns)
            texts << QString();
    const auto natural = [this](const QString& text, const QFont& f) {
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, 1e6, 1e6), 0, text).width();
    };
    g.widths = QList<double>(columns, 0.0);
    for (int c = 0; c < columns; ++c) {
        // A header may wrap between its words ("MSE f′ / (best epoch)") when the table is
        // too wide otherwise; a number never.
        const QStringList words = wrapHeaders
                                      ? t.columns[c].split(QLatin1Char(' '), Qt::SkipEmptyParts)
                                      : QStringList{t.columns[c]};
        for (const QString& word : words)
            g.widths[c] = std::max(g.widths[c], natural(word, g.head));
        for (const QStringList& row : g.cells)
            g.widths[c] = std::max(g.widths[c], natural(row[c], g.body));
        g.widths[c] += g.pad;
    }
    g.right = QList<bool>(columns, false);
    for (int c = 0; c < columns; ++c)
        g.right[c] = !t.rows.isEmpty() &&
                     std::all_of(t.rows.begin(), t.rows.end(), [c](const QList<QVariant>& row) {
                         return c < row.size() && isNumberCell(row[c]);
                     });
    return g;
}

TableGeometry PageFlow::measure(const DataTable& t, int digits) const {
    TableGeometry g;
    const auto fits = [this](const TableGeometry& g) {
        return std::accumulate(g.widths.begin(), g.widths.end(), 0.0) - g.pad <= width();
    };
    for (const auto& [points, wrap, pad] :
         {std::tuple{9.0, false, 14.0}, {9.0, true, 14.0}, {8.0, true, 10.0}, {7.0, true, 8.0}})
        if (fits(g = measureAt(t, digits, points, wrap, pad)))
            break;
    const double total = std::accumulate(g.widths.begin(), g.widths.end(), 0.0);
    if (total - g.pad > width()) {
        const auto widest = std::max_element(g.widths.begin(), g.widths.end());
        *widest = std::max(width() + g.pad - (total - *widest), 40.0);
    }
    g.tableWidth = std::accumulate(g.widths.begin(), g.widths.end(), 0.0) - g.pad;
    const auto rowHeight = [&](const QStringList& texts, const QFont& f) {
        double h = 0;
        for (int c = 0; c < texts.size() && c < g.widths.size(); ++c)
            h = std::max(h, cellHeight(texts[c], f, g.widths[c] - g.pad));
        return h + 4;
    };
    g.headerHeight = rowHeight(t.columns, g.head);
    for (const QStringList& row : g.cells)
        g.rowHeights << rowHeight(row, g.body);
    return g;
}

void PageFlow::drawRow(const TableGeometry& g, const QStringList& texts, bool header, double h) {
    m_painter.setFont(header ? g.head : g.body);
    m_painter.setPen(Qt::black);
    double x = 0;
    for (int c = 0; c < g.widths.size(); ++c) {
        const QRectF cell(x, m_y + 2, g.widths[c] - g.pad, h - 4);
        m_painter.drawText(
            cell, texts.value(c),
            cellOption((g.right[c] ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop));
        x += g.widths[c];
    }
    m_y += h;
}

void PageFlow::rule(const TableGeometry& g, double thickness) {
    m_painter.setPen(QPen(Qt::black, thickness));
    m_painter.drawLine(QPointF(0, m_y), QPointF(g.tableWidth, m_y));
    m_y += ruleHeight;
}

// A booktabs-style table: rules above and below the header and at the end, numbers right
// aligned. The whole table goes on the next page when it does not fit below the current
// position but fits on a page. A longer one is cut between rows, its header repeated on each
// page, and no page holds a lone row of it (unless the table has one row).
void PageFlow::table(const DataTable& t, int digits) {
    if (t.columns.isEmpty())
        return;
    const TableGeometry g = measure(t, digits);
    const double top = g.headerHeight + 3 * ruleHeight; // two rules above the rows, one below
    const auto rowsHeight = [&g](qsizetype from, qsizetype to) {
        return std::accumulate(g.rowHeights.begin() + from, g.rowHeights.begin() + to, 0.0);
    };
    const qsizetype rows = g.rowHeights.size();
    const double whole = top + rowsHeight(0, rows);
    if (whole <= m_area.height())
        fit(whole);
    place(QStringLiteral("table"), t.title);
    qsizetype next = 0;
    do {
        // The rows that fit on this page below the header.
        qsizetype end = next;
        while (end < rows && m_y + top + rowsHeight(next, end + 1) <= m_area.bottom())
            ++end;
        const qsizetype minimum = std::min<qsizetype>(2, rows - next);
        if (end - next < minimum && m_y > m_area.top()) {
            newPage();
            continue;
        }
        end = std::max(end, next + std::min<qsizetype>(1, rows - next)); // a row taller than a page
        if (end == rows - 1 && end - next > 2)
            --end; // rather two rows on the next page than one
        rule(g, 1.2);
        drawRow(g, t.columns, true, g.headerHeight);
        rule(g, 0.6);
        for (qsizetype r = next; r < end; ++r) {
            if (m_placements)
                m_placements->last().rowPages << m_page;
            drawRow(g, g.cells[r], false, g.rowHeights[r]);
        }
        rule(g, 1.2);
        next = end;
        if (next < rows)
            newPage();
    } while (next < rows);
    space(10);
}

QSizeF PageFlow::figureSize(QChart* chart, const QString& caption, double* captionHeight) const {
    QSizeF size = chart->sceneBoundingRect().size();
    if (size.width() > width())
        size *= width() / size.width();
    *captionHeight = textHeight(caption, font(9, false, true), 0);
    return size;
}

void PageFlow::figure(QChart* chart, const QString& name, const QString& caption) {
    double captionHeight = 0;
    const QSizeF size = figureSize(chart, caption, &captionHeight);
    fit(size.height() + 6 + captionHeight);
    place(QStringLiteral("figure"), name);
    const QRectF target(QPointF((width() - size.width()) / 2, m_y), size);
    m_painter.save();
    renderFigure(chart, m_painter, target);
    m_painter.restore();
    m_y += size.height() + 6;
    text_(caption, font(9, false, true), 0);
    space(14);
}

QChart* chartNamed(const ReportFigures& figures, const QString& name) {
    for (const auto& [figureName, chart] : figures)
        if (figureName == name)
            return chart;
    return nullptr;
}

double PageFlow::keepHeight(const QList<ReportBlock>& blocks, int index,
                            const ReportFigures& figures) {
    if (index >= blocks.size())
        return 0;
    const ReportBlock& b = blocks[index];
    switch (b.kind) {
    case ReportBlock::Kind::Paragraph: {
        const double all = textHeight(b.text, font(10), 0);
        const double twoLines = textHeight(b.text, font(10), 0, 2);
        return all <= twoLines ? all + 6 + keepHeight(blocks, index + 1, figures) : twoLines;
    }
    case ReportBlock::Kind::Formula:
        return textHeight(b.text, formulaFont(), 12, 2, true);
    case ReportBlock::Kind::Table: {
        if (b.table.columns.isEmpty())
            return 0;
        // A table that fits on a page is placed whole (table()), so all of it; else its
        // header and first two rows.
        const TableGeometry g = measure(b.table, b.significantDigits);
        const double top = g.headerHeight + 3 * ruleHeight;
        const double whole = std::accumulate(g.rowHeights.begin(), g.rowHeights.end(), top);
        if (whole <= m_area.height())
            return whole;
        return std::accumulate(g.rowHeights.begin(),
                               g.rowHeights.begin() + std::min<qsizetype>(2, g.rowHeights.size()),
                               top);
    }
    case ReportBlock::Kind::Figure: {
        QChart* chart = chartNamed(figures, b.figure);
        if (!chart)
            return 0;
        double captionHeight = 0;
        return figureSize(chart, b.text, &captionHeight).height() + 6 + captionHeight;
    }
    }
    return 0;
}

} // namespace

QByteArray renderReportPdf(const ReportContent& content, const ReportFigures& figures,
                           ReportPage page, QList<ReportPlacement>* placements) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setResolution(logicalDpi);
    pdf.setPageSize(QPageSize(page == ReportPage::Letter ? QPageSize::Letter : QPageSize::A4));
    pdf.setPageMargins(QMarginsF(marginMm, marginMm, marginMm, marginMm), QPageLayout::Millimeter);
    pdf.setTitle(content.title);
    pdf.setCreator(QStringLiteral("Sobolev Workbench %1").arg(applicationVersion()));
    QPainter painter(&pdf);
    if (placements)
        placements->clear();
    PageFlow flow(pdf, painter, content.title, placements);
    flow.title(content.title, content.subtitle);
    for (const ReportSection& section : content.sections) {
        flow.heading(section.heading, flow.keepHeight(section.blocks, 0, figures));
        for (const ReportBlock& block : section.blocks) {
            switch (block.kind) {
            case ReportBlock::Kind::Paragraph:
                flow.paragraph(block.text);
                break;
            case ReportBlock::Kind::Formula:
                flow.formula(block.text);
                break;
            case ReportBlock::Kind::Table:
                flow.table(block.table, block.significantDigits);
                break;
            case ReportBlock::Kind::Figure:
                if (QChart* chart = chartNamed(figures, block.figure))
                    flow.figure(chart, block.figure, block.text);
                break;
            }
        }
    }
    painter.end();
    return bytes;
}

QByteArray renderReportPdf(const ReportContent& content, const RunFigures& figures, ReportPage page,
                           QList<ReportPlacement>* placements) {
    return renderReportPdf(content, figures.figures(), page, placements);
}

QString markdownPathFor(const QString& pdfPath) {
    const QFileInfo info(pdfPath);
    return QDir(info.path()).filePath(info.completeBaseName() + QStringLiteral(".md"));
}

bool writeReportFiles(const ReportTarget& target, const ReportContent& content,
                      const ReportFigures& figures, QString* error) {
    const QFileInfo pdfInfo(target.pdfPath);
    if (target.pdfPath.isEmpty()) {
        *error = tr("the report needs a file name ending in .pdf");
        return false;
    }
    if (pdfInfo.suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) != 0) {
        *error =
            tr("%1: a report is written as .pdf; choose a name ending in .pdf").arg(target.pdfPath);
        return false;
    }
    if (!pdfInfo.dir().exists()) {
        *error = tr("%1: the folder %2 does not exist")
                     .arg(target.pdfPath, QDir::toNativeSeparators(pdfInfo.path()));
        return false;
    }
    if (pdfInfo.isDir()) {
        *error = tr("%1: is a folder; choose a file name ending in .pdf").arg(target.pdfPath);
        return false;
    }
    const QByteArray pdf = renderReportPdf(content, figures, target.page);
    if (pdf.isEmpty()) {
        *error = tr("%1: the report could not be rendered").arg(target.pdfPath);
        return false;
    }
    if (target.markdown) {
        const QString figureDir = pdfInfo.dir().filePath(target.figureDir);
        if (!QDir().mkpath(figureDir)) {
            *error = tr("%1: cannot create the folder for the report's figures")
                         .arg(QDir::toNativeSeparators(figureDir));
            return false;
        }
        if (!writeFigures(figureDir, figures, documentPngScale, error) ||
            !writeFileAtomically(markdownPathFor(target.pdfPath),
                                 reportMarkdown(content, target.figureDir), error))
            return false;
    }
    return writeFileAtomically(target.pdfPath, pdf, error);
}

bool writeReport(const ReportTarget& target, const RunRecord& run, QString* error,
                 const std::vector<BaselineResult>& baselines) {
    const RunFigures figures(run, documentFigureSize(), baselines);
    return writeReportFiles(target, reportContent(run, baselines), figures.figures(), error);
}

} // namespace sobolev
