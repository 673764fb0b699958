// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/mlp.h"

#include "core/model/vectortanh.h"
#include "core/problem/random.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#if SOBOLEV_BLIS
#include <blis.h>
#endif

namespace sobolev {

namespace {

// h = sigma(z), d1 = sigma'(z), d2 = sigma''(z), elementwise. Adding an activation is one
// case here plus its name in activation.cpp.
// All arguments are Eigen array views of the same shape.
template <typename Z, typename H, typename D>
void activate(Activation activation, const Z& z, H&& h, D&& d1, D&& d2) {
    using S = typename std::decay_t<Z>::Scalar;
    switch (activation) {
    case Activation::Tanh:
        if constexpr (std::is_same_v<S, double>) {
            tanhWithDerivatives(z, h, d1, d2); // Eigen's double tanh is the C library's, scalar
            return;
        }
        h = z.tanh();
        d1 = S(1) - h.square(); // tanh' = 1 - tanh^2
        d2 = S(-2) * h * d1;    // tanh'' = -2 tanh tanh'
        return;
    case Activation::Sin:
        h = z.sin();
        d1 = z.cos();
        d2 = -h; // sin'' = -sin
        return;
    case Activation::Softplus:
        // softplus = log(1 + e^z), written so that e^z cannot overflow; softplus' = sigmoid.
        h = z.max(S(0)) + (-z.abs()).exp().log1p();
        d1 = (S(1) + (-z).exp()).inverse();
        d2 = d1 * (S(1) - d1); // sigmoid' = s (1 - s)
        return;
    }
}

// C = op(A) op(B) for column-major blocks of matrices (op: transposed or not); m x n is C's
// shape, k the inner size, ld* the column strides. Eigen's product, or with -DSOBOLEV_BLIS=ON
// BLIS's for double, which is 20-35 % faster on these shapes and rounds differently.
template <typename Scalar>
void multiply(bool transA, bool transB, Eigen::Index m, Eigen::Index n, Eigen::Index k,
              const Scalar* a, Eigen::Index lda, const Scalar* b, Eigen::Index ldb, Scalar* c,
              Eigen::Index ldc) {
#if SOBOLEV_BLIS
    if constexpr (std::is_same_v<Scalar, double>) {
        double one = 1, zero = 0;
        bli_dgemm(transA ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,
                  transB ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, m, n, k, &one,
                  const_cast<double*>(a), 1, lda, const_cast<double*>(b), 1, ldb, &zero, c, 1, ldc);
        return;
    }
#endif
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Stride = Eigen::OuterStride<>;
    const auto view = [](const Scalar* p, bool trans, Eigen::Index rows, Eigen::Index cols,
                         Eigen::Index ld) {
        return Eigen::Map<const Matrix, 0, Stride>(p, trans ? cols : rows, trans ? rows : cols,
                                                   Stride(ld));
    };
    Eigen::Map<Matrix, 0, Stride> dst(c, m, n, Stride(ldc));
    const auto lhs = view(a, transA, m, k, lda);
    const auto rhs = view(b, transB, k, n, ldb);
    if (transA && transB)
        dst.noalias() = lhs.transpose() * rhs.transpose();
    else if (transA)
        dst.noalias() = lhs.transpose() * rhs;
    else if (transB)
        dst.noalias() = lhs * rhs.transpose();
    else
        dst.noalias() = lhs * rhs;
}

} // namespace

template <typename Scalar>
Mlp<Scalar>::Mlp(int width, int depth, Activation activation)
    : m_width(width), m_depth(depth), m_activation(activation) {
    Eigen::Index offset = 0;
    int in = 1;
    for (int l = 0; l <= depth; ++l) {
        const int out = l < depth ? width : 1;
        m_layers.push_back({in, out, offset, offset + Eigen::Index(out) * in});
        offset += Eigen::Index(out) * in + out;
        in = out;
    }
    m_params = Vector::Zero(offset);
}

template <typename Scalar>
typename Mlp<Scalar>::MatrixMap Mlp<Scalar>::weights(Vector& v, const Layer& l) const {
    return MatrixMap(v.data() + l.weightOffset, l.out, l.in);
}

template <typename Scalar>
typename Mlp<Scalar>::VectorMap Mlp<Scalar>::bias(Vector& v, const Layer& l) const {
    return VectorMap(v.data() + l.biasOffset, l.out);
}

template <typename Scalar> void Mlp<Scalar>::initGlorot(Rng& rng) {
    for (const Layer& l : m_layers) {
        const double limit = std::sqrt(6.0 / double(l.in + l.out));
        auto w = weights(m_params, l);
        for (Eigen::Index j = 0; j < w.cols(); ++j)
            for (Eigen::Index i = 0; i < w.rows(); ++i)
                w(i, j) = Scalar(rng.uniform(-limit, limit));
        bias(m_params, l).setZero();
    }
}

template <typename Scalar> void Mlp<Scalar>::reserve(int columns) {
    if (columns <= m_capacity)
        return;
    m_capacity = columns;
    m_act.assign(m_depth + 1, Matrix());
    m_act[0].resize(1, 2 * columns);
    for (int l = 1; l <= m_depth; ++l)
        m_act[l].resize(m_width, 2 * columns);
    m_pre.assign(m_depth, Matrix(m_width, 2 * columns));
    m_back.assign(m_depth, Matrix(m_width, 2 * columns));
    m_d1.assign(m_depth, Matrix(m_width, columns));
    m_d2.assign(m_depth, Matrix(m_width, columns));
    m_out.resize(1, 2 * columns);
}

template <typename Scalar> void Mlp<Scalar>::forward(ConstRowRef x) {
    const int n = int(x.size());
    m_n = n;
    m_act[0].leftCols(n) = x;
    m_act[0].middleCols(n, n).setOnes(); // t_0 = dx/dx = 1
    for (int l = 0; l < m_depth; ++l) {
        const Layer& layer = m_layers[l];
        auto pre = m_pre[l].leftCols(2 * n);
        multiply<Scalar>(false, false, layer.out, 2 * n, layer.in,
                         m_params.data() + layer.weightOffset, layer.out, m_act[l].data(),
                         m_act[l].rows(), pre.data(), m_pre[l].rows()); // [W h | W t]
        pre.leftCols(n).colwise() += bias(m_params, layer);             // z = W h + b
        auto next = m_act[l + 1].leftCols(2 * n);
        activate(m_activation, pre.leftCols(n).array(), next.leftCols(n).array(),
                 m_d1[l].leftCols(n).array(), m_d2[l].leftCols(n).array());
        // t = sigma'(z) * (W t)
        next.middleCols(n, n) = m_d1[l].leftCols(n).cwiseProduct(pre.middleCols(n, n));
    }
    const Layer& last = m_layers.back();
    auto out = m_out.leftCols(2 * n);
    out.noalias() = weights(m_params, last) * m_act[m_depth].leftCols(2 * n);
    out.leftCols(n).array() += bias(m_params, last)(0);
}

template <typename Scalar>
BatchLoss Mlp<Scalar>::lossTerms(ConstRowRef f, ConstRowRef fprime, Scalar alpha,
                                 Scalar beta) const {
    const int n = m_n;
    const auto out = m_out.row(0); // [y | y']
    return sobolevLoss(double(alpha), double(beta), mseF(out.head(n), f),
                       mseFprime(out.segment(n, n), fprime));
}

template <typename Scalar>
void Mlp<Scalar>::predict(ConstRowRef x, Eigen::Ref<RowVector> y, Eigen::Ref<RowVector> dy) {
    if (m_capacity == 0)
        reserve(int(std::min<Eigen::Index>(x.size(), 512)));
    for (Eigen::Index start = 0; start < x.size(); start += m_capacity) {
        const int n = int(std::min<Eigen::Index>(m_capacity, x.size() - start));
        forward(x.segment(start, n));
        y.segment(start, n) = m_out.leftCols(n);
        dy.segment(start, n) = m_out.middleCols(n, n);
    }
}

template <typename Scalar>
BatchLoss Mlp<Scalar>::loss(ConstRowRef x, ConstRowRef f, ConstRowRef fprime, Scalar alpha,
                            Scalar beta) {
    reserve(int(x.size()));
    forward(x);
    return lossTerms(f, fprime, alpha, beta);
}

template <typename Scalar>
BatchLoss Mlp<Scalar>::lossAndGradient(ConstRowRef x, ConstRowRef f, ConstRowRef fprime,
                                       Scalar alpha, Scalar beta, Vector& grad) {
    reserve(int(x.size()));
    forward(x);
    const BatchLoss terms = lossTerms(f, fprime, alpha, beta);
    const int n = m_n;
    auto out = m_out.row(0); // [y | y'] becomes [dL/dy | dL/dy']
    fSeed(out.head(n), f, alpha);
    fprimeSeed(out.segment(n, n), fprime, beta);
    backward(grad);
    return terms;
}

template <typename Scalar>
BatchLoss Mlp<Scalar>::lossAndTermGradients(ConstRowRef x, ConstRowRef f, ConstRowRef fprime,
                                            Scalar alpha, Scalar beta, Vector& gradF,
                                            Vector& gradFprime) {
    reserve(int(x.size()));
    forward(x);
    const BatchLoss terms = lossTerms(f, fprime, alpha, beta);
    const int n = m_n;
    auto out = m_out.row(0);
    // The backward pass overwrites the forward buffers, so each term gets its own forward.
    fSeed(out.head(n), f, Scalar(1)); // dMSE_f/dy, nothing through y'
    out.segment(n, n).setZero();
    backward(gradF);
    forward(x);
    out.head(n).setZero(); // dMSE_f'/dy', nothing through y
    fprimeSeed(out.segment(n, n), fprime, Scalar(1));
    backward(gradFprime);
    return terms;
}

template <typename Scalar>
std::pair<Eigen::Index, Eigen::Index> Mlp<Scalar>::hiddenWeights(int layer) const {
    const Layer& l = m_layers.at(std::size_t(layer));
    return {l.weightOffset, Eigen::Index(l.out) * l.in};
}

template <typename Scalar> void Mlp<Scalar>::backward(Vector& grad) {
    const int n = m_n;
    if (grad.size() != m_params.size())
        grad.resize(m_params.size());
    // Output layer y = W h + b, y' = W t: dW = [g | g'] [h | t]^T, db = sum g.
    const auto g = m_out.leftCols(2 * n);
    const Layer& last = m_layers.back();
    weights(grad, last).noalias() = g * m_act[m_depth].leftCols(2 * n).transpose();
    bias(grad, last)(0) = g.leftCols(n).sum();
    m_back[m_depth - 1].leftCols(2 * n).noalias() = weights(m_params, last).transpose() * g;

    for (int l = m_depth - 1; l >= 0; --l) {
        const Layer& layer = m_layers[l];
        auto back = m_back[l].leftCols(2 * n);
        auto d1 = m_d1[l].leftCols(n).array();
        auto d2 = m_d2[l].leftCols(n).array();
        auto pre = m_pre[l].leftCols(2 * n); // [z - .. | u] becomes [z_bar | u_bar]
        const auto hBar = back.leftCols(n).array();
        const auto tBar = back.middleCols(n, n).array();
        // z_bar = sigma'(z) h_bar + sigma''(z) u t_bar ; u_bar = sigma'(z) t_bar
        pre.leftCols(n).array() = d1 * hBar + d2 * pre.middleCols(n, n).array() * tBar;
        pre.middleCols(n, n).array() = d1 * tBar;
        // dW = [z_bar | u_bar] [h | t]^T
        multiply<Scalar>(false, true, layer.out, layer.in, 2 * n, pre.data(), m_pre[l].rows(),
                         m_act[l].data(), m_act[l].rows(), grad.data() + layer.weightOffset,
                         layer.out);
        bias(grad, layer) = pre.leftCols(n).rowwise().sum();
        if (l > 0) // [h_bar | t_bar] below = W^T [z_bar | u_bar]
            multiply<Scalar>(true, false, layer.in, 2 * n, layer.out,
                             m_params.data() + layer.weightOffset, layer.out, pre.data(),
                             m_pre[l].rows(), m_back[l - 1].data(), m_back[l - 1].rows());
    }
}

template class Mlp<float>;
template class Mlp<double>;

} // namespace sobolev
