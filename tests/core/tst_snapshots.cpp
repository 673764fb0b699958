// SPDX-License-Identifier: GPL-3.0-or-later
// The snapshot recorder: where it records, that it changes nothing, and that a paused or
// restored run records the same series to the bit.
#include "core/train/snapshothook.h"
#include "core/train/trainer.h"
#include "coretestutil.h"
#include "testutil.h"

#include <QtTest>

#include <cstring>
#include <memory>

using namespace sobolev;
using namespace sobolev::testutil;

namespace {

bool sameFloats(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Every field equal to the bit; empty when they are, else the first difference.
QString seriesDifference(const SnapshotSeries& a, const SnapshotSeries& b) {
    if (a.x != b.x)
        return QStringLiteral("x differs");
    if (a.snapshots.size() != b.snapshots.size())
        return QStringLiteral("%1 snapshots against %2")
            .arg(a.snapshots.size())
            .arg(b.snapshots.size());
    for (std::size_t i = 0; i < a.snapshots.size(); ++i) {
        const Snapshot &s = a.snapshots[i], &t = b.snapshots[i];
        if (!sameBits(s.position, t.position) || s.epoch != t.epoch || s.batch != t.batch ||
            s.phase != t.phase || !sameBits(s.alpha, t.alpha) || !sameBits(s.beta, t.beta) ||
            !sameFloats(s.fHat, t.fHat) || !sameFloats(s.fprimeHat, t.fprimeHat))
            return QStringLiteral("snapshot %1 (position %2) differs").arg(i).arg(s.position);
    }
    return {};
}

const Snapshot* at(const SnapshotSeries& s, double position) {
    for (const Snapshot& snap : s.snapshots)
        if (snap.position == position)
            return &snap;
    return nullptr;
}

} // namespace

class TestSnapshots : public QObject {
    Q_OBJECT
  private slots:
    void recordsTheFirstEpochThenLogSpacedRows();
    void staysWithinTheBudget();
    void evaluatesTheNetworkAsPredictionsDo();
    void changesNothingAndOffRecordsNothing();
    void pausedRunRecordsTheSameSeries();
    void restoredRunRecordsTheSameSeries();
    void changesAndTheLbfgsStartAlwaysGetOne();
    void liveChangeRecordsAsItsReplay();
    void refusesAnotherState();
    void olderCheckpointRecordsFromWhereItWas();
};

void TestSnapshots::recordsTheFirstEpochThenLogSpacedRows() {
    TrainConfig c = smallConfig(40); // 8 batches an epoch
    Trainer t(c);
    t.trainAll();
    const SnapshotSeries& s = t.snapshots();
    QCOMPARE(s.x.size(), std::size_t(c.gridPoints));
    QVERIFY(!s.empty());
    const Snapshot& first = s.snapshots.front();
    QCOMPARE(first.position, 0.0);
    QCOMPARE(first.epoch, 0);
    for (int b = 1; b < 8; ++b) {
        const Snapshot* batch = at(s, b / 8.0);
        QVERIFY2(batch, qPrintable(QStringLiteral("batch %1").arg(b)));
        QCOMPARE(batch->epoch, 1);
        QCOMPARE(batch->batch, b);
    }
    // 40 rows fit the budget: every row, the last one included.
    for (int e = 1; e <= 40; ++e)
        QVERIFY2(at(s, e) && at(s, e)->epoch == e && at(s, e)->batch == 0,
                 qPrintable(QStringLiteral("row %1").arg(e)));
    QCOMPARE(s.snapshots.size(), std::size_t(1 + 7 + 40));
    for (std::size_t i = 1; i < s.snapshots.size(); ++i)
        QVERIFY(s.snapshots[i].position > s.snapshots[i - 1].position);
    for (const Snapshot& snap : s.snapshots) {
        QCOMPARE(snap.fHat.size(), s.x.size());
        QCOMPARE(snap.fprimeHat.size(), s.x.size());
    }
}

void TestSnapshots::staysWithinTheBudget() {
    TrainConfig c = smallConfig(500);
    c.nTrain = 1024; // 32 batches an epoch
    c.snapshots = 30;
    SnapshotHook planner(c, Eigen::RowVectorXf::Zero(3));
    const std::vector<int>& rows = planner.plannedRows();
    QCOMPARE(rows.back(), 500);
    QCOMPARE(rows.front(), 1);
    const int batches = 31 / planner.batchStride();
    // The initial network, the batches, the rows and a fifth of the budget for the loss.
    QVERIFY(1 + batches + int(rows.size()) + 30 / 5 <= 30);
    QVERIFY(batches >= 5 && batches <= 12);
    QVERIFY(rows.size() >= 10);
    // Log-spaced: the gaps grow.
    QVERIFY(rows[1] - rows[0] <= rows.back() - rows[rows.size() - 2]);

    c.epochs = 60;
    Trainer t(c);
    t.trainAll();
    const SnapshotSeries& s = t.snapshots();
    QVERIFY(s.snapshots.size() <= 30);
    QCOMPARE(s.snapshots.back().position, 60.0);
    // Rows beyond the log scale's: where the lowest validation loss fell, at most a fifth.
    const SnapshotHook plan60(c, Eigen::RowVectorXf::Zero(3));
    int extras = 0;
    double lowest = INFINITY;
    std::vector<double> lowestAt(61, INFINITY);
    for (const EpochMetrics& row : t.history())
        lowestAt[std::size_t(row.epoch)] = lowest = std::min(lowest, row.valLoss);
    double lastKept = INFINITY;
    for (const Snapshot& snap : s.snapshots) {
        if (snap.batch != 0 || snap.epoch == 0)
            continue;
        const bool planned = std::binary_search(plan60.plannedRows().begin(),
                                                plan60.plannedRows().end(), snap.epoch);
        if (!planned) {
            ++extras;
            QVERIFY(std::log10(lowestAt[std::size_t(snap.epoch)]) <
                    std::log10(lastKept) - SnapshotHook::extraLossDecades);
        }
        lastKept = lowestAt[std::size_t(snap.epoch)];
    }
    QVERIFY(extras >= 1);
    QVERIFY(extras <= 30 / 5);
}

// The last snapshot is the final network: the same numbers as predictions(), as floats.
void TestSnapshots::evaluatesTheNetworkAsPredictionsDo() {
    for (const Precision p : {Precision::Float32, Precision::Float64}) {
        TrainConfig c = smallConfig(5);
        c.precision = p;
        Trainer t(c);
        t.trainAll();
        const Predictions now = t.predictions();
        const Snapshot& last = t.snapshots().snapshots.back();
        QCOMPARE(last.position, 5.0);
        QCOMPARE(t.snapshots().x, now.x);
        for (std::size_t i = 0; i < now.x.size(); ++i) {
            QCOMPARE(last.fHat[i], float(now.fHat[i]));
            QCOMPARE(last.fprimeHat[i], float(now.fprimeHat[i]));
        }
    }
}

void TestSnapshots::changesNothingAndOffRecordsNothing() {
    TrainConfig c = smallConfig(10);
    c.changes = {{3, 2, Knob::Beta, 10}};
    Trainer on(c);
    on.trainAll();
    c.snapshots = 0;
    Trainer off(c);
    off.trainAll();
    QVERIFY(off.snapshots().empty());
    QVERIFY(!on.snapshots().empty());
    QVERIFY(sameHistory(on.history(), off.history()));
    QVERIFY(sameParameters(on.network<float>().parameters(), off.network<float>().parameters()));
    QCOMPARE(on.hookActions().size(), off.hookActions().size());
}

void TestSnapshots::pausedRunRecordsTheSameSeries() {
    TrainConfig c = smallConfig(30);
    c.nTrain = 512;
    c.batchSize = 8; // 64 batches an epoch: the pauses land mid-epoch, in the first one too
    c.changes = {{4, 5, Knob::Beta, 3}};
    Trainer whole(c);
    whole.trainAll();

    Trainer pieces(c);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    pieces.addHook(std::make_unique<RaiseFlagEvery>(13, stop));
    int rounds = 0;
    while (!pieces.finished() && rounds++ < 1000) {
        *stop = false;
        pieces.trainAll(stop.get());
        pieces.snapshots(); // looked at while paused, as the window does
    }
    QVERIFY(rounds > 100);
    const QString difference = seriesDifference(whole.snapshots(), pieces.snapshots());
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestSnapshots::restoredRunRecordsTheSameSeries() {
    TrainConfig c = smallConfig(20);
    c.lbfgsIterations = 5;
    c.changes = {{2, 3, Knob::Alpha, 2}};
    Trainer whole(c);
    whole.trainAll();
    for (const int rows : {1, 7, 22}) {
        Trainer first(c);
        first.train(rows);
        const std::string bytes = checkpointBytes(first.checkpoint());
        Trainer second(c);
        second.restore(checkpointFromBytes(bytes));
        QCOMPARE(second.snapshots().snapshots.size(), first.snapshots().snapshots.size());
        second.trainAll();
        const QString difference = seriesDifference(whole.snapshots(), second.snapshots());
        QVERIFY2(difference.isEmpty(), qPrintable(QString::number(rows) + ": " + difference));
    }
}

void TestSnapshots::changesAndTheLbfgsStartAlwaysGetOne() {
    TrainConfig c = smallConfig(400); // more rows than the budget's log scale keeps
    c.nTrain = 128;
    c.lbfgsIterations = 3;
    c.snapshots = 12;
    c.changes = {{317, 3, Knob::Beta, 10}, {333, 1, Knob::LearningRate, 1e-4}};
    Trainer t(c);
    t.trainAll();
    const SnapshotSeries& s = t.snapshots();
    const Snapshot* change = at(s, 316 + 2 / 4.0);
    QVERIFY(change);
    QCOMPARE(change->epoch, 317);
    QCOMPARE(change->batch, 2);
    QCOMPARE(change->beta, 10.0);
    QVERIFY(at(s, 332)); // the rate changed before the first batch of row 333
    const Snapshot* lbfgs = at(s, 400);
    QVERIFY(lbfgs);
    QCOMPARE((change - 1)->beta, 1.0); // the one before it
    QCOMPARE(s.snapshots.back().position, 403.0);
    QCOMPARE(s.snapshots.back().phase, Phase::Lbfgs);
    QVERIFY(s.snapshots.size() <= std::size_t(12 + 3));
}

// A live change records the snapshot its replay from the config records.
void TestSnapshots::liveChangeRecordsAsItsReplay() {
    TrainConfig c = smallConfig(12);
    Trainer live(c);
    live.train(5);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    live.addHook(std::make_unique<RaiseFlagEvery>(3, stop));
    live.trainAll(stop.get()); // paused at batch 3 of epoch 6
    QVERIFY(live.applyChange(Knob::Beta, 7));
    live.trainAll();
    Trainer replay(live.config());
    replay.trainAll();
    const QString difference = seriesDifference(live.snapshots(), replay.snapshots());
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    const Snapshot* change = at(live.snapshots(), 5 + 3 / 8.0);
    QVERIFY(change);
    QCOMPARE(change->beta, 7.0);
}

void TestSnapshots::refusesAnotherState() {
    TrainConfig c = smallConfig(3);
    Trainer t(c);
    t.trainAll();
    TrainerCheckpoint saved = t.checkpoint();
    TrainConfig other = c;
    other.gridPoints = 50; // the snapshots are on another grid
    Trainer elsewhere(other);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, elsewhere.restore(saved));
    QVERIFY(elsewhere.snapshots().empty());
    // A state that does not agree with itself: the last position is not the last snapshot's,
    // or the last row's weights are not this network's.
    Trainer same(c);
    TrainerCheckpoint lost = saved;
    lost.hooks.back().numbers[2] = std::nan("");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, same.restore(lost));
    TrainerCheckpoint shorter = saved;
    shorter.hooks.back().vectors[0].conservativeResize(7);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, same.restore(shorter));
    same.restore(saved);
    QVERIFY(sameSnapshots(same.snapshots(), t.snapshots()));
}

// A checkpoint taken before snapshots existed holds no state for their hook: the run goes on
// as it would have, and records from there.
void TestSnapshots::olderCheckpointRecordsFromWhereItWas() {
    TrainConfig c = smallConfig(12);
    Trainer whole(c);
    whole.trainAll();
    TrainConfig before = c;
    before.snapshots = 0; // the hooks of a trainer without snapshots
    Trainer older(before);
    older.train(5);
    Trainer resumed(c);
    resumed.restore(older.checkpoint());
    resumed.trainAll();
    QVERIFY(sameHistory(resumed.history(), whole.history()));
    const SnapshotSeries& s = resumed.snapshots();
    QVERIFY(!s.empty());
    QCOMPARE(s.snapshots.front().position, 6.0);
    QCOMPARE(s.snapshots.back().position, 12.0);
    // The other way, a checkpoint with snapshots does not fit a trainer without.
    Trainer without(before);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, without.restore(whole.checkpoint()));
}

QTEST_GUILESS_MAIN(TestSnapshots)
#include "tst_snapshots.moc"
