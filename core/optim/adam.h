// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Eigen/Core>

namespace sobolev {

// Adam as Keras implements it (beta1 0.9, beta2 0.999, epsilon 1e-7 added to sqrt(v), the
// bias correction folded into the step size). Scalar is the precision of the parameters and
// moments; the step size is computed in double either way.
template <typename Scalar> class Adam {
  public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    struct Options {
        double learningRate = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-7;
    };

    Adam(Eigen::Index parameterCount, Options options);

    // One step at the options' learning rate, or at `learningRate` (a schedule's).
    void step(Vector& params, const Vector& grad) { step(params, grad, m_options.learningRate); }
    void step(Vector& params, const Vector& grad, double learningRate);
    void reset();
    long long steps() const { return m_t; }

  private:
    Options m_options;
    Vector m_m, m_v;
    long long m_t = 0;
    double m_beta1Power = 1, m_beta2Power = 1;
};

extern template class Adam<float>;
extern template class Adam<double>;

} // namespace sobolev
