// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Eigen/Core>

#include <vector>

namespace sobolev {

// The state of one part of a run (an optimiser, a hook) as plain numbers, for a checkpoint:
// a part writes what it needs to go on exactly where it was, and reads it back in the same
// order. Float vectors are kept in double, which holds every float exactly.
struct StateRecord {
    std::vector<double> numbers;
    std::vector<Eigen::VectorXd> vectors;

    bool operator==(const StateRecord&) const = default;
};

} // namespace sobolev
