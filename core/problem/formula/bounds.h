// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace GiNaC {
class ex;
}

namespace sobolev::formula {

// GiNaC computes a power at once when it is made: b^n exactly for a number b, and the numbers
// it can take out of an expression raised to n. These bound such a power before GiNaC is
// asked, so that every accepted formula compiles in milliseconds. Both throw FormulaError.

// The limits on a power base^exponent that concern its value, not its cost: exponents of
// expressions in x, 0 to a power, complex numbers, numbers beyond 1e300. `column`: the '^'.
void checkPower(const GiNaC::ex& base, const GiNaC::ex& exponent, std::size_t column);

// The cost of a power: the digits of the exact numbers it would make, at most 10,000.
// `typed` gives the power as typed, for the message.
void boundPower(const GiNaC::ex& base, const GiNaC::ex& exponent, std::size_t column,
                const std::function<std::string()>& typed);

} // namespace sobolev::formula
