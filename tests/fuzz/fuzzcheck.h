// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks inside the fuzz targets. A failed check prints what differed and aborts, which
// libFuzzer reports as a crash (and saves the input) and the replay programs as a failed test.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fuzzcheck {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    std::abort();
}

// The same bits, except that every NaN equals every NaN (the files have one "nan").
inline bool sameDouble(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

[[noreturn]] inline void failDouble(const char* what, double a, double b, const char* file,
                                    int line) {
    std::fprintf(stderr, "%s:%d: %s: wrote %a (%.17g), read back %a (%.17g)\n", file, line, what, a,
                 a, b, b);
    std::abort();
}

} // namespace fuzzcheck

#define FUZZ_CHECK(condition)                                                                      \
    ((condition) ? void() : fuzzcheck::fail(#condition, __FILE__, __LINE__))
#define FUZZ_CHECK_SAME_DOUBLE(what, a, b)                                                         \
    (fuzzcheck::sameDouble((a), (b))                                                               \
         ? void()                                                                                  \
         : fuzzcheck::failDouble((what), (a), (b), __FILE__, __LINE__))
