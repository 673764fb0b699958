// SPDX-License-Identifier: GPL-3.0-or-later
#include "slideexport.h"

#include "chartexport.h"
#include "fileio.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QPainter>
#include <QSvgGenerator>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("SlideExport", text);
}

// The weight `knob` ends the run with: its starting value, then each of its changes.
double finalWeight(const TrainConfig& config, Knob knob, double start) {
    for (const KnobChange& change : config.changes)
        if (change.knob == knob)
            start = change.value;
    return start;
}

QByteArray renderPng(AnimationFrames& frames, double position) {
    QImage image(slideSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        frames.paint(position, painter);
    }
    return pngBytes(image);
}

QByteArray renderSvg(AnimationFrames& frames, double position) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(slideSize);
    svg.setViewBox(QRect(QPoint(0, 0), slideSize));
    svg.setTitle(QStringLiteral("Sobolev Workbench"));
    QPainter painter(&svg);
    painter.fillRect(QRect(QPoint(0, 0), slideSize), Qt::white);
    frames.paint(position, painter);
    painter.end();
    return withPortableFonts(bytes);
}

} // namespace

SnapshotSeries finalSnapshot(const RunRecord& run) {
    const Predictions& p = run.predictions;
    Snapshot s;
    if (!run.history.empty()) {
        s.position = s.epoch = run.history.back().epoch;
        s.phase = run.history.back().phase;
    }
    s.alpha = finalWeight(run.config, Knob::Alpha, run.config.alpha);
    s.beta = finalWeight(run.config, Knob::Beta, run.config.beta);
    s.fHat.assign(p.fHat.begin(), p.fHat.end());
    s.fprimeHat.assign(p.fprimeHat.begin(), p.fprimeHat.end());
    return {p.x, {s}};
}

bool exportSlide(const QString& path, const QList<AnimatedRun>& runs,
                 const QList<AnimationChart>& charts, std::optional<double> position,
                 QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg")) {
        *error = tr("%1: a slide is written as .png or .svg").arg(path);
        return false;
    }
    if (runs.isEmpty() || charts.isEmpty()) {
        *error = tr("%1: no run or no chart to show").arg(path);
        return false;
    }
    for (const AnimatedRun& run : runs)
        if (const QString problem = animationProblem(run); !problem.isEmpty()) {
            *error = QStringLiteral("%1: %2").arg(path, problem);
            return false;
        }
    AnimationSettings settings;
    settings.size = slideSize;
    settings.charts = charts;
    settings.chartScale = slideChartScale;
    settings.seconds = settings.fps = 1; // one frame: where the runs end
    AnimationFrames frames(runs, settings);
    const double at = position.value_or(frames.position(0));
    const QByteArray bytes =
        suffix == QLatin1String("png") ? renderPng(frames, at) : renderSvg(frames, at);
    if (bytes.isEmpty()) {
        *error = tr("%1: the slide could not be rendered").arg(path);
        return false;
    }
    return writeFileAtomically(path, bytes, error);
}

} // namespace sobolev
