// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// Measured samples of f and, on some or all rows, f' (issue #12): the user's own data in
// place of a known target. A row without f' holds NaN there; the loss's beta term then
// averages over the rows that have it (Mlp::lossTerms).
struct MeasuredData {
    std::vector<double> x, f, fprime;
    bool hasHeader = false;

    int rows() const { return int(x.size()); }
    int rowsWithFprime() const;
    double minX() const;
    double maxX() const;
};
// Row by row; a missing f' equals a missing f'.
bool operator==(const MeasuredData& a, const MeasuredData& b);

// The rows of a config's measured data, shared by the config's copies (they are immutable);
// two are equal when their rows are.
class MeasuredRows {
  public:
    MeasuredRows() = default;
    explicit MeasuredRows(MeasuredData data)
        : m_data(std::make_shared<const MeasuredData>(std::move(data))) {}
    explicit operator bool() const { return bool(m_data); }
    const MeasuredData& operator*() const { return *m_data; }
    const MeasuredData* operator->() const { return m_data.get(); }
    bool operator==(const MeasuredRows& o) const {
        return m_data == o.m_data || (m_data && o.m_data && *m_data == *o.m_data);
    }

  private:
    std::shared_ptr<const MeasuredData> m_data;
};

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
// Returns the data, or the problems (at most `maxProblems`), never both.
struct CsvReadResult {
    std::optional<MeasuredData> data;
    std::vector<CsvProblem> problems;
};
CsvReadResult readMeasuredCsv(std::string_view text, std::size_t maxProblems = 10);

// "line 4, column 2: ..." (or "line 4: ...", or the message alone for the whole file).
std::string describe(const CsvProblem& problem);

// The rows held out for validation: none for fraction 0, otherwise round(fraction x rows)
// kept within 1 .. rows - 1 so that both sets have a row.
int validationRowCount(int rows, double fraction);

} // namespace sobolev
