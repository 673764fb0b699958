// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepgrid.h"

#include "textformat.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

QString translate(const char* text, int n = -1) {
    return QCoreApplication::translate("sobolev::SweepGrid", text, nullptr, n);
}

std::vector<double> distinctValues(const SweepView& view, std::size_t k) {
    std::vector<double> values;
    for (const SweepRunView& run : view.runs)
        if (k < run.knobValues.size() && std::isfinite(run.knobValues[k]))
            values.push_back(run.knobValues[k]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

int indexOf(const std::vector<double>& sorted, double value) {
    const auto it = std::lower_bound(sorted.cbegin(), sorted.cend(), value);
    return it != sorted.cend() && *it == value ? int(it - sorted.cbegin()) : -1;
}

QString whyNotAGrid(const SweepView& view) {
    if (view.knobs.size() != 2)
        return view.knobs.empty()
                   ? translate("A map needs a sweep over two knobs; this is a seed ensemble.")
                   : translate("A map needs a sweep over two knobs; this one varies %n.",
                               int(view.knobs.size()));
    for (Knob knob : view.knobs)
        if (isChoiceKnob(knob))
            return translate("A map needs two numeric knobs; %1 is a choice, not a number.")
                .arg(knobFormLabel(knob));
    for (std::size_t k = 0; k < 2; ++k)
        if (distinctValues(view, k).size() < 2)
            return translate("A map needs at least two values of each knob; %1 has %n so far.",
                             int(distinctValues(view, k).size()))
                .arg(knobFormLabel(view.knobs[k]));
    return {};
}

// The median, min and max of the finite errors (at least one).
void summarise(GridCell& cell, std::vector<double> errors) {
    std::sort(errors.begin(), errors.end());
    const std::size_t n = errors.size();
    cell.median = n % 2 ? errors[n / 2] : 0.5 * (errors[n / 2 - 1] + errors[n / 2]);
    cell.min = errors.front();
    cell.max = errors.back();
}

} // namespace

double mapErrorOf(const FitReport& report, MapError error) {
    switch (error) {
    case MapError::MseF:
        return report.mseF;
    case MapError::MseFprime:
        return report.hasFprime ? report.mseFprime : std::nan("");
    case MapError::H1:
        return report.hasFprime ? report.h1() : std::nan("");
    }
    return std::nan("");
}

QString mapErrorLabel(MapError error) {
    switch (error) {
    case MapError::MseF:
        return translate("MSE f");
    case MapError::MseFprime:
        return translate("MSE f′");
    case MapError::H1:
        return translate("H¹ error");
    }
    return {};
}

bool SweepGrid::isAlphaBeta() const {
    return (xKnob == Knob::Alpha && yKnob == Knob::Beta) ||
           (xKnob == Knob::Beta && yKnob == Knob::Alpha);
}

double SweepGrid::ratioOf(const GridCell& cell) const {
    const double alpha = xKnob == Knob::Alpha ? xOf(cell) : yOf(cell);
    const double beta = xKnob == Knob::Alpha ? yOf(cell) : xOf(cell);
    return beta / alpha;
}

std::optional<SweepGrid> sweepGrid(const SweepView& view, MapError error, QString* whyNot) {
    const QString reason = whyNotAGrid(view);
    if (whyNot)
        *whyNot = reason;
    if (!reason.isEmpty())
        return std::nullopt;
    SweepGrid grid;
    grid.xKnob = view.knobs[0];
    grid.yKnob = view.knobs[1];
    grid.xs = distinctValues(view, 0);
    grid.ys = distinctValues(view, 1);
    grid.error = error;
    const std::size_t nx = grid.xs.size();
    std::vector<GridCell> cells(nx * grid.ys.size());
    std::vector<std::vector<double>> errors(cells.size());
    for (int r = 0; r < view.runs.size(); ++r) {
        const SweepRunView& run = view.runs[r];
        if (run.knobValues.size() < 2)
            continue;
        const int x = indexOf(grid.xs, run.knobValues[0]), y = indexOf(grid.ys, run.knobValues[1]);
        if (x < 0 || y < 0)
            continue;
        const std::size_t i = std::size_t(y) * nx + std::size_t(x);
        cells[i].column = x;
        cells[i].row = y;
        cells[i].runs << r;
        const double e = mapErrorOf(run.report, error);
        // A log colour scale has no place for 0 or a non-finite error.
        if (std::isfinite(e) && e > 0)
            errors[i].push_back(e);
        else
            ++cells[i].diverged;
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].runs.isEmpty())
            continue;
        cells[i].finite = int(errors[i].size());
        if (!errors[i].empty())
            summarise(cells[i], errors[i]);
        grid.cells << cells[i];
    }
    return grid;
}

DataTable sweepGridTable(const SweepGrid& grid) {
    DataTable table;
    table.title = translate("%1 by %2 and %3")
                      .arg(mapErrorLabel(grid.error), knobLabel(grid.xKnob), knobLabel(grid.yKnob));
    table.columns << toQString(knobInfo(grid.xKnob).key) << toQString(knobInfo(grid.yKnob).key);
    if (grid.isAlphaBeta())
        table.columns << QStringLiteral("beta_over_alpha");
    table.columns << QStringLiteral("seeds") << QStringLiteral("diverged")
                  << QStringLiteral("median") << QStringLiteral("min") << QStringLiteral("max");
    for (const GridCell& cell : grid.cells) {
        QList<QVariant> row{grid.xOf(cell), grid.yOf(cell)};
        if (grid.isAlphaBeta())
            row << grid.ratioOf(cell);
        row << cell.runs.size() << cell.diverged;
        for (double v : {cell.median, cell.min, cell.max})
            row << (cell.allDiverged() ? QVariant(std::nan("")) : QVariant(v));
        table.rows << row;
    }
    return table;
}

} // namespace sobolev
