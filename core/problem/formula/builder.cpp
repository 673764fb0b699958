// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/builder.h"

#include "core/problem/formula/bounds.h"
#include "core/problem/formula/error.h"
#include "core/problem/formula/ops.h"
#include "core/problem/formula/parser.h"

#include <ginac/ginac.h>

#include <cmath>
#include <numbers>
#include <optional>

namespace sobolev::formula {

namespace {

// A part of the formula: the GiNaC expression and, for a part without x, its value as the
// evaluation programs compute it.
struct Part {
    GiNaC::ex e;
    std::optional<double> value; // set exactly when the part has no x
};

std::optional<double> combine(std::optional<double> a, std::optional<double> b, auto op) {
    if (a && b)
        return op(*a, *b);
    return std::nullopt;
}

// Runs a GiNaC construction, turning its exceptions (1/0, log(0), ...) into an error at
// `column`.
template <typename F> GiNaC::ex guarded(std::size_t column, F make) {
    try {
        return make();
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find("division by zero") != std::string::npos ||
            what.find("pole") != std::string::npos)
            throw FormulaError{"division by zero" + at(column)};
        throw FormulaError{"cannot compute this part" + at(column) + ": " + what};
    }
}

class Builder {
  public:
    Builder(std::string_view text, const GiNaC::realsymbol& x) : m_text(text), m_x(x) {}

    Part build(const Node& node) {
        switch (node.kind) {
        case Node::Number: {
            GiNaC::numeric value(node.digits.c_str());
            value = value * GiNaC::numeric(10).power(node.scale);
            return {value, value.to_double()};
        }
        case Node::X:
            return {m_x, std::nullopt};
        case Node::Pi:
            return {GiNaC::Pi, std::numbers::pi};
        case Node::E:
            return {GiNaC::exp(GiNaC::ex(1)), std::numbers::e};
        case Node::Sum:
        case Node::Product:
            return chain(node);
        case Node::Negate:
            return negated(build(node.operands[0]));
        case Node::Power:
            return power(node);
        case Node::Call:
            return call(node);
        }
        throw FormulaError{"cannot build the formula"}; // every kind is handled above
    }

  private:
    std::string typed(const Node& node) const { return typedText(m_text, node.start, node.end); }

    // A sum or product, left to right.
    Part chain(const Node& node) {
        Part e = build(node.operands[0]);
        for (std::size_t i = 1; i < node.operands.size(); ++i) {
            const auto [op, column] = node.operators[i - 1];
            const Part rhs = build(node.operands[i]);
            if (op == '/' && GiNaC::is_a<GiNaC::numeric>(rhs.e) && rhs.e.is_zero())
                throw FormulaError{"division by zero" + at(column)};
            e.e = guarded(column, [&] {
                return op == '+'   ? e.e + rhs.e
                       : op == '-' ? e.e - rhs.e
                       : op == '*' ? e.e * rhs.e
                                   : e.e / rhs.e;
            });
            e.value = combine(e.value, rhs.value, [&](double a, double b) {
                return op == '+' ? a + b : op == '-' ? a - b : op == '*' ? a * b : a / b;
            });
        }
        return e;
    }

    static Part negated(Part e) {
        e.e = -e.e;
        if (e.value)
            e.value = -*e.value;
        return e;
    }

    Part power(const Node& node) {
        const Part base = build(node.operands[0]);
        const Part exponent = build(node.operands[1]);
        const std::size_t column = node.column;
        checkPower(base.e, exponent.e, column);
        if (base.value && exponent.value && std::isfinite(*base.value) &&
            std::isfinite(*exponent.value) && *base.value < 0 &&
            *exponent.value != std::floor(*exponent.value))
            throw FormulaError{typed(node) +
                               " is not real: a negative number has real powers "
                               "only to whole exponents (column " +
                               std::to_string(column) + ")"};
        boundPower(base.e, exponent.e, column, [&] { return typed(node); });
        Part result{guarded(column, [&] { return GiNaC::pow(base.e, exponent.e); }), std::nullopt};
        result.value =
            combine(base.value, exponent.value, [](double b, double p) { return std::pow(b, p); });
        return result;
    }

    // A function of a constant must be real where it is computed: GiNaC would otherwise carry
    // acos(6) as a complex number into everything built on it.
    Part call(const Node& node) {
        const Part argument = build(node.operands[0]);
        const Function& f = functions[std::size_t(node.function)];
        if (argument.value && f.real && std::isfinite(*argument.value) && !f.real(*argument.value))
            throw FormulaError{typed(node) + " is not real: " + std::string(f.name) +
                               " needs an argument " + std::string(f.domain) + " (column " +
                               std::to_string(node.column) + ")"};
        Part result{
            guarded(node.column,
                    [&] { return buildFunction(node.function, argument.e, bool(argument.value)); }),
            std::nullopt};
        if (argument.value)
            result.value = f.value(*argument.value);
        return result;
    }

    std::string_view m_text;
    const GiNaC::realsymbol& m_x;
};

} // namespace

GiNaC::ex build(const Node& formula, std::string_view text, const GiNaC::realsymbol& x) {
    return Builder(text, x).build(formula).e;
}

} // namespace sobolev::formula
