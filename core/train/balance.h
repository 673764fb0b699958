// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The balancing rules: each moves the loss weights from the terms' losses or gradients. Each
// is a small value type whose update is a pure function of what it is given, so that tests can
// feed it fixed sequences; core/train/balancehook.h runs them in a training.
//
// Two kinds of weights. lra, inverse-dirichlet and analytic keep alpha as configured and move
// lambda = beta / alpha (the f term is their reference). relobralo, softadapt and gradnorm
// normalise both, as their papers do: w_f + w_f' = 2, and the run trains with alpha x w_f and
// beta x w_f' (the configured alpha and beta are fixed factors, as Modulus Sym's static
// weights; with the reference's alpha = beta = 1 the weights are the papers').

#include "core/problem/dataset.h"
#include "core/problem/random.h"

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <string>

namespace sobolev {

// The weights of the f and f' terms, in that order.
using TermWeights = std::array<double, 2>;

// beta / alpha = ||f||^2 / ||f'||^2 = (1/n sum f_i^2) / (1/m sum f'_i^2) over the training
// rows (the m rows with f'): the weights that give both terms the same size for the zero
// network. NaN when no row has a nonzero f'.
double analyticBetaOverAlpha(const Dataset& training);

// With balance analytic, what the run will train with: "balance analytic: beta/alpha =
// ||f||^2/||f'||^2 over the training rows = 0.0123"; empty for the other rules.
std::string analyticNote(const TrainConfig& config);

// Learning-rate annealing (Wang, Teng & Perdikaris 2021, SIAM J. Sci. Comput. 43(5), eqs.
// 40-41 with the f term as the reference).
struct LraRule {
    double rate = 0.1;   // a
    double lambda = 1.0; // beta / alpha
    // lambda_hat = max_k |dMSE_f/dtheta_k| / mean_k |dMSE_f'/dtheta_k|
    // lambda <- (1 - a) lambda + a lambda_hat; kept when lambda_hat is not finite.
    void update(const Eigen::VectorXd& gradF, const Eigen::VectorXd& gradFprime);
};

// Inverse-Dirichlet weighting (Maddu, Sturm, Müller & Sbalzarini 2022, Mach. Learn.: Sci.
// Technol. 3, eq. 10), with the f term as the reference: the paper's weights are
// max_t sigma_t / sigma_k, whose ratio is sigma_f / sigma_f'.
struct InverseDirichletRule {
    double rate = 0.5;   // the moving average's factor
    double lambda = 1.0; // beta / alpha
    // lambda_hat = std(dMSE_f/dtheta) / std(dMSE_f'/dtheta), the standard deviations over the
    // parameters; lambda <- (1 - r) lambda + r lambda_hat; kept when lambda_hat is not finite.
    void update(const Eigen::VectorXd& gradF, const Eigen::VectorXd& gradFprime);
};

// Relative loss balancing with random lookback (Bischof & Kraus 2021, arXiv:2110.09813,
// eqs. 9-11).
struct RelobraloRule {
    double alpha = 0.95, rho = 0.99, tau = 1.0;
    TermWeights weights{1, 1};
    TermWeights initial{0, 0}, previous{0, 0}; // L_i(0) and L_i(t-1)
    bool started = false;
    // The first call keeps the weights and remembers the losses. Then, with
    //   bal_i(t, t') = 2 exp(L_i(t) / (tau L_i(t'))) / sum_j exp(L_j(t) / (tau L_j(t'))),
    //   w_i <- alpha (r w_i + (1 - r) bal_i(t, 0)) + (1 - alpha) bal_i(t, t - 1),
    // where r is 1 when `lookBack` (a Bernoulli(rho) draw) else 0.
    void update(const TermWeights& losses, bool lookBack);
};

// SoftAdapt (Heydari, Thompson & Mehmood 2019, arXiv:1912.12355, eq. 3), on the loss ratios
// L_i(t) / L_i(t-1) as Modulus Sym does, in place of the differences.
struct SoftAdaptRule {
    double beta = 0.1; // the softmax's beta (the SoftAdapt package's default)
    TermWeights weights{1, 1};
    TermWeights previous{0, 0};
    bool started = false;
    // The first call keeps the weights; then w_i = 2 exp(beta s_i) / sum_j exp(beta s_j) with
    // s_i = L_i(t) / L_i(t-1).
    void update(const TermWeights& losses);
};

// GradNorm (Chen, Badrinarayanan, Lee & Rabinovich 2018, ICML, eqs. 1-2 and Algorithm 1).
struct GradNormRule {
    double alpha = 1.0;  // the restoring force
    double rate = 0.025; // the weights' gradient-descent step
    TermWeights weights{1, 1};
    TermWeights initial{0, 0}; // L_i(0)
    bool started = false;
    // `norms` are ||grad_W L_i|| on the shared layer W (the last hidden layer), unweighted.
    //   G_i = w_i ||grad_W L_i||, G_bar = mean G_i, r_i = (L_i / L_i(0)) / mean_j (L_j / L_j(0))
    //   L_grad = sum_i |G_i - G_bar r_i^alpha|, the target G_bar r_i^alpha held constant:
    //   w_i <- w_i - rate sign(G_i - G_bar r_i^alpha) ||grad_W L_i||, then w <- 2 w / sum w.
    // A step that would leave a weight <= 0 is not taken.
    void update(const TermWeights& losses, const TermWeights& norms);
};

// relobralo's Bernoulli(rho) draws: their own stream of the run's seed, so that no other
// stream moves. true: look back to the previous weights.
bool relobraloLookBack(Rng& rng, double rho);

} // namespace sobolev
