// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "trainconfig.h"

#include <Eigen/Core>

namespace sobolev {

// Samples of the target and its derivative, one sample per column.
struct Dataset {
    Eigen::RowVectorXf x, f, fprime;

    int size() const { return int(x.size()); }

    // x ~ U[-1, 1] from the config's data stream; the validation set is drawn after the
    // training set, so n_val never changes the training data.
    static std::pair<Dataset, Dataset> trainAndValidation(const TrainConfig& config);
    static Dataset uniformGrid(int points); // linspace(-1, 1, points)
    static Dataset fromPoints(const Eigen::RowVectorXf& x);
};

} // namespace sobolev
