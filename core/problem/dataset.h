// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <Eigen/Core>

namespace sobolev {

class Target;

// Samples of the target and its derivative, one sample per column.
struct Dataset {
    Eigen::RowVectorXf x, f, fprime;

    int size() const { return int(x.size()); }

    // The training points placed by the config's sampling in [a, b] and the validation points
    // x ~ U[a, b], both from the config's data stream: the validation set is drawn after n_train
    // uniform draws whatever the sampling, so neither n_val nor the sampling changes the other
    // set. Gaussian noise of sigma noise_f / noise_fprime is added to the targets (training set
    // first, then validation) from two streams of their own, so noise changes no x value and
    // no initial weight.
    // With measured data (config.measured), the rows instead: validationRowCount() of them,
    // chosen by a Fisher-Yates shuffle from the data stream, are the validation set and the
    // rest the training set, each in the file's order; without a split the validation set is
    // the training set. A missing f' stays NaN.
    static std::pair<Dataset, Dataset> trainAndValidation(const TrainConfig& config);
    // Only the x of both sets, as trainAndValidation() draws them.
    static std::pair<Eigen::RowVectorXf, Eigen::RowVectorXf>
    trainAndValidationX(const TrainConfig& config);
    // The clean target on the config's test grid linspace(a, b, grid_points). With measured
    // data there is no target to evaluate: every row instead, sorted by x (f' NaN where the
    // row has none), where the network is shown and exported.
    static Dataset testGrid(const TrainConfig& config);
    // Where the network is drawn for measured data: linspace(min x, max x, curvePoints) over
    // every row. Empty for a target.
    static Eigen::RowVectorXf curveX(const TrainConfig& config);
    static constexpr int curvePoints = 1000;                // smooth at any chart width people use
    static Dataset uniformGrid(int points);                 // linspace(-1, 1, points) of Runge
    static Dataset fromPoints(const Eigen::RowVectorXf& x); // Runge
    static Dataset fromPoints(const Eigen::RowVectorXf& x, const Target& target);
};

// linspace(a, b, points)[i], with the operations of the reference grid when [a, b] = [-1, 1].
inline double gridPoint(double a, double b, int i, int points) {
    return a + (b - a) * double(i) / double(points - 1);
}

} // namespace sobolev
