// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/printing.h"

#include "core/problem/formula/canonical.h"

#include <ginac/ginac.h>

#include <sstream>

namespace sobolev::formula {

namespace {

std::string plainProduct(const GiNaC::ex& e, CanonicalOrder& order) {
    using namespace GiNaC;
    std::string coefficient, factors;
    for (const auto& [key, factor] : order.sorted(e)) {
        if (is_a<numeric>(factor)) {
            coefficient = plainText(factor, order);
            continue;
        }
        const std::string f = plainText(factor, order);
        factors += (factors.empty() ? "" : "*") + (is_a<add>(factor) ? "(" + f + ")" : f);
    }
    if (coefficient == "-1")
        return "-" + factors;
    if (coefficient.empty())
        return factors;
    return coefficient + "*" + factors;
}

std::string plainPower(const GiNaC::ex& e, CanonicalOrder& order) {
    using namespace GiNaC;
    const ex& base = e.op(0);
    const ex& exponent = e.op(1);
    std::string b = plainText(base, order), p = plainText(exponent, order);
    const bool simpleBase = is_a<symbol>(base) || is_a<function>(base) || is_a<constant>(base) ||
                            (is_a<numeric>(base) && ex_to<numeric>(base).is_pos_integer());
    if (!simpleBase)
        b = "(" + b + ")";
    const bool simpleExponent =
        is_a<symbol>(exponent) ||
        (is_a<numeric>(exponent) && ex_to<numeric>(exponent).is_pos_integer());
    if (!simpleExponent)
        p = "(" + p + ")";
    return b + "^" + p;
}

} // namespace

std::string plainText(const GiNaC::ex& e, CanonicalOrder& order) {
    using namespace GiNaC;
    if (is_a<add>(e)) {
        std::string text;
        for (const auto& [key, term] : order.sorted(e)) {
            const std::string t = plainText(term, order);
            text += text.empty() || t.front() == '-' ? t : "+" + t;
        }
        return text;
    }
    if (is_a<mul>(e))
        return plainProduct(e, order);
    if (is_a<power>(e))
        return plainPower(e, order);
    if (is_a<function>(e)) {
        std::string name = ex_to<function>(e).get_name();
        if (name == "csgn")
            name = "sign";
        std::string text = name + "(";
        for (std::size_t i = 0; i < e.nops(); ++i) {
            if (i)
                text += ",";
            text += plainText(e.op(i), order);
        }
        return text + ")";
    }
    std::ostringstream out;
    out << e;
    return out.str();
}

std::string latexText(const GiNaC::ex& e) {
    std::ostringstream out;
    out << GiNaC::latex << e;
    std::string s = out.str();
    const std::string to = "\\operatorname{sign}";
    for (const std::string from : {"\\mbox{csgn}", "csgn"})
        for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
            s.replace(p, from.size(), to);
    return s;
}

} // namespace sobolev::formula
