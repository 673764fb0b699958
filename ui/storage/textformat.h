// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knobregistry.h"
#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/experiment/sweep.h"

#include <QString>

#include <string_view>
#include <vector>

// Every number, error, stop reason and knob as the workbench writes it for people: one
// place, so that a table, a tooltip and a legend never disagree.
namespace sobolev {

// A name from core (stopReasonName, a knob key, activationName) as a QString.
QString toQString(std::string_view text);

// Shortest text that reads back to the same value; "nan"/"inf" for non-finite values.
QString formatNumber(double value);
QString formatNumber(float value);

// "12.3 s", "4:05", "1:02:03"; "–" for a negative or non-finite time (an unknown ETA).
QString formatDuration(double seconds);

// A knob's value as people write it: "0.1", "64", and "1e-3" or "2.5e5" rather than "0.001"
// or "250000", since learning rates and loss weights span decades. Five significant digits.
QString compactNumber(double value);

// An error or loss in scientific form with `significantDigits` digits ("3.14e-07"), so that
// exponents line up down a column; "NaN" for a diverged run's metric, "inf" for an infinite one.
QString errorText(double value, int significantDigits = 3);

// "—": a measure a run cannot have, e.g. an f' error of measured data without f'.
QString notAvailableText();
// errorText(value, significantDigits), or notAvailableText() for errors without f'
// (FitReport::hasFprime false).
QString fprimeErrorText(bool hasFprime, double value, int significantDigits = 3);

// "completed", "stopped", "diverged" (translated).
QString stopReasonText(StopReason reason);

// "β", "α", "β/α", "learning rate", "width", "depth": for axis titles and legends (the
// registry's symbol).
QString knobLabel(Knob knob);
// "Learning rate": the registry's label, for forms and reports.
QString knobFormLabel(Knob knob);
// A knob's value as the tables and labels show it: a name for a Choice knob ("cosine").
QString knobValueLabel(Knob knob, double value);
// The sweepable knobs in the order the knob menus list them: β first, as the one most often
// tuned, then the registry's order.
std::vector<Knob> knobsInMenuOrder();

// "α", "β", "lr": a knob that can change during a run.
QString liveKnobLabel(Knob knob);
// "β 1 → 10": a change as the loss chart's marker says it.
QString knobChangeText(Knob knob, double from, double to);
// "β 1→10 @300", "lr 1e-3→1e-4 @512 b7": each change of `config`, abbreviated, at its epoch
// (and batch, when not the epoch's first).
QStringList changeSummaries(const TrainConfig& config);
// "Changed during the run: β 1 → 10 from epoch 300." for prose; empty without changes.
QString changesSentence(const TrainConfig& config);

// "64×2 tanh α=1 β=1 lr=1e-3 seed 12345": the knobs that tell runs apart.
QString knobsSummary(const TrainConfig& config);
// Every knob of `config` that differs from `from`, abbreviated, in the order of the form:
// "32×3", "sin", "α=0.5", "β=10", "lr=3e-4", "seed 7", "3000 epochs", "batch 32",
// "n_train 512", "n_val 128", "grid 201". A run's default name is made of these.
QStringList knobDifferences(const TrainConfig& config, const TrainConfig& from = TrainConfig{});
// A figure sheet's caption: every knob, then the run's errors on the test grid and how it
// ended, in one paragraph.
QString figureCaption(const TrainConfig& config, const FitReport& report);
// " sine [0, 1] chebyshev σ_f=0.01": the target and data knobs that differ from the reference
// experiment, empty for it.
QString dataSummary(const TrainConfig& config);
// Every knob, one per line, for a tooltip.
QString knobsDetails(const TrainConfig& config);

} // namespace sobolev
