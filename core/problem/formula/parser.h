// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sobolev::formula {

// A formula as read: a syntax tree whose nodes remember where they were typed, for messages.
// Sums and products are one node with all their operands, so that the depth of the tree is
// bounded by the nesting the parser allows, however long the formula.
struct Node {
    enum Kind : unsigned char { Number, X, Pi, E, Sum, Product, Negate, Power, Call };
    Kind kind = Number;
    std::size_t column = 0; // 1-based: the number or name; Power: its '^'
    // Number: the exact value digits × 10^scale (a decimal literal: 2.5 = 25 × 10^-1).
    std::string digits{};
    int scale = 0;
    int function = -1; // Call: the index in functions (ops.h)
    // Sum, Product: the operands in order; Negate, Call: one; Power: the base, the exponent.
    std::vector<Node> operands{};
    // Sum, Product: before each operand after the first, '+' or '-' ('*' or '/'), and its
    // column.
    std::vector<std::pair<char, std::size_t>> operators{};
    // Power, Call: the text typed (0-based, end exclusive), for messages.
    std::size_t start = 0, end = 0;
};

// Reads `text` by the grammar in expression.h. Throws FormulaError (error.h) for what is not
// a formula: a syntax error, an unknown name, a literal out of range, or nesting deeper than
// 100 levels.
Node parse(std::string_view text);

// The text typed from `start` to `end`, without spaces and shortened: "(-8)^(1/3)".
std::string typedText(std::string_view text, std::size_t start, std::size_t end);

} // namespace sobolev::formula
