// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartexport.h"

#include "fileio.h"
#include "runfigures.h"
#include "sweepcharts.h"
#include "sweepmap.h"

#include <QAbstractAxis>
#include <QBuffer>
#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QTextDocumentFragment>

#include <cmath>

namespace sobolev {

namespace {

// The screen's logical resolution: a PDF page gets the size the chart has on screen.
constexpr int logicalDpi = 96;

QSizeF chartSize(QChart* chart) {
    return chart->sceneBoundingRect().size();
}

// A chart that was never shown has no size yet, and would give an empty picture.
bool isLaidOut(QChart* chart) {
    const QSizeF size = chartSize(chart);
    return size.width() >= 1 && size.height() >= 1;
}

// Titles may carry rich text (f<sub>θ</sub>); file metadata wants the words.
QString plainTitle(const QString& title) {
    return QTextDocumentFragment::fromHtml(title).toPlainText();
}

bool fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return false;
}

// setMarkerShown(marker, false): the entry of a curve the user hid.
bool isDimmed(const QLegendMarker* marker) {
    const QVariant shown = marker->property("sobolevShown");
    return shown.isValid() && !shown.toBool();
}

// For as long as it lives, the legend entries of hidden series (dimmed on screen, where they
// can be clicked back on) are taken out of the charts' legends, which are laid out anew.
class HiddenOutOfLegend {
  public:
    explicit HiddenOutOfLegend(const QList<QChart*>& charts) : m_charts(charts) {
        for (QChart* chart : charts)
            for (QLegendMarker* marker : chart->legend()->markers())
                if (marker->isVisible() && (!marker->series()->isVisible() || isDimmed(marker))) {
                    marker->setVisible(false);
                    m_hidden << marker;
                }
        relayout();
    }
    ~HiddenOutOfLegend() {
        for (QLegendMarker* marker : m_hidden)
            marker->setVisible(true);
        relayout();
    }
    HiddenOutOfLegend(const HiddenOutOfLegend&) = delete;
    HiddenOutOfLegend& operator=(const HiddenOutOfLegend&) = delete;

  private:
    void relayout() {
        if (!m_hidden.isEmpty())
            layOutCharts(m_charts);
    }
    QList<QChart*> m_charts;
    QList<QLegendMarker*> m_hidden;
};

// For as long as it lives, the charts' cosmetic line pens (one screen pixel wide in
// presentation mode, see ChartView) are plain pens, as wide as the chart says, so that a
// figure's lines scale with the figure.
class PlainPens {
  public:
    explicit PlainPens(QChart* chart) {
        for (QAbstractSeries* series : chart->series())
            if (auto* line = qobject_cast<QLineSeries*>(series); line && line->pen().isCosmetic())
                m_cosmetic << line;
        setCosmetic(false);
    }
    ~PlainPens() { setCosmetic(true); }
    PlainPens(const PlainPens&) = delete;
    PlainPens& operator=(const PlainPens&) = delete;

  private:
    void setCosmetic(bool cosmetic) {
        for (QLineSeries* line : std::as_const(m_cosmetic)) {
            QPen pen = line->pen();
            pen.setCosmetic(cosmetic);
            line->setPen(pen);
        }
    }
    QList<QLineSeries*> m_cosmetic;
};

constexpr double captionMargin = 12;

QFont captionFont() {
    QFont font;
    font.setPointSizeF(9);
    return font;
}

// Lays `charts` out in a grid of `columns` cells of the largest chart's size, and a caption
// below them as wide as the grid.
struct Grid {
    QSizeF cell;
    int columns, rows;
    QString caption;
    double captionHeight = 0;
    QSizeF size() const { return {cell.width() * columns, cell.height() * rows + captionHeight}; }
    QRectF captionRect() const {
        return {captionMargin, cell.height() * rows + captionMargin,
                cell.width() * columns - 2 * captionMargin, captionHeight - 2 * captionMargin};
    }
    QRectF rect(int i, double scale) const {
        return {(i % columns) * cell.width() * scale, (i / columns) * cell.height() * scale,
                cell.width() * scale, cell.height() * scale};
    }
};

Grid gridFor(const QList<QChart*>& charts, int columns) {
    QSizeF cell;
    for (QChart* c : charts)
        cell = cell.expandedTo(chartSize(c));
    columns = std::min(columns, int(charts.size()));
    return {cell, columns, int((charts.size() + columns - 1) / columns), {}, 0};
}

Grid withCaption(Grid grid, const QString& caption) {
    if (caption.isEmpty())
        return grid;
    grid.caption = caption;
    // Measured at the logical resolution every renderer below paints at.
    QImage probe(1, 1, QImage::Format_ARGB32_Premultiplied);
    const QFontMetricsF metrics(captionFont(), &probe);
    const QRectF text = metrics.boundingRect(
        QRectF(0, 0, grid.cell.width() * grid.columns - 2 * captionMargin, 1e6), Qt::TextWordWrap,
        caption);
    grid.captionHeight = std::ceil(text.height()) + 2 * captionMargin;
    return grid;
}

void drawCaption(QPainter& painter, const Grid& grid, double scale) {
    if (grid.caption.isEmpty())
        return;
    painter.save();
    painter.scale(scale, scale);
    painter.setFont(captionFont());
    painter.setPen(Qt::black);
    painter.drawText(grid.captionRect(), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop,
                     grid.caption);
    painter.restore();
}

QByteArray renderPng(const QList<QChart*>& charts, const Grid& grid, double scale) {
    const QSize pixels = (grid.size() * scale).toSize();
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    // Placed at 100 %, the picture has the size the charts have on a 96 dpi screen.
    const int dotsPerMeter = qRound(logicalDpi * scale / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    {
        QPainter painter(&image);
        for (int i = 0; i < charts.size(); ++i)
            renderChart(charts[i], painter, grid.rect(i, scale));
        drawCaption(painter, grid, scale);
    }
    return pngBytes(image);
}

} // namespace

QByteArray pngBytes(const QImage& image) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        bytes.clear();
    return bytes;
}

namespace {

QByteArray renderSvg(QChart* chart) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QSize size = chartSize(chart).toSize();
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setResolution(logicalDpi);
    svg.setTitle(plainTitle(chart->title()).toHtmlEscaped());
    svg.setDescription(QStringLiteral("Sobolev Workbench"));
    QPainter painter(&svg);
    renderChart(chart, painter, QRectF(QPointF(0, 0), size));
    painter.end();
    return withPortableFonts(bytes);
}

QByteArray renderPdf(const QList<QChart*>& charts, const Grid& grid) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setResolution(logicalDpi);
    const QSizeF points = grid.size() * 72.0 / logicalDpi;
    pdf.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(charts.size() == 1 ? plainTitle(charts.first()->title())
                                    : QStringLiteral("Sobolev Workbench"));
    pdf.setCreator(QStringLiteral("Sobolev Workbench"));
    QPainter painter(&pdf);
    for (int i = 0; i < charts.size(); ++i)
        renderChart(charts[i], painter, grid.rect(i, 1.0));
    drawCaption(painter, grid, 1.0);
    painter.end();
    return bytes;
}

} // namespace

// QSvgGenerator writes Qt's font aliases ("Sans Serif"), which browsers and Inkscape do not
// know and draw in a serif face; name the font Qt really used, then the CSS generic family.
QByteArray withPortableFonts(QByteArray svg) {
    const std::pair<const char*, const char*> aliases[] = {
        {"Sans Serif", "sans-serif"}, {"Serif", "serif"}, {"Monospace", "monospace"}};
    for (const auto& [alias, generic] : aliases) {
        const QString resolved = QFontInfo(QFont(QString::fromLatin1(alias))).family();
        svg.replace(QByteArray("font-family=\"") + alias + '"',
                    QByteArray("font-family=\"") + resolved.toUtf8() + ", " + generic + '"');
    }
    return svg;
}

void renderChart(QChart* chart, QPainter& painter, const QRectF& target) {
    const PlainPens pens(chart);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    chart->scene()->render(&painter, target, chart->sceneBoundingRect());
}

void renderFigure(QChart* chart, QPainter& painter, const QRectF& target) {
    const HiddenOutOfLegend legend({chart});
    renderChart(chart, painter, target);
}

std::optional<FigureFormat> figureFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return FigureFormat::Png;
    if (suffix == QLatin1String("svg"))
        return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return FigureFormat::Pdf;
    return std::nullopt;
}

bool exportChart(QChart* chart, const QString& path, double scale, QString* error) {
    const auto format = figureFormatForPath(path);
    if (!format)
        return fail(error,
                    QStringLiteral("%1: unknown figure format; use .png, .svg or .pdf").arg(path));
    if (!(scale >= 1 && scale <= 4))
        return fail(
            error,
            QStringLiteral("%1: the PNG scale must be from 1 to 4; got %2").arg(path).arg(scale));
    if (!isLaidOut(chart))
        return fail(error,
                    QStringLiteral("%1: the chart has not been laid out yet (it was never shown)")
                        .arg(path));
    const Grid grid = gridFor({chart}, 1);
    const HiddenOutOfLegend legend({chart});
    QByteArray bytes;
    switch (*format) {
    case FigureFormat::Png:
        bytes = renderPng({chart}, grid, scale);
        break;
    case FigureFormat::Svg:
        bytes = renderSvg(chart);
        break;
    case FigureFormat::Pdf:
        bytes = renderPdf({chart}, grid);
        break;
    }
    if (bytes.isEmpty())
        return fail(error, QStringLiteral("%1: the figure could not be rendered").arg(path));
    return writeFileAtomically(path, bytes, error);
}

bool exportFigureSheet(const QList<QChart*>& charts, const QString& path, double scale,
                       QString* error, const QString& caption) {
    const auto format = figureFormatForPath(path);
    if (!format || *format == FigureFormat::Svg)
        return fail(error,
                    QStringLiteral("%1: a figure sheet is written as .png or .pdf").arg(path));
    if (charts.isEmpty())
        return fail(error, QStringLiteral("%1: no figures to export").arg(path));
    if (!(scale >= 1 && scale <= 4))
        return fail(
            error,
            QStringLiteral("%1: the PNG scale must be from 1 to 4; got %2").arg(path).arg(scale));
    for (QChart* chart : charts)
        if (!isLaidOut(chart))
            return fail(error,
                        QStringLiteral("%1: a chart has not been laid out yet (it was never shown)")
                            .arg(path));
    const Grid grid = withCaption(gridFor(charts, 2), caption);
    const HiddenOutOfLegend legend(charts);
    const QByteArray bytes =
        *format == FigureFormat::Png ? renderPng(charts, grid, scale) : renderPdf(charts, grid);
    if (bytes.isEmpty())
        return fail(error, QStringLiteral("%1: the figure could not be rendered").arg(path));
    return writeFileAtomically(path, bytes, error);
}

bool writeFigures(const QString& dir, const QList<std::pair<QString, QChart*>>& figures,
                  double pngScale, QString* error) {
    for (const auto& [name, chart] : figures)
        if (!exportChart(chart, QDir(dir).filePath(name + QStringLiteral(".png")), pngScale,
                         error) ||
            !exportChart(chart, QDir(dir).filePath(name + QStringLiteral(".svg")), 1, error))
            return false;
    return true;
}

bool writeRunFigures(const QString& dir, const RunRecord& run, QString* error, QSize size,
                     double pngScale, const std::vector<BaselineResult>& baselines) {
    const RunFigures figures(run, size, baselines);
    return writeFigures(dir, figures.figures(), pngScale, error);
}

SweepFigures::SweepFigures(const SweepView& view, bool withBestEpochMaps)
    : m_tradeoff(std::make_unique<TradeoffChart>()), m_knobs(std::make_unique<KnobChart>()),
      m_map(std::make_unique<SweepMapChart>()), m_mapBest(std::make_unique<SweepMapChart>()),
      m_slice(std::make_unique<RatioSliceChart>()),
      m_sliceBest(std::make_unique<RatioSliceChart>()) {
    showOffscreen({m_tradeoff.get()}, {800, 600});
    showOffscreen({m_knobs.get()}, {1200, 500});
    showOffscreen({m_map.get(), m_mapBest.get()}, {800, 620});
    showOffscreen({m_slice.get(), m_sliceBest.get()}, {900, 520});
    QList<QChart*> charts = m_knobs->charts();
    charts << m_tradeoff->chart() << m_map->chart() << m_slice->chart() << m_mapBest->chart()
           << m_sliceBest->chart();
    layOutCharts(charts);
    m_tradeoff->setSweep(view);
    m_knobs->setSweep(view);
    m_map->setSweep(view);
    m_slice->setSweep(view);
    if (withBestEpochMaps && view.shown == ShownEpoch::Final) {
        SweepView best = view;
        for (SweepRunView& run : best.runs)
            run.report = errorsAt(run.report, ShownEpoch::Best);
        best.shown = ShownEpoch::Best;
        m_mapBest->setSweep(best);
        m_sliceBest->setSweep(best);
    }
    layOutCharts(charts);
}

SweepFigures::~SweepFigures() = default;

QList<std::pair<QString, QChart*>> SweepFigures::figures() const {
    const QList<QChart*> knobs = m_knobs->charts();
    QList<std::pair<QString, QChart*>> figures{{QStringLiteral("tradeoff"), m_tradeoff->chart()},
                                               {QStringLiteral("knob-mse-f"), knobs.value(0)},
                                               {QStringLiteral("knob-mse-fprime"), knobs.value(1)}};
    if (m_map->grid())
        figures.append({QStringLiteral("map"), m_map->chart()});
    if (m_mapBest->grid())
        figures.append({QStringLiteral("map-best"), m_mapBest->chart()});
    if (m_slice->grid())
        figures.append({QStringLiteral("map-slice"), m_slice->chart()});
    if (m_sliceBest->grid())
        figures.append({QStringLiteral("map-slice-best"), m_sliceBest->chart()});
    return figures;
}

bool writeSweepFigures(const QString& dir, const SweepView& view, QString* error, double pngScale) {
    const SweepFigures figures(view, true);
    return writeFigures(dir, figures.figures(), pngScale, error);
}

QSize documentFigureSize(double figureScale) {
    return (QSizeF(600, 375) * figureScale).toSize();
}

QImage renderChartImage(QChart* chart, double scale) {
    const QSize size = (chartSize(chart) * scale).toSize();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    renderChart(chart, painter, QRectF(QPointF(0, 0), size));
    painter.end();
    return image;
}

} // namespace sobolev
