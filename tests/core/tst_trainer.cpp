#include "trainer.h"
#include "testutil.h"

#include <QtTest>

#include <cstring>
#include <thread>

using namespace sobolev;
using namespace sobolev::testutil;

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void rejectsInvalidConfig();
    void lossFalls();
    void identicalHistoryForSameSeed();
    void differentSeedsDiffer();
    void interruptedRunMatchesUninterrupted();
    void resetRestartsTheSameRun();
    void sameSeedSharesDataAndStartAcrossBeta();
    void divergenceIsReported_data();
    void divergenceIsReported();
    void stopMarksTheRun();
    void reportMatchesPredictions();
    void partialLastBatch();
};

void TestTrainer::rejectsInvalidConfig() {
    TrainConfig c;
    c.width = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer{c});
}

void TestTrainer::lossFalls() {
    TrainConfig c = smallConfig();
    c.epochs = 60;
    c.learningRate = 1e-2;
    Trainer t(c);
    int calls = 0;
    QCOMPARE(t.trainAll(nullptr, [&](const EpochMetrics& m) { QCOMPARE(m.epoch, ++calls); }),
             StopReason::Completed);
    QCOMPARE(calls, 60);
    QCOMPARE(t.epochsDone(), 60);
    const auto& h = t.history();
    QVERIFY2(h.back().loss < 0.1 * h.front().loss,
             qPrintable(QStringLiteral("%1 -> %2").arg(h.front().loss).arg(h.back().loss)));
    QVERIFY(h.back().valLoss < 0.1 * h.front().valLoss);
    QVERIFY(h.back().seconds >= h.front().seconds);
    QCOMPARE(h.back().loss, c.alpha * h.back().mseF + c.beta * h.back().mseFprime);
}

void TestTrainer::identicalHistoryForSameSeed() {
    Trainer a(smallConfig()), b(smallConfig());
    a.trainAll();
    b.trainAll();
    QVERIFY(sameHistory(a.history(), b.history()));
    QVERIFY(a.model().parameters() == b.model().parameters());
}

void TestTrainer::differentSeedsDiffer() {
    TrainConfig c = smallConfig();
    Trainer a(c);
    c.seed = 12346;
    Trainer b(c);
    a.train(2);
    b.train(2);
    QVERIFY(a.history()[1].loss != b.history()[1].loss);
}

void TestTrainer::interruptedRunMatchesUninterrupted() {
    TrainConfig c = smallConfig();
    c.nTrain = 2048;
    c.batchSize = 8; // many batches per epoch, so interruptions land mid-epoch
    c.epochs = 8;
    Trainer whole(c);
    whole.trainAll();

    Trainer pieces(c);
    std::atomic<bool> stop{false};
    int interruptions = 0;
    while (!pieces.finished()) {
        stop = false;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::microseconds(300));
            stop = true;
        });
        pieces.trainAll(&stop);
        stopper.join();
        ++interruptions;
    }
    QVERIFY(interruptions > 1);
    QVERIFY(sameHistory(whole.history(), pieces.history()));
    QVERIFY(whole.model().parameters() == pieces.model().parameters());
}

void TestTrainer::resetRestartsTheSameRun() {
    Trainer a(smallConfig());
    a.train(5);
    const auto firstFive = a.history();
    a.train(5);
    a.reset();
    QCOMPARE(a.epochsDone(), 0);
    QVERIFY(!a.finished());
    a.train(5);
    QVERIFY(sameHistory(firstFive, a.history()));
}

void TestTrainer::sameSeedSharesDataAndStartAcrossBeta() {
    TrainConfig c = smallConfig();
    Trainer a(c);
    c.beta = 5;
    c.learningRate = 0.01;
    Trainer b(c);
    QVERIFY(a.model().parameters() == b.model().parameters());
    QVERIFY(a.trainingData().x == b.trainingData().x);
    c.width = 32; // the data stream does not depend on the network
    Trainer w(c);
    QVERIFY(a.trainingData().x == w.trainingData().x);
}

void TestTrainer::divergenceIsReported_data() {
    QTest::addColumn<int>("activation");
    QTest::addColumn<int>("depth");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("weight");
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("hint");
    // Adam's step does not grow with the loss scale: unbounded activations and lr 1 are what
    // make these overflow.
    QTest::addRow("softplus depth 8, lr 1") << int(Activation::Softplus) << 8 << 1.0 << 1.0
                                            << "loss became NaN" << "smaller learning rate";
    QTest::addRow("sin depth 4, lr 1") << int(Activation::Sin) << 4 << 1.0 << 1.0
                                       << "became NaN" << "smaller learning rate";
    QTest::addRow("softplus depth 4, lr 1, weights 1e12")
        << int(Activation::Softplus) << 4 << 1.0 << 1e12 << "became NaN" << "smaller alpha/beta";
}

void TestTrainer::divergenceIsReported() {
    QFETCH(int, activation);
    QFETCH(int, depth);
    QFETCH(double, lr);
    QFETCH(double, weight);
    QFETCH(QString, what);
    QFETCH(QString, hint);
    TrainConfig c = smallConfig();
    c.width = 64;
    c.activation = Activation(activation);
    c.depth = depth;
    c.learningRate = lr;
    c.alpha = weight;
    c.beta = weight;
    c.epochs = 300;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Diverged);
    QVERIFY(t.epochsDone() < 500);
    const QString msg = QString::fromStdString(t.stopMessage());
    QVERIFY2(msg.contains(QStringLiteral("at epoch %1").arg(t.epochsDone() + 1)) ||
                 msg.contains(QStringLiteral("at epoch %1").arg(t.epochsDone())),
             qPrintable(msg));
    QVERIFY2(msg.contains(hint), qPrintable(msg));
    QVERIFY2(msg.contains(what), qPrintable(msg));
    const FitReport r = t.report();
    QCOMPARE(r.stopReason, StopReason::Diverged);
    QCOMPARE(r.epochsRun, t.epochsDone());
    // Training after divergence does nothing.
    QCOMPARE(t.train(10), StopReason::Diverged);
}

void TestTrainer::stopMarksTheRun() {
    Trainer t(smallConfig());
    t.train(3);
    QVERIFY(!t.finished());
    t.markStopped();
    QCOMPARE(t.stopReason(), StopReason::Stopped);
    QVERIFY(QString::fromStdString(t.stopMessage()).contains("after 3 of 30"));
    QCOMPARE(t.train(5), StopReason::Stopped);
    QCOMPARE(t.epochsDone(), 3);
}

void TestTrainer::reportMatchesPredictions() {
    Trainer t(smallConfig());
    t.trainAll();
    const Predictions p = t.predictions();
    QCOMPARE(int(p.x.size()), 101);
    QCOMPARE(p.x.front(), -1.0);
    QCOMPARE(p.x.back(), 1.0);
    double mse = 0, maxErr = 0;
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        mse += (p.fHat[i] - p.f[i]) * (p.fHat[i] - p.f[i]);
        maxErr = std::max(maxErr, std::abs(p.fprimeHat[i] - p.fprime[i]));
    }
    const FitReport r = t.report();
    QCOMPARE(r.mseF, mse / 101);
    QCOMPARE(r.maxErrFprime, maxErr);
    QCOMPARE(r.epochsRun, 30);
    QCOMPARE(r.stopReason, StopReason::Completed);
}

void TestTrainer::partialLastBatch() {
    TrainConfig c = smallConfig();
    c.nTrain = 100;
    c.batchSize = 32; // 32 + 32 + 32 + 4
    c.epochs = 3;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QVERIFY(std::isfinite(t.history().back().loss));
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
