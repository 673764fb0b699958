// SPDX-License-Identifier: GPL-3.0-or-later
#include "latestwork.h"

#include <QThread>

namespace sobolev {

LatestWork::LatestWork(QObject* parent) : QObject(parent) {}

LatestWork::~LatestWork() {
    if (!m_worker)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_pending = nullptr;
    }
    m_cancel = true;
    m_worker->wait();
    delete m_worker;
}

void LatestWork::post(Job job) {
    {
        QMutexLocker lock(&m_mutex);
        m_pending = std::move(job);
    }
    if (m_worker)
        m_cancel = true; // the worker takes m_pending next
    else
        startWorker();
}

void LatestWork::startWorker() {
    m_worker = QThread::create([this] {
        for (;;) {
            Job job;
            {
                QMutexLocker lock(&m_mutex);
                if (!m_pending)
                    return;
                job = std::move(m_pending);
                m_pending = nullptr;
                m_cancel = false;
                m_newestRan = false;
            }
            job(&m_cancel);
            QMutexLocker lock(&m_mutex);
            m_newestRan = !m_pending && !m_cancel;
        }
    });
    m_worker->setObjectName(QStringLiteral("latest work"));
    connect(m_worker, &QThread::finished, this, &LatestWork::onWorkerFinished);
    m_worker->start();
}

void LatestWork::onWorkerFinished() {
    m_worker->deleteLater();
    m_worker = nullptr;
    bool more = false, ran = false;
    {
        QMutexLocker lock(&m_mutex);
        more = bool(m_pending); // posted after the worker saw an empty queue
        ran = m_newestRan;
    }
    if (more)
        startWorker();
    else if (ran)
        emit done();
}

} // namespace sobolev
