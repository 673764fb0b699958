// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sweepgrid.h"
#include "sweepview.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAreaSeries;
class QChart;
class QGraphicsRectItem;
class QLabel;
class QLogValueAxis;
class QScatterSeries;
class QStackedWidget;
QT_END_NAMESPACE

namespace sobolev {

class ChartView;
class ColourBar;

// The colour of t in [0, 1] on viridis, a perceptually uniform scale that stays readable in
// grey and for most colour-blind readers.
QColor viridis(double t);

// A sweep over two numeric knobs as a heatmap: one cell per pair of values, coloured by the
// median over seeds of the chosen error on a log scale, with a colour bar. A knob the
// registry marks log-scaled gets a log axis. An α × β map has dashed lines of constant β/α.
// Cells whose seeds all diverged are hatched. Any other sweep shows, in the map's place, why
// there is no map.
class SweepMapChart : public QWidget {
    Q_OBJECT
  public:
    explicit SweepMapChart(QWidget* parent = nullptr);
    ~SweepMapChart() override;

    void setSweep(const sobolev::SweepView& view);
    void setError(sobolev::MapError error);
    MapError error() const { return m_error; }
    QChart* chart() const;
    // The grid drawn; nullopt when the sweep is not a grid, and whyNoMap() says why.
    const std::optional<SweepGrid>& grid() const { return m_grid; }
    QString whyNoMap() const { return m_whyNot; }
    // β/α of each dashed line drawn, ascending.
    const std::vector<double>& ratioLines() const { return m_ratios; }
    // The colour a median error gets on the current scale.
    QColor colourOf(double error) const;
    // The cell's area (the hatched or coloured rectangle), for tests and readouts.
    QAreaSeries* cellSeries(int cell) const { return m_cellSeries.value(cell); }
    QSize sizeHint() const override;

  protected:
    // A click (not a drag) on the plot opens the cell under it: Qt Charts delivers an area's
    // click only to items that take the press, which its areas do not.
    bool eventFilter(QObject* watched, QEvent* event) override;

  signals:
    // A cell was clicked: the ids of its runs (its seeds).
    void runsClicked(const QStringList& ids);

  private:
    void rebuild();
    void setAxes();
    void addCell(int index, double logLo, double logHi);
    void addRatioLines();
    void placeOverlays();
    void onCell(int index, bool hover, bool state);
    int cellAt(const QPoint& viewportPos) const; // -1: none

    ChartView* m_view = nullptr;
    QLabel* m_why = nullptr;
    QStackedWidget* m_stack = nullptr;
    ColourBar* m_bar = nullptr;
    std::vector<double> m_xEdges, m_yEdges; // the cells' edges along each axis
    QPoint m_pressPos;
    QAbstractAxis* m_xAxis = nullptr;
    QAbstractAxis* m_yAxis = nullptr;
    SweepView m_sweep;
    MapError m_error = MapError::H1;
    std::optional<SweepGrid> m_grid;
    QString m_whyNot;
    double m_logLo = 0, m_logHi = 1; // the colour scale, log10 of the error
    std::vector<double> m_ratios;
    QList<QAreaSeries*> m_cellSeries;                            // by index into m_grid->cells
    QList<std::pair<QGraphicsRectItem*, QPointF>> m_ratioLabels; // and where they go
};

// The error of every cell of an α × β sweep against β/α (log axis): the median over seeds as
// a dot coloured by α, the min–max as a whisker. With Adam the loss α·L_f + β·L_f′ and
// c·(α·L_f + β·L_f′) take the same steps, up to ε, so cells of one β/α should line up.
class RatioSliceChart : public QWidget {
    Q_OBJECT
  public:
    explicit RatioSliceChart(QWidget* parent = nullptr);
    ~RatioSliceChart() override;

    void setSweep(const sobolev::SweepView& view);
    void setError(sobolev::MapError error);
    QChart* chart() const;
    // Empty when the slice is drawn: a sweep over α and β.
    QString whyNoSlice() const { return m_whyNot; }
    const std::optional<SweepGrid>& grid() const { return m_grid; }
    QSize sizeHint() const override;

  signals:
    void runsClicked(const QStringList& ids);

  private:
    void rebuild();
    void onDot(QScatterSeries* series, const QPointF& point, bool hover, bool state);

    ChartView* m_view = nullptr;
    QLabel* m_why = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLogValueAxis* m_xAxis = nullptr;
    QLogValueAxis* m_yAxis = nullptr;
    SweepView m_sweep;
    MapError m_error = MapError::H1;
    std::optional<SweepGrid> m_grid;
    QString m_whyNot;
    QHash<QScatterSeries*, QList<int>> m_dotCells; // the cell behind each dot
};

} // namespace sobolev
