// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's phases: Adam alone, Adam then L-BFGS, L-BFGS alone, each from the config's
// list, each phase going on from the weights the one before ended with.
#include "core/optim/adam.h"
#include "core/optim/lbfgsoptimiser.h"
#include "core/problem/validate.h"
#include "core/train/phaseplan.h"
#include "core/train/trainer.h"
#include "coretestutil.h"

#include <QtTest>

using namespace sobolev;
using namespace sobolev::testutil;

class TestPhases : public QObject {
    Q_OBJECT
  private slots:
    void runsTheListedPhases_data();
    void runsTheListedPhases();
    void laterPhaseGoesOnFromTheEarlier();
    void adamEpsilonReachesAdam();
    void lbfgsParamsAreChecked_data();
    void lbfgsParamsAreChecked();
};

void TestPhases::runsTheListedPhases_data() {
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("iterations");
    QTest::addColumn<QString>("message");
    QTest::addRow("Adam only") << 4 << 0 << "completed 4 epochs";
    QTest::addRow("Adam, then L-BFGS") << 4 << 3 << "completed 4 epochs and 3 L-BFGS iterations";
    QTest::addRow("L-BFGS only") << 0 << 3 << "completed 3 L-BFGS iterations";
}

void TestPhases::runsTheListedPhases() {
    QFETCH(int, epochs);
    QFETCH(int, iterations);
    QFETCH(QString, message);
    TrainConfig c = tinyConfig(epochs);
    c.lbfgsIterations = iterations;
    QVERIFY2(validate(c).empty(), describe(validate(c)).c_str());
    std::vector<PhasePlan> expected;
    if (epochs > 0)
        expected.push_back({Phase::Adam, Batching::MiniBatch, epochs, Precision::Float32});
    if (iterations > 0)
        expected.push_back({Phase::Lbfgs, Batching::FullBatch, iterations, Precision::Float64});
    Trainer t(c);
    QCOMPARE(t.phases().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(t.phases()[i].optimiser, expected[i].optimiser);
        QCOMPARE(t.phases()[i].batching, expected[i].batching);
        QCOMPARE(t.phases()[i].rows, expected[i].rows);
        QCOMPARE(t.phases()[i].precision, expected[i].precision);
    }
    QCOMPARE(t.phase(), expected.front().optimiser);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QCOMPARE(QString::fromStdString(t.stopMessage()), message);
    QCOMPARE(t.epochsDone(), epochs + iterations);
    for (int row = 0; row < t.epochsDone(); ++row) {
        const EpochMetrics& m = t.history()[std::size_t(row)];
        QCOMPARE(m.phase, row < epochs ? Phase::Adam : Phase::Lbfgs);
        QCOMPARE(std::isnan(m.learningRate), row >= epochs); // L-BFGS has no rate
        QVERIFY(std::isfinite(m.loss) && std::isfinite(m.valLoss));
    }
    QCOMPARE(t.phase(), expected.back().optimiser);
    // The run ends in the last phase's precision.
    QCOMPARE(t.report().precision, expected.back().precision);
}

// The Adam rows of Adam + L-BFGS are those of Adam alone, to the bit; L-BFGS starts from
// the weights Adam ended with and lowers the training loss from there.
void TestPhases::laterPhaseGoesOnFromTheEarlier() {
    TrainConfig c = tinyConfig(5);
    Trainer adamOnly(c);
    adamOnly.trainAll();
    c.lbfgsIterations = 10;
    Trainer both(c);
    both.trainAll();
    QVERIFY(sameHistory(adamOnly.history(),
                        {both.history().begin(), both.history().begin() + c.epochs}));
    QVERIFY(sameParameters(adamOnly.network<float>().parameters(),
                           both.network<float>().parameters())); // L-BFGS runs in double
    // The first iteration's loss is at most the loss at Adam's end point, whose full-batch
    // value is recomputed here in double.
    Mlp<double> atAdamEnd(c.width, c.depth, c.activation);
    atAdamEnd.parameters() = adamOnly.network<float>().parameters().cast<double>();
    const Dataset& train = both.trainingData();
    const double start = atAdamEnd
                             .loss(train.x.cast<double>(), train.f.cast<double>(),
                                   train.fprime.cast<double>(), c.alpha, c.beta)
                             .loss;
    const double first = both.history()[std::size_t(c.epochs)].loss;
    QVERIFY2(first <= start, qPrintable(QStringLiteral("%1 > %2").arg(first).arg(start)));
    QVERIFY(both.history().back().loss < start);
}

// The config's adam_epsilon is the epsilon of the Adam phase: the default is Adam's own
// (Keras's 1e-7) to the bit, and another value changes the steps.
void TestPhases::adamEpsilonReachesAdam() {
    TrainConfig c = tinyConfig(3);
    QCOMPARE(c.adamEpsilon, AdamParams{}.epsilon);
    Trainer reference(c);
    reference.trainAll();
    c.adamEpsilon = 1e-7;
    Trainer explicitDefault(c);
    explicitDefault.trainAll();
    QVERIFY(sameHistory(reference.history(), explicitDefault.history()));
    c.adamEpsilon = 1e-2; // a sizeable share of sqrt(v) for these gradients: smaller steps
    Trainer larger(c);
    larger.trainAll();
    QVERIFY(!sameParameters(reference.network<float>().parameters(),
                            larger.network<float>().parameters()));
    QVERIFY(!sameHistory(reference.history(), larger.history()));
}

void TestPhases::lbfgsParamsAreChecked_data() {
    QTest::addColumn<int>("history");
    QTest::addColumn<double>("gradientTolerance");
    QTest::addColumn<double>("changeTolerance");
    QTest::addColumn<QString>("expected");
    QTest::addRow("defaults") << 10 << 0.0 << 0.0 << "";
    QTest::addRow("history 0") << 0 << 0.0 << 0.0 << "L-BFGS history must be from 1 to 1000, got 0";
    QTest::addRow("negative tolerance") << 10 << -1.0 << 0.0 << "gradient tolerance must be";
    QTest::addRow("NaN change tolerance") << 10 << 0.0 << double(NAN) << "change tolerance must";
}

void TestPhases::lbfgsParamsAreChecked() {
    QFETCH(int, history);
    QFETCH(double, gradientTolerance);
    QFETCH(double, changeTolerance);
    QFETCH(QString, expected);
    const LbfgsParams params{history, gradientTolerance, changeTolerance};
    try {
        LbfgsOptimiser<double> lbfgs(params);
        QVERIFY2(expected.isEmpty(), "accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(!expected.isEmpty() && QString(e.what()).contains(expected), e.what());
    }
    // The config's knobs become the phase's parameters one for one.
    TrainConfig c;
    c.lbfgsHistory = 7;
    c.lbfgsGradientTolerance = 1e-9;
    c.lbfgsChangeTolerance = 1e-12;
    const LbfgsParams fromConfig = LbfgsParams::fromConfig(c);
    QCOMPARE(fromConfig.history, 7);
    QCOMPARE(fromConfig.gradientTolerance, 1e-9);
    QCOMPARE(fromConfig.changeTolerance, 1e-12);
}

QTEST_GUILESS_MAIN(TestPhases)
#include "tst_phases.moc"
