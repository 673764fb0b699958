// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/compiler.h"

#include "core/problem/formula/canonical.h"
#include "core/problem/formula/error.h"
#include "core/problem/formula/ops.h"

#include <ginac/ginac.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sobolev::formula {

namespace {

class Compiler {
  public:
    explicit Compiler(CanonicalOrder& order) : m_order(order) {}

    Program program;

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
            for (const auto& operand : m_order.sorted(e))
                emit(operand.second);
            const int n = int(e.nops());
            push({is_a<add>(e) ? Op::Add : Op::Mul, n}, n);
        } else if (is_a<power>(e)) {
            emitPower(e.op(0), e.op(1));
        } else if (is_a<function>(e)) {
            const std::string name = ex_to<function>(e).get_name();
            const int function = ginacFunction(name);
            if (function < 0 || e.nops() != 1)
                throw FormulaError{"cannot evaluate the function " + name};
            emit(e.op(0));
            push({Op::Function, function}, 1);
        } else {
            std::ostringstream text;
            text << e;
            throw FormulaError{"cannot evaluate " + text.str()};
        }
    }

  private:
    void push(Op op, int popped) {
        program.ops.push_back(op);
        m_depth += 1 - popped;
        program.stackSize = std::max(program.stackSize, m_depth);
    }

    // Whole exponents up to a million by IntPow, u^(±1/2) by sqrt, others by pow.
    void emitPower(const GiNaC::ex& base, const GiNaC::ex& exponent) {
        using namespace GiNaC;
        emit(base);
        if (exponent.info(info_flags::integer) &&
            std::abs(ex_to<numeric>(exponent).to_double()) <= 1e6) {
            push({Op::IntPow, ex_to<numeric>(exponent).to_int()}, 1);
        } else if (exponent.is_equal(numeric(1, 2))) {
            push({Op::Function, squareRoot()}, 1);
        } else if (exponent.is_equal(numeric(-1, 2))) {
            push({Op::Function, squareRoot()}, 1);
            push({Op::IntPow, -1}, 1);
        } else {
            emit(exponent);
            push({Op::Pow}, 2);
        }
    }

    CanonicalOrder& m_order;
    int m_depth = 0;
};

} // namespace

Program compileProgram(const GiNaC::ex& e, CanonicalOrder& order) {
    Compiler compiler(order);
    compiler.emit(e);
    return std::move(compiler.program);
}

} // namespace sobolev::formula
