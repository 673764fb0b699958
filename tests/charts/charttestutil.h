// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Checks of pictures of Qt Charts: each visible series drawn in the plot area and the
// legend, the title and the legend's text drawn.

#include "picturetestutil.h"

#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>

#include <functional>

namespace sobolev::testutil {

// Where a scene rectangle of a chart is in a picture: in a grab of the widget that is the
// chart's view or holds it, or in an exported picture of the chart (its scene bounding rect
// scaled by `scale`, as exportChart writes it).
struct ChartPicture {
    const QChart* chart;
    std::function<QRect(const QRectF&)> fromScene;

    static ChartPicture grabOf(const QWidget* widget, const QChart* chart) {
        return {chart, [widget, chart](const QRectF& sceneRect) {
                    const QGraphicsView* view = chart->scene()->views().constFirst();
                    const QRect inViewport = view->mapFromScene(sceneRect).boundingRect();
                    return QRect(view->viewport()->mapTo(widget, inViewport.topLeft()),
                                 inViewport.size());
                }};
    }
    static ChartPicture exportOf(const QChart* chart, double scale) {
        return {chart, [chart, scale](const QRectF& sceneRect) {
                    const QRectF r = sceneRect.translated(-chart->sceneBoundingRect().topLeft());
                    return QRectF(r.topLeft() * scale, r.size() * scale).toAlignedRect();
                }};
    }

    // The plot area (inside the axes), the legend, and the band above the plot area that
    // holds the title.
    QRect plotArea() const { return fromScene(chart->mapRectToScene(chart->plotArea())); }
    QRect legend() const { return fromScene(chart->legend()->sceneBoundingRect()); }
    QRect titleArea() const {
        const QRectF whole = chart->rect(), plot = chart->plotArea();
        return fromScene(chart->mapRectToScene(
            QRectF(whole.left(), whole.top(), whole.width(), plot.top() - whole.top())));
    }
};

inline QRect plotAreaIn(const QWidget* widget, const QChart* chart) {
    return ChartPicture::grabOf(widget, chart).plotArea();
}

// What is wrong with `image`, a picture of `where.chart`; empty if nothing. The colour of
// every visible, opaque line or scatter series is in the plot area (at least `minPixels`
// pixels, so a chart that lost its data fails) and in the legend; the legend and the title
// have dark text pixels; the plot area is not one flat colour. Where curves may lie on top
// of each other, `everySeries` false asks only for `minPixels` of their colours together.
inline QStringList chartPictureProblems(const QImage& image, const ChartPicture& where,
                                        int minPixels = 10, bool everySeries = true) {
    const QChart* chart = where.chart;
    QStringList problems;
    const QRect plot = where.plotArea(), legend = where.legend();
    if (plot.width() < 20 || plot.height() < 20 || !image.rect().contains(plot))
        return {QStringLiteral("the plot area %1,%2 %3x%4 is not inside the %5x%6 picture")
                    .arg(plot.x())
                    .arg(plot.y())
                    .arg(plot.width())
                    .arg(plot.height())
                    .arg(image.width())
                    .arg(image.height())};
    if (distinctColours(image, plot) < 8)
        problems << QStringLiteral("the plot area is nearly one flat colour");
    QList<QRgb> checked;
    QStringList hidden;
    int shown = 0;
    for (const QAbstractSeries* series : chart->series()) {
        QColor colour;
        if (auto* line = qobject_cast<const QLineSeries*>(series))
            colour = line->color();
        else if (auto* dots = qobject_cast<const QScatterSeries*>(series))
            colour = dots->color();
        if (!series->isVisible() || !colour.isValid() || colour.alpha() < 255 ||
            checked.contains(colour.rgb()))
            continue;
        checked << colour.rgb();
        const int inPlot = pixelsNear(image, colour, plot);
        shown += inPlot;
        if (inPlot < minPixels)
            hidden << QStringLiteral("%1 (%2): %3 pixels of its colour in the plot area")
                          .arg(series->name(), colour.name())
                          .arg(inPlot);
        if (chart->legend()->isVisible() && pixelsNear(image, colour, legend) == 0)
            problems
                << QStringLiteral("%1 (%2): not in the legend").arg(series->name(), colour.name());
    }
    if (checked.isEmpty())
        problems << QStringLiteral("no visible opaque series to look for");
    else if (everySeries || shown < minPixels)
        problems << hidden;
    if (chart->legend()->isVisible() && darkPixels(image, legend) < 20)
        problems << QStringLiteral("the legend has no text");
    if (!chart->title().isEmpty() && darkPixels(image, where.titleArea()) < 20)
        problems << QStringLiteral("the title \"%1\" is not drawn").arg(chart->title());
    return problems;
}

// The same for a grab of `widget`, the chart's view or a widget that holds it.
inline QStringList chartPictureProblems(const QImage& image, const QWidget* widget,
                                        const QChart* chart, int minPixels = 10,
                                        bool everySeries = true) {
    return chartPictureProblems(image, ChartPicture::grabOf(widget, chart), minPixels, everySeries);
}
} // namespace sobolev::testutil
