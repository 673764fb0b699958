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

QString notAvailableText() {
    return QStringLiteral("—");
}

QString fprimeErrorText(bool hasFprime, double value, int significantDigits) {
    return hasFprime ? errorText(value, significantDigits) : notAvailableText();
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

namespace {
// The registry's texts are plain strings in core; translated here under one context.
QString knobText(const char* text) {
    return QCoreApplication::translate("sobolev::Knob", text);
}
} // namespace

QString knobLabel(Knob knob) {
    return knobText(knobInfo(knob).symbol);
}

QString knobFormLabel(Knob knob) {
    return knobText(knobInfo(knob).label);
}

QString knobValueLabel(Knob knob, double value) {
    return isChoiceKnob(knob) ? toQString(knobValueText(knob, value)) : compactNumber(value);
}

std::vector<Knob> knobsInMenuOrder() {
    std::vector<Knob> knobs{Knob::Beta};
    for (Knob k : sweepableKnobs())
        if (k != Knob::Beta)
            knobs.push_back(k);
    return knobs;
}

QString liveKnobLabel(Knob knob) {
    const KnobInfo& k = knobInfo(knob);
    return k.alias ? toQString(k.alias) : knobText(k.symbol);
}

QString knobChangeText(Knob knob, double from, double to) {
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

QString changesSentence(const TrainConfig& c) {
    QStringList parts;
    for (std::size_t i = 0; i < c.changes.size(); ++i) {
        const KnobChange& change = c.changes[i];
        const QString from = knobChangeText(change.knob, previousValue(c, i), change.value);
        parts
            << (change.batch != 1
                    ? tr("%1 from epoch %2, batch %3").arg(from).arg(change.epoch).arg(change.batch)
                    : tr("%1 from epoch %2").arg(from).arg(change.epoch));
    }
    return parts.isEmpty()
               ? QString()
               : tr("Changed during the run: %1.").arg(parts.join(QStringLiteral("; ")));
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

// The target with its parameter, "sine(3)"; with measured data, the file's name.
QString targetText(const TrainConfig& c) {
    if (!c.data.empty())
        return QFileInfo(QString::fromStdString(c.data)).fileName();
    return toQString(c.target) +
           (c.targetParam ? QLatin1Char('(') + compactNumber(*c.targetParam) + QLatin1Char(')')
                          : QString());
}

// How knob `k` of `c` shows in a run's name when it differs from `from`; empty when it is
// the same, does not apply to `c`, or has no place in names. The shape, target, domain, data
// and best weights have texts of their own.
QString differenceText(const KnobInfo& k, const TrainConfig& c, const TrainConfig& from) {
    const double value = knobValue(c, k.knob), before = knobValue(from, k.knob);
    const bool differs = k.textField
                             ? c.*k.textField != from.*k.textField
                             : !(value == before || (std::isnan(value) && std::isnan(before))) ||
                                   (k.upperField && c.*k.upperField != from.*k.upperField);
    switch (k.knob) {
    case Knob::Width: // "32×3" names both
        return differs || c.depth != from.depth ? QStringLiteral("%1×%2").arg(c.width).arg(c.depth)
                                                : QString();
    case Knob::Target: // also when the data went away
        return c.data.empty() &&
                       (differs || c.targetParam != from.targetParam || c.data != from.data)
                   ? targetText(c)
                   : QString();
    case Knob::Data:
        return !c.data.empty() && (c.data != from.data || c.dataSha256 != from.dataSha256)
                   ? targetText(c)
                   : QString();
    case Knob::Domain:
        return differs && knobApplies(k.knob, c)
                   ? QStringLiteral("[%1, %2]")
                         .arg(compactNumber(c.domainMin), compactNumber(c.domainMax))
                   : QString();
    case Knob::RestoreBest:
        return differs ? (c.restoreBest ? tr("best weights") : tr("final weights")) : QString();
    default:
        break;
    }
    // A switch (lbfgs_iterations) says "L-BFGS 0" even though 0 means it is unused.
    if (!k.runName || !differs || !(k.switches || knobApplies(k.knob, c)))
        return {};
    QString text = knobValueLabel(k.knob, value);
    if (k.kind == KnobKind::Seed)
        text = QString::number(qulonglong(c.seed));
    else if (k.kind == KnobKind::Int)
        text = QString::number(qlonglong(value));
    return knobText(k.runName).arg(text);
}

// The differences of the registry's rows `first` to `last`, in its order; the changes
// follow the learning rate.
QStringList differences(const TrainConfig& c, const TrainConfig& from, Knob first, Knob last) {
    QStringList parts;
    for (const KnobInfo& k : knobRegistry()) {
        if (k.knob < first || k.knob > last)
            continue;
        if (const QString text = differenceText(k, c, from); !text.isEmpty())
            parts << text;
        if (k.knob == Knob::LearningRate && c.changes != from.changes)
            parts << changeSummaries(c);
    }
    return parts;
}

// The schedule, precision, L-BFGS and best-weights knobs of `c` that differ from `from`.
QStringList settlingDifferences(const TrainConfig& c, const TrainConfig& from) {
    return differences(c, from, Knob::Schedule, Knob::RestoreBest);
}

} // namespace

QString dataSummary(const TrainConfig& c) {
    const QStringList parts = differences(c, TrainConfig{}, Knob::Target, Knob::DataValidation);
    return parts.isEmpty() ? QString() : QLatin1Char(' ') + parts.join(QLatin1Char(' '));
}

QStringList knobDifferences(const TrainConfig& c, const TrainConfig& from) {
    // The balancing rule after the optimiser's knobs; its parameters only as its own run name.
    return differences(c, from, Knob::Width, Knob::RestoreBest) +
           differences(c, from, Knob::Balance, Knob::DirichletRate);
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
               .arg(stopReasonText(r.stopReason), errorText(r.mseF),
                    fprimeErrorText(r.hasFprime, r.mseFprime), errorText(r.maxErrF),
                    fprimeErrorText(r.hasFprime, r.maxErrFprime)) +
           (settling.isEmpty()
                ? QString()
                : tr(" Optimiser: %1; best validation epoch %2 (MSE f %3, MSE f′ %4).")
                      .arg(settling.join(QStringLiteral(", ")))
                      .arg(r.best.epoch)
                      .arg(errorText(r.best.mseF),
                           fprimeErrorText(r.best.hasFprime, r.best.mseFprime))) +
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
