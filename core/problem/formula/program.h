// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sobolev::formula {

// One step of an evaluation program, a stack machine in postfix order.
struct Op {
    enum Code : unsigned char { Const, X, Add, Mul, IntPow, Pow, Function } code;
    int n = 0;        // Add, Mul: operands; IntPow: the exponent; Function: its index in functions
    double value = 0; // Const
};

// f or f' compiled (compiler.h), run without GiNaC.
struct Program {
    std::vector<Op> ops;
    int stackSize = 0;
};

// The program's value at x.
double valueAt(const Program& program, double x);

// The program's value at x; when it is not finite, `problem` receives what made it so: the
// first operation whose result is not finite from finite operands ("division by zero",
// "logarithm of a negative number", "overflow", ...), or stays empty.
double checkAt(const Program& program, double x, std::string* problem);

// f and f' at n points: the programs run over blocks of points at once, with the same values
// to the bit as valueAt().
void evaluate(const Program& f, const Program& fprime, const double* x, double* fOut,
              double* fprimeOut, std::size_t n);

} // namespace sobolev::formula
