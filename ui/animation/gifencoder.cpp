// SPDX-License-Identifier: GPL-3.0-or-later
#include "gifencoder.h"

#include "frameimage.h"
#include "gifpalette.h"
#include "partialfile.h"

#include <QCoreApplication>
#include <QFile>

#include <gif_lib.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::GifEncoder", text);
}

QString gifError(int code) {
    const char* text = GifErrorString(code);
    return text ? QString::fromUtf8(text) : tr("giflib error %1").arg(code);
}

// The smallest rectangle holding every pixel where `a` and `b` differ; empty when none does.
QRect changedRect(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                  QSize size) {
    int left = size.width(), right = -1, top = -1, bottom = -1;
    for (int y = 0; y < size.height(); ++y) {
        const std::uint8_t* rowA = a.data() + std::size_t(y) * std::size_t(size.width());
        const std::uint8_t* rowB = b.data() + std::size_t(y) * std::size_t(size.width());
        if (std::equal(rowA, rowA + size.width(), rowB))
            continue;
        if (top < 0)
            top = y;
        bottom = y;
        int x = 0;
        while (rowA[x] == rowB[x])
            ++x;
        left = std::min(left, x);
        x = size.width() - 1;
        while (rowA[x] == rowB[x])
            --x;
        right = std::max(right, x);
    }
    if (top < 0)
        return {};
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

class GifEncoder final : public AnimationEncoder {
  public:
    GifEncoder(const QString& path, QSize size, int fps, QString* error)
        : m_file(path, error), m_size(size), m_fps(fps), m_palette(GifPalette::chartPalette()) {
        if (!m_file.path().isEmpty())
            open(error);
    }
    ~GifEncoder() override { close(nullptr); }

    bool isOpen() const { return m_gif != nullptr; }
    bool addFrame(const QImage& frame, QString* error) override;
    bool finish(QString* error) override;

  private:
    void open(QString* error);
    bool close(QString* error);
    // The palette index of each pixel of `image` (opaque, RGB32, of the animation's size).
    void toIndices(const QImage& image);
    bool writeFrame(QRect rect, QString* error);
    // The frame's delay in 1/100 s: the rounded end time minus the rounded start time.
    int delay(int frame) const {
        const auto at = [this](int n) { return (200 * n + m_fps) / (2 * m_fps); };
        return at(frame + 1) - at(frame);
    }

    PartialFile m_file;
    QSize m_size;
    int m_fps;
    const GifPalette& m_palette;
    GifFileType* m_gif = nullptr;
    int m_frames = 0;
    std::vector<std::uint8_t> m_previous, m_current, m_line;
};

void GifEncoder::open(QString* error) {
    int code = 0;
    m_gif = EGifOpenFileName(QFile::encodeName(m_file.path()).constData(), false, &code);
    if (!m_gif) {
        *error = tr("Cannot write %1: %2").arg(m_file.target(), gifError(code));
        return;
    }
    EGifSetGifVersion(m_gif, true); // GIF89a: delays, transparency and looping
    std::vector<GifColorType> colors;
    for (QRgb c : m_palette.colors())
        colors.push_back({GifByteType(qRed(c)), GifByteType(qGreen(c)), GifByteType(qBlue(c))});
    ColorMapObject* map = GifMakeMapObject(GifPalette::size, colors.data());
    const int white = m_palette.indexOf(qRgb(255, 255, 255));
    const bool ok =
        map && EGifPutScreenDesc(m_gif, m_size.width(), m_size.height(), 8, white, map) == GIF_OK;
    GifFreeMapObject(map);
    // NETSCAPE2.0 application block: loop for ever (count 0, little-endian).
    static const GifByteType loop[3] = {1, 0, 0};
    if (!ok || EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
        EGifPutExtensionBlock(m_gif, 11, "NETSCAPE2.0") != GIF_OK ||
        EGifPutExtensionBlock(m_gif, 3, loop) != GIF_OK ||
        EGifPutExtensionTrailer(m_gif) != GIF_OK) {
        *error = tr("Cannot write %1: %2").arg(m_file.target(), gifError(m_gif->Error));
        close(nullptr);
        return;
    }
    const std::size_t pixels = std::size_t(m_size.width()) * std::size_t(m_size.height());
    m_previous.assign(pixels, 0);
    m_current.assign(pixels, 0);
    m_line.resize(std::size_t(m_size.width()));
}

bool GifEncoder::close(QString* error) {
    if (!m_gif)
        return true;
    int code = 0;
    const bool ok = EGifCloseFile(m_gif, &code) == GIF_OK; // frees m_gif either way
    m_gif = nullptr;
    if (!ok && error)
        *error = tr("Cannot write %1: %2").arg(m_file.target(), gifError(code));
    return ok;
}

void GifEncoder::toIndices(const QImage& image) {
    for (int y = 0; y < m_size.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        std::uint8_t* out = m_current.data() + std::size_t(y) * std::size_t(m_size.width());
        for (int x = 0; x < m_size.width(); ++x)
            out[x] = m_palette.indexOf(row[x]);
    }
}

bool GifEncoder::addFrame(const QImage& frame, QString* error) {
    if (!m_gif) {
        *error = tr("The GIF %1 is closed after an earlier error.").arg(m_file.target());
        return false;
    }
    const QImage image = opaqueFrame(frame, m_size);
    if (image.isNull()) {
        *error = tr("Frame %1 of %2 is an empty image.").arg(m_frames + 1).arg(m_file.target());
        return false;
    }
    toIndices(image);
    QRect rect =
        m_frames == 0 ? QRect(QPoint(0, 0), m_size) : changedRect(m_previous, m_current, m_size);
    if (rect.isEmpty())
        rect = QRect(0, 0, 1, 1); // a frame without change still takes its time: one clear pixel
    if (!writeFrame(rect, error)) {
        close(nullptr);
        return false;
    }
    std::swap(m_previous, m_current);
    ++m_frames;
    return true;
}

bool GifEncoder::writeFrame(QRect rect, QString* error) {
    const bool first = m_frames == 0;
    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = delay(m_frames);
    control.TransparentColor = first ? NO_TRANSPARENT_COLOR : GifPalette::transparentIndex;
    GifByteType extension[4];
    EGifGCBToExtension(&control, extension);
    bool ok = EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, 4, extension) == GIF_OK &&
              EGifPutImageDesc(m_gif, rect.left(), rect.top(), rect.width(), rect.height(), false,
                               nullptr) == GIF_OK;
    for (int y = rect.top(); ok && y <= rect.bottom(); ++y) {
        const std::size_t row = std::size_t(y) * std::size_t(m_size.width());
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const std::uint8_t now = m_current[row + std::size_t(x)];
            m_line[std::size_t(x - rect.left())] = !first && now == m_previous[row + std::size_t(x)]
                                                       ? GifPalette::transparentIndex
                                                       : now;
        }
        ok = EGifPutLine(m_gif, m_line.data(), rect.width()) == GIF_OK;
    }
    if (!ok)
        *error = tr("Cannot write %1: %2").arg(m_file.target(), gifError(m_gif->Error));
    return ok;
}

bool GifEncoder::finish(QString* error) {
    if (!m_gif) {
        *error = tr("The GIF %1 is closed after an earlier error.").arg(m_file.target());
        return false;
    }
    if (m_frames == 0) { // no player shows a GIF without images
        *error = tr("The GIF %1 has no frames.").arg(m_file.target());
        return false;
    }
    return close(error) && m_file.commit(error);
}

} // namespace

std::unique_ptr<AnimationEncoder> openGifEncoder(const QString& path, QSize size, int fps,
                                                 QString* error) {
    auto encoder = std::make_unique<GifEncoder>(path, size, fps, error);
    if (!encoder->isOpen())
        return nullptr;
    return encoder;
}

} // namespace sobolev
