// SPDX-License-Identifier: GPL-3.0-or-later
// Adam against steps computed by hand in double.
//
// core/adam.cpp implements Adam as Keras does (tf.keras.optimizers.Adam): epsilon is the
// "epsilon hat" of Kingma & Ba (2015), the formula just before section 2.1, added to sqrt(v)
// and not to sqrt(v_hat), with the bias correction folded into the step size:
//   m_t = b1 m + (1 - b1) g,   v_t = b2 v + (1 - b2) g^2,
//   theta -= lr sqrt(1 - b2^t) / (1 - b1^t) * m_t / (sqrt(v_t) + eps).
// In terms of the bias-corrected moments m_hat = m_t / (1 - b1^t), v_hat = v_t / (1 - b2^t)
// that is  theta -= lr m_hat / (sqrt(v_hat) + eps / sqrt(1 - b2^t)),  which is how the
// expected steps below are written.
#include "core/optim/adam.h"

#include <QtTest>

#include <cmath>
#include <tuple>
#include <vector>

using namespace sobolev;

class TestAdam : public QObject {
    Q_OBJECT
  private slots:
    void firstStepIsLrTimesSign_data();
    void firstStepIsLrTimesSign();
    void biasCorrectedSteps_data();
    void biasCorrectedSteps();
    void resetStartsOver();
    void stepsThroughTheObjective();
    void paramsAreChecked_data();
    void paramsAreChecked();
};

namespace {

constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-7;
// The moments are float and are updated with the betas rounded to float, as Keras does in
// float32: 1 - float(0.999) = 9.9998713e-4 is 1.3e-5 (relative) below 1e-3, which moves a
// step by 6.4e-6. The step size lr sqrt(1 - b2^t) / (1 - b1^t) is computed in double.
const double b1f = double(float(b1)), b2f = double(float(b2));

// Float arithmetic in the step (moments, sqrt, division) leaves a few ulps; 1e-6 relative is
// ~8 ulps, and far below what a wrong bias correction or a misplaced epsilon changes.
constexpr double floatTolerance = 1e-6;

// Hand-rolled Adam for one parameter, in double (betas in the moments as the float ones).
struct HandAdam {
    double lr, m = 0, v = 0, theta = 0;
    int t = 0;
    void step(double g) {
        ++t;
        m = b1f * m + (1 - b1f) * g;
        v = b2f * v + (1 - b2f) * g * g;
        const double mHat = m / (1 - std::pow(b1, t));
        const double vHat = v / (1 - std::pow(b2, t));
        theta -= lr * mHat / (std::sqrt(vHat) + eps / std::sqrt(1 - std::pow(b2, t)));
    }
};

} // namespace

void TestAdam::firstStepIsLrTimesSign_data() {
    QTest::addColumn<double>("lr");
    QTest::addRow("lr 1e-3") << 1e-3;
    QTest::addRow("lr 0.1") << 0.1;
    QTest::addRow("lr 1") << 1.0;
}

void TestAdam::firstStepIsLrTimesSign() {
    QFETCH(double, lr);
    // After one step m_hat = g and v_hat = g^2, so the step is
    //   lr g / (|g| + eps / sqrt(1 - b2)) = lr sign(g) (1 - d),  d = e / (|g| + e),
    // with e = eps / sqrt(1 - b2) = 1e-7 / sqrt(1e-3) = 3.16e-6: about lr sign(g) for any
    // gradient well above 3e-6, whatever its size. The float betas add 6.4e-6 (see b2f), so
    // the tolerance is lr (d + 1e-5).
    const std::vector<double> grads = {1.0, -1.0, 0.37, -2.5e-2, 1e-3, -1e3, 4e5, 1e-4};
    Eigen::VectorXf params = Eigen::VectorXf::Zero(Eigen::Index(grads.size()));
    Eigen::VectorXf grad(params.size());
    for (std::size_t i = 0; i < grads.size(); ++i)
        grad[Eigen::Index(i)] = float(grads[i]);
    Adam<float> adam(params.size());
    adam.update(params, grad, lr);
    QCOMPARE(adam.steps(), 1LL);
    const double e = eps / std::sqrt(1 - b2);
    for (Eigen::Index i = 0; i < params.size(); ++i) {
        const double g = grad[i];
        const double step = -double(params[i]);
        const double sign = g > 0 ? 1.0 : -1.0;
        const double d = e / (std::abs(g) + e);
        // |step - lr sign(g)| is lr d, up to float rounding.
        QVERIFY2(std::abs(step - lr * sign) <= lr * (d + 1e-5),
                 qPrintable(QStringLiteral("g = %1: step %2, lr sign(g) = %3")
                                .arg(g)
                                .arg(step)
                                .arg(lr * sign)));
        // And exactly the hand-computed first step, float betas included.
        HandAdam hand{lr};
        hand.step(g);
        QVERIFY2(
            std::abs(step + hand.theta) <= floatTolerance * lr,
            qPrintable(
                QStringLiteral("g = %1: step %2, by hand %3").arg(g).arg(step).arg(-hand.theta)));
    }
}

void TestAdam::biasCorrectedSteps_data() {
    QTest::addColumn<double>("lr");
    QTest::addColumn<QList<double>>("grads");
    // Steps 2 and 3 are where the bias correction (1 - b1^t, 1 - b2^t) and the moments'
    // memory show: the gradient changes sign and size.
    QTest::addRow("sign change") << 1e-3 << QList<double>{1.0, -2.0, 0.5};
    QTest::addRow("growing") << 1e-2 << QList<double>{0.1, 1.0, 10.0};
    QTest::addRow("zero, then large") << 1e-3 << QList<double>{0.0, 3.0, 0.0};
    // Near e = 3.16e-6 the epsilon's place matters: added to sqrt(v) inside the folded step
    // (Keras) and not to sqrt(v_hat).
    QTest::addRow("gradient near epsilon") << 1e-3 << QList<double>{1e-5, 2e-6, -1e-5};
    QTest::addRow("large") << 0.5 << QList<double>{-1e3, -1e3, 2e3};
    QTest::addRow("five steps") << 1e-3 << QList<double>{0.3, -0.1, 0.2, 0.7, -0.4};
}

void TestAdam::biasCorrectedSteps() {
    QFETCH(double, lr);
    QFETCH(QList<double>, grads);
    Eigen::VectorXf params = Eigen::VectorXf::Zero(1);
    Eigen::VectorXf grad(1);
    Adam<float> adam(1);
    HandAdam hand{lr};
    for (int t = 1; t <= grads.size(); ++t) {
        grad[0] = float(grads[t - 1]);
        adam.update(params, grad, lr);
        hand.step(grads[t - 1]);
        QCOMPARE(adam.steps(), (long long)t);
        // The error of each float step (at most ~lr) adds up over t steps.
        QVERIFY2(std::abs(double(params[0]) - hand.theta) <= t * floatTolerance * lr,
                 qPrintable(QStringLiteral("step %1: theta %2, by hand %3 (m %4, v %5)")
                                .arg(t)
                                .arg(params[0], 0, 'g', 10)
                                .arg(hand.theta, 0, 'g', 10)
                                .arg(hand.m)
                                .arg(hand.v)));
    }
}

void TestAdam::resetStartsOver() {
    Eigen::VectorXf params = Eigen::VectorXf::Zero(1), grad = Eigen::VectorXf::Constant(1, 0.5f);
    Adam<float> adam(1);
    for (int t = 0; t < 4; ++t)
        adam.update(params, grad, 1e-3);
    adam.reset();
    QCOMPARE(adam.steps(), 0LL);
    // After a reset the next step is a first step again: m = v = 0, t = 1.
    params.setZero();
    grad[0] = -2.0f;
    adam.update(params, grad, 1e-3);
    HandAdam hand{1e-3};
    hand.step(-2.0);
    QVERIFY2(std::abs(double(params[0]) - hand.theta) <= floatTolerance * 1e-3,
             qPrintable(QStringLiteral("%1 vs %2").arg(params[0]).arg(hand.theta)));
}

// Through the optimiser interface: a step evaluates the objective at x and moves x as
// update() would; a non-finite loss or gradient is reported and leaves x where it was.
void TestAdam::stepsThroughTheObjective() {
    Eigen::VectorXf x = Eigen::VectorXf::Constant(2, 1.0f);
    Adam<float> adam(2);
    float lossValue = 0, gradValue = 0.5f;
    const Optimiser<float>::Objective objective = [&](const Eigen::VectorXf& at,
                                                      Eigen::VectorXf& g) {
        g.setConstant(at.size(), gradValue);
        return sobolevLoss(1, 1, lossValue, 0);
    };
    QCOMPARE(adam.start(x, objective).outcome, StepOutcome::Continue);
    QCOMPARE(x, Eigen::VectorXf::Constant(2, 1.0f)); // start() does not move
    const OptimiserStep first = adam.step(x, objective, 1e-3);
    QCOMPARE(first.outcome, StepOutcome::Continue);
    Eigen::VectorXf byHand = Eigen::VectorXf::Constant(2, 1.0f);
    Adam<float> plain(2);
    plain.update(byHand, Eigen::VectorXf::Constant(2, 0.5f), 1e-3);
    QCOMPARE(x, byHand);
    for (const auto& [loss, grad, why] : std::vector<std::tuple<float, float, QString>>{
             {NAN, 0.5f, "loss became NaN"},
             {INFINITY, 0.5f, "loss became infinite"},
             {1.0f, INFINITY, "gradient became infinite"}}) {
        lossValue = loss;
        gradValue = grad;
        const Eigen::VectorXf before = x;
        const OptimiserStep bad = adam.step(x, objective, 1e-3);
        QCOMPARE(bad.outcome, StepOutcome::NonFinite);
        QCOMPARE(QString::fromStdString(bad.why), why);
        QCOMPARE(x, before);
    }
    QCOMPARE(adam.steps(), 1LL);
}

void TestAdam::paramsAreChecked_data() {
    QTest::addColumn<double>("beta1");
    QTest::addColumn<double>("beta2");
    QTest::addColumn<double>("epsilon");
    QTest::addColumn<QString>("expected"); // empty: accepted
    QTest::addRow("defaults") << 0.9 << 0.999 << 1e-7 << "";
    QTest::addRow("beta1 1") << 1.0 << 0.999 << 1e-7 << "beta1 must be in [0, 1), got 1";
    QTest::addRow("beta2 -0.1") << 0.9 << -0.1 << 1e-7 << "beta2 must be in [0, 1)";
    QTest::addRow("beta2 NaN") << 0.9 << double(NAN) << 1e-7 << "beta2 must be in [0, 1)";
    QTest::addRow("epsilon 0") << 0.9 << 0.999 << 0.0 << "epsilon must be a finite number > 0";
}

void TestAdam::paramsAreChecked() {
    QFETCH(double, beta1);
    QFETCH(double, beta2);
    QFETCH(double, epsilon);
    QFETCH(QString, expected);
    const AdamParams params{beta1, beta2, epsilon};
    try {
        Adam<double> adam(3, params);
        QVERIFY2(expected.isEmpty(), "accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(!expected.isEmpty() && QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestAdam)
#include "tst_adam.moc"
