// SPDX-License-Identifier: GPL-3.0-or-later
#include "configjson.h"

#include "core/config/knobregistry.h"
#include "core/problem/formula/expression.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"
#include "core/problem/validate.h"
#include "fileio.h"
#include "measuredfile.h"
#include "textformat.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
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

// --- Knobs changed during the run -------------------------------------------------
// [{"epoch": 300, "batch": 1, "knob": "beta", "value": 10}, ...]; absent in older files,
// "batch" optional (1).
QJsonArray changesToJson(const std::vector<KnobChange>& changes) {
    QJsonArray list;
    for (const KnobChange& change : changes)
        list.append(QJsonObject{{QStringLiteral("epoch"), change.epoch},
                                {QStringLiteral("batch"), change.batch},
                                {QStringLiteral("knob"), toQString(knobShortName(change.knob))},
                                {QStringLiteral("value"), jsonNumber(change.value)}});
    return list;
}

namespace {

// A config file of 1 MiB can hold half a million bad entries; a message for each would take
// seconds to make and fill a dialog the window cannot show. The first ones say what is wrong.
constexpr qsizetype maxListedErrors = 20;

// Keeps the first maxListedErrors problems and says that there were more.
void capErrors(QStringList& errors) {
    if (errors.size() <= maxListedErrors)
        return;
    errors.resize(maxListedErrors);
    errors << QStringLiteral("more problems follow; only the first %1 are listed")
                  .arg(maxListedErrors);
}

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
    for (qsizetype i = 0; i < list.size() && errors.size() <= maxListedErrors; ++i) {
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
        auto parsed = knobFromName(knob.toString().toStdString());
        if (parsed && !knobInfo(*parsed).live)
            parsed.reset();
        if (o.contains(QLatin1String("knob")) && (!knob.isString() || !parsed))
            errors << QStringLiteral("%1.knob: must be one of %2; got %3")
                          .arg(where, toQString(knobNameList(liveKnobs(), true)),
                               knob.isString()
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

// The keys beside the knobs: the changes during the run, and f'(x) for the reader.
const QString changesKey = QStringLiteral("changes");
const QString derivativeKey = QStringLiteral("target_derivative");

QStringList configKeys() {
    QStringList keys;
    for (const KnobInfo& k : knobRegistry())
        if (k.stored)
            keys << QLatin1String(k.key);
    return keys << changesKey << derivativeKey;
}

namespace {

QJsonValue knobToJson(const KnobInfo& k, const TrainConfig& c) {
    switch (k.kind) {
    case KnobKind::Int:
        return c.*k.intField;
    case KnobKind::Real:
        return jsonNumber(c.*k.realField);
    case KnobKind::Choice:
        return toQString(knobValueText(k.knob, knobValue(c, k.knob)));
    case KnobKind::Bool:
        return c.*k.boolField;
    case KnobKind::Text:
        return QString::fromStdString(c.*k.textField);
    case KnobKind::Seed: // as a string where a JSON double would round it
        if (double(c.seed) <= maxExactJsonInteger && std::uint64_t(double(c.seed)) == c.seed)
            return double(c.seed);
        return QString::number(qulonglong(c.seed));
    case KnobKind::OptionalReal:
        return c.targetParam ? jsonNumber(*c.targetParam) : QJsonValue();
    case KnobKind::Interval:
        return QJsonArray{jsonNumber(c.*k.realField), jsonNumber(c.*k.upperField)};
    }
    return {};
}

// Measured data's keys are left out of configs without data, so that those stay as before.
bool written(const KnobInfo& k, const TrainConfig& c) {
    if (!k.stored)
        return false;
    if (!k.omitWhenUnused || k.appliesTo(c))
        return true;
    const TrainConfig reference;
    return knobToJson(k, c) != knobToJson(k, reference);
}

QString quotedOrType(const QJsonValue& v) {
    return v.isString() ? QLatin1Char('"') + v.toString() + QLatin1Char('"') : jsonTypeName(v);
}

// Reads the value `v` of knob `k` into `c`, or adds an error naming the key and what is
// allowed. Int, Real, Bool and Seed share the readers the changes use.
void readKnob(const KnobInfo& k, const QJsonObject& json, TrainConfig& c, QStringList& errors) {
    const QString key = QLatin1String(k.key);
    const QJsonValue v = json.value(key);
    const QString allowed = toQString(knobRangeText(k.knob));
    switch (k.kind) {
    case KnobKind::Int:
        readInt(json, k.key, c.*k.intField, errors);
        return;
    case KnobKind::Real:
        readDouble(json, k.key, c.*k.realField, errors);
        return;
    case KnobKind::Bool:
        readBool(json, k.key, c.*k.boolField, errors);
        return;
    case KnobKind::Seed:
        readSeed(json, c.seed, errors);
        return;
    case KnobKind::Choice: {
        const auto names = k.choices();
        const auto at = std::find(names.begin(), names.end(), v.toString().toStdString());
        if (v.isString() && at != names.end())
            setKnob(c, k.knob, double(at - names.begin()));
        else
            errors << QStringLiteral("%1: must be %2; got %3").arg(key, allowed, quotedOrType(v));
        return;
    }
    case KnobKind::Text:
        if (v.isString())
            c.*k.textField = v.toString().toStdString();
        else
            errors << QStringLiteral("%1: must be %2; got %3").arg(key, allowed, jsonTypeName(v));
        return;
    case KnobKind::OptionalReal:
        if (v.isNull() || v.isDouble())
            setKnob(c, k.knob, v.isNull() ? std::nan("") : v.toDouble());
        else
            errors << QStringLiteral("%1: must be a number, or null for the preset's default; "
                                     "got %2")
                          .arg(key, jsonTypeName(v));
        return;
    case KnobKind::Interval: {
        const QJsonArray ab = v.toArray();
        if (v.isArray() && ab.size() == 2 && ab[0].isDouble() && ab[1].isDouble()) {
            c.*k.realField = ab[0].toDouble();
            c.*k.upperField = ab[1].toDouble();
        } else {
            errors << QStringLiteral("%1: must be an array of two numbers [a, b]; got %2")
                          .arg(key, v.isArray() ? QStringLiteral("an array of %1").arg(ab.size())
                                                : jsonTypeName(v));
        }
        return;
    }
    }
}

// The data file's keys: the path, read here relative to the config file, and the hash
// beside it, checked against the file (a --data flag over a --config file names a new file).
void readDataFile(const QJsonObject& json, TrainConfig& c, QStringList& errors,
                  const QString& baseDir, DataFile dataFile) {
    const QJsonValue sha = json.value(QLatin1String("data_sha256"));
    if (!sha.isUndefined() &&
        (!sha.isString() ||
         (!sha.toString().isEmpty() &&
          (sha.toString().size() != 64 ||
           QByteArray::fromHex(sha.toString().toLatin1()).toHex() != sha.toString().toLower()))))
        errors << QStringLiteral("data_sha256: must be the data file's SHA-256 as 64 hex digits; "
                                 "got %1")
                      .arg(quotedOrType(sha));
    const QJsonValue data = json.value(QLatin1String("data"));
    if (!data.isUndefined() && !data.isString())
        errors << QStringLiteral("data: must be the path of a CSV file of x, f[, f'] (or \"\" "
                                 "for none); got %1")
                      .arg(jsonTypeName(data));
    else if (data.isString() && errors.isEmpty()) {
        c.data = data.toString().toStdString();
        const QStringList dataErrors = loadMeasuredData(c, baseDir, sha.toString());
        if (dataFile == DataFile::Require)
            errors << dataErrors;
        else if (!dataErrors.isEmpty()) // left unread: the path and hash as the file says
            c.dataSha256 = sha.toString().toStdString();
    }
}

} // namespace

QJsonObject configToJson(const TrainConfig& c) {
    QJsonObject o;
    for (const KnobInfo& k : knobRegistry())
        if (written(k, c))
            o.insert(QLatin1String(k.key), knobToJson(k, c));
    o.insert(changesKey, changesToJson(c.changes));
    // For the reader of the file only: f'(x) as derived, for a typed formula.
    std::string error;
    if (!presetByName(c.target))
        if (const auto formula = CompiledFormula::compile(c.target, &error))
            o.insert(derivativeKey, QString::fromStdString(formula->derivative()));
    return o;
}

ConfigReadResult configFromJson(const QJsonObject& json, const TrainConfig& base, RangeCheck ranges,
                                const QString& baseDir, DataFile dataFile) {
    ConfigReadResult r{base, {}};
    const QStringList keys = configKeys();
    for (auto it = json.begin(); it != json.end() && r.errors.size() <= maxListedErrors; ++it)
        if (!keys.contains(it.key()))
            r.errors << QStringLiteral("unknown key \"%1\"; allowed keys: %2")
                            .arg(it.key(), keys.join(QStringLiteral(", ")));
    for (const KnobInfo& k : knobRegistry())
        if (k.stored && k.knob != Knob::Data && k.knob != Knob::DataSha256 &&
            json.contains(QLatin1String(k.key)))
            readKnob(k, json, r.config, r.errors);
    changesFromJson(json, r.config, r.errors);
    readDataFile(json, r.config, r.errors, baseDir, dataFile);
    const QJsonValue derivative = json.value(derivativeKey);
    if (!derivative.isUndefined() && !derivative.isString())
        r.errors << QStringLiteral("target_derivative: must be a string (it is only "
                                   "informative); got %1")
                        .arg(jsonTypeName(derivative));
    if (r.errors.isEmpty() && ranges == RangeCheck::Check) {
        r.errors = configProblems(r.config);
        if (dataFile == DataFile::IfReadable && !r.config.measured) // unread on purpose
            r.errors.removeIf(
                [](const QString& e) { return e.startsWith(QLatin1String("data:")); });
    }
    capErrors(r.errors);
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
    for (const KnobInfo& k : knobRegistry())
        if (k.required && !json.contains(QLatin1String(k.key)))
            missing << QStringLiteral("missing key \"%1\"").arg(QLatin1String(k.key));
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
