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

// Places blocks top to bottom on pages of the PDF, starting a page when the next block (or
// table row) does not fit on this one; every page has its number in the footer.
class PageFlow {
  public:
    PageFlow(QPdfWriter& pdf, QPainter& painter, const QString& footer)
        : m_pdf(pdf), m_painter(painter), m_footer(footer) {
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
        text_(text, font(18, true), 0);
        space(4);
        text_(subtitle, font(9), 0, QColor(80, 80, 80));
    }

    void heading(const QString& text) {
        // A heading is never the last line of a page: it keeps 60 px of its section with it.
        const QFont f = font(13, true);
        space(16);
        fit(height(text, f, width()) + 60);
        text_(text, f, 0);
        space(6);
    }

    void paragraph(const QString& text) {
        text_(text, font(10), 0);
        space(6);
    }

    void formula(const QString& text) {
        text_(text, font(10, false, false, true), 12, Qt::black, true);
        space(4);
    }

    void table(const DataTable& t, int digits);
    void figure(QChart* chart, const QString& caption);

  private:
    double height(const QString& text, const QFont& f, double w,
                  int wrap = Qt::TextWordWrap) const {
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, w, 1e6), wrap, text).height();
    }

    // Starts a new page unless `h` fits below the current position (or the page is empty).
    void fit(double h) {
        if (m_y + h > m_area.bottom() && m_y > m_area.top()) {
            m_pdf.newPage();
            m_y = m_area.top();
            drawFooter();
        }
    }

    // Wrapped at `width() - indent`; moved to the next page whole when it fits on one, else
    // broken between lines (a long derivative can fill more than a page).
    void text_(const QString& text, const QFont& f, double indent, QColor colour = Qt::black,
               bool anywhere = false) {
        QTextLayout layout(text, f, m_painter.device());
        QTextOption option;
        option.setWrapMode(anywhere ? QTextOption::WrapAnywhere
                                    : QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout.setTextOption(option);
        double h = 0;
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(width() - indent);
            line.setPosition(QPointF(0, h));
            h += line.height();
        }
        layout.endLayout();
        if (h <= m_area.height())
            fit(h);
        m_painter.setPen(colour);
        for (int i = 0; i < layout.lineCount(); ++i) {
            const QTextLine line = layout.lineAt(i);
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

    QPdfWriter& m_pdf;
    QPainter& m_painter;
    QString m_footer;
    QRectF m_area;
    double m_y = 0;
    int m_page = 0;
};

// A booktabs-style table: rules above and below the header and at the end, numbers right
// aligned. Columns get their natural width; when the table is wider than the page, the
// widest text column gets what is left and wraps. A table that does not fit on the page
// continues on the next one under its header again.
void PageFlow::table(const DataTable& t, int digits) {
    const int columns = int(t.columns.size());
    if (columns == 0)
        return;
    const QFont body = font(9), head = font(9, true);
    constexpr double pad = 14;                            // between columns
    QList<QStringList> cells = tableCellTexts(t, digits); // one notation per column
    for (QStringList& texts : cells)
        while (texts.size() < columns)
            texts << QString();
    QList<double> widths(columns, 0.0);
    const auto natural = [this](const QString& text, const QFont& f) {
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, 1e6, 1e6), 0, text).width();
    };
    for (int c = 0; c < columns; ++c) {
        widths[c] = natural(t.columns[c], head);
        for (const QStringList& row : cells)
            widths[c] = std::max(widths[c], natural(row[c], body));
        widths[c] += pad;
    }
    double total = 0;
    for (double w : widths)
        total += w;
    if (total > width()) {
        const int widest = int(std::max_element(widths.begin(), widths.end()) - widths.begin());
        widths[widest] = std::max(width() - (total - widths[widest]), 40.0);
    }
    QList<bool> right(columns, false);
    for (int c = 0; c < columns; ++c)
        right[c] = !t.rows.isEmpty() &&
                   std::all_of(t.rows.begin(), t.rows.end(), [c](const QList<QVariant>& row) {
                       return c < row.size() && isNumberCell(row[c]);
                   });
    const int wrap = Qt::TextWordWrap | Qt::TextWrapAnywhere;
    const auto rowHeight = [&](const QStringList& texts, const QFont& f) {
        double h = 0;
        for (int c = 0; c < columns; ++c)
            h = std::max(h, height(texts[c], f, widths[c] - pad, wrap));
        return h + 4;
    };
    const auto drawRow = [&](const QStringList& texts, const QFont& f, double h) {
        m_painter.setFont(f);
        m_painter.setPen(Qt::black);
        double x = 0;
        for (int c = 0; c < columns; ++c) {
            const QRectF cell(x, m_y + 2, widths[c] - pad, h - 4);
            m_painter.drawText(
                cell, wrap | (right[c] ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop, texts[c]);
            x += widths[c];
        }
        m_y += h;
    };
    double tableWidth = 0;
    for (double w : widths)
        tableWidth += w;
    tableWidth -= pad;
    const auto rule = [&](double thickness) {
        m_painter.setPen(QPen(Qt::black, thickness));
        m_painter.drawLine(QPointF(0, m_y), QPointF(tableWidth, m_y));
        m_y += 1;
    };
    const double headerHeight = rowHeight(t.columns, head);
    const auto header = [&] {
        rule(1.2);
        drawRow(t.columns, head, headerHeight);
        rule(0.6);
    };
    fit(headerHeight + 4 + (cells.isEmpty() ? 0 : rowHeight(cells.first(), body)));
    header();
    for (const QStringList& row : cells) {
        const double h = rowHeight(row, body);
        if (m_y + h + 2 > m_area.bottom()) {
            fit(1e9); // a new page, and the header again
            header();
        }
        drawRow(row, body, h);
    }
    rule(1.2);
    space(10);
}

void PageFlow::figure(QChart* chart, const QString& caption) {
    QSizeF size = chart->sceneBoundingRect().size();
    if (size.width() > width())
        size *= width() / size.width();
    const QFont f = font(9, false, true);
    const double captionHeight = height(caption, f, width());
    fit(size.height() + 6 + captionHeight);
    const QRectF target(QPointF((width() - size.width()) / 2, m_y), size);
    m_painter.save();
    renderFigure(chart, m_painter, target);
    m_painter.restore();
    m_y += size.height() + 6;
    text_(caption, f, 0);
    space(14);
}

} // namespace

QByteArray renderReportPdf(const ReportContent& content, const RunFigures& figures,
                           ReportPage page) {
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
    PageFlow flow(pdf, painter, content.title);
    flow.title(content.title, content.subtitle);
    for (const ReportSection& section : content.sections) {
        flow.heading(section.heading);
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
                if (QChart* chart = figures.chart(block.figure))
                    flow.figure(chart, block.text);
                break;
            }
        }
    }
    painter.end();
    return bytes;
}

QString markdownPathFor(const QString& pdfPath) {
    const QFileInfo info(pdfPath);
    return QDir(info.path()).filePath(info.completeBaseName() + QStringLiteral(".md"));
}

bool writeReport(const ReportTarget& target, const RunRecord& run, QString* error,
                 const std::vector<BaselineResult>& baselines) {
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
    const ReportContent content = reportContent(run, baselines);
    const RunFigures figures(run, documentFigureSize(), baselines);
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
        if (!writeRunFigures(figureDir, run, error) ||
            !writeFileAtomically(markdownPathFor(target.pdfPath),
                                 reportMarkdown(content, target.figureDir), error))
            return false;
    }
    return writeFileAtomically(target.pdfPath, pdf, error);
}

} // namespace sobolev
