// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistory.h"

#include "configjson.h"
#include "fileio.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

constexpr int entryFormat = 1;
const QString runJsonName = QStringLiteral("run.json");
const QString tmpPrefix = QStringLiteral(".tmp-");
const QString removedPrefix = QStringLiteral(".removed-");
// A ".tmp-" folder younger than this may be another window's save in progress.
constexpr qint64 staleTmpSeconds = 3600;

// readRunFolder names files by their full path; within an entry's message the folder is
// already named, so the file name alone is enough.
QString relativeTo(const QString& dir, const QString& error) {
    const QString prefix = dir + QLatin1Char('/');
    return error.startsWith(prefix) ? error.mid(prefix.size()) : error;
}

// The problems of one entry folder; `out` is only meaningful when there are none.
QStringList readEntry(const QString& dir, StoredRun* out) {
    const QString path = QDir(dir).filePath(runJsonName);
    QFile file(path);
    if (!file.exists())
        return {RunHistory::tr("no run.json (an incomplete entry)")};
    if (!file.open(QIODevice::ReadOnly))
        return {RunHistory::tr("run.json: cannot open: %1").arg(file.errorString())};
    if (file.size() > (1 << 20))
        return {RunHistory::tr("run.json: larger than 1 MiB; not a run entry")};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {RunHistory::tr("run.json: not valid JSON at byte %1: %2")
                    .arg(parseError.offset)
                    .arg(parseError.errorString())};
    const QJsonObject json = doc.object();
    const int format = json.value(QLatin1String("format")).toInt(0);
    if (format > entryFormat)
        return {RunHistory::tr("run.json: format %1 is from a newer version of this program")
                    .arg(format)};
    QStringList errors;
    if (format != entryFormat)
        errors << RunHistory::tr("run.json: \"format\" must be %1").arg(entryFormat);
    out->name = json.value(QLatin1String("name")).toString().trimmed();
    if (out->name.isEmpty())
        errors << RunHistory::tr("run.json: \"name\" must be a non-empty string");
    out->created =
        QDateTime::fromString(json.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    if (!out->created.isValid())
        errors << RunHistory::tr("run.json: \"created\" must be an ISO 8601 date and time");
    out->created = out->created.toUTC();

    const RunReadResult run = readRunFolder(dir);
    for (const QString& e : run.errors)
        errors << relativeTo(dir, e);
    out->record = run.run;
    out->id = QFileInfo(dir).fileName();
    return errors;
}

bool idLess(const StoredRun& run, const QString& id) {
    return run.id < id;
}

} // namespace

RunHistory::RunHistory(const QString& folder, QObject* parent)
    : QObject(parent), m_folder(QDir::cleanPath(folder)) {}

QString RunHistory::entryPath(const QString& id) const {
    return QDir(m_folder).filePath(id);
}

const StoredRun* RunHistory::find(const QString& id) const {
    const auto it = std::lower_bound(m_runs.begin(), m_runs.end(), id, idLess);
    return it != m_runs.end() && it->id == id ? &*it : nullptr;
}

StoredRun* RunHistory::findMutable(const QString& id) {
    return const_cast<StoredRun*>(std::as_const(*this).find(id));
}

QStringList RunHistory::load() {
    QStringList problems;
    QList<StoredRun> runs;
    const QDir root(m_folder);
    const QFileInfo rootInfo(m_folder);
    if (rootInfo.exists() && !rootInfo.isDir())
        problems << tr("%1: not a folder; the run history cannot be read").arg(m_folder);
    const QFileInfoList entries = root.entryInfoList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QFileInfo& entry : entries) {
        const QString name = entry.fileName();
        const QString path = entry.filePath();
        if (name.startsWith(removedPrefix)) {
            // A deletion that failed halfway (see remove()); the run is already gone.
            QDir(path).removeRecursively();
            continue;
        }
        if (name.startsWith(tmpPrefix)) {
            if (entry.lastModified().secsTo(now) > staleTmpSeconds &&
                QDir(path).removeRecursively())
                problems << tr("%1: an entry whose saving was interrupted; removed").arg(path);
            else
                problems << tr("%1: an entry being saved, or whose saving was interrupted; skipped")
                                .arg(path);
            continue;
        }
        if (name.startsWith(QLatin1Char('.')))
            continue; // the desktop's own hidden files
        if (!entry.isDir()) {
            problems << tr("%1: not a run folder; ignored").arg(path);
            continue;
        }
        StoredRun run;
        const QStringList errors = readEntry(path, &run);
        if (!errors.isEmpty()) {
            problems << tr("%1: skipped: %2").arg(path, errors.join(QStringLiteral("; ")));
            continue;
        }
        runs << std::move(run);
    }
    std::sort(runs.begin(), runs.end(),
              [](const StoredRun& a, const StoredRun& b) { return a.id < b.id; });
    m_runs = std::move(runs);
    emit runsLoaded();
    return problems;
}

bool RunHistory::writeRunJson(const QString& dir, const QString& name, const QDateTime& created,
                              QString* error) const {
    QJsonObject json;
    json.insert(QStringLiteral("name"), name);
    json.insert(QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs));
    json.insert(QStringLiteral("format"), entryFormat);
    return writeFileAtomically(QDir(dir).filePath(runJsonName),
                               QJsonDocument(json).toJson(QJsonDocument::Indented), error);
}

QString RunHistory::add(const RunRecord& run, const QString& name, QString* error) {
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QString();
    };
    // What readRunFolder would reject must not be stored: it would vanish at the next start.
    if (run.report.stopReason == StopReason::None)
        return fail(tr("a run can be kept only once it has ended"));
    const QStringList problems = configProblems(run.config);
    if (!problems.isEmpty())
        return fail(
            tr("the run's settings are invalid: %1").arg(problems.join(QStringLiteral("; "))));
    if (int(run.history.size()) != run.report.epochsRun)
        return fail(tr("the run reports %1 epochs but its history has %2")
                        .arg(run.report.epochsRun)
                        .arg(run.history.size()));

    QDir root(m_folder);
    if (!root.mkpath(QStringLiteral(".")))
        return fail(tr("%1: cannot create the folder").arg(m_folder));
    // mkdir fails when the folder exists, so it reserves the id even against another
    // window saving in the same second.
    const QDateTime created = QDateTime::currentDateTimeUtc();
    const QString stamp = created.toString(QStringLiteral("yyyyMMdd-HHmmss-"));
    QString id;
    for (int n = 1; n <= 9999 && id.isEmpty(); ++n) {
        const QString candidate = stamp + QStringLiteral("%1").arg(n, 4, 10, QLatin1Char('0'));
        if (!root.exists(candidate) && !find(candidate) && root.mkdir(tmpPrefix + candidate))
            id = candidate;
    }
    if (id.isEmpty())
        return fail(tr("%1: cannot create a folder for the run").arg(m_folder));

    StoredRun stored{id, name.trimmed(), created, run};
    if (stored.name.isEmpty())
        stored.name = defaultName(run.config);
    const QString tmp = root.filePath(tmpPrefix + id);
    QString why;
    // run.json last: even without the rename, an entry without it is never loaded.
    bool ok = writeRunFolder(tmp, run, &why) && writeRunJson(tmp, stored.name, created, &why);
    if (ok && !root.rename(tmpPrefix + id, id)) {
        why = tr("%1: cannot rename to %2").arg(tmp, entryPath(id));
        ok = false;
    }
    if (!ok) {
        QDir(tmp).removeRecursively();
        return fail(why);
    }
    const auto at = std::lower_bound(m_runs.begin(), m_runs.end(), id, idLess);
    m_runs.insert(at, std::move(stored));
    emit runAdded(id);
    return id;
}

bool RunHistory::rename(const QString& id, const QString& name, QString* error) {
    StoredRun* run = findMutable(id);
    const QString trimmed = name.trimmed();
    QString why;
    if (!run)
        why = tr("no run %1 in the history").arg(id);
    else if (trimmed.isEmpty())
        why = tr("a run's name cannot be empty");
    else if (trimmed == run->name)
        return true;
    else if (writeRunJson(entryPath(id), trimmed, run->created, &why)) {
        run->name = trimmed;
        emit runRenamed(id);
        return true;
    }
    if (error)
        *error = why;
    return false;
}

bool RunHistory::remove(const QString& id, QString* error) {
    const auto it = std::lower_bound(m_runs.begin(), m_runs.end(), id, idLess);
    if (it == m_runs.end() || it->id != id) {
        if (error)
            *error = tr("no run %1 in the history").arg(id);
        return false;
    }
    // Renaming first takes the entry away in one step; a deletion failing halfway then
    // leaves a hidden folder that load() clears, not a damaged run that warns every start.
    QDir root(m_folder);
    if (root.exists(id)) {
        if (!root.rename(id, removedPrefix + id)) {
            if (error)
                *error = tr("%1: cannot delete the folder").arg(entryPath(id));
            return false;
        }
        QDir(root.filePath(removedPrefix + id)).removeRecursively();
    }
    m_runs.erase(it);
    emit runRemoved(id);
    return true;
}

QString RunHistory::defaultName(const TrainConfig& c) const {
    // Numbered after the highest "#n" so far, so names stay unique while runs are deleted.
    static const QRegularExpression numbered(QStringLiteral("^#(\\d+)"));
    int number = 0;
    for (const StoredRun& run : m_runs) {
        const QRegularExpressionMatch m = numbered.match(run.name);
        if (m.hasMatch())
            number = std::max(number, m.captured(1).toInt());
    }
    // Every knob that differs from the reference experiment, so that names tell runs apart.
    QStringList parts{QStringLiteral("#%1").arg(number + 1)};
    parts << knobDifferences(c);
    if (parts.size() == 1)
        parts << tr("reference");
    return parts.join(QLatin1Char(' '));
}

} // namespace sobolev
