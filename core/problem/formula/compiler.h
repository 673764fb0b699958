// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/problem/formula/program.h"

namespace GiNaC {
class ex;
}

namespace sobolev::formula {

class CanonicalOrder;

// The evaluation program of `e`, an expression in x made by build() or its derivative.
// Operands of sums and products go in `order`, not GiNaC's hash order, so that the same
// formula always sums and multiplies in the same order: its values are then the same to the
// bit in every process. Throws FormulaError (error.h) for what the programs cannot evaluate.
Program compileProgram(const GiNaC::ex& e, CanonicalOrder& order);

} // namespace sobolev::formula
