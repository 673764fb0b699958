// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/baselines.h"
#include "core/eval/metrics.h"
#include "core/experiment/sweep.h"
#include "lossweights.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace sobolev {

// A table to export: cells are double (NaN and infinities allowed), integers or text.
struct DataTable {
    QString title;
    QStringList columns;
    QList<QList<QVariant>> rows;
};

enum class TableFormat { Csv, Json, Markdown, Latex };

// By suffix: .csv, .json, .md, .tex (any case).
std::optional<TableFormat> tableFormatForPath(const QString& path);

// CSV and JSON keep every digit (shortest round-trip form); Markdown and LaTeX show numbers
// with `significantDigits` significant digits. JSON is {"title", "columns", "rows": [[…]]}
// with null for NaN and infinities; CSV quotes cells as RFC 4180 says.
QByteArray renderTable(const DataTable& table, TableFormat format, int significantDigits = 3);
bool exportTable(const DataTable& table, const QString& path, int significantDigits,
                 QString* error);
// A cell for an x of the grid or the data: the workbench holds x as a float, so a float cell
// when `x` is one (CSV writes it as the shortest text that reads back to that float, "0.126",
// not its double's "0.12600000202655792"); else, or NaN, a double cell.
QVariant xCell(double x);
// An f' error's cell: `value`, or notAvailableText() ("—") for errors without f'
// (FitReport::hasFprime false), which JSON writes as null and which keeps a column of numbers
// one (right-aligned).
QVariant fprimeCell(bool hasFprime, const QVariant& value);
// A cell as Markdown, LaTeX and the PDF report show it: integers and text as they are, other
// numbers with `significantDigits` significant digits (trailing zeros dropped), in scientific
// notation ("4.56e-08", "2.5e-05") when `scientific`; "NaN", "inf", "-inf".
QString tableCellText(const QVariant& cell, int significantDigits, bool scientific = false);
// For each column, whether its numbers are shown in scientific notation: when any of them
// needs it at `significantDigits` digits, so that a column never mixes "4.56e-08" with
// "0.000876" and its exponents line up. Integers stay as they are.
QList<bool> scientificColumns(const DataTable& table, int significantDigits);
// Every cell of `table` by tableCellText, each column in its one notation.
QList<QStringList> tableCellTexts(const DataTable& table, int significantDigits);

DataTable metricsTable(const FitReport& report);
// The network and each baseline, a row each, with every test-grid error measure (an omitted
// baseline's row says why and has no numbers).
DataTable errorComparisonTable(const FitReport& network,
                               const std::vector<BaselineResult>& baselines);
DataTable historyTable(const std::vector<EpochMetrics>& history);
// A knob's value as configTable writes it: "64", "0.001", "cosine", "[-2, 2]", "true".
QString configValueText(Knob knob, const TrainConfig& config);
// Every knob; then, unless `withFormulas` is false, f(x), f'(x) and f'(x) in LaTeX.
DataTable configTable(const TrainConfig& config, bool withFormulas = true);
// A sweep's summary: a column per swept knob (named as on the command line), then seed,
// mse_f, mse_fprime, max_err_f, max_err_fprime, h1_error, rel_l2_f, rel_l2_fprime, x_max_err_f,
// x_max_err_fprime, epochs_run, train_seconds, stop_reason, the best validation epoch and its
// errors (best_epoch, best_mse_f, ..., best_x_max_err_fprime), the loss weights in force at
// the run's last row (final_alpha, final_beta: where a rule or a change moved them; NaN for a
// history without them), and last `whereColumn` (the run's folder, or its name in the run
// history); a row per ended run. A categorical knob's value is its name.
DataTable sweepSummaryTable(const std::vector<Knob>& knobs, const QString& whereColumn);
void appendSweepRow(DataTable& table, const std::vector<Knob>& knobs,
                    const std::vector<double>& knobValues, std::uint64_t seed,
                    const FitReport& report, const QString& where,
                    std::optional<LossWeights> finalWeights = std::nullopt);

// The run bundle's metrics.md: the config and the test-grid metrics (and, when given, the
// network against the baselines).
QByteArray metricsMarkdown(const FitReport& report, const TrainConfig& config,
                           const std::vector<BaselineResult>& baselines = {});

} // namespace sobolev
