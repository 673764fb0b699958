// SPDX-License-Identifier: GPL-3.0-or-later
// Learning-rate schedules: values at chosen epochs, computed by hand from the formulas in
// core/schedule.h, and the rate each history row says it trained at.
#include "core/optim/schedule.h"
#include "core/train/plateauhook.h"
#include "core/train/trainer.h"
#include "testutil.h"

#include <QtTest>

#include <cmath>

using namespace sobolev;
using namespace sobolev::testutil;

namespace {

// The context a plateau hook sees after an epoch: the row and the schedule, nothing else.
class AfterEpoch final : public HookContext {
  public:
    explicit AfterEpoch(LearningRateSchedule& schedule) : m_schedule(schedule) {}
    // Shows the hook an epoch with this validation loss; the rate of the next epoch follows.
    void observe(PlateauHook& hook, double valLoss) {
        m_row.valLoss = valLoss;
        ++m_row.epoch;
        QCOMPARE(hook.afterEpoch(*this), HookResult::Continue);
    }

    Phase phase() const override { return Phase::Adam; }
    int epoch() const override { return m_row.epoch; }
    int batch() const override { return 0; }
    int batchesPerEpoch() const override { return 1; }
    const BatchLoss& batchLoss() const override { throw std::logic_error("after an epoch"); }
    const EpochMetrics& row() const override { return m_row; }
    void requestTermGradients() override { QFAIL("plateau needs no term gradients"); }
    const TermGradients& termGradients() const override {
        throw std::logic_error("after an epoch");
    }
    double knob(Knob knob) const override {
        return knob == Knob::LearningRate ? m_schedule.base() : 1.0;
    }
    void setKnob(Knob, double) override { QFAIL("plateau sets no knob"); }
    void setLossWeights(double, double) override { QFAIL("plateau sets no loss weights"); }
    void recordEvent(HookAction::Kind, Knob, double, double) override {
        QFAIL("plateau records no event");
    }
    double learningRate() const override { return m_schedule.rate(m_row.epoch); }
    void setLearningRate(double rate) override { m_schedule.setCurrent(rate); }
    Eigen::VectorXd parameters() const override { return {}; }
    Precision precision() const override { return Precision::Float32; }
    void restoreWeights(const Eigen::VectorXd&, Precision, int, const std::string&) override {
        QFAIL("plateau keeps no weights");
    }

  private:
    LearningRateSchedule& m_schedule;
    EpochMetrics m_row;
};

} // namespace

class TestSchedule : public QObject {
    Q_OBJECT
  private slots:
    void rateAtEpoch_data();
    void rateAtEpoch();
    void plateauWaitsForPatience();
    void historyCarriesTheRate_data();
    void historyCarriesTheRate();
    void cosineSettlesATinyRun();
};

void TestSchedule::rateAtEpoch_data() {
    QTest::addColumn<int>("schedule");
    QTest::addColumn<double>("floor");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<double>("expected");
    const auto row = [](const char* name, Schedule s, double floor, int epoch, double rate) {
        QTest::addRow("%s", name) << int(s) << floor << epoch << rate;
    };
    // lr 1e-3, 1000 epochs, floor 0.01 (1e-5) unless said otherwise.
    row("constant at 0", Schedule::Constant, 0.01, 0, 1e-3);
    row("constant at 999", Schedule::Constant, 0.01, 999, 1e-3);
    row("cosine at 0 is lr", Schedule::Cosine, 0.01, 0, 1e-3);
    // 1e-5 + (1e-3 - 1e-5) (1 + cos(pi/4)) / 2 = 1e-5 + 9.9e-4 x 0.853553390593
    row("cosine at 250", Schedule::Cosine, 0.01, 250, 1e-5 + 9.9e-4 * 0.8535533905932737);
    row("cosine at 500 is halfway", Schedule::Cosine, 0.01, 500, 1e-5 + 9.9e-4 * 0.5);
    row("cosine at 1000 is the floor", Schedule::Cosine, 0.01, 1000, 1e-5);
    row("cosine, floor 0.1, at 500", Schedule::Cosine, 0.1, 500, 1e-4 + 9e-4 * 0.5);
    row("exponential at 0 is lr", Schedule::Exponential, 0.01, 0, 1e-3);
    // 1e-3 x 0.01^(333/999) = 1e-3 x 10^(-2/3)
    row("exponential at 333", Schedule::Exponential, 0.01, 333, 1e-3 * 0.21544346900318838);
    row("exponential at 999 is the floor", Schedule::Exponential, 0.01, 999, 1e-5);
    // decay 0.5 every 250 epochs
    row("step at 249", Schedule::Step, 0.01, 249, 1e-3);
    row("step at 250", Schedule::Step, 0.01, 250, 5e-4);
    row("step at 999", Schedule::Step, 0.01, 999, 1.25e-4);
    row("step stops at the floor", Schedule::Step, 0.2, 999, 2e-4);
    row("plateau starts at lr", Schedule::Plateau, 0.01, 0, 1e-3);
}

void TestSchedule::rateAtEpoch() {
    QFETCH(int, schedule);
    QFETCH(double, floor);
    QFETCH(int, epoch);
    QFETCH(double, expected);
    TrainConfig c;
    c.schedule = Schedule(schedule);
    c.lrFloor = floor;
    const double rate = LearningRateSchedule(c).rate(epoch);
    QVERIFY2(
        std::abs(rate - expected) <= 1e-15 * expected,
        qPrintable(QStringLiteral("rate %1, expected %2").arg(rate, 0, 'g', 17).arg(expected)));
}

void TestSchedule::plateauWaitsForPatience() {
    TrainConfig c;
    c.schedule = Schedule::Plateau;
    c.patience = 3;
    c.decayFactor = 0.5;
    c.lrFloor = 0.3;
    LearningRateSchedule s(c);
    PlateauHook plateau(c);
    AfterEpoch at(s);
    at.observe(plateau, 1.0);
    at.observe(plateau, 0.99995); // within the 1e-4 relative threshold: not an improvement
    at.observe(plateau, 1.2);
    QCOMPARE(s.rate(3), 1e-3);
    at.observe(plateau, 1.0); // third epoch without improvement
    QCOMPARE(s.rate(4), 5e-4);
    at.observe(plateau, 0.5); // an improvement resets the count
    at.observe(plateau, 0.6);
    at.observe(plateau, 0.6);
    QCOMPARE(s.rate(7), 5e-4);
    at.observe(plateau, 0.6);
    QCOMPARE(s.rate(8), 3e-4); // 2.5e-4 is below the floor 0.3 x 1e-3
    s.reset();
    QCOMPARE(s.rate(0), 1e-3);
    // The hook forgets its best loss on reset: the first loss after it is a new best.
    plateau.reset();
    AfterEpoch again(s);
    for (double loss : {5.0, 5.0, 5.0})
        again.observe(plateau, loss);
    QCOMPARE(s.rate(3), 1e-3);
}

void TestSchedule::historyCarriesTheRate_data() {
    QTest::addColumn<int>("schedule");
    for (Schedule s : allSchedules())
        QTest::addRow("%s", std::string(scheduleName(s)).c_str()) << int(s);
}

void TestSchedule::historyCarriesTheRate() {
    QFETCH(int, schedule);
    TrainConfig c = tinyConfig(12);
    c.schedule = Schedule(schedule);
    c.stepEpochs = 4;
    c.patience = 2;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    LearningRateSchedule expected(c);
    PlateauHook plateau(c);
    AfterEpoch at(expected);
    for (const EpochMetrics& m : t.history()) {
        QVERIFY2(sameBits(m.learningRate, expected.rate(m.epoch - 1)),
                 qPrintable(QStringLiteral("epoch %1: %2").arg(m.epoch).arg(m.learningRate)));
        QCOMPARE(int(m.phase), int(Phase::Adam));
        if (c.schedule == Schedule::Plateau)
            at.observe(plateau, m.valLoss);
    }
    if (c.schedule != Schedule::Constant && c.schedule != Schedule::Plateau)
        QVERIFY(t.history().back().learningRate < c.learningRate);
}

// A schedule changes training, not only the logged rate: with lr 0.05 a constant rate keeps
// the loss jumping at the end, and the cosine decay ends lower.
void TestSchedule::cosineSettlesATinyRun() {
    TrainConfig c = smallConfig(60);
    c.learningRate = 0.05;
    Trainer constant(c);
    c.schedule = Schedule::Cosine;
    Trainer cosine(c);
    constant.trainAll();
    cosine.trainAll();
    QVERIFY(!sameHistory(constant.history(), cosine.history()));
    QVERIFY2(cosine.history().back().valLoss < constant.history().back().valLoss,
             qPrintable(QStringLiteral("cosine %1, constant %2")
                            .arg(cosine.history().back().valLoss)
                            .arg(constant.history().back().valLoss)));
}

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
