// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/validate.h"
#include "core/train/trainer.h"
#include "testutil.h"
#include "trainingcontroller.h"

#include <QtTest>

#include <cstring>
#include <optional>

using namespace sobolev;
using namespace sobolev::testutil;
using State = TrainingController::State;

class TestTrainingController : public QObject {
    Q_OBJECT
  private slots:
    void runMatchesCoreTrainer();
    void metricsAreCoalesced();
    void predictionsKeepUpWithTheEpochs();
    void slowMotionChangesNothing();
    void batchSlowMotionShowsEveryBatch();
    void pauseAndResumeKeepTheHistory();
    void stepRunsOneEpoch();
    void stopEndsTheRun();
    void resetRestartsFromInitialWeights();
    void shutdownMidRunJoinsTheWorker();
    void hammeredControlsStayConsistent();
    void liveChangesReplayFromTheConfig();
};

namespace {

std::vector<EpochMetrics> coreHistory(const TrainConfig& c) {
    Trainer t(c);
    t.trainAll();
    return t.history();
}

// Every field of every epoch equal to the bit (same build, same config), `seconds` aside.
void compareHistories(const QList<EpochMetrics>& ui, const std::vector<EpochMetrics>& core) {
    QCOMPARE(std::size_t(ui.size()), core.size());
    QVERIFY(sameHistory(std::vector<EpochMetrics>(ui.begin(), ui.end()), core));
}

} // namespace

void TestTrainingController::runMatchesCoreTrainer() {
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::runFinished);
    QSignalSpy started(&c, &TrainingController::runStarted);
    c.start(smallConfig(40));
    QCOMPARE(started.count(), 1);
    QCOMPARE(c.state(), State::Running);
    QVERIFY(finished.wait(60000));
    QCOMPARE(c.state(), State::Finished);
    compareHistories(c.history(), coreHistory(smallConfig(40)));

    Trainer core(smallConfig(40));
    core.trainAll();
    const FitReport expected = core.report();
    const auto report = finished.first().first().value<FitReport>();
    QCOMPARE(report.stopReason, StopReason::Completed);
    // Every report metric bit for bit; the controller keeps no parameters, so its network's
    // outputs on the whole grid, equal to the bit, stand in for them.
    QVERIFY(sameReport(report, expected));
    QVERIFY(c.report().has_value());
    QVERIFY(sameReport(*c.report(), expected));
    QVERIFY(c.predictions().has_value());
    QVERIFY(samePredictions(*c.predictions(), core.predictions()));
    // What the run recorded on its way, for the timeline.
    QVERIFY(!c.snapshots().empty());
    QVERIFY(sameSnapshots(c.snapshots(), core.snapshots()));
}

void TestTrainingController::metricsAreCoalesced() {
    TrainingController c;
    QSignalSpy epochs(&c, &TrainingController::epochsAvailable);
    QSignalSpy finished(&c, &TrainingController::runFinished);
    TrainConfig config = smallConfig(3000);
    config.width = 4;
    config.nTrain = 64;
    config.batchSize = 64;
    config.nVal = 16;
    c.start(config);
    QVERIFY(finished.wait(60000));
    int delivered = 0;
    for (const auto& args : epochs)
        delivered += args.first().value<QList<EpochMetrics>>().size();
    QCOMPARE(delivered, 3000);
    // Thousands of epochs arrive in a handful of frames, not one signal each.
    QVERIFY2(epochs.count() < 300, qPrintable(QString::number(epochs.count())));
}

void TestTrainingController::predictionsKeepUpWithTheEpochs() {
    // Every frame brings new epochs (a capped 200 epochs/s against ~30 frames/s, so the run
    // lasts long enough on any machine); the fit must still follow while they come.
    TrainingController c;
    c.setEpochsPerSecondCap(200);
    const TrainConfig config = smallConfig(600);
    int epochFrames = 0, liveUpdates = 0, lastEpoch = 0;
    std::optional<std::pair<int, Predictions>> snapshot;
    connect(&c, &TrainingController::epochsAvailable, &c, [&] { ++epochFrames; });
    connect(&c, &TrainingController::predictionsUpdated, &c, [&](const Predictions& p) {
        const int epoch = c.predictionsEpoch();
        if (c.state() != State::Running || epoch >= 600)
            return;                       // only updates while epochs are still coming count
        QVERIFY(epoch > lastEpoch);       // always a newer network
        QVERIFY(epoch <= c.epochsDone()); // never ahead of the loss chart
        lastEpoch = epoch;
        ++liveUpdates;
        if (!snapshot)
            snapshot = {epoch, p};
    });
    QSignalSpy finished(&c, &TrainingController::runFinished);
    c.start(config);
    QVERIFY(finished.wait(600000));
    QVERIFY2(
        liveUpdates >= 10,
        qPrintable(
            QString("%1 prediction updates in %2 epoch frames").arg(liveUpdates).arg(epochFrames)));
    compareHistories(c.history(), coreHistory(config));
    // A snapshot is the network as it was after its epoch, to the bit.
    QVERIFY(snapshot);
    Trainer core(config);
    core.train(snapshot->first);
    QVERIFY(samePredictions(snapshot->second, core.predictions()));
}

void TestTrainingController::slowMotionChangesNothing() {
    TrainingController c;
    const TrainConfig config = smallConfig(60);
    QSignalSpy finished(&c, &TrainingController::runFinished);
    c.setEpochsPerSecondCap(200);
    c.start(config);
    QTRY_VERIFY(c.epochsDone() >= 5);
    c.setEpochsPerSecondCap(50); // while running
    QTRY_VERIFY(c.epochsDone() >= 8);
    c.pause();
    QTRY_COMPARE(c.state(), State::Paused);
    c.setEpochsPerSecondCap(0);
    c.resume();
    QVERIFY(finished.wait(600000));
    compareHistories(c.history(), coreHistory(config));
    QCOMPARE(c.predictionsEpoch(), 60);
}

// Per-batch slow motion: the predictions after every batch reach the GUI, each equal to the
// network's after that batch, and the run is the full-speed run to the bit.
void TestTrainingController::batchSlowMotionShowsEveryBatch() {
    const TrainConfig config = smallConfig(3);
    const int batches = batchesPerEpoch(config);
    QVERIFY(batches > 2);
    TrainingController c;
    QList<std::pair<int, int>> shown; // (epoch, batch) of each snapshot, in order
    QList<Predictions> snapshots;
    connect(&c, &TrainingController::predictionsUpdated, &c, [&](const Predictions& p) {
        shown.append({c.predictionsEpoch(), c.predictionsBatch()});
        snapshots.append(p);
    });
    QSignalSpy finished(&c, &TrainingController::runFinished);
    // Fast enough for a test, and still far more batches a second than frames.
    c.setBatchesPerSecondCap(200);
    QCOMPARE(c.epochsPerSecondCap(), 0);
    c.start(config);
    QVERIFY(finished.wait(600000));
    compareHistories(c.history(), coreHistory(config));
    Trainer core(config);
    core.trainAll();
    QVERIFY(samePredictions(*c.predictions(), core.predictions()));

    // The start, then every batch within each epoch and each epoch's end.
    QList<std::pair<int, int>> expected{{0, 0}};
    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        for (int batch = 1; batch < batches; ++batch)
            expected.append({epoch, batch});
        expected.append({epoch, 0});
    }
    expected.append({config.epochs, 0}); // the finished run's
    QCOMPARE(shown, expected);

    // The snapshot after epoch 2's third batch is the network a pause there leaves.
    Trainer paused(config);
    std::atomic<bool> stop{false};
    paused.train(1);
    paused.train(1, &stop, {}, [&](int epoch, int batch) { stop = epoch == 2 && batch == 3; });
    QCOMPARE(paused.epochsDone(), 1);
    const qsizetype at = expected.indexOf(std::pair{2, 3});
    QVERIFY(samePredictions(snapshots[at], paused.predictions()));
    QVERIFY(!samePredictions(snapshots[at], snapshots[at + 1]));

    // One cap at a time.
    c.setEpochsPerSecondCap(10);
    QCOMPARE(c.batchesPerSecondCap(), 0);
}

void TestTrainingController::pauseAndResumeKeepTheHistory() {
    TrainingController c;
    const TrainConfig config = smallConfig(1000000);
    Trainer core(config);
    c.start(config);
    for (int round = 0; round < 2; ++round) {
        QTRY_VERIFY(c.epochsDone() >= 3 * (round + 1));
        c.pause();
        QTRY_COMPARE(c.state(), State::Paused);
        const int atPause = c.epochsDone();
        QTest::qWait(50);
        QCOMPARE(c.epochsDone(), atPause); // nothing trains while paused
        core.train(atPause - core.epochsDone());
        // Pausing lands between batches; the history equals an uninterrupted run's.
        compareHistories(c.history(), core.history());
        // Paused past the first epoch, mid-epoch or not: the snapshots of the rows so far.
        QVERIFY(sameSnapshots(c.snapshots(), core.snapshots()));
        c.resume();
        QCOMPARE(c.state(), State::Running);
    }
    c.shutdown();
}

void TestTrainingController::stepRunsOneEpoch() {
    TrainingController c;
    c.prepare(smallConfig(40));
    QCOMPARE(c.state(), State::Paused);
    QCOMPARE(c.epochsDone(), 0);
    c.step();
    QTRY_COMPARE(c.state(), State::Paused);
    QCOMPARE(c.epochsDone(), 1);
    c.step();
    QTRY_COMPARE(c.state(), State::Paused);
    QCOMPARE(c.epochsDone(), 2);
    QCOMPARE(c.history().size(), 2);
}

void TestTrainingController::stopEndsTheRun() {
    TrainingController c;
    QSignalSpy finished(&c, &TrainingController::runFinished);
    c.start(smallConfig(100000));
    QTRY_VERIFY(c.epochsDone() >= 2);
    c.stop();
    QVERIFY(finished.wait(60000));
    QCOMPARE(c.state(), State::Finished);
    const auto report = finished.first().first().value<FitReport>();
    QCOMPARE(report.stopReason, StopReason::Stopped);
    QCOMPARE(report.epochsRun, c.epochsDone());
    QVERIFY(QString::fromStdString(report.stopMessage).contains("stopped by the user"));
    c.resume(); // a stopped run does not continue
    QCOMPARE(c.state(), State::Finished);
}

void TestTrainingController::resetRestartsFromInitialWeights() {
    TrainingController c;
    QSignalSpy reset(&c, &TrainingController::runReset);
    QSignalSpy finished(&c, &TrainingController::runFinished);
    const TrainConfig config = smallConfig(200);
    c.start(config);
    QTRY_VERIFY(c.epochsDone() >= 2);
    c.reset(); // while running: interrupts, then resets
    QTRY_COMPARE(reset.count(), 1);
    QCOMPARE(c.state(), State::Paused);
    QCOMPARE(c.epochsDone(), 0);
    QVERIFY(c.history().isEmpty());
    QVERIFY(c.snapshots().empty()); // the run's are gone with it
    c.resume();
    QVERIFY(finished.wait(60000));
    compareHistories(c.history(), coreHistory(config));
    Trainer core(config);
    core.trainAll();
    QVERIFY(sameSnapshots(c.snapshots(), core.snapshots()));
}

void TestTrainingController::shutdownMidRunJoinsTheWorker() {
    auto* c = new TrainingController;
    c->start(smallConfig(1000000));
    QTRY_VERIFY(c->epochsDone() >= 1);
    c->shutdown();
    QVERIFY(c->state() != State::Running);
    delete c;
    // Deleting a running controller also joins.
    auto* d = new TrainingController;
    d->start(smallConfig(1000000));
    delete d;
}

void TestTrainingController::hammeredControlsStayConsistent() {
    TrainingController c;
    const TrainConfig config = smallConfig(100000);
    for (int i = 0; i < 100; ++i) {
        switch (i % 5) {
        case 0:
            c.start(config);
            break;
        case 1:
            c.pause();
            break;
        case 2:
            c.resume();
            break;
        case 3:
            c.reset();
            break;
        case 4:
            c.stop();
            break;
        }
        QCoreApplication::processEvents();
    }
    c.stop();
    QTRY_VERIFY(c.state() != State::Running);
    QCOMPARE(c.history().size(), c.epochsDone());
    c.shutdown();
}

// Changes asked for while the worker trains, some together with a pause, are each
// applied between two batches and recorded where they were; the recorded config replays the
// run to the bit, and a pause sent right after a change still pauses.
void TestTrainingController::liveChangesReplayFromTheConfig() {
    TrainingController c;
    QSignalSpy applied(&c, &TrainingController::knobChanged);
    TrainConfig config = smallConfig(100000);
    config.batchSize = 8; // many batches: changes land mid-epoch
    c.start(config);
    int asked = 0;
    for (int round = 0; round < 6; ++round) {
        QTRY_VERIFY_WITH_TIMEOUT(c.epochsDone() >= 10 * (round + 1), 60000);
        c.changeKnob(Knob::Beta, 1 + round);
        c.changeKnob(Knob::LearningRate, 1e-3 * (1 + round % 3));
        asked += 2;
        if (round % 2 == 0) {
            c.pause(); // at once: the change must not swallow the pause
            QTRY_COMPARE(c.state(), State::Paused);
            if (round == 2) { // while paused: applied where the run goes on
                c.changeKnob(Knob::Alpha, 0.5);
                ++asked;
            }
            c.resume();
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(c.epochsDone() >= 70, 60000);
    c.stop();
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), State::Finished, 60000);
    QCOMPARE(int(applied.count()), asked);
    QCOMPARE(int(c.config().changes.size()), asked);
    QVERIFY(validate(c.config()).empty());
    Trainer replay(c.config());
    replay.train(c.epochsDone());
    compareHistories(c.history(), replay.history());
}

QTEST_GUILESS_MAIN(TestTrainingController)
#include "tst_trainingcontroller.moc"
