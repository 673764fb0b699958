// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/activation.h"
#include "core/model/sobolevloss.h"

#include <Eigen/Core>
#include <utility>
#include <vector>

namespace sobolev {

class Rng;

// A fully connected network R -> R with `depth` hidden layers of `width` neurons and a
// linear output. The forward pass carries the tangent dh/dx beside every activation, so one
// pass yields f_theta(x) and its exact derivative; the backward pass differentiates the
// Sobolev loss alpha*MSE(f) + beta*MSE(f') through both (docs/design.md, section 5).
//
// All parameters live in one flat vector (per layer: W column-major, then b) so that the
// optimiser updates them in one sweep. Scalar is float for training and double for the
// gradient check. Batch buffers are reused; no allocation once they have grown.
template <typename Scalar> class Mlp {
  public:
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    using ConstRowRef = Eigen::Ref<const RowVector>;

    Mlp(int width, int depth, Activation activation);

    int width() const { return m_width; }
    int depth() const { return m_depth; }
    Activation activation() const { return m_activation; }
    Eigen::Index parameterCount() const { return m_params.size(); }
    Vector& parameters() { return m_params; }
    const Vector& parameters() const { return m_params; }

    // Where hidden layer `layer`'s (0-based) weight matrix sits in parameters(): its offset
    // and its entry count.
    std::pair<Eigen::Index, Eigen::Index> hiddenWeights(int layer) const;

    // Glorot-uniform weights (limit sqrt(6 / (fan_in + fan_out))), zero biases.
    void initGlorot(Rng& rng);

    // Grow the batch buffers to hold `columns` samples at once (larger inputs are chunked).
    void reserve(int columns);
    int capacity() const { return m_capacity; }

    // f_theta and d f_theta / dx at every x.
    void predict(ConstRowRef x, Eigen::Ref<RowVector> y, Eigen::Ref<RowVector> dy);

    // Loss terms without the gradient.
    BatchLoss loss(ConstRowRef x, ConstRowRef f, ConstRowRef fprime, Scalar alpha, Scalar beta);

    // Loss terms (core/model/sobolevloss.h), and the gradient of the loss with respect to
    // every parameter in `grad` (same layout as parameters()), in one backward pass.
    BatchLoss lossAndGradient(ConstRowRef x, ConstRowRef f, ConstRowRef fprime, Scalar alpha,
                              Scalar beta, Vector& grad);

    // Loss terms at alpha and beta, and each term's gradient apart: gradF = grad MSE_f and
    // gradFprime = grad MSE_f'. alpha gradF + beta gradFprime is lossAndGradient()'s gradient
    // up to rounding; this costs a second forward and backward pass.
    BatchLoss lossAndTermGradients(ConstRowRef x, ConstRowRef f, ConstRowRef fprime, Scalar alpha,
                                   Scalar beta, Vector& gradF, Vector& gradFprime);

  private:
    struct Layer {
        int in, out;
        Eigen::Index weightOffset, biasOffset;
    };
    using MatrixMap = Eigen::Map<Matrix>;
    using VectorMap = Eigen::Map<Vector>;
    MatrixMap weights(Vector& v, const Layer& l) const;
    VectorMap bias(Vector& v, const Layer& l) const;

    // Forward over n <= capacity columns; leaves y, y' in m_out = [y | y'].
    void forward(ConstRowRef x);
    BatchLoss lossTerms(ConstRowRef f, ConstRowRef fprime, Scalar alpha, Scalar beta) const;
    // Back-propagates the output gradient [dL/dy | dL/dy'] held in m_out into `grad`; uses up
    // the forward pass's buffers.
    void backward(Vector& grad);

    int m_width, m_depth;
    Activation m_activation;
    std::vector<Layer> m_layers; // depth hidden layers, then the output layer
    Vector m_params;

    // Batch buffers, columns [values | tangents] of n each for the current batch size n.
    int m_capacity = 0;
    int m_n = 0;
    std::vector<Matrix> m_act; // m_act[l]: input of layer l, [h | t]
    std::vector<Matrix>
        m_pre;                // m_pre[l]: [W h | W t] of hidden layer l, reused for [z_bar | u_bar]
    std::vector<Matrix> m_d1; // sigma'(z)
    std::vector<Matrix> m_d2; // sigma''(z)
    std::vector<Matrix> m_back; // m_back[l]: [h_bar | t_bar] at the output of hidden layer l
    Matrix m_out;               // [y | y'], reused for the output gradient [g | g']
};

extern template class Mlp<float>;
extern template class Mlp<double>;

} // namespace sobolev
