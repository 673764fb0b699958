// SPDX-License-Identifier: GPL-3.0-or-later
// Encodes an animation of chart frames as GIF, MP4 and WebM and prints, per format, the
// median encoding time of the repeats and the file's size. The frames are drawn first (not
// timed) by the window's f and f' charts, side by side with a caption: the Runge function
// and a network's fit that wiggles less and less, as a run's snapshots do.
// Usage: sobolev-animation-bench [--frames N] [--size WxH] [--fps N] [--repeats R] [--keep DIR]
#include "animationencoder.h"
#include "chartexport.h"
#include "core/eval/metrics.h"
#include "fitchart.h"
#include "runfigures.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPainter>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

using namespace sobolev;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Runge's f = 1 / (1 + 25 x^2), f' = -50 x / (1 + 25 x^2)^2, and a fit off by a wiggle of
// amplitude `wiggle` (its derivative off by the wiggle's derivative).
Predictions rungeFit(double wiggle, double phase) {
    Predictions p;
    for (int i = 0; i <= 200; ++i) {
        const double x = -1 + i / 100.0, d = 1 + 25 * x * x;
        p.x.push_back(x);
        p.f.push_back(1 / d);
        p.fprime.push_back(-50 * x / (d * d));
        p.fHat.push_back(1 / d + wiggle * std::sin(7 * x + phase));
        p.fprimeHat.push_back(-50 * x / (d * d) + 7 * wiggle * std::cos(7 * x + phase));
    }
    return p;
}

std::vector<QImage> chartFrames(int count, QSize size) {
    FitChart f(FitChart::Kind::Function), fprime(FitChart::Kind::Derivative);
    const int captionHeight = 28;
    const QSize chartSize(size.width() / 2, size.height() - captionHeight);
    showOffscreen({&f, &fprime}, chartSize);
    std::vector<QImage> frames;
    for (int k = 0; k < count; ++k) {
        const Predictions p = rungeFit(0.3 * std::exp(-4.0 * k / count), 0.05 * k);
        f.setPredictions(p);
        fprime.setPredictions(p);
        f.redrawNow();
        fprime.redrawNow();
        layOutCharts({f.chart(), fprime.chart()});
        QImage frame(size, QImage::Format_RGB32);
        frame.fill(Qt::white);
        QPainter painter(&frame);
        renderChart(f.chart(), painter, QRectF(QPointF(0, 0), chartSize));
        renderChart(fprime.chart(), painter, QRectF(QPointF(chartSize.width(), 0), chartSize));
        painter.setPen(Qt::black);
        painter.drawText(QRect(8, chartSize.height(), size.width() - 16, captionHeight),
                         Qt::AlignVCenter,
                         QStringLiteral("epoch %1   batch 8   α = 1   β = 1   MSE f %2")
                             .arg(k + 1)
                             .arg(1e-2 * std::exp(-4.0 * k / count), 0, 'e', 2));
        frames.push_back(std::move(frame));
    }
    return frames;
}

QSize parseSize(const QString& text) {
    const QStringList parts = text.split(QLatin1Char('x'));
    return parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    int frames = 150, fps = 15, repeats = 3;
    QSize size(800, 450);
    QString keep;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--frames"))
            frames = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--size"))
            size = parseSize(args[i + 1]);
        else if (args[i] == QLatin1String("--fps"))
            fps = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--repeats"))
            repeats = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--keep"))
            keep = args[i + 1];
    }
    if (frames < 1 || repeats < 1 || size.isEmpty()) {
        std::fprintf(stderr, "usage: sobolev-animation-bench [--frames N>=1] [--size WxH] "
                             "[--fps N] [--repeats R>=1] [--keep DIR]\n");
        return 2;
    }
    QElapsedTimer clock;
    clock.start();
    const std::vector<QImage> images = chartFrames(frames, size);
    std::printf("%d frames %dx%d drawn in %.2f s (not counted below)\n", frames, size.width(),
                size.height(), clock.nsecsElapsed() * 1e-9);
    QTemporaryDir scratch;
    const QDir dir(keep.isEmpty() ? scratch.path() : keep);
    for (const char* format : {"gif", "mp4", "webm"}) {
        const QString path = dir.filePath(QStringLiteral("bench.") + QLatin1String(format));
        std::vector<double> seconds;
        for (int r = 0; r < repeats; ++r) {
            QString error;
            clock.restart();
            std::unique_ptr<AnimationEncoder> encoder =
                openAnimationEncoder(path, size, fps, &error);
            bool ok = encoder != nullptr;
            for (const QImage& image : images)
                ok = ok && encoder->addFrame(image, &error);
            ok = ok && encoder->finish(&error);
            if (!ok) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            seconds.push_back(clock.nsecsElapsed() * 1e-9);
        }
        std::printf("%-5s median %.2f s of %d (%.1f ms a frame), %.2f MB\n", format,
                    median(seconds), repeats, 1e3 * median(seconds) / frames,
                    QFileInfo(path).size() / 1e6);
    }
    return 0;
}
