// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The trainer's own: not for other units (core/trainer.cpp and core/train/hooksite.cpp).

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/model/fullbatch.h"
#include "core/model/mlp.h"
#include "core/optim/optimiser.h"
#include "core/problem/dataset.h"

#include <algorithm>
#include <memory>
#include <optional>

namespace sobolev {

// The network, its data and the optimiser of the phase in progress, in one precision. A
// float32 run has only the float network; a phase in another precision gets its own, started
// from the weights the previous phase ended with.
template <typename Scalar> struct TrainerNet {
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    using Objective = typename Optimiser<Scalar>::Objective;

    Mlp<Scalar> mlp;
    std::unique_ptr<Optimiser<Scalar>> optimiser; // of the phase in progress, in this precision
    Scalar alpha, beta;
    RowVector trainX, trainF, trainFprime, valX, valF, valFprime, gridX;
    RowVector bx, bf, bfp, y, dy;
    int batchCount = 0; // the columns of bx, bf, bfp in use
    int fullBatchThreads = 1;
    std::optional<FullBatch<Scalar>> fullBatchLoss; // made by the first full-batch evaluation
    // The objectives the optimisers see: the batch in bx, bf, bfp, or the whole training set.
    const Objective miniBatchObjective = [this](const Vector& x, Vector& g) {
        if (&x != &mlp.parameters())
            mlp.parameters() = x;
        return mlp.lossAndGradient(bx.head(batchCount), bf.head(batchCount), bfp.head(batchCount),
                                   alpha, beta, g);
    };
    const Objective fullBatchObjective = [this](const Vector& x, Vector& g) {
        mlp.parameters() = x;
        if (!fullBatchLoss)
            fullBatchLoss.emplace(mlp.width(), mlp.depth(), mlp.activation(), fullBatchThreads);
        return fullBatchLoss->lossAndGradient(x, trainX, trainF, trainFprime, alpha, beta, g);
    };

    // A batch whose term gradients were taken (Trainer::takeTermGradients()): they and their
    // loss terms at the step's starting point; its step is alpha gradF + beta gradFprime with
    // the weights in force then.
    Vector gradF, gradFprime;
    BatchLoss termLoss;
    const Objective termGradientObjective = [this](const Vector&, Vector& g) {
        g = alpha * gradF + beta * gradFprime;
        return sobolevLoss(double(alpha), double(beta), termLoss.mseF, termLoss.mseFprime);
    };

    // Enough columns to evaluate large sets in a few passes without a big workspace.
    static constexpr int evaluationChunk = 256;

    TrainerNet(const TrainConfig& c, const Dataset& train, const Dataset& val, const Dataset& grid,
               const Eigen::VectorXf& initial)
        : mlp(c.width, c.depth, c.activation), alpha(Scalar(c.alpha)), beta(Scalar(c.beta)),
          trainX(train.x.cast<Scalar>()), trainF(train.f.cast<Scalar>()),
          trainFprime(train.fprime.cast<Scalar>()), valX(val.x.cast<Scalar>()),
          valF(val.f.cast<Scalar>()), valFprime(val.fprime.cast<Scalar>()),
          gridX(grid.x.cast<Scalar>()) {
        mlp.parameters() = initial.cast<Scalar>();
        mlp.reserve(std::max(c.batchSize, evaluationChunk));
        bx.resize(c.batchSize);
        bf.resize(c.batchSize);
        bfp.resize(c.batchSize);
        y.resize(std::max(c.nVal, c.gridPoints));
        dy.resize(y.size());
    }
    TrainerNet(const TrainerNet&) = delete; // the objectives hold `this`
    TrainerNet& operator=(const TrainerNet&) = delete;

    // Validation MSEs of the network as it is.
    void validate(EpochMetrics& m) {
        const int nv = int(valX.size());
        mlp.predict(valX, y.head(nv), dy.head(nv));
        m.valMseF = mseF(y.head(nv), valF);
        m.valMseFprime = mseFprime(dy.head(nv), valFprime);
    }
};

} // namespace sobolev
