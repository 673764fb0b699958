// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// How different two colours look: CIEDE2000 (Sharma, Wu and Dalal, "The CIEDE2000
// color-difference formula", 2005) between sRGB colours seen under D65.

#include <QColor>

#include <array>
#include <cmath>
#include <numbers>

namespace sobolev::testutil {

// CIELAB (L*, a*, b*) of an sRGB colour.
inline std::array<double, 3> cielab(const QColor& colour) {
    // sRGB -> linear light -> XYZ (D65) -> L*a*b*
    const auto linear = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double r = linear(colour.redF()), g = linear(colour.greenF()), b = linear(colour.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    const auto f = [](double t) {
        return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

// ΔE00: about 1 is the smallest visible difference between two large patches; thin lines
// need many times that to be told apart at a glance.
inline double ciede2000(const std::array<double, 3>& first, const std::array<double, 3>& second) {
    constexpr double pi = std::numbers::pi;
    const auto radians = [](double degrees) { return degrees * pi / 180; };
    const auto degrees = [](double r) { return r * 180 / pi; };
    const auto [l1, a1, b1] = first;
    const auto [l2, a2, b2] = second;
    const double pow25 = std::pow(25.0, 7);
    const double cMean = (std::hypot(a1, b1) + std::hypot(a2, b2)) / 2;
    const double g = 0.5 * (1 - std::sqrt(std::pow(cMean, 7) / (std::pow(cMean, 7) + pow25)));
    const double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
    const double c1p = std::hypot(a1p, b1), c2p = std::hypot(a2p, b2);
    const auto hue = [&](double b, double ap) {
        return b == 0 && ap == 0 ? 0.0 : std::fmod(degrees(std::atan2(b, ap)) + 360, 360);
    };
    const double h1p = hue(b1, a1p), h2p = hue(b2, a2p);
    double dh = 0;
    if (c1p * c2p != 0) {
        dh = h2p - h1p;
        dh += dh > 180 ? -360 : dh < -180 ? 360 : 0;
    }
    const double dL = l2 - l1, dC = c2p - c1p;
    const double dH = 2 * std::sqrt(c1p * c2p) * std::sin(radians(dh / 2));
    const double lMean = (l1 + l2) / 2, cpMean = (c1p + c2p) / 2;
    double hMean = h1p + h2p;
    if (c1p * c2p != 0)
        hMean = std::abs(h1p - h2p) <= 180 ? hMean / 2
                : hMean < 360              ? (hMean + 360) / 2
                                           : (hMean - 360) / 2;
    const double t = 1 - 0.17 * std::cos(radians(hMean - 30)) +
                     0.24 * std::cos(radians(2 * hMean)) + 0.32 * std::cos(radians(3 * hMean + 6)) -
                     0.20 * std::cos(radians(4 * hMean - 63));
    const double dTheta = 30 * std::exp(-std::pow((hMean - 275) / 25, 2));
    const double rC = 2 * std::sqrt(std::pow(cpMean, 7) / (std::pow(cpMean, 7) + pow25));
    const double sL = 1 + 0.015 * std::pow(lMean - 50, 2) / std::sqrt(20 + std::pow(lMean - 50, 2));
    const double sC = 1 + 0.045 * cpMean, sH = 1 + 0.015 * cpMean * t;
    const double rT = -std::sin(radians(2 * dTheta)) * rC;
    return std::sqrt(std::pow(dL / sL, 2) + std::pow(dC / sC, 2) + std::pow(dH / sH, 2) +
                     rT * (dC / sC) * (dH / sH));
}

inline double ciede2000(const QColor& first, const QColor& second) {
    return ciede2000(cielab(first), cielab(second));
}

} // namespace sobolev::testutil
