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

// Reads at most `limit` bytes and says whether there was more. Bounded in chunks: a device
// such as /dev/zero reports size 0 and never ends, and read(limit) would reserve `limit`.
QByteArray readBounded(QFile& file, qint64 limit, bool* tooLarge) {
    QByteArray content;
    constexpr qint64 chunk = qint64(1) << 20;
    while (content.size() <= limit) {
        const QByteArray part = file.read(chunk);
        if (part.isEmpty())
            break;
        content += part;
    }
    *tooLarge = content.size() > limit;
    return content;
}

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
    bool tooLarge = false;
    const QByteArray content = readBounded(file, maxConfigBytes, &tooLarge);
    if (tooLarge) {
        r.errors << QStringLiteral("%1: is larger than 1 MiB; not a config file").arg(path);
        return r;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(content, &parseError);
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

QStringList missingConfigKeys(const QJsonObject& json) {
    QStringList missing;
    for (const QString& key : configKeys())
        if (!json.contains(key))
            missing << QStringLiteral("missing key \"%1\"").arg(key);
    return missing;
}

ConfigReadResult readExperimentFile(const QString& path) {
    ConfigReadResult r = readConfigFile(path);
    if (!r.errors.isEmpty())
        return r;
    // readConfigFile succeeded, so the file holds a JSON object.
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        for (const QString& m : missingConfigKeys(json))
            r.errors << path + QStringLiteral(": ") + m;
    }
    return r;
}

bool writeExperimentFile(const QString& path, const TrainConfig& config, QString* error) {
    const QStringList problems = configProblems(config);
    if (!problems.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: not saved: %2").arg(path, problems.join(QStringLiteral("; ")));
        return false;
    }
    return writeFileAtomically(path, QJsonDocument(configToJson(config)).toJson(QJsonDocument::Indented), error);
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
    // Unbuffered: a buffered QFileDevice reports a short write on a full disk as success, and
    // the truncated file would then be committed under the final name.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        if (error)
            *error = QStringLiteral("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    qint64 written = 0;
    while (written < data.size()) {
        const qint64 n = file.write(data.constData() + written, data.size() - written);
        if (n <= 0)
            break;
        written += n;
    }
    if (written != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: writing failed after %2 of %3 bytes: %4")
                         .arg(path)
                         .arg(written)
                         .arg(data.size())
                         .arg(file.errorString());
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

namespace sobolev {

namespace {

constexpr qint64 maxRunFileBytes = qint64(1) << 30; // a 1,000,000-epoch history is ~150 MB

// Splits CSV text into rows of numbers after checking the header; NaN is "nan".
QStringList parseNumberTable(const QByteArray& csv, const QString& source, const QByteArray& header,
                             std::vector<std::vector<double>>* rows) {
    QStringList errors;
    const QList<QByteArray> lines = csv.split('\n');
    if (lines.isEmpty() || lines[0].trimmed() != header)
        return {QStringLiteral("%1: line 1: expected the header \"%2\"; got \"%3\"")
                    .arg(source, QString::fromLatin1(header),
                         QString::fromUtf8(lines.value(0).left(200).trimmed()))};
    const int columns = int(header.count(',')) + 1;
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> cells = line.split(',');
        if (cells.size() != columns) {
            errors << QStringLiteral("%1: line %2: expected %3 values; got %4")
                          .arg(source).arg(i + 1).arg(columns).arg(cells.size());
            break;
        }
        std::vector<double> row(columns);
        for (int c = 0; c < columns; ++c) {
            bool ok = false;
            const QByteArray cell = cells[c].trimmed();
            row[c] = cell == "nan" ? std::nan("") : cell.toDouble(&ok);
            if (cell != "nan" && !ok) {
                errors << QStringLiteral("%1: line %2: \"%3\" is not a number")
                              .arg(source).arg(i + 1).arg(QString::fromUtf8(cell.left(40)));
                return errors;
            }
        }
        rows->push_back(std::move(row));
    }
    return errors;
}

QByteArray readSmallFile(const QString& path, QStringList* errors) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errors << QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        return {};
    }
    bool tooLarge = false;
    QByteArray content = readBounded(file, maxRunFileBytes, &tooLarge);
    if (tooLarge) {
        *errors << QStringLiteral("%1: is larger than 1 GiB; not a run file").arg(path);
        return {};
    }
    return content;
}

} // namespace

QStringList parseHistoryCsv(const QByteArray& csv, const QString& source, std::vector<EpochMetrics>* out) {
    std::vector<std::vector<double>> rows;
    QStringList errors = parseNumberTable(
        csv, source, "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds", &rows);
    out->clear();
    for (std::size_t i = 0; i < rows.size() && errors.isEmpty(); ++i) {
        const auto& r = rows[i];
        if (r[0] != double(i + 1)) {
            errors << QStringLiteral("%1: line %2: epoch should be %3; got %4")
                          .arg(source).arg(i + 2).arg(i + 1).arg(r[0]);
            break;
        }
        out->push_back({int(i + 1), r[1], r[2], r[3], r[4], r[5], r[6], r[7]});
    }
    return errors;
}

QStringList parsePredictionsCsv(const QByteArray& csv, const QString& source, Predictions* out) {
    std::vector<std::vector<double>> rows;
    QStringList errors = parseNumberTable(csv, source, "x,f,f_hat,fprime,fprime_hat", &rows);
    *out = {};
    // x and the network's outputs were written as floats (see predictionsCsv).
    for (const auto& r : rows) {
        out->x.push_back(float(r[0]));
        out->f.push_back(r[1]);
        out->fHat.push_back(float(r[2]));
        out->fprime.push_back(r[3]);
        out->fprimeHat.push_back(float(r[4]));
    }
    return errors;
}

QStringList parseMetricsJson(const QByteArray& json, const QString& source, FitReport* out) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {QStringLiteral("%1: not valid JSON at byte %2: %3")
                    .arg(source).arg(parseError.offset).arg(parseError.errorString())};
    if (!doc.isObject())
        return {QStringLiteral("%1: must hold a JSON object").arg(source)};
    const QJsonObject o = doc.object();
    QStringList errors;
    auto number = [&](const char* key, double& value) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isNull())
            value = std::nan(""); // how a NaN metric is written
        else if (v.isDouble())
            value = v.toDouble();
        else
            errors << QStringLiteral("%1: \"%2\" must be a number or null; got %3")
                          .arg(source, QLatin1String(key), v.isUndefined() ? QStringLiteral("nothing") : typeName(v));
    };
    number("mse_f", out->mseF);
    number("mse_fprime", out->mseFprime);
    number("max_err_f", out->maxErrF);
    number("max_err_fprime", out->maxErrFprime);
    double epochs = 0;
    number("epochs_run", epochs);
    if (!(epochs >= 0 && epochs <= limits::maxEpochs && epochs == std::floor(epochs)))
        errors << QStringLiteral("%1: \"epochs_run\" must be an integer from 0 to %2")
                      .arg(source).arg(limits::maxEpochs);
    out->epochsRun = errors.isEmpty() ? int(epochs) : 0;
    number("train_seconds", out->trainSeconds);
    const QString reason = o.value(QLatin1String("stop_reason")).toString();
    out->stopReason = StopReason::None;
    for (StopReason r : {StopReason::Completed, StopReason::Stopped, StopReason::Diverged})
        if (reason == QLatin1String(stopReasonName(r).data()))
            out->stopReason = r;
    if (out->stopReason == StopReason::None)
        errors << QStringLiteral("%1: \"stop_reason\" must be completed, stopped or diverged; got \"%2\"")
                      .arg(source, reason);
    out->stopMessage = o.value(QLatin1String("stop_message")).toString().toStdString();
    return errors;
}

RunReadResult readRunFolder(const QString& dir) {
    RunReadResult r;
    const QDir d(dir);
    if (!d.exists())
        return {{}, {QStringLiteral("%1: no such folder").arg(dir)}};
    const ConfigReadResult config = readExperimentFile(d.filePath(QStringLiteral("config.json")));
    r.errors << config.errors;
    r.run.config = config.config;
    const QString history = d.filePath(QStringLiteral("history.csv"));
    const QString predictions = d.filePath(QStringLiteral("predictions.csv"));
    const QString metrics = d.filePath(QStringLiteral("metrics.json"));
    QStringList readErrors;
    const QByteArray historyText = readSmallFile(history, &readErrors);
    const QByteArray predictionsText = readSmallFile(predictions, &readErrors);
    const QByteArray metricsText = readSmallFile(metrics, &readErrors);
    r.errors << readErrors;
    if (!readErrors.isEmpty())
        return r;
    r.errors << parseHistoryCsv(historyText, history, &r.run.history);
    r.errors << parsePredictionsCsv(predictionsText, predictions, &r.run.predictions);
    r.errors << parseMetricsJson(metricsText, metrics, &r.run.report);
    if (r.errors.isEmpty() && int(r.run.history.size()) != r.run.report.epochsRun)
        r.errors << QStringLiteral("%1: epochs_run is %2 but history.csv has %3 epochs")
                        .arg(metrics).arg(r.run.report.epochsRun).arg(r.run.history.size());
    return r;
}

} // namespace sobolev
