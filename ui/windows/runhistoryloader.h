// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "backgroundwork.h"
#include "runhistory.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>

class QWidget;

namespace sobolev {

// The run history's slow work, off the GUI thread (BackgroundWork): reading the entries the
// index does not hold (a first start, a damaged or deleted index) and importing a sweep
// folder's runs, which Cancel stops between two runs. The history itself is only touched on
// the GUI thread, before and after. A little work is done at once, without a thread.
class RunHistoryLoader : public QObject {
    Q_OBJECT
  public:
    RunHistoryLoader(RunHistory* history, QWidget* window);
    ~RunHistoryLoader() override; // stops the worker early and waits for it

    bool isBusy() const { return m_work != nullptr; }
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
    // `work` reads or copies run folders, counting them; `finished` follows on the GUI thread.
    void runInBackground(
        int total, const QString& label, BackgroundWork::Cancel cancel,
        std::function<void(std::atomic<std::int64_t>* done, const std::atomic<bool>* cancel)> work,
        std::function<void()> finished);

    RunHistory* m_history;
    QWidget* m_window;
    BackgroundWork* m_work = nullptr;
};

} // namespace sobolev
