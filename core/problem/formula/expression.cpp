// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/expression.h"

#include "core/config/trainconfig.h"
#include "core/problem/formula/builder.h"
#include "core/problem/formula/canonical.h"
#include "core/problem/formula/compiler.h"
#include "core/problem/formula/error.h"
#include "core/problem/formula/parser.h"
#include "core/problem/formula/printing.h"

#include <ginac/ginac.h>

#include <cmath>
#include <map>
#include <mutex>

namespace sobolev {

namespace {

// GiNaC is not thread-safe (reference counts, global tables): every use is under this lock.
std::mutex& ginacLock() {
    static std::mutex lock;
    return lock;
}

} // namespace

std::shared_ptr<const CompiledFormula> CompiledFormula::compile(std::string_view text,
                                                                std::string* error) {
    if (text.size() > limits::maxFormulaLength) {
        *error = "the formula is longer than " + std::to_string(limits::maxFormulaLength) +
                 " characters";
        return nullptr;
    }
    std::lock_guard<std::mutex> lock(ginacLock());
    // Compiled formulas are immutable: the same text is compiled once per process.
    static std::map<std::string, std::shared_ptr<const CompiledFormula>, std::less<>> cache;
    if (const auto hit = cache.find(text); hit != cache.end())
        return hit->second;
    try {
        // One symbol for the process: GiNaC orders sums and products by hashes that depend on
        // a symbol's serial number, so a fresh symbol per formula would print the same formula
        // differently depending on what was compiled before (the programs and texts also sort,
        // see canonical.h).
        static const GiNaC::realsymbol& x = *new GiNaC::realsymbol("x");
        const GiNaC::ex f = formula::build(formula::parse(text), text, x);
        const GiNaC::ex fprime = f.diff(x);
        // Dies before f and fprime, whose nodes it holds, and before the lock is released.
        formula::CanonicalOrder order;
        auto compiled = std::shared_ptr<CompiledFormula>(new CompiledFormula);
        compiled->m_text = std::string(text);
        compiled->m_formula = formula::plainText(f, order);
        compiled->m_derivative = formula::plainText(fprime, order);
        compiled->m_latex = formula::latexText(f);
        compiled->m_derivativeLatex = formula::latexText(fprime);
        compiled->m_f = formula::compileProgram(f, order);
        compiled->m_fprime = formula::compileProgram(fprime, order);
        if (cache.size() > 1000)
            cache.clear();
        cache.emplace(std::string(text), compiled);
        return compiled;
    } catch (const formula::FormulaError& e) {
        *error = e.message;
    } catch (const std::exception& e) {
        *error = std::string("the formula cannot be processed: ") + e.what();
    }
    return nullptr;
}

double CompiledFormula::f(double x) const {
    return formula::valueAt(m_f, x);
}

double CompiledFormula::fprime(double x) const {
    return formula::valueAt(m_fprime, x);
}

void CompiledFormula::evaluate(const double* x, double* f, double* fprime, std::size_t n) const {
    formula::evaluate(m_f, m_fprime, x, f, fprime, n);
}

std::optional<std::string> CompiledFormula::problemAt(double x, bool derivative) const {
    std::string problem;
    const double v = formula::checkAt(derivative ? m_fprime : m_f, x, &problem);
    if (std::isfinite(v))
        return std::nullopt;
    return problem.empty() ? std::string("not a finite number") : problem;
}

} // namespace sobolev
