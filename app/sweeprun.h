// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"

namespace sobolev {

// The headless sweep: one run folder per point and seed under the output folder, named by
// the knob values and seed (e.g. "beta=0.1_seed=2"), and summary.csv with a row per run.
// Ctrl+C cancels: runs in progress stop, and what ended is still written.
int runHeadlessSweep(const CommandLine& cl);

} // namespace sobolev
