// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <memory>

namespace sobolev {

class RunIndex;

// One run kept in the history; `id` is also the name of its folder. Only the config and the
// report of `record` are kept in memory: readRun() reads the curves and predictions.
struct StoredRun {
    QString id;
    QString name;
    QDateTime created; // UTC
    RunRecord record;  // history and predictions empty
    QString source;    // the folder it was imported from (File ▸ Open Sweep), else empty
};

// Every run of every session (finished, stopped or diverged), one sub-folder per run under
// `folder`: a run folder (see writeRunFolder) plus run.json with its name and creation time.
//
// An entry is written into ".tmp-<id>" and renamed into place, so a crash leaves either a
// complete entry or a hidden leftover, never a half-written run among the good ones.
//
// The folders are the source of truth. An SQLite index (".index.sqlite", see RunIndex)
// mirrors what the Runs panel needs of each, so a start reads one table instead of every
// folder. Every write goes to the folder first and to the index second, and every load
// reconciles the two: a folder the index lacks or holds in another state (its files'
// modification times) is read again, an index row without its folder is dropped. A crash or
// a failed index write therefore never loses a run; at worst the next start re-reads it.
class RunHistory : public QObject {
    Q_OBJECT
  public:
    explicit RunHistory(const QString& folder, QObject* parent = nullptr);
    ~RunHistory() override;

    QString folder() const { return m_folder; }
    QString indexPath() const;

    // Reads the index and every entry it does not hold as it is on disk, replacing what was
    // loaded before. An entry that cannot be read is skipped and its problem returned
    // (naming the entry's folder and file); the rest loads. Equivalent to
    // finishLoad(planLoad(), readEntries(...)), which a window splits to read in the
    // background with a progress bar.
    QStringList load();

    // What a load has to do: the index's rows that still match their folders, and the
    // entries to read from disk.
    struct LoadPlan {
        QList<StoredRun> kept;
        QStringList toRead;            // entry ids
        QStringList dropped;           // index rows whose folder is gone
        QStringList problems;          // leftovers and stray files in the history folder
        QHash<QString, qint64> stamps; // entry id → its stamp on disk (see entryStamp)
    };
    LoadPlan planLoad();
    // One entry read from disk; `errors` empty when `run` is good.
    struct EntryRead {
        StoredRun run;
        qint64 stamp = 0;
        QStringList errors;
    };
    // Reads the entries `ids` of `folder`; safe on any thread. `done` counts the entries
    // read; a set `cancel` stops early (the rest is left out, to be read at the next start).
    static QList<EntryRead> readEntries(const QString& folder, const QStringList& ids,
                                        std::atomic<std::int64_t>* done = nullptr,
                                        const std::atomic<bool>* cancel = nullptr);
    // Puts the plan and the entries read into memory and the index (one transaction);
    // emits runsLoaded. Returns the entries' problems, as load() does.
    QStringList finishLoad(LoadPlan plan, const QList<EntryRead>& read);
    // What was wrong with the index at the last planLoad() (missing, damaged, another schema,
    // cannot be written), for the log; empty when it was in order.
    QString indexNote() const { return m_indexNote; }

    // Sorted by id, which is the order of creation.
    const QList<StoredRun>& runs() const { return m_runs; }
    // Null when there is no such run; invalidated by add() and remove().
    const StoredRun* find(const QString& id) const;
    // The whole run, curves and predictions included, read from its folder.
    RunReadResult readRun(const QString& id) const;

    // Stores `run` on disk at once, so a crash loses nothing; an empty `name` gets a default
    // such as "#12 β=5 seed 3" (the knobs that differ from the reference experiment).
    // Returns the new id, or an empty string with `error` set when nothing was stored.
    QString add(const RunRecord& run, const QString& name = {}, QString* error = nullptr);
    bool rename(const QString& id, const QString& name, QString* error);
    bool remove(const QString& id, QString* error);

    // Importing run folders from elsewhere (a sweep folder): each is copied into a new entry
    // named `name`, unless a run imported from the same `source` is already kept.
    struct Import {
        QString source; // absolute path of a run folder
        QString name;
    };
    // The id of the run imported from `source`, or empty.
    QString importedFrom(const QString& source) const;
    // Copies the folders into new entries; safe on any thread (the entries are not yet part
    // of the history). Counts and cancels as readEntries.
    static QList<EntryRead> copyEntries(const QString& folder, const QList<Import>& imports,
                                        std::atomic<std::int64_t>* done = nullptr,
                                        const std::atomic<bool>* cancel = nullptr);
    // Adds the copied entries (one index transaction), emitting runAdded for each; returns
    // the problems of those that could not be copied.
    QStringList finishImport(const QList<EntryRead>& copied);

    // The name add() gives `config` when no name is passed; a run that was stopped or
    // diverged says so and where ("#4 reference, stopped at epoch 12").
    QString defaultName(const TrainConfig& config) const;
    QString defaultName(const RunRecord& run) const;
    // A run stopped before a tenth of its planned epochs is a false start (a Start/Stop to
    // try a knob): the window keeps it only when asked.
    static bool isFalseStart(const RunRecord& run);

    // The entry's stamp: the latest modification time (ms) of its folder and files, so that
    // an entry changed in any way while the index was not looking is read again.
    static qint64 entryStamp(const QString& dir);

  signals:
    void runsLoaded(); // runs() was replaced as a whole
    void runAdded(const QString& id);
    void runRenamed(const QString& id);
    void runRemoved(const QString& id);

  private:
    QString entryPath(const QString& id) const;
    StoredRun* findMutable(const QString& id);
    void insertSorted(StoredRun run);
    // Writes to the index; a failure is noted (the next start reconciles) but not returned:
    // the folder, already written, is what counts.
    void indexPut(const QList<StoredRun>& runs, const QHash<QString, qint64>& stamps,
                  const QStringList& removals);

    QString m_folder;
    QList<StoredRun> m_runs;
    std::unique_ptr<RunIndex> m_index;
    QString m_indexNote;
};

} // namespace sobolev
