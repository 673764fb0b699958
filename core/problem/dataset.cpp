// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/dataset.h"

#include "core/problem/random.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"

#include <algorithm>
#include <numeric>

namespace sobolev {

Dataset Dataset::fromPoints(const Eigen::RowVectorXf& x) {
    return fromPoints(x, Target());
}

Dataset Dataset::fromPoints(const Eigen::RowVectorXf& x, const Target& target) {
    Dataset d;
    d.x = x;
    d.f.resize(x.size());
    d.fprime.resize(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        d.f[i] = float(target.f(x[i]));
        d.fprime[i] = float(target.fprime(x[i]));
    }
    return d;
}

namespace {

// f(x) and f'(x) at x, each plus sigma z with z ~ N(0, 1) from its own stream when sigma > 0;
// the sum is formed in double and rounded to float once.
Dataset noisy(const Eigen::RowVectorXf& x, const Target& target, const TrainConfig& c, Rng& fRng,
              Rng& fprimeRng) {
    Dataset d;
    d.x = x;
    d.f.resize(x.size());
    d.fprime.resize(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double f = target.f(x[i]), fp = target.fprime(x[i]);
        d.f[i] = float(f);
        d.fprime[i] = float(fp);
        if (c.noiseF != 0)
            d.f[i] = float(f + c.noiseF * standardNormal(fRng));
        if (c.noiseFprime != 0)
            d.fprime[i] = float(fp + c.noiseFprime * standardNormal(fprimeRng));
    }
    return d;
}

} // namespace

std::pair<Eigen::RowVectorXf, Eigen::RowVectorXf>
Dataset::trainAndValidationX(const TrainConfig& config) {
    const double a = config.domainMin, b = config.domainMax;
    Rng rng = Rng::forStream(config.seed, DataStream);
    Eigen::RowVectorXf trainX = samplePoints(config.sampling, config.nTrain, a, b, rng);
    if (config.sampling != Sampling::Uniform)
        for (int i = 0; i < config.nTrain; ++i) // the draws uniform training points would use
            rng.next();
    Eigen::RowVectorXf valX = samplePoints(Sampling::Uniform, config.nVal, a, b, rng);
    return {std::move(trainX), std::move(valX)};
}

namespace {

Dataset measuredRows(const MeasuredData& data, const std::vector<int>& rows) {
    Dataset d;
    d.x.resize(Eigen::Index(rows.size()));
    d.f.resize(d.x.size());
    d.fprime.resize(d.x.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        d.x[Eigen::Index(i)] = float(data.x[std::size_t(rows[i])]);
        d.f[Eigen::Index(i)] = float(data.f[std::size_t(rows[i])]);
        d.fprime[Eigen::Index(i)] = float(data.fprime[std::size_t(rows[i])]);
    }
    return d;
}

std::pair<Dataset, Dataset> measuredTrainAndValidation(const TrainConfig& config) {
    const MeasuredData& data = *config.measured;
    const int nVal = validationRowCount(data.rows(), config.dataValidation);
    std::vector<int> order(std::size_t(data.rows()));
    std::iota(order.begin(), order.end(), 0);
    if (nVal == 0) {
        Dataset all = measuredRows(data, order);
        return {all, all};
    }
    Rng rng = Rng::forStream(config.seed, DataStream);
    rng.shuffle(order);
    std::vector<int> val(order.begin(), order.begin() + nVal);
    std::vector<int> train(order.begin() + nVal, order.end());
    std::sort(val.begin(), val.end());
    std::sort(train.begin(), train.end());
    return {measuredRows(data, train), measuredRows(data, val)};
}

} // namespace

std::pair<Dataset, Dataset> Dataset::trainAndValidation(const TrainConfig& config) {
    if (config.measured)
        return measuredTrainAndValidation(config);
    const Target target = Target::fromConfig(config);
    Rng fNoise = Rng::forStream(config.seed, NoiseFStream);
    Rng fprimeNoise = Rng::forStream(config.seed, NoiseFprimeStream);
    const auto [trainX, valX] = trainAndValidationX(config);
    Dataset train = noisy(trainX, target, config, fNoise, fprimeNoise);
    Dataset val = noisy(valX, target, config, fNoise, fprimeNoise);
    return {std::move(train), std::move(val)};
}

Dataset Dataset::testGrid(const TrainConfig& config) {
    if (config.measured) {
        const MeasuredData& data = *config.measured;
        std::vector<int> order(std::size_t(data.rows()));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return data.x[std::size_t(a)] < data.x[std::size_t(b)];
        });
        return measuredRows(data, order);
    }
    Eigen::RowVectorXf x(config.gridPoints);
    for (int i = 0; i < config.gridPoints; ++i)
        x[i] = float(gridPoint(config.domainMin, config.domainMax, i, config.gridPoints));
    return fromPoints(x, Target::fromConfig(config));
}

Eigen::RowVectorXf Dataset::curveX(const TrainConfig& config) {
    if (!config.measured)
        return {};
    const double lo = config.measured->minX(), hi = config.measured->maxX();
    Eigen::RowVectorXf x(curvePoints);
    for (int i = 0; i < curvePoints; ++i)
        x[i] = float(gridPoint(lo, hi, i, curvePoints));
    return x;
}

Dataset Dataset::uniformGrid(int points) {
    Eigen::RowVectorXf x(points);
    for (int i = 0; i < points; ++i)
        x[i] = float(gridPoint(-1.0, 1.0, i, points));
    return fromPoints(x);
}

} // namespace sobolev
