// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/activation.h"

namespace sobolev {

std::string_view activationName(Activation activation) {
    switch (activation) {
    case Activation::Tanh:
        return "tanh";
    case Activation::Sin:
        return "sin";
    case Activation::Softplus:
        return "softplus";
    }
    return "unknown";
}

std::vector<Activation> allActivations() {
    return {Activation::Tanh, Activation::Sin, Activation::Softplus};
}

std::optional<Activation> activationFromName(std::string_view name) {
    for (Activation a : allActivations())
        if (activationName(a) == name)
            return a;
    return std::nullopt;
}

} // namespace sobolev
