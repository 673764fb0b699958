// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/snapshot.h"
#include "runfolder.h"
#include "snapshotsteps.h"

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
class QPainter;
QT_END_NAMESPACE

namespace sobolev {

class ComparisonCharts;
class FitChart;
class TrainingChart;

// The charts an animation can show, as --animate-charts names them: f, fprime, error, loss.
enum class AnimationChart { Function, Derivative, Error, Loss };
std::optional<AnimationChart> animationChartFromName(const QString& name);
QString animationChartName(AnimationChart chart);

// How the frames walk through a run. Linear: evenly in position (epochs). Log: evenly in
// ln(1 + epochs), so the first epochs, where the fit forms, are not over in a blink.
enum class AnimationTime { Linear, Log };

struct AnimationSettings {
    QSize size{800, 450};
    int fps = 15;
    double seconds = 10;
    QList<AnimationChart> charts{AnimationChart::Function, AnimationChart::Derivative};
    AnimationTime time = AnimationTime::Log;
    // The charts are drawn this many times larger than on screen (their text, lines and
    // markers): 1 for an animation, 2 for a projector (presentationmode.h).
    double chartScale = 1;
    // seconds × fps, at least one frame.
    int frameCount() const;
};

// How long an animation may be; its size and frame rate are the encoder's to check
// (animationlimits.h, openAnimationEncoder()).
namespace animationlimits {
inline constexpr double minSeconds = 0.5, maxSeconds = 600;
} // namespace animationlimits

// The length and the charts, each problem naming what is allowed; empty when they are fine.
QStringList animationSettingsProblems(const AnimationSettings& settings);
// "800x450" → size; nothing for text that is not WIDTHxHEIGHT.
std::optional<QSize> parseAnimationSize(const QString& text);
// "f,fprime" → charts; nothing (and *error naming the bad name) for an unknown or repeated one.
std::optional<QList<AnimationChart>> parseAnimationCharts(const QString& text, QString* error);

// The position (on the loss chart's axis, as Snapshot::position) each of `frames` frames shows,
// from 0 to `lastPosition`.
std::vector<double> framePositions(double lastPosition, int frames, AnimationTime time);

// One run of an animation: its record (its snapshots with it) and, in a comparison, its legend
// label.
struct AnimatedRun {
    RunRecord run;
    QString label;
};

// Why `run` cannot be animated (no snapshots, snapshots on another grid than its predictions);
// empty when it can.
QString animationProblem(const AnimatedRun& run);

// The frames of an animation, rendered offscreen by the window's own chart classes: for one
// run FitChart and TrainingChart, for several the Compare window's charts with every run in
// each. Each frame has the chosen charts side by side (two columns) above a caption line.
// Needs a QApplication; the runs must have no animationProblem().
class AnimationFrames {
  public:
    AnimationFrames(const QList<AnimatedRun>& runs, const AnimationSettings& settings);
    ~AnimationFrames();
    AnimationFrames(const AnimationFrames&) = delete;
    AnimationFrames& operator=(const AnimationFrames&) = delete;

    int frameCount() const { return int(m_positions.size()); }
    // Frame `index` (0-based) at the settings' size.
    QImage frame(int index);
    // Its caption: epoch, batch, α, β, the MSEs at that moment, and the live changes made by
    // then.
    QString caption(int index) const;
    double position(int index) const { return m_positions[std::size_t(index)]; }
    // The runs as they were at `position` (on the loss chart's axis), drawn onto `painter`
    // over the settings' size from (0, 0): pixels, or vector graphics on an SVG or PDF device.
    void paint(double position, QPainter& painter);
    QString captionAt(double position) const;

  private:
    // The run as it was at `position`: the snapshot's network, the history up to there.
    RunRecord runAt(int run, double position) const;
    void showRun(const RunRecord& run);
    void showComparison(double position);
    QList<QChart*> charts() const; // the chosen ones, in the settings' order

    QList<AnimatedRun> m_runs;
    AnimationSettings m_settings;
    std::vector<double> m_positions;
    std::unique_ptr<TrainingChart> m_loss;
    std::vector<std::unique_ptr<FitChart>> m_fits; // one per fit chart of the settings
    std::unique_ptr<ComparisonCharts> m_comparison;
    QSize m_cell;      // a chart's place in the frame, in pixels
    QSize m_chartSize; // the size the charts are laid out at: m_cell / chartScale
    int m_captionHeight = 0;
};

} // namespace sobolev
