// SPDX-License-Identifier: GPL-3.0-or-later
#include "examples.h"

#include "configjson.h"
#include "fileio.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sobolev {

namespace {

constexpr qint64 maxExampleBytes = 1 << 20;

// Reads the sweep form, checking each axis the way the Sweep window will.
std::optional<SweepForm> readSweepForm(const QJsonValue& value, QStringList* errors) {
    if (!value.isObject()) {
        *errors << QStringLiteral("\"sweep\" must be an object with \"axes\" and \"seeds\"; got %1")
                       .arg(jsonTypeName(value));
        return std::nullopt;
    }
    const QJsonObject sweep = value.toObject();
    SweepForm form;
    const QJsonValue axes = sweep.value(QLatin1String("axes"));
    if (!axes.isArray() || axes.toArray().size() > 2)
        *errors << QStringLiteral("\"sweep.axes\" must be an array of at most 2 axes");
    for (const QJsonValue& axis : axes.toArray()) {
        const QString knobName = axis.toObject().value(QLatin1String("knob")).toString();
        const QString values = axis.toObject().value(QLatin1String("values")).toString();
        const std::optional<Knob> knob = sweepKnobFromName(knobName.toStdString());
        std::string problem;
        if (!knob)
            *errors << QStringLiteral("\"sweep.axes\": unknown knob \"%1\"").arg(knobName);
        else if (!parseSweepAxis((knobName + QLatin1Char('=') + values).toStdString(), &problem))
            *errors << QStringLiteral("\"sweep.axes\": %1").arg(QString::fromStdString(problem));
        else
            form.axes.emplace_back(*knob, values);
    }
    form.seeds = sweep.value(QLatin1String("seeds")).toString();
    std::string problem;
    if (form.seeds.isEmpty() || !parseSeedList(form.seeds.toStdString(), &problem))
        *errors << QStringLiteral(
                       "\"sweep.seeds\" must be a seed list such as \"1-3\" or \"1, 5, 9\"%1")
                       .arg(problem.empty()
                                ? QString()
                                : QStringLiteral(": ") + QString::fromStdString(problem));
    return form;
}

} // namespace

ExampleReadResult readExampleFile(const QString& path) {
    ExampleReadResult r;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        r.errors << QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        return r;
    }
    bool tooLarge = false;
    const QByteArray content = readBounded(file, maxExampleBytes, &tooLarge);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(content, &parseError);
    if (tooLarge || parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        r.errors
            << QStringLiteral("%1: not an example file (a JSON object of at most 1 MiB)").arg(path);
        return r;
    }
    const QJsonObject json = doc.object();
    r.example.title = json.value(QLatin1String("title")).toString();
    r.example.description = json.value(QLatin1String("description")).toString();
    if (r.example.title.isEmpty())
        r.errors << QStringLiteral("\"title\" must be a non-empty string");
    const QJsonObject experiment = json.value(QLatin1String("experiment")).toObject();
    const ConfigReadResult config = configFromJson(experiment);
    r.errors << missingConfigKeys(experiment) << config.errors;
    r.example.config = config.config;
    if (json.contains(QLatin1String("sweep")))
        r.example.sweep = readSweepForm(json.value(QLatin1String("sweep")), &r.errors);
    for (QString& e : r.errors)
        if (!e.startsWith(path))
            e = path + QStringLiteral(": ") + e;
    return r;
}

QList<Example> builtInExamples() {
    QList<Example> examples;
    const QDir dir(QStringLiteral(":/examples"));
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const ExampleReadResult r = readExampleFile(dir.filePath(name));
        if (r.errors.isEmpty())
            examples << r.example;
        else
            qWarning("%s", qPrintable(r.errors.join(QLatin1Char('\n'))));
    }
    return examples;
}

} // namespace sobolev
