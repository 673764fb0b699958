// SPDX-License-Identifier: GPL-3.0-or-later
// The targets: every preset's derivative against finite differences, the
// sampling of the training points, the label noise and its stream, the batch size following
// n_train, and the reference experiment unchanged by all of it.
#include "core/experiment/sweep.h"
#include "core/model/kernellevel.h"
#include "core/problem/dataset.h"
#include "core/problem/random.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"
#include "core/problem/validate.h"
#include "core/train/trainer.h"
#include "testutil.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

using namespace sobolev;
using namespace sobolev::testutil;

Q_DECLARE_METATYPE(TrainConfig)

class TestTarget : public QObject {
    Q_OBJECT
  private slots:
    void presetDerivativesMatchFiniteDifferences_data();
    void presetDerivativesMatchFiniteDifferences();
    void defaultTargetIsRungeToTheBit();
    void samplingPlacesPoints_data();
    void samplingPlacesPoints();
    void samplingLeavesValidationAlone();
    void noiseChangesOnlyTheLabels();
    void noiseStreamsAreIndependent();
    void noiseHasItsSigma();
    void testGridIsClean();
    void batchFollowsNTrain();
    void noiseIsAKnob();
    void everyPresetTrains_data();
    void everyPresetTrains();
};

namespace {

TrainConfig withTarget(const char* name, std::optional<double> param = std::nullopt) {
    TrainConfig c;
    c.target = name;
    c.targetParam = param;
    return c;
}

// max_i |f'(x_i) - D f(x_i)| / max(1, max_i |f'(x_i)|) at 1001 points of [a, b], where D is
// the fourth-order central difference (8(f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h, whose
// error is h^4 f^(5)/30 plus a rounding error of about eps |f| / h.
double derivativeError(const Target& t, double a, double b, double h) {
    double worst = 0, scale = 1;
    for (int i = 0; i <= 1000; ++i) {
        const double x = a + (b - a) * i / 1000.0 + 1e-4 * std::sin(i); // off round numbers
        const double d =
            (8 * (t.f(x + h) - t.f(x - h)) - (t.f(x + 2 * h) - t.f(x - 2 * h))) / (12 * h);
        worst = std::max(worst, std::abs(t.fprime(x) - d));
        scale = std::max(scale, std::abs(t.fprime(x)));
    }
    return worst / scale;
}

} // namespace

void TestTarget::presetDerivativesMatchFiniteDifferences_data() {
    QTest::addColumn<TrainConfig>("config");
    for (const PresetInfo& p : presets()) {
        TrainConfig c = withTarget(p.name);
        c.domainMin = p.domainMin;
        c.domainMax = p.domainMax;
        QTest::addRow("%s", p.name) << c;
    }
    QTest::addRow("runge k=1 on [-3, 3]") << [] {
        TrainConfig c = withTarget("runge", 1.0);
        c.domainMin = -3;
        c.domainMax = 3;
        return c;
    }();
    QTest::addRow("sine omega=20") << withTarget("sine", 20.0);
    QTest::addRow("tanh k=50") << withTarget("tanh", 50.0);
    QTest::addRow("gaussian sigma=1") << withTarget("gaussian", 1.0);
    QTest::addRow("smooth_abs eps=1e-4") << withTarget("smooth_abs", 1e-4);
    QTest::addRow("polynomial degree 0") << withTarget("polynomial", 0.0);
    QTest::addRow("polynomial degree 1") << withTarget("polynomial", 1.0);
    QTest::addRow("polynomial degree 12 on [-1.5, 1.5]") << [] {
        TrainConfig c = withTarget("polynomial", 12.0);
        c.domainMin = -1.5;
        c.domainMax = 1.5;
        return c;
    }();
}

void TestTarget::presetDerivativesMatchFiniteDifferences() {
    QFETCH(TrainConfig, config);
    QVERIFY2(validate(config).empty(), describe(validate(config)).c_str());
    const Target t = Target::fromConfig(config);
    // h = 1e-3 leaves h^4 |f^(5)| / 30 <= 1e-7 relative (sine omega = 20: |f^(5)| = 3.2e6 against
    // |f'| = 20) with eps / h ~ 2e-13 of rounding. tanh k = 50 and smooth_abs eps = 1e-4 bend
    // within 0.01 of 0 (|f^(5)| up to ~1e10), so they take h = 1e-5 (rounding ~ 2e-11).
    const double h = config.target == "smooth_abs" || config.target == "tanh" ? 1e-5 : 1e-3;
    const double error = derivativeError(t, config.domainMin, config.domainMax, h);
    QVERIFY2(error <= 1e-6, qPrintable(QStringLiteral("relative error %1").arg(error)));
    QVERIFY(!t.formula().empty() && !t.derivativeFormula().empty() && !t.latex().empty());
}

void TestTarget::defaultTargetIsRungeToTheBit() {
    const Target t = Target::fromConfig(TrainConfig{});
    // This test's runge() is compiled like the test: for x86-64 in a portable build, where the
    // v3 and v4 kernel levels contract 1 + 25x² into a fused multiply-add that rounds once. So
    // the preset equals the formula to the bit when both are compiled alike, and within a few
    // ulps else (one rounding of d = 1 + 25x², carried through 1/d and 1/d²).
    const bool sameInstructions = kernelLevelName() == "native" || kernelLevelName() == "v1";
    const auto same = [sameInstructions](double a, double b) {
        return sameInstructions
                   ? sameBits(a, b)
                   : std::abs(a - b) <= 4 * std::numeric_limits<double>::epsilon() * std::abs(b);
    };
    for (int i = 0; i <= 2000; ++i) {
        const double x = -1.5 + 3.0 * i / 2000.0;
        QVERIFY(same(t.f(x), runge(x)));
        QVERIFY(same(t.fprime(x), rungePrime(x)));
    }
    const auto [train, val] = Dataset::trainAndValidation(TrainConfig{});
    for (int i = 0; i < train.size(); ++i)
        QVERIFY(train.f[i] == float(runge(train.x[i])) &&
                train.fprime[i] == float(rungePrime(train.x[i])));
    const Dataset grid = Dataset::testGrid(TrainConfig{});
    const Dataset reference = Dataset::uniformGrid(TrainConfig{}.gridPoints);
    QVERIFY(grid.x == reference.x && grid.f == reference.f && grid.fprime == reference.fprime);
}

void TestTarget::samplingPlacesPoints_data() {
    QTest::addColumn<int>("sampling");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<int>("n");
    for (Sampling s : allSamplings()) {
        const QByteArray name(samplingName(s).data(), qsizetype(samplingName(s).size()));
        QTest::addRow("%s on [-2, 2], 15 points", name.constData()) << int(s) << -2.0 << 2.0 << 15;
        QTest::addRow("%s on [0, 1], 1 point", name.constData()) << int(s) << 0.0 << 1.0 << 1;
        QTest::addRow("%s on [3, 7], 200 points", name.constData()) << int(s) << 3.0 << 7.0 << 200;
    }
}

void TestTarget::samplingPlacesPoints() {
    QFETCH(int, sampling);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(int, n);
    Rng rng(7);
    const Eigen::RowVectorXf x = samplePoints(Sampling(sampling), n, a, b, rng);
    QCOMPARE(x.size(), Eigen::Index(n));
    for (int i = 0; i < n; ++i)
        QVERIFY2(x[i] >= float(a) && x[i] <= float(b), qPrintable(QString::number(x[i])));
    switch (Sampling(sampling)) {
    case Sampling::Uniform:
        break;
    case Sampling::Equispaced:
        for (int i = 0; i < n; ++i)
            QCOMPARE(x[i], float(n == 1 ? (a + b) / 2 : a + (b - a) * i / (n - 1)));
        break;
    case Sampling::Chebyshev:
        // The zeros of T_n mapped to [a, b]: T_n(t_i) = cos(n arccos t_i) = 0.
        for (int i = 0; i < n; ++i) {
            const double t = (2 * double(x[i]) - a - b) / (b - a);
            QVERIFY2(std::abs(std::cos(n * std::acos(std::clamp(t, -1.0, 1.0)))) < 1e-4 * n,
                     qPrintable(QString::number(t)));
        }
        break;
    }
}

void TestTarget::samplingLeavesValidationAlone() {
    TrainConfig c = tinyConfig();
    const auto [uniformTrain, uniformVal] = Dataset::trainAndValidation(c);
    for (Sampling s : {Sampling::Equispaced, Sampling::Chebyshev}) {
        c.sampling = s;
        const auto [train, val] = Dataset::trainAndValidation(c);
        QVERIFY(val.x == uniformVal.x && val.f == uniformVal.f);
        QVERIFY(train.x != uniformTrain.x);
    }
}

void TestTarget::noiseChangesOnlyTheLabels() {
    TrainConfig c = tinyConfig();
    Trainer clean(c);
    c.noiseF = 0.05;
    c.noiseFprime = 0.5;
    Trainer noisy(c);
    QVERIFY(noisy.trainingData().x == clean.trainingData().x);
    QVERIFY(noisy.network<float>().parameters() == clean.network<float>().parameters());
    QVERIFY(noisy.trainingData().f != clean.trainingData().f);
    QVERIFY(noisy.trainingData().fprime != clean.trainingData().fprime);
    // The test grid stays clean.
    QVERIFY(noisy.predictions().f == clean.predictions().f);
}

void TestTarget::noiseStreamsAreIndependent() {
    TrainConfig c = tinyConfig();
    c.noiseF = 0.1;
    const auto [fOnly, fOnlyVal] = Dataset::trainAndValidation(c);
    c.noiseFprime = 0.3;
    const auto [both, bothVal] = Dataset::trainAndValidation(c);
    QVERIFY(both.f == fOnly.f && bothVal.f == fOnlyVal.f);
    QVERIFY(both.fprime != fOnly.fprime);
}

void TestTarget::noiseHasItsSigma() {
    TrainConfig c;
    c.nTrain = 100'000;
    c.noiseF = 0.2;
    const auto [train, val] = Dataset::trainAndValidation(c);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < train.size(); ++i) {
        const double e = double(train.f[i]) - runge(train.x[i]);
        sum += e;
        sum2 += e * e;
    }
    const double mean = sum / train.size(), sd = std::sqrt(sum2 / train.size() - mean * mean);
    // Standard errors: 0.2 / sqrt(1e5) = 6e-4 for the mean, 0.2 / sqrt(2e5) = 4.5e-4 for sd.
    QVERIFY2(std::abs(mean) < 3e-3, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(sd - 0.2) < 3e-3, qPrintable(QString::number(sd)));
    for (int i = 0; i < train.size(); ++i)
        QVERIFY(train.fprime[i] == float(rungePrime(train.x[i])));
}

void TestTarget::testGridIsClean() {
    TrainConfig c = tinyConfig();
    c.target = "sine";
    c.domainMin = -2;
    c.domainMax = 3;
    c.noiseF = 1;
    const Dataset grid = Dataset::testGrid(c);
    QCOMPARE(grid.x[0], -2.0f);
    QCOMPARE(grid.x[grid.size() - 1], 3.0f);
    const Target t = Target::fromConfig(c);
    for (int i = 0; i < grid.size(); ++i)
        QCOMPARE(grid.f[i], float(t.f(grid.x[i])));
}

void TestTarget::batchFollowsNTrain() {
    TrainConfig c = tinyConfig(3);
    c.nTrain = 15;
    c.batchSize = 64;
    QVERIFY(validate(c).empty());
    QCOMPARE(effectiveBatchSize(c), 15);
    const auto notes = configNotes(c);
    QCOMPARE(notes.size(), std::size_t(1));
    QVERIFY2(notes[0].find("batches of 15") != std::string::npos, notes[0].c_str());
    Trainer over(c);
    over.trainAll();
    c.batchSize = 15;
    QVERIFY(configNotes(c).empty());
    Trainer exact(c);
    exact.trainAll();
    QVERIFY(sameHistory(over.history(), exact.history()));
}

void TestTarget::noiseIsAKnob() {
    std::string error;
    const auto axis = parseSweepAxis("noise_f=0,0.01,0.1", &error);
    QVERIFY2(axis, error.c_str());
    QCOMPARE(axis->knob, Knob::NoiseF);
    const auto points = expandSweep(tinyConfig(), {*axis}, {1});
    QCOMPARE(points.size(), std::size_t(3));
    QCOMPARE(points[2].config.noiseF, 0.1);
    QCOMPARE(knobValue(points[1].config, Knob::NoiseF), 0.01);
    const auto fprime = parseSweepAxis("noise_fprime=0.5", &error);
    QVERIFY2(fprime, error.c_str());
    QCOMPARE(expandSweep(tinyConfig(), {*fprime}, {1})[0].config.noiseFprime, 0.5);
    const auto negative = parseSweepAxis("noise_f=-1", &error);
    QVERIFY(negative);
    const auto problems = validateSweep(tinyConfig(), {*negative}, {1});
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY2(problems[0].message.find("noise_f") != std::string::npos, problems[0].message.c_str());
}

void TestTarget::everyPresetTrains_data() {
    QTest::addColumn<QString>("preset");
    for (const PresetInfo& p : presets())
        QTest::addRow("%s", p.name) << QString::fromLatin1(p.name);
}

void TestTarget::everyPresetTrains() {
    QFETCH(QString, preset);
    TrainConfig c = smallConfig(40);
    c.target = preset.toStdString();
    c.domainMin = presetByName(c.target)->domainMin;
    c.domainMax = presetByName(c.target)->domainMax;
    Trainer trainer(c);
    trainer.trainAll();
    QCOMPARE(trainer.stopReason(), StopReason::Completed);
    const auto& h = trainer.history();
    QVERIFY2(h.back().loss < h.front().loss,
             qPrintable(QStringLiteral("%1 -> %2").arg(h.front().loss).arg(h.back().loss)));
}

QTEST_APPLESS_MAIN(TestTarget)
#include "tst_target.moc"
