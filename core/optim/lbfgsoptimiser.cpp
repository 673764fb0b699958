// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/lbfgsoptimiser.h"

#include "core/config/numbertext.h"
#include "core/config/trainconfig.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace sobolev {

LbfgsParams LbfgsParams::fromConfig(const TrainConfig& c) {
    return {c.lbfgsHistory, c.lbfgsGradientTolerance, c.lbfgsChangeTolerance};
}

void LbfgsParams::check() const {
    std::ostringstream msg;
    if (history < limits::minLbfgsHistory || history > limits::maxLbfgsHistory)
        msg << "L-BFGS history must be from " << limits::minLbfgsHistory << " to "
            << limits::maxLbfgsHistory << ", got " << history;
    else if (!(gradientTolerance >= 0 && std::isfinite(gradientTolerance)))
        msg << "L-BFGS gradient tolerance must be a finite number >= 0, got " << gradientTolerance;
    else if (!(changeTolerance >= 0 && std::isfinite(changeTolerance)))
        msg << "L-BFGS change tolerance must be a finite number >= 0, got " << changeTolerance;
    else
        return;
    throw std::invalid_argument(msg.str());
}

template <typename Scalar> LBFGSpp::LBFGSParam<Scalar> LbfgsParams::lbfgspp() const {
    LBFGSpp::LBFGSParam<Scalar> p;
    p.m = history;
    p.epsilon = Scalar(gradientTolerance);
    p.epsilon_rel = 0; // LBFGSpp's default 1e-5 |x| would stop long before the fit is done
    p.past = changeTolerance > 0 ? 1 : 0;
    p.delta = Scalar(changeTolerance);
    p.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
    return p;
}

template <typename Scalar> struct LbfgsOptimiser<Scalar>::Guarded {
    const Objective& objective;
    bool& sawNonFinite;
    BatchLoss last; // at the last point evaluated
    // A non-finite loss is +infinity to the line search, which then shortens the step.
    Scalar operator()(const Vector& x, Vector& grad) {
        last = objective(x, grad);
        if (!std::isfinite(last.loss) || !grad.allFinite()) {
            sawNonFinite = true;
            return std::numeric_limits<Scalar>::infinity();
        }
        return Scalar(last.loss);
    }
};

template <typename Scalar>
LbfgsOptimiser<Scalar>::LbfgsOptimiser(const LbfgsParams& params)
    : m_params((params.check(), params)), m_stepper(params.lbfgspp<Scalar>()) {}

template <typename Scalar> double LbfgsOptimiser<Scalar>::gradientNorm() const {
    return double(m_stepper.gradient().norm());
}

template <typename Scalar>
OptimiserStep LbfgsOptimiser<Scalar>::start(Vector& x, const Objective& objective) {
    Guarded f{objective, m_sawNonFinite, {}};
    const LbfgsOutcome outcome = m_stepper.start(f, x);
    x = m_stepper.x();
    OptimiserStep s;
    s.terms = f.last;
    if (outcome == LbfgsOutcome::GradientSmall) {
        s.outcome = StepOutcome::Converged;
        s.why = "the gradient norm " + numberText(gradientNorm(), 3) + " is within the tolerance";
    }
    return s;
}

template <typename Scalar>
OptimiserStep LbfgsOptimiser<Scalar>::step(Vector& x, const Objective& objective, double) {
    using Outcome = StepOutcome;
    Guarded f{objective, m_sawNonFinite, {}};
    const LbfgsOutcome outcome = m_stepper.iterate(f);
    // The line search's last evaluation is at the point it accepts, so `last` holds that
    // point's loss terms; after a failure the stepper is back at its previous point.
    x = m_stepper.x();
    OptimiserStep s;
    s.terms = f.last;
    switch (outcome) {
    case LbfgsOutcome::Continue:
        break;
    case LbfgsOutcome::LineSearchFailed:
        s.outcome = Outcome::Failed;
        s.why = m_sawNonFinite ? "the loss was not finite along the search direction"
                               : m_stepper.failure();
        break;
    case LbfgsOutcome::GradientSmall:
        s.outcome = Outcome::Converged;
        s.why = "gradient norm " + numberText(gradientNorm(), 3) +
                " <= " + numberText(m_params.gradientTolerance, 3);
        break;
    case LbfgsOutcome::ChangeSmall:
        s.outcome = Outcome::Converged;
        s.why = "the loss changed by at most " + numberText(m_params.changeTolerance, 3) +
                " (relative)";
        break;
    }
    return s;
}

// numbers: loss, first trial step, iterations, saw non-finite; vectors: x, gradient,
// direction, past losses, then the correction pairs s, y oldest first.
template <typename Scalar> StateRecord LbfgsOptimiser<Scalar>::state() const {
    const typename LbfgsStepper<Scalar>::Saved saved = m_stepper.saved();
    StateRecord r;
    r.numbers = {double(saved.loss), double(saved.step), double(saved.k),
                 m_sawNonFinite ? 1.0 : 0.0};
    for (const Vector* v : {&saved.x, &saved.grad, &saved.drt, &saved.fx})
        r.vectors.push_back(v->template cast<double>());
    for (const auto& [sv, yv] : saved.corrections) {
        r.vectors.push_back(sv.template cast<double>());
        r.vectors.push_back(yv.template cast<double>());
    }
    return r;
}

template <typename Scalar>
void LbfgsOptimiser<Scalar>::restore(const StateRecord& r, Eigen::Index n) {
    const std::size_t pairs = r.vectors.size() >= 4 ? (r.vectors.size() - 4) / 2 : 0;
    const Eigen::Index past = m_params.changeTolerance > 0 ? 1 : 0; // LBFGSpp's `past`
    bool fits = r.numbers.size() == 4 && r.vectors.size() == 4 + 2 * pairs &&
                pairs <= std::size_t(m_params.history) && r.numbers[2] >= double(pairs) &&
                r.numbers[2] < double(std::numeric_limits<int>::max());
    for (std::size_t i = 0; fits && i < r.vectors.size(); ++i)
        fits = r.vectors[i].size() == (i == 3 ? past : n);
    if (!fits)
        throw std::invalid_argument("the saved L-BFGS state does not fit this network");
    typename LbfgsStepper<Scalar>::Saved saved;
    saved.loss = Scalar(r.numbers[0]);
    saved.step = Scalar(r.numbers[1]);
    saved.k = int(r.numbers[2]);
    saved.x = r.vectors[0].cast<Scalar>();
    saved.grad = r.vectors[1].cast<Scalar>();
    saved.drt = r.vectors[2].cast<Scalar>();
    saved.fx = r.vectors[3].cast<Scalar>();
    for (std::size_t p = 0; p < pairs; ++p)
        saved.corrections.emplace_back(r.vectors[4 + 2 * p].cast<Scalar>(),
                                       r.vectors[5 + 2 * p].cast<Scalar>());
    m_stepper.restore(saved);
    m_sawNonFinite = r.numbers[3] != 0;
}

template class LbfgsOptimiser<float>;
template class LbfgsOptimiser<double>;

} // namespace sobolev
