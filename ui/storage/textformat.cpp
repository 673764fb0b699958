// SPDX-License-Identifier: GPL-3.0-or-later
#include "textformat.h"

#include "sampling.h"

#include <QCoreApplication>

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
    }
    return toQString(sweepKnobName(knob));
}

QString knobValueLabel(SweepKnob knob, double value) {
    return isCategoricalKnob(knob) ? toQString(knobValueText(knob, value)) : compactNumber(value);
}

QString knobsSummary(const TrainConfig& c) {
    return tr("%1×%2 %3 α=%4 β=%5 lr=%6 seed %7")
               .arg(c.width)
               .arg(c.depth)
               .arg(toQString(activationName(c.activation)), compactNumber(c.alpha),
                    compactNumber(c.beta), compactNumber(c.learningRate))
               .arg(qulonglong(c.seed)) +
           dataSummary(c);
}

QString dataSummary(const TrainConfig& c) {
    const TrainConfig reference;
    QString s;
    if (c.target != reference.target || c.targetParam)
        s += QLatin1Char(' ') + toQString(c.target) +
             (c.targetParam ? QLatin1Char('(') + compactNumber(*c.targetParam) + QLatin1Char(')')
                            : QString());
    if (c.domainMin != reference.domainMin || c.domainMax != reference.domainMax)
        s +=
            QStringLiteral(" [%1, %2]").arg(compactNumber(c.domainMin), compactNumber(c.domainMax));
    if (c.sampling != reference.sampling)
        s += QLatin1Char(' ') + toQString(samplingName(c.sampling));
    if (c.noiseF != 0)
        s += tr(" σ_f=%1").arg(compactNumber(c.noiseF));
    if (c.noiseFprime != 0)
        s += tr(" σ_f′=%1").arg(compactNumber(c.noiseFprime));
    return s;
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
    return details;
}

} // namespace sobolev
