// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>

namespace GiNaC {
class ex;
class realsymbol;
} // namespace GiNaC

namespace sobolev::formula {

struct Node;

// The GiNaC expression of `formula`, read by parse() from `text`, in the real symbol x. What
// GiNaC would do at once on building a part is bounded before it is asked (bounds.h), and the
// functions of constants are real (ops.h), so that every accepted formula compiles in
// milliseconds. Throws FormulaError (error.h) naming the part and its column. Callers hold
// the GiNaC lock.
GiNaC::ex build(const Node& formula, std::string_view text, const GiNaC::realsymbol& x);

} // namespace sobolev::formula
