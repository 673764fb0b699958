// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/expression.h"

#include "core/config/trainconfig.h"

#include <ginac/ginac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <mutex>
#include <numbers>
#include <sstream>
#include <unordered_map>

namespace sobolev {

namespace {

// GiNaC is not thread-safe (reference counts, global tables): every use is under this lock.
std::mutex& ginacLock() {
    static std::mutex lock;
    return lock;
}

constexpr int maxNesting = 100;
constexpr int maxLiteralDigits = 300;
constexpr int maxLiteralExponent = 300;
constexpr double maxPowerOfX = 10000;
// The decimal digits of the exact numbers one power may make (see Reader::boundPower()).
constexpr double maxExactDigits = 10000;

struct FormulaError {
    std::string message;
};

std::string at(std::size_t column) {
    return " at column " + std::to_string(column);
}

// |u| for a real u. GiNaC's own abs() takes u as complex: it simplifies |b^u| to b^Re(u) and
// differentiates |u| through conj(u), so on powers such as 2^(x^x) or 8^51^-x^c^-50 it builds
// real and imaginary parts, binomial expansions of c^-50 and atan2 terms that it can neither
// evaluate nor, for larger exponents, finish building. In a formula that is accepted every
// part is real (x is, and Reader::requireReal() checks the constants), so |u|' = sign(u) u',
// where sign(0) = 0 gives x|x| the derivative 0 at 0.
DECLARE_FUNCTION_1P(realAbs)

GiNaC::ex realAbsEval(const GiNaC::ex& u) {
    if (GiNaC::is_exactly_a<GiNaC::numeric>(u))
        return GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(u));
    if (u.info(GiNaC::info_flags::nonnegative) || GiNaC::is_the_function<realAbs_SERIAL>(u))
        return u;
    if (u.info(GiNaC::info_flags::negative))
        return -u;
    return realAbs(u).hold();
}

GiNaC::ex realAbsDerivative(const GiNaC::ex& u, unsigned) {
    return GiNaC::csgn(u);
}

bool realAbsInfo(const GiNaC::ex& u, unsigned flag) {
    switch (flag) {
    case GiNaC::info_flags::real:
    case GiNaC::info_flags::nonnegative:
        return true;
    case GiNaC::info_flags::positive:
        return u.info(GiNaC::info_flags::positive) || u.info(GiNaC::info_flags::negative);
    default:
        return false;
    }
}

void realAbsLatex(const GiNaC::ex& u, const GiNaC::print_context& c) {
    c.s << "{|";
    u.print(c);
    c.s << "|}";
}

// Named abs like GiNaC's (overloaded(2): the name is taken on purpose), so that formulas
// print, sort and compile as before.
REGISTER_FUNCTION(realAbs, eval_func(realAbsEval)
                               .derivative_func(realAbsDerivative)
                               .info_func(realAbsInfo)
                               .print_func<GiNaC::print_latex>(realAbsLatex)
                               .set_name("abs")
                               .overloaded(2))

// The functions a formula may use, with their values (as the evaluation programs compute
// them) and the arguments they are real for. `make` with `hold` builds the function without
// evaluating it: GiNaC throws from inside its evaluation at poles such as log(0) or tan(pi/2)
// and leaks memory when it does, so a function of a constant is held and its value left to
// the evaluation programs (which name the problem, "logarithm of 0", at every x).
struct FunctionInfo {
    GiNaC::ex (*make)(const GiNaC::ex&, bool hold);
    double (*value)(double);
    bool (*real)(double) = nullptr; // null: real for every real argument
    const char* domain = "";        // the arguments `real` accepts, for messages
};

const std::map<std::string, FunctionInfo>& functionTable() {
    using GiNaC::ex;
#define SOBOLEV_FUNCTION(name)                                                                     \
    [](const ex& u, bool hold) -> ex {                                                             \
        return hold ? ex(GiNaC::name(u).hold()) : ex(GiNaC::name(u));                              \
    },                                                                                             \
        [](double u) { return std::name(u); }
    // The domains leave out only what makes a value not real; log(0) and atanh(1) are
    // infinite, which the evaluation programs name.
    static const std::map<std::string, FunctionInfo> table{
        {"sin", {SOBOLEV_FUNCTION(sin)}},
        {"cos", {SOBOLEV_FUNCTION(cos)}},
        {"tan", {SOBOLEV_FUNCTION(tan)}},
        {"asin", {SOBOLEV_FUNCTION(asin), [](double u) { return std::abs(u) <= 1; }, "in [-1, 1]"}},
        {"acos", {SOBOLEV_FUNCTION(acos), [](double u) { return std::abs(u) <= 1; }, "in [-1, 1]"}},
        {"atan", {SOBOLEV_FUNCTION(atan)}},
        {"sinh", {SOBOLEV_FUNCTION(sinh)}},
        {"cosh", {SOBOLEV_FUNCTION(cosh)}},
        {"tanh", {SOBOLEV_FUNCTION(tanh)}},
        {"asinh", {SOBOLEV_FUNCTION(asinh)}},
        {"acosh", {SOBOLEV_FUNCTION(acosh), [](double u) { return u >= 1; }, "≥ 1"}},
        {"atanh",
         {SOBOLEV_FUNCTION(atanh), [](double u) { return std::abs(u) <= 1; }, "in (-1, 1)"}},
        {"exp", {SOBOLEV_FUNCTION(exp)}},
        {"log", {SOBOLEV_FUNCTION(log), [](double u) { return u >= 0; }, "> 0"}},
        {"abs",
         {[](const ex& u, bool) -> ex { return realAbs(u); },
          [](double u) { return std::abs(u); }}},
        // A power: no poles.
        {"sqrt",
         {[](const ex& u, bool) -> ex { return GiNaC::sqrt(u); },
          [](double u) { return std::sqrt(u); }, [](double u) { return u >= 0; }, "≥ 0"}},
    };
#undef SOBOLEV_FUNCTION
    return table;
}

std::string functionNames() {
    std::string names;
    for (const auto& [name, info] : functionTable())
        names += (names.empty() ? "" : ", ") + name;
    return names;
}

// log10 of the larger of a rational's numerator and denominator: its digits, 0 for 1.
double digitsOf(const GiNaC::numeric& n) {
    if (!n.is_crational())
        return 0; // a float: fixed size (literals are exact, so none is made here)
    if (!n.is_rational())
        return digitsOf(n.real()) + digitsOf(n.imag());
    const auto integerDigits = [](const GiNaC::numeric& k) {
        const long bits = k.int_length();
        return bits < 1000 ? std::log10(std::max(1.0, std::abs(k.to_double())))
                           : double(bits) * std::log10(2.0);
    };
    return std::max(integerDigits(n.numer()), integerDigits(n.denom()));
}

// The digits of the numbers that raising u to a power n multiplies n-fold, at most. GiNaC
// takes the numeric factor out of a product, (3x)^n = 3^n x^n, the common factor out of a
// sum, (6x + 9)^n = 3^n (2x + 3)^n, and multiplies the exponents of powers, so that
// ((2x + 2)^a)^n raises 2 to the power a n. Nothing else in u grows with n.
double raisedDigits(const GiNaC::ex& u) {
    using namespace GiNaC;
    if (is_a<numeric>(u))
        return digitsOf(ex_to<numeric>(u));
    if (is_a<mul>(u)) {
        double digits = 0;
        for (std::size_t i = 0; i < u.nops(); ++i)
            digits += raisedDigits(u.op(i));
        return digits;
    }
    if (is_a<power>(u) && is_a<numeric>(u.op(1)))
        return std::abs(ex_to<numeric>(u.op(1)).to_double()) * raisedDigits(u.op(0));
    if (is_a<add>(u)) {
        // The common factor of the coefficients c_i: a divisor of each numerator over a
        // divisor of the product of the denominators.
        double numerator = std::numeric_limits<double>::infinity(), denominators = 0;
        for (std::size_t i = 0; i < u.nops(); ++i) {
            const ex& term = u.op(i);
            numeric c = 1;
            if (is_a<numeric>(term))
                c = ex_to<numeric>(term);
            else if (is_a<mul>(term) && is_a<numeric>(term.op(term.nops() - 1)))
                c = ex_to<numeric>(term.op(term.nops() - 1));
            numerator = std::min(numerator, digitsOf(c.numer()));
            denominators += digitsOf(c.denom());
        }
        return std::max(numerator, denominators);
    }
    return 0;
}

// "about 30102999" digits, or "about 7e+09" beyond what a reader counts.
std::string digitsText(double digits) {
    std::ostringstream out;
    if (digits < 1e9)
        out << std::fixed << std::setprecision(0) << std::ceil(digits);
    else
        out << std::setprecision(1) << digits;
    return out.str();
}

// A part of the formula as read: the GiNaC expression and, for a part without x, its value
// as the evaluation programs compute it.
struct Part {
    GiNaC::ex e;
    std::optional<double> value; // set exactly when the part has no x
};

// A recursive-descent reader of the grammar in expression.h that builds the GiNaC expression.
// What GiNaC would do at once on building a part is bounded before it is asked: exact powers
// (boundPower()) and the constants are real (requireReal()), so that every accepted formula
// compiles in milliseconds.
class Reader {
  public:
    Reader(std::string_view text, const GiNaC::realsymbol& x) : m_text(text), m_x(x) {}

    GiNaC::ex read() {
        next();
        if (m_kind == End)
            throw FormulaError{"the formula is empty; type f(x), e.g. sin(3*x)*exp(-x^2)"};
        Part e = sum();
        if (m_kind != End)
            unexpected("an operator or the end");
        return e.e;
    }

  private:
    enum Kind { Number, Name, Plus, Minus, Times, Divide, Power, Open, Close, Comma, End };

    [[noreturn]] void unexpected(const std::string& expected) {
        if (m_kind == End)
            throw FormulaError{"unexpected end of input" + at(m_column) + "; expected " + expected};
        std::string message =
            "unexpected '" + m_token + "'" + at(m_column) + "; expected " + expected;
        if ((m_kind == Name || m_kind == Number || m_kind == Open) && m_previous == Number)
            message += " (write 2*x for a product)";
        throw FormulaError{message};
    }

    // The text typed from `start` (0-based) to the end of the last token read, shortened.
    std::string typed(std::size_t start) const {
        std::string text(m_text.substr(start, m_lastEnd > start ? m_lastEnd - start : 0));
        text.erase(std::remove_if(text.begin(), text.end(),
                                  [](unsigned char c) { return std::isspace(c); }),
                   text.end());
        return text.size() > 40 ? text.substr(0, 30) + "…" : text;
    }

    void next() {
        m_previous = m_kind;
        m_lastEnd = m_pos;
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
        m_column = m_pos + 1;
        if (m_pos >= m_text.size()) {
            m_kind = End;
            m_token.clear();
            return;
        }
        const std::size_t start = m_pos;
        const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
        if (std::isdigit(c) || (c == '.' && m_pos + 1 < m_text.size() &&
                                std::isdigit(static_cast<unsigned char>(m_text[m_pos + 1])))) {
            while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
                ++m_pos;
            if (m_pos < m_text.size() && m_text[m_pos] == '.')
                ++m_pos;
            while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
                ++m_pos;
            if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
                std::size_t p = m_pos + 1;
                if (p < m_text.size() && (m_text[p] == '+' || m_text[p] == '-'))
                    ++p;
                if (p < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[p]))) {
                    m_pos = p;
                    while (m_pos < m_text.size() &&
                           std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
                        ++m_pos;
                }
            }
            m_kind = Number;
        } else if (std::isalpha(c) || c == '_') {
            while (
                m_pos < m_text.size() &&
                (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
                ++m_pos;
            m_kind = Name;
        } else {
            ++m_pos;
            switch (c) {
            case '+':
                m_kind = Plus;
                break;
            case '-':
                m_kind = Minus;
                break;
            case '*':
                m_kind = Times;
                if (m_pos < m_text.size() && m_text[m_pos] == '*') {
                    ++m_pos;
                    m_kind = Power;
                }
                break;
            case '/':
                m_kind = Divide;
                break;
            case '^':
                m_kind = Power;
                break;
            case '(':
                m_kind = Open;
                break;
            case ')':
                m_kind = Close;
                break;
            case ',':
                m_kind = Comma;
                break;
            default:
                if (c < 0x20 || c >= 0x7f)
                    throw FormulaError{"unexpected character (byte " + std::to_string(int(c)) +
                                       ")" + at(m_column) +
                                       "; a formula uses x, numbers, + - * / ^, parentheses and "
                                       "functions"};
                throw FormulaError{"unexpected character '" + std::string(1, char(c)) + "'" +
                                   at(m_column) +
                                   "; a formula uses x, numbers, + - * / ^, parentheses and "
                                   "functions"};
            }
        }
        m_token = std::string(m_text.substr(start, m_pos - start));
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

    void enter() {
        if (++m_depth > maxNesting)
            throw FormulaError{"the formula nests deeper than " + std::to_string(maxNesting) +
                               " levels" + at(m_column)};
    }

    Part sum() {
        enter();
        Part e = product();
        while (m_kind == Plus || m_kind == Minus) {
            const bool minus = m_kind == Minus;
            const std::size_t column = m_column;
            next();
            const Part rhs = product();
            e.e = guarded(column, [&] { return minus ? e.e - rhs.e : e.e + rhs.e; });
            e.value = combine(e.value, rhs.value,
                              [&](double a, double b) { return minus ? a - b : a + b; });
        }
        --m_depth;
        return e;
    }

    Part product() {
        Part e = unary();
        while (m_kind == Times || m_kind == Divide) {
            const bool divide = m_kind == Divide;
            const std::size_t column = m_column;
            next();
            const Part rhs = unary();
            if (divide && GiNaC::is_a<GiNaC::numeric>(rhs.e) && rhs.e.is_zero())
                throw FormulaError{"division by zero" + at(column)};
            e.e = guarded(column, [&] { return divide ? e.e / rhs.e : e.e * rhs.e; });
            e.value = combine(e.value, rhs.value,
                              [&](double a, double b) { return divide ? a / b : a * b; });
        }
        return e;
    }

    static std::optional<double> combine(std::optional<double> a, std::optional<double> b,
                                         auto op) {
        if (a && b)
            return op(*a, *b);
        return std::nullopt;
    }

    Part unary() {
        if (m_kind == Minus || m_kind == Plus) {
            const bool minus = m_kind == Minus;
            enter();
            next();
            Part e = unary();
            --m_depth;
            if (minus) {
                e.e = -e.e;
                if (e.value)
                    e.value = -*e.value;
            }
            return e;
        }
        return power();
    }

    Part power() {
        const std::size_t start = m_column - 1;
        Part base = primary();
        if (m_kind != Power)
            return base;
        const std::size_t column = m_column;
        enter();
        next();
        const Part exponent = unary(); // right associative: x^2^3 = x^(2^3)
        --m_depth;
        checkPower(base.e, exponent.e, column);
        if (base.value && exponent.value && std::isfinite(*base.value) &&
            std::isfinite(*exponent.value) && *base.value < 0 &&
            *exponent.value != std::floor(*exponent.value))
            throw FormulaError{typed(start) +
                               " is not real: a negative number has real powers "
                               "only to whole exponents (column " +
                               std::to_string(column) + ")"};
        boundPower(base.e, exponent.e, start, column);
        Part result{guarded(column, [&] { return GiNaC::pow(base.e, exponent.e); }), std::nullopt};
        result.value =
            combine(base.value, exponent.value, [](double b, double p) { return std::pow(b, p); });
        return result;
    }

    // The limits on a power that concern its value, not its cost.
    void checkPower(const GiNaC::ex& base, const GiNaC::ex& exponent, std::size_t column) {
        // GiNaC takes numeric factors out of a power of a sum, (2x + 2)^n = 2^n (x + 1)^n, so
        // a huge n would make a huge number: exponents of x are bounded.
        if (!GiNaC::is_a<GiNaC::numeric>(base) && GiNaC::is_a<GiNaC::numeric>(exponent) &&
            !(std::abs(GiNaC::ex_to<GiNaC::numeric>(exponent).to_double()) <= maxPowerOfX))
            throw FormulaError{"exponent too large" + at(column) +
                               "; powers of expressions in x "
                               "are limited to exponents from -10000 to 10000"};
        if (GiNaC::is_a<GiNaC::numeric>(base) && base.is_zero() &&
            !GiNaC::is_a<GiNaC::numeric>(exponent))
            throw FormulaError{"0 to a power that is not a number is undefined" + at(column)};
        if (GiNaC::is_a<GiNaC::numeric>(base) && GiNaC::is_a<GiNaC::numeric>(exponent)) {
            // Exact powers of numbers are computed at once: bound them, so that 10^10^10 is an
            // error instead of a number with ten billion digits.
            const auto& b = GiNaC::ex_to<GiNaC::numeric>(base);
            const auto& p = GiNaC::ex_to<GiNaC::numeric>(exponent);
            if (!b.is_real() || !p.is_real())
                throw FormulaError{"complex numbers are not allowed" + at(column)};
            if (b.is_zero() && p.is_negative())
                throw FormulaError{"division by zero (0 to a negative power)" + at(column)};
            if (b.is_zero() && p.is_zero())
                throw FormulaError{"0^0 is undefined" + at(column)};
            const double magnitude =
                std::abs(p.to_double()) * std::abs(std::log10(std::abs(b.to_double())));
            if (!b.is_zero() && !(magnitude <= 300))
                throw FormulaError{"number too large" + at(column) +
                                   "; numbers are limited to 1e300"};
        }
    }

    // The cost of a power: GiNaC computes b^n exactly for a number b, and raises the numbers
    // it can take out of an expression u (raisedDigits()) to the power n; either makes
    // numbers of about |n| times as many digits. 1.0000001^1000000000 is below 1e300 but
    // has seven billion digits as a fraction, and ((2x + 2)^10000)^10000 is 2^100000000 times
    // a power of x + 1. Powers to exponents that are not numbers are kept as they are.
    void boundPower(const GiNaC::ex& base, const GiNaC::ex& exponent, std::size_t start,
                    std::size_t column) {
        if (!GiNaC::is_a<GiNaC::numeric>(exponent))
            return;
        const double digits =
            std::abs(GiNaC::ex_to<GiNaC::numeric>(exponent).to_double()) * raisedDigits(base);
        if (!(digits <= maxExactDigits))
            throw FormulaError{"power too large" + at(column) + ": " + typed(start) +
                               " would make exact numbers of about " + digitsText(digits) +
                               " digits; a power may make at most " + digitsText(maxExactDigits)};
    }

    // A function of a constant must be real where it is computed: GiNaC would otherwise carry
    // acos(6) as a complex number into everything built on it.
    void requireReal(const std::string& name, const FunctionInfo& info, double argument,
                     std::size_t start, std::size_t column) const {
        if (info.real && std::isfinite(argument) && !info.real(argument))
            throw FormulaError{typed(start) + " is not real: " + name + " needs an argument " +
                               info.domain + " (column " + std::to_string(column) + ")"};
    }

    Part primary() {
        const std::size_t column = m_column;
        if (m_kind == Number) {
            const GiNaC::ex n = number(m_token, column);
            next();
            return {n, GiNaC::ex_to<GiNaC::numeric>(n).to_double()};
        }
        if (m_kind == Open) {
            enter();
            next();
            Part e = sum();
            if (m_kind != Close)
                unexpected("')' to close the '(' at column " + std::to_string(column));
            --m_depth;
            next();
            return e;
        }
        if (m_kind != Name)
            unexpected("a number, x, a function or '('");
        const std::string name = m_token;
        next();
        const auto fn = functionTable().find(name);
        if (fn != functionTable().end())
            return call(name, fn->second, column);
        if (m_kind == Open)
            throw FormulaError{"unknown function '" + name + "'" + at(column) +
                               " (functions: " + functionNames() + ")"};
        if (name == "x")
            return {m_x, std::nullopt};
        if (name == "pi" || name == "Pi")
            return {GiNaC::Pi, std::numbers::pi};
        if (name == "e")
            return {GiNaC::exp(GiNaC::ex(1)), std::numbers::e};
        throw FormulaError{"unknown name '" + name + "' (the variable is x)" + at(column)};
    }

    // name(argument), the name read.
    Part call(const std::string& name, const FunctionInfo& info, std::size_t column) {
        if (m_kind != Open)
            throw FormulaError{"'" + name + "'" + at(column) + " is a function: write " + name +
                               "(...)"};
        enter();
        const std::size_t open = m_column;
        next();
        const Part argument = sum();
        if (m_kind == Comma)
            throw FormulaError{"'" + name + "' takes one argument; got a second one" +
                               at(m_column)};
        if (m_kind != Close)
            unexpected("')' to close the '(' at column " + std::to_string(open));
        --m_depth;
        next();
        if (argument.value)
            requireReal(name, info, *argument.value, column - 1, column);
        Part result{guarded(column, [&] { return info.make(argument.e, bool(argument.value)); }),
                    std::nullopt};
        if (argument.value)
            result.value = info.value(*argument.value);
        return result;
    }

    // A decimal literal as an exact rational: 2.5 = 25/10, 1e-3 = 1/1000.
    GiNaC::ex number(const std::string& token, std::size_t column) {
        std::string digits;
        int scale = 0;
        bool fraction = false;
        std::size_t i = 0;
        for (; i < token.size() && token[i] != 'e' && token[i] != 'E'; ++i) {
            if (token[i] == '.') {
                fraction = true;
                continue;
            }
            digits += token[i];
            if (fraction)
                --scale;
        }
        if (i < token.size()) {
            const std::string exponent = token.substr(i + 1);
            if (exponent.size() > 5)
                throw FormulaError{"number too large" + at(column) +
                                   "; numbers are limited to 1e300"};
            scale += std::stoi(exponent);
        }
        const std::size_t first = digits.find_first_not_of('0');
        digits = first == std::string::npos ? "0" : digits.substr(first);
        if (digits.size() > std::size_t(maxLiteralDigits) ||
            (digits != "0" && std::abs(scale + int(digits.size())) > maxLiteralExponent) ||
            std::abs(scale) > 2 * maxLiteralExponent)
            throw FormulaError{"number out of range" + at(column) +
                               "; numbers are limited to 1e-300 to 1e300 and 300 digits"};
        GiNaC::numeric value(digits.c_str());
        value = value * GiNaC::numeric(10).power(scale);
        return value;
    }

    std::string_view m_text;
    const GiNaC::realsymbol& m_x;
    std::size_t m_pos = 0, m_column = 1, m_lastEnd = 0;
    Kind m_kind = End, m_previous = End;
    std::string m_token;
    int m_depth = 0;
};

using Op = CompiledFormula::Op;
using Program = CompiledFormula::Program;

// A text for `e` that does not depend on GiNaC's internal order: the operands of sums and
// products sorted. Only for ordering; never shown.
// canonical() of the subexpressions of the formula being compiled, by node. Each entry holds
// its expression, so that no node in the memo dies and lends its address to another (op() of
// a sum or product makes temporary nodes). compile() holds the GiNaC lock and clears it.
using CanonicalMemo = std::unordered_map<const GiNaC::basic*, std::pair<GiNaC::ex, std::string>>;
CanonicalMemo& canonicalMemo() {
    static CanonicalMemo memo;
    return memo;
}

std::string canonical(const GiNaC::ex& e) {
    using namespace GiNaC;
    const basic* node = &ex_to<basic>(e);
    if (const auto hit = canonicalMemo().find(node); hit != canonicalMemo().end())
        return hit->second.second;
    std::string text;
    if (is_a<add>(e) || is_a<mul>(e) || is_a<power>(e) || is_a<function>(e)) {
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < e.nops(); ++i)
            parts.push_back(canonical(e.op(i)));
        if (!is_a<power>(e) && !is_a<function>(e))
            std::sort(parts.begin(), parts.end());
        text = is_a<add>(e)     ? "+"
               : is_a<mul>(e)   ? "*"
               : is_a<power>(e) ? "^"
                                : ex_to<function>(e).get_name();
        text += "(";
        for (const std::string& p : parts)
            text += p + ",";
        text += ")";
    } else {
        std::ostringstream out;
        out << e;
        text = out.str();
    }
    canonicalMemo().emplace(node, std::pair{e, text});
    return text;
}

struct Compiler {
    Program program;
    int depth = 0;

    void push(Op op, int popped) {
        program.ops.push_back(op);
        depth += 1 - popped;
        program.stackSize = std::max(program.stackSize, depth);
    }

    void emit(const GiNaC::ex& e) {
        using namespace GiNaC;
        if (is_a<numeric>(e)) {
            const numeric& n = ex_to<numeric>(e);
            if (!n.is_real())
                throw FormulaError{"the formula takes complex values (such as sqrt(-1))"};
            push({Op::Const, 0, n.to_double()}, 0);
        } else if (is_a<constant>(e)) {
            push({Op::Const, 0, ex_to<numeric>(e.evalf()).to_double()}, 0);
        } else if (is_a<symbol>(e)) {
            push({Op::X}, 0);
        } else if (is_a<add>(e) || is_a<mul>(e)) {
            // Operands in a canonical order, not GiNaC's hash order, so that the same formula
            // always sums and multiplies in the same order: the values are then the same to
            // the bit in every process.
            std::vector<std::pair<std::string, ex>> operands;
            for (std::size_t i = 0; i < e.nops(); ++i)
                operands.emplace_back(canonical(e.op(i)), e.op(i));
            std::stable_sort(operands.begin(), operands.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& operand : operands)
                emit(operand.second);
            const int n = int(e.nops());
            push({is_a<add>(e) ? Op::Add : Op::Mul, n}, n);
        } else if (is_a<power>(e)) {
            const ex& exponent = e.op(1);
            emit(e.op(0));
            if (exponent.info(info_flags::integer) &&
                std::abs(ex_to<numeric>(exponent).to_double()) <= 1e6) {
                push({Op::IntPow, ex_to<numeric>(exponent).to_int()}, 1);
            } else if (exponent.is_equal(numeric(1, 2))) {
                push({Op::Sqrt}, 1);
            } else if (exponent.is_equal(numeric(-1, 2))) {
                push({Op::Sqrt}, 1);
                push({Op::IntPow, -1}, 1);
            } else {
                emit(exponent);
                push({Op::Pow}, 2);
            }
        } else if (is_a<function>(e)) {
            static const std::map<std::string, Op::Code> codes{
                {"sin", Op::Sin},     {"cos", Op::Cos},     {"tan", Op::Tan},
                {"asin", Op::Asin},   {"acos", Op::Acos},   {"atan", Op::Atan},
                {"sinh", Op::Sinh},   {"cosh", Op::Cosh},   {"tanh", Op::Tanh},
                {"asinh", Op::Asinh}, {"acosh", Op::Acosh}, {"atanh", Op::Atanh},
                {"exp", Op::Exp},     {"log", Op::Log},     {"abs", Op::Abs},
                {"csgn", Op::Sign}};
            const std::string name = ex_to<function>(e).get_name();
            const auto code = codes.find(name);
            if (code == codes.end() || e.nops() != 1)
                throw FormulaError{"cannot evaluate the function " + name};
            emit(e.op(0));
            push({code->second}, 1);
        } else {
            std::ostringstream text;
            text << e;
            throw FormulaError{"cannot evaluate " + text.str()};
        }
    }
};

// Runs `program` at x. With Check, `problem` receives the first operation whose result is not
// finite from finite operands.
enum class Mode { Fast, Check };
template <Mode mode>
double run(const Program& program, double x, double* stack, std::string* problem = nullptr) {
    int top = -1; // index of the top of the stack
    auto flag = [&](const char* what) {
        if constexpr (mode == Mode::Check)
            if (problem->empty())
                *problem = what;
    };
    for (const Op& op : program.ops) {
        double r = 0;
        switch (op.code) {
        case Op::Const:
            stack[++top] = op.value;
            continue;
        case Op::X:
            stack[++top] = x;
            continue;
        case Op::Add: {
            // From the first operand, not from 0: 0 + (-0) would turn a -0 into +0.
            const int first = top - op.n + 1;
            r = stack[first];
            bool finite = std::isfinite(r);
            for (int i = first + 1; i <= top; ++i) {
                finite = finite && std::isfinite(stack[i]);
                r += stack[i];
            }
            top -= op.n - 1;
            if (mode == Mode::Check && finite && !std::isfinite(r))
                flag("overflow");
            stack[top] = r;
            continue;
        }
        case Op::Mul: {
            // From the first operand, not from 1: 0 + (-0) would turn a -0 into +0.
            const int first = top - op.n + 1;
            r = stack[first];
            bool finite = std::isfinite(r);
            for (int i = first + 1; i <= top; ++i) {
                finite = finite && std::isfinite(stack[i]);
                r *= stack[i];
            }
            top -= op.n - 1;
            if (mode == Mode::Check && finite && !std::isfinite(r))
                flag("overflow");
            stack[top] = r;
            continue;
        }
        case Op::Pow: {
            const double b = stack[top - 1], p = stack[top];
            r = std::pow(b, p);
            --top;
            if (mode == Mode::Check && std::isfinite(b) && std::isfinite(p) && !std::isfinite(r))
                flag(b == 0  ? "division by zero"
                     : b < 0 ? "non-integer power of a negative number"
                             : "overflow");
            stack[top] = r;
            continue;
        }
        default:
            break;
        }
        const double u = stack[top];
        switch (op.code) {
        case Op::IntPow:
            // u^k by std::pow, except the square, which is u*u as the reference Runge has it.
            r = op.n == 2 ? u * u : op.n == -1 ? 1.0 / u : std::pow(u, double(op.n));
            if (mode == Mode::Check && std::isfinite(u) && !std::isfinite(r))
                flag(u == 0 ? "division by zero" : "overflow");
            break;
        case Op::Sqrt:
            r = std::sqrt(u);
            if (u < 0)
                flag("square root of a negative number");
            break;
        case Op::Sin:
            r = std::sin(u);
            break;
        case Op::Cos:
            r = std::cos(u);
            break;
        case Op::Tan:
            r = std::tan(u);
            break;
        case Op::Asin:
            r = std::asin(u);
            if (std::abs(u) > 1)
                flag("asin of a number outside [-1, 1]");
            break;
        case Op::Acos:
            r = std::acos(u);
            if (std::abs(u) > 1)
                flag("acos of a number outside [-1, 1]");
            break;
        case Op::Atan:
            r = std::atan(u);
            break;
        case Op::Sinh:
            r = std::sinh(u);
            break;
        case Op::Cosh:
            r = std::cosh(u);
            break;
        case Op::Tanh:
            r = std::tanh(u);
            break;
        case Op::Asinh:
            r = std::asinh(u);
            break;
        case Op::Acosh:
            r = std::acosh(u);
            if (u < 1)
                flag("acosh of a number below 1");
            break;
        case Op::Atanh:
            r = std::atanh(u);
            if (std::abs(u) >= 1)
                flag(std::abs(u) == 1 ? "atanh of 1 or -1" : "atanh of a number outside (-1, 1)");
            break;
        case Op::Exp:
            r = std::exp(u);
            break;
        case Op::Log:
            r = std::log(u);
            if (u == 0)
                flag("logarithm of 0");
            else if (u < 0)
                flag("logarithm of a negative number");
            break;
        case Op::Abs:
            r = std::abs(u);
            break;
        case Op::Sign:
            r = u > 0 ? 1.0 : u < 0 ? -1.0 : 0.0; // csgn(0) = 0
            break;
        default:
            break;
        }
        if (mode == Mode::Check && std::isfinite(u) && !std::isfinite(r))
            flag("overflow");
        stack[top] = r;
    }
    return stack[0];
}

template <Mode mode>
double runWithStack(const Program& program, double x, std::string* problem = nullptr) {
    if (program.stackSize <= 64) {
        std::array<double, 64> stack;
        return run<mode>(program, x, stack.data(), problem);
    }
    std::vector<double> stack(std::size_t(program.stackSize));
    return run<mode>(program, x, stack.data(), problem);
}

// f or f' as text in the canonical operand order (see canonical()), so that the same formula
// reads the same in every process: "3*x^2", "sign(x)", "-2*x*exp(-x^2)*sin(3*x)+...".
std::string plain(const GiNaC::ex& e) {
    using namespace GiNaC;
    auto sorted = [](const ex& e) {
        std::vector<std::pair<std::string, ex>> operands;
        for (std::size_t i = 0; i < e.nops(); ++i)
            operands.emplace_back(canonical(e.op(i)), e.op(i));
        std::stable_sort(operands.begin(), operands.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        return operands;
    };
    if (is_a<add>(e)) {
        std::string text;
        for (const auto& [key, term] : sorted(e)) {
            const std::string t = plain(term);
            text += text.empty() || t.front() == '-' ? t : "+" + t;
        }
        return text;
    }
    if (is_a<mul>(e)) {
        std::string coefficient, factors;
        for (const auto& [key, factor] : sorted(e)) {
            if (is_a<numeric>(factor)) {
                coefficient = plain(factor);
                continue;
            }
            const std::string f = plain(factor);
            factors += (factors.empty() ? "" : "*") + (is_a<add>(factor) ? "(" + f + ")" : f);
        }
        if (coefficient == "-1")
            return "-" + factors;
        if (coefficient.empty())
            return factors;
        return coefficient + "*" + factors;
    }
    if (is_a<power>(e)) {
        const ex& base = e.op(0);
        const ex& exponent = e.op(1);
        std::string b = plain(base), p = plain(exponent);
        const bool simpleBase = is_a<symbol>(base) || is_a<function>(base) ||
                                is_a<constant>(base) ||
                                (is_a<numeric>(base) && ex_to<numeric>(base).is_pos_integer());
        if (!simpleBase)
            b = "(" + b + ")";
        const bool simpleExponent =
            is_a<symbol>(exponent) ||
            (is_a<numeric>(exponent) && ex_to<numeric>(exponent).is_pos_integer());
        if (!simpleExponent)
            p = "(" + p + ")";
        return b + "^" + p;
    }
    if (is_a<function>(e)) {
        std::string name = ex_to<function>(e).get_name();
        if (name == "csgn")
            name = "sign";
        std::string text = name + "(";
        for (std::size_t i = 0; i < e.nops(); ++i)
            text += (i ? "," : "") + plain(e.op(i));
        return text + ")";
    }
    std::ostringstream out;
    out << e;
    return out.str();
}

std::string printed(const GiNaC::ex& e, bool latex) {
    std::ostringstream out;
    if (latex)
        out << GiNaC::latex << e;
    else
        out << e;
    std::string s = out.str();
    for (const std::string from : {"\\mbox{csgn}", "csgn"}) {
        const std::string to = latex ? "\\operatorname{sign}" : "sign";
        for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
            s.replace(p, from.size(), to);
    }
    return s;
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
        // differently depending on what was compiled before (emit() also sorts, see there).
        static const GiNaC::realsymbol& x = *new GiNaC::realsymbol("x");
        canonicalMemo().clear();
        const GiNaC::ex f = Reader(text, x).read();
        const GiNaC::ex fprime = f.diff(x);
        auto formula = std::shared_ptr<CompiledFormula>(new CompiledFormula);
        formula->m_text = std::string(text);
        formula->m_formula = plain(f);
        formula->m_derivative = plain(fprime);
        formula->m_latex = printed(f, true);
        formula->m_derivativeLatex = printed(fprime, true);
        Compiler cf, cd;
        cf.emit(f);
        cd.emit(fprime);
        formula->m_f = std::move(cf.program);
        formula->m_fprime = std::move(cd.program);
        canonicalMemo().clear(); // the nodes die with f and fprime
        if (cache.size() > 1000)
            cache.clear();
        cache.emplace(std::string(text), formula);
        return formula;
    } catch (const FormulaError& e) {
        canonicalMemo().clear();
        *error = e.message;
    } catch (const std::exception& e) {
        canonicalMemo().clear();
        *error = std::string("the formula cannot be processed: ") + e.what();
    }
    return nullptr;
}

double CompiledFormula::f(double x) const {
    return runWithStack<Mode::Fast>(m_f, x);
}

double CompiledFormula::fprime(double x) const {
    return runWithStack<Mode::Fast>(m_fprime, x);
}

namespace {

// The program over a block of `count` points at once: one dispatch per operation and block
// instead of per point, and loops the compiler can vectorise. Every point sees the same
// operations in the same order as in run(), so the values are the same to the bit.
constexpr std::size_t block = 256;

void runBlock(const Program& program, const double* x, std::size_t count, double* out,
              std::vector<double>& stack) {
    int top = -1;
    auto row = [&](int i) { return stack.data() + std::size_t(i) * block; };
    for (const Op& op : program.ops) {
        switch (op.code) {
        case Op::Const: {
            double* r = row(++top);
            std::fill(r, r + count, op.value);
            continue;
        }
        case Op::X:
            std::copy(x, x + count, row(++top));
            continue;
        case Op::Add:
        case Op::Mul: {
            // r = ((s_0 op s_1) op s_2) ...: the order of run().
            const int first = top - op.n + 1;
            double* r = row(first);
            for (int k = first + 1; k <= top; ++k) {
                const double* s = row(k);
                if (op.code == Op::Add)
                    for (std::size_t i = 0; i < count; ++i)
                        r[i] += s[i];
                else
                    for (std::size_t i = 0; i < count; ++i)
                        r[i] *= s[i];
            }
            top = first;
            continue;
        }
        case Op::Pow: {
            double* b = row(top - 1);
            const double* p = row(top);
            for (std::size_t i = 0; i < count; ++i)
                b[i] = std::pow(b[i], p[i]);
            --top;
            continue;
        }
        default:
            break;
        }
        double* u = row(top);
        auto apply = [&](auto fn) {
            for (std::size_t i = 0; i < count; ++i)
                u[i] = fn(u[i]);
        };
        switch (op.code) {
        case Op::IntPow:
            if (op.n == 2)
                apply([](double v) { return v * v; });
            else if (op.n == -1)
                apply([](double v) { return 1.0 / v; });
            else
                apply([k = double(op.n)](double v) { return std::pow(v, k); });
            break;
        case Op::Sqrt:
            apply([](double v) { return std::sqrt(v); });
            break;
        case Op::Sin:
            apply([](double v) { return std::sin(v); });
            break;
        case Op::Cos:
            apply([](double v) { return std::cos(v); });
            break;
        case Op::Tan:
            apply([](double v) { return std::tan(v); });
            break;
        case Op::Asin:
            apply([](double v) { return std::asin(v); });
            break;
        case Op::Acos:
            apply([](double v) { return std::acos(v); });
            break;
        case Op::Atan:
            apply([](double v) { return std::atan(v); });
            break;
        case Op::Sinh:
            apply([](double v) { return std::sinh(v); });
            break;
        case Op::Cosh:
            apply([](double v) { return std::cosh(v); });
            break;
        case Op::Tanh:
            apply([](double v) { return std::tanh(v); });
            break;
        case Op::Asinh:
            apply([](double v) { return std::asinh(v); });
            break;
        case Op::Acosh:
            apply([](double v) { return std::acosh(v); });
            break;
        case Op::Atanh:
            apply([](double v) { return std::atanh(v); });
            break;
        case Op::Exp:
            apply([](double v) { return std::exp(v); });
            break;
        case Op::Log:
            apply([](double v) { return std::log(v); });
            break;
        case Op::Abs:
            apply([](double v) { return std::abs(v); });
            break;
        case Op::Sign:
            apply([](double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; });
            break;
        default:
            break;
        }
    }
    std::copy(row(0), row(0) + count, out);
}

} // namespace

void CompiledFormula::evaluate(const double* x, double* f, double* fprime, std::size_t n) const {
    std::vector<double> stack(std::size_t(std::max(m_f.stackSize, m_fprime.stackSize)) * block);
    for (std::size_t start = 0; start < n; start += block) {
        const std::size_t count = std::min(block, n - start);
        runBlock(m_f, x + start, count, f + start, stack);
        runBlock(m_fprime, x + start, count, fprime + start, stack);
    }
}

std::optional<std::string> CompiledFormula::problemAt(double x, bool derivative) const {
    std::string problem;
    const double v = runWithStack<Mode::Check>(derivative ? m_fprime : m_f, x, &problem);
    if (std::isfinite(v))
        return std::nullopt;
    return problem.empty() ? std::string("not a finite number") : problem;
}

} // namespace sobolev
