// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runhistory.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <functional>

class QProgressDialog;
class QThread;
class QWidget;

namespace sobolev {

// The run history's slow work, off the GUI thread: reading the entries the index does not
// hold (a first start, a damaged or deleted index) and importing a sweep folder's runs. The
// folders are read on a worker thread, which counts them in an atomic; a window-modal
// progress bar shows the count. The history itself is only touched on the GUI thread, before
// and after. A little work is done at once, without a thread or a progress bar.
class RunHistoryLoader : public QObject {
    Q_OBJECT
  public:
    RunHistoryLoader(RunHistory* history, QWidget* window);
    ~RunHistoryLoader() override; // stops the worker early and waits for it

    bool isBusy() const { return m_thread != nullptr; }
    // At most this many entries are read at once on the GUI thread.
    static constexpr int readAtOnce = 20;

    // Copies the run folders into the history; `done` gets the problems when it has finished.
    void import(const QList<RunHistory::Import>& imports,
                std::function<void(const QStringList& problems)> done);

  public slots:
    // Loads the history; `loaded` follows (at once, or when the worker is done).
    void load();

  signals:
    // The history is loaded; `problems` lists the entries skipped.
    void loaded(const QStringList& problems);

  private:
    void runInBackground(int total, const QString& label, std::function<void()> work,
                         std::function<void()> finished);
    void showProgress();

    RunHistory* m_history;
    QWidget* m_window;
    QThread* m_thread = nullptr;
    QPointer<QProgressDialog> m_dialog;
    QTimer m_poll;
    std::atomic<int> m_done{0};
    std::atomic<bool> m_cancel{false};
    int m_total = 0;
    QString m_label;
};

} // namespace sobolev
