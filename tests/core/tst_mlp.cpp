#include "mlp.h"
#include "random.h"

#include <QtTest>

using namespace sobolev;
using MlpD = Mlp<double>;

class TestMlp : public QObject {
    Q_OBJECT
private slots:
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void inputDerivativeMatchesFiniteDifferences_data();
    void inputDerivativeMatchesFiniteDifferences();
    void floatAgreesWithDouble();
    void glorotLimits();
    void predictChunksLargeInputs();
};

namespace {

struct Batch {
    Eigen::RowVectorXd x, f, fp;
};

Batch randomBatch(int n, Rng& rng) {
    Batch b{Eigen::RowVectorXd(n), Eigen::RowVectorXd(n), Eigen::RowVectorXd(n)};
    for (int i = 0; i < n; ++i) {
        b.x[i] = rng.uniform(-1, 1);
        b.f[i] = rng.uniform(-1, 1);
        b.fp[i] = rng.uniform(-2, 2);
    }
    return b;
}

MlpD randomNet(int width, int depth, Activation act, Rng& rng) {
    MlpD net(width, depth, act);
    net.initGlorot(rng);
    // Non-zero biases, so that their gradients are exercised away from the symmetric start.
    for (Eigen::Index i = 0; i < net.parameterCount(); ++i)
        net.parameters()[i] += 0.1 * rng.uniform(-1, 1);
    return net;
}

// Fourth-order central difference: truncation O(h^4), so h = 1e-3 leaves ~1e-12.
template <typename F>
double derivative(F&& f, double h = 1e-3) {
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
}

void addActivationRows() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("activation");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<double>("beta");
    for (Activation a : allActivations()) {
        const char* name = activationName(a).data();
        QTest::addRow("%s w1 d1 a1 b1", name) << 1 << 1 << int(a) << 1.0 << 1.0;
        QTest::addRow("%s w8 d1 a1 b0", name) << 8 << 1 << int(a) << 1.0 << 0.0;
        QTest::addRow("%s w8 d2 a0 b1", name) << 8 << 2 << int(a) << 0.0 << 1.0;
        QTest::addRow("%s w16 d3 a2 b0.5", name) << 16 << 3 << int(a) << 2.0 << 0.5;
        QTest::addRow("%s w5 d4 a1 b3", name) << 5 << 4 << int(a) << 1.0 << 3.0;
    }
}

} // namespace

void TestMlp::gradientMatchesFiniteDifferences_data() { addActivationRows(); }

void TestMlp::gradientMatchesFiniteDifferences() {
    QFETCH(int, width);
    QFETCH(int, depth);
    QFETCH(int, activation);
    QFETCH(double, alpha);
    QFETCH(double, beta);
    Rng rng(width * 100 + depth);
    MlpD net = randomNet(width, depth, Activation(activation), rng);
    const Batch b = randomBatch(7, rng);

    MlpD::Vector grad;
    net.lossAndGradient(b.x, b.f, b.fp, alpha, beta, grad);
    QCOMPARE(grad.size(), net.parameterCount());

    const double scale = grad.cwiseAbs().maxCoeff();
    QVERIFY(scale > 0);
    double worst = 0;
    Eigen::Index worstIndex = -1;
    for (Eigen::Index i = 0; i < net.parameterCount(); ++i) {
        const double saved = net.parameters()[i];
        const double numeric = derivative([&](double h) {
            net.parameters()[i] = saved + h;
            return net.loss(b.x, b.f, b.fp, alpha, beta).loss;
        });
        net.parameters()[i] = saved;
        // Relative to the component, floored at 1e-3 of the largest one so that a
        // component that is zero up to rounding does not divide by zero.
        const double denom = std::max({std::abs(grad[i]), std::abs(numeric), 1e-3 * scale});
        const double rel = std::abs(grad[i] - numeric) / denom;
        if (rel > worst) {
            worst = rel;
            worstIndex = i;
        }
    }
    QVERIFY2(worst < 1e-6, qPrintable(QStringLiteral("worst relative error %1 at parameter %2")
                                          .arg(worst)
                                          .arg(worstIndex)));
}

void TestMlp::inputDerivativeMatchesFiniteDifferences_data() { addActivationRows(); }

void TestMlp::inputDerivativeMatchesFiniteDifferences() {
    QFETCH(int, width);
    QFETCH(int, depth);
    QFETCH(int, activation);
    Rng rng(7 + width);
    MlpD net = randomNet(width, depth, Activation(activation), rng);
    const Batch b = randomBatch(9, rng);
    Eigen::RowVectorXd y(9), dy(9), yh(1), dyh(1);
    net.predict(b.x, y, dy);
    for (int i = 0; i < 9; ++i) {
        const double numeric = derivative([&](double h) {
            Eigen::RowVectorXd xh(1);
            xh[0] = b.x[i] + h;
            net.predict(xh, yh, dyh);
            return yh[0];
        });
        const double rel = std::abs(dy[i] - numeric) / std::max(std::abs(numeric), 1e-6);
        QVERIFY2(rel < 1e-6, qPrintable(QStringLiteral("x=%1: exact %2, numeric %3")
                                            .arg(b.x[i])
                                            .arg(dy[i])
                                            .arg(numeric)));
    }
}

void TestMlp::floatAgreesWithDouble() {
    Rng rng(3);
    MlpD netD = randomNet(32, 2, Activation::Tanh, rng);
    Mlp<float> netF(32, 2, Activation::Tanh);
    netF.parameters() = netD.parameters().cast<float>();
    const Batch b = randomBatch(64, rng);
    MlpD::Vector gradD;
    Mlp<float>::Vector gradF;
    const BatchLoss lossD = netD.lossAndGradient(b.x, b.f, b.fp, 1.0, 1.0, gradD);
    const BatchLoss lossF = netF.lossAndGradient(b.x.cast<float>(), b.f.cast<float>(),
                                                 b.fp.cast<float>(), 1.0f, 1.0f, gradF);
    QVERIFY(std::abs(lossD.loss - lossF.loss) < 1e-5 * lossD.loss);
    QVERIFY((gradD - gradF.cast<double>()).norm() < 1e-4 * gradD.norm());
}

void TestMlp::glorotLimits() {
    Rng rng(1);
    MlpD net(64, 2, Activation::Tanh);
    net.initGlorot(rng);
    // Layer 2 weights are 64x64 after layer 1's 64 weights and 64 biases.
    const auto& p = net.parameters();
    const double limit = std::sqrt(6.0 / 128.0);
    const auto w2 = p.segment(128, 64 * 64);
    QVERIFY(w2.cwiseAbs().maxCoeff() <= limit);
    QVERIFY(w2.cwiseAbs().maxCoeff() > 0.95 * limit);
    QCOMPARE(p.segment(128 + 64 * 64, 64).cwiseAbs().maxCoeff(), 0.0); // biases are zero
    QVERIFY(std::abs(w2.mean()) < 0.05 * limit);
}

void TestMlp::predictChunksLargeInputs() {
    Rng rng(5);
    MlpD small = randomNet(8, 2, Activation::Tanh, rng);
    MlpD large = small;
    small.reserve(3);
    const Batch b = randomBatch(100, rng);
    Eigen::RowVectorXd y1(100), dy1(100), y2(100), dy2(100);
    small.predict(b.x, y1, dy1);
    large.reserve(100);
    large.predict(b.x, y2, dy2);
    QVERIFY((y1 - y2).cwiseAbs().maxCoeff() < 1e-14);
    QVERIFY((dy1 - dy2).cwiseAbs().maxCoeff() < 1e-14);
}

QTEST_GUILESS_MAIN(TestMlp)
#include "tst_mlp.moc"
