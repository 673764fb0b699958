// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/baselines.h"
#include "core/experiment/shard.h"
#include "core/experiment/sweep.h"
#include "reportcontent.h"

#include <QString>
#include <QStringList>

namespace sobolev {

// --animate FILE and its settings, as given; the size and chart names, the ranges and whether
// the file can be written are checked before training by animationProblems() (figures.h).
struct AnimateOptions {
    QString path; // empty: no animation
    QString size = QStringLiteral("800x450");
    int fps = 15;
    double seconds = 10;
    QString charts = QStringLiteral("f,fprime");
    bool wanted() const { return !path.isEmpty(); }
};

// What the command line asks for. `errors` lists every bad flag or value, each naming it
// and what is allowed; the caller exits with status 2 when it is not empty.
struct CommandLine {
    bool headless = false;
    bool start = false;                          // window: begin training at once
    bool quiet = false;                          // headless: no progress on stderr
    bool plots = false;                          // headless: also write figures and metrics.md
    double figureScale = 1;                      // --figure-scale: the figures' size in a document
    bool report = false;                         // headless: also write report.pdf and report.md
    ReportPage reportPage = defaultReportPage(); // --report-page
    bool help = false;
    bool version = false;
    QString configFile;
    QString outDir;
    TrainConfig config;               // defaults, then --config, then the flags
    bool configGiven = false;         // --config or any config flag was on the command line
    std::vector<SweepAxis> sweeps;    // --sweep, 0-2 of them (headless)
    std::vector<std::uint64_t> seeds; // --seeds; empty: the config's seed
    // A sweep over knobs, or (--seeds alone) a seed ensemble: one run folder per run.
    bool isSweep() const { return !sweeps.empty() || !seeds.empty(); }
    int threads = 0; // --threads; 0: every core
    // --shard K/N or --shard slurm: train only the K-th of N slices of the sweep's runs.
    std::optional<Shard> shard;
    // --merge DIR...: assemble the shards in these sweep folders into --out.
    bool merge = false;
    QStringList mergeDirs;
    // --resume DIR: continue the interrupted run in this folder (headless).
    QString resumeDir;
    std::vector<BaselineSpec> baselines; // --baselines: fits measured beside the network
    AnimateOptions animate;              // --animate and --animate-*: headless
    QStringList errors;
    QString helpText;
};

CommandLine parseCommandLine(const QStringList& arguments);

} // namespace sobolev
