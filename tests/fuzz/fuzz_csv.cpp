// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the reader of measured data (core/measureddata.h), the CSV of x, f and
// f' that --data, the "data" key and the panel's Data file choice read. The input is the
// file's text. Besides crashes, hangs and sanitizer reports it checks that a text gives
// either rows or problems, never both nor neither; that every problem names a line of the
// text; that the rows are finite (f' finite or missing), at least 2 with 2 distinct x; and
// that the rows, written back as CSV with 17 digits, read back bit for bit.
#include "core/problem/measureddata.h"
#include "fuzzcheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sobolev;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const CsvReadResult r = readMeasuredCsv(text);
    FUZZ_CHECK(r.data.has_value() != !r.problems.empty());
    const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const CsvProblem& p : r.problems) {
        FUZZ_CHECK(!p.message.empty());
        FUZZ_CHECK(p.line >= 0 && p.line <= lines && p.column >= 0 && p.column <= 3);
        FUZZ_CHECK(!describe(p).empty());
    }
    if (!r.data)
        return 0;
    const MeasuredData& d = *r.data;
    FUZZ_CHECK(d.rows() >= 2 && d.f.size() == d.x.size() && d.fprime.size() == d.x.size());
    FUZZ_CHECK(d.minX() < d.maxX());
    std::string again = d.hasHeader ? "x,f,fprime\n" : "";
    for (int i = 0; i < d.rows(); ++i) {
        FUZZ_CHECK(std::isfinite(d.x[i]) && std::isfinite(d.f[i]));
        FUZZ_CHECK(std::isnan(d.fprime[i]) || std::isfinite(d.fprime[i]));
        char line[96];
        if (std::isnan(d.fprime[i]))
            std::snprintf(line, sizeof line, "%.17g,%.17g,\n", d.x[i], d.f[i]);
        else
            std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g\n", d.x[i], d.f[i], d.fprime[i]);
        again += line;
    }
    const CsvReadResult back = readMeasuredCsv(again);
    FUZZ_CHECK(back.data.has_value());
    FUZZ_CHECK(back.data->rows() == d.rows());
    for (int i = 0; i < d.rows(); ++i) {
        FUZZ_CHECK_SAME_DOUBLE("x", d.x[i], back.data->x[i]);
        FUZZ_CHECK_SAME_DOUBLE("f", d.f[i], back.data->f[i]);
        FUZZ_CHECK_SAME_DOUBLE("f'", d.fprime[i], back.data->fprime[i]);
    }
    FUZZ_CHECK(back.data->rowsWithFprime() == d.rowsWithFprime());
    return 0;
}
