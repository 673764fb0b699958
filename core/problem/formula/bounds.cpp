// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/bounds.h"

#include "core/problem/formula/error.h"

#include <ginac/ginac.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace sobolev::formula {

namespace {

constexpr double maxPowerOfX = 10000;
// The decimal digits of the exact numbers one power may make (see boundPower()).
constexpr double maxExactDigits = 10000;

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

} // namespace

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
            throw FormulaError{"number too large" + at(column) + "; numbers are limited to 1e300"};
    }
}

// GiNaC computes b^n exactly for a number b, and raises the numbers it can take out of an
// expression u (raisedDigits()) to the power n; either makes numbers of about |n| times as
// many digits. 1.0000001^1000000000 is below 1e300 but has seven billion digits as a
// fraction, and ((2x + 2)^10000)^10000 is 2^100000000 times a power of x + 1. Powers to
// exponents that are not numbers are kept as they are.
void boundPower(const GiNaC::ex& base, const GiNaC::ex& exponent, std::size_t column,
                const std::function<std::string()>& typed) {
    if (!GiNaC::is_a<GiNaC::numeric>(exponent))
        return;
    const double digits =
        std::abs(GiNaC::ex_to<GiNaC::numeric>(exponent).to_double()) * raisedDigits(base);
    if (!(digits <= maxExactDigits))
        throw FormulaError{"power too large" + at(column) + ": " + typed() +
                           " would make exact numbers of about " + digitsText(digits) +
                           " digits; a power may make at most " + digitsText(maxExactDigits)};
}

} // namespace sobolev::formula
