// SPDX-License-Identifier: GPL-3.0-or-later
// Training hooks act: one that ends the run, one that changes a knob mid-epoch, one that
// changes the rate; what they do is recorded, and a paused run is the same run.
#include "core/train/hooks.h"
#include "core/train/trainer.h"
#include "coretestutil.h"

#include <QtTest>

#include <functional>

using namespace sobolev;
using namespace sobolev::testutil;

namespace {

// Calls `act` at one point of the loop; counts every call of each point.
class ProbeHook final : public TrainingHook {
  public:
    using Act = std::function<HookResult(HookContext&)>;
    enum Point { PhaseStart, BeforeBatch, AfterBatch, AfterEpoch, Completion, Points };

    ProbeHook(Point point, Act act) : m_point(point), m_act(std::move(act)) {}
    std::string_view name() const override { return "probe"; }
    HookResult atPhaseStart(HookContext& c) override { return at(PhaseStart, c); }
    HookResult beforeBatch(HookContext& c) override { return at(BeforeBatch, c); }
    HookResult afterBatch(HookContext& c) override { return at(AfterBatch, c); }
    HookResult afterEpoch(HookContext& c) override { return at(AfterEpoch, c); }
    void atCompletion(HookContext& c) override { at(Completion, c); }
    void reset() override { calls = {}; }

    std::array<int, Points> calls{};

  private:
    HookResult at(Point p, HookContext& c) {
        ++calls[p];
        return p == m_point ? m_act(c) : HookResult::Continue;
    }
    Point m_point;
    Act m_act;
};

std::unique_ptr<ProbeHook> probe(ProbeHook::Point point, ProbeHook::Act act) {
    return std::make_unique<ProbeHook>(point, std::move(act));
}

// Trains in rounds of `rows`, as a run paused between rows does.
void trainInPieces(Trainer& t, int rows) {
    while (!t.finished())
        t.train(rows);
}

} // namespace

class TestHooks : public QObject {
    Q_OBJECT
  private slots:
    void stopsAtAnEpoch_data();
    void stopsAtAnEpoch();
    void stopsMidEpoch();
    void changesBetaAtABatch();
    void changesTheLearningRate();
    void refusesBadActions();
    void pointsAreCalledAsDocumented();
    void bestWeightsAreRestoredAndRecorded();
};

void TestHooks::stopsAtAnEpoch_data() {
    QTest::addColumn<int>("lbfgsIterations");
    QTest::addColumn<int>("stopAt");
    QTest::addRow("Adam epoch 4") << 0 << 4;
    QTest::addRow("L-BFGS iteration 3 (row 9)") << 5 << 9;
}

void TestHooks::stopsAtAnEpoch() {
    QFETCH(int, lbfgsIterations);
    QFETCH(int, stopAt);
    TrainConfig c = tinyConfig(6);
    c.lbfgsIterations = lbfgsIterations;
    Trainer plain(c);
    plain.trainAll();
    QCOMPARE(plain.epochsDone(), c.epochs + lbfgsIterations);

    Trainer stopped(c);
    stopped.addHook(probe(ProbeHook::AfterEpoch, [stopAt](HookContext& at) {
        return at.epoch() == stopAt ? HookResult::Stop : HookResult::Continue;
    }));
    int calls = 0;
    QCOMPARE(stopped.trainAll(nullptr, [&](const EpochMetrics&) { ++calls; }),
             StopReason::Completed);
    QCOMPARE(stopped.epochsDone(), stopAt);
    QCOMPARE(calls, stopAt); // the observer still sees the row the hook stopped at
    QCOMPARE(QString::fromStdString(stopped.stopMessage()),
             QStringLiteral("probe ended the run after epoch %1").arg(stopAt));
    QVERIFY(sameHistory(stopped.history(),
                        {plain.history().begin(), plain.history().begin() + stopAt}));
    QCOMPARE(stopped.hookActions().size(), std::size_t(1));
    const HookAction& stop = stopped.hookActions().front();
    QCOMPARE(stop.kind, HookAction::Kind::StopRun);
    QCOMPARE(stop.epoch, stopAt);
    QCOMPARE(stop.hook, std::string("probe"));
    QCOMPARE(stopped.train(3), StopReason::Completed); // over: nothing more
    QCOMPARE(stopped.epochsDone(), stopAt);
}

void TestHooks::stopsMidEpoch() {
    TrainConfig c = tinyConfig(6); // 4 batches an epoch
    Trainer t(c);
    t.addHook(probe(ProbeHook::AfterBatch, [](HookContext& at) {
        return at.epoch() == 3 && at.batch() == 2 ? HookResult::Stop : HookResult::Continue;
    }));
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QCOMPARE(t.epochsDone(), 2);
    QCOMPARE(QString::fromStdString(t.stopMessage()),
             QStringLiteral("probe ended the run in epoch 3 at batch 2 of 4"));
    // The weights are those after the batch: two batches past the end of epoch 2.
    Trainer two(c);
    two.train(2);
    QVERIFY(!sameParameters(t.network<float>().parameters(), two.network<float>().parameters()));
}

// A hook that sets beta after batch 2 of epoch 3 acts like the listed change at batch 3 of
// epoch 3, to the bit, and the trainer records what it did; pausing does not change it.
void TestHooks::changesBetaAtABatch() {
    TrainConfig c = smallConfig(6); // 8 batches an epoch
    auto setBeta = [] {
        return probe(ProbeHook::AfterBatch, [](HookContext& at) {
            if (at.epoch() == 3 && at.batch() == 2)
                at.setKnob(Knob::Beta, 10);
            return HookResult::Continue;
        });
    };
    Trainer hooked(c);
    hooked.addHook(setBeta());
    hooked.trainAll();
    QCOMPARE(hooked.knobValue(Knob::Beta), 10.0);
    QCOMPARE(hooked.hookActions().size(), std::size_t(1));
    const HookAction& a = hooked.hookActions().front();
    QCOMPARE(a.kind, HookAction::Kind::SetKnob);
    QCOMPARE(a.knob, Knob::Beta);
    QCOMPARE(a.epoch, 3);
    QCOMPARE(a.batch, 2);
    QCOMPARE(a.from, 1.0);
    QCOMPARE(a.to, 10.0);
    QCOMPARE(QString::fromStdString(describe(a)),
             QStringLiteral("epoch 3, batch 2: probe set beta 1 -> 10"));
    QVERIFY(hooked.config().changes.empty()); // a hook's change is its own, not the config's

    TrainConfig listed = c;
    listed.changes = {{3, 3, Knob::Beta, 10}};
    Trainer scheduled(listed);
    scheduled.trainAll();
    QVERIFY(sameHistory(hooked.history(), scheduled.history()));
    // The listed change is applied by the knob-change hook, and recorded as such.
    QCOMPARE(scheduled.hookActions().size(), std::size_t(1));
    QCOMPARE(scheduled.hookActions().front().hook, std::string("knob changes"));
    QCOMPARE(scheduled.hookActions().front().batch, 3);

    Trainer plain(c);
    plain.trainAll();
    QVERIFY(!sameHistory(hooked.history(), plain.history()));
    QVERIFY(sameHistory({hooked.history().begin(), hooked.history().begin() + 2},
                        {plain.history().begin(), plain.history().begin() + 2}));

    // Paused right before batch 2 and batch 3 of epoch 3, around the hook's change: an
    // observer raises the flag after those batches, the trainer reads it before the next.
    Trainer paused(c);
    paused.addHook(setBeta());
    std::atomic<bool> stop{false};
    paused.addHook(probe(ProbeHook::AfterBatch, [&stop](HookContext& at) {
        if (at.epoch() == 3 && at.batch() <= 2)
            stop = true;
        return HookResult::Continue;
    }));
    int pauses = 0;
    while (!paused.finished()) {
        stop = false;
        pauses += paused.trainAll(&stop) == StopReason::None;
    }
    QCOMPARE(pauses, 2);
    QVERIFY(sameHistory(hooked.history(), paused.history()));
    QVERIFY(
        sameParameters(hooked.network<float>().parameters(), paused.network<float>().parameters()));
    QCOMPARE(paused.hookActions().size(), std::size_t(1));
}

void TestHooks::changesTheLearningRate() {
    TrainConfig c = tinyConfig(5);
    Trainer t(c);
    t.addHook(probe(ProbeHook::AfterEpoch, [](HookContext& at) {
        if (at.epoch() == 2)
            at.setKnob(Knob::LearningRate, at.knob(Knob::LearningRate) * 10);
        return HookResult::Continue;
    }));
    t.trainAll();
    QCOMPARE(t.history()[1].learningRate, 1e-3);
    QCOMPARE(t.history()[2].learningRate, 1e-2);
    QCOMPARE(t.hookActions().front().to, 1e-2);
}

void TestHooks::refusesBadActions() {
    TrainConfig c = tinyConfig(3);
    c.alpha = 0;
    for (const auto& [act, error] :
         std::vector<std::pair<std::function<void(HookContext&)>, QString>>{
             {[](HookContext& at) { at.setKnob(Knob::Beta, 0); }, "both be 0"},
             {[](HookContext& at) { at.setKnob(Knob::Beta, -1); }, "beta must be"},
             {[](HookContext& at) { at.setLearningRate(1e-2); }, "schedule=plateau"},
             {[](HookContext& at) { at.row(); }, "afterEpoch"}}) {
        Trainer t(c);
        t.addHook(probe(ProbeHook::AfterBatch, [act = act](HookContext& at) {
            act(at);
            return HookResult::Continue;
        }));
        try {
            t.train(1);
            QFAIL("accepted");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains(error), e.what());
        }
    }
}

// Phase start once per phase, batches only in the mini-batch phase, a row after each epoch
// and iteration, completion once, however the run is cut into pieces.
void TestHooks::pointsAreCalledAsDocumented() {
    TrainConfig c = tinyConfig(3); // 4 batches an epoch
    c.lbfgsIterations = 2;
    std::vector<std::pair<Phase, int>> starts;
    auto hook = probe(ProbeHook::PhaseStart, [&](HookContext& at) {
        starts.emplace_back(at.phase(), at.epoch());
        return HookResult::Continue;
    });
    ProbeHook& seen = *hook;
    Trainer t(c);
    t.addHook(std::move(hook));
    trainInPieces(t, 1);
    QCOMPARE(t.epochsDone(), 5);
    QCOMPARE(seen.calls[ProbeHook::PhaseStart], 2);
    QCOMPARE(seen.calls[ProbeHook::BeforeBatch], 12);
    QCOMPARE(seen.calls[ProbeHook::AfterBatch], 12);
    QCOMPARE(seen.calls[ProbeHook::AfterEpoch], 5);
    QCOMPARE(seen.calls[ProbeHook::Completion], 1);
    QCOMPARE(starts, (std::vector<std::pair<Phase, int>>{{Phase::Adam, 1}, {Phase::Lbfgs, 4}}));
    t.reset();
    QCOMPARE(seen.calls[ProbeHook::AfterEpoch], 0);
}

void TestHooks::bestWeightsAreRestoredAndRecorded() {
    TrainConfig c = smallConfig(12);
    c.learningRate = 0.2; // jumps about: the last epoch is not the best
    c.restoreBest = true;
    Trainer t(c);
    t.trainAll();
    const FitReport r = t.report();
    QVERIFY2(r.best.epoch != t.epochsDone(), "the last epoch was the best; pick another rate");
    QVERIFY(QString::fromStdString(t.stopMessage())
                .endsWith(QStringLiteral("restored the weights of epoch %1 (lowest validation "
                                         "loss)")
                              .arg(r.best.epoch)));
    QCOMPARE(t.hookActions().back().kind, HookAction::Kind::RestoreWeights);
    QCOMPARE(t.hookActions().back().hook, std::string("best weights"));
    QCOMPARE(int(t.hookActions().back().to), r.best.epoch);
    // The restored network is the one of that epoch: a run stopped there holds it.
    TrainConfig upTo = c;
    upTo.restoreBest = false;
    Trainer atBest(upTo);
    atBest.train(r.best.epoch);
    QVERIFY(sameParameters(t.network<float>().parameters(), atBest.network<float>().parameters()));
}

QTEST_GUILESS_MAIN(TestHooks)
#include "tst_hooks.moc"
