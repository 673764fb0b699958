// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/measureddata.h"

#include "core/config/trainconfig.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sobolev {

std::string describe(const CsvProblem& p) {
    if (p.line == 0)
        return p.message;
    std::string where = "line " + std::to_string(p.line);
    if (p.column > 0)
        where += ", column " + std::to_string(p.column);
    return where + ": " + p.message;
}

namespace {

constexpr const char* columnNames[] = {"x", "f", "f'"};

std::string_view trimmed(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// The cells of a line, split at commas, trimmed.
struct Cells {
    // The first cells only: one more than a row may have is enough to say "too many", and a
    // line of a hundred million commas then takes no memory.
    static constexpr std::size_t kept = 4;
    std::string_view first[kept];
    std::size_t count = 0; // all of them
    std::size_t size() const { return count; }
    std::string_view operator[](std::size_t i) const { return first[i]; }
    std::size_t keptCount() const { return std::min(count, kept); }
};

Cells cells(std::string_view line) {
    Cells out;
    out.count = std::size_t(std::count(line.begin(), line.end(), ',')) + 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < out.keptCount(); ++i) {
        const std::size_t comma = line.find(',', start);
        out.first[i] = trimmed(line.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

// The whole cell as a number (a leading '+' allowed), or nothing.
std::optional<double> number(std::string_view cell) {
    if (!cell.empty() && cell.front() == '+')
        cell.remove_prefix(1);
    if (cell.empty())
        return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (end != cell.data() + cell.size() ||
        (error != std::errc() && error != std::errc::result_out_of_range))
        return std::nullopt;
    if (error == std::errc::result_out_of_range) // strtod says which: infinite or tiny
        return std::strtod(std::string(cell.begin(), cell.end()).c_str(), nullptr);
    return value;
}

// A short, printable quote of a cell for messages.
std::string quoted(std::string_view cell) {
    std::string out(1, '"');
    for (char c : cell.substr(0, 40))
        out.push_back((c >= 32 && c < 127) ? c : '?');
    if (cell.size() > 40)
        out.append(3, '.');
    out.push_back('"');
    return out;
}

} // namespace

CsvReadResult readMeasuredCsv(std::string_view text, std::size_t maxProblems,
                              std::atomic<std::int64_t>* bytesRead,
                              const std::atomic<bool>* cancel) {
    CsvReadResult result;
    MeasuredData data;
    auto& problems = result.problems;
    const auto problem = [&](int line, int column, std::string message) {
        if (problems.size() < maxProblems)
            problems.push_back({line, column, std::move(message)});
    };
    int columns = 0; // fixed by the header; 0: 2 or 3 per line
    bool first = true;
    int lineNo = 0;
    std::size_t start = 0, reported = 0;
    while (start < text.size() && problems.size() < maxProblems) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = trimmed(text.substr(start, end - start));
        start = end + 1;
        ++lineNo;
        if (lineNo % 4096 == 0) {
            if (bytesRead) {
                bytesRead->fetch_add(std::int64_t(start - reported), std::memory_order_relaxed);
                reported = start;
            }
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                result.problems = {{0, 0, "reading was cancelled"}};
                return result;
            }
        }
        if (line.empty() || line.front() == '#')
            continue;
        const auto row = cells(line);
        if (first) {
            first = false;
            // A cell that is not a number (nor empty) among the first; a line of more
            // cells is refused either way.
            const bool header =
                std::any_of(row.first, row.first + row.keptCount(),
                            [](std::string_view c) { return !c.empty() && !number(c); });
            if (header) {
                if (row.size() < 2 || row.size() > 3) {
                    problem(lineNo, 0,
                            "the header has " + std::to_string(row.size()) +
                                " columns; expected 2 (x, f) or 3 (x, f, f')");
                    break;
                }
                data.hasHeader = true;
                columns = int(row.size());
                continue;
            }
        }
        if (row.size() < 2 || (columns == 3 && row.size() < 3)) {
            problem(lineNo, 0,
                    "too few columns: " + std::to_string(row.size()) + " (expected " +
                        (columns == 3 ? std::string("3: x, f, f'") : "x, f and optionally f'") +
                        ")");
            continue;
        }
        if (row.size() > 3 || (columns == 2 && row.size() > 2)) {
            problem(lineNo, 0,
                    "too many columns: " + std::to_string(row.size()) + " (expected " +
                        (columns == 2 ? std::string("2: x, f") : "x, f and optionally f'") + ")");
            continue;
        }
        double values[3] = {0, 0, std::nan("")};
        bool ok = true;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string name = columnNames[c];
            if (row[c].empty()) {
                if (c == 2)
                    continue; // f' may be missing on a row
                problem(lineNo, int(c + 1), name + " is empty; every row needs x and f");
                ok = false;
                continue;
            }
            const auto v = number(row[c]);
            if (!v) {
                problem(lineNo, int(c + 1), name + " is not a number: " + quoted(row[c]));
                ok = false;
            } else if (!std::isfinite(*v)) {
                problem(lineNo, int(c + 1), name + " is not finite: " + quoted(row[c]));
                ok = false;
            } else
                values[c] = *v;
        }
        if (!ok)
            continue;
        if (data.rows() >= limits::maxSamples) {
            problem(lineNo, 0,
                    "more than " + std::to_string(limits::maxSamples) + " rows; that is the limit");
            break;
        }
        data.x.push_back(values[0]);
        data.f.push_back(values[1]);
        data.fprime.push_back(values[2]);
    }
    if (problems.empty()) {
        if (data.rows() < 2)
            problem(0, 0,
                    "has " + std::to_string(data.rows()) + (data.rows() == 1 ? " row" : " rows") +
                        " of data; at least 2 rows of x, f are needed");
        else if (data.minX() == data.maxX())
            problem(0, 1,
                    "every x is " + std::to_string(data.minX()) +
                        "; at least 2 distinct x values are needed");
    }
    if (problems.empty())
        result.data = std::move(data);
    return result;
}

} // namespace sobolev
