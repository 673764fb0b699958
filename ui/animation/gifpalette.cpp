// SPDX-License-Identifier: GPL-3.0-or-later
#include "gifpalette.h"

#include "chartstyle.h"

#include <QColor>

#include <algorithm>

namespace sobolev {

namespace {

constexpr int greyLevels = 24;

// Every colour a chart draws lines, points and markers in.
std::vector<QRgb> chartColors() {
    namespace cs = chartstyle;
    std::vector<QRgb> out;
    const auto add = [&](const QColor& c) {
        const QRgb rgb = c.rgb();
        if (std::find(out.begin(), out.end(), rgb) == out.end())
            out.push_back(rgb);
    };
    for (cs::Role role : {cs::Role::Loss, cs::Role::F, cs::Role::Fprime, cs::Role::WeightedF,
                          cs::Role::WeightedFprime, cs::Role::Truth, cs::Role::TrainingPoints})
        add(cs::color(role));
    for (int i = 0; i < 10; ++i)
        add(cs::categoryColor(i));
    for (BaselineKind kind : allBaselineKinds())
        add(cs::baselineColor(kind));
    // The training chart's own lines: learning rate, L-BFGS phase, a live change and its label.
    for (const QColor& c :
         {QColor(110, 110, 110), QColor(200, 60, 160), QColor(230, 120, 0), QColor(170, 80, 0)})
        add(c);
    return out;
}

// c + t (white - c), per channel, rounded.
QRgb towardWhite(QRgb c, double t) {
    const auto blend = [t](int v) { return int(v + t * (255 - v) + 0.5); };
    return qRgb(blend(qRed(c)), blend(qGreen(c)), blend(qBlue(c)));
}

// Squared distance with weights for the eye's sensitivity (green most, blue least).
int distance(QRgb a, QRgb b) {
    const int dr = qRed(a) - qRed(b), dg = qGreen(a) - qGreen(b), db = qBlue(a) - qBlue(b);
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

} // namespace

const GifPalette& GifPalette::chartPalette() {
    static const GifPalette palette;
    return palette;
}

GifPalette::GifPalette() : m_colors(size, qRgb(255, 255, 255)) {
    const std::vector<QRgb> bases = chartColors();
    // What is left after the greys and the transparent slot, shared out among the colours:
    // each takes itself and perColor - 1 blends.
    const int perColor = std::max(1, (size - 1 - greyLevels) / int(bases.size()));
    int used = 0;
    // Blends first and the pure colours, black and white last: in buildCube a later colour
    // wins a cube cell it shares with an earlier one.
    for (int step = perColor - 1; step >= 1; --step)
        for (QRgb c : bases)
            m_colors[size_t(used++)] = towardWhite(c, double(step) / perColor);
    for (int level = 1; level < greyLevels - 1; ++level) {
        const int v = (255 * level + (greyLevels - 1) / 2) / (greyLevels - 1);
        m_colors[size_t(used++)] = qRgb(v, v, v);
    }
    for (QRgb c : bases)
        m_colors[size_t(used++)] = c;
    m_colors[size_t(used++)] = qRgb(0, 0, 0);
    m_colors[size_t(used++)] = qRgb(255, 255, 255);
    Q_ASSERT(used <= transparentIndex);
    buildCube(used);
}

void GifPalette::buildCube(int used) {
    m_cube.assign(size_t(64 * 64 * 64), 0);
    for (int r = 0; r < 64; ++r)
        for (int g = 0; g < 64; ++g)
            for (int b = 0; b < 64; ++b) {
                const QRgb centre = qRgb(4 * r + 2, 4 * g + 2, 4 * b + 2);
                int best = 0, bestDistance = distance(centre, m_colors[0]);
                for (int i = 1; i < used; ++i) {
                    const int d = distance(centre, m_colors[size_t(i)]);
                    if (d < bestDistance) {
                        best = i;
                        bestDistance = d;
                    }
                }
                m_cube[size_t((r << 12) | (g << 6) | b)] = std::uint8_t(best);
            }
    for (int i = 0; i < used; ++i) {
        const QRgb c = m_colors[size_t(i)];
        m_cube[size_t(((qRed(c) >> 2) << 12) | ((qGreen(c) >> 2) << 6) | (qBlue(c) >> 2))] =
            std::uint8_t(i);
    }
}

} // namespace sobolev
