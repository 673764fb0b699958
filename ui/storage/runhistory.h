// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <map>
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
    // The run's own number, given when it was stored and never reused: "run 4" in every view.
    // 0 for a run stored before runs had numbers whose name does not start with "#n".
    int number = 0;
    // Killed while it trained (runcheckpoint.h): `record` holds its config as it started and
    // its rows done (report.epochsRun), no errors; opening it continues it.
    bool interrupted = false;
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

    // What other windows did to the history since the last look: the runs they stored are
    // added (runAdded), the ones they deleted dropped (runRemoved), renamed ones renamed. Read
    // from the index, whose change counter is polled every second once a load has finished.
    void refresh();

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

    // A run kept while it trains: beginEntry() makes its folder (config.json and a checkpoint
    // that marks it interrupted, see runcheckpoint.h) and holds it, so that no other window
    // lists it; complete() writes the ended run into it as add() would; discardEntry()
    // deletes it. An entry that is neither (the window was killed) is listed as interrupted at
    // the next load; claimEntry() takes it out of the list to continue it, then complete().
    // beginEntry() returns the new id, or empty with `error` set.
    QString beginEntry(const TrainConfig& config, QString* error);
    bool claimEntry(const QString& id, QString* error);
    QString complete(const QString& id, const RunRecord& run, QString* error);
    void discardEntry(const QString& id);
    QString entryFolder(const QString& id) const { return entryPath(id); }
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

    // The name add() gives `config` when no name is passed, with the number the next run
    // would get; a run that was stopped or diverged says so and where ("#4 reference,
    // stopped at epoch 12").
    QString defaultName(const TrainConfig& config) const;
    QString defaultName(const RunRecord& run) const;
    // "#4 β=5 seed 3": the run's number and every knob that differs from the reference
    // experiment (its changes during the run included), with how it ended.
    static QString numberedName(const RunRecord& run, int number);
    // "β=5 seed 3", "reference": the knobs of numberedName(), for a run without a number yet.
    static QString knobsName(const TrainConfig& config);
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
    // The next number after every run's number (and every "#n" a name starts with) so far.
    int nextNumber() const;
    // A number for a run being stored now.
    int allocateNumber();
    void insertSorted(StoredRun run);
    // A run whose folder is complete: into the index and the list, announced; returns its id.
    QString listStored(StoredRun stored);
    // Writes to the index; a failure is noted (the next start reconciles) but not returned:
    // the folder, already written, is what counts.
    void indexPut(const QList<StoredRun>& runs, const QHash<QString, qint64>& stamps,
                  const QStringList& removals);
    bool openIndex(); // false when there is no usable index (noted)

    // Whether add() or complete() may store `run`; empty when it may.
    static QString storeProblem(const RunRecord& run);

    // An entry this history holds while its run trains (beginEntry, claimEntry).
    struct OpenEntry {
        std::unique_ptr<QLockFile> lock;
        QDateTime created;
        QString name;
        bool namedByKnobs = true; // complete() then gives it the numbered default name
        int number = 0;
    };

    QString m_folder;
    std::map<QString, OpenEntry> m_open;
    QList<StoredRun> m_runs;
    std::unique_ptr<RunIndex> m_index;
    QString m_indexNote;
    QTimer* m_watch = nullptr; // polls the index for other windows' changes
    qint64 m_seenVersion = -1; // RunIndex::dataVersion() at the last look
};

} // namespace sobolev
