// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace sobolev {

// The built-in targets. Their f and exact f' are written out in core/problem/target.cpp; this
// table is what a config needs to know of them: the names, the parameter and its range.
enum class Preset { Runge, Sine, Tanh, Gaussian, SmoothAbs, Polynomial, Pinn };

struct PresetInfo {
    Preset preset;
    const char* name;      // the config value: "runge", "sine", ...
    const char* title;     // "Runge 1/(1 + k x²)"
    const char* paramName; // "k", "omega", ...; nullptr: no parameter
    double defaultParam;
    double minParam, maxParam;
    double domainMin, domainMax; // where the preset is usually shown
};

const std::vector<PresetInfo>& presets();
const PresetInfo* presetByName(std::string_view name);
const PresetInfo& presetInfo(Preset preset);

} // namespace sobolev
