// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationencoder.h"
#include "animationlimits.h"
#include "chartstyle.h"
#include "ffprobe.h"
#include "gifpalette.h"

#include <QDir>
#include <QPainter>
#include <QPainterPath>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <gif_lib.h>

#include <cmath>
#include <memory>

using namespace sobolev;
namespace cs = sobolev::chartstyle;

class TestAnimationEncoder : public QObject {
    Q_OBJECT
  private slots:
    void writesEveryFrame_data();
    void writesEveryFrame();
    void gifFramesComeBackInPaletteColours();
    void gifDelaysAddUpToTheDuration();
    void framesOfAnotherSizeAreScaled();
    void transparentPixelsBecomeWhite();
    void refusesEmptyFramesAndAnimations_data();
    void refusesEmptyFramesAndAnimations();
    void refusesBadInput_data();
    void refusesBadInput();
    void unwritableFolderNamesTheReason();
    void noFileWithoutFinish_data();
    void noFileWithoutFinish();
};

namespace {

// Something like a chart: white, a grey grid, an antialiased curve in the f colour that moves
// with `k`, a dot in a category colour crossing the frame, and a caption.
QImage chartLikeFrame(int k, QSize size) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setPen(QColor(0xdd, 0xdd, 0xdd));
    for (int x = 0; x < size.width(); x += 40)
        p.drawLine(x, 0, x, size.height());
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath curve;
    for (int x = 0; x < size.width(); ++x) {
        const double y = size.height() * (0.5 + 0.35 * std::sin(x * 0.03 + k * 0.2));
        x == 0 ? curve.moveTo(x, y) : curve.lineTo(x, y);
    }
    p.setPen(QPen(cs::color(cs::Role::F), 2));
    p.drawPath(curve);
    p.setPen(Qt::NoPen);
    p.setBrush(cs::categoryColor(k % 10));
    p.drawEllipse(QPointF(10 + 7 * k % size.width(), size.height() / 3.0), 9, 9);
    p.setPen(Qt::black);
    p.drawText(8, size.height() - 8, QStringLiteral("epoch %1").arg(k));
    return image;
}

bool writeAnimation(const QString& path, QSize size, int fps, int frames, QString* error) {
    std::unique_ptr<AnimationEncoder> encoder = openAnimationEncoder(path, size, fps, error);
    if (!encoder)
        return false;
    for (int k = 0; k < frames; ++k)
        if (!encoder->addFrame(chartLikeFrame(k, size), error))
            return false;
    return encoder->finish(error);
}

QStringList filesIn(const QString& dir) {
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
}

struct GifFile {
    GifFileType* gif = nullptr;
    explicit GifFile(const QString& path) {
        int error = 0;
        gif = DGifOpenFileName(QFile::encodeName(path).constData(), &error);
        if (gif && DGifSlurp(gif) != GIF_OK) {
            DGifCloseFile(gif, &error);
            gif = nullptr;
        }
    }
    ~GifFile() {
        int error = 0;
        if (gif)
            DGifCloseFile(gif, &error);
    }
    GraphicsControlBlock control(int frame) const {
        GraphicsControlBlock block{};
        DGifSavedExtensionToGCB(gif, frame, &block);
        return block;
    }
};

} // namespace

void TestAnimationEncoder::writesEveryFrame_data() {
    addAnimationFormatRows();
}

void TestAnimationEncoder::writesEveryFrame() {
    QFETCH(QString, suffix);
    QFETCH(QString, codec);
    if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
        QSKIP("ffprobe is missing (Debian: ffmpeg; scripts/install-deps.sh installs it)");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.") + suffix);
    QString error;
    // An odd number of frames, more than an encoder buffers before its first packet.
    QVERIFY2(writeAnimation(path, QSize(320, 180), 15, 37, &error), qPrintable(error));
    QCOMPARE(probe(path), codec + QStringLiteral(",320,180,37"));
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("run.") + suffix});
}

void TestAnimationEncoder::gifFramesComeBackInPaletteColours() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.gif"));
    const QSize size(200, 120);
    const int frames = 12;
    QString error;
    QVERIFY2(writeAnimation(path, size, 10, frames, &error), qPrintable(error));

    GifFile file(path);
    QVERIFY(file.gif);
    QCOMPARE(file.gif->ImageCount, frames);
    QCOMPARE(file.gif->SWidth, size.width());
    QCOMPARE(file.gif->SHeight, size.height());
    const ColorMapObject* map = file.gif->SColorMap;
    QVERIFY(map);
    // Frames after the first hold only what changed; replay them as a viewer does ("do not
    // dispose", transparent pixels keep what is below) and compare each with its source frame
    // mapped to the palette: a pixel drawn in a palette colour comes back exactly.
    const GifPalette& palette = GifPalette::chartPalette();
    std::vector<int> canvas(std::size_t(size.width() * size.height()), -1);
    for (int k = 0; k < frames; ++k) {
        const SavedImage& image = file.gif->SavedImages[k];
        const GifImageDesc& d = image.ImageDesc;
        const int transparent = file.control(k).TransparentColor;
        for (int y = 0; y < d.Height; ++y)
            for (int x = 0; x < d.Width; ++x) {
                const int index = image.RasterBits[y * d.Width + x];
                if (index != transparent)
                    canvas[std::size_t((d.Top + y) * size.width() + d.Left + x)] = index;
            }
        const QImage source = chartLikeFrame(k, size);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                const int index = canvas[std::size_t(y * size.width() + x)];
                QVERIFY2(
                    index >= 0,
                    qPrintable(
                        QStringLiteral("frame %1 leaves (%2, %3) unset").arg(k).arg(x).arg(y)));
                const GifColorType c = map->Colors[index];
                const QRgb expected = palette.colors()[palette.indexOf(source.pixel(x, y))];
                if (qRgb(c.Red, c.Green, c.Blue) != expected)
                    QFAIL(qPrintable(QStringLiteral("frame %1, pixel (%2, %3): %4, expected %5")
                                         .arg(k)
                                         .arg(x)
                                         .arg(y)
                                         .arg(QColor(qRgb(c.Red, c.Green, c.Blue)).name(),
                                              QColor(expected).name())));
            }
    }
    // The dot of the last frame, filled in a category colour, is that colour to the bit.
    const QPoint dot(10 + 7 * (frames - 1), size.height() / 3);
    const GifColorType c = map->Colors[canvas[std::size_t(dot.y() * size.width() + dot.x())]];
    QCOMPARE(QColor(qRgb(c.Red, c.Green, c.Blue)), cs::categoryColor((frames - 1) % 10));
}

void TestAnimationEncoder::gifDelaysAddUpToTheDuration() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.gif"));
    QString error;
    // 15 fps: 6.67 hundredths of a second a frame, so 7, 6, 7, ...; 30 frames make 2 s.
    QVERIFY2(writeAnimation(path, QSize(96, 64), 15, 30, &error), qPrintable(error));
    GifFile file(path);
    QVERIFY(file.gif);
    int total = 0;
    for (int k = 0; k < file.gif->ImageCount; ++k) {
        const int delay = file.control(k).DelayTime;
        QVERIFY2(delay == 6 || delay == 7, qPrintable(QString::number(delay)));
        total += delay;
    }
    QCOMPARE(total, 200);
}

void TestAnimationEncoder::framesOfAnotherSizeAreScaled() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.gif"));
    QString error;
    std::unique_ptr<AnimationEncoder> encoder =
        openAnimationEncoder(path, QSize(100, 80), 5, &error);
    QVERIFY2(encoder, qPrintable(error));
    QVERIFY2(encoder->addFrame(chartLikeFrame(0, QSize(300, 240)), &error), qPrintable(error));
    QVERIFY2(encoder->finish(&error), qPrintable(error));
    GifFile file(path);
    QVERIFY(file.gif);
    QCOMPARE(file.gif->SWidth, 100);
    QCOMPARE(file.gif->SHeight, 80);
}

void TestAnimationEncoder::transparentPixelsBecomeWhite() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.gif"));
    QImage frame(96, 64, QImage::Format_ARGB32_Premultiplied);
    frame.fill(Qt::transparent);
    frame.setPixelColor(40, 30, cs::color(cs::Role::Fprime));
    QString error;
    std::unique_ptr<AnimationEncoder> encoder = openAnimationEncoder(path, frame.size(), 5, &error);
    QVERIFY2(encoder, qPrintable(error));
    QVERIFY2(encoder->addFrame(frame, &error), qPrintable(error));
    QVERIFY2(encoder->finish(&error), qPrintable(error));
    GifFile file(path);
    QVERIFY(file.gif);
    const auto colorAt = [&](int x, int y) {
        const GifColorType c =
            file.gif->SColorMap->Colors[file.gif->SavedImages[0].RasterBits[y * 96 + x]];
        return QColor(c.Red, c.Green, c.Blue);
    };
    QCOMPARE(colorAt(0, 0), QColor(Qt::white));
    QCOMPARE(colorAt(40, 30), cs::color(cs::Role::Fprime));
}

void TestAnimationEncoder::refusesEmptyFramesAndAnimations_data() {
    QTest::addColumn<QString>("suffix");
    QTest::addRow("gif") << "gif";
    QTest::addRow("mp4") << "mp4";
}

void TestAnimationEncoder::refusesEmptyFramesAndAnimations() {
    QFETCH(QString, suffix);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.") + suffix);
    QString error;
    std::unique_ptr<AnimationEncoder> encoder =
        openAnimationEncoder(path, QSize(96, 64), 5, &error);
    QVERIFY2(encoder, qPrintable(error));
    QVERIFY(!encoder->addFrame(QImage(), &error));
    QVERIFY2(error.contains(QStringLiteral("Frame 1")) && error.contains(path), qPrintable(error));
}

void TestAnimationEncoder::refusesBadInput_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("fps");
    QTest::addColumn<QStringList>("mentions");
    const QSize ok(800, 450);
    QTest::addRow("unknown suffix")
        << "run.avi" << ok << 15 << QStringList{"run.avi", ".gif", ".mp4", ".webm"};
    QTest::addRow("no suffix") << "run" << ok << 15 << QStringList{".gif", ".mp4", ".webm"};
    QTest::addRow("too small") << "run.gif" << QSize(63, 450) << 15
                               << QStringList{"63x450", "64", "3840", "2160"};
    QTest::addRow("too large") << "run.mp4" << QSize(3840, 2162) << 15
                               << QStringList{"3840x2162", "64", "3840", "2160"};
    QTest::addRow("odd video") << "run.webm" << QSize(801, 451) << 15
                               << QStringList{"801x451", "even", "802x452"};
    QTest::addRow("no frames per second") << "run.mp4" << ok << 0 << QStringList{"0", "1", "60"};
    QTest::addRow("gif too fast") << "run.gif" << ok << 51 << QStringList{"51", "1", "50"};
}

void TestAnimationEncoder::refusesBadInput() {
    QFETCH(QString, name);
    QFETCH(QSize, size);
    QFETCH(int, fps);
    QFETCH(QStringList, mentions);
    QTemporaryDir dir;
    QString error;
    QVERIFY(!openAnimationEncoder(dir.filePath(name), size, fps, &error));
    for (const QString& m : mentions)
        QVERIFY2(error.contains(m), qPrintable(error + QStringLiteral(" lacks ") + m));
    QVERIFY(filesIn(dir.path()).isEmpty());
}

void TestAnimationEncoder::unwritableFolderNamesTheReason() {
    // A folder that is a file: refused even for root, whom permissions do not stop.
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("notafolder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    for (const char* suffix : {"gif", "mp4", "webm"}) {
        QString error;
        const QString path = blocker.fileName() + QStringLiteral("/run.") + QLatin1String(suffix);
        QVERIFY(!openAnimationEncoder(path, QSize(320, 180), 15, &error));
        QVERIFY2(error.contains(QStringLiteral("Not a directory")), qPrintable(error));
        QVERIFY2(error.contains(blocker.fileName()), qPrintable(error));
    }
    QCOMPARE(filesIn(dir.path()), QStringList{QStringLiteral("notafolder")});
}

void TestAnimationEncoder::noFileWithoutFinish_data() {
    QTest::addColumn<QString>("suffix");
    QTest::addRow("gif") << "gif";
    QTest::addRow("mp4") << "mp4";
    QTest::addRow("webm") << "webm";
}

void TestAnimationEncoder::noFileWithoutFinish() {
    QFETCH(QString, suffix);
    QTemporaryDir dir;
    QString error;
    {
        std::unique_ptr<AnimationEncoder> encoder = openAnimationEncoder(
            dir.filePath(QStringLiteral("run.") + suffix), QSize(320, 180), 15, &error);
        QVERIFY2(encoder, qPrintable(error));
        for (int k = 0; k < 5; ++k)
            QVERIFY2(encoder->addFrame(chartLikeFrame(k, QSize(320, 180)), &error),
                     qPrintable(error));
        QCOMPARE(filesIn(dir.path()).size(), 1); // the temporary file, being written
    }
    QCOMPARE(filesIn(dir.path()), QStringList());
}

QTEST_MAIN(TestAnimationEncoder)
#include "tst_animationencoder.moc"
