// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/adam.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sobolev {

void AdamParams::check() const {
    const auto bad = [](const char* name, double value, const char* allowed) {
        std::ostringstream msg;
        msg << "Adam " << name << " must be " << allowed << ", got " << value;
        throw std::invalid_argument(msg.str());
    };
    // NaN fails every comparison, so each test is written to reject it.
    if (!(beta1 >= 0 && beta1 < 1))
        bad("beta1", beta1, "in [0, 1)");
    if (!(beta2 >= 0 && beta2 < 1))
        bad("beta2", beta2, "in [0, 1)");
    if (!(epsilon > 0 && std::isfinite(epsilon)))
        bad("epsilon", epsilon, "a finite number > 0");
}

template <typename Scalar>
Adam<Scalar>::Adam(Eigen::Index parameterCount, AdamParams params)
    : m_params(params), m_m(Vector::Zero(parameterCount)), m_v(Vector::Zero(parameterCount)),
      m_grad(parameterCount) {
    m_params.check();
}

template <typename Scalar> void Adam<Scalar>::reset() {
    m_m.setZero();
    m_v.setZero();
    m_t = 0;
    m_beta1Power = m_beta2Power = 1;
}

template <typename Scalar> OptimiserStep Adam<Scalar>::start(Vector&, const Objective&) {
    return {}; // nothing to evaluate before the first batch
}

template <typename Scalar>
OptimiserStep Adam<Scalar>::step(Vector& x, const Objective& objective, double learningRate) {
    OptimiserStep s;
    s.terms = objective(x, m_grad);
    if (std::isnan(s.terms.loss))
        s.why = "loss became NaN";
    else if (!std::isfinite(s.terms.loss))
        s.why = "loss became infinite";
    else if (!m_grad.allFinite())
        s.why = "gradient became infinite";
    if (!s.why.empty()) {
        s.outcome = StepOutcome::NonFinite; // no step: x keeps the last finite point
        return s;
    }
    update(x, m_grad, learningRate);
    return s;
}

template <typename Scalar>
void Adam<Scalar>::update(Vector& params, const Vector& grad, double learningRate) {
    ++m_t;
    m_beta1Power *= m_params.beta1;
    m_beta2Power *= m_params.beta2;
    const Scalar b1 = Scalar(m_params.beta1), b2 = Scalar(m_params.beta2);
    // step = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    const Scalar stepSize = Scalar(learningRate * std::sqrt(1 - m_beta2Power) / (1 - m_beta1Power));
    const Scalar eps = Scalar(m_params.epsilon);
    m_m = b1 * m_m + (1 - b1) * grad;             // m = b1 m + (1 - b1) g
    m_v = b2 * m_v + (1 - b2) * grad.cwiseAbs2(); // v = b2 v + (1 - b2) g^2
    params.array() -= stepSize * m_m.array() / (m_v.array().sqrt() + eps);
}

template <typename Scalar> StateRecord Adam<Scalar>::state() const {
    return {{double(m_t), m_beta1Power, m_beta2Power},
            {m_m.template cast<double>(), m_v.template cast<double>()}};
}

template <typename Scalar>
void Adam<Scalar>::restore(const StateRecord& s, Eigen::Index parameterCount) {
    if (s.numbers.size() != 3 || s.vectors.size() != 2 || parameterCount != m_m.size() ||
        s.vectors[0].size() != m_m.size() || s.vectors[1].size() != m_v.size() ||
        !(s.numbers[0] >= 0 && s.numbers[0] < 9e15))
        throw std::invalid_argument("the saved Adam state does not fit this network");
    m_t = (long long)s.numbers[0];
    m_beta1Power = s.numbers[1];
    m_beta2Power = s.numbers[2];
    m_m = s.vectors[0].cast<Scalar>();
    m_v = s.vectors[1].cast<Scalar>();
}

template class Adam<float>;
template class Adam<double>;

} // namespace sobolev
