// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepfolder.h"

#include "configjson.h"
#include "fileio.h"
#include "runfolder.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace sobolev {

namespace {

constexpr qint64 maxSpecBytes = qint64(16) << 20;     // 10,000 seeds and a formula fit easily
constexpr qint64 maxSmallFileBytes = qint64(1) << 20; // metrics.json and config.json

QString axisText(const SweepAxis& axis) {
    QStringList values;
    for (double v : axis.values)
        values << toQString(knobValueText(axis.knob, v));
    return toQString(knobInfo(axis.knob).key) + QLatin1Char('=') + values.join(QLatin1Char(','));
}

// "1-20,25": runs of consecutive seeds as ranges, as --seeds takes them.
QString seedsText(const std::vector<std::uint64_t>& seeds) {
    QStringList parts;
    for (std::size_t i = 0; i < seeds.size();) {
        std::size_t j = i;
        while (j + 1 < seeds.size() && seeds[j] != UINT64_MAX && seeds[j + 1] == seeds[j] + 1)
            ++j;
        parts << (j > i + 1
                      ? QStringLiteral("%1-%2").arg(qulonglong(seeds[i])).arg(qulonglong(seeds[j]))
                      : QString::number(qulonglong(seeds[i])));
        if (j == i + 1)
            parts << QString::number(qulonglong(seeds[j]));
        i = j + 1;
    }
    return parts.join(QLatin1Char(','));
}

QJsonObject baseConfigJson(const TrainConfig& base) {
    QJsonObject config = configToJson(base);
    config.remove(QStringLiteral("seed"));
    return config;
}

QString jsonText(const QJsonValue& v) {
    if (v.isUndefined())
        return QStringLiteral("(none)");
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

// The keys whose values differ between `a` and `b` (a key only one has counts), sorted.
QStringList differingKeys(const QJsonObject& a, const QJsonObject& b) {
    QStringList keys = a.keys();
    for (const QString& k : b.keys())
        if (!keys.contains(k))
            keys << k;
    keys.sort();
    QStringList differing;
    for (const QString& k : keys)
        if (a.value(k) != b.value(k))
            differing << k;
    return differing;
}

} // namespace

QJsonObject sweepSpecToJson(const SweepSpec& spec) {
    QJsonArray axes;
    for (const SweepAxis& a : spec.axes)
        axes.append(axisText(a));
    QJsonObject o;
    o.insert(QStringLiteral("format"), 1);
    o.insert(QStringLiteral("sweep"), axes);
    o.insert(QStringLiteral("seeds"), seedsText(spec.seeds));
    o.insert(QStringLiteral("runs"), qint64(spec.points().size()));
    o.insert(QStringLiteral("config"), baseConfigJson(spec.base));
    return o;
}

bool writeSweepSpec(const QString& dir, const SweepSpec& spec, QString* error) {
    return writeFileAtomically(QDir(dir).filePath(sweepSpecFile),
                               QJsonDocument(sweepSpecToJson(spec)).toJson(QJsonDocument::Indented),
                               error);
}

SweepSpecReadResult readSweepSpec(const QString& dir) {
    SweepSpecReadResult r;
    const QString path = QDir(dir).filePath(sweepSpecFile);
    if (!QFile::exists(path)) {
        r.errors << QStringLiteral("%1: missing; a sweep folder (written by --sweep, --seeds or "
                                   "--shard) has one")
                        .arg(path);
        return r;
    }
    QString error;
    const QByteArray data = readSmall(path, maxSpecBytes, &error);
    if (!error.isEmpty()) {
        r.errors << error;
        return r;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        r.errors
            << QStringLiteral("%1: not a JSON object (%2)").arg(path, parseError.errorString());
        return r;
    }
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")) != QJsonValue(1))
        r.errors << QStringLiteral("%1: \"format\" must be 1").arg(path);
    const QJsonValue axes = o.value(QStringLiteral("sweep"));
    if (!axes.isArray())
        r.errors << QStringLiteral("%1: \"sweep\" must be an array of KNOB=VALUES").arg(path);
    for (const QJsonValue& a : axes.toArray()) {
        std::string message;
        if (const auto axis = parseSweepAxis(a.toString().toStdString(), &message))
            r.spec.axes.push_back(*axis);
        else
            r.errors
                << QStringLiteral("%1: \"sweep\": %2").arg(path, QString::fromStdString(message));
    }
    std::string message;
    if (const auto seeds =
            parseSeedList(o.value(QStringLiteral("seeds")).toString().toStdString(), &message))
        r.spec.seeds = *seeds;
    else
        r.errors << QStringLiteral("%1: \"%2").arg(path, QString::fromStdString(message));
    const QJsonValue config = o.value(QStringLiteral("config"));
    if (!config.isObject()) {
        r.errors << QStringLiteral("%1: \"config\" must be an object").arg(path);
        return r;
    }
    const ConfigReadResult base = configFromJson(config.toObject());
    for (const QString& e : base.errors)
        r.errors << QStringLiteral("%1: \"config\": %2").arg(path, e);
    r.spec.base = base.config;
    if (r.errors.isEmpty())
        for (const ConfigProblem& p : validateSweep(r.spec.base, r.spec.axes, r.spec.seeds))
            r.errors << QStringLiteral("%1: %2: %3")
                            .arg(path, QString::fromStdString(p.field),
                                 QString::fromStdString(p.message));
    return r;
}

QStringList sweepDifferences(const SweepSpec& a, const SweepSpec& b) {
    QStringList lines;
    auto names = [](const SweepSpec& s) {
        QStringList n;
        for (const SweepAxis& axis : s.axes)
            n << toQString(knobInfo(axis.knob).key);
        return n.isEmpty() ? QStringLiteral("(none)") : n.join(QStringLiteral(", "));
    };
    if (names(a) != names(b)) {
        lines << QStringLiteral("the swept knobs differ: %1 vs %2").arg(names(a), names(b));
    } else {
        for (std::size_t i = 0; i < a.axes.size(); ++i)
            if (a.axes[i].values != b.axes[i].values)
                lines << QStringLiteral("the values of %1 differ: %2 vs %3")
                             .arg(toQString(knobInfo(a.axes[i].knob).key), axisText(a.axes[i]),
                                  axisText(b.axes[i]));
    }
    if (a.seeds != b.seeds)
        lines << QStringLiteral("the seed lists differ: %1 vs %2")
                     .arg(seedsText(a.seeds), seedsText(b.seeds));
    const QJsonObject ca = baseConfigJson(a.base), cb = baseConfigJson(b.base);
    for (const QString& key : differingKeys(ca, cb))
        lines << QStringLiteral("the base config's %1 differs: %2 vs %3")
                     .arg(key, jsonText(ca.value(key)), jsonText(cb.value(key)));
    return lines;
}

QString sweepRunFolder(const std::vector<SweepAxis>& axes, const SweepPoint& p) {
    QStringList parts;
    for (std::size_t i = 0; i < axes.size(); ++i)
        parts << toQString(knobInfo(axes[i].knob).key) + QLatin1Char('=') +
                     toQString(knobValueText(axes[i].knob, p.knobValues[i]));
    parts << QStringLiteral("seed=%1").arg(qulonglong(p.seed));
    return parts.join(QLatin1Char('_'));
}

std::optional<LossWeights> finalWeightsInFolder(const QString& dir) {
    const QString path = QDir(dir).filePath(QStringLiteral("history.csv"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    std::vector<EpochMetrics> history;
    if (!parseHistoryCsv(file.readAll(), path, &history).isEmpty())
        return std::nullopt;
    return finalWeights(history);
}

std::optional<FitReport> finishedRunReport(const QString& dir, const TrainConfig& expected,
                                           QString* mismatch) {
    const QDir d(dir);
    const QString metricsPath = d.filePath(QStringLiteral("metrics.json"));
    if (!QFile::exists(metricsPath))
        return std::nullopt;
    QString error;
    const QByteArray metrics = readSmall(metricsPath, maxSmallFileBytes, &error);
    FitReport report;
    if (!error.isEmpty() || !parseMetricsJson(metrics, metricsPath, &report).isEmpty() ||
        (report.stopReason != StopReason::Completed && report.stopReason != StopReason::Diverged))
        return std::nullopt;
    const QByteArray config =
        readSmall(d.filePath(QStringLiteral("config.json")), maxSmallFileBytes, &error);
    const QStringList differing =
        differingKeys(QJsonDocument::fromJson(config).object(), configToJson(expected));
    if (!error.isEmpty() || !differing.isEmpty()) {
        if (mismatch)
            *mismatch = differing.isEmpty() ? error : differing.constFirst();
        return std::nullopt;
    }
    return report;
}

} // namespace sobolev
