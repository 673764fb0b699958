// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the reader of typed targets (core/expression.h). The input is the formula.
// Besides crashes, hangs and sanitizer reports it checks that a formula either compiles or is
// refused with a message, that the batch evaluation equals the pointwise one to the bit, and
// that a problem is named exactly where f or f' is not finite.
#include "core/problem/formula/expression.h"
#include "fuzzcheck.h"

#include <cmath>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sobolev;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto formula = CompiledFormula::compile(text, &error);
    if (!formula) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    FUZZ_CHECK(!formula->formula().empty() && !formula->derivative().empty());
    FUZZ_CHECK(!formula->latex().empty() && !formula->derivativeLatex().empty());
    constexpr int n = 9;
    const double xs[n] = {-2.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.0};
    double f[n], fp[n];
    formula->evaluate(xs, f, fp, n);
    for (int i = 0; i < n; ++i) {
        FUZZ_CHECK(fuzzcheck::sameDouble(f[i], formula->f(xs[i])));
        FUZZ_CHECK(fuzzcheck::sameDouble(fp[i], formula->fprime(xs[i])));
        FUZZ_CHECK(formula->problemAt(xs[i], false).has_value() == !std::isfinite(f[i]));
        FUZZ_CHECK(formula->problemAt(xs[i], true).has_value() == !std::isfinite(fp[i]));
    }
    return 0;
}
