// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace sobolev {

enum class FigureFormat { Png, Svg, Pdf };

// By suffix: .png, .svg, .pdf (any case).
std::optional<FigureFormat> figureFormatForPath(const QString& path);

// Renders `chart` as it is laid out now (title, legend, axis titles, series) into `path`;
// curves the user hid are left out of the legend, not shown dimmed as on screen. Formats:
// PNG as pixels at `scale` times the chart's size, SVG and PDF as vector graphics. The file
// is written under a temporary name and renamed, so a failed export leaves nothing behind.
bool exportChart(QChart* chart, const QString& path, double scale, QString* error);

// The charts side by side in a 2-column grid on one PNG or PDF page, with `caption` (the
// config and the metrics, figureCaption()) below them when it is not empty.
bool exportFigureSheet(const QList<QChart*>& charts, const QString& path, double scale,
                       QString* error, const QString& caption = {});

// The run's four figures (training, f, fprime, error) as PNG (at `pngScale`) and SVG in
// `dir`, drawn by the window's own chart classes at `size`, offscreen. Needs a QApplication.
bool writeRunFigures(const QString& dir, const RunRecord& run, QString* error,
                     QSize size = {900, 560}, double pngScale = 2);

// A sweep's trade-off scatter (tradeoff) and its errors against the first knob (knob-mse-f,
// knob-mse-fprime), as PNG and SVG in `dir`, drawn offscreen. Needs a QApplication.
struct SweepView;
bool writeSweepFigures(const QString& dir, const SweepView& view, QString* error,
                       double pngScale = 2);

// The chart drawn at `scale` times its size on white, for the clipboard.
QImage renderChartImage(QChart* chart, double scale);

} // namespace sobolev
