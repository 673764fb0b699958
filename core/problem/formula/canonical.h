// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ginac/ginac.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sobolev::formula {

// An order of the operands of sums and products that does not depend on GiNaC's internal
// (hash) order, so that the same formula sums, multiplies and prints in the same order in
// every process. Used for one formula at a time under the GiNaC lock.
class CanonicalOrder {
  public:
    // A text for `e` with the operands of sums and products sorted. Only for ordering; never
    // shown.
    const std::string& key(const GiNaC::ex& e);

    // The operands of `e` (a sum or product) with their keys, sorted by key.
    std::vector<std::pair<std::string, GiNaC::ex>> sorted(const GiNaC::ex& e);

  private:
    // key() of the subexpressions seen, by node. Each entry holds its expression, so that no
    // node in the memo dies and lends its address to another (op() of a sum or product makes
    // temporary nodes).
    std::unordered_map<const GiNaC::basic*, std::pair<GiNaC::ex, std::string>> m_memo;
};

} // namespace sobolev::formula
