// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <string_view>

namespace GiNaC {
class ex;
}

namespace sobolev::formula {

// A function of one argument that a formula may use. The table `functions` below is the one
// place a function is added: the parser reads its name, buildFunction() makes it in GiNaC
// (which differentiates it), the compiler finds it by its GiNaC name in f and f', and the
// evaluation programs compute `value` and name what is not finite.
struct Function {
    enum class Ginac : unsigned char {
        Function,   // GiNaC's function named ginacName
        SquareRoot, // GiNaC's sqrt(u), which is the power u^(1/2)
        RealAbs,    // |u| for a real u (ops.cpp says why not GiNaC's abs)
    };
    std::string_view name{};      // as typed; empty for a function only derivatives make
    std::string_view ginacName{}; // as GiNaC names it in f and f'; empty for a power
    Ginac ginac = Ginac::Function;
    double (*value)(double) = nullptr;
    // The arguments the value is real for (null: every real one), checked on constant
    // arguments before GiNaC is asked: it would carry acos(6) as a complex number into
    // everything built on it. The domain leaves out only what makes a value not real; log(0)
    // and atanh(1) are infinite, which `problem` names.
    bool (*real)(double) = nullptr;
    std::string_view domain = ""; // the arguments `real` accepts, for messages
    // Why the value at u is not finite, e.g. "logarithm of 0"; null (or nullptr returned)
    // when only an overflow can make it so.
    const char* (*problem)(double u) = nullptr;
};

using Ginac = Function::Ginac;

inline constexpr std::array functions{
    Function{.name = "sin", .ginacName = "sin", .value = [](double u) { return std::sin(u); }},
    Function{.name = "cos", .ginacName = "cos", .value = [](double u) { return std::cos(u); }},
    Function{.name = "tan", .ginacName = "tan", .value = [](double u) { return std::tan(u); }},
    Function{.name = "asin",
             .ginacName = "asin",
             .value = [](double u) { return std::asin(u); },
             .real = [](double u) { return std::abs(u) <= 1; },
             .domain = "in [-1, 1]",
             .problem = [](double u) -> const char* {
                 return std::abs(u) > 1 ? "asin of a number outside [-1, 1]" : nullptr;
             }},
    Function{.name = "acos",
             .ginacName = "acos",
             .value = [](double u) { return std::acos(u); },
             .real = [](double u) { return std::abs(u) <= 1; },
             .domain = "in [-1, 1]",
             .problem = [](double u) -> const char* {
                 return std::abs(u) > 1 ? "acos of a number outside [-1, 1]" : nullptr;
             }},
    Function{.name = "atan", .ginacName = "atan", .value = [](double u) { return std::atan(u); }},
    Function{.name = "sinh", .ginacName = "sinh", .value = [](double u) { return std::sinh(u); }},
    Function{.name = "cosh", .ginacName = "cosh", .value = [](double u) { return std::cosh(u); }},
    Function{.name = "tanh", .ginacName = "tanh", .value = [](double u) { return std::tanh(u); }},
    Function{
        .name = "asinh", .ginacName = "asinh", .value = [](double u) { return std::asinh(u); }},
    Function{.name = "acosh",
             .ginacName = "acosh",
             .value = [](double u) { return std::acosh(u); },
             .real = [](double u) { return u >= 1; },
             .domain = "≥ 1",
             .problem = [](double u) -> const char* {
                 return u < 1 ? "acosh of a number below 1" : nullptr;
             }},
    Function{.name = "atanh",
             .ginacName = "atanh",
             .value = [](double u) { return std::atanh(u); },
             .real = [](double u) { return std::abs(u) <= 1; },
             .domain = "in (-1, 1)",
             .problem = [](double u) -> const char* {
                 return std::abs(u) == 1  ? "atanh of 1 or -1"
                        : std::abs(u) > 1 ? "atanh of a number outside (-1, 1)"
                                          : nullptr;
             }},
    Function{.name = "exp", .ginacName = "exp", .value = [](double u) { return std::exp(u); }},
    Function{.name = "log",
             .ginacName = "log",
             .value = [](double u) { return std::log(u); },
             .real = [](double u) { return u >= 0; },
             .domain = "> 0",
             .problem = [](double u) -> const char* {
                 return u == 0  ? "logarithm of 0"
                        : u < 0 ? "logarithm of a negative number"
                                : nullptr;
             }},
    Function{.name = "sqrt",
             .ginac = Ginac::SquareRoot,
             .value = [](double u) { return std::sqrt(u); },
             .real = [](double u) { return u >= 0; },
             .domain = "≥ 0",
             .problem = [](double u) -> const char* {
                 return u < 0 ? "square root of a negative number" : nullptr;
             }},
    Function{.name = "abs",
             .ginacName = "abs",
             .ginac = Ginac::RealAbs,
             .value = [](double u) { return std::abs(u); }},
    // |u|' = sign(u) u', which GiNaC writes csgn(u); printed as sign.
    Function{.ginacName = "csgn",
             .value = [](double u) { return u > 0   ? 1.0
                                            : u < 0 ? -1.0
                                                    : 0.0; }}, // csgn(0) = 0
};

// The index in `functions` of the function typed as `name`, or -1.
int typedFunction(std::string_view name);
// The index in `functions` of the function GiNaC names `name` in f or f', or -1.
int ginacFunction(std::string_view name);
// The index in `functions` of sqrt, which GiNaC writes as a power.
int squareRoot();
// "abs, acos, ...": the names a formula may use, for messages.
std::string functionNames();

// functions[index] of u in GiNaC. With `hold` (for a constant u) the function is made but not
// evaluated: GiNaC throws from inside its evaluation at poles such as log(0) or tan(pi/2)
// and leaks memory when it does, so its value is left to the evaluation programs (which name
// the problem, "logarithm of 0", at every x).
GiNaC::ex buildFunction(int index, const GiNaC::ex& u, bool hold);

} // namespace sobolev::formula
