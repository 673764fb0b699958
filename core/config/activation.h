// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// Every activation must supply sigma, sigma' and sigma'' (see mlp.cpp): the
// derivative loss differentiates the network twice.
enum class Activation { Tanh, Sin, Softplus };

std::string_view activationName(Activation activation);
std::optional<Activation> activationFromName(std::string_view name);
std::vector<Activation> allActivations();

} // namespace sobolev
