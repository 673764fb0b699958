// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/fullbatch.h"
#include "core/model/mlp.h"
#include "core/problem/random.h"

#include <QtTest>

using namespace sobolev;
using MlpD = Mlp<double>;

class TestMlp : public QObject {
    Q_OBJECT
  private slots:
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void maskedGradientMatchesFiniteDifferences_data();
    void maskedGradientMatchesFiniteDifferences();
    void maskedLossAveragesOverKnownRows();
    void termGradientsMatchFiniteDifferences_data();
    void termGradientsMatchFiniteDifferences();
    void maskedPassesMatchOneBatch();
    void inputDerivativeMatchesFiniteDifferences_data();
    void inputDerivativeMatchesFiniteDifferences();
    void widthOneMatchesClosedForm_data();
    void widthOneMatchesClosedForm();
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
template <typename F> double derivative(F&& f, double h = 1e-3) {
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

// The worst error of `grad` against a central difference of the loss, relative to the
// component and floored at 1e-3 of the largest one so that a component that is zero up to
// rounding does not divide by zero; and the parameter where it is.
std::pair<double, Eigen::Index> worstGradientError(MlpD& net, const Batch& b, double alpha,
                                                   double beta, const MlpD::Vector& grad) {
    const double scale = grad.cwiseAbs().maxCoeff();
    double worst = 0;
    Eigen::Index worstIndex = -1;
    for (Eigen::Index i = 0; i < net.parameterCount(); ++i) {
        const double saved = net.parameters()[i];
        const double numeric = derivative([&](double h) {
            net.parameters()[i] = saved + h;
            return net.loss(b.x, b.f, b.fp, alpha, beta).loss;
        });
        net.parameters()[i] = saved;
        const double denom = std::max({std::abs(grad[i]), std::abs(numeric), 1e-3 * scale});
        const double rel = std::abs(grad[i] - numeric) / denom;
        if (rel > worst) {
            worst = rel;
            worstIndex = i;
        }
    }
    return {worst, worstIndex};
}

} // namespace

void TestMlp::gradientMatchesFiniteDifferences_data() {
    addActivationRows();
}

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

    QVERIFY(grad.cwiseAbs().maxCoeff() > 0);
    const auto [worst, worstIndex] = worstGradientError(net, b, alpha, beta, grad);
    QVERIFY2(
        worst < 1e-6,
        qPrintable(
            QStringLiteral("worst relative error %1 at parameter %2").arg(worst).arg(worstIndex)));
}

// Measured data without f' on some rows hold NaN there: the beta term averages over the
// rows that have it, and the exact gradient must stay exact.
void TestMlp::maskedGradientMatchesFiniteDifferences_data() {
    addActivationRows();
}

void TestMlp::maskedGradientMatchesFiniteDifferences() {
    QFETCH(int, width);
    QFETCH(int, depth);
    QFETCH(int, activation);
    QFETCH(double, alpha);
    QFETCH(double, beta);
    Rng rng(width * 31 + depth);
    MlpD net = randomNet(width, depth, Activation(activation), rng);
    Batch b = randomBatch(9, rng);
    for (int i : {0, 3, 4, 7}) // f' missing on 4 of the 9 rows
        b.fp[i] = std::nan("");

    MlpD::Vector grad;
    const BatchLoss terms = net.lossAndGradient(b.x, b.f, b.fp, alpha, beta, grad);
    QVERIFY(std::isfinite(terms.loss));
    QVERIFY(grad.allFinite());
    QVERIFY(grad.cwiseAbs().maxCoeff() > 0);
    const auto [worst, worstIndex] = worstGradientError(net, b, alpha, beta, grad);
    QVERIFY2(
        worst < 1e-6,
        qPrintable(
            QStringLiteral("worst relative error %1 at parameter %2").arg(worst).arg(worstIndex)));
}

void TestMlp::maskedLossAveragesOverKnownRows() {
    Rng rng(5);
    MlpD net = randomNet(6, 2, Activation::Tanh, rng);
    Batch b = randomBatch(8, rng);
    Eigen::RowVectorXd y(8), dy(8);
    net.predict(b.x, y, dy);
    for (int i = 0; i < 8; i += 2)
        b.fp[i] = std::nan("");
    double expected = 0;
    for (int i = 1; i < 8; i += 2)
        expected += (dy[i] - b.fp[i]) * (dy[i] - b.fp[i]);
    expected /= 4;
    const BatchLoss terms = net.loss(b.x, b.f, b.fp, 1.0, 2.0);
    QCOMPARE(terms.mseFprime, expected);
    QCOMPARE(terms.loss, terms.mseF + 2.0 * expected);
    // No row with f': the beta term is 0, and so is its share of the gradient.
    b.fp.setConstant(std::nan(""));
    MlpD::Vector withBeta, withoutBeta;
    const BatchLoss none = net.lossAndGradient(b.x, b.f, b.fp, 1.0, 5.0, withBeta);
    QCOMPARE(none.mseFprime, 0.0);
    net.lossAndGradient(b.x, b.f, b.fp, 1.0, 0.0, withoutBeta);
    QCOMPARE(withBeta, withoutBeta);
}

// Each term's gradient apart (for rules that weigh the terms themselves): grad MSE_f and
// grad MSE_f' each match a finite difference of their own term, and weighted by alpha and
// beta they add up to the single pass's gradient.
void TestMlp::termGradientsMatchFiniteDifferences_data() {
    addActivationRows();
}

void TestMlp::termGradientsMatchFiniteDifferences() {
    QFETCH(int, width);
    QFETCH(int, depth);
    QFETCH(int, activation);
    QFETCH(double, alpha);
    QFETCH(double, beta);
    Rng rng(width * 7 + depth);
    MlpD net = randomNet(width, depth, Activation(activation), rng);
    for (const bool masked : {false, true}) {
        Batch b = randomBatch(9, rng);
        if (masked)
            for (int i : {1, 2, 5})
                b.fp[i] = std::nan("");
        MlpD::Vector gradF, gradFprime, single;
        const BatchLoss terms =
            net.lossAndTermGradients(b.x, b.f, b.fp, alpha, beta, gradF, gradFprime);
        const BatchLoss once = net.lossAndGradient(b.x, b.f, b.fp, alpha, beta, single);
        QCOMPARE(terms.loss, once.loss);
        QCOMPARE(terms.mseFprime, once.mseFprime);
        const auto [worstF, atF] = worstGradientError(net, b, 1.0, 0.0, gradF);
        QVERIFY2(worstF < 1e-6,
                 qPrintable(QStringLiteral("grad MSE_f: %1 at parameter %2").arg(worstF).arg(atF)));
        const auto [worstFp, atFp] = worstGradientError(net, b, 0.0, 1.0, gradFprime);
        QVERIFY2(
            worstFp < 1e-6,
            qPrintable(QStringLiteral("grad MSE_f': %1 at parameter %2").arg(worstFp).arg(atFp)));
        // The same products summed in another order: rounding apart, nothing more.
        const MlpD::Vector sum = alpha * gradF + beta * gradFprime;
        const double gap = (sum - single).cwiseAbs().maxCoeff();
        QVERIFY2(gap <= 1e-13 * single.cwiseAbs().maxCoeff(),
                 qPrintable(QStringLiteral("alpha gF + beta gF' is %1 off").arg(gap)));
    }
}

void TestMlp::maskedPassesMatchOneBatch() {
    Rng rng(11);
    MlpD net = randomNet(5, 2, Activation::Tanh, rng);
    Batch b = randomBatch(10, rng);
    for (int i : {0, 1, 2, 6}) // the first pass of 3 has no f' at all
        b.fp[i] = std::nan("");
    MlpD::Vector whole, passes, passesOnTwoThreads;
    const BatchLoss one = net.lossAndGradient(b.x, b.f, b.fp, 1.5, 0.7, whole);
    FullBatch<double> serial(5, 2, Activation::Tanh, 1, 3), parallel(5, 2, Activation::Tanh, 2, 3);
    const BatchLoss many =
        serial.lossAndGradient(net.parameters(), b.x, b.f, b.fp, 1.5, 0.7, passes);
    const BatchLoss onTwo =
        parallel.lossAndGradient(net.parameters(), b.x, b.f, b.fp, 1.5, 0.7, passesOnTwoThreads);
    QVERIFY(std::abs(one.loss - many.loss) < 1e-14 * one.loss);
    QVERIFY(std::abs(one.mseFprime - many.mseFprime) < 1e-14 * one.mseFprime);
    QVERIFY((whole - passes).cwiseAbs().maxCoeff() < 1e-14 * whole.cwiseAbs().maxCoeff());
    QCOMPARE(onTwo.loss, many.loss);
    QVERIFY(passesOnTwoThreads == passes);
}

void TestMlp::inputDerivativeMatchesFiniteDifferences_data() {
    addActivationRows();
}

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
        QVERIFY2(
            rel < 1e-6,
            qPrintable(
                QStringLiteral("x=%1: exact %2, numeric %3").arg(b.x[i]).arg(dy[i]).arg(numeric)));
    }
}

namespace {

// sigma, sigma', sigma'' of each activation, written from the textbook formulas.
struct Sigma {
    double s, d1, d2;
};

Sigma sigma(Activation a, double z) {
    switch (a) {
    case Activation::Tanh: {
        const double t = std::tanh(z);
        return {t, 1 - t * t, -2 * t * (1 - t * t)}; // tanh' = sech^2, tanh'' = -2 tanh sech^2
    }
    case Activation::Sin:
        return {std::sin(z), std::cos(z), -std::sin(z)};
    case Activation::Softplus: {
        const double sg = 1 / (1 + std::exp(-z)); // softplus' = logistic sigmoid
        return {std::log1p(std::exp(z)), sg, sg * (1 - sg)};
    }
    }
    return {};
}

} // namespace

void TestMlp::widthOneMatchesClosedForm_data() {
    QTest::addColumn<int>("activation");
    QTest::addColumn<QList<double>>("theta"); // w1, b1, w2, b2
    QTest::addColumn<double>("alpha");
    QTest::addColumn<double>("beta");
    for (Activation a : allActivations()) {
        const char* name = activationName(a).data();
        QTest::addRow("%s", name) << int(a) << QList<double>{0.8, -0.3, 1.7, 0.25} << 1.0 << 1.0;
        QTest::addRow("%s negative weights, alpha 0.4 beta 2.5", name)
            << int(a) << QList<double>{-1.3, 0.6, -0.9, -0.1} << 0.4 << 2.5;
        QTest::addRow("%s alpha 0", name)
            << int(a) << QList<double>{2.1, 0.2, 0.5, 1.0} << 0.0 << 1.0;
        QTest::addRow("%s beta 0", name)
            << int(a) << QList<double>{0.5, -1.1, 3.0, -0.7} << 1.5 << 0.0;
    }
}

void TestMlp::widthOneMatchesClosedForm() {
    QFETCH(int, activation);
    QFETCH(QList<double>, theta);
    QFETCH(double, alpha);
    QFETCH(double, beta);
    const Activation act = Activation(activation);
    // One hidden neuron: y = w2 s(w1 x + b1) + b2, and by the chain rule
    // y' = dy/dx = w2 s'(z) w1. Parameters are laid out [w1, b1, w2, b2] (W then b per layer).
    MlpD net(1, 1, act);
    QCOMPARE(net.parameterCount(), Eigen::Index(4));
    const double w1 = theta[0], b1 = theta[1], w2 = theta[2], b2 = theta[3];
    net.parameters() << w1, b1, w2, b2;

    const int n = 5;
    Eigen::RowVectorXd x(n), f(n), fp(n);
    x << -1.0, -0.35, 0.0, 0.4, 0.9;
    f << 0.1, -0.2, 0.7, 0.3, -0.5;
    fp << 1.0, -0.5, 0.0, 2.0, 0.3;

    Eigen::RowVectorXd y(n), dy(n);
    net.predict(x, y, dy);
    // L = alpha/n sum r_i^2 + beta/n sum q_i^2 with r = y - f, q = y' - f'.
    // dL/dp = 2 alpha/n sum r dy/dp + 2 beta/n sum q dy'/dp, where
    //   dy/dw1 = w2 s' x,  dy/db1 = w2 s',  dy/dw2 = s,          dy/db2 = 1,
    //   dy'/dw1 = w2 (s'' x w1 + s'),  dy'/db1 = w2 s'' w1,  dy'/dw2 = s' w1,  dy'/db2 = 0.
    double loss = 0, mseF = 0, mseFp = 0;
    Eigen::Vector4d grad = Eigen::Vector4d::Zero();
    for (int i = 0; i < n; ++i) {
        const Sigma s = sigma(act, w1 * x[i] + b1);
        const double value = w2 * s.s + b2, slope = w2 * s.d1 * w1;
        QVERIFY2(
            std::abs(y[i] - value) <= 1e-14 * std::max(1.0, std::abs(value)),
            qPrintable(
                QStringLiteral("x = %1: y %2, closed form %3").arg(x[i]).arg(y[i]).arg(value)));
        QVERIFY2(
            std::abs(dy[i] - slope) <= 1e-14 * std::max(1.0, std::abs(slope)),
            qPrintable(
                QStringLiteral("x = %1: y' %2, closed form %3").arg(x[i]).arg(dy[i]).arg(slope)));
        const double r = value - f[i], q = slope - fp[i];
        mseF += r * r / n;
        mseFp += q * q / n;
        const Eigen::Vector4d dyd(w2 * s.d1 * x[i], w2 * s.d1, s.s, 1.0);
        const Eigen::Vector4d dypd(w2 * (s.d2 * x[i] * w1 + s.d1), w2 * s.d2 * w1, s.d1 * w1, 0.0);
        grad += 2 * alpha / n * r * dyd + 2 * beta / n * q * dypd;
    }
    loss = alpha * mseF + beta * mseFp;

    MlpD::Vector got;
    const BatchLoss terms = net.lossAndGradient(x, f, fp, alpha, beta, got);
    QVERIFY(std::abs(terms.mseF - mseF) <= 1e-14 * mseF);
    QVERIFY(std::abs(terms.mseFprime - mseFp) <= 1e-14 * mseFp);
    QVERIFY(std::abs(terms.loss - loss) <= 1e-14 * loss);
    QCOMPARE(got.size(), Eigen::Index(4));
    const char* names[] = {"w1", "b1", "w2", "b2"};
    for (int k = 0; k < 4; ++k)
        QVERIFY2(std::abs(got[k] - grad[k]) <= 1e-13 * std::max(1.0, grad.cwiseAbs().maxCoeff()),
                 qPrintable(QStringLiteral("dL/d%1: %2, closed form %3")
                                .arg(names[k])
                                .arg(got[k])
                                .arg(grad[k])));
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
