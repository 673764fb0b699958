// SPDX-License-Identifier: GPL-3.0-or-later
#include "dataset.h"

#include "random.h"
#include "target.h"

namespace sobolev {

Dataset Dataset::fromPoints(const Eigen::RowVectorXf& x) {
    Dataset d;
    d.x = x;
    d.f.resize(x.size());
    d.fprime.resize(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        d.f[i] = float(runge(x[i]));
        d.fprime[i] = float(rungePrime(x[i]));
    }
    return d;
}

std::pair<Dataset, Dataset> Dataset::trainAndValidation(const TrainConfig& config) {
    Rng rng = Rng::forStream(config.seed, DataStream);
    auto draw = [&rng](int n) {
        Eigen::RowVectorXf x(n);
        for (int i = 0; i < n; ++i)
            x[i] = float(rng.uniform(-1.0, 1.0));
        return fromPoints(x);
    };
    Dataset train = draw(config.nTrain);
    Dataset val = draw(config.nVal);
    return {std::move(train), std::move(val)};
}

Dataset Dataset::uniformGrid(int points) {
    Eigen::RowVectorXf x(points);
    for (int i = 0; i < points; ++i)
        x[i] = float(-1.0 + 2.0 * double(i) / double(points - 1));
    return fromPoints(x);
}

} // namespace sobolev
