// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/problem/formula/program.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// A typed target f(x): read by a parser of its own (so that every error names its column),
// built and differentiated symbolically by GiNaC with x a real symbol (d|u|/dx = sign(u) u'),
// then compiled once into two evaluation programs, for f and f', that run without GiNaC.
// The parts, in core/problem/formula/: parser (text to syntax tree), builder and bounds (tree
// to GiNaC), compiler and canonical (GiNaC to program), printing, program (the evaluators),
// and ops, the table of functions: the one place a function is added.
//
// Grammar: sums and differences of products and quotients of powers (^ or **, right
// associative; a unary minus binds looser than ^, so -x^2 = -(x^2)) of numbers (1, 2.5, 1e-3),
// x, pi, e, parentheses and the functions sin cos tan asin acos atan sinh cosh tanh asinh
// acosh atanh exp log sqrt abs.
class CompiledFormula {
  public:
    // Parses and differentiates `text`. On failure returns null and says in `error` what is
    // wrong and where, e.g. "unexpected end of input at column 5" or "unknown name 'y' (the
    // variable is x)". Thread-safe (GiNaC is used under a lock); the same text is compiled once.
    static std::shared_ptr<const CompiledFormula> compile(std::string_view text,
                                                          std::string* error);

    double f(double x) const;
    double fprime(double x) const;
    // f and f' at n points.
    void evaluate(const double* x, double* f, double* fprime, std::size_t n) const;

    // What goes wrong when f (derivative false) or f' is not finite at x: "division by zero",
    // "logarithm of a negative number", ...; nullopt when the value is finite.
    std::optional<std::string> problemAt(double x, bool derivative) const;

    const std::string& text() const { return m_text; }             // as typed
    const std::string& formula() const { return m_formula; }       // as GiNaC prints it
    const std::string& derivative() const { return m_derivative; } // f'(x)
    const std::string& latex() const { return m_latex; }
    const std::string& derivativeLatex() const { return m_derivativeLatex; }

    // The evaluation programs of f and f' (program.h).
    using Op = formula::Op;
    using Program = formula::Program;

  private:
    CompiledFormula() = default;
    std::string m_text, m_formula, m_derivative, m_latex, m_derivativeLatex;
    Program m_f, m_fprime;
};

} // namespace sobolev
