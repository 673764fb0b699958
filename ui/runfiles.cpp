#include "runfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <charconv>
#include <cmath>

namespace sobolev {

namespace {

// Integers beyond 2^53 do not survive a trip through a JSON double; such seeds are strings.
constexpr double maxExactJsonInteger = 9007199254740992.0;

template <typename T>
QString shortest(T value) {
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, int(result.ptr - buffer));
}

QJsonValue jsonNumber(double value) {
    // JSON has no NaN or infinity; null stands for "not a number" and reads back as NaN.
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

QString typeName(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("undefined");
    }
}

// Reads the integer at `key` into `out`, or adds an error naming the key.
void readInt(const QJsonObject& json, const char* key, int& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 2e9) {
        errors << QStringLiteral("%1: must be an integer; got %2")
                      .arg(QLatin1String(key), v.isDouble() ? shortest(d) : typeName(v));
        return;
    }
    out = int(d);
}

void readDouble(const QJsonObject& json, const char* key, double& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isDouble()) {
        errors << QStringLiteral("%1: must be a number; got %2").arg(QLatin1String(key), typeName(v));
        return;
    }
    out = v.toDouble();
}

void readSeed(const QJsonObject& json, std::uint64_t& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String("seed"));
    if (v.isUndefined())
        return;
    const QString allowed = QStringLiteral("seed: must be an integer from 0 to 18446744073709551615");
    if (v.isString()) {
        bool ok = false;
        const qulonglong s = v.toString().trimmed().toULongLong(&ok);
        if (!ok || v.toString().trimmed().startsWith(QLatin1Char('-'))) {
            errors << QStringLiteral("%1; got \"%2\"").arg(allowed, v.toString());
            return;
        }
        out = s;
        return;
    }
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d != std::floor(d) || d > maxExactJsonInteger) {
        errors << QStringLiteral("%1 (larger than 2^53 as a string); got %2")
                      .arg(allowed, v.isDouble() ? shortest(d) : typeName(v));
        return;
    }
    out = std::uint64_t(d);
}

} // namespace

QStringList configProblems(const TrainConfig& config) {
    QStringList out;
    for (const ConfigProblem& p : validate(config))
        out << QString::fromStdString(p.field + ": " + p.message);
    return out;
}

QString formatNumber(double value) { return shortest(value); }
QString formatNumber(float value) { return shortest(value); }

QStringList configKeys() {
    return {QStringLiteral("width"),      QStringLiteral("depth"),         QStringLiteral("activation"),
            QStringLiteral("alpha"),      QStringLiteral("beta"),          QStringLiteral("learning_rate"),
            QStringLiteral("seed"),       QStringLiteral("epochs"),        QStringLiteral("batch_size"),
            QStringLiteral("n_train"),    QStringLiteral("n_val"),         QStringLiteral("grid_points")};
}

QJsonObject configToJson(const TrainConfig& c) {
    QJsonObject o;
    o.insert(QStringLiteral("width"), c.width);
    o.insert(QStringLiteral("depth"), c.depth);
    o.insert(QStringLiteral("activation"), QString::fromUtf8(activationName(c.activation).data()));
    o.insert(QStringLiteral("alpha"), c.alpha);
    o.insert(QStringLiteral("beta"), c.beta);
    o.insert(QStringLiteral("learning_rate"), c.learningRate);
    if (double(c.seed) <= maxExactJsonInteger && std::uint64_t(double(c.seed)) == c.seed)
        o.insert(QStringLiteral("seed"), double(c.seed));
    else
        o.insert(QStringLiteral("seed"), QString::number(qulonglong(c.seed)));
    o.insert(QStringLiteral("epochs"), c.epochs);
    o.insert(QStringLiteral("batch_size"), c.batchSize);
    o.insert(QStringLiteral("n_train"), c.nTrain);
    o.insert(QStringLiteral("n_val"), c.nVal);
    o.insert(QStringLiteral("grid_points"), c.gridPoints);
    return o;
}

ConfigReadResult configFromJson(const QJsonObject& json, const TrainConfig& base,
                                RangeCheck ranges) {
    ConfigReadResult r{base, {}};
    const QStringList keys = configKeys();
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!keys.contains(it.key()))
            r.errors << QStringLiteral("unknown key \"%1\"; allowed keys: %2")
                            .arg(it.key(), keys.join(QStringLiteral(", ")));
    TrainConfig& c = r.config;
    readInt(json, "width", c.width, r.errors);
    readInt(json, "depth", c.depth, r.errors);
    const QJsonValue act = json.value(QLatin1String("activation"));
    if (!act.isUndefined()) {
        const auto parsed = activationFromName(act.toString().toStdString());
        if (!act.isString() || !parsed) {
            QStringList names;
            for (Activation a : allActivations())
                names << QString::fromUtf8(activationName(a).data());
            r.errors << QStringLiteral("activation: must be one of %1; got %2")
                            .arg(names.join(QStringLiteral(", ")),
                                 act.isString() ? QLatin1Char('"') + act.toString() + QLatin1Char('"')
                                                : typeName(act));
        } else {
            c.activation = *parsed;
        }
    }
    readDouble(json, "alpha", c.alpha, r.errors);
    readDouble(json, "beta", c.beta, r.errors);
    readDouble(json, "learning_rate", c.learningRate, r.errors);
    readSeed(json, c.seed, r.errors);
    readInt(json, "epochs", c.epochs, r.errors);
    readInt(json, "batch_size", c.batchSize, r.errors);
    readInt(json, "n_train", c.nTrain, r.errors);
    readInt(json, "n_val", c.nVal, r.errors);
    readInt(json, "grid_points", c.gridPoints, r.errors);
    if (r.errors.isEmpty() && ranges == RangeCheck::Check)
        r.errors = configProblems(c);
    return r;
}

ConfigReadResult readConfigFile(const QString& path, const TrainConfig& base,
                                RangeCheck ranges) {
    ConfigReadResult r{base, {}};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        r.errors << QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        return r;
    }
    // A config is a few hundred bytes; refuse to parse something that is clearly not one.
    constexpr qint64 maxConfigBytes = 1 << 20;
    if (file.size() > maxConfigBytes) {
        r.errors << QStringLiteral("%1: is %2 bytes; a config file is at most 1 MiB")
                        .arg(path)
                        .arg(file.size());
        return r;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        r.errors << QStringLiteral("%1: not valid JSON at byte %2: %3")
                        .arg(path)
                        .arg(parseError.offset)
                        .arg(parseError.errorString());
        return r;
    }
    if (!doc.isObject()) {
        r.errors << QStringLiteral("%1: must hold a JSON object with config keys (%2)")
                        .arg(path, configKeys().join(QStringLiteral(", ")));
        return r;
    }
    r = configFromJson(doc.object(), base, ranges);
    for (QString& e : r.errors)
        e = path + QStringLiteral(": ") + e;
    return r;
}

QByteArray historyCsv(const std::vector<EpochMetrics>& history) {
    QByteArray out = "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds\n";
    out.reserve(out.size() + qsizetype(history.size()) * 160);
    for (const EpochMetrics& m : history) {
        const QString line = QString::number(m.epoch) + QLatin1Char(',') + shortest(m.loss) +
                             QLatin1Char(',') + shortest(m.mseF) + QLatin1Char(',') +
                             shortest(m.mseFprime) + QLatin1Char(',') + shortest(m.valLoss) +
                             QLatin1Char(',') + shortest(m.valMseF) + QLatin1Char(',') +
                             shortest(m.valMseFprime) + QLatin1Char(',') + shortest(m.seconds) +
                             QLatin1Char('\n');
        out += line.toLatin1();
    }
    return out;
}

QByteArray predictionsCsv(const Predictions& p) {
    QByteArray out = "x,f,f_hat,fprime,fprime_hat\n";
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        // x and the network's outputs are floats; the true values are doubles.
        const QString line = shortest(float(p.x[i])) + QLatin1Char(',') + shortest(p.f[i]) +
                             QLatin1Char(',') + shortest(float(p.fHat[i])) + QLatin1Char(',') +
                             shortest(p.fprime[i]) + QLatin1Char(',') +
                             shortest(float(p.fprimeHat[i])) + QLatin1Char('\n');
        out += line.toLatin1();
    }
    return out;
}

QJsonObject metricsToJson(const FitReport& r) {
    QJsonObject o;
    o.insert(QStringLiteral("mse_f"), jsonNumber(r.mseF));
    o.insert(QStringLiteral("mse_fprime"), jsonNumber(r.mseFprime));
    o.insert(QStringLiteral("max_err_f"), jsonNumber(r.maxErrF));
    o.insert(QStringLiteral("max_err_fprime"), jsonNumber(r.maxErrFprime));
    o.insert(QStringLiteral("epochs_run"), r.epochsRun);
    o.insert(QStringLiteral("train_seconds"), r.trainSeconds);
    o.insert(QStringLiteral("stop_reason"), QString::fromUtf8(stopReasonName(r.stopReason).data()));
    o.insert(QStringLiteral("stop_message"), QString::fromStdString(r.stopMessage));
    return o;
}

bool writeFileAtomically(const QString& path, const QByteArray& data, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    if (file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: writing failed: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

bool writeRunFolder(const QString& dir, const RunRecord& run, QString* error) {
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("%1: cannot create the folder").arg(dir);
        return false;
    }
    const QDir d(dir);
    auto json = [](const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Indented); };
    return writeFileAtomically(d.filePath(QStringLiteral("config.json")), json(configToJson(run.config)), error) &&
           writeFileAtomically(d.filePath(QStringLiteral("history.csv")), historyCsv(run.history), error) &&
           writeFileAtomically(d.filePath(QStringLiteral("predictions.csv")), predictionsCsv(run.predictions), error) &&
           writeFileAtomically(d.filePath(QStringLiteral("metrics.json")), json(metricsToJson(run.report)), error);
}

} // namespace sobolev
