// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Pixel checks for pictures of charts and panels, which a blank or empty picture fails, and
// where such pictures go.

#include <QColor>
#include <QImage>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace sobolev::testutil {

// Pictures a test writes go to a QTemporaryDir of the test's own, since ctest -j runs the
// tests side by side. With SOBOLEV_KEEP_TEST_IMAGES set the folder is kept and named, for a
// person to look at the pictures.
inline void keepImagesIfAsked(QTemporaryDir& dir) {
    if (qEnvironmentVariableIsSet("SOBOLEV_KEEP_TEST_IMAGES")) {
        dir.setAutoRemove(false);
        qInfo("pictures kept in %s", qPrintable(dir.path()));
    }
}

// The pixels of `area` (in the image's pixels; an empty one means the whole image) that pass
// `test`.
template <typename Test> int countPixels(const QImage& image, QRect area, Test test) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    area = area.isEmpty() ? rgb.rect() : area.intersected(rgb.rect());
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = area.left(); x <= area.right(); ++x)
            n += test(line[x]) ? 1 : 0;
    }
    return n;
}

// Pixels whose red, green and blue are each within `tolerance` of `colour`'s: the cores of
// a curve's strokes, a marker's fill.
inline int pixelsNear(const QImage& image, const QColor& colour, QRect area = {},
                      int tolerance = 24) {
    return countPixels(image, area, [&](QRgb p) {
        return std::abs(qRed(p) - colour.red()) <= tolerance &&
               std::abs(qGreen(p) - colour.green()) <= tolerance &&
               std::abs(qBlue(p) - colour.blue()) <= tolerance;
    });
}

// Pixels with red, green and blue all at most `maxLevel`: text and dark lines on white.
inline int darkPixels(const QImage& image, QRect area = {}, int maxLevel = 110) {
    return countPixels(image, area, [&](QRgb p) {
        return qRed(p) <= maxLevel && qGreen(p) <= maxLevel && qBlue(p) <= maxLevel;
    });
}

// How many different colours `area` has, counted up to `cap`: 1 for a blank picture.
inline int distinctColours(const QImage& image, QRect area = {}, int cap = 256) {
    std::vector<QRgb> seen;
    countPixels(image, area, [&](QRgb p) {
        if (int(seen.size()) < cap && std::find(seen.begin(), seen.end(), p) == seen.end())
            seen.push_back(p);
        return false;
    });
    return int(seen.size());
}

// A part of `image` given as fractions of its width and height, for pictures (such as
// exported files) whose layout is only roughly known.
inline QRect imagePart(const QImage& image, double left, double top, double right, double bottom) {
    return QRect(QPoint(int(left * image.width()), int(top * image.height())),
                 QPoint(int(right * image.width()) - 1, int(bottom * image.height()) - 1));
}
} // namespace sobolev::testutil
