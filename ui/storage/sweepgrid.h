// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sweepview.h"
#include "tablewriter.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sobolev {

// The error a sweep map colours its cells by, each run's at the epoch the view shows.
enum class MapError { MseF, MseFprime, H1 };
double mapErrorOf(const FitReport& report, MapError error);
QString mapErrorLabel(MapError error); // "MSE f", "MSE f′", "H¹ error"

// One point of a two-knob sweep: its seeds' runs and the error's median and min–max over
// the seeds that gave a finite, positive error (a log colour scale cannot place the others;
// they count as diverged).
struct GridCell {
    int column = 0, row = 0; // indices into SweepGrid::xs and ::ys
    QList<int> runs;         // indices into SweepView::runs
    int finite = 0, diverged = 0;
    double median = 0, min = 0, max = 0; // over the finite seeds; meaningless when finite == 0
    bool allDiverged() const { return finite == 0; }
};

// A sweep over two numeric knobs laid out as a grid: the first knob across (x), the second
// up (y); a value pair no run has is a cell without runs, left out of `cells`.
struct SweepGrid {
    Knob xKnob = Knob::Alpha, yKnob = Knob::Beta;
    std::vector<double> xs, ys; // the distinct values, ascending
    QList<GridCell> cells;
    MapError error = MapError::H1;
    // α × β (in either order): the map draws lines of constant β/α and a slice against it.
    bool isAlphaBeta() const;
    // β/α of a cell (for an α × β grid).
    double ratioOf(const GridCell& cell) const;
    double xOf(const GridCell& cell) const { return xs[std::size_t(cell.column)]; }
    double yOf(const GridCell& cell) const { return ys[std::size_t(cell.row)]; }
};

// The grid of `view` by `error`; nullopt when the sweep is not a grid of two numeric knobs
// with at least two values each, and then *whyNot (if given) says so in a sentence for the
// place where the map would be.
std::optional<SweepGrid> sweepGrid(const SweepView& view, MapError error, QString* whyNot);

// The cells as a table: the two knobs, (β/α for α × β,) the seeds, the diverged seeds, and
// the error's median, min and max.
DataTable sweepGridTable(const SweepGrid& grid);

} // namespace sobolev
