// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "commandline.h"

namespace sobolev {

// --merge DIR... --out DIR: one sweep from its shards (see mergeSweepShards), with --plots the
// sweep's trade-off and knob figures. Prints the missing runs. Exits 0 when every run is there,
// 1 when some are missing (or writing failed), 2 when the folders are refused.
int runMerge(const CommandLine& cl);

} // namespace sobolev
