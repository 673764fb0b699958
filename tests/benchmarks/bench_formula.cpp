// SPDX-License-Identifier: GPL-3.0-or-later
// Prints, as one JSON object, how long a typed target takes: compiling it (parse, GiNaC
// differentiation, evaluation programs) and evaluating f and f' on a grid of N points.
// Usage: sobolev-formula-bench [FORMULA] [N]   (default: "sin(3*x)*exp(-x^2)" 1000000)
#include "core/problem/formula/expression.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    const std::string text = argc > 1 ? argv[1] : "sin(3*x)*exp(-x^2)";
    const long n = argc > 2 ? std::max(2L, std::atol(argv[2])) : 1'000'000L;
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    std::string error;
    const auto formula = sobolev::CompiledFormula::compile(text, &error);
    const double compileMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!formula) {
        std::fprintf(stderr, "sobolev-formula-bench: %s\n", error.c_str());
        return 2;
    }
    std::vector<double> x(static_cast<std::size_t>(n));
    std::vector<double> f(x.size()), fp(x.size());
    for (long i = 0; i < n; ++i)
        x[std::size_t(i)] = -2.0 + 4.0 * double(i) / double(n - 1);
    std::vector<double> runs;
    double checksum = 0;
    for (int r = 0; r < 5; ++r) {
        const auto t1 = Clock::now();
        formula->evaluate(x.data(), f.data(), fp.data(), x.size());
        runs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
        checksum += f[x.size() / 3] + fp[x.size() / 3];
    }
    std::sort(runs.begin(), runs.end());
    std::printf("{\"formula\": \"%s\", \"derivative\": \"%s\", \"points\": %ld, "
                "\"compile_ms\": %.3f, \"evaluate_f_and_fprime_ms_median\": %.3f, "
                "\"evaluate_ms_max\": %.3f, \"checksum\": %.17g}\n",
                text.c_str(), formula->derivative().c_str(), n, compileMs, runs[runs.size() / 2],
                runs.back(), checksum);
    return 0;
}
