// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/measuredrows.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// One problem in a CSV text: its 1-based line and column (0: the whole file or line).
struct CsvProblem {
    int line = 0, column = 0;
    std::string message;
};

// Reads comma-separated columns x, f and optionally f'. The first line is a header when any
// of its cells is not a number (e.g. "x,f,fprime" or "x,f,df"). Blank lines and lines
// starting with '#' are skipped; cells may be surrounded by spaces; a line may end in
// "\r\n". Every data line has 2 or 3 cells (the same count as the header, when there is
// one); f' may be an empty cell. Each x, f and given f' must be a finite number; at least
// 2 rows and 2 distinct x values are needed. x need not be sorted and may repeat.
// Returns the data, or the problems (at most `maxProblems`), never both. A million rows take
// about a second: the bytes read are added to `bytesRead` as it goes, and a raised `cancel`
// stops it with a problem that says so.
struct CsvReadResult {
    std::optional<MeasuredData> data;
    std::vector<CsvProblem> problems;
};
CsvReadResult readMeasuredCsv(std::string_view text, std::size_t maxProblems = 10,
                              std::atomic<std::int64_t>* bytesRead = nullptr,
                              const std::atomic<bool>* cancel = nullptr);

// "line 4, column 2: ..." (or "line 4: ...", or the message alone for the whole file).
std::string describe(const CsvProblem& problem);

} // namespace sobolev
