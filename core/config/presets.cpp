// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/presets.h"

#include "core/config/trainconfig.h"

#include <numbers>

namespace sobolev {

const std::vector<PresetInfo>& presets() {
    constexpr double pi = std::numbers::pi;
    static const std::vector<PresetInfo> all{
        {Preset::Runge, "runge", "Runge 1/(1 + k x²)", "k", 25.0, 1e-6, limits::maxTargetParam, -1,
         1},
        {Preset::Sine, "sine", "sin(ω x)", "omega", 2 * pi, 1e-6, limits::maxTargetParam, -1, 1},
        {Preset::Tanh, "tanh", "tanh(k x), a smoothed step", "k", 10.0, 1e-6,
         limits::maxTargetParam, -1, 1},
        {Preset::Gaussian, "gaussian", "Gaussian bump exp(−x²/(2σ²))", "sigma", 0.2, 1e-3,
         limits::maxTargetParam, -1, 1},
        {Preset::SmoothAbs, "smooth_abs", "smoothed |x| = √(x² + ε)", "eps", 0.01, 1e-12,
         limits::maxTargetParam, -1, 1},
        {Preset::Polynomial, "polynomial", "Chebyshev polynomial T_n(x)", "degree", 5.0, 0,
         double(limits::maxPolynomialDegree), -1, 1},
        {Preset::Pinn, "pinn", "−(1.4 − 3x) sin(18x), the gradient-enhanced PINN example", nullptr,
         0.0, 0, 0, 0, 1},
    };
    return all;
}

const PresetInfo* presetByName(std::string_view name) {
    for (const PresetInfo& p : presets())
        if (name == p.name)
            return &p;
    return nullptr;
}

const PresetInfo& presetInfo(Preset preset) {
    for (const PresetInfo& p : presets())
        if (p.preset == preset)
            return p;
    return presets().front();
}

} // namespace sobolev
