// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace sobolev {

struct StoredRun;

// One row of the index: what the Runs panel shows of a run, without its curves.
struct IndexedRun {
    QString id; // the entry folder's name
    QString name;
    QDateTime created;
    qint64 stamp = 0;       // RunHistory::entryStamp when indexed; another value: read again
    QString source;         // the folder it was imported from, if any
    QByteArray configJson;  // compact JSON, as configToJson writes it
    QByteArray metricsJson; // compact JSON, as metricsToJson writes it
    double mseF = 0, mseFprime = 0;
    QString status; // stopReasonName
    int number = 0; // StoredRun::number
};

// A run as its index row, and back; false when the row does not read back (then the run's
// folder is read instead).
IndexedRun toIndexedRun(const StoredRun& run, qint64 stamp);
bool fromIndexedRun(const IndexedRun& row, StoredRun* out);

// An SQLite file (Qt SQL, QSQLITE) that mirrors the run history's entry folders, so that a
// start reads one table instead of every folder. The folders stay the source of truth: the
// caller rebuilds the index whenever open() finds it missing, damaged or of another schema.
class RunIndex {
  public:
    static constexpr int schemaVersion = 2;

    explicit RunIndex(const QString& path);
    ~RunIndex();
    RunIndex(const RunIndex&) = delete;
    RunIndex& operator=(const RunIndex&) = delete;

    QString path() const { return m_path; }

    // Opens the file. Returns true when it holds a usable index; otherwise `why` says what
    // was wrong (missing, not a database, damaged, another schema) and the file is replaced
    // by an empty index, which the caller fills. False with isOpen() false when even that
    // failed.
    bool open(QString* why);
    bool isOpen() const { return m_open; }

    // Every row, sorted by id; `ok` false (and `error` set) when the table cannot be read.
    QList<IndexedRun> readAll(bool* ok, QString* error) const;

    // Writes inside one transaction: all of them or none.
    bool replace(const QList<IndexedRun>& upserts, const QStringList& removals, QString* error);
    bool put(const IndexedRun& run, QString* error) { return replace({run}, {}, error); }
    bool remove(const QString& id, QString* error) { return replace({}, {id}, error); }

    // A new run number, one above every number given so far by any window (the index keeps
    // the last one given) and above `atLeastAbove`. One write transaction, begun IMMEDIATE so
    // that two windows storing at once wait for each other; 0 (and `error` set) on failure.
    int allocateNumber(int atLeastAbove, QString* error);
    // Changes when another connection (another window) has written since the last call;
    // -1 when the index cannot be read.
    qint64 dataVersion() const;

  private:
    bool createSchema(QString* error);
    bool check(QString* why);
    bool recreate(QString* error);

    QString m_path;
    QString m_connection; // the QSqlDatabase connection name, unique per instance
    bool m_open = false;
};

} // namespace sobolev
