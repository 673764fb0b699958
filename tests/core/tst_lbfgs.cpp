// SPDX-License-Identifier: GPL-3.0-or-later
// The L-BFGS phase: LbfgsStepper against LBFGSpp's own solver and a quadratic with a known
// minimiser, the full-batch gradient against finite differences, and the trainer's phase:
// descent at every iteration, pause and resume to the bit, best weights, clear endings.
#include "core/model/fullbatch.h"
#include "core/optim/lbfgs.h"
#include "core/train/trainer.h"
#include "testutil.h"

#include <Eigen/Dense>
#include <QtTest>

#include <cmath>
#include <regex>

using namespace sobolev;
using namespace sobolev::testutil;

class TestLbfgs : public QObject {
    Q_OBJECT
  private slots:
    void minimisesAConvexQuadratic();
    void stepsAsLbfgsppMinimize_data();
    void stepsAsLbfgsppMinimize();
    void fullBatchGradientMatchesFiniteDifferences_data();
    void fullBatchGradientMatchesFiniteDifferences();
    void everyIterationLowersTheLoss_data();
    void everyIterationLowersTheLoss();
    void pauseAndResumeAreBitIdentical();
    void resetRunsTheSamePhaseAgain();
    void restoreBestGivesTheBestValidationLoss();
    void reportHoldsTheBestEpoch();
    void lineSearchFailureEndsThePhaseClearly();
    void convergenceEndsThePhase();
};

namespace {

using Vec = Eigen::VectorXd;

// f(x) = 1/2 x'Ax - b'x with A symmetric positive definite; its minimiser solves Ax = b.
struct Quadratic {
    Eigen::MatrixXd a;
    Vec b;
    double operator()(const Vec& x, Vec& grad) const {
        grad = a * x - b;
        return 0.5 * x.dot(a * x) - b.dot(x);
    }
};

Quadratic quadratic(int n) {
    // A = Q diag(1 .. 100) Q' from a fixed orthogonal Q: condition number 100.
    Eigen::MatrixXd m(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            m(i, j) = std::sin(1.0 + i * n + j);
    const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(m).householderQ();
    Vec d(n);
    for (int i = 0; i < n; ++i)
        d[i] = 1.0 + 99.0 * i / (n - 1);
    Vec b(n);
    for (int i = 0; i < n; ++i)
        b[i] = std::cos(0.5 + i);
    return {q * d.asDiagonal() * q.transpose(), b};
}

// The n-dimensional Rosenbrock function, the classic non-convex test of LBFGSpp's examples.
struct Rosenbrock {
    double operator()(const Vec& x, Vec& grad) const {
        const Eigen::Index n = x.size();
        double f = 0;
        grad.setZero(n);
        for (Eigen::Index i = 0; i + 1 < n; ++i) {
            const double t1 = 1 - x[i], t2 = x[i + 1] - x[i] * x[i];
            f += t1 * t1 + 100 * t2 * t2;
            grad[i] += -2 * t1 - 400 * x[i] * t2;
            grad[i + 1] += 200 * t2;
        }
        return f;
    }
};

LBFGSpp::LBFGSParam<double> strongWolfe() {
    LBFGSpp::LBFGSParam<double> p;
    p.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
    p.epsilon = 1e-14;
    p.epsilon_rel = 0;
    return p;
}

TrainConfig lbfgsConfig(int epochs, int iterations) {
    TrainConfig c = tinyConfig(epochs);
    c.lbfgsIterations = iterations;
    return c;
}

} // namespace

void TestLbfgs::minimisesAConvexQuadratic() {
    const Quadratic f = quadratic(20);
    const Vec solution = f.a.ldlt().solve(f.b);
    LbfgsStepper<double> s(strongWolfe());
    Vec x = Vec::Zero(20);
    auto objective = [&f](const Vec& v, Vec& g) { return f(v, g); };
    LbfgsOutcome outcome = s.start(objective, x);
    // It stops on the gradient test, or when double precision leaves no decrease to find.
    for (int i = 0; i < 200 && outcome == LbfgsOutcome::Continue; ++i)
        outcome = s.iterate(objective);
    // The minimum value to 1e-10 relative, and the minimiser as close as double precision
    // allows: near x*, f - f* ~ |x - x*|^2, so a rounding of f at 1e-16 hides |x - x*| ~ 1e-8.
    Vec unused;
    const double fStar = f(solution, unused);
    const double gap = (s.loss() - fStar) / std::abs(fStar);
    const double error = (s.x() - solution).norm() / solution.norm();
    QVERIFY2(gap <= 1e-10 && error <= 1e-7,
             qPrintable(QStringLiteral("objective gap %1, relative error %2 after %3 iterations")
                            .arg(gap)
                            .arg(error)
                            .arg(s.iterations())));
}

void TestLbfgs::stepsAsLbfgsppMinimize_data() {
    QTest::addColumn<int>("iterations");
    QTest::addColumn<int>("history");
    QTest::addRow("1 iteration") << 1 << 6;
    QTest::addRow("7 iterations, m = 3") << 7 << 3;
    QTest::addRow("40 iterations, m = 10") << 40 << 10;
}

// n calls of iterate() are LBFGSSolver::minimize with max_iterations = n, to the bit: the
// stepper is LBFGSpp's loop, not a variant of it.
void TestLbfgs::stepsAsLbfgsppMinimize() {
    QFETCH(int, iterations);
    QFETCH(int, history);
    LBFGSpp::LBFGSParam<double> param = strongWolfe();
    param.m = history;
    param.max_iterations = iterations;
    Rosenbrock f;
    Vec start(6);
    start << -1.2, 1, -1.2, 1, 0.5, -0.3;

    Vec byLbfgspp = start;
    double fx = 0;
    LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchNocedalWright> solver(param);
    const int used = solver.minimize(f, byLbfgspp, fx);

    LbfgsStepper<double> s(param);
    QCOMPARE(s.start(f, start), LbfgsOutcome::Continue);
    for (int i = 0; i < iterations; ++i)
        if (s.iterate(f) != LbfgsOutcome::Continue)
            break;
    QCOMPARE(s.iterations(), used);
    QVERIFY(sameBits(s.loss(), fx));
    for (Eigen::Index i = 0; i < start.size(); ++i)
        QVERIFY2(sameBits(s.x()[i], byLbfgspp[i]), qPrintable(QStringLiteral("x[%1]").arg(i)));
}

void TestLbfgs::fullBatchGradientMatchesFiniteDifferences_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("columns");
    QTest::addColumn<int>("threads");
    QTest::addRow("one pass") << 37 << 64 << 1;
    QTest::addRow("passes of 10, the last of 7") << 37 << 10 << 1;
    QTest::addRow("passes of 10 on 3 threads") << 37 << 10 << 3;
    QTest::addRow("passes of 1 on 2 threads") << 5 << 1 << 2;
    QTest::addRow("more threads than passes") << 37 << 32 << 4;
}

// The full-batch loss in passes is the one-pass loss, the same bits on one thread as on
// several, and its float64 gradient matches a central difference of that loss to 1e-8
// relative.
void TestLbfgs::fullBatchGradientMatchesFiniteDifferences() {
    QFETCH(int, samples);
    QFETCH(int, columns);
    QFETCH(int, threads);
    Mlp<double> net(5, 2, Activation::Tanh);
    Rng rng = Rng::forStream(7, WeightStream);
    net.initGlorot(rng);
    net.reserve(samples);
    Eigen::RowVectorXd x(samples), f(samples), fp(samples);
    for (int i = 0; i < samples; ++i) {
        x[i] = -1 + 2.0 * i / (samples - 1);
        f[i] = std::sin(3 * x[i]);
        fp[i] = 3 * std::cos(3 * x[i]);
    }
    const double alpha = 0.7, beta = 1.3;
    const Eigen::VectorXd theta = net.parameters();
    FullBatch<double> parallel(5, 2, Activation::Tanh, threads, columns);
    FullBatch<double> serial(5, 2, Activation::Tanh, 1, columns);
    Eigen::VectorXd inPasses, onOneThread, whole;
    const BatchLoss a = parallel.lossAndGradient(theta, x, f, fp, alpha, beta, inPasses);
    const BatchLoss one = serial.lossAndGradient(theta, x, f, fp, alpha, beta, onOneThread);
    const BatchLoss b = net.lossAndGradient(x, f, fp, alpha, beta, whole);
    QVERIFY(sameBits(a.loss, one.loss));
    for (Eigen::Index i = 0; i < theta.size(); ++i)
        QVERIFY2(sameBits(inPasses[i], onOneThread[i]),
                 qPrintable(QStringLiteral("grad[%1]").arg(i)));
    QVERIFY(std::abs(a.loss - b.loss) <= 1e-14 * b.loss);
    QVERIFY((inPasses - whole).norm() <= 1e-13 * whole.norm());

    const double h = 1e-4;
    double worst = 0;
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
        auto lossAt = [&](double shift) {
            Eigen::VectorXd shifted = theta;
            shifted[i] += shift;
            Eigen::VectorXd unused;
            return parallel.lossAndGradient(shifted, x, f, fp, alpha, beta, unused).loss;
        };
        // fourth-order central difference, truncation O(h^4)
        const double numeric =
            (-lossAt(2 * h) + 8 * lossAt(h) - 8 * lossAt(-h) + lossAt(-2 * h)) / (12 * h);
        const double denom = std::max(
            {std::abs(inPasses[i]), std::abs(numeric), 1e-3 * inPasses.cwiseAbs().maxCoeff()});
        worst = std::max(worst, std::abs(inPasses[i] - numeric) / denom);
    }
    QVERIFY2(worst < 1e-8, qPrintable(QStringLiteral("worst relative error %1").arg(worst)));
}

void TestLbfgs::everyIterationLowersTheLoss_data() {
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("precision");
    QTest::addRow("L-BFGS alone, float64") << 0 << int(Precision::Float64);
    QTest::addRow("after 3 Adam epochs, float64") << 3 << int(Precision::Float64);
    QTest::addRow("after 3 Adam epochs, float32") << 3 << int(Precision::Float32);
}

void TestLbfgs::everyIterationLowersTheLoss() {
    QFETCH(int, epochs);
    QFETCH(int, precision);
    TrainConfig c = lbfgsConfig(epochs, 40);
    c.lbfgsPrecision = Precision(precision);
    Trainer t(c);
    t.trainAll();
    QCOMPARE(t.stopReason(), StopReason::Completed);
    QVERIFY(t.epochsDone() > epochs + 5);
    const auto& h = t.history();
    for (int i = 0; i < t.epochsDone(); ++i) {
        QCOMPARE(int(h[i].phase), int(i < epochs ? Phase::Adam : Phase::Lbfgs));
        QCOMPARE(h[i].epoch, i + 1);
        if (i > epochs)
            QVERIFY2(h[i].loss < h[i - 1].loss, qPrintable(QStringLiteral("row %1: %2 after %3")
                                                               .arg(i + 1)
                                                               .arg(h[i].loss)
                                                               .arg(h[i - 1].loss)));
        if (i >= epochs)
            QVERIFY(std::isnan(h[i].learningRate));
    }
    // The last row's loss is the full-batch loss of the network the run ends with.
    Eigen::VectorXd grad;
    const auto [train, val] = Dataset::trainAndValidation(c);
    Mlp<double> net(c.width, c.depth, c.activation);
    net.parameters() = t.parameters();
    const BatchLoss end = net.lossAndGradient(train.x.cast<double>(), train.f.cast<double>(),
                                              train.fprime.cast<double>(), c.alpha, c.beta, grad);
    QVERIFY2(std::abs(end.loss - h.back().loss) <= 1e-5 * end.loss,
             qPrintable(QStringLiteral("%1 vs %2").arg(end.loss).arg(h.back().loss)));
    QVERIFY(h.back().loss < 0.5 * h[std::max(epochs, 1) - 1].loss);
}

void TestLbfgs::pauseAndResumeAreBitIdentical() {
    const TrainConfig c = lbfgsConfig(3, 25);
    Trainer whole(c);
    whole.trainAll();
    Trainer pieces(c);
    std::atomic<bool> stop{false};
    // One row at a time, and a stop raised before an L-BFGS iteration, which must then wait.
    int calls = 0;
    while (!pieces.finished()) {
        if (++calls % 5 == 0) {
            stop = true;
            QCOMPARE(pieces.train(1, &stop), StopReason::None);
            stop = false;
        }
        pieces.train(1, &stop);
    }
    QVERIFY(sameHistory(whole.history(), pieces.history()));
    QVERIFY(whole.parameters() == pieces.parameters());
    QCOMPARE(pieces.stopMessage(), whole.stopMessage());
}

void TestLbfgs::resetRunsTheSamePhaseAgain() {
    Trainer t(lbfgsConfig(2, 10));
    t.trainAll();
    const std::vector<EpochMetrics> first = t.history();
    t.reset();
    QCOMPARE(t.epochsDone(), 0);
    QCOMPARE(int(t.phase()), int(Phase::Adam));
    t.trainAll();
    QVERIFY(sameHistory(first, t.history()));
}

// With lr 0.2 Adam's validation loss jumps about, so the last epoch is not the best.
void TestLbfgs::restoreBestGivesTheBestValidationLoss() {
    TrainConfig c = smallConfig(40);
    c.learningRate = 0.2;
    c.restoreBest = true;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    const FitReport r = t.report();
    QVERIFY2(r.best.epoch > 0 && r.best.epoch < t.epochsDone(),
             qPrintable(QStringLiteral("best epoch %1").arg(r.best.epoch)));
    QVERIFY(t.stopMessage().find("restored the weights of epoch " + std::to_string(r.best.epoch)) !=
            std::string::npos);
    // The validation loss of the network the run ends with, computed here as the trainer does.
    const auto [train, val] = Dataset::trainAndValidation(c);
    Mlp<float> net = t.network<float>();
    Eigen::RowVectorXf y(val.size()), dy(val.size());
    net.predict(val.x, y, dy);
    const double mseF = double((y - val.f).squaredNorm()) / val.size();
    const double mseFprime = double((dy - val.fprime).squaredNorm()) / val.size();
    const double valLoss = c.alpha * mseF + c.beta * mseFprime;
    QVERIFY(sameBits(valLoss, t.history()[std::size_t(r.best.epoch - 1)].valLoss));
    QVERIFY(sameBits(valLoss, r.best.valLoss));
    QVERIFY(sameBits(r.mseF, r.best.mseF) && sameBits(r.mseFprime, r.best.mseFprime));
}

// Without restore_best the report carries both the final errors and the best epoch's.
void TestLbfgs::reportHoldsTheBestEpoch() {
    TrainConfig c = smallConfig(40);
    c.learningRate = 0.2;
    Trainer t(c);
    t.trainAll();
    const FitReport r = t.report();
    const auto& h = t.history();
    const auto best = std::min_element(
        h.begin(), h.end(), [](const auto& a, const auto& b) { return a.valLoss < b.valLoss; });
    QCOMPARE(r.best.epoch, best->epoch);
    QVERIFY(sameBits(r.best.valLoss, best->valLoss));
    QVERIFY(r.best.epoch < t.epochsDone());
    QVERIFY(!sameBits(r.best.mseF, r.mseF));
    // The same run, cut at its best epoch, reports those errors as final.
    c.epochs = r.best.epoch;
    Trainer cut(c);
    cut.trainAll();
    const FitReport atBest = cut.report();
    QVERIFY(sameBits(atBest.mseF, r.best.mseF) && sameBits(atBest.mseFprime, r.best.mseFprime) &&
            sameBits(atBest.maxErrF, r.best.maxErrF));
}

// In float32 the line search runs out of precision long before 3000 iterations: the phase
// ends, says why, and keeps the lowest-loss weights; the run is not a divergence.
void TestLbfgs::lineSearchFailureEndsThePhaseClearly() {
    TrainConfig c = lbfgsConfig(2, 3000);
    c.lbfgsPrecision = Precision::Float32;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QVERIFY2(t.epochsDone() < 2 + 3000, qPrintable(QString::fromStdString(t.stopMessage())));
    QVERIFY2(std::regex_search(t.stopMessage(),
                               std::regex("^completed 2 epochs; L-BFGS ended after \\d+ of 3000 "
                                          "iterations: .+; the network keeps the weights")),
             qPrintable(QString::fromStdString(t.stopMessage())));
    const auto& h = t.history();
    const double lowest = std::min_element(h.begin() + 2, h.end(), [](auto& a, auto& b) {
                              return a.loss < b.loss;
                          })->loss;
    QVERIFY(sameBits(h.back().loss, lowest));
    // ... and the network is the one of that row, not the failed trial point.
    const auto [train, val] = Dataset::trainAndValidation(c);
    const Mlp<float>& net = t.network<float>();
    FullBatch<float> full(net.width(), net.depth(), net.activation(), 1);
    Eigen::VectorXf grad;
    const double end = full.lossAndGradient(net.parameters(), train.x, train.f, train.fprime,
                                            float(c.alpha), float(c.beta), grad)
                           .loss;
    QVERIFY2(std::abs(end - h.back().loss) <= 1e-6 * end,
             qPrintable(QStringLiteral("%1 vs %2").arg(end).arg(h.back().loss)));
}

void TestLbfgs::convergenceEndsThePhase() {
    TrainConfig c = lbfgsConfig(2, 100000);
    c.lbfgsChangeTolerance = 1e-3;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QVERIFY(t.epochsDone() < 1000);
    QVERIFY2(t.stopMessage().find("L-BFGS converged after") != std::string::npos,
             qPrintable(QString::fromStdString(t.stopMessage())));
}

QTEST_GUILESS_MAIN(TestLbfgs)
#include "tst_lbfgs.moc"
