// SPDX-License-Identifier: GPL-3.0-or-later
#include "textformat.h"

#include "core/problem/sampling.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sobolev {

namespace {

template <typename T> QString shortest(T value) {
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, int(result.ptr - buffer));
}

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::TextFormat", text);
}

} // namespace

QString toQString(std::string_view text) {
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString formatNumber(double value) {
    return shortest(value);
}
QString formatNumber(float value) {
    return shortest(value);
}

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    if (seconds < 60)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const qint64 s = qint64(seconds);
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString compactNumber(double value) {
    const double magnitude = std::abs(value);
    if (value == 0 || !std::isfinite(value) || (magnitude >= 1e-2 && magnitude < 1e5))
        return QString::number(value, 'g', 5);
    const QString text = QString::number(value, 'e', 4);
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    QString mantissa = text.left(e);
    while (mantissa.endsWith(QLatin1Char('0')))
        mantissa.chop(1);
    if (mantissa.endsWith(QLatin1Char('.')))
        mantissa.chop(1);
    return mantissa + QLatin1Char('e') + QString::number(text.mid(e + 1).toInt());
}

QString errorText(double value, int significantDigits) {
    if (std::isnan(value))
        return QStringLiteral("NaN");
    return QString::number(value, 'e', std::max(0, significantDigits - 1));
}

QString stopReasonText(StopReason reason) {
    switch (reason) {
    case StopReason::Completed:
        return tr("completed");
    case StopReason::Stopped:
        return tr("stopped");
    case StopReason::Diverged:
        return tr("diverged");
    case StopReason::None:
        break;
    }
    return tr("unknown");
}

QString knobLabel(SweepKnob knob) {
    switch (knob) {
    case SweepKnob::Alpha:
        return tr("α");
    case SweepKnob::Beta:
        return tr("β");
    case SweepKnob::BetaOverAlpha:
        return tr("β/α");
    case SweepKnob::LearningRate:
        return tr("learning rate");
    case SweepKnob::Width:
        return tr("width");
    case SweepKnob::Depth:
        return tr("depth");
    case SweepKnob::Schedule:
        return tr("schedule");
    case SweepKnob::Precision:
        return tr("precision");
    case SweepKnob::LbfgsIterations:
        return tr("L-BFGS iterations");
    case SweepKnob::LbfgsPrecision:
        return tr("L-BFGS precision");
    case SweepKnob::NoiseF:
        return tr("σ_f");
    case SweepKnob::NoiseFprime:
        return tr("σ_f′");
    case SweepKnob::Sampling:
        return tr("sampling");
    }
    return toQString(sweepKnobName(knob));
}

QString knobValueLabel(SweepKnob knob, double value) {
    return isCategoricalKnob(knob) ? toQString(knobValueText(knob, value)) : compactNumber(value);
}

QString liveKnobLabel(LiveKnob knob) {
    switch (knob) {
    case LiveKnob::Alpha:
        return QStringLiteral("α");
    case LiveKnob::Beta:
        return QStringLiteral("β");
    case LiveKnob::LearningRate:
        break;
    }
    return QStringLiteral("lr");
}

QString knobChangeText(LiveKnob knob, double from, double to) {
    return QStringLiteral("%1 %2 → %3")
        .arg(liveKnobLabel(knob), compactNumber(from), compactNumber(to));
}

QStringList changeSummaries(const TrainConfig& c) {
    QStringList parts;
    for (std::size_t i = 0; i < c.changes.size(); ++i) {
        const KnobChange& change = c.changes[i];
        QString text = QStringLiteral("%1 %2→%3 @%4")
                           .arg(liveKnobLabel(change.knob), compactNumber(previousValue(c, i)),
                                compactNumber(change.value))
                           .arg(change.epoch);
        if (change.batch != 1)
            text += tr(" b%1").arg(change.batch);
        parts << text;
    }
    return parts;
}

QString knobsSummary(const TrainConfig& c) {
    const QStringList changes = changeSummaries(c);
    return tr("%1×%2 %3 α=%4 β=%5 lr=%6 seed %7")
               .arg(c.width)
               .arg(c.depth)
               .arg(toQString(activationName(c.activation)), compactNumber(c.alpha),
                    compactNumber(c.beta), compactNumber(c.learningRate))
               .arg(qulonglong(c.seed)) +
           (changes.isEmpty() ? QString() : QLatin1Char(' ') + changes.join(QLatin1Char(' '))) +
           dataSummary(c);
}

namespace {
// The target and data knobs of `c` that differ from `from`.
QStringList dataDifferences(const TrainConfig& c, const TrainConfig& from) {
    QStringList parts;
    // Measured data replace the target: the file's name (and the split) name the run.
    if (c.data != from.data || c.dataSha256 != from.dataSha256) {
        if (!c.data.empty())
            parts << QFileInfo(QString::fromStdString(c.data)).fileName();
        else
            parts << toQString(c.target);
    }
    if (!c.data.empty() && c.dataValidation != from.dataValidation)
        parts << tr("val %1").arg(compactNumber(c.dataValidation));
    if (!c.data.empty())
        return parts;
    if (c.target != from.target || c.targetParam != from.targetParam)
        parts << toQString(c.target) +
                     (c.targetParam
                          ? QLatin1Char('(') + compactNumber(*c.targetParam) + QLatin1Char(')')
                          : QString());
    if (c.domainMin != from.domainMin || c.domainMax != from.domainMax)
        parts << QStringLiteral("[%1, %2]")
                     .arg(compactNumber(c.domainMin), compactNumber(c.domainMax));
    if (c.sampling != from.sampling)
        parts << toQString(samplingName(c.sampling));
    if (c.noiseF != from.noiseF)
        parts << tr("σ_f=%1").arg(compactNumber(c.noiseF));
    if (c.noiseFprime != from.noiseFprime)
        parts << tr("σ_f′=%1").arg(compactNumber(c.noiseFprime));
    return parts;
}

// The schedule, precision, L-BFGS and best-weights knobs of `c` that differ from `from`.
QStringList settlingDifferences(const TrainConfig& c, const TrainConfig& from) {
    QStringList parts;
    if (c.schedule != from.schedule)
        parts << toQString(scheduleName(c.schedule));
    if (c.precision != from.precision)
        parts << toQString(precisionName(c.precision));
    if (c.lbfgsIterations != from.lbfgsIterations)
        parts << tr("L-BFGS %1").arg(c.lbfgsIterations);
    if (c.restoreBest != from.restoreBest)
        parts << (c.restoreBest ? tr("best weights") : tr("final weights"));
    return parts;
}
} // namespace

QString dataSummary(const TrainConfig& c) {
    const QStringList parts = dataDifferences(c, TrainConfig{});
    return parts.isEmpty() ? QString() : QLatin1Char(' ') + parts.join(QLatin1Char(' '));
}

QStringList knobDifferences(const TrainConfig& c, const TrainConfig& from) {
    QStringList parts;
    if (c.width != from.width || c.depth != from.depth)
        parts << QStringLiteral("%1×%2").arg(c.width).arg(c.depth);
    if (c.activation != from.activation)
        parts << toQString(activationName(c.activation));
    if (c.alpha != from.alpha)
        parts << QStringLiteral("α=%1").arg(compactNumber(c.alpha));
    if (c.beta != from.beta)
        parts << QStringLiteral("β=%1").arg(compactNumber(c.beta));
    if (c.learningRate != from.learningRate)
        parts << QStringLiteral("lr=%1").arg(compactNumber(c.learningRate));
    if (c.changes != from.changes)
        parts << changeSummaries(c);
    if (c.seed != from.seed)
        parts << tr("seed %1").arg(qulonglong(c.seed));
    if (c.epochs != from.epochs)
        parts << tr("%1 epochs").arg(c.epochs);
    if (c.batchSize != from.batchSize)
        parts << tr("batch %1").arg(c.batchSize);
    if (c.nTrain != from.nTrain)
        parts << tr("n_train %1").arg(c.nTrain);
    if (c.nVal != from.nVal)
        parts << tr("n_val %1").arg(c.nVal);
    if (c.gridPoints != from.gridPoints)
        parts << tr("grid %1").arg(c.gridPoints);
    return parts + dataDifferences(c, from) + settlingDifferences(c, from);
}

QString figureCaption(const TrainConfig& c, const FitReport& r) {
    const QStringList settling = settlingDifferences(c, TrainConfig{});
    return tr("Network %1×%2 %3; loss α·MSE f + β·MSE f′ with α = %4, β = %5; Adam, learning "
              "rate %6, batch %7, %8 epochs; %9 training and %10 validation points, seed %11; "
              "test grid of %12 points. After %13 epochs (%14): MSE f %15, MSE f′ %16, "
              "max |err f| %17, max |err f′| %18.")
               .arg(c.width)
               .arg(c.depth)
               .arg(toQString(activationName(c.activation)), formatNumber(c.alpha),
                    formatNumber(c.beta), formatNumber(c.learningRate))
               .arg(c.batchSize)
               .arg(c.epochs)
               .arg(c.nTrain)
               .arg(c.nVal)
               .arg(qulonglong(c.seed))
               .arg(c.gridPoints)
               .arg(r.epochsRun)
               .arg(stopReasonText(r.stopReason), errorText(r.mseF), errorText(r.mseFprime),
                    errorText(r.maxErrF), errorText(r.maxErrFprime)) +
           (settling.isEmpty()
                ? QString()
                : tr(" Optimiser: %1; best validation epoch %2 (MSE f %3, MSE f′ %4).")
                      .arg(settling.join(QStringLiteral(", ")))
                      .arg(r.best.epoch)
                      .arg(errorText(r.best.mseF), errorText(r.best.mseFprime))) +
           (c.changes.empty() ? QString()
                              : tr(" Changed during the run: %1.")
                                    .arg(changeSummaries(c).join(QStringLiteral(", "))));
}

QString knobsDetails(const TrainConfig& c) {
    QString details =
        tr("network: %1×%2 %3\nloss: α=%4, β=%5\nlearning rate: %6\nseed: %7\n"
           "epochs: %8, batch size: %9\ntraining points: %10, validation: %11\n"
           "test grid: %12 points")
            .arg(c.width)
            .arg(c.depth)
            .arg(toQString(activationName(c.activation)), formatNumber(c.alpha),
                 formatNumber(c.beta), formatNumber(c.learningRate))
            .arg(qulonglong(c.seed))
            .arg(c.epochs)
            .arg(c.batchSize)
            .arg(c.nTrain)
            .arg(c.nVal)
            .arg(c.gridPoints) +
        tr("\ntarget: %1 on [%2, %3], %4 sampling\nnoise: σ_f=%5, σ_f′=%6")
            .arg(toQString(c.target) +
                     (c.targetParam
                          ? QLatin1Char('(') + formatNumber(*c.targetParam) + QLatin1Char(')')
                          : QString()),
                 formatNumber(c.domainMin), formatNumber(c.domainMax),
                 toQString(samplingName(c.sampling)), formatNumber(c.noiseF),
                 formatNumber(c.noiseFprime));
    const TrainConfig reference;
    if (c.schedule != reference.schedule)
        details += tr("\nschedule: %1, floor %2 × lr")
                       .arg(toQString(scheduleName(c.schedule)), formatNumber(c.lrFloor));
    if (c.precision != reference.precision)
        details += tr("\nprecision: %1").arg(toQString(precisionName(c.precision)));
    if (c.lbfgsIterations > 0)
        details += tr("\nL-BFGS: %1 iterations, history %2, %3")
                       .arg(c.lbfgsIterations)
                       .arg(c.lbfgsHistory)
                       .arg(toQString(precisionName(c.lbfgsPrecision)));
    if (c.restoreBest)
        details += tr("\nrestores the best validation epoch's weights");
    for (std::size_t i = 0; i < c.changes.size(); ++i)
        details +=
            tr("\nat epoch %1, batch %2: %3")
                .arg(c.changes[i].epoch)
                .arg(c.changes[i].batch)
                .arg(knobChangeText(c.changes[i].knob, previousValue(c, i), c.changes[i].value));
    return details;
}

} // namespace sobolev
