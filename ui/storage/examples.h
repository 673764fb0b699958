// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/experiment/sweep.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace sobolev {

// The Sweep window's form as text, as a person would type it.
struct SweepForm {
    std::vector<std::pair<Knob, QString>> axes; // 0 to 2: a knob and its values text
    QString seeds;                              // e.g. "1-3"
};

// An example experiment: a title for File ▸ Examples, one line on what it shows, a complete
// config and, for a sweep, the Sweep window's form. JSON: {"title", "description",
// "experiment": {every config key}, "sweep": {"axes": [{"knob", "values"}], "seeds"}}.
struct Example {
    QString title;
    QString description;
    TrainConfig config;
    std::optional<SweepForm> sweep;
};

struct ExampleReadResult {
    Example example;
    QStringList errors; // each names the file and the key; `example` is meaningful without
};
ExampleReadResult readExampleFile(const QString& path);

// The examples built into the program (the resource folder :/examples), by file name.
QList<Example> builtInExamples();

} // namespace sobolev
