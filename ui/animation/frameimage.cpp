// SPDX-License-Identifier: GPL-3.0-or-later
#include "frameimage.h"

#include <QPainter>

namespace sobolev {

QImage opaqueFrame(const QImage& frame, QSize size) {
    if (frame.isNull())
        return {};
    const QImage sized = frame.size() == size
                             ? frame
                             : frame.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    if (!sized.hasAlphaChannel())
        return sized.convertToFormat(QImage::Format_RGB32);
    // Converting would drop alpha and leave premultiplied pixels over black.
    QImage opaque(size, QImage::Format_RGB32);
    opaque.fill(Qt::white);
    QPainter painter(&opaque);
    painter.drawImage(0, 0, sized);
    return opaque;
}

} // namespace sobolev
