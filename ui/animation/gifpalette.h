// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRgb>

#include <cstdint>
#include <vector>

namespace sobolev {

// The one global palette of every GIF the workbench writes: the chart colours, each blended
// toward white in even steps (the antialiased edges of lines on a white plot), a grey ramp from
// black to white (text, axes, grid), and one index kept for "unchanged since the last frame".
// A fixed palette keeps every frame's colours the same and needs no per-frame quantisation.
class GifPalette {
  public:
    static constexpr int size = 256; // a GIF colour table's size is a power of two
    static constexpr std::uint8_t transparentIndex = size - 1;

    // Built once, on first use (about 0.1 s), then shared.
    static const GifPalette& chartPalette();

    // The `size` colours, the transparent slot white.
    const std::vector<QRgb>& colors() const { return m_colors; }
    // The nearest palette colour to `rgb` (alpha ignored): a lookup in a 64x64x64 cube of the
    // nearest colour to each cell's centre, where a palette colour's own cell holds that colour,
    // so that a pixel drawn in a palette colour comes back unchanged.
    std::uint8_t indexOf(QRgb rgb) const {
        return m_cube[std::size_t(((qRed(rgb) >> 2) << 12) | ((qGreen(rgb) >> 2) << 6) |
                                  (qBlue(rgb) >> 2))];
    }

  private:
    GifPalette();
    void buildCube(int used);

    std::vector<QRgb> m_colors;
    std::vector<std::uint8_t> m_cube;
};

} // namespace sobolev
