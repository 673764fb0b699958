// SPDX-License-Identifier: GPL-3.0-or-later
#include "backgroundwork.h"

#include <QProgressDialog>
#include <QThread>
#include <QWidget>

namespace sobolev {

BackgroundWork::BackgroundWork(QWidget* window, const QString& title, const QString& label,
                               Cancel cancel, const QString& countText)
    : QObject(window), m_window(window), m_title(title), m_label(label), m_countText(countText),
      m_cancelMode(cancel) {
    m_delay.setSingleShot(true);
    m_delay.setInterval(dialogDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &BackgroundWork::showDialog);
    // The count is the worker's atomic; the bar follows it a few times a second.
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &BackgroundWork::showProgress);
}

BackgroundWork::~BackgroundWork() {
    if (m_thread) {
        m_progress->cancel = true;
        m_thread->wait();
        delete m_thread;
    }
    delete m_dialog;
}

void BackgroundWork::start(std::function<void(Progress&)> work,
                           std::function<void(bool cancelled)> finished) {
    Q_ASSERT(!m_thread);
    m_progress = std::make_shared<Progress>();
    m_finished = std::move(finished);
    m_thread =
        QThread::create([progress = m_progress, work = std::move(work)] { work(*progress); });
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->setObjectName(QStringLiteral("background work"));
    connect(m_thread, &QThread::finished, this, &BackgroundWork::onThreadFinished);
    m_delay.start();
    m_thread->start();
}

void BackgroundWork::showDialog() {
    if (!m_thread)
        return;
    const bool cancellable = m_cancelMode != Cancel::None;
    m_dialog = new QProgressDialog(m_label, cancellable ? tr("Cancel") : QString(), 0, 0, m_window);
    m_dialog->setWindowTitle(m_title);
    // Modal to the window: what the work replaces must not change meanwhile.
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(0);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    m_dialog->setMinimumWidth(420);
    if (cancellable)
        connect(m_dialog, &QProgressDialog::canceled, this, &BackgroundWork::cancel);
    showProgress();
    m_dialog->show();
    m_poll.start();
    emit dialogShown();
}

void BackgroundWork::showProgress() {
    if (!m_dialog)
        return;
    const std::int64_t total = m_progress->total.load();
    // The bar counts in thousandths: QProgressDialog's range is an int.
    m_dialog->setMaximum(total > 0 ? 1000 : 0);
    const std::int64_t done = std::min(m_progress->done.load(), total);
    if (total > 0)
        m_dialog->setValue(int(1000 * done / total));
    if (m_progress->cancel)
        m_dialog->setLabelText(tr("%1\nCancelling…").arg(m_label));
    else if (!m_countText.isEmpty())
        m_dialog->setLabelText(m_label + QLatin1Char('\n') + m_countText.arg(done).arg(total));
}

void BackgroundWork::onThreadFinished() {
    m_delay.stop();
    m_poll.stop();
    m_thread = nullptr; // deletes itself
    if (m_dialog)
        m_dialog->deleteLater();
    if (auto finished = std::move(m_finished))
        finished(m_progress->cancel.load());
}

void BackgroundWork::cancel() {
    if (!m_thread)
        return;
    m_progress->cancel = true;
    if (m_cancelMode == Cancel::Stops) {
        showProgress();
        return; // onThreadFinished() follows soon
    }
    // The worker finishes on its own and deletes itself; nothing it makes is used.
    disconnect(m_thread, &QThread::finished, this, nullptr);
    m_thread = nullptr;
    m_delay.stop();
    m_poll.stop();
    if (m_dialog)
        m_dialog->deleteLater();
    if (auto finished = std::move(m_finished))
        finished(true);
}

} // namespace sobolev
