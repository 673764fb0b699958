// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistoryloader.h"

#include <QWidget>

#include <memory>

namespace sobolev {

RunHistoryLoader::RunHistoryLoader(RunHistory* history, QWidget* window)
    : QObject(window), m_history(history), m_window(window) {}

// What is left unread is read at the next start; what was copied is in its folder.
// m_work, a child of the window, cancels and waits for its worker when the window goes.
RunHistoryLoader::~RunHistoryLoader() = default;

void RunHistoryLoader::load() {
    auto plan = std::make_shared<RunHistory::LoadPlan>(m_history->planLoad());
    if (!m_history->indexNote().isEmpty())
        qInfo("run index: %s; reading %lld run folders", qPrintable(m_history->indexNote()),
              qlonglong(plan->toRead.size()));
    if (plan->toRead.size() <= readAtOnce) {
        const auto read = RunHistory::readEntries(m_history->folder(), plan->toRead);
        emit loaded(m_history->finishLoad(std::move(*plan), read));
        return;
    }
    auto read = std::make_shared<QList<RunHistory::EntryRead>>();
    const QString folder = m_history->folder();
    // Nothing may add to the history while it is being replaced: no Cancel.
    runInBackground(
        int(plan->toRead.size()),
        tr("Indexing the run history (its index is missing or out of date)…"),
        BackgroundWork::Cancel::None,
        [plan, read, folder](std::atomic<std::int64_t>* done, const std::atomic<bool>* cancel) {
            *read = RunHistory::readEntries(folder, plan->toRead, done, cancel);
        },
        [this, plan, read] { emit loaded(m_history->finishLoad(std::move(*plan), *read)); });
}

void RunHistoryLoader::import(const QList<RunHistory::Import>& imports,
                              std::function<void(const QStringList&)> done) {
    if (imports.size() <= readAtOnce) {
        done(m_history->finishImport(RunHistory::copyEntries(m_history->folder(), imports)));
        return;
    }
    auto copied = std::make_shared<QList<RunHistory::EntryRead>>();
    const QString folder = m_history->folder();
    // Cancel stops between two runs; those copied by then join the history.
    runInBackground(
        int(imports.size()), tr("Adding the sweep's runs to the run history…"),
        BackgroundWork::Cancel::Stops,
        [imports, copied, folder](std::atomic<std::int64_t>* count,
                                  const std::atomic<bool>* cancel) {
            *copied = RunHistory::copyEntries(folder, imports, count, cancel);
        },
        [this, copied, done] { done(m_history->finishImport(*copied)); });
}

void RunHistoryLoader::runInBackground(
    int total, const QString& label, BackgroundWork::Cancel cancel,
    std::function<void(std::atomic<std::int64_t>*, const std::atomic<bool>*)> work,
    std::function<void()> finished) {
    Q_ASSERT(!m_work);
    m_work =
        new BackgroundWork(m_window, tr("Run History"), label, cancel, tr("%1 of %2 run folders"));
    m_work->start(
        [total, work = std::move(work)](BackgroundWork::Progress& progress) {
            progress.total = total;
            work(&progress.done, &progress.cancel);
        },
        [this, finished = std::move(finished)](bool) {
            m_work->deleteLater();
            m_work = nullptr;
            finished();
        });
}

} // namespace sobolev
