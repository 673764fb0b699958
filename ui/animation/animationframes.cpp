// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationframes.h"

#include "chartexport.h"
#include "comparison.h"
#include "comparisoncharts.h"
#include "fitchart.h"
#include "runfigures.h"
#include "textformat.h"
#include "trainingchart.h"

#include <QChart>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("AnimationFrames", text);
}

struct ChartName {
    AnimationChart chart;
    const char* name;
};
constexpr ChartName chartNames[] = {{AnimationChart::Function, "f"},
                                    {AnimationChart::Derivative, "fprime"},
                                    {AnimationChart::Error, "error"},
                                    {AnimationChart::Loss, "loss"}};

QString allChartNames() {
    QStringList names;
    for (const ChartName& c : chartNames)
        names << QLatin1String(c.name);
    return names.join(QStringLiteral(", "));
}

// Whether `change` is in force for the step after `s`: a change at (epoch e, batch b) acts from
// batch b of epoch e on; a snapshot at a row's end (batch 0) has run all of its batches.
bool inForce(const KnobChange& change, const Snapshot& s) {
    if (s.epoch == 0)
        return false;
    if (change.epoch != s.epoch)
        return change.epoch < s.epoch;
    return s.batch == 0 || change.batch <= s.batch + 1;
}

// The live changes of `config` made by the time of `s`, as the report abbreviates them.
QStringList changesBy(const TrainConfig& config, const Snapshot& s) {
    const QStringList all = changeSummaries(config);
    QStringList made;
    for (std::size_t i = 0; i < config.changes.size(); ++i)
        if (inForce(config.changes[i], s))
            made << all.value(int(i));
    return made;
}

// "MSE f 1.2e-03 · MSE f′ 3.4e-02" of `run`'s predictions ("—" without f′ in the data).
QString errorsText(const RunRecord& run) {
    const FitReport errors = compareOnGrid(run.predictions);
    return tr("MSE f %1 · MSE f′ %2")
        .arg(errorText(errors.mseF), fprimeErrorText(errors.hasFprime, errors.mseFprime));
}

QFont captionFont(QSize frame) {
    QFont font;
    // Readable in a small GIF and on a projector: about 1/32 of the frame's height.
    font.setPixelSize(std::max(11, frame.height() / 32));
    return font;
}

constexpr int captionMargin = 6;

} // namespace

std::optional<AnimationChart> animationChartFromName(const QString& name) {
    for (const ChartName& c : chartNames)
        if (name == QLatin1String(c.name))
            return c.chart;
    return std::nullopt;
}

QString animationChartName(AnimationChart chart) {
    for (const ChartName& c : chartNames)
        if (c.chart == chart)
            return QLatin1String(c.name);
    return {};
}

int AnimationSettings::frameCount() const {
    return std::max(1, int(std::lround(seconds * fps)));
}

QStringList animationSettingsProblems(const AnimationSettings& s) {
    using namespace animationlimits;
    QStringList problems;
    if (!(s.seconds >= minSeconds && s.seconds <= maxSeconds))
        problems << tr("%1 seconds is out of range; allowed: %2–%3")
                        .arg(formatNumber(s.seconds), formatNumber(minSeconds),
                             formatNumber(maxSeconds));
    if (s.charts.isEmpty())
        problems << tr("no chart chosen; allowed: %1").arg(allChartNames());
    return problems;
}

std::optional<QSize> parseAnimationSize(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})[xX×](\\d{1,5})$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    return QSize(match.captured(1).toInt(), match.captured(2).toInt());
}

std::optional<QList<AnimationChart>> parseAnimationCharts(const QString& text, QString* error) {
    QList<AnimationChart> charts;
    for (const QString& part : text.split(QLatin1Char(','))) {
        const QString name = part.trimmed();
        const auto chart = animationChartFromName(name);
        if (!chart) {
            *error = tr("unknown chart \"%1\"; allowed: %2").arg(name, allChartNames());
            return std::nullopt;
        }
        if (charts.contains(*chart)) {
            *error = tr("the chart \"%1\" is named twice").arg(name);
            return std::nullopt;
        }
        charts << *chart;
    }
    return charts;
}

std::vector<double> framePositions(double lastPosition, int frames, AnimationTime time) {
    std::vector<double> positions(std::max(frames, 1), lastPosition);
    const double end = std::max(lastPosition, 0.0);
    const bool logTime = time == AnimationTime::Log;
    for (int k = 0; k + 1 < frames; ++k) {
        const double u = double(k) / (frames - 1);
        positions[k] = logTime ? logReplayPosition(u, end) : u * end;
    }
    return positions;
}

QString animationProblem(const AnimatedRun& a) {
    if (a.run.snapshots.empty())
        return tr("the run has no snapshots (it was trained with snapshots 0, or before runs "
                  "recorded them)");
    const std::size_t points = a.run.predictions.x.size();
    if (a.run.snapshots.x.size() != points)
        return tr("the snapshots have %1 points but the run's predictions %2")
            .arg(a.run.snapshots.x.size())
            .arg(points);
    for (const Snapshot& s : a.run.snapshots.snapshots)
        if (s.fHat.size() != points || s.fprimeHat.size() != points)
            return tr("a snapshot at position %1 does not have one value per point")
                .arg(s.position);
    return {};
}

AnimationFrames::AnimationFrames(const QList<AnimatedRun>& runs, const AnimationSettings& settings)
    : m_runs(runs), m_settings(settings) {
    double last = 0;
    for (const AnimatedRun& r : runs)
        last = std::max(last, r.run.snapshots.snapshots.back().position);
    m_positions = framePositions(last, settings.frameCount(), settings.time);

    // The caption's height is that of the tallest caption, so that the charts never move.
    const QImage probe(1, 1, QImage::Format_ARGB32_Premultiplied);
    const QFontMetricsF metrics(captionFont(settings.size), &probe);
    const QRectF width(0, 0, settings.size.width() - 2 * captionMargin, 1e6);
    for (int k = 0; k < frameCount(); ++k)
        m_captionHeight = std::max(
            m_captionHeight,
            int(std::ceil(metrics.boundingRect(width, Qt::TextWordWrap, caption(k)).height())));
    m_captionHeight += 2 * captionMargin;

    const int columns = std::min<int>(2, settings.charts.size());
    const int rows = int((settings.charts.size() + columns - 1) / columns);
    m_cell = QSize(settings.size.width() / columns,
                   std::max(1, (settings.size.height() - m_captionHeight) / rows));
    m_chartSize = (QSizeF(m_cell) / std::max(1.0, settings.chartScale)).toSize();

    if (runs.size() > 1) {
        m_comparison = std::make_unique<ComparisonCharts>();
        // Two rows of two charts, each of them a cell.
        showOffscreen({m_comparison.get()}, m_chartSize * 2);
        return;
    }
    m_loss = std::make_unique<TrainingChart>();
    QList<QWidget*> widgets{m_loss.get()};
    for (AnimationChart c : settings.charts) {
        if (c == AnimationChart::Loss)
            continue;
        const auto kind = c == AnimationChart::Function     ? FitChart::Kind::Function
                          : c == AnimationChart::Derivative ? FitChart::Kind::Derivative
                                                            : FitChart::Kind::Error;
        m_fits.push_back(std::make_unique<FitChart>(kind));
        widgets << m_fits.back().get();
    }
    const RunRecord& run = runs.first().run;
    // On a projector the training points would bury the curves, and the legend the plot.
    const bool projector = settings.chartScale > 1;
    for (const auto& chart : m_fits) {
        chart->setLightMarkers(projector);
        showMeasuredData(run, chart.get());
    }
    m_loss->setCompactLegend(projector);
    showOffscreen(widgets, m_chartSize);
    m_loss->setLossWeights(run.config.alpha, run.config.beta);
    m_loss->setKnobChanges(run.config);
}

AnimationFrames::~AnimationFrames() = default;

RunRecord AnimationFrames::runAt(int index, double position) const {
    const AnimatedRun& a = m_runs[index];
    const Snapshot& s = a.run.snapshots.snapshots[snapshotAt(a.run.snapshots, position)];
    RunRecord run = a.run;
    run.predictions = predictionsAt(a.run.snapshots, s, a.run.predictions);
    // The rows finished by then: row r ends at position r.
    const auto end = std::find_if(run.history.begin(), run.history.end(),
                                  [&](const EpochMetrics& m) { return m.epoch > s.position; });
    run.history.erase(end, run.history.end());
    return run;
}

QString AnimationFrames::caption(int index) const {
    return captionAt(m_positions[index]);
}

QString AnimationFrames::captionAt(double position) const {
    QStringList parts;
    if (m_runs.size() == 1) {
        const AnimatedRun& a = m_runs.first();
        const Snapshot& s = a.run.snapshots.snapshots[snapshotAt(a.run.snapshots, position)];
        parts << snapshotCaption(s) << errorsText(runAt(0, position)) << changesBy(a.run.config, s);
        return parts.join(QStringLiteral(" · "));
    }
    // Every run is at its last snapshot before the common position; the first run's names it.
    const AnimatedRun& first = m_runs.first();
    parts << snapshotCaption(
        first.run.snapshots.snapshots[snapshotAt(first.run.snapshots, position)], false);
    for (int i = 0; i < m_runs.size(); ++i) {
        const AnimatedRun& a = m_runs[i];
        const Snapshot& s = a.run.snapshots.snapshots[snapshotAt(a.run.snapshots, position)];
        QStringList run{a.label + QLatin1Char(':'), errorsText(runAt(i, position))};
        run << changesBy(a.run.config, s);
        parts << run.join(QLatin1Char(' '));
    }
    return parts.join(QStringLiteral(" · "));
}

void AnimationFrames::showRun(const RunRecord& run) {
    m_loss->setHistory(QList<EpochMetrics>(run.history.begin(), run.history.end()));
    m_loss->redrawNow();
    for (const auto& chart : m_fits) {
        chart->setPredictions(run.predictions);
        chart->redrawNow();
    }
}

void AnimationFrames::showComparison(double position) {
    QList<ComparedRun> runs;
    QStringList labels;
    QList<TrainConfig> configs;
    for (int i = 0; i < m_runs.size(); ++i) {
        runs << ComparedRun{QString::number(i + 1), m_runs[i].label, runAt(i, position), i + 1};
        labels << m_runs[i].label;
        configs << m_runs[i].run.config;
    }
    const QList<QList<int>> groups = groupBySeed(configs);
    m_comparison->setRuns(runs, labels, groups, groupLabels(configs, groups), false);
}

QList<QChart*> AnimationFrames::charts() const {
    QList<QChart*> charts;
    if (m_comparison) {
        // The Compare window's order: loss, f, f′, error.
        const QList<QChart*> all = m_comparison->charts();
        for (AnimationChart c : m_settings.charts)
            charts << all.value(c == AnimationChart::Loss         ? 0
                                : c == AnimationChart::Function   ? 1
                                : c == AnimationChart::Derivative ? 2
                                                                  : 3);
        return charts;
    }
    auto fit = m_fits.begin();
    for (AnimationChart c : m_settings.charts)
        charts << (c == AnimationChart::Loss ? m_loss->chart() : (fit++)->get()->chart());
    return charts;
}

QImage AnimationFrames::frame(int index) {
    QImage image(m_settings.size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    paint(m_positions[index], painter);
    return image;
}

void AnimationFrames::paint(double position, QPainter& painter) {
    if (m_comparison)
        showComparison(position);
    else
        showRun(runAt(0, position));
    const QList<QChart*> shown = charts();
    layOutCharts(shown);
    const int columns = std::min<int>(2, shown.size());
    for (int i = 0; i < shown.size(); ++i)
        renderChart(shown[i], painter,
                    QRectF(QPointF((i % columns) * m_cell.width(), (i / columns) * m_cell.height()),
                           m_cell));
    painter.setFont(captionFont(m_settings.size));
    painter.setPen(Qt::black);
    const int top = m_settings.size.height() - m_captionHeight;
    painter.drawText(QRectF(captionMargin, top + captionMargin,
                            m_settings.size.width() - 2 * captionMargin,
                            m_captionHeight - 2 * captionMargin),
                     Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignVCenter, captionAt(position));
}

} // namespace sobolev
