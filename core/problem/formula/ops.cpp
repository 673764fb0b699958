// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/ops.h"

#include <ginac/ginac.h>

#include <algorithm>
#include <vector>

namespace sobolev::formula {

namespace {

// |u| for a real u. GiNaC's own abs() takes u as complex: it simplifies |b^u| to b^Re(u) and
// differentiates |u| through conj(u), so on powers such as 2^(x^x) or 8^51^-x^c^-50 it builds
// real and imaginary parts, binomial expansions of c^-50 and atan2 terms that it can neither
// evaluate nor, for larger exponents, finish building. In a formula that is accepted every
// part is real (x is, and the builder checks that the constants are), so |u|' = sign(u) u',
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

int findFunction(auto matches) {
    const auto found = std::find_if(functions.begin(), functions.end(), matches);
    return found == functions.end() ? -1 : int(found - functions.begin());
}

} // namespace

int typedFunction(std::string_view name) {
    return findFunction([&](const Function& f) { return !f.name.empty() && f.name == name; });
}

int ginacFunction(std::string_view name) {
    return findFunction(
        [&](const Function& f) { return f.ginac != Ginac::SquareRoot && f.ginacName == name; });
}

int squareRoot() {
    return findFunction([](const Function& f) { return f.ginac == Ginac::SquareRoot; });
}

std::string functionNames() {
    std::vector<std::string_view> names;
    for (const Function& f : functions)
        if (!f.name.empty())
            names.push_back(f.name);
    std::sort(names.begin(), names.end());
    std::string text;
    for (const std::string_view name : names)
        text += (text.empty() ? "" : ", ") + std::string(name);
    return text;
}

GiNaC::ex buildFunction(int index, const GiNaC::ex& u, bool hold) {
    const Function& f = functions[std::size_t(index)];
    switch (f.ginac) {
    case Ginac::SquareRoot:
        return GiNaC::sqrt(u); // a power: no poles
    case Ginac::RealAbs:
        return realAbs(u);
    case Ginac::Function:
        break;
    }
    // What GiNaC's sin(u) and the like make: its function of that name and one argument. The
    // serial is looked up once; callers hold the GiNaC lock.
    static std::vector<unsigned> serials(functions.size(), ~0u);
    unsigned& serial = serials[std::size_t(index)];
    if (serial == ~0u)
        serial = GiNaC::function::find_function(std::string(f.ginacName), 1);
    GiNaC::function call(serial, u);
    return hold ? GiNaC::ex(call.hold()) : GiNaC::ex(call);
}

} // namespace sobolev::formula
