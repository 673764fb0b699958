// SPDX-License-Identifier: GPL-3.0-or-later
// The extreme corners of the config space: each trains, or stops with a reason that names the
// epoch and a hint; memory does not grow with epochs beyond the stored history.
#include "core/problem/validate.h"
#include "core/train/trainer.h"
#include "coretestutil.h"
#include "testutil.h"

#include <QtTest>

#include <malloc.h>
#include <thread>

using namespace sobolev;

class TestExtremes : public QObject {
    Q_OBJECT
  private slots:
    void trainsOrStopsWithReason_data();
    void trainsOrStopsWithReason();
    void hugeDatasetWithBatchOneCanBeStopped();
    void memoryGrowsOnlyWithHistory();
};

using Mutation = std::function<void(TrainConfig&)>;
Q_DECLARE_METATYPE(Mutation)
Q_DECLARE_METATYPE(StopReason)

void TestExtremes::trainsOrStopsWithReason_data() {
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<StopReason>("expected");
    // Each row's outcome was measured (20 epochs of 256 points unless the row says otherwise)
    // and is the same on every run of a build. Rows that diverge do so far from their last
    // epoch, and rows that complete far from diverging, so that the outcome does not hang on
    // the last bits of the arithmetic: "sin, lr 1" first diverges at epoch 21 (so it runs 100
    // epochs), "alpha and beta 1e12, lr 1" at epoch 51.
    const StopReason completed = StopReason::Completed, diverged = StopReason::Diverged;
    QTest::addRow("largest learning rate")
        << Mutation([](TrainConfig& c) { c.learningRate = 1; }) << completed;
    QTest::addRow("alpha 1e6") << Mutation([](TrainConfig& c) { c.alpha = 1e6; }) << completed;
    QTest::addRow("beta 1e6") << Mutation([](TrainConfig& c) { c.beta = 1e6; }) << completed;
    QTest::addRow("alpha and beta 1e12, lr 1") << Mutation([](TrainConfig& c) {
        c.alpha = c.beta = 1e12;
        c.learningRate = 1;
    }) << completed;
    QTest::addRow("softplus, lr 1, depth 8") << Mutation([](TrainConfig& c) {
        c.activation = Activation::Softplus;
        c.learningRate = 1;
        c.depth = 8;
    }) << diverged;
    QTest::addRow("sin, lr 1") << Mutation([](TrainConfig& c) {
        c.activation = Activation::Sin;
        c.learningRate = 1;
        c.depth = 4;
        c.epochs = 100;
    }) << diverged;
    QTest::addRow("width 1024 x depth 8") << Mutation([](TrainConfig& c) {
        c.width = 1024;
        c.depth = 8;
        c.nTrain = 64;
        c.epochs = 1;
    }) << completed;
    QTest::addRow("one epoch") << Mutation([](TrainConfig& c) { c.epochs = 1; }) << completed;
    QTest::addRow("one validation point")
        << Mutation([](TrainConfig& c) { c.nVal = 1; }) << completed;
    QTest::addRow("one training point") << Mutation([](TrainConfig& c) {
        c.nTrain = 1;
        c.batchSize = 1;
    }) << completed;
    QTest::addRow("width 1") << Mutation([](TrainConfig& c) { c.width = 1; }) << completed;
    QTest::addRow("two grid points")
        << Mutation([](TrainConfig& c) { c.gridPoints = 2; }) << completed;
    QTest::addRow("alpha 0") << Mutation([](TrainConfig& c) { c.alpha = 0; }) << completed;
    QTest::addRow("beta 0") << Mutation([](TrainConfig& c) { c.beta = 0; }) << completed;
}

void TestExtremes::trainsOrStopsWithReason() {
    QFETCH(Mutation, mutate);
    QFETCH(StopReason, expected);
    TrainConfig c;
    c.nTrain = 256;
    c.epochs = 20;
    mutate(c);
    QVERIFY2(validate(c).empty(), describe(validate(c)).c_str());
    Trainer t(c);
    const StopReason reason = t.trainAll();
    QCOMPARE(reason, expected);
    const FitReport r = t.report();
    QCOMPARE(r.stopReason, reason);
    QCOMPARE(r.epochsRun, t.epochsDone());
    const QString message = QString::fromStdString(r.stopMessage);
    if (reason == StopReason::Completed) {
        QCOMPARE(r.epochsRun, c.epochs);
        QCOMPARE(message, QStringLiteral("completed %1 epochs").arg(c.epochs));
        for (const EpochMetrics& m : t.history())
            QVERIFY(std::isfinite(m.loss) && std::isfinite(m.valLoss));
        QVERIFY(std::isfinite(r.mseF) && std::isfinite(r.mseFprime));
    } else {
        QVERIFY2(r.epochsRun < c.epochs, qPrintable(message));
        const std::string problem = testutil::divergenceProblem(t);
        QVERIFY2(problem.empty(), problem.c_str());
        QVERIFY2(message.contains("; try "), qPrintable(message));
    }
}

void TestExtremes::hugeDatasetWithBatchOneCanBeStopped() {
    TrainConfig c;
    c.nTrain = 1'000'000;
    c.batchSize = 1;
    c.epochs = 1;
    Trainer t(c);
    QCOMPARE(t.trainingData().size(), 1'000'000);
    std::atomic<bool> stop{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stop = true;
    });
    QCOMPARE(t.trainAll(&stop), StopReason::None); // interrupted inside the epoch
    stopper.join();
    QCOMPARE(t.epochsDone(), 0);
    t.markStopped();
    QCOMPARE(t.stopReason(), StopReason::Stopped);
    const FitReport r = t.report();
    QVERIFY(std::isfinite(r.mseF));
}

void TestExtremes::memoryGrowsOnlyWithHistory() {
    TrainConfig c;
    c.width = 8;
    c.nTrain = 64;
    c.batchSize = 64;
    c.nVal = 16;
    c.gridPoints = 11;
    c.epochs = 3000;
    Trainer t(c);
    t.train(1000);
    const std::size_t before = mallinfo2().uordblks;
    t.train(2000);
    const std::size_t after = mallinfo2().uordblks;
    // The history vector may double once while growing from 1000 to 3000 entries.
    const std::size_t allowed = 4 * 3000 * sizeof(EpochMetrics) + 64 * 1024;
    QVERIFY2(
        after <= before + allowed,
        qPrintable(
            QStringLiteral("heap grew by %1 bytes over 2000 epochs").arg(qint64(after - before))));
}

QTEST_GUILESS_MAIN(TestExtremes)
#include "tst_extremes.moc"
