// SPDX-License-Identifier: GPL-3.0-or-later
#include "runindex.h"

#include "configjson.h"
#include "runhistory.h"
#include "textformat.h"

#include <QAtomicInt>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace sobolev {

namespace {

QAtomicInt connectionCounter;

QString sqlError(const QString& path, const QSqlError& error) {
    return QStringLiteral("%1: %2").arg(path, error.text());
}

} // namespace

RunIndex::RunIndex(const QString& path)
    : m_path(path),
      m_connection(
          QStringLiteral("sobolev-run-index-%1").arg(connectionCounter.fetchAndAddRelaxed(1))) {}

RunIndex::~RunIndex() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool RunIndex::open(QString* why) {
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *why = QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed");
        return false;
    }
    const bool existed = QFile::exists(m_path);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(m_path);
        // A lock held by another window is waited for briefly; a write that still cannot get
        // it fails, and the next start reconciles the index with the folders.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
        m_open = db.open();
        if (!m_open) {
            *why = sqlError(m_path, db.lastError());
            return false;
        }
    }
    if (!existed) {
        *why = QStringLiteral("%1: no index yet").arg(m_path);
        QString error;
        if (!createSchema(&error))
            *why += QStringLiteral("; ") + error;
        return false;
    }
    if (check(why))
        return true;
    QString error;
    if (!recreate(&error)) {
        *why += QStringLiteral("; ") + error;
        m_open = false;
    }
    return false;
}

// Whether the file is an intact index of this schema; `why` says what is wrong when not.
bool RunIndex::check(QString* why) {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    // quick_check reads every page: a truncated or overwritten file fails here (or already
    // at the first statement, "file is not a database").
    if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next()) {
        *why = sqlError(m_path, q.lastError());
        return false;
    }
    if (q.value(0).toString() != QLatin1String("ok")) {
        *why = QStringLiteral("%1: damaged: %2").arg(m_path, q.value(0).toString());
        return false;
    }
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema'")) || !q.next()) {
        *why = QStringLiteral("%1: not a run index (no schema version)").arg(m_path);
        return false;
    }
    const int version = q.value(0).toInt();
    if (version != schemaVersion) {
        *why = QStringLiteral("%1: schema %2, this program uses %3")
                   .arg(m_path)
                   .arg(version)
                   .arg(schemaVersion);
        return false;
    }
    // Every column this version reads, so a hand-edited table is caught here, not mid-load.
    if (!q.exec(QStringLiteral("SELECT id, name, created, stamp, source, config, metrics, "
                               "mse_f, mse_fprime, status, number FROM runs LIMIT 1"))) {
        *why = sqlError(m_path, q.lastError());
        return false;
    }
    return true;
}

bool RunIndex::recreate(QString* error) {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    // A damaged file is thrown away whole: the run folders hold everything it held.
    for (const QString& f : {m_path, m_path + QStringLiteral("-journal")})
        if (QFile::exists(f) && !QFile::remove(f)) {
            *error = QStringLiteral("%1: cannot remove the damaged index").arg(f);
            return false;
        }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.open()) {
        *error = sqlError(m_path, db.lastError());
        return false;
    }
    return createSchema(error);
}

bool RunIndex::createSchema(QString* error) {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    const QStringList statements{
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)"),
        QStringLiteral("INSERT INTO meta VALUES ('schema', '%1')").arg(schemaVersion),
        QStringLiteral("CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
                       "created TEXT NOT NULL, stamp INTEGER NOT NULL, source TEXT, "
                       "config TEXT NOT NULL, metrics TEXT NOT NULL, mse_f REAL, "
                       "mse_fprime REAL, status TEXT, number INTEGER NOT NULL)")};
    if (!db.transaction()) {
        *error = sqlError(m_path, db.lastError());
        return false;
    }
    for (const QString& s : statements)
        if (!q.exec(s)) {
            *error = sqlError(m_path, q.lastError());
            db.rollback();
            m_open = false;
            return false;
        }
    if (!db.commit()) {
        *error = sqlError(m_path, db.lastError());
        m_open = false;
        return false;
    }
    return true;
}

QList<IndexedRun> RunIndex::readAll(bool* ok, QString* error) const {
    QList<IndexedRun> runs;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.setForwardOnly(true);
    *ok = q.exec(QStringLiteral("SELECT id, name, created, stamp, source, config, metrics, "
                                "mse_f, mse_fprime, status, number FROM runs ORDER BY id"));
    if (!*ok) {
        *error = sqlError(m_path, q.lastError());
        return {};
    }
    while (q.next()) {
        IndexedRun r;
        r.id = q.value(0).toString();
        r.name = q.value(1).toString();
        r.created = QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs);
        r.stamp = q.value(3).toLongLong();
        r.source = q.value(4).toString();
        r.configJson = q.value(5).toByteArray();
        r.metricsJson = q.value(6).toByteArray();
        r.mseF = q.value(7).toDouble();
        r.mseFprime = q.value(8).toDouble();
        r.status = q.value(9).toString();
        r.number = q.value(10).toInt();
        runs << std::move(r);
    }
    return runs;
}

bool RunIndex::replace(const QList<IndexedRun>& upserts, const QStringList& removals,
                       QString* error) {
    if (!m_open) {
        *error = QStringLiteral("%1: the index is not open").arg(m_path);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    if (!db.transaction()) {
        *error = sqlError(m_path, db.lastError());
        return false;
    }
    QSqlQuery q(db);
    auto fail = [&](const QSqlError& e) {
        *error = sqlError(m_path, e);
        q.finish();
        db.rollback();
        return false;
    };
    if (!removals.isEmpty()) {
        if (!q.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?")))
            return fail(q.lastError());
        for (const QString& id : removals) {
            q.bindValue(0, id);
            if (!q.exec())
                return fail(q.lastError());
        }
    }
    if (!upserts.isEmpty()) {
        if (!q.prepare(
                QStringLiteral("INSERT OR REPLACE INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?)")))
            return fail(q.lastError());
        for (const IndexedRun& r : upserts) {
            q.bindValue(0, r.id);
            q.bindValue(1, r.name);
            q.bindValue(2, r.created.toUTC().toString(Qt::ISODateWithMs));
            q.bindValue(3, r.stamp);
            q.bindValue(4, r.source);
            q.bindValue(5, QString::fromUtf8(r.configJson));
            q.bindValue(6, QString::fromUtf8(r.metricsJson));
            q.bindValue(7, r.mseF);
            q.bindValue(8, r.mseFprime);
            q.bindValue(9, r.status);
            q.bindValue(10, r.number);
            if (!q.exec())
                return fail(q.lastError());
        }
    }
    q.finish();
    if (!db.commit())
        return fail(db.lastError());
    return true;
}

int RunIndex::allocateNumber(int atLeastAbove, QString* error) {
    if (!m_open) {
        *error = QStringLiteral("%1: the index is not open").arg(m_path);
        return 0;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery q(db);
    const auto fail = [&](const QSqlError& e) {
        *error = sqlError(m_path, e);
        q.finish();
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return 0;
    };
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return fail(q.lastError());
    int last = atLeastAbove;
    for (const QString& select :
         {QStringLiteral("SELECT value FROM meta WHERE key = 'last_number'"),
          QStringLiteral("SELECT MAX(number) FROM runs")}) {
        if (!q.exec(select))
            return fail(q.lastError());
        if (q.next())
            last = std::max(last, q.value(0).toInt());
    }
    const int number = last + 1;
    if (!q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta VALUES ('last_number', ?)")))
        return fail(q.lastError());
    q.bindValue(0, QString::number(number));
    if (!q.exec() || !q.exec(QStringLiteral("COMMIT")))
        return fail(q.lastError());
    return number;
}

qint64 RunIndex::dataVersion() const {
    if (!m_open)
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    return q.exec(QStringLiteral("PRAGMA data_version")) && q.next() ? q.value(0).toLongLong() : -1;
}

IndexedRun toIndexedRun(const StoredRun& run, qint64 stamp) {
    IndexedRun r;
    r.id = run.id;
    r.name = run.name;
    r.created = run.created;
    r.stamp = stamp;
    r.source = run.source;
    r.configJson = QJsonDocument(configToJson(run.record.config)).toJson(QJsonDocument::Compact);
    r.metricsJson = QJsonDocument(metricsToJson(run.record.report)).toJson(QJsonDocument::Compact);
    r.mseF = run.record.report.mseF;
    r.mseFprime = run.record.report.mseFprime;
    r.status = toQString(stopReasonName(run.record.report.stopReason));
    r.number = run.number;
    return r;
}

bool fromIndexedRun(const IndexedRun& r, StoredRun* out) {
    const QJsonDocument config = QJsonDocument::fromJson(r.configJson);
    // Written from a validated run: only the keys and types are checked again.
    const ConfigReadResult c = configFromJson(config.object(), {}, RangeCheck::Skip);
    if (!config.isObject() || !c.errors.isEmpty() || !r.created.isValid() || r.name.isEmpty())
        return false;
    out->id = r.id;
    out->name = r.name;
    out->created = r.created.toUTC();
    out->source = r.source;
    out->number = r.number;
    out->record.config = c.config;
    return parseMetricsJson(r.metricsJson, r.id, &out->record.report).isEmpty();
}

} // namespace sobolev
