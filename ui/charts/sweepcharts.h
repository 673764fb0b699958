// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sweepview.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <array>
#include <cstdint>
#include <vector>

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QChart;
class QColor;
class QChartView;
class QLogValueAxis;
class QPointF;
class QScatterSeries;
QT_END_NAMESPACE

namespace sobolev {

// Final MSE f (left) and MSE f′ (right) against the first swept knob: every seed as a dot,
// the median over seeds as a line and their min–max as a band; one line and band per value
// of the second knob, if there is one. Without a knob the seeds are on the x axis and the
// line and band summarise all of them.
class KnobChart : public QWidget {
    Q_OBJECT
  public:
    explicit KnobChart(QWidget* parent = nullptr);
    ~KnobChart() override;

    void setSweep(const sobolev::SweepView& view);
    QList<QChart*> charts() const; // MSE f, MSE f′
    QSize sizeHint() const override;

  signals:
    // A seed's dot was clicked.
    void runClicked(const QString& id);

  private:
    enum Plot { FPlot, FprimePlot, PlotCount };
    struct Points;
    void rebuild(Plot plot);
    Points placeRuns(Plot plot) const;
    void addBand(QChart* chart, const QList<QPointF>& lower, const QList<QPointF>& upper,
                 const QColor& color, bool inLegend);
    void addDots(Plot plot, const QList<QPointF>& dots, const QList<int>& runs, const QColor& color,
                 bool inLegend);
    void setCategories(Plot plot, const Points& points);
    void onDot(Plot plot, QScatterSeries* series, const QPointF& point, bool hover, bool state);

    std::array<QChartView*, PlotCount> m_views{};
    std::array<QCategoryAxis*, PlotCount> m_xAxes{};
    std::array<QLogValueAxis*, PlotCount> m_yAxes{};
    SweepView m_sweep;
    // For each dot series, the run (index into m_sweep.runs) behind each of its points.
    QHash<QScatterSeries*, QList<int>> m_dotRuns;
};

// MSE f against MSE f′, one dot per run coloured by the first knob's value, with the runs
// no other run beats in both errors (the trade-off front) joined by a line.
class TradeoffChart : public QWidget {
    Q_OBJECT
  public:
    explicit TradeoffChart(QWidget* parent = nullptr);
    ~TradeoffChart() override;

    void setSweep(const sobolev::SweepView& view);
    QChart* chart() const;
    // The ids of the runs on the front, in order of MSE f.
    QStringList frontIds() const;
    int pointCount() const; // dots drawn: runs with both errors finite and positive
    QSize sizeHint() const override;

  signals:
    void runClicked(const QString& id);

  private:
    void onDot(QScatterSeries* series, const QPointF& point, bool hover, bool state);

    QChartView* m_view = nullptr;
    QLogValueAxis* m_xAxis = nullptr;
    QLogValueAxis* m_yAxis = nullptr;
    SweepView m_sweep;
    QHash<QScatterSeries*, QList<int>> m_dotRuns;
    QStringList m_frontIds;
    int m_pointCount = 0;
};

} // namespace sobolev
