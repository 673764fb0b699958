// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/program.h"

#include "core/problem/formula/ops.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>
#include <utility>

namespace sobolev::formula {

namespace {

// Fast computes values; Check also names the first operation whose result is not finite from
// finite operands. Check runs at one point only.
enum class Mode { Fast, Check };

// The machine's stack for `count` points at once: row k holds the k-th stack entry of every
// point. The point evaluator runs with count a compile-time 1, so that every loop below is
// plain scalar code; the block evaluator with up to `block` points, one dispatch per operation
// and block and loops the compiler can vectorise. Both run the same code per operation, so
// every point sees the same operations in the same order: the values are the same to the bit.
template <typename Count> struct Lanes {
    double* stack;
    std::size_t stride;
    Count count;
    double* row(int k) const { return stack + std::size_t(k) * stride; }
};
using OnePoint = std::integral_constant<std::size_t, 1>;
constexpr std::size_t block = 256;

void flag(std::string* problem, const char* what) {
    if (problem->empty())
        *problem = what;
}

// s_first + s_first+1 + ... + s_top (or the product) into s_first, left to right from the
// first operand, not from 0 or 1: 0 + (-0) would turn a -0 into +0.
template <Mode mode, typename Count>
void sumOrProduct(bool sum, const Lanes<Count>& s, int first, int top, std::string* problem) {
    bool finite = true;
    if constexpr (mode == Mode::Check)
        for (int k = first; k <= top; ++k)
            finite = finite && std::isfinite(s.row(k)[0]);
    double* r = s.row(first);
    for (int k = first + 1; k <= top; ++k) {
        const double* v = s.row(k);
        if (sum)
            for (std::size_t i = 0; i < s.count; ++i)
                r[i] += v[i];
        else
            for (std::size_t i = 0; i < s.count; ++i)
                r[i] *= v[i];
    }
    if constexpr (mode == Mode::Check)
        if (finite && !std::isfinite(r[0]))
            flag(problem, "overflow");
}

// b^p of the two top rows into the lower one.
template <Mode mode, typename Count>
void power(const Lanes<Count>& s, int top, std::string* problem) {
    double* b = s.row(top - 1);
    const double* p = s.row(top);
    [[maybe_unused]] const double b0 = b[0], p0 = p[0];
    for (std::size_t i = 0; i < s.count; ++i)
        b[i] = std::pow(b[i], p[i]);
    if constexpr (mode == Mode::Check)
        if (std::isfinite(b0) && std::isfinite(p0) && !std::isfinite(b[0]))
            flag(problem, b0 == 0  ? "division by zero"
                          : b0 < 0 ? "non-integer power of a negative number"
                                   : "overflow");
}

// u^k by std::pow, except the square, which is u*u as the reference Runge has it.
template <typename Count> void integerPower(double* u, Count count, int k) {
    if (k == 2)
        for (std::size_t i = 0; i < count; ++i)
            u[i] = u[i] * u[i];
    else if (k == -1)
        for (std::size_t i = 0; i < count; ++i)
            u[i] = 1.0 / u[i];
    else
        for (std::size_t i = 0; i < count; ++i)
            u[i] = std::pow(u[i], double(k));
}

// functions[I] over a row, its value inlined: the table is constexpr.
template <std::size_t I, typename Count> void mapFunction(double* u, Count count) {
    constexpr auto value = functions[I].value;
    for (std::size_t i = 0; i < count; ++i)
        u[i] = value(u[i]);
}

template <typename Count> void applyFunction(int index, double* u, Count count) {
    static constexpr auto loops = []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array{&mapFunction<I, Count>...};
    }
    (std::make_index_sequence<functions.size()>());
    loops[std::size_t(index)](u, count);
}

// IntPow or a function of the top row, in place.
template <Mode mode, typename Count>
void unary(const Op& op, double* u, Count count, std::string* problem) {
    [[maybe_unused]] const double u0 = u[0];
    if (op.code == Op::IntPow)
        integerPower(u, count, op.n);
    else
        applyFunction(op.n, u, count);
    if constexpr (mode == Mode::Check) {
        const double r = u[0];
        if (op.code == Op::IntPow) {
            if (std::isfinite(u0) && !std::isfinite(r))
                flag(problem, u0 == 0 ? "division by zero" : "overflow");
        } else if (const auto problemOf = functions[std::size_t(op.n)].problem) {
            if (const char* what = problemOf(u0))
                flag(problem, what);
        }
        if (std::isfinite(u0) && !std::isfinite(r))
            flag(problem, "overflow");
    }
}

// Runs `program`; the result is in row 0.
template <Mode mode, typename Count>
void execute(const Program& program, const double* x, const Lanes<Count>& s, std::string* problem) {
    int top = -1; // the row of the top of the stack
    for (const Op& op : program.ops) {
        switch (op.code) {
        case Op::Const: {
            double* r = s.row(++top);
            std::fill(r, r + s.count, op.value);
            break;
        }
        case Op::X:
            std::copy(x, x + s.count, s.row(++top));
            break;
        case Op::Add:
        case Op::Mul: {
            const int first = top - op.n + 1;
            sumOrProduct<mode>(op.code == Op::Add, s, first, top, problem);
            top = first;
            break;
        }
        case Op::Pow:
            power<mode>(s, top, problem);
            --top;
            break;
        case Op::IntPow:
        case Op::Function:
            unary<mode>(op, s.row(top), s.count, problem);
            break;
        }
    }
}

template <Mode mode> double runAt(const Program& program, double x, std::string* problem) {
    const auto run = [&](double* stack) {
        execute<mode>(program, &x, Lanes<OnePoint>{stack, 1, {}}, problem);
        return stack[0];
    };
    if (program.stackSize <= 64) {
        std::array<double, 64> stack;
        return run(stack.data());
    }
    std::vector<double> stack(std::size_t(program.stackSize));
    return run(stack.data());
}

} // namespace

double valueAt(const Program& program, double x) {
    return runAt<Mode::Fast>(program, x, nullptr);
}

double checkAt(const Program& program, double x, std::string* problem) {
    return runAt<Mode::Check>(program, x, problem);
}

void evaluate(const Program& f, const Program& fprime, const double* x, double* fOut,
              double* fprimeOut, std::size_t n) {
    std::vector<double> stack(std::size_t(std::max(f.stackSize, fprime.stackSize)) * block);
    for (std::size_t start = 0; start < n; start += block) {
        const Lanes<std::size_t> lanes{stack.data(), block, std::min(block, n - start)};
        execute<Mode::Fast>(f, x + start, lanes, nullptr);
        std::copy(lanes.row(0), lanes.row(0) + lanes.count, fOut + start);
        execute<Mode::Fast>(fprime, x + start, lanes, nullptr);
        std::copy(lanes.row(0), lanes.row(0) + lanes.count, fprimeOut + start);
    }
}

} // namespace sobolev::formula
