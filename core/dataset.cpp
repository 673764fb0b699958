// SPDX-License-Identifier: GPL-3.0-or-later
#include "dataset.h"

#include "random.h"
#include "sampling.h"
#include "target.h"

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

std::pair<Dataset, Dataset> Dataset::trainAndValidation(const TrainConfig& config) {
    const Target target = Target::fromConfig(config);
    Rng fNoise = Rng::forStream(config.seed, NoiseFStream);
    Rng fprimeNoise = Rng::forStream(config.seed, NoiseFprimeStream);
    const auto [trainX, valX] = trainAndValidationX(config);
    Dataset train = noisy(trainX, target, config, fNoise, fprimeNoise);
    Dataset val = noisy(valX, target, config, fNoise, fprimeNoise);
    return {std::move(train), std::move(val)};
}

Dataset Dataset::testGrid(const TrainConfig& config) {
    Eigen::RowVectorXf x(config.gridPoints);
    for (int i = 0; i < config.gridPoints; ++i)
        x[i] = float(gridPoint(config.domainMin, config.domainMax, i, config.gridPoints));
    return fromPoints(x, Target::fromConfig(config));
}

Dataset Dataset::uniformGrid(int points) {
    Eigen::RowVectorXf x(points);
    for (int i = 0; i < points; ++i)
        x[i] = float(gridPoint(-1.0, 1.0, i, points));
    return fromPoints(x);
}

} // namespace sobolev
