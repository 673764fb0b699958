// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcheckpoint.h"

#include "configjson.h"
#include "fileio.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace sobolev {

namespace {

constexpr qint64 maxStatusBytes = qint64(1) << 20;
constexpr qint64 maxConfigBytes = qint64(1) << 20;
// A checkpoint holds the history (80 bytes a row) and a few copies of the network: the knobs'
// limits keep it well under this.
constexpr qint64 maxCheckpointBytes = qint64(1) << 31;

QJsonObject statusJson(const RunOutputs& o, int rowsDone, int plannedRows) {
    QJsonObject s;
    s.insert(QStringLiteral("status"), QStringLiteral("interrupted"));
    s.insert(QStringLiteral("rows_done"), rowsDone);
    s.insert(QStringLiteral("rows_planned"), plannedRows);
    s.insert(QStringLiteral("written"), QDateTime::currentDateTime().toString(Qt::ISODate));
    s.insert(QStringLiteral("working_dir"), o.workingDir);
    s.insert(QStringLiteral("plots"), o.plots);
    s.insert(QStringLiteral("figure_scale"), o.figureScale);
    s.insert(QStringLiteral("report"), o.report);
    s.insert(QStringLiteral("report_page"), reportPageName(o.reportPage));
    QStringList baselines;
    for (const BaselineSpec& b : o.baselines)
        baselines << QStringLiteral("%1:%2").arg(QLatin1String(baselineKey(b.kind))).arg(b.n);
    s.insert(QStringLiteral("baselines"), baselines.join(QLatin1Char(',')));
    return s;
}

QStringList outputsFromJson(const QJsonObject& s, const QString& file, RunOutputs* o) {
    QStringList errors;
    if (s.value(QLatin1String("status")).toString() != QLatin1String("interrupted"))
        errors << QStringLiteral("%1: \"status\" must be \"interrupted\"").arg(file);
    o->workingDir = s.value(QLatin1String("working_dir")).toString();
    o->plots = s.value(QLatin1String("plots")).toBool();
    o->report = s.value(QLatin1String("report")).toBool();
    o->figureScale = s.value(QLatin1String("figure_scale")).toDouble(1);
    if (!(o->figureScale >= 0.5 && o->figureScale <= 3))
        errors << QStringLiteral("%1: \"figure_scale\" must be from 0.5 to 3").arg(file);
    const auto page = reportPageFromName(s.value(QLatin1String("report_page")).toString());
    if (!page)
        errors << QStringLiteral("%1: \"report_page\" must be a4 or letter").arg(file);
    o->reportPage = page.value_or(ReportPage::A4);
    const QString baselines = s.value(QLatin1String("baselines")).toString();
    if (!baselines.isEmpty()) {
        const BaselineParse parsed = parseBaselines(baselines.toStdString());
        o->baselines = parsed.specs;
        for (const std::string& p : parsed.problems)
            errors << QStringLiteral("%1: \"baselines\": %2").arg(file, QString::fromStdString(p));
    }
    return errors;
}

} // namespace

double checkpointInterval() {
    constexpr double defaultSeconds = 5;
    if (!qEnvironmentVariableIsSet("SOBOLEV_CHECKPOINT_SECONDS"))
        return defaultSeconds;
    bool ok = false;
    const double s = qEnvironmentVariable("SOBOLEV_CHECKPOINT_SECONDS").toDouble(&ok);
    if (ok && s >= 0 && s <= 1e6)
        return s;
    std::fprintf(stderr,
                 "sobolev-workbench: SOBOLEV_CHECKPOINT_SECONDS must be a number of seconds from "
                 "0 to 1e6; using %g\n",
                 defaultSeconds);
    return defaultSeconds;
}

RunFolderState runFolderState(const QString& dir) {
    const QDir d(dir);
    if (!QFile::exists(d.filePath(QStringLiteral("config.json"))))
        return RunFolderState::NotARun;
    if (QFile::exists(d.filePath(QStringLiteral("metrics.json"))))
        return RunFolderState::Finished;
    if (QFile::exists(d.filePath(QLatin1String(checkpointStatusFile))))
        return RunFolderState::Interrupted;
    return RunFolderState::NotARun;
}

bool beginRunFolder(const QString& dir, const TrainConfig& config, const RunOutputs& outputs,
                    QString* error) {
    const QDir d(dir);
    const auto json = [](const QJsonObject& o) {
        return QJsonDocument(o).toJson(QJsonDocument::Indented);
    };
    return writeFileAtomically(d.filePath(QStringLiteral("config.json")),
                               json(configToJson(config)), error) &&
           writeFileAtomically(d.filePath(QLatin1String(checkpointStatusFile)),
                               json(statusJson(outputs, 0, plannedRows(config))), error);
}

bool writeCheckpoint(const QString& dir, const TrainerCheckpoint& checkpoint,
                     const RunOutputs& outputs, QString* error) {
    const QDir d(dir);
    const std::string bytes = checkpointBytes(checkpoint);
    return writeFileAtomically(d.filePath(QLatin1String(checkpointStateFile)),
                               QByteArray(bytes.data(), qsizetype(bytes.size())), error) &&
           writeFileAtomically(d.filePath(QLatin1String(checkpointStatusFile)),
                               QJsonDocument(statusJson(outputs, int(checkpoint.history.size()),
                                                        checkpoint.plannedRows))
                                   .toJson(QJsonDocument::Indented),
                               error);
}

bool removeCheckpoint(const QString& dir, QString* error) {
    const QDir d(dir);
    for (const char* name : {checkpointStateFile, checkpointStatusFile}) {
        const QString path = d.filePath(QLatin1String(name));
        if (QFile::exists(path) && !QFile::remove(path)) {
            *error =
                QStringLiteral("%1: cannot remove the checkpoint of the finished run").arg(path);
            return false;
        }
    }
    return true;
}

CheckpointWriter::CheckpointWriter(QString dir, RunOutputs outputs)
    : m_dir(std::move(dir)), m_outputs(std::move(outputs)) {}

CheckpointWriter::~CheckpointWriter() {
    finish();
}

void CheckpointWriter::save(TrainerCheckpoint checkpoint) {
    finish();
    m_pending = std::async(std::launch::async,
                           [dir = m_dir, outputs = m_outputs, c = std::move(checkpoint)] {
                               QString error;
                               writeCheckpoint(dir, c, outputs, &error);
                               return error;
                           });
}

QString CheckpointWriter::finish() {
    if (m_pending.valid()) {
        const QString error = m_pending.get();
        if (m_firstError.isEmpty())
            m_firstError = error;
    }
    return m_firstError;
}

InterruptedRun readInterruptedRun(const QString& dir) {
    InterruptedRun run;
    const QDir d(dir);
    QString error;
    const QString statusPath = d.filePath(QLatin1String(checkpointStatusFile));
    const QByteArray status = readSmall(statusPath, maxStatusBytes, &error);
    QJsonParseError parse;
    const QJsonDocument statusDoc = QJsonDocument::fromJson(status, &parse);
    if (!error.isEmpty() || !statusDoc.isObject()) {
        run.errors << (error.isEmpty() ? QStringLiteral("%1: not a JSON object: %2")
                                             .arg(statusPath, parse.errorString())
                                       : error);
        return run;
    }
    run.errors << outputsFromJson(statusDoc.object(), statusPath, &run.outputs);

    const QString configPath = d.filePath(QStringLiteral("config.json"));
    const QByteArray configText = readSmall(configPath, maxConfigBytes, &error);
    const QJsonDocument configDoc = QJsonDocument::fromJson(configText);
    if (!error.isEmpty() || !configDoc.isObject()) {
        run.errors << (error.isEmpty() ? QStringLiteral("%1: not a JSON object").arg(configPath)
                                       : error);
        return run;
    }
    const ConfigReadResult config =
        configFromJson(configDoc.object(), {}, RangeCheck::Check, run.outputs.workingDir);
    for (const QString& e : config.errors)
        run.errors << configPath + QStringLiteral(": ") + e;
    run.config = config.config;

    const QString statePath = d.filePath(QLatin1String(checkpointStateFile));
    if (!QFile::exists(statePath))
        return run; // killed before its first checkpoint: it starts again from the start
    const QByteArray state = readSmall(statePath, maxCheckpointBytes, &error);
    if (!error.isEmpty()) {
        run.errors << error;
        return run;
    }
    try {
        run.checkpoint = checkpointFromBytes(std::string_view(state.constData(), state.size()));
    } catch (const std::exception& e) {
        run.errors << statePath + QStringLiteral(": ") + QString::fromStdString(e.what());
    }
    return run;
}

} // namespace sobolev
