// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/optim/optimiser.h"

#include <Eigen/Core>

namespace sobolev {

// Adam's own knobs, defaults as Keras. The learning rate is not among them: the trainer's
// schedule hands it to every step.
struct AdamParams {
    double beta1 = 0.9;    // decay of the first moment m
    double beta2 = 0.999;  // decay of the second moment v
    double epsilon = 1e-7; // added to sqrt(v)
    // Throws std::invalid_argument naming the bad value and its allowed range.
    void check() const;
};

// Adam as Keras implements it (epsilon added to sqrt(v), the bias correction folded into the
// step size), a mini-batch optimiser. Scalar is the precision of the parameters and moments;
// the step size is computed in double either way.
template <typename Scalar> class Adam final : public Optimiser<Scalar> {
  public:
    using typename Optimiser<Scalar>::Vector;
    using typename Optimiser<Scalar>::Objective;

    // Throws std::invalid_argument when `params` fail their check().
    explicit Adam(Eigen::Index parameterCount, AdamParams params = {});

    std::string_view name() const override { return "Adam"; }
    OptimiserStep start(Vector& x, const Objective& objective) override;
    // Evaluates the batch's objective at x and, when it is finite, moves x by update().
    OptimiserStep step(Vector& x, const Objective& objective, double learningRate) override;

    // The update rule alone, for a gradient computed elsewhere.
    void update(Vector& params, const Vector& grad, double learningRate);
    // The moments m and v, the step count and the powers beta1^t, beta2^t.
    StateRecord state() const override;
    void restore(const StateRecord& state, Eigen::Index parameterCount) override;
    void reset();
    long long steps() const { return m_t; }

  private:
    AdamParams m_params;
    Vector m_m, m_v, m_grad;
    long long m_t = 0;
    double m_beta1Power = 1, m_beta2Power = 1;
};

extern template class Adam<float>;
extern template class Adam<double>;

} // namespace sobolev
