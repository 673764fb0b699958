// SPDX-License-Identifier: GPL-3.0-or-later
// Hammering the run controls and closing mid-run: no crash, no stuck thread, and what was
// recorded stays consistent.
#include "core/experiment/sweep.h"
#include "mainwindow.h"
#include "testutil.h"
#include "trainingchart.h"
#include "windows/windowtestutil.h"

#include <QtTest>

#include <QAction>
#include <QRandomGenerator>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace sobolev;
using namespace sobolev::testutil;
using State = TrainingController::State;

class TestFaults : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void hammerRunControls_data();
    void hammerRunControls();
    void closeDuringEveryState_data();
    void closeDuringEveryState();
    void exportWhileTrainingIsConsistent();
    void hammerSweepCancel();

  private:
    QTemporaryDir m_dir;
};

void TestFaults::initTestCase() {
    qputenv("XDG_CONFIG_HOME", m_dir.filePath("config").toLocal8Bit());
    qputenv("XDG_DATA_HOME", m_dir.filePath("data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_faults");
}

void TestFaults::hammerRunControls_data() {
    QTest::addColumn<quint32>("seed");
    QTest::addRow("sequence 1") << 1u;
    QTest::addRow("sequence 2") << 2u;
    QTest::addRow("sequence 3") << 3u;
}

void TestFaults::hammerRunControls() {
    QFETCH(quint32, seed);
    MainWindow w;
    w.show();
    w.setConfig(smallConfig(100000));
    QRandomGenerator random(seed);
    const std::function<void()> actions[] = {
        [&] { w.train(); }, [&] { w.togglePause(); }, [&] { w.step(); },
        [&] { w.stop(); },  [&] { w.resetRun(); },
    };
    for (int i = 0; i < 100; ++i) {
        actions[random.bounded(int(std::size(actions)))]();
        QTest::qWait(int(random.bounded(3))); // sometimes let the worker and frames run
        const State s = w.controller()->state();
        QVERIFY(s == State::Idle || s == State::Running || s == State::Paused ||
                s == State::Finished);
    }
    w.stop();
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->state() != State::Running, 30000);
    // The chart shows exactly the epochs the controller delivered, once its frame has come.
    QTRY_COMPARE_WITH_TIMEOUT(w.trainingChart()->storedEpochs(), w.controller()->history().size(),
                              30000);
    QCOMPARE(w.controller()->epochsDone(), int(w.controller()->history().size()));
    QVERIFY(w.close());
}

void TestFaults::closeDuringEveryState_data() {
    QTest::addColumn<int>("steps");
    QTest::addRow("idle") << 0;
    QTest::addRow("running") << 1;
    QTest::addRow("pausing") << 2;
    QTest::addRow("paused") << 3;
    QTest::addRow("stopping") << 4;
}

void TestFaults::closeDuringEveryState() {
    QFETCH(int, steps);
    auto* w = new MainWindow;
    w->show();
    w->setConfig(smallConfig(100000));
    if (steps >= 1) {
        w->train();
        QTRY_VERIFY(w->controller()->epochsDone() >= 1);
    }
    if (steps >= 2)
        w->togglePause(); // close while the worker is still finishing its batch
    if (steps >= 3)
        QTRY_COMPARE(w->controller()->state(), State::Paused);
    if (steps >= 4) {
        w->togglePause();
        w->stop();
    }
    QVERIFY(closeStoppingAnyRun(*w)); // mid-run it asks first
    QVERIFY(w->controller()->state() != State::Running);
    delete w; // joins nothing further: the worker is gone
}

void TestFaults::exportWhileTrainingIsConsistent() {
    MainWindow w;
    w.show();
    w.setConfig(smallConfig(100000));
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->epochsDone() >= 3, 30000);
    QString error;
    for (int i = 0; i < 3; ++i) {
        const int epochs = w.controller()->epochsDone();
        const QString dir = m_dir.filePath(QStringLiteral("live%1").arg(i));
        QVERIFY2(w.exportRun(dir, &error), qPrintable(error));
        // What was written while the worker kept training reads back whole and consistent.
        const RunReadResult back = readRunFolder(dir);
        QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
        QCOMPARE(back.run.report.stopReason, StopReason::Stopped);
        QVERIFY(QString::fromStdString(back.run.report.stopMessage).contains("in progress"));
        QVERIFY(int(back.run.history.size()) >= epochs);
        // The next export is of a run that has gone on.
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->epochsDone() > epochs, 30000);
    }
    QVERIFY(closeStoppingAnyRun(w));
}

void TestFaults::hammerSweepCancel() {
    std::string e;
    TrainConfig c = smallConfig(100000);
    c.epochs = 50;
    const auto points = expandSweep(c, {*parseSweepAxis("beta=0,1,2,3", &e)}, {1, 2});
    QRandomGenerator random(7);
    for (int i = 0; i < 100; ++i) {
        SweepRunner runner(points, 2);
        // Counted on the worker threads, compared here: QTest's macros belong to this thread.
        std::atomic<int> delivered{0}, inconsistent{0}, outOfRange{0};
        std::vector<std::atomic<int>> timesDelivered(points.size());
        const auto delay = std::chrono::microseconds(random.bounded(3000));
        std::thread canceller([&] {
            std::this_thread::sleep_for(delay);
            runner.cancel();
        });
        const std::size_t ended = runner.run([&](std::size_t index, const SweepResult& r) {
            ++delivered;
            if (index < timesDelivered.size())
                ++timesDelivered[index];
            else
                ++outOfRange;
            if (r.report.epochsRun != int(r.history.size()))
                ++inconsistent;
        });
        canceller.join();
        QCOMPARE(int(ended), delivered.load());
        QVERIFY(ended <= points.size());
        QCOMPARE(outOfRange.load(), 0);
        QCOMPARE(inconsistent.load(), 0);
        for (std::size_t k = 0; k < points.size(); ++k)
            QVERIFY2(timesDelivered[k] <= 1, qPrintable(QStringLiteral("run %1 delivered %2 times")
                                                            .arg(k)
                                                            .arg(timesDelivered[k].load())));
    }
}

QTEST_MAIN(TestFaults)
#include "tst_faults.moc"
