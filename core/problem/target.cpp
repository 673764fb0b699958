// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/target.h"

#include "core/config/numbertext.h"
#include "core/problem/formula/expression.h"

#include <cctype>
#include <cfloat>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sobolev {

namespace {

// T_n(x) and T_n'(x) = n U_{n-1}(x) by the three-term recurrences
// T_{k+1} = 2x T_k - T_{k-1} (T_0 = 1, T_1 = x) and U_{k+1} = 2x U_k - U_{k-1} (U_0 = 1,
// U_1 = 2x): exact polynomials, valid for every x, not only on [-1, 1].
double chebyshevT(int n, double x) {
    double t0 = 1, t1 = x;
    if (n == 0)
        return t0;
    for (int k = 1; k < n; ++k) {
        const double t2 = 2 * x * t1 - t0;
        t0 = t1;
        t1 = t2;
    }
    return t1;
}
double chebyshevTPrime(int n, double x) {
    if (n == 0)
        return 0;
    double u0 = 1, u1 = 2 * x; // U_0, U_1
    if (n == 1)
        return 1; // 1 * U_0
    for (int k = 1; k < n - 1; ++k) {
        const double u2 = 2 * x * u1 - u0;
        u0 = u1;
        u1 = u2;
    }
    return n * u1; // n U_{n-1}
}

} // namespace

Target::Target() = default;

Target Target::fromConfig(const TrainConfig& config) {
    Target t;
    if (const PresetInfo* info = presetByName(config.target)) {
        t.m_preset = info->preset;
        t.m_param = config.targetParam.value_or(info->defaultParam);
        return t;
    }
    std::string error;
    t.m_formula = CompiledFormula::compile(config.target, &error);
    if (!t.m_formula)
        throw std::invalid_argument("target: " + error);
    return t;
}

double Target::f(double x) const {
    if (m_formula)
        return m_formula->f(x);
    const double k = m_param;
    switch (m_preset) {
    case Preset::Runge:
        return 1.0 / (1.0 + k * x * x); // with k = 25 the same operations as runge()
    case Preset::Sine:
        return std::sin(k * x);
    case Preset::Tanh:
        return std::tanh(k * x);
    case Preset::Gaussian:
        return std::exp(-x * x / (2 * k * k));
    case Preset::SmoothAbs:
        return std::sqrt(x * x + k);
    case Preset::Polynomial:
        return chebyshevT(int(k), x);
    case Preset::Pinn:
        return -(1.4 - 3 * x) * std::sin(18 * x);
    }
    return 0;
}

double Target::fprime(double x) const {
    if (m_formula)
        return m_formula->fprime(x);
    const double k = m_param;
    switch (m_preset) {
    case Preset::Runge: {
        // d/dx (1 + k x²)^-1 = -2k x / (1 + k x²)²; with k = 25 the operations of rungePrime().
        const double d = 1.0 + k * x * x;
        return -2.0 * k * x / (d * d);
    }
    case Preset::Sine:
        return k * std::cos(k * x); // d/dx sin(ωx) = ω cos(ωx)
    case Preset::Tanh: {
        const double t = std::tanh(k * x); // d/dx tanh(kx) = k (1 - tanh²(kx))
        return k * (1 - t * t);
    }
    case Preset::Gaussian: // d/dx exp(-x²/2σ²) = -x/σ² exp(-x²/2σ²)
        return -x / (k * k) * std::exp(-x * x / (2 * k * k));
    case Preset::SmoothAbs: // d/dx √(x² + ε) = x / √(x² + ε)
        return x / std::sqrt(x * x + k);
    case Preset::Polynomial: // T_n' = n U_{n-1}
        return chebyshevTPrime(int(k), x);
    case Preset::Pinn: // d/dx [-(1.4 - 3x) sin 18x] = 3 sin 18x - 18 (1.4 - 3x) cos 18x
        return 3 * std::sin(18 * x) - 18 * (1.4 - 3 * x) * std::cos(18 * x);
    }
    return 0;
}

void Target::evaluate(const double* x, double* f, double* fprime, std::size_t n) const {
    if (m_formula)
        return m_formula->evaluate(x, f, fprime, n);
    for (std::size_t i = 0; i < n; ++i) {
        f[i] = this->f(x[i]);
        fprime[i] = this->fprime(x[i]);
    }
}

std::string Target::formula() const {
    if (m_formula)
        return m_formula->formula();
    const std::string k = numberText(m_param, 15);
    switch (m_preset) {
    case Preset::Runge:
        return "1/(1+" + k + "*x^2)";
    case Preset::Sine:
        return "sin(" + k + "*x)";
    case Preset::Tanh:
        return "tanh(" + k + "*x)";
    case Preset::Gaussian:
        return "exp(-x^2/(2*" + k + "^2))";
    case Preset::SmoothAbs:
        return "sqrt(x^2+" + k + ")";
    case Preset::Polynomial:
        return "T_" + k + "(x)";
    case Preset::Pinn:
        return "-(1.4-3*x)*sin(18*x)";
    }
    return {};
}

std::string Target::derivativeFormula() const {
    if (m_formula)
        return m_formula->derivative();
    const std::string k = numberText(m_param, 15);
    switch (m_preset) {
    case Preset::Runge:
        return "-2*" + k + "*x/(1+" + k + "*x^2)^2";
    case Preset::Sine:
        return k + "*cos(" + k + "*x)";
    case Preset::Tanh:
        return k + "*(1-tanh(" + k + "*x)^2)";
    case Preset::Gaussian:
        return "-x/" + k + "^2*exp(-x^2/(2*" + k + "^2))";
    case Preset::SmoothAbs:
        return "x/sqrt(x^2+" + k + ")";
    case Preset::Polynomial:
        return k + "*U_" + numberText(m_param - 1, 15) + "(x)";
    case Preset::Pinn:
        return "3*sin(18*x)-18*(1.4-3*x)*cos(18*x)";
    }
    return {};
}

std::string Target::latex() const {
    if (m_formula)
        return m_formula->latex();
    const std::string k = numberText(m_param, 15);
    switch (m_preset) {
    case Preset::Runge:
        return "\\frac{1}{1+" + k + " x^{2}}";
    case Preset::Sine:
        return "\\sin(" + k + " x)";
    case Preset::Tanh:
        return "\\tanh(" + k + " x)";
    case Preset::Gaussian:
        return "e^{-x^{2}/(2\\cdot " + k + "^{2})}";
    case Preset::SmoothAbs:
        return "\\sqrt{x^{2}+" + k + "}";
    case Preset::Polynomial:
        return "T_{" + k + "}(x)";
    case Preset::Pinn:
        return "-(1.4-3 x) \\sin(18 x)";
    }
    return {};
}

std::string Target::derivativeLatex() const {
    if (m_formula)
        return m_formula->derivativeLatex();
    const std::string k = numberText(m_param, 15);
    switch (m_preset) {
    case Preset::Runge:
        return "-\\frac{2\\cdot " + k + " x}{(1+" + k + " x^{2})^{2}}";
    case Preset::Sine:
        return k + " \\cos(" + k + " x)";
    case Preset::Tanh:
        return k + " (1-\\tanh^{2}(" + k + " x))";
    case Preset::Gaussian:
        return "-\\frac{x}{" + k + "^{2}} e^{-x^{2}/(2\\cdot " + k + "^{2})}";
    case Preset::SmoothAbs:
        return "\\frac{x}{\\sqrt{x^{2}+" + k + "}}";
    case Preset::Polynomial:
        return k + " U_{" + numberText(m_param - 1, 15) + "}(x)";
    case Preset::Pinn:
        return "3 \\sin(18 x)-18 (1.4-3 x) \\cos(18 x)";
    }
    return {};
}

} // namespace sobolev
