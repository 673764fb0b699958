// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistoryloader.h"

#include <QProgressDialog>
#include <QThread>
#include <QWidget>

#include <memory>

namespace sobolev {

RunHistoryLoader::RunHistoryLoader(RunHistory* history, QWidget* window)
    : QObject(window), m_history(history), m_window(window) {
    // The count is the worker's atomic; the bar follows it a few times a second.
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &RunHistoryLoader::showProgress);
}

RunHistoryLoader::~RunHistoryLoader() {
    if (m_thread) {
        // What is left unread is read at the next start; what was copied is in its folder.
        m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

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
    runInBackground(
        int(plan->toRead.size()),
        tr("Indexing the run history (its index is missing or out of date)…"),
        [this, plan, read, folder] {
            *read = RunHistory::readEntries(folder, plan->toRead, &m_done, &m_cancel);
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
    runInBackground(
        int(imports.size()), tr("Adding the sweep's runs to the run history…"),
        [this, imports, copied, folder] {
            *copied = RunHistory::copyEntries(folder, imports, &m_done, &m_cancel);
        },
        [this, copied, done] { done(m_history->finishImport(*copied)); });
}

void RunHistoryLoader::runInBackground(int total, const QString& label, std::function<void()> work,
                                       std::function<void()> finished) {
    Q_ASSERT(!m_thread);
    m_total = total;
    m_label = label;
    m_done = 0;
    m_cancel = false;
    m_dialog = new QProgressDialog(label, QString(), 0, total, m_window);
    m_dialog->setWindowTitle(tr("Run History"));
    // Modal to the window: nothing may add to the history while it is being replaced.
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(0);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    m_dialog->setValue(0);
    m_thread = QThread::create(std::move(work));
    connect(m_thread, &QThread::finished, this, [this, finished = std::move(finished)] {
        m_poll.stop();
        m_thread->deleteLater();
        m_thread = nullptr;
        if (m_dialog)
            m_dialog->deleteLater();
        finished();
    });
    m_poll.start();
    m_thread->start();
}

void RunHistoryLoader::showProgress() {
    if (!m_dialog)
        return;
    const int done = m_done.load();
    m_dialog->setValue(done);
    m_dialog->setLabelText(tr("%1\n%2 of %3 run folders").arg(m_label).arg(done).arg(m_total));
}

} // namespace sobolev
