// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/balance.h"

#include "core/config/numbertext.h"

#include <cmath>
#include <limits>

namespace sobolev {

namespace {

// lambda <- (1 - r) lambda + r lambda_hat, unless lambda_hat is not finite or not positive
// (a term without gradient says nothing about the balance).
void movingAverage(double& lambda, double rate, double lambdaHat) {
    if (std::isfinite(lambdaHat) && lambdaHat > 0)
        lambda = (1 - rate) * lambda + rate * lambdaHat;
}

// Population standard deviation of the entries: sqrt(mean (g_k - mean g)^2).
double standardDeviation(const Eigen::VectorXd& g) {
    const double mean = g.mean();
    return std::sqrt((g.array() - mean).square().mean());
}

// 2 exp(s_i) / (exp(s_1) + exp(s_2)), shifted by max s for range: the same value.
TermWeights softmaxTimesTwo(const TermWeights& s) {
    const double top = std::max(s[0], s[1]);
    const double e0 = std::exp(s[0] - top), e1 = std::exp(s[1] - top);
    return {2 * e0 / (e0 + e1), 2 * e1 / (e0 + e1)};
}

bool allFinite(const TermWeights& w) {
    return std::isfinite(w[0]) && std::isfinite(w[1]);
}

} // namespace

double analyticBetaOverAlpha(const Dataset& training) {
    double sumF = 0, sumFprime = 0;
    int withFprime = 0;
    for (Eigen::Index i = 0; i < training.f.size(); ++i) {
        sumF += double(training.f[i]) * double(training.f[i]);
        if (!std::isnan(training.fprime[i])) {
            sumFprime += double(training.fprime[i]) * double(training.fprime[i]);
            ++withFprime;
        }
    }
    if (withFprime == 0 || sumFprime == 0 || training.f.size() == 0)
        return std::numeric_limits<double>::quiet_NaN();
    // (1/n sum f^2) / (1/m sum f'^2)
    return (sumF / double(training.f.size())) / (sumFprime / double(withFprime));
}

std::string analyticNote(const TrainConfig& config) {
    if (config.balance != Balance::Analytic)
        return {};
    const double ratio = analyticBetaOverAlpha(Dataset::trainAndValidation(config).first);
    if (!std::isfinite(ratio))
        return "balance analytic: the training rows have no nonzero f', so beta stays " +
               numberText(config.beta);
    return "balance analytic: beta/alpha = ||f||^2/||f'||^2 over the training rows = " +
           numberText(ratio) + " (beta " + numberText(ratio * config.alpha) + " with alpha " +
           numberText(config.alpha) + ")";
}

void LraRule::update(const Eigen::VectorXd& gradF, const Eigen::VectorXd& gradFprime) {
    // lambda_hat = max|grad MSE_f| / mean|grad MSE_f'|
    movingAverage(lambda, rate, gradF.cwiseAbs().maxCoeff() / gradFprime.cwiseAbs().mean());
}

void InverseDirichletRule::update(const Eigen::VectorXd& gradF, const Eigen::VectorXd& gradFprime) {
    // lambda_hat = std(grad MSE_f) / std(grad MSE_f')
    movingAverage(lambda, rate, standardDeviation(gradF) / standardDeviation(gradFprime));
}

void RelobraloRule::update(const TermWeights& losses, bool lookBack) {
    if (!started) {
        initial = previous = losses;
        started = true;
        return;
    }
    // bal(t, t') = 2 softmax(L_i(t) / (tau L_i(t')))
    const TermWeights toInitial =
        softmaxTimesTwo({losses[0] / (tau * initial[0]), losses[1] / (tau * initial[1])});
    const TermWeights toPrevious =
        softmaxTimesTwo({losses[0] / (tau * previous[0]), losses[1] / (tau * previous[1])});
    previous = losses;
    if (!allFinite(toInitial) || !allFinite(toPrevious))
        return; // a loss of 0 earlier: no ratio to balance by
    const double r = lookBack ? 1.0 : 0.0;
    for (int i = 0; i < 2; ++i)
        // w_i <- alpha (r w_i + (1 - r) bal_i(t, 0)) + (1 - alpha) bal_i(t, t - 1)
        weights[i] =
            alpha * (r * weights[i] + (1 - r) * toInitial[i]) + (1 - alpha) * toPrevious[i];
}

void SoftAdaptRule::update(const TermWeights& losses) {
    if (!started) {
        previous = losses;
        started = true;
        return;
    }
    // w_i = 2 exp(beta s_i) / sum_j exp(beta s_j), s_i = L_i(t) / L_i(t-1)
    const TermWeights w =
        softmaxTimesTwo({beta * losses[0] / previous[0], beta * losses[1] / previous[1]});
    previous = losses;
    if (allFinite(w))
        weights = w;
}

void GradNormRule::update(const TermWeights& losses, const TermWeights& norms) {
    if (!started) {
        initial = losses;
        started = true;
    }
    // r_i = (L_i / L_i(0)) / mean_j (L_j / L_j(0))
    const TermWeights ratio{losses[0] / initial[0], losses[1] / initial[1]};
    const double meanRatio = (ratio[0] + ratio[1]) / 2;
    // G_i = w_i ||grad_W L_i||, G_bar = mean G_i
    const TermWeights g{weights[0] * norms[0], weights[1] * norms[1]};
    const double gBar = (g[0] + g[1]) / 2;
    TermWeights next = weights;
    for (int i = 0; i < 2; ++i) {
        const double target = gBar * std::pow(ratio[i] / meanRatio, alpha);
        // d|G_i - target| / dw_i = sign(G_i - target) ||grad_W L_i||
        const double slope = (g[i] > target ? 1.0 : g[i] < target ? -1.0 : 0.0) * norms[i];
        next[i] = weights[i] - rate * slope;
    }
    if (!allFinite(next) || next[0] <= 0 || next[1] <= 0)
        return;
    // w <- 2 w / sum w
    const double sum = next[0] + next[1];
    weights = {2 * next[0] / sum, 2 * next[1] / sum};
}

bool relobraloLookBack(Rng& rng, double rho) {
    return rng.uniform01() < rho;
}

} // namespace sobolev
