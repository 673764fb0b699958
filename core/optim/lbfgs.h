// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <LBFGS.h> // LBFGSpp: BFGSMat, LineSearchNocedalWright, LBFGSParam

#include <Eigen/Core>

#include <deque>
#include <stdexcept>
#include <string>
#include <utility>

namespace sobolev {

// How an L-BFGS iteration ended: go on, or one of the reasons to stop.
enum class LbfgsOutcome { Continue, GradientSmall, ChangeSmall, LineSearchFailed };

// LBFGSpp's L-BFGS, one iteration per call.
//
// LBFGSpp::LBFGSSolver::minimize runs to the end in one call, so a run could neither show
// its iterations as they happen nor pause between them. This class is the body of that
// loop, statement for statement (LBFGSpp 0.x, LBFGS.h), with the solver's state kept
// between calls. The quasi-Newton memory (BFGSMat: the compact two-loop product H g) and
// the strong-Wolfe line search (LineSearchNocedalWright: Nocedal & Wright, Numerical
// Optimization, algorithms 3.5 and 3.6) are LBFGSpp's own. tst_lbfgs checks that n calls
// give exactly what minimize() gives with max_iterations = n.
//
// One addition: an iteration whose line search throws, or ends (after max_linesearch trials)
// above the loss it started from, puts back the point it started from and reports
// LineSearchFailed, so the phase always ends at the lowest loss it reached.
//
// Between two iterations its state can be saved and put back (Saved); BFGSMat keeps its
// correction pairs private, so the stepper keeps a copy of the last m and replays them into a
// fresh BFGSMat, into the same columns, which gives the same products to the bit.
template <typename Scalar> class LbfgsStepper {
  public:
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using Outcome = LbfgsOutcome;

    explicit LbfgsStepper(const LBFGSpp::LBFGSParam<Scalar>& param) : m_param(param) {
        m_param.check_param();
    }

    // Evaluates f(x, grad) at the starting point. Returns GradientSmall when x is already a
    // minimiser by the gradient test, Continue otherwise.
    template <typename Function> Outcome start(Function& f, const Vector& x) {
        const Eigen::Index n = x.size();
        m_bfgs.reset(int(n), m_param.m);
        m_xp.resize(n);
        m_grad.resize(n);
        m_gradp.resize(n);
        m_drt.resize(n);
        if (m_param.past > 0)
            m_fx.resize(m_param.past);
        m_corrections.clear();
        m_x = x;
        m_loss = f(m_x, m_grad);
        if (m_param.past > 0)
            m_fx[0] = m_loss;
        m_k = 0;
        if (gradientSmall())
            return Outcome::GradientSmall;
        m_drt.noalias() = -m_grad;
        m_step = Scalar(1) / m_drt.norm();
        return Outcome::Continue;
    }

    // One iteration: a line search along the current direction, the convergence tests, then
    // the update of the quasi-Newton memory and the next direction d = -H g.
    template <typename Function> Outcome iterate(Function& f) {
        m_failure.clear();
        m_xp.noalias() = m_x;
        m_gradp.noalias() = m_grad;
        const Scalar startLoss = m_loss;
        try {
            LBFGSpp::LineSearchNocedalWright<Scalar>::LineSearch(f, m_loss, m_x, m_grad, m_step,
                                                                 m_drt, m_xp, m_param);
        } catch (const std::exception& e) {
            m_failure = e.what();
        }
        if (m_failure.empty() && !(m_loss <= startLoss))
            m_failure = "the line search ended above the loss it started from";
        if (!m_failure.empty()) {
            m_x = m_xp;
            m_grad = m_gradp;
            m_loss = startLoss;
            return Outcome::LineSearchFailed;
        }
        ++m_k;
        if (gradientSmall())
            return Outcome::GradientSmall;
        if (m_param.past > 0) {
            const Scalar fxd = m_fx[m_k % m_param.past];
            using std::abs;
            if (m_k >= m_param.past &&
                abs(fxd - m_loss) <=
                    m_param.delta * std::max(std::max(abs(m_loss), abs(fxd)), Scalar(1)))
                return Outcome::ChangeSmall;
            m_fx[m_k % m_param.past] = m_loss;
        }
        // s = x_{k+1} - x_k, y = g_{k+1} - g_k
        if (int(m_corrections.size()) == m_param.m)
            m_corrections.pop_front();
        m_corrections.emplace_back(m_x - m_xp, m_grad - m_gradp);
        m_bfgs.add_correction(m_corrections.back().first, m_corrections.back().second);
        m_bfgs.apply_Hv(m_grad, -Scalar(1), m_drt);
        m_step = Scalar(1);
        return Outcome::Continue;
    }

    // Everything the next iteration reads: the point, its gradient and loss, the direction and
    // first trial step, the iteration count, the past losses and the correction pairs (s, y),
    // oldest first.
    struct Saved {
        Vector x, grad, drt, fx;
        Scalar loss = 0, step = 0;
        int k = 0;
        std::deque<std::pair<Vector, Vector>> corrections;
    };
    Saved saved() const { return {m_x, m_grad, m_drt, m_fx, m_loss, m_step, m_k, m_corrections}; }
    // Goes on from `s` as the stepper it was saved from would (same parameters).
    void restore(const Saved& s) {
        const Eigen::Index n = s.x.size();
        m_xp.resize(n);
        m_gradp.resize(n);
        m_x = s.x;
        m_grad = s.grad;
        m_drt = s.drt;
        m_fx = s.fx;
        m_loss = s.loss;
        m_step = s.step;
        m_k = s.k;
        m_corrections = s.corrections;
        m_bfgs.reset(int(n), m_param.m);
        if (m_corrections.empty())
            return;
        // Correction j went into column j mod m; the oldest kept is correction k - size. Pad
        // with the oldest pair so the kept ones land in their own columns (the pads are
        // overwritten: with padding, m pairs follow).
        const int pads = (m_k - int(m_corrections.size())) % m_param.m;
        for (int i = 0; i < pads; ++i)
            m_bfgs.add_correction(m_corrections.front().first, m_corrections.front().second);
        for (const auto& [sv, yv] : m_corrections)
            m_bfgs.add_correction(sv, yv);
    }

    const Vector& x() const { return m_x; }
    const Vector& gradient() const { return m_grad; }
    Scalar loss() const { return m_loss; }
    int iterations() const { return m_k; }
    // Why the last iteration's line search failed (LBFGSpp's message or ours).
    const std::string& failure() const { return m_failure; }

  private:
    bool gradientSmall() const {
        const Scalar gnorm = m_grad.norm();
        return gnorm <= m_param.epsilon || gnorm <= m_param.epsilon_rel * m_x.norm();
    }

    LBFGSpp::LBFGSParam<Scalar> m_param;
    LBFGSpp::BFGSMat<Scalar> m_bfgs;
    Vector m_x, m_xp, m_grad, m_gradp, m_drt, m_fx;
    Scalar m_loss = 0, m_step = 0;
    int m_k = 0;
    std::string m_failure;
    std::deque<std::pair<Vector, Vector>> m_corrections; // the last m, oldest first
};

} // namespace sobolev
