// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <memory>
#include <optional>
#include <utility>

QT_BEGIN_NAMESPACE
class QChart;
class QPainter;
QT_END_NAMESPACE

namespace sobolev {

enum class FigureFormat { Png, Svg, Pdf };

// Draws `chart` as it is laid out now into `target` of `painter`'s device: vector graphics
// and text on a PDF or SVG device.
void renderChart(QChart* chart, QPainter& painter, const QRectF& target);
// The same as a figure of a document: the curves the user hid left out of the legend, as
// exportChart draws it.
void renderFigure(QChart* chart, QPainter& painter, const QRectF& target);

// By suffix: .png, .svg, .pdf (any case).
std::optional<FigureFormat> figureFormatForPath(const QString& path);

// Renders `chart` as it is laid out now (title, legend, axis titles, series) into `path`
// (a PNG's resolution is 96 dpi times `scale`, so that at 100 % it has the chart's size);
// curves the user hid are left out of the legend, not shown dimmed as on screen. Formats:
// PNG as pixels at `scale` times the chart's size, SVG and PDF as vector graphics. The file
// is written under a temporary name and renamed, so a failed export leaves nothing behind.
bool exportChart(QChart* chart, const QString& path, double scale, QString* error);

// The charts side by side in a 2-column grid on one PNG or PDF page, with `caption` (the
// config and the metrics, figureCaption()) below them when it is not empty.
bool exportFigureSheet(const QList<QChart*>& charts, const QString& path, double scale,
                       QString* error, const QString& caption = {});

// Figures for documents (a run bundle, --plots): 6.25 × 3.9 in, 600 × 375 px at 96 dpi,
// times `figureScale`. Their text is at least documentMinPointSize, and their PNGs, at
// documentPngScale (288 dpi), say so in their resolution: placed at 100 % a figure has
// that size and its text 9 pt or more.
QSize documentFigureSize(double figureScale = 1);
inline constexpr double documentPngScale = 3;
inline constexpr double documentMinPointSize = 9;

// Each chart as <name>.png (at `pngScale`) and <name>.svg in `dir`, which must exist.
bool writeFigures(const QString& dir, const QList<std::pair<QString, QChart*>>& figures,
                  double pngScale, QString* error);

// The run's four figures (training, f, fprime, error) as PNG (at `pngScale`) and SVG in
// `dir`, drawn by the window's own chart classes at `size`, offscreen. Needs a QApplication.
// `baselines` are drawn over the network as in the window.
bool writeRunFigures(const QString& dir, const RunRecord& run, QString* error,
                     QSize size = documentFigureSize(), double pngScale = documentPngScale,
                     const std::vector<BaselineResult>& baselines = {});

// A sweep's trade-off scatter (tradeoff) and its errors against the first knob (knob-mse-f,
// knob-mse-fprime), drawn offscreen by the Sweep window's chart classes; for a grid of two
// numeric knobs also its map of the H¹ error (map), and for α × β the slice of that error
// against β/α (map-slice). Needs a QApplication.
struct SweepView;
class KnobChart;
class RatioSliceChart;
class SweepMapChart;
class TradeoffChart;
class SweepFigures {
  public:
    // withBestEpochMaps: also the maps at the best validation epochs (a sweep's --plots).
    explicit SweepFigures(const SweepView& view, bool withBestEpochMaps = false);
    ~SweepFigures();
    SweepFigures(const SweepFigures&) = delete;
    SweepFigures& operator=(const SweepFigures&) = delete;
    // ("tradeoff", …), ("knob-mse-f", …), …; a grid of two knobs adds its map ("map", and
    // "map-best" at the best validation epochs, where constant-rate Adam's noisy last epoch
    // does not hide the pattern) and for α × β its slice ("map-slice", "map-slice-best").
    QList<std::pair<QString, QChart*>> figures() const;

  private:
    std::unique_ptr<TradeoffChart> m_tradeoff;
    std::unique_ptr<KnobChart> m_knobs;
    std::unique_ptr<SweepMapChart> m_map, m_mapBest;
    std::unique_ptr<RatioSliceChart> m_slice, m_sliceBest;
};
// The same as PNG and SVG in `dir`.
bool writeSweepFigures(const QString& dir, const SweepView& view, QString* error,
                       double pngScale = 2);

// QSvgGenerator's SVG with the fonts named as browsers and Inkscape know them.
QByteArray withPortableFonts(QByteArray svg);
// `image` as PNG bytes; empty when it cannot be encoded.
QByteArray pngBytes(const QImage& image);

// The chart drawn at `scale` times its size on white, for the clipboard.
QImage renderChartImage(QChart* chart, double scale);

} // namespace sobolev
