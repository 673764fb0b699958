// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationencoder.h"

#include "animationlimits.h"
#include "gifencoder.h"
#include "videoencoder.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::AnimationEncoder", text);
}

// Empty when `size` and `fps` suit `format`, else what is wrong and what is allowed.
QString checkSizeAndRate(const QString& format, QSize size, int fps) {
    namespace limits = animationlimits;
    const QSize lo = limits::minSize, hi = limits::maxSize;
    if (size.width() < lo.width() || size.height() < lo.height() || size.width() > hi.width() ||
        size.height() > hi.height())
        return tr("The animation size %1x%2 is out of range: width %3 to %4, height %5 to %6 "
                  "pixels.")
            .arg(size.width())
            .arg(size.height())
            .arg(lo.width())
            .arg(hi.width())
            .arg(lo.height())
            .arg(hi.height());
    const bool video = format != QLatin1String("gif");
    const int m = limits::videoSizeMultiple;
    if (video && (size.width() % m != 0 || size.height() % m != 0))
        return tr("The animation size %1x%2 is odd: %3 video needs an even width and height "
                  "(e.g. %4x%5).")
            .arg(size.width())
            .arg(size.height())
            .arg(format.toUpper())
            .arg(size.width() + size.width() % m)
            .arg(size.height() + size.height() % m);
    const int maxFps = video ? limits::maxVideoFps : limits::maxGifFps;
    if (fps < limits::minFps || fps > maxFps)
        return tr("The frame rate %1 is out of range: %2 allows %3 to %4 frames per second.")
            .arg(fps)
            .arg(format.toUpper())
            .arg(limits::minFps)
            .arg(maxFps);
    return {};
}

} // namespace

QString animationFormat(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (const char* known : {"gif", "mp4", "webm"})
        if (suffix == QLatin1String(known))
            return suffix;
    return {};
}

std::unique_ptr<AnimationEncoder> openAnimationEncoder(const QString& path, QSize size, int fps,
                                                       QString* error) {
    const QString format = animationFormat(path);
    if (format.isEmpty()) {
        *error = tr("%1: unknown animation format; the file name must end in .gif, .mp4 or "
                    ".webm.")
                     .arg(path);
        return nullptr;
    }
    if (const QString problem = checkSizeAndRate(format, size, fps); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    if (format == QLatin1String("gif"))
        return openGifEncoder(path, size, fps, error);
    return openVideoEncoder(path,
                            format == QLatin1String("mp4") ? VideoCodec::H264 : VideoCodec::Vp9,
                            size, fps, error);
}

} // namespace sobolev
