// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>

namespace sobolev::formula {

// Why a formula cannot be read, built or compiled; the message says what is wrong and where.
struct FormulaError {
    std::string message;
};

// " at column 5", the end of most messages.
inline std::string at(std::size_t column) {
    return " at column " + std::to_string(column);
}

} // namespace sobolev::formula
