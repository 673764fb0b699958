// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace GiNaC {
class ex;
}

namespace sobolev::formula {

class CanonicalOrder;

// f or f' as text in the canonical operand order (canonical.h), so that the same formula
// reads the same in every process: "3*x^2", "sign(x)", "-2*x*exp(-x^2)*sin(3*x)+...".
std::string plainText(const GiNaC::ex& e, CanonicalOrder& order);

// f or f' as LaTeX, GiNaC's csgn written as sign.
std::string latexText(const GiNaC::ex& e);

} // namespace sobolev::formula
