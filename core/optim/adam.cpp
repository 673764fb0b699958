// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/adam.h"

#include <cmath>

namespace sobolev {

template <typename Scalar>
Adam<Scalar>::Adam(Eigen::Index parameterCount, Options options)
    : m_options(options), m_m(Vector::Zero(parameterCount)), m_v(Vector::Zero(parameterCount)) {}

template <typename Scalar> void Adam<Scalar>::reset() {
    m_m.setZero();
    m_v.setZero();
    m_t = 0;
    m_beta1Power = m_beta2Power = 1;
}

template <typename Scalar>
void Adam<Scalar>::step(Vector& params, const Vector& grad, double learningRate) {
    ++m_t;
    m_beta1Power *= m_options.beta1;
    m_beta2Power *= m_options.beta2;
    const Scalar b1 = Scalar(m_options.beta1), b2 = Scalar(m_options.beta2);
    // step = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    const Scalar stepSize = Scalar(learningRate * std::sqrt(1 - m_beta2Power) / (1 - m_beta1Power));
    const Scalar eps = Scalar(m_options.epsilon);
    m_m = b1 * m_m + (1 - b1) * grad;             // m = b1 m + (1 - b1) g
    m_v = b2 * m_v + (1 - b2) * grad.cwiseAbs2(); // v = b2 v + (1 - b2) g^2
    params.array() -= stepSize * m_m.array() / (m_v.array().sqrt() + eps);
}

template class Adam<float>;
template class Adam<double>;

} // namespace sobolev
