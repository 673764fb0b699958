// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Eigen/Core>

namespace sobolev {

// Adam as Keras implements it (beta1 0.9, beta2 0.999, epsilon 1e-7 added to sqrt(v), the
// bias correction folded into the step size).
class Adam {
  public:
    struct Options {
        double learningRate = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-7;
    };

    Adam(Eigen::Index parameterCount, Options options);

    void step(Eigen::VectorXf& params, const Eigen::VectorXf& grad);
    void reset();
    long long steps() const { return m_t; }

  private:
    Options m_options;
    Eigen::VectorXf m_m, m_v;
    long long m_t = 0;
    double m_beta1Power = 1, m_beta2Power = 1;
};

} // namespace sobolev
