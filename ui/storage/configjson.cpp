// SPDX-License-Identifier: GPL-3.0-or-later
#include "configjson.h"

#include "core/problem/formula/expression.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"
#include "fileio.h"
#include "measuredfile.h"
#include "textformat.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace sobolev {

QJsonValue jsonNumber(double value) {
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

QString jsonTypeName(const QJsonValue& v) {
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

namespace {

// Integers beyond 2^53 do not survive a trip through a JSON double; such seeds are strings.
constexpr double maxExactJsonInteger = 9007199254740992.0;

// Reads the integer at `key` into `out`, or adds an error naming the key.
void readInt(const QJsonObject& json, const char* key, int& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || d != std::floor(d) || std::abs(d) > 2e9) {
        errors << QStringLiteral("%1: must be an integer; got %2")
                      .arg(QLatin1String(key), v.isDouble() ? formatNumber(d) : jsonTypeName(v));
        return;
    }
    out = int(d);
}

void readDouble(const QJsonObject& json, const char* key, double& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isDouble()) {
        errors << QStringLiteral("%1: must be a number; got %2")
                      .arg(QLatin1String(key), jsonTypeName(v));
        return;
    }
    out = v.toDouble();
}

void readBool(const QJsonObject& json, const char* key, bool& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isBool()) {
        errors << QStringLiteral("%1: must be true or false; got %2")
                      .arg(QLatin1String(key), jsonTypeName(v));
        return;
    }
    out = v.toBool();
}

// Reads one of the names `nameOf` gives the values in `all` (an activation, a schedule...).
template <typename Enum>
void readChoice(const QJsonObject& json, const char* key, Enum& out, const std::vector<Enum>& all,
                std::string_view (*nameOf)(Enum), QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    QStringList names;
    for (Enum e : all) {
        names << toQString(nameOf(e));
        if (v.isString() && v.toString() == names.constLast()) {
            out = e;
            return;
        }
    }
    errors << QStringLiteral("%1: must be one of %2; got %3")
                  .arg(QLatin1String(key), names.join(QStringLiteral(", ")),
                       v.isString() ? QLatin1Char('"') + v.toString() + QLatin1Char('"')
                                    : jsonTypeName(v));
}

void readSeed(const QJsonObject& json, std::uint64_t& out, QStringList& errors) {
    const QJsonValue v = json.value(QLatin1String("seed"));
    if (v.isUndefined())
        return;
    const QString allowed =
        QStringLiteral("seed: must be an integer from 0 to 18446744073709551615");
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
                      .arg(allowed, v.isDouble() ? formatNumber(d) : jsonTypeName(v));
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

namespace {
// Keys added with the optimiser knobs; files written before them are read with the defaults.
QStringList optimiserConfigKeys() {
    return {QStringLiteral("schedule"),
            QStringLiteral("lr_floor"),
            QStringLiteral("decay_factor"),
            QStringLiteral("step_epochs"),
            QStringLiteral("patience"),
            QStringLiteral("precision"),
            QStringLiteral("lbfgs_iterations"),
            QStringLiteral("lbfgs_history"),
            QStringLiteral("lbfgs_gradient_tolerance"),
            QStringLiteral("lbfgs_change_tolerance"),
            QStringLiteral("lbfgs_precision"),
            QStringLiteral("restore_best"),
            QStringLiteral("changes")};
}
} // namespace

// --- Knobs changed during the run (issue #10) -------------------------------------------------
// [{"epoch": 300, "batch": 1, "knob": "beta", "value": 10}, ...]; absent in older files,
// "batch" optional (1).
QJsonArray changesToJson(const std::vector<KnobChange>& changes) {
    QJsonArray list;
    for (const KnobChange& change : changes)
        list.append(QJsonObject{{QStringLiteral("epoch"), change.epoch},
                                {QStringLiteral("batch"), change.batch},
                                {QStringLiteral("knob"), toQString(liveKnobName(change.knob))},
                                {QStringLiteral("value"), jsonNumber(change.value)}});
    return list;
}

namespace {
void changesFromJson(const QJsonObject& json, TrainConfig& c, QStringList& errors) {
    const QJsonValue value = json.value(QLatin1String("changes"));
    if (value.isUndefined())
        return;
    if (!value.isArray()) {
        errors << QStringLiteral("changes: must be an array of {\"epoch\", \"batch\", \"knob\", "
                                 "\"value\"} objects; got %1")
                      .arg(jsonTypeName(value));
        return;
    }
    const QStringList fields{QStringLiteral("epoch"), QStringLiteral("batch"),
                             QStringLiteral("knob"), QStringLiteral("value")};
    std::vector<KnobChange> changes;
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("changes[%1]").arg(i);
        if (!list[i].isObject()) {
            errors << QStringLiteral("%1: must be an object with %2; got %3")
                          .arg(where, fields.join(QStringLiteral(", ")), jsonTypeName(list[i]));
            continue;
        }
        const QJsonObject o = list[i].toObject();
        const int before = int(errors.size());
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!fields.contains(it.key()))
                errors << QStringLiteral("%1: unknown key \"%2\"; allowed keys: %3")
                              .arg(where, it.key(), fields.join(QStringLiteral(", ")));
        for (const QString& field : fields) // batch may be left out: the epoch's first
            if (!o.contains(field) && field != QLatin1String("batch"))
                errors << QStringLiteral("%1: missing key \"%2\"").arg(where, field);
        KnobChange change;
        QStringList own;
        const QByteArray epochKey = (where + QStringLiteral(".epoch")).toUtf8();
        const QByteArray batchKey = (where + QStringLiteral(".batch")).toUtf8();
        const QByteArray valueKey = (where + QStringLiteral(".value")).toUtf8();
        // The readers name the key they were given; these name the entry too.
        QJsonObject renamed{{QString::fromUtf8(epochKey), o.value(QLatin1String("epoch"))},
                            {QString::fromUtf8(batchKey), o.value(QLatin1String("batch"))},
                            {QString::fromUtf8(valueKey), o.value(QLatin1String("value"))}};
        readInt(renamed, epochKey.constData(), change.epoch, errors);
        readInt(renamed, batchKey.constData(), change.batch, errors);
        readDouble(renamed, valueKey.constData(), change.value, errors);
        const QJsonValue knob = o.value(QLatin1String("knob"));
        const auto parsed = liveKnobFromName(knob.toString().toStdString());
        if (o.contains(QLatin1String("knob")) && (!knob.isString() || !parsed))
            errors << QStringLiteral("%1.knob: must be one of alpha, beta, lr; got %2")
                          .arg(where, knob.isString()
                                          ? QLatin1Char('"') + knob.toString() + QLatin1Char('"')
                                          : jsonTypeName(knob));
        else if (parsed)
            change.knob = *parsed;
        if (errors.size() == before)
            changes.push_back(change);
    }
    c.changes = std::move(changes);
}
} // namespace

QStringList configKeys() {
    return QStringList{
               QStringLiteral("width"),   QStringLiteral("depth"),  QStringLiteral("activation"),
               QStringLiteral("alpha"),   QStringLiteral("beta"),   QStringLiteral("learning_rate"),
               QStringLiteral("seed"),    QStringLiteral("epochs"), QStringLiteral("batch_size"),
               QStringLiteral("n_train"), QStringLiteral("n_val"),  QStringLiteral("grid_points")} +
           optimiserConfigKeys() + targetConfigKeys();
}

// --- Target and data keys (issue #12) ---------------------------------------------------------
// Optional: a file without them holds the reference target, Runge on [-1, 1], uniform, clean.
QStringList targetConfigKeys() {
    return {QStringLiteral("target"),
            QStringLiteral("target_param"),
            QStringLiteral("domain"),
            QStringLiteral("sampling"),
            QStringLiteral("noise_f"),
            QStringLiteral("noise_fprime"),
            QStringLiteral("target_derivative"),
            QStringLiteral("data"),
            QStringLiteral("data_sha256"),
            QStringLiteral("data_validation")};
}

namespace {

void targetToJson(const TrainConfig& c, QJsonObject& o) {
    o.insert(QStringLiteral("target"), QString::fromStdString(c.target));
    o.insert(QStringLiteral("target_param"),
             c.targetParam ? jsonNumber(*c.targetParam) : QJsonValue());
    o.insert(QStringLiteral("domain"),
             QJsonArray{jsonNumber(c.domainMin), jsonNumber(c.domainMax)});
    o.insert(QStringLiteral("sampling"), toQString(samplingName(c.sampling)));
    o.insert(QStringLiteral("noise_f"), c.noiseF);
    o.insert(QStringLiteral("noise_fprime"), c.noiseFprime);
    // Measured data: written only when there are some, so that other configs stay as before.
    if (!c.data.empty()) {
        o.insert(QStringLiteral("data"), QString::fromStdString(c.data));
        o.insert(QStringLiteral("data_sha256"), QString::fromStdString(c.dataSha256));
    }
    if (!c.data.empty() || c.dataValidation != 0)
        o.insert(QStringLiteral("data_validation"), jsonNumber(c.dataValidation));
    // For the reader of the file only: f'(x) as derived, for a typed formula.
    std::string error;
    if (!presetByName(c.target))
        if (const auto formula = CompiledFormula::compile(c.target, &error))
            o.insert(QStringLiteral("target_derivative"),
                     QString::fromStdString(formula->derivative()));
}

void targetFromJson(const QJsonObject& json, TrainConfig& c, QStringList& errors,
                    const QString& baseDir, DataFile dataFile) {
    const QJsonValue target = json.value(QLatin1String("target"));
    if (!target.isUndefined()) {
        if (!target.isString())
            errors << QStringLiteral("target: must be a preset name or a formula in x; got %1")
                          .arg(jsonTypeName(target));
        else
            c.target = target.toString().toStdString();
    }
    const QJsonValue param = json.value(QLatin1String("target_param"));
    if (param.isNull())
        c.targetParam.reset();
    else if (param.isDouble())
        c.targetParam = param.toDouble();
    else if (!param.isUndefined())
        errors << QStringLiteral("target_param: must be a number, or null for the preset's "
                                 "default; got %1")
                      .arg(jsonTypeName(param));
    const QJsonValue domain = json.value(QLatin1String("domain"));
    if (!domain.isUndefined()) {
        const QJsonArray ab = domain.toArray();
        if (!domain.isArray() || ab.size() != 2 || !ab[0].isDouble() || !ab[1].isDouble())
            errors << QStringLiteral("domain: must be an array of two numbers [a, b]; got %1")
                          .arg(domain.isArray() ? QStringLiteral("an array of %1").arg(ab.size())
                                                : jsonTypeName(domain));
        else {
            c.domainMin = ab[0].toDouble();
            c.domainMax = ab[1].toDouble();
        }
    }
    const QJsonValue sampling = json.value(QLatin1String("sampling"));
    if (!sampling.isUndefined()) {
        const auto parsed = samplingFromName(sampling.toString().toStdString());
        if (!sampling.isString() || !parsed)
            errors << QStringLiteral("sampling: must be one of uniform, equispaced, chebyshev; "
                                     "got %1")
                          .arg(sampling.isString()
                                   ? QLatin1Char('"') + sampling.toString() + QLatin1Char('"')
                                   : jsonTypeName(sampling));
        else
            c.sampling = *parsed;
    }
    readDouble(json, "noise_f", c.noiseF, errors);
    readDouble(json, "noise_fprime", c.noiseFprime, errors);
    readDouble(json, "data_validation", c.dataValidation, errors);
    const QJsonValue sha = json.value(QLatin1String("data_sha256"));
    if (!sha.isUndefined() &&
        (!sha.isString() ||
         (!sha.toString().isEmpty() &&
          (sha.toString().size() != 64 ||
           QByteArray::fromHex(sha.toString().toLatin1()).toHex() != sha.toString().toLower()))))
        errors << QStringLiteral("data_sha256: must be the data file's SHA-256 as 64 hex digits; "
                                 "got %1")
                      .arg(sha.isString() ? QLatin1Char('"') + sha.toString() + QLatin1Char('"')
                                          : jsonTypeName(sha));
    const QJsonValue data = json.value(QLatin1String("data"));
    if (!data.isUndefined() && !data.isString())
        errors << QStringLiteral("data: must be the path of a CSV file of x, f[, f'] (or \"\" "
                                 "for none); got %1")
                      .arg(jsonTypeName(data));
    else if (data.isString() && errors.isEmpty()) {
        // The file is read here, relative to the config file; data_sha256 belongs to the data
        // key beside it (a --data flag over a --config file names a new file).
        c.data = data.toString().toStdString();
        const QStringList dataErrors = loadMeasuredData(c, baseDir, sha.toString());
        if (dataFile == DataFile::Require)
            errors << dataErrors;
        else if (!dataErrors.isEmpty()) // left unread: the path and hash as the file says
            c.dataSha256 = sha.toString().toStdString();
    }
    const QJsonValue derivative = json.value(QLatin1String("target_derivative"));
    if (!derivative.isUndefined() && !derivative.isString())
        errors << QStringLiteral("target_derivative: must be a string (it is only informative); "
                                 "got %1")
                      .arg(jsonTypeName(derivative));
}

} // namespace

QJsonObject configToJson(const TrainConfig& c) {
    QJsonObject o;
    o.insert(QStringLiteral("width"), c.width);
    o.insert(QStringLiteral("depth"), c.depth);
    o.insert(QStringLiteral("activation"), toQString(activationName(c.activation)));
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
    o.insert(QStringLiteral("schedule"), toQString(scheduleName(c.schedule)));
    o.insert(QStringLiteral("lr_floor"), c.lrFloor);
    o.insert(QStringLiteral("decay_factor"), c.decayFactor);
    o.insert(QStringLiteral("step_epochs"), c.stepEpochs);
    o.insert(QStringLiteral("patience"), c.patience);
    o.insert(QStringLiteral("precision"), toQString(precisionName(c.precision)));
    o.insert(QStringLiteral("lbfgs_iterations"), c.lbfgsIterations);
    o.insert(QStringLiteral("lbfgs_history"), c.lbfgsHistory);
    o.insert(QStringLiteral("lbfgs_gradient_tolerance"), c.lbfgsGradientTolerance);
    o.insert(QStringLiteral("lbfgs_change_tolerance"), c.lbfgsChangeTolerance);
    o.insert(QStringLiteral("lbfgs_precision"), toQString(precisionName(c.lbfgsPrecision)));
    o.insert(QStringLiteral("restore_best"), c.restoreBest);
    o.insert(QStringLiteral("changes"), changesToJson(c.changes));
    targetToJson(c, o);
    return o;
}

ConfigReadResult configFromJson(const QJsonObject& json, const TrainConfig& base, RangeCheck ranges,
                                const QString& baseDir, DataFile dataFile) {
    ConfigReadResult r{base, {}};
    const QStringList keys = configKeys();
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!keys.contains(it.key()))
            r.errors << QStringLiteral("unknown key \"%1\"; allowed keys: %2")
                            .arg(it.key(), keys.join(QStringLiteral(", ")));
    TrainConfig& c = r.config;
    readInt(json, "width", c.width, r.errors);
    readInt(json, "depth", c.depth, r.errors);
    readChoice(json, "activation", c.activation, allActivations(), activationName, r.errors);
    readDouble(json, "alpha", c.alpha, r.errors);
    readDouble(json, "beta", c.beta, r.errors);
    readDouble(json, "learning_rate", c.learningRate, r.errors);
    readSeed(json, c.seed, r.errors);
    readInt(json, "epochs", c.epochs, r.errors);
    readInt(json, "batch_size", c.batchSize, r.errors);
    readInt(json, "n_train", c.nTrain, r.errors);
    readInt(json, "n_val", c.nVal, r.errors);
    readInt(json, "grid_points", c.gridPoints, r.errors);
    readChoice(json, "schedule", c.schedule, allSchedules(), scheduleName, r.errors);
    readDouble(json, "lr_floor", c.lrFloor, r.errors);
    readDouble(json, "decay_factor", c.decayFactor, r.errors);
    readInt(json, "step_epochs", c.stepEpochs, r.errors);
    readInt(json, "patience", c.patience, r.errors);
    readChoice(json, "precision", c.precision, allPrecisions(), precisionName, r.errors);
    readInt(json, "lbfgs_iterations", c.lbfgsIterations, r.errors);
    readInt(json, "lbfgs_history", c.lbfgsHistory, r.errors);
    readDouble(json, "lbfgs_gradient_tolerance", c.lbfgsGradientTolerance, r.errors);
    readDouble(json, "lbfgs_change_tolerance", c.lbfgsChangeTolerance, r.errors);
    readChoice(json, "lbfgs_precision", c.lbfgsPrecision, allPrecisions(), precisionName, r.errors);
    readBool(json, "restore_best", c.restoreBest, r.errors);
    changesFromJson(json, c, r.errors);
    targetFromJson(json, c, r.errors, baseDir, dataFile);
    if (r.errors.isEmpty() && ranges == RangeCheck::Check) {
        r.errors = configProblems(c);
        if (dataFile == DataFile::IfReadable && !c.measured) // unread on purpose
            r.errors.removeIf(
                [](const QString& e) { return e.startsWith(QLatin1String("data:")); });
    }
    return r;
}

ConfigReadResult readConfigFile(const QString& path, const TrainConfig& base, RangeCheck ranges,
                                DataFile dataFile) {
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
    r = configFromJson(doc.object(), base, ranges, QFileInfo(path).absolutePath(), dataFile);
    for (QString& e : r.errors)
        e = path + QStringLiteral(": ") + e;
    return r;
}

QStringList missingConfigKeys(const QJsonObject& json) {
    QStringList missing;
    for (const QString& key : configKeys())
        if (!json.contains(key) && !optimiserConfigKeys().contains(key) &&
            !targetConfigKeys().contains(key))
            missing << QStringLiteral("missing key \"%1\"").arg(key);
    return missing;
}

ConfigReadResult readExperimentFile(const QString& path, DataFile dataFile) {
    ConfigReadResult r = readConfigFile(path, {}, RangeCheck::Check, dataFile);
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
            *error =
                QStringLiteral("%1: not saved: %2").arg(path, problems.join(QStringLiteral("; ")));
        return false;
    }
    return writeFileAtomically(
        path, QJsonDocument(configToJson(config)).toJson(QJsonDocument::Indented), error);
}

} // namespace sobolev
