// SPDX-License-Identifier: GPL-3.0-or-later
// The balancing rules: each update equation against the arithmetic written out here, the
// analytic weight against the Runge integrals, the term gradients a hook is handed against
// finite differences, and runs with a rule that pause and resume to the bit.
#include "core/problem/dataset.h"
#include "core/train/balance.h"
#include "core/train/checkpoint.h"
#include "core/train/trainer.h"
#include "coretestutil.h"

#include <QtTest>

#include <cmath>

using namespace sobolev;
using namespace sobolev::testutil;

Q_DECLARE_METATYPE(sobolev::Balance)

class TestBalance : public QObject {
    Q_OBJECT
  private slots:
    void lraFollowsItsEquation();
    void inverseDirichletFollowsItsEquation();
    void relobraloFollowsItsEquation();
    void softAdaptFollowsItsEquation();
    void gradNormFollowsItsEquation();
    void analyticWeightIsTheRungeIntegralRatio();
    void termGradientsMatchFiniteDifferences();
    void offChangesNothing();
    void ruleMovesTheWeightsAndRecordsEvents_data();
    void ruleMovesTheWeightsAndRecordsEvents();
    void changeOverridesTheRule();
    void pausedRunsAreTheSame_data();
    void pausedRunsAreTheSame();
};

namespace {

constexpr double tight = 1e-12;

bool near(double a, double b) {
    return std::abs(a - b) <= tight * std::max(1.0, std::abs(b));
}

Eigen::VectorXd vec(std::initializer_list<double> values) {
    Eigen::VectorXd v(Eigen::Index(values.size()));
    Eigen::Index i = 0;
    for (double x : values)
        v[i++] = x;
    return v;
}

TrainConfig balanced(Balance rule, int epochs = 6) {
    TrainConfig c = smallConfig(epochs);
    c.batchSize = 16; // 16 batches an epoch
    c.balance = rule;
    c.balanceEvery = 3;
    c.snapshots = 0;
    return c;
}

} // namespace

void TestBalance::lraFollowsItsEquation() {
    LraRule rule{0.1, 1.0};
    rule.update(vec({0.3, -0.8, 0.1}), vec({2, -1, 0.5}));
    // lambda_hat = max|gF| / mean|gF'| = 0.8 / (3.5 / 3); lambda = 0.9 x 1 + 0.1 lambda_hat
    const double first = 0.9 * 1.0 + 0.1 * (0.8 / (3.5 / 3));
    QVERIFY(near(rule.lambda, first));
    rule.update(vec({-4, 1, 2}), vec({0.1, 0.2, -0.3}));
    const double second = 0.9 * first + 0.1 * (4.0 / (0.6 / 3));
    QVERIFY(near(rule.lambda, second));
    // A term without gradient leaves lambda as it was.
    rule.update(vec({1, 1, 1}), vec({0, 0, 0}));
    QVERIFY(near(rule.lambda, second));
}

void TestBalance::inverseDirichletFollowsItsEquation() {
    InverseDirichletRule rule{0.5, 1.0};
    // std(1, 3) = 1, std(2, 6) = 2: lambda_hat = 1/2.
    rule.update(vec({1, 3}), vec({2, 6}));
    const double first = 0.5 * 1.0 + 0.5 * 0.5;
    QVERIFY(near(rule.lambda, first));
    // var(1, 2, 3, 4) = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25;
    // var(0, 0, 0, 2) = (3 x 0.25 + 2.25) / 4 = 0.75.
    rule.update(vec({1, 2, 3, 4}), vec({0, 0, 0, 2}));
    const double second = 0.5 * first + 0.5 * std::sqrt(1.25) / std::sqrt(0.75);
    QVERIFY(near(rule.lambda, second));
}

void TestBalance::relobraloFollowsItsEquation() {
    RelobraloRule rule;
    rule.alpha = 0.95;
    rule.tau = 0.5;
    rule.update({1.0, 4.0}, true); // remembers L(0)
    QVERIFY(near(rule.weights[0], 1) && near(rule.weights[1], 1));
    // bal_i = 2 e^{s_i} / (e^{s_1} + e^{s_2}), s = L(t) / (tau L(t'))
    const auto bal = [](double s0, double s1, int i) {
        return 2 * std::exp(i == 0 ? s0 : s1) / (std::exp(s0) + std::exp(s1));
    };
    // t = 1, no lookback: L(0) = L(t-1) = (1, 4).
    rule.update({0.5, 3.0}, false);
    const double s0 = 0.5 / (0.5 * 1.0), s1 = 3.0 / (0.5 * 4.0);
    double w[2];
    for (int i = 0; i < 2; ++i) {
        w[i] = 0.95 * (0 * 1.0 + 1 * bal(s0, s1, i)) + 0.05 * bal(s0, s1, i);
        QVERIFY(near(rule.weights[i], w[i]));
    }
    // t = 2, lookback: w = 0.95 w(t-1) + 0.05 bal(t, t-1), L(t-1) = (0.5, 3).
    rule.update({0.25, 2.7}, true);
    const double p0 = 0.25 / (0.5 * 0.5), p1 = 2.7 / (0.5 * 3.0);
    for (int i = 0; i < 2; ++i) {
        w[i] = 0.95 * (1 * w[i] + 0 * 1.0) + 0.05 * bal(p0, p1, i);
        QVERIFY(near(rule.weights[i], w[i]));
    }
    QVERIFY(near(rule.weights[0] + rule.weights[1], 2));
    // The draws: Bernoulli(rho) from their own stream, so the same seed draws the same.
    Rng a = Rng::forStream(12345, BalanceStream), b = Rng::forStream(12345, BalanceStream);
    int looks = 0;
    for (int i = 0; i < 1000; ++i) {
        const bool x = relobraloLookBack(a, 0.99);
        QCOMPARE(relobraloLookBack(b, 0.99), x);
        looks += x;
    }
    QVERIFY(looks > 970 && looks < 1000); // about 990; 1000 would mean rho was not drawn
}

void TestBalance::softAdaptFollowsItsEquation() {
    SoftAdaptRule rule;
    rule.beta = 0.1;
    rule.update({1.0, 4.0});
    QVERIFY(near(rule.weights[0], 1) && near(rule.weights[1], 1));
    rule.update({0.5, 3.0});
    // s = (0.5 / 1, 3 / 4); w_i = 2 e^{0.1 s_i} / (e^{0.05} + e^{0.075})
    const double e0 = std::exp(0.1 * 0.5), e1 = std::exp(0.1 * 0.75);
    QVERIFY(near(rule.weights[0], 2 * e0 / (e0 + e1)));
    QVERIFY(near(rule.weights[1], 2 * e1 / (e0 + e1)));
    rule.update({0.5, 1.5}); // s = (1, 0.5)
    const double f0 = std::exp(0.1 * 1.0), f1 = std::exp(0.1 * 0.5);
    QVERIFY(near(rule.weights[0], 2 * f0 / (f0 + f1)));
    QVERIFY(near(rule.weights[1], 2 * f1 / (f0 + f1)));
}

void TestBalance::gradNormFollowsItsEquation() {
    GradNormRule rule;
    rule.alpha = 1.5;
    rule.rate = 0.025;
    // t = 0: L(0) = (1, 4), r = (1, 1); G = (2, 0.5), G_bar = 1.25 = both targets.
    // G_1 > 1.25: w_1 - 0.025 x 2; G_2 < 1.25: w_2 + 0.025 x 0.5; then 2 w / sum w.
    rule.update({1.0, 4.0}, {2.0, 0.5});
    const double u0 = 1 - 0.025 * 2, u1 = 1 + 0.025 * 0.5;
    double w0 = 2 * u0 / (u0 + u1), w1 = 2 * u1 / (u0 + u1);
    QVERIFY(near(rule.weights[0], w0) && near(rule.weights[1], w1));
    // t = 1: L / L(0) = (0.5, 0.75), mean 0.625: r = (0.8, 1.2); norms (1, 1): G = w,
    // G_bar = mean w = 1; targets 0.8^1.5 and 1.2^1.5.
    rule.update({0.5, 3.0}, {1.0, 1.0});
    const double t0 = std::pow(0.8, 1.5), t1 = std::pow(1.2, 1.5);
    const double v0 = w0 - 0.025 * (w0 > t0 ? 1 : -1), v1 = w1 - 0.025 * (w1 > t1 ? 1 : -1);
    w0 = 2 * v0 / (v0 + v1);
    w1 = 2 * v1 / (v0 + v1);
    QVERIFY(near(rule.weights[0], w0) && near(rule.weights[1], w1));
}

// E[f^2] / E[f'^2] over n uniform points on [-1, 1] estimates int f^2 / int f'^2. The
// integrals by Simpson's rule on 200,000 intervals (error far below the sampling's); the
// tolerance is four standard errors of the sampled ratio, from the same quadrature by the
// delta method: var(a/b) / (A/B)^2 = (var a / A^2 + var b / B^2 - 2 cov(a, b) / (A B)) / n
// for a = f^2, b = f'^2 (A, B their means): about 3 % for n = 2048, so 12.5 %.
void TestBalance::analyticWeightIsTheRungeIntegralRatio() {
    const TrainConfig c;
    const auto [train, val] = Dataset::trainAndValidation(c);
    const auto f = [](double x) { return 1 / (1 + 25 * x * x); };
    const auto fp = [](double x) { return -50 * x / ((1 + 25 * x * x) * (1 + 25 * x * x)); };
    const int intervals = 200'000;
    const double h = 2.0 / intervals;
    double A = 0, AA = 0, B = 0, BB = 0, AB = 0; // means of a, a^2, b, b^2, ab
    for (int i = 0; i <= intervals; ++i) {
        const double x = -1 + i * h;
        const double weight = (i == 0 || i == intervals) ? 1 : (i % 2 ? 4 : 2);
        const double a = f(x) * f(x), b = fp(x) * fp(x);
        A += weight * a, AA += weight * a * a, B += weight * b, BB += weight * b * b;
        AB += weight * a * b;
    }
    // Means over [-1, 1]: (h / 3) sum / 2.
    const double scale = h / 3 / 2;
    A *= scale, AA *= scale, B *= scale, BB *= scale, AB *= scale;
    const double exact = A / B;
    const double relativeVariance =
        (AA / (A * A) - 1) + (BB / (B * B) - 1) - 2 * (AB / (A * B) - 1);
    const double tolerance = 4 * std::sqrt(relativeVariance / double(train.size()));
    const double sampled = analyticBetaOverAlpha(train);
    QVERIFY2(std::abs(sampled / exact - 1) <= tolerance,
             qPrintable(QStringLiteral("sampled %1, integral ratio %2, tolerance %3")
                            .arg(sampled)
                            .arg(exact)
                            .arg(tolerance)));
    QVERIFY(tolerance < 0.2); // a check that can fail
    // Where the rows are the grid itself, the ratio is the quadrature's up to the end weights.
    QVERIFY(std::abs(analyticBetaOverAlpha(Dataset::uniformGrid(200'001)) / exact - 1) < 1e-4);
}

namespace {

// Asks for the term gradients at the first batch and keeps them with the weights they were
// taken at.
class TermGradientSpy final : public TrainingHook {
  public:
    std::string_view name() const override { return "spy"; }
    HookResult beforeBatch(HookContext& c) override {
        if (c.epoch() == 1 && c.batch() == 1) {
            weights = c.parameters();
            c.requestTermGradients();
        }
        return HookResult::Continue;
    }
    HookResult atTermGradients(HookContext& c) override {
        gradients = c.termGradients();
        return HookResult::Continue;
    }
    HookResult afterBatch(HookContext& c) override {
        if (c.epoch() == 1 && c.batch() == 1)
            stepTerms = c.batchLoss();
        return HookResult::Continue;
    }
    Eigen::VectorXd weights;
    TermGradients gradients;
    BatchLoss stepTerms;
};

} // namespace

// The gradients a hook is handed are those of the batch about to run at the weights before
// its step: one batch holding every training row, so the loss is computed here again.
void TestBalance::termGradientsMatchFiniteDifferences() {
    TrainConfig c = tinyConfig(1);
    c.batchSize = c.nTrain;
    c.precision = Precision::Float64;
    c.alpha = 0.7;
    c.beta = 1.3;
    Trainer t(c);
    auto spy = std::make_unique<TermGradientSpy>();
    TermGradientSpy* seen = spy.get();
    t.addHook(std::move(spy));
    t.train(1);
    const TermGradients& g = seen->gradients;
    QCOMPARE(g.gradF.size(), seen->weights.size());
    // The step's loss terms are the gradients' own.
    QCOMPARE(seen->stepTerms.mseF, g.terms.mseF);
    QCOMPARE(seen->stepTerms.loss, 0.7 * g.terms.mseF + 1.3 * g.terms.mseFprime);
    // The last hidden layer: width x width weights after the first layer's weights and biases.
    QCOMPARE(g.lastHiddenOffset, Eigen::Index(2 * c.width));
    QCOMPARE(g.lastHiddenSize, Eigen::Index(c.width * c.width));

    const Dataset& train = t.trainingData();
    const Eigen::RowVectorXd x = train.x.cast<double>(), f = train.f.cast<double>(),
                             fp = train.fprime.cast<double>();
    Mlp<double> net(c.width, c.depth, c.activation);
    const auto termLoss = [&](const Eigen::VectorXd& w, bool fTerm) {
        net.parameters() = w;
        const BatchLoss l = net.loss(x, f, fp, 1.0, 1.0);
        return fTerm ? l.mseF : l.mseFprime;
    };
    const double h = 1e-6;
    for (const bool fTerm : {true, false}) {
        const Eigen::VectorXd& grad = fTerm ? g.gradF : g.gradFprime;
        double worst = 0;
        for (Eigen::Index k = 0; k < grad.size(); ++k) {
            Eigen::VectorXd up = seen->weights, down = seen->weights;
            up[k] += h;
            down[k] -= h;
            // central difference (L(w + h e_k) - L(w - h e_k)) / 2h
            const double fd = (termLoss(up, fTerm) - termLoss(down, fTerm)) / (2 * h);
            worst = std::max(worst, std::abs(fd - grad[k]));
        }
        QVERIFY2(worst <= 1e-6 * grad.cwiseAbs().maxCoeff(),
                 qPrintable(QStringLiteral("%1: worst gap %2").arg(fTerm ? "f" : "f'").arg(worst)));
    }
}

// The reference's config with every rule's parameter changed but balance off: the same run
// to the bit, with no hook action (the reference hashes check the run against main's).
void TestBalance::offChangesNothing() {
    TrainConfig plain = smallConfig(3);
    TrainConfig off = plain;
    off.balanceEvery = 1;
    off.lraRate = 0.5;
    off.relobraloRho = 0.5;
    off.softadaptBeta = -1;
    off.gradnormRate = 0.5;
    off.dirichletRate = 0.1;
    Trainer a(plain), b(off);
    a.trainAll();
    b.trainAll();
    QVERIFY(sameHistory(a.history(), b.history()));
    QVERIFY(sameParameters(a.parameters(), b.parameters()));
    QVERIFY(b.hookActions().empty());
    // A rule on the same run moves it.
    off.balance = Balance::Lra;
    Trainer c(off);
    c.trainAll();
    QVERIFY(!sameHistory(a.history(), c.history()));
}

void TestBalance::ruleMovesTheWeightsAndRecordsEvents_data() {
    QTest::addColumn<Balance>("rule");
    for (Balance b : allBalances())
        if (b != Balance::Off)
            QTest::addRow("%s", std::string(balanceName(b)).c_str()) << b;
}

// Weights go into the history, events into the hook actions: one start, one freeze.
void TestBalance::ruleMovesTheWeightsAndRecordsEvents() {
    QFETCH(Balance, rule);
    TrainConfig c = balanced(rule);
    c.lbfgsIterations = 3;
    c.snapshots = 40;
    Trainer t(c);
    t.trainAll();
    QCOMPARE(t.stopReason(), StopReason::Completed);
    // The weights moving are not changes that add snapshots: the budget and the L-BFGS start.
    QVERIFY(t.snapshots().snapshots.size() <= std::size_t(c.snapshots + 1));
    const auto& h = t.history();
    const auto& actions = t.hookActions();
    QCOMPARE(actions.size(), std::size_t(2));
    QCOMPARE(actions[0].kind, HookAction::Kind::BalanceStarted);
    QCOMPARE(actions[1].kind, HookAction::Kind::BalanceFrozen);
    QCOMPARE(actions[1].epoch, c.epochs + 1);
    QCOMPARE(actions[1].hook, "balance " + std::string(balanceName(rule)));
    const EpochMetrics& lastAdam = h[std::size_t(c.epochs - 1)];
    QVERIFY(lastAdam.beta / lastAdam.alpha != 1.0);                  // the rule moved the ratio
    for (std::size_t i = std::size_t(c.epochs); i < h.size(); ++i) { // frozen for L-BFGS
        QCOMPARE(h[i].alpha, lastAdam.alpha);
        QCOMPARE(h[i].beta, lastAdam.beta);
    }
    // The rules that keep alpha keep it; the normalising ones keep alpha + beta = 2.
    if (rule == Balance::Lra || rule == Balance::InverseDirichlet || rule == Balance::Analytic)
        QCOMPARE(lastAdam.alpha, 1.0);
    else
        QVERIFY(near(lastAdam.alpha + lastAdam.beta, 2.0));
    if (rule == Balance::Analytic)
        QCOMPARE(h.front().beta, analyticBetaOverAlpha(t.trainingData()));
}

// A scheduled change of beta ends the rule; from then on beta is the change's.
void TestBalance::changeOverridesTheRule() {
    TrainConfig c = balanced(Balance::Lra);
    c.changes = {{3, 5, Knob::Beta, 2.0}};
    Trainer t(c);
    t.trainAll();
    const auto& actions = t.hookActions();
    QCOMPARE(actions.size(), std::size_t(3)); // started, the change, overridden
    QCOMPARE(actions[1].kind, HookAction::Kind::SetKnob);
    QCOMPARE(actions[2].kind, HookAction::Kind::BalanceOverridden);
    QCOMPARE(actions[2].knob, Knob::Beta);
    QCOMPARE(actions[2].to, 2.0);
    QCOMPARE(actions[2].epoch, 3);
    QCOMPARE(actions[2].batch, 5);
    for (std::size_t i = 3; i < t.history().size(); ++i) {
        QCOMPARE(t.history()[i].beta, 2.0);
        QCOMPARE(t.history()[i].alpha, 1.0);
    }
}

void TestBalance::pausedRunsAreTheSame_data() {
    ruleMovesTheWeightsAndRecordsEvents_data();
}

// Paused every 13 batches, each time through a checkpoint's bytes into a new trainer: the
// same run to the bit as the one that never stopped.
void TestBalance::pausedRunsAreTheSame() {
    QFETCH(Balance, rule);
    TrainConfig c = balanced(rule, 4);
    c.lbfgsIterations = 2;
    c.relobraloRho = 0.5; // draws that differ often, so a stream put back wrong shows
    Trainer whole(c);
    whole.trainAll();

    auto flag = std::make_shared<std::atomic<bool>>(false);
    std::string bytes;
    int pieces = 0;
    for (bool done = false; !done && pieces < 1000; ++pieces) {
        Trainer t(c);
        t.addHook(std::make_unique<RaiseFlagEvery>(13, flag));
        if (!bytes.empty())
            t.restore(checkpointFromBytes(bytes));
        *flag = false;
        done = t.trainAll(flag.get()) != StopReason::None;
        if (done) {
            QVERIFY(sameHistory(whole.history(), t.history()));
            QVERIFY(sameParameters(whole.parameters(), t.parameters()));
            QCOMPARE(t.hookActions().size(), whole.hookActions().size());
        }
        bytes = checkpointBytes(t.checkpoint());
    }
    QVERIFY(pieces > 4); // 64 batches and 2 iterations, a pause every 13 batches
}

QTEST_GUILESS_MAIN(TestBalance)
#include "tst_balance.moc"
