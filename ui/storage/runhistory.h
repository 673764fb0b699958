// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runfolder.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace sobolev {

// One run kept in the history; `id` is also the name of its folder.
struct StoredRun {
    QString id;
    QString name;
    QDateTime created; // UTC
    RunRecord record;
};

// Every run of every session (finished, stopped or diverged), one sub-folder per run under
// `folder`: a run folder (see writeRunFolder) plus run.json with its name and creation time.
//
// An entry is written into ".tmp-<id>" and renamed into place, so a crash leaves either a
// complete entry or a hidden leftover, never a half-written run among the good ones.
class RunHistory : public QObject {
    Q_OBJECT
  public:
    explicit RunHistory(const QString& folder, QObject* parent = nullptr);

    QString folder() const { return m_folder; }

    // Reads every entry, replacing what was loaded before. An entry that cannot be read is
    // skipped and its problem returned (naming the entry's folder and file); the rest loads.
    QStringList load();

    // Sorted by id, which is the order of creation.
    const QList<StoredRun>& runs() const { return m_runs; }
    // Null when there is no such run; invalidated by add() and remove().
    const StoredRun* find(const QString& id) const;

    // Stores `run` on disk at once, so a crash loses nothing; an empty `name` gets a default
    // such as "#12 β=5 seed 3" (the knobs that differ from the reference experiment).
    // Returns the new id, or an empty string with `error` set when nothing was stored.
    QString add(const RunRecord& run, const QString& name = {}, QString* error = nullptr);
    bool rename(const QString& id, const QString& name, QString* error);
    bool remove(const QString& id, QString* error);

    // The name add() gives `config` when no name is passed.
    QString defaultName(const TrainConfig& config) const;

  signals:
    void runsLoaded(); // runs() was replaced as a whole
    void runAdded(const QString& id);
    void runRenamed(const QString& id);
    void runRemoved(const QString& id);

  private:
    QString entryPath(const QString& id) const;
    QString newId() const;
    bool writeRunJson(const QString& dir, const QString& name, const QDateTime& created,
                      QString* error) const;
    StoredRun* findMutable(const QString& id);

    QString m_folder;
    QList<StoredRun> m_runs;
};

} // namespace sobolev
