// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QProgressDialog>
#include <QString>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

class QThread;
class QWidget;

namespace sobolev {

// Work whose time grows with its input (a large CSV, a run folder with a long history, an
// experiment whose target is checked at a million points) run on a worker thread, so that the
// window never blocks on it. Work done within dialogDelayMs shows nothing; longer work shows
// a window-modal progress dialog, with a bar when the work counts its steps, and Cancel, which
// raises an atomic that the work polls. The result is handed over on the GUI thread.
class BackgroundWork : public QObject {
    Q_OBJECT
  public:
    // Written by the work, read by the dialog a few times a second.
    struct Progress {
        std::atomic<std::int64_t> done{0};
        std::atomic<std::int64_t> total{0}; // 0: no count, a busy bar
        std::atomic<bool> cancel{false};
    };

    static constexpr int dialogDelayMs = 300;

    enum class Cancel {
        Drops, // hands control back at once; what the work still does is dropped
        Stops, // waits for the work to stop early, and hands over what it has done
        None,  // no Cancel: work that must finish once started
    };

    // `countText`, if any, shows the count under the label: "%1 of %2 run folders".
    BackgroundWork(QWidget* window, const QString& title, const QString& label,
                   Cancel cancel = Cancel::Drops, const QString& countText = QString());
    ~BackgroundWork() override; // cancels the work and waits for it

    // Runs `work` on a worker thread, then `finished` on the GUI thread with whether Cancel was
    // pressed: when the work is done, or at once for Cancel::Drops (the work must then hold
    // what it uses itself). `finished` may delete this object.
    void start(std::function<void(Progress&)> work, std::function<void(bool cancelled)> finished);
    bool isRunning() const { return m_thread != nullptr; }
    // The dialog, once shown (for tests and screenshots).
    QProgressDialog* dialog() const { return m_dialog; }

  signals:
    void dialogShown();

  private:
    void showDialog();
    void showProgress();
    void onThreadFinished();
    void cancel();

    QWidget* m_window;
    QString m_title, m_label, m_countText;
    Cancel m_cancelMode;
    std::shared_ptr<Progress> m_progress; // shared with a worker that outlives a cancel
    QThread* m_thread = nullptr;
    QPointer<QProgressDialog> m_dialog;
    QTimer m_delay, m_poll;
    std::function<void(bool)> m_finished;
};

} // namespace sobolev
