// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/canonical.h"

#include <algorithm>
#include <sstream>

namespace sobolev::formula {

const std::string& CanonicalOrder::key(const GiNaC::ex& e) {
    using namespace GiNaC;
    const basic* node = &ex_to<basic>(e);
    if (const auto hit = m_memo.find(node); hit != m_memo.end())
        return hit->second.second;
    std::string text;
    if (is_a<add>(e) || is_a<mul>(e) || is_a<power>(e) || is_a<function>(e)) {
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < e.nops(); ++i)
            parts.push_back(key(e.op(i)));
        if (!is_a<power>(e) && !is_a<function>(e))
            std::sort(parts.begin(), parts.end());
        text = is_a<add>(e)     ? "+"
               : is_a<mul>(e)   ? "*"
               : is_a<power>(e) ? "^"
                                : ex_to<function>(e).get_name();
        text += "(";
        for (const std::string& p : parts)
            text += p + ",";
        text += ")";
    } else {
        std::ostringstream out;
        out << e;
        text = out.str();
    }
    return m_memo.emplace(node, std::pair{e, std::move(text)}).first->second.second;
}

std::vector<std::pair<std::string, GiNaC::ex>> CanonicalOrder::sorted(const GiNaC::ex& e) {
    std::vector<std::pair<std::string, GiNaC::ex>> operands;
    for (std::size_t i = 0; i < e.nops(); ++i)
        operands.emplace_back(key(e.op(i)), e.op(i));
    std::stable_sort(operands.begin(), operands.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return operands;
}

} // namespace sobolev::formula
