// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/presets.h"
#include "core/config/trainconfig.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// The Runge function f(x) = 1 / (1 + 25 x^2) and its derivative (the reference target).
inline double runge(double x) {
    return 1.0 / (1.0 + 25.0 * x * x);
}
inline double rungePrime(double x) {
    const double d = 1.0 + 25.0 * x * x;
    return -50.0 * x / (d * d);
}

class CompiledFormula; // expression.h

// A config's target f and its derivative f', evaluated in double. Copies share the compiled
// formula, which is immutable: a Target may be used from several threads at once.
class Target {
  public:
    // The reference target, Runge with k = 25.
    Target();
    // Throws std::invalid_argument naming the problem when the config's target is not a
    // preset or a valid formula (validate() reports the same problems).
    static Target fromConfig(const TrainConfig& config);

    double f(double x) const;
    double fprime(double x) const;
    // f and f' at n points.
    void evaluate(const double* x, double* f, double* fprime, std::size_t n) const;

    bool isPreset() const { return !m_formula; }
    Preset preset() const { return m_preset; }
    double param() const { return m_param; }
    // f(x) and f'(x) in a plain text form ("1/(1+25*x^2)") and in LaTeX.
    std::string formula() const;
    std::string derivativeFormula() const;
    std::string latex() const;
    std::string derivativeLatex() const;

  private:
    Preset m_preset = Preset::Runge;
    double m_param = 25.0;
    std::shared_ptr<const CompiledFormula> m_formula; // set for a typed formula
};

} // namespace sobolev
