// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistory.h"

#include "configjson.h"
#include "fileio.h"
#include "lossweights.h"
#include "runcheckpoint.h"
#include "runindex.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/stat.h>
#endif

#include <algorithm>
#include <cmath>
#include <functional>

namespace sobolev {

namespace {

constexpr int entryFormat = 1;
const QString runJsonName = QStringLiteral("run.json");
const QString tmpPrefix = QStringLiteral(".tmp-");
const QString removedPrefix = QStringLiteral(".removed-");
// A ".tmp-" folder younger than this may be another window's save in progress.
constexpr qint64 staleTmpSeconds = 3600;

// "#12" at the start of a name: the number of a run stored before numbers were kept apart
// from names, and what a new run's number must stay above.
int nameNumber(const QString& name) {
    static const QRegularExpression numbered(QStringLiteral("^#(\\d+)"));
    const QRegularExpressionMatch m = numbered.match(name);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

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
    out->source = json.value(QLatin1String("source")).toString();
    const QJsonValue number = json.value(QLatin1String("number"));
    out->number = number.isUndefined() ? nameNumber(out->name) : number.toInt(0);
    if (out->number < 0 || (!number.isUndefined() && out->number == 0))
        errors << RunHistory::tr("run.json: \"number\" must be a whole number from 1");

    out->id = QFileInfo(dir).fileName();
    if (runFolderState(dir) == RunFolderState::Interrupted) {
        const InterruptedRun run = readInterruptedRun(dir);
        for (const QString& e : run.errors)
            errors << relativeTo(dir, e);
        out->interrupted = true;
        out->record.config = run.config;
        out->record.report.epochsRun = run.checkpoint ? int(run.checkpoint->history.size()) : 0;
        return errors;
    }
    const RunReadResult run = readRunFolder(dir);
    for (const QString& e : run.errors)
        errors << relativeTo(dir, e);
    out->record = run.run;
    return errors;
}

const QString trainingLockName = QStringLiteral("training.lock");

// Whether a window (this one or another) trains the run of entry `dir` now. A lock left by a
// killed window names a process that is gone: the run is interrupted.
bool isBeingTrained(const QString& dir) {
    const QString path = QDir(dir).filePath(trainingLockName);
    if (!QFile::exists(path))
        return false;
    QLockFile lock(path);
    lock.setStaleLockTime(0); // a long run's lock is old, not stale
    return !lock.tryLock(0) && lock.error() == QLockFile::LockFailedError;
}

// The lock on entry `dir` while this history's window trains its run; null when another
// window holds it or the file cannot be made.
std::unique_ptr<QLockFile> lockEntry(const QString& dir) {
    auto lock = std::make_unique<QLockFile>(QDir(dir).filePath(trainingLockName));
    lock->setStaleLockTime(0);
    return lock->tryLock(0) ? std::move(lock) : nullptr;
}

bool idLess(const StoredRun& run, const QString& id) {
    return run.id < id;
}

const QString indexName = QStringLiteral(".index.sqlite");

// A file's modification time in ms since the epoch, 0 when it is missing. A start stats
// every file of every entry: stat() directly takes a microsecond where QFileInfo, building a
// local QDateTime, takes twenty.
qint64 modifiedMs(const QString& path) {
#ifdef Q_OS_LINUX
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;
#else
    const QFileInfo info(path);
    return info.exists() ? info.lastModified().toMSecsSinceEpoch() : 0;
#endif
}
const QStringList entryFiles{QStringLiteral("config.json"), QStringLiteral("history.csv"),
                             QStringLiteral("metrics.json"), QStringLiteral("predictions.csv"),
                             runJsonName};

// Only what the Runs panel shows stays in memory; readRun() reads the rest when asked.
void dropCurves(RunRecord* record) {
    // Assigned a new, empty value: `= {}` would pick vector's initializer-list assignment,
    // which keeps the capacity, and with it every curve read.
    record->history = std::vector<EpochMetrics>();
    record->predictions = Predictions();
    record->snapshots = SnapshotSeries();
}

// Reserves a new entry id by creating ".tmp-<id>"; mkdir fails when the folder exists, so
// this holds even against another window saving in the same second. Empty on failure.
QString reserveId(const QDir& root, const QDateTime& created,
                  const std::function<bool(const QString&)>& taken) {
    const QString stamp = created.toString(QStringLiteral("yyyyMMdd-HHmmss-"));
    for (int n = 1; n <= 9999; ++n) {
        const QString candidate = stamp + QStringLiteral("%1").arg(n, 4, 10, QLatin1Char('0'));
        if (!root.exists(candidate) && !taken(candidate) && root.mkdir(tmpPrefix + candidate))
            return candidate;
    }
    return {};
}

bool writeRunJson(const QString& dir, const StoredRun& run, QString* error) {
    QJsonObject json;
    json.insert(QStringLiteral("name"), run.name);
    const QDateTime& created = run.created;
    const QString& source = run.source;
    if (run.number > 0)
        json.insert(QStringLiteral("number"), run.number);
    json.insert(QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs));
    json.insert(QStringLiteral("format"), entryFormat);
    if (!source.isEmpty())
        json.insert(QStringLiteral("source"), source);
    return writeFileAtomically(QDir(dir).filePath(runJsonName),
                               QJsonDocument(json).toJson(QJsonDocument::Indented), error);
}

StoredRun withName(StoredRun run, const QString& name) {
    run.name = name;
    return run;
}

} // namespace

RunHistory::RunHistory(const QString& folder, QObject* parent)
    : QObject(parent), m_folder(QDir::cleanPath(folder)) {}

RunHistory::~RunHistory() = default;

QString RunHistory::indexPath() const {
    return QDir(m_folder).filePath(indexName);
}

qint64 RunHistory::entryStamp(const QString& dir) {
    qint64 latest = modifiedMs(dir);
    for (const QString& file : entryFiles)
        latest = std::max(latest, modifiedMs(dir + QLatin1Char('/') + file));
    return latest;
}

RunReadResult RunHistory::readRun(const QString& id) const {
    if (!find(id))
        return {{}, {tr("no run %1 in the history").arg(id)}};
    return readRunFolder(entryPath(id));
}

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
    LoadPlan plan = planLoad();
    const QList<EntryRead> read = readEntries(m_folder, plan.toRead);
    return finishLoad(std::move(plan), read);
}

RunHistory::LoadPlan RunHistory::planLoad() {
    LoadPlan plan;
    m_indexNote.clear();
    const QDir root(m_folder);
    const QFileInfo rootInfo(m_folder);
    if (rootInfo.exists() && !rootInfo.isDir())
        plan.problems << tr("%1: not a folder; the run history cannot be read").arg(m_folder);
    QHash<QString, IndexedRun> indexed;
    if (rootInfo.isDir()) {
        m_index = std::make_unique<RunIndex>(indexPath());
        if (m_index->open(&m_indexNote)) {
            bool ok = false;
            QString error;
            for (IndexedRun& r : m_index->readAll(&ok, &error))
                indexed.insert(r.id, std::move(r));
            if (!ok)
                m_indexNote = error;
        }
    }
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
                plan.problems << tr("%1: an entry whose saving was interrupted; removed").arg(path);
            else
                plan.problems
                    << tr("%1: an entry being saved, or whose saving was interrupted; skipped")
                           .arg(path);
            continue;
        }
        if (name.startsWith(QLatin1Char('.')))
            continue; // the index, and the desktop's own hidden files
        if (!entry.isDir()) {
            plan.problems << tr("%1: not a run folder; ignored").arg(path);
            continue;
        }
        if (isBeingTrained(path))
            continue; // listed once its window has stored it
        const qint64 stamp = entryStamp(path);
        plan.stamps.insert(name, stamp);
        const auto row = indexed.constFind(name);
        StoredRun run;
        if (row != indexed.constEnd() && row->stamp == stamp && fromIndexedRun(*row, &run))
            plan.kept << std::move(run);
        else
            plan.toRead << name;
    }
    for (auto it = indexed.cbegin(); it != indexed.cend(); ++it)
        if (!plan.stamps.contains(it.key()))
            plan.dropped << it.key();
    return plan;
}

QList<RunHistory::EntryRead> RunHistory::readEntries(const QString& folder, const QStringList& ids,
                                                     std::atomic<std::int64_t>* done,
                                                     const std::atomic<bool>* cancel) {
    QList<EntryRead> read;
    read.reserve(ids.size());
    const QDir root(folder);
    for (const QString& id : ids) {
        if (cancel && cancel->load())
            break;
        EntryRead r;
        const QString path = root.filePath(id);
        r.errors = readEntry(path, &r.run);
        r.run.id = id;
        dropCurves(&r.run.record);
        r.stamp = entryStamp(path);
        read << std::move(r);
        if (done)
            ++*done;
    }
    return read;
}

QStringList RunHistory::finishLoad(LoadPlan plan, const QList<EntryRead>& read) {
    QStringList problems = plan.problems;
    QList<StoredRun> runs = std::move(plan.kept);
    QList<StoredRun> fresh;
    QStringList removals = plan.dropped;
    for (const EntryRead& r : read) {
        if (!r.errors.isEmpty()) {
            problems << tr("%1: skipped: %2")
                            .arg(entryPath(r.run.id), r.errors.join(QStringLiteral("; ")));
            removals << r.run.id; // until it is repaired
            continue;
        }
        plan.stamps.insert(r.run.id, r.stamp);
        if (!r.run.interrupted) // read again at each load: its window may have been killed
            fresh << r.run;
        runs << r.run;
    }
    std::sort(runs.begin(), runs.end(),
              [](const StoredRun& a, const StoredRun& b) { return a.id < b.id; });
    m_runs = std::move(runs);
    if (!fresh.isEmpty() || !removals.isEmpty())
        indexPut(fresh, plan.stamps, removals);
    // Other windows' runs from now on.
    m_seenVersion = m_index && m_index->isOpen() ? m_index->dataVersion() : -1;
    if (!m_watch) {
        m_watch = new QTimer(this);
        m_watch->setInterval(1000);
        connect(m_watch, &QTimer::timeout, this, &RunHistory::refresh);
    }
    m_watch->start();
    emit runsLoaded();
    return problems;
}

bool RunHistory::openIndex() {
    if (m_index && m_index->isOpen())
        return true;
    // The first run stored into a new history folder, or an index that would not open.
    m_index = std::make_unique<RunIndex>(indexPath());
    QString why;
    if (!m_index->open(&why) && !m_index->isOpen()) {
        m_indexNote = why;
        qWarning("run index: %s", qPrintable(why));
        return false;
    }
    return true;
}

void RunHistory::indexPut(const QList<StoredRun>& runs, const QHash<QString, qint64>& stamps,
                          const QStringList& removals) {
    QString error;
    if (!openIndex())
        return;
    QList<IndexedRun> rows;
    rows.reserve(runs.size());
    for (const StoredRun& run : runs)
        rows << toIndexedRun(run, stamps.value(run.id));
    if (!m_index->replace(rows, removals, &error)) {
        // The folders hold the runs; the next start finds the index behind and catches up.
        m_indexNote = error;
        qWarning("run index: %s", qPrintable(error));
    }
}

void RunHistory::insertSorted(StoredRun run) {
    const auto at = std::lower_bound(m_runs.begin(), m_runs.end(), run.id, idLess);
    m_runs.insert(at, std::move(run));
}

QString RunHistory::add(const RunRecord& run, const QString& name, QString* error) {
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QString();
    };
    if (const QString problem = storeProblem(run); !problem.isEmpty())
        return fail(problem);

    QDir root(m_folder);
    if (!root.mkpath(QStringLiteral(".")))
        return fail(tr("%1: cannot create the folder").arg(m_folder));
    const QDateTime created = QDateTime::currentDateTimeUtc();
    const QString id =
        reserveId(root, created, [this](const QString& candidate) { return find(candidate); });
    if (id.isEmpty())
        return fail(tr("%1: cannot create a folder for the run").arg(m_folder));

    StoredRun stored{id, name.trimmed(), created, run, {}, allocateNumber()};
    if (stored.name.isEmpty())
        stored.name = numberedName(run, stored.number);
    const QString tmp = root.filePath(tmpPrefix + id);
    QString why;
    // run.json last: even without the rename, an entry without it is never loaded.
    bool ok = writeRunFolder(tmp, run, &why) && writeRunJson(tmp, stored, &why);
    if (ok && !root.rename(tmpPrefix + id, id)) {
        why = tr("%1: cannot rename to %2").arg(tmp, entryPath(id));
        ok = false;
    }
    if (!ok) {
        QDir(tmp).removeRecursively();
        return fail(why);
    }
    // The folder is in place: from here on the run survives whatever the index does.
    return listStored(std::move(stored));
}

QString RunHistory::listStored(StoredRun stored) {
    const QString id = stored.id;
    dropCurves(&stored.record);
    indexPut({stored}, {{id, entryStamp(entryPath(id))}}, {});
    insertSorted(std::move(stored));
    emit runAdded(id);
    return id;
}

QString RunHistory::storeProblem(const RunRecord& run) {
    // What readRunFolder would reject must not be stored: it would vanish at the next start.
    if (run.report.stopReason == StopReason::None)
        return tr("a run can be kept only once it has ended");
    const QStringList problems = configProblems(run.config);
    if (!problems.isEmpty())
        return tr("the run's settings are invalid: %1").arg(problems.join(QStringLiteral("; ")));
    if (int(run.history.size()) != run.report.epochsRun)
        return tr("the run reports %1 epochs but its history has %2")
            .arg(run.report.epochsRun)
            .arg(run.history.size());
    return {};
}

QString RunHistory::beginEntry(const TrainConfig& config, QString* error) {
    QDir root(m_folder);
    const QDateTime created = QDateTime::currentDateTimeUtc();
    const QString id =
        root.mkpath(QStringLiteral("."))
            ? reserveId(root, created, [this](const QString& candidate) { return find(candidate); })
            : QString();
    if (id.isEmpty()) {
        *error = tr("%1: cannot create a folder for the run").arg(m_folder);
        return {};
    }
    const QString tmp = root.filePath(tmpPrefix + id);
    StoredRun entry;
    entry.name = knobsName(config);
    entry.created = created;
    RunOutputs outputs;
    outputs.workingDir = QDir::currentPath();
    bool ok = beginRunFolder(tmp, config, outputs, error) && writeRunJson(tmp, entry, error);
    if (ok && !root.rename(tmpPrefix + id, id)) {
        *error = tr("%1: cannot rename to %2").arg(tmp, entryPath(id));
        ok = false;
    }
    if (!ok) {
        QDir(tmp).removeRecursively();
        return {};
    }
    // Locked once in place (QLockFile removes its file by name): another window that reads
    // the history within these microseconds lists the run as interrupted, and cannot claim it.
    std::unique_ptr<QLockFile> lock = lockEntry(entryPath(id));
    if (!lock) {
        *error = tr("%1: cannot lock the run's folder").arg(entryPath(id));
        QDir(entryPath(id)).removeRecursively();
        return {};
    }
    m_open[id] = OpenEntry{std::move(lock), created, entry.name, true, 0};
    return id;
}

bool RunHistory::claimEntry(const QString& id, QString* error) {
    const StoredRun* run = find(id);
    if (!run || !run->interrupted) {
        *error = tr("no interrupted run %1 in the history").arg(id);
        return false;
    }
    std::unique_ptr<QLockFile> lock = lockEntry(entryPath(id));
    if (!lock) {
        *error = tr("“%1” is being continued in another window").arg(run->name);
        return false;
    }
    m_open[id] = OpenEntry{std::move(lock), run->created, run->name,
                           run->name == knobsName(run->record.config), run->number};
    m_runs.removeAt(run - m_runs.constData());
    emit runRemoved(id); // back once it has ended
    return true;
}

QString RunHistory::complete(const QString& id, const RunRecord& run, QString* error) {
    const auto open = m_open.find(id);
    QString why = open == m_open.end() ? tr("no run %1 in progress").arg(id) : storeProblem(run);
    StoredRun stored;
    if (why.isEmpty()) {
        const OpenEntry& entry = open->second;
        stored = StoredRun{id,  entry.name, entry.created,
                           run, {},         entry.number > 0 ? entry.number : allocateNumber()};
        if (entry.namedByKnobs)
            stored.name = numberedName(run, stored.number);
        // metrics.json, which makes the folder a finished run, before the checkpoint goes.
        const QString dir = entryPath(id);
        if (writeRunFolder(dir, run, &why) && writeRunJson(dir, stored, &why) &&
            removeCheckpoint(dir, &why))
            m_open.erase(open); // unlocks
    }
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return {};
    }
    return listStored(std::move(stored));
}

void RunHistory::discardEntry(const QString& id) {
    if (m_open.erase(id) == 0)
        return;
    QDir root(m_folder);
    // As remove(): a deletion failing halfway leaves a hidden folder that load() clears.
    if (root.rename(id, removedPrefix + id))
        QDir(root.filePath(removedPrefix + id)).removeRecursively();
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
    else if (writeRunJson(entryPath(id), withName(*run, trimmed), &why)) {
        run->name = trimmed;
        if (!run->interrupted) // read from its folder at each load
            indexPut({*run}, {{id, entryStamp(entryPath(id))}}, {});
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
    indexPut({}, {}, {id});
    emit runRemoved(id);
    return true;
}

QString RunHistory::importedFrom(const QString& source) const {
    for (const StoredRun& run : m_runs)
        if (run.source == source)
            return run.id;
    return {};
}

QList<RunHistory::EntryRead> RunHistory::copyEntries(const QString& folder,
                                                     const QList<Import>& imports,
                                                     std::atomic<std::int64_t>* done,
                                                     const std::atomic<bool>* cancel) {
    QList<EntryRead> copied;
    QDir root(folder);
    root.mkpath(QStringLiteral("."));
    for (const Import& import : imports) {
        if (cancel && cancel->load())
            break;
        EntryRead r;
        r.run.source = import.source;
        const QDateTime created = QDateTime::currentDateTimeUtc();
        const QString id = reserveId(root, created, [](const QString&) { return false; });
        if (id.isEmpty()) {
            r.errors << tr("%1: cannot create a folder for the run").arg(folder);
            copied << std::move(r);
            continue;
        }
        const QString tmp = root.filePath(tmpPrefix + id);
        const QDir from(import.source);
        for (const QString& file : entryFiles)
            if (file != runJsonName && !QFile::copy(from.filePath(file), QDir(tmp).filePath(file)))
                r.errors << tr("%1: cannot copy into the run history").arg(from.filePath(file));
        QString why;
        StoredRun entry;
        entry.name = import.name;
        entry.created = created;
        entry.source = import.source;
        if (r.errors.isEmpty() && !writeRunJson(tmp, entry, &why))
            r.errors << why;
        // Read back before it joins the history: a broken folder is reported, not kept.
        if (r.errors.isEmpty()) {
            r.errors = readEntry(tmp, &r.run);
            for (QString& e : r.errors)
                e = QStringLiteral("%1: %2").arg(import.source, e);
        }
        if (r.errors.isEmpty() && !root.rename(tmpPrefix + id, id))
            r.errors << tr("%1: cannot rename to %2").arg(tmp, root.filePath(id));
        if (!r.errors.isEmpty()) {
            QDir(tmp).removeRecursively();
        } else {
            r.run.id = id;
            dropCurves(&r.run.record);
            r.stamp = entryStamp(root.filePath(id));
        }
        copied << std::move(r);
        if (done)
            ++*done;
    }
    return copied;
}

QStringList RunHistory::finishImport(const QList<EntryRead>& copied) {
    QStringList problems;
    QList<StoredRun> added;
    QHash<QString, qint64> stamps;
    for (const EntryRead& r : copied) {
        if (!r.errors.isEmpty()) {
            problems << r.errors.join(QStringLiteral("; "));
            continue;
        }
        // Numbered here, on the history's thread, in the order they were copied.
        StoredRun run = r.run;
        run.number = allocateNumber();
        QString why;
        if (!writeRunJson(entryPath(run.id), run, &why))
            problems << why; // kept without its number
        added << run;
        stamps.insert(run.id, entryStamp(entryPath(run.id)));
    }
    if (!added.isEmpty())
        indexPut(added, stamps, {});
    for (const StoredRun& run : added) {
        insertSorted(run);
        emit runAdded(run.id);
    }
    return problems;
}

int RunHistory::nextNumber() const {
    // Above every name's "#n" too, so that names stay unique while runs are renamed.
    int number = 0;
    for (const StoredRun& run : m_runs)
        number = std::max({number, run.number, nameNumber(run.name)});
    return number + 1;
}

int RunHistory::allocateNumber() {
    // Under the index's write lock, so that two windows storing at once never share a number;
    // without an index, after the runs this window knows.
    const int known = nextNumber() - 1;
    QString error;
    const int number = openIndex() ? m_index->allocateNumber(known, &error) : 0;
    if (number > 0)
        return number;
    if (!error.isEmpty())
        qWarning("run index: %s", qPrintable(error));
    return known + 1;
}

void RunHistory::refresh() {
    // A history that was empty has an index once a window stores its first run.
    if ((!m_index || !m_index->isOpen()) && (!QFile::exists(indexPath()) || !openIndex()))
        return;
    const qint64 version = m_index->dataVersion();
    if (version == m_seenVersion)
        return;
    m_seenVersion = version;
    bool ok = false;
    QString error;
    QHash<QString, IndexedRun> rows;
    for (IndexedRun& r : m_index->readAll(&ok, &error))
        rows.insert(r.id, std::move(r));
    if (!ok)
        return;
    QStringList gone;
    for (StoredRun& run : m_runs) {
        const auto row = rows.constFind(run.id);
        if (row == rows.constEnd()) {
            // Not indexed (an interrupted run, a failed index write) is not deleted.
            if (!QFileInfo::exists(entryPath(run.id)))
                gone << run.id;
        } else if (row->name != run.name) {
            run.name = row->name;
            emit runRenamed(run.id);
        }
    }
    for (const QString& id : gone) {
        m_runs.removeAt(std::lower_bound(m_runs.begin(), m_runs.end(), id, idLess) -
                        m_runs.begin());
        emit runRemoved(id);
    }
    for (const IndexedRun& row : std::as_const(rows)) {
        StoredRun run;
        if (find(row.id) || m_open.count(row.id) || !fromIndexedRun(row, &run))
            continue;
        insertSorted(std::move(run));
        emit runAdded(row.id);
    }
}

QString RunHistory::defaultName(const TrainConfig& c) const {
    return numberedName(RunRecord{c, {}, {}, {}}, nextNumber());
}

QString RunHistory::defaultName(const RunRecord& run) const {
    return numberedName(run, nextNumber());
}

QString RunHistory::knobsName(const TrainConfig& config) {
    // Every knob that differs from the reference experiment, so that names tell runs apart.
    const QStringList parts = knobDifferences(config);
    return parts.isEmpty() ? tr("reference") : parts.join(QLatin1Char(' '));
}

QString RunHistory::numberedName(const RunRecord& run, int number) {
    QString name = QStringLiteral("#%1 %2").arg(number).arg(knobsName(run.config));
    // Where a rule or a change moved the weights, where they ended: "balance lra, β/α→3.2".
    if (const QString weights = finalWeightsLabel(run.config, run.history); !weights.isEmpty())
        name += QStringLiteral(", ") + weights;
    switch (run.report.stopReason) {
    case StopReason::Stopped:
        return tr("%1, stopped at epoch %2").arg(name).arg(run.report.epochsRun);
    case StopReason::Diverged:
        return tr("%1, diverged at epoch %2").arg(name).arg(run.report.epochsRun);
    case StopReason::Completed:
    case StopReason::None:
        break;
    }
    return name;
}

bool RunHistory::isFalseStart(const RunRecord& run) {
    return run.report.stopReason == StopReason::Stopped &&
           run.report.epochsRun * 10 < plannedRows(run.config);
}

} // namespace sobolev
