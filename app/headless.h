#pragma once

#include "commandline.h"

namespace sobolev {

// Exit codes of the headless mode.
enum HeadlessExit { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitDiverged = 3 };

// Trains `cl.config` without a window and writes the run folder. Ctrl+C stops the run
// between batches and still writes what was trained.
int runHeadless(const CommandLine& cl);

} // namespace sobolev
