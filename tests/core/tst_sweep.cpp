// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/experiment/shard.h"
#include "core/experiment/sweep.h"
#include "core/problem/validate.h"
#include "core/train/trainer.h"
#include "testutil.h"

#include <QtTest>

using namespace sobolev;
using namespace sobolev::testutil;

class TestSweep : public QObject {
    Q_OBJECT
  private slots:
    void parsesAxes_data();
    void parsesAxes();
    void rejectsBadAxes_data();
    void rejectsBadAxes();
    void categoricalKnobsApply();
    void parsesSeeds();
    void boundsTheSeedList_data();
    void boundsTheSeedList();
    void expandsInOrder();
    void betaOverAlpha();
    void validatesTheWholeSweep();
    void checksTheTargetOncePerItsPoints_data();
    void checksTheTargetOncePerItsPoints();
    void parallelRunsMatchRunsAlone();
    void cancelKeepsFinishedRuns();
    void shardsCoverEveryRunOnce_data();
    void shardsCoverEveryRunOnce();
    void parsesShards_data();
    void parsesShards();
    void shardFromSlurmArray_data();
    void shardFromSlurmArray();
};

void TestSweep::parsesAxes_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("knob");
    QTest::addColumn<QList<double>>("values");
    QTest::addRow("beta list") << "beta=0,0.1,1,10" << int(Knob::Beta)
                               << QList<double>{0, 0.1, 1, 10};
    QTest::addRow("lr alias") << "lr=1e-3,1e-2" << int(Knob::LearningRate)
                              << QList<double>{1e-3, 1e-2};
    QTest::addRow("log grid") << "beta_over_alpha=log:0.01:100:5" << int(Knob::BetaOverAlpha)
                              << QList<double>{0.01, 0.1, 1, 10, 100};
    QTest::addRow("width") << "width=16,32" << int(Knob::Width) << QList<double>{16, 32};
    QTest::addRow("spaces as typed")
        << " beta = 0, 0.1 ,1 " << int(Knob::Beta) << QList<double>{0, 0.1, 1};
    // Categorical knobs take names; the values are their places in the list of names.
    QTest::addRow("schedules") << "schedule=constant, cosine,plateau" << int(Knob::Schedule)
                               << QList<double>{0, 1, 4};
    QTest::addRow("precision") << "precision=float64,float32" << int(Knob::Precision)
                               << QList<double>{1, 0};
    QTest::addRow("sampling") << "sampling=uniform,chebyshev" << int(Knob::Sampling)
                              << QList<double>{0, 2};
    QTest::addRow("lbfgs iterations") << "lbfgs_iterations=0,500,2000" << int(Knob::LbfgsIterations)
                                      << QList<double>{0, 500, 2000};
}

void TestSweep::parsesAxes() {
    QFETCH(QString, text);
    QFETCH(int, knob);
    QFETCH(QList<double>, values);
    std::string error;
    const auto axis = parseSweepAxis(text.toStdString(), &error);
    QVERIFY2(axis, error.c_str());
    QCOMPARE(int(axis->knob), knob);
    QCOMPARE(int(axis->values.size()), values.size());
    for (int i = 0; i < values.size(); ++i)
        QVERIFY(std::abs(axis->values[i] - values[i]) <= 1e-12 * std::max(1.0, values[i]));
}

void TestSweep::rejectsBadAxes_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addRow("no values") << "beta="
                               << "\"\" is not a number";
    QTest::addRow("no equals") << "beta"
                               << "must be KNOB=V1,V2";
    QTest::addRow("unknown knob")
        << "gamma=1"
        << "unknown knob \"gamma\"; knobs: width, depth, alpha, beta, beta_over_alpha";
    QTest::addRow("not numbers") << "beta=a,b"
                                 << "\"a\" is not a number";
    QTest::addRow("log backwards") << "beta=log:1:0:3"
                                   << "0 < FROM < TO";
    QTest::addRow("log one value") << "beta=log:1:10:1"
                                   << "COUNT from 2 to 1000";
    QTest::addRow("fractional width") << "width=1.5"
                                      << "values must be integers; got 1.5";
    QTest::addRow("inf") << "beta=inf"
                         << "\"inf\" is not a number";
    QTest::addRow("unknown schedule")
        << "schedule=constant,linear"
        << "schedule: \"linear\" is not one of constant, cosine, exponential, step, plateau";
    QTest::addRow("sampling by number") << "sampling=0,1"
                                        << "\"0\" is not one of uniform, equispaced, chebyshev";
}

// A categorical knob's values set the config's enum, and read back as names.
void TestSweep::categoricalKnobsApply() {
    std::string e;
    const auto points = expandSweep(TrainConfig{},
                                    {*parseSweepAxis("schedule=cosine,step", &e),
                                     *parseSweepAxis("sampling=chebyshev,equispaced", &e)},
                                    {1});
    QCOMPARE(points.size(), std::size_t(4));
    QCOMPARE(int(points[0].config.schedule), int(Schedule::Cosine));
    QCOMPARE(int(points[0].config.sampling), int(Sampling::Chebyshev));
    QCOMPARE(int(points[3].config.schedule), int(Schedule::Step));
    QCOMPARE(int(points[3].config.sampling), int(Sampling::Equispaced));
    QCOMPARE(knobValue(points[3].config, Knob::Schedule), 3.0);
    QCOMPARE(QString::fromStdString(knobValueText(Knob::Schedule, 3)), QStringLiteral("step"));
    QCOMPARE(QString::fromStdString(knobValueText(Knob::Sampling, 2)), QStringLiteral("chebyshev"));
    QCOMPARE(QString::fromStdString(knobValueText(Knob::Beta, 0.1)), QStringLiteral("0.1"));
    QCOMPARE(QString::fromStdString(knobValueText(Knob::LearningRate, 1e-3)),
             QStringLiteral("0.001"));
}

void TestSweep::rejectsBadAxes() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!parseSweepAxis(text.toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
}

void TestSweep::parsesSeeds() {
    std::string error;
    const auto seeds = parseSeedList("1-3,7,18446744073709551615", &error);
    QVERIFY2(seeds, error.c_str());
    QCOMPARE(*seeds, (std::vector<std::uint64_t>{1, 2, 3, 7, 18446744073709551615ULL}));
    QCOMPARE(*parseSeedList(" 1 - 3, 7 ", &error), (std::vector<std::uint64_t>{1, 2, 3, 7}));
    QVERIFY(!parseSeedList("3-1", &error));
    QVERIFY(!parseSeedList("-1", &error));
    QVERIFY(!parseSeedList("1,,2", &error));
    QVERIFY(QString::fromStdString(error).contains("range like 1-5"));
}

void TestSweep::boundsTheSeedList_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("seeds"); // 0: refused
    QTest::addColumn<QString>("message");
    QTest::addRow("10000 seeds") << "1-10000" << 10'000 << "";
    QTest::addRow("10001 seeds") << "1-10000,5" << 0
                                 << "seeds: \"1-10000,5\" makes more than 10000 seeds; a sweep "
                                    "has at most 10000 runs";
    // Counted before they are made: 18000 ranges of 9999 seeds would take 1.4 GB.
    QTest::addRow("18000 ranges of 9999")
        << QStringList(18000, QStringLiteral("1-9999")).join(',') << 0
        << "seeds: \"1-9999,1-9999,1-9999,1-9999,1-9999,1-999...\" makes more than 10000 seeds";
}

void TestSweep::boundsTheSeedList() {
    QFETCH(QString, text);
    QFETCH(int, seeds);
    QFETCH(QString, message);
    std::string error;
    const auto list = parseSeedList(text.toStdString(), &error);
    QCOMPARE(list.has_value(), seeds > 0);
    if (list)
        QCOMPARE(int(list->size()), seeds);
    else
        QCOMPARE(QString::fromStdString(error).left(message.size()), message);
}

void TestSweep::expandsInOrder() {
    std::string e;
    const auto points =
        expandSweep(tinyConfig(5),
                    {*parseSweepAxis("beta=0,1", &e), *parseSweepAxis("width=4,8", &e)}, {1, 2, 3});
    QCOMPARE(points.size(), std::size_t(12));
    QCOMPARE(points[0].knobValues, (std::vector<double>{0, 4}));
    QCOMPARE(points[0].seed, std::uint64_t(1));
    QCOMPARE(points[2].seed, std::uint64_t(3));
    QCOMPARE(points[3].knobValues, (std::vector<double>{0, 8}));
    QCOMPARE(points[11].config.beta, 1.0);
    QCOMPARE(points[11].config.width, 8);
    QCOMPARE(points[11].config.seed, std::uint64_t(3));
}

void TestSweep::betaOverAlpha() {
    TrainConfig base = tinyConfig(5);
    base.alpha = 2;
    std::string e;
    const auto points = expandSweep(base, {*parseSweepAxis("beta_over_alpha=0.5,3", &e)}, {9});
    QCOMPARE(points[0].config.beta, 1.0);
    QCOMPARE(points[1].config.beta, 6.0);
    QCOMPARE(points[1].config.alpha, 2.0);
}

void TestSweep::validatesTheWholeSweep() {
    std::string e;
    QVERIFY(validateSweep(tinyConfig(5), {*parseSweepAxis("beta=1", &e)}, {1}).empty());
    const auto bad = validateSweep(tinyConfig(5), {*parseSweepAxis("width=0,8,2000", &e)}, {1});
    QCOMPARE(bad.size(), std::size_t(2));
    QVERIFY(QString::fromStdString(bad[0].message).contains("at width=0: width must be"));
    QVERIFY(validateSweep(tinyConfig(5), {}, {1, 2}).empty()); // a seed ensemble
    QCOMPARE(expandSweep(tinyConfig(5), {}, {1, 2}).size(), std::size_t(2));
    QVERIFY(!validateSweep(tinyConfig(5), {*parseSweepAxis("beta=1", &e)}, {}).empty());
    QVERIFY(!validateSweep(tinyConfig(5),
                           {*parseSweepAxis("beta=1", &e), *parseSweepAxis("beta=2", &e)}, {1})
                 .empty());
    QVERIFY(QString::fromStdString(validateSweep(tinyConfig(5),
                                                 {*parseSweepAxis("beta=log:1:10:1000", &e),
                                                  *parseSweepAxis("alpha=log:1:10:20", &e)},
                                                 {1})[0]
                                       .message)
                .contains("at most 10000"));
}

// validateSweep() checks the target once for the points that share it and its points, and
// gives each point validate()'s verdict all the same.
void TestSweep::checksTheTargetOncePerItsPoints_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("points"); // on the test grid; one more training and validation point
    QTest::addColumn<QStringList>("axesText");
    QTest::addColumn<QString>("seeds");
    QTest::addColumn<int>("invalid"); // points validate() refuses
    QTest::addRow("undefined at 0, every point")
        << "1/x" << 100 << QStringList{"beta=1,2", "width=4,8"} << "1" << 4;
    QTest::addRow("undefined at 0, a seed ensemble") << "1/x" << 100 << QStringList{} << "1-3" << 3;
    // 101 equispaced training points of [-1, 1] include 0.5; the grid of 100 and random
    // points do not.
    QTest::addRow("undefined at an equispaced point")
        << "1/(x-0.5)" << 100 << QStringList{"sampling=uniform,equispaced", "beta=1,2"} << "1-2"
        << 4;
    QTest::addRow("sampling and alpha, fine")
        << "sin(3*x)" << 100 << QStringList{"sampling=uniform,chebyshev", "alpha=1,2"} << "1-2"
        << 0;
    // 10,000 points of a formula at 3,000,000 points: one check, not 10,000 of ~0.3 s each.
    QTest::addRow("10000 points, a million points each")
        << "sin(3*x)*exp(-x^2)" << 999'999
        << QStringList{"beta=log:1e-3:1e3:100", "alpha=log:1e-3:1e3:100"} << "1" << 0;
}

void TestSweep::checksTheTargetOncePerItsPoints() {
    QFETCH(QString, target);
    QFETCH(int, points);
    QFETCH(QStringList, axesText);
    QFETCH(QString, seeds);
    QFETCH(int, invalid);
    TrainConfig base;
    base.target = target.toStdString();
    base.gridPoints = points;
    base.nTrain = base.nVal = points + 1;
    std::vector<SweepAxis> axes;
    std::string error;
    for (const QString& text : axesText)
        axes.push_back(*parseSweepAxis(text.toStdString(), &error));
    const auto seedList = *parseSeedList(seeds.toStdString(), &error);
    // What validate() says of each point, as validateSweep() reports it: the first three. (The
    // 10,000 points of a million points are valid; validate() of each would take an hour.)
    std::vector<std::string> expected;
    int refused = 0;
    if (points < 1000)
        for (const SweepPoint& p : expandSweep(base, axes, seedList))
            if (const auto bad = validate(p.config); !bad.empty() && ++refused <= 3)
                expected.push_back(describe(bad));
    QCOMPARE(refused, invalid);
    const auto problems = validateSweep(base, axes, seedList);
    QCOMPARE(problems.size(), expected.size());
    for (std::size_t i = 0; i < problems.size(); ++i)
        QVERIFY2(problems[i].message.ends_with(expected[i]), problems[i].message.c_str());
}

void TestSweep::parallelRunsMatchRunsAlone() {
    std::string e;
    const auto points = expandSweep(
        tinyConfig(5), {*parseSweepAxis("beta=0,5", &e), *parseSweepAxis("width=4,8", &e)}, {1});
    SweepRunner runner(points, 2);
    std::vector<SweepResult> results(points.size());
    std::mutex mutex;
    QCOMPARE(runner.run([&](std::size_t i, const SweepResult& r) {
        std::lock_guard lock(mutex);
        results[i] = r;
    }),
             std::size_t(4));
    for (std::size_t i = 0; i < points.size(); ++i) {
        Trainer alone(points[i].config);
        alone.trainAll();
        // Bit for bit: every metric of every epoch, every report metric, and the network's
        // outputs on the whole grid (SweepResult carries no parameters; equal outputs stand in).
        QCOMPARE(results[i].history.size(), alone.history().size());
        QVERIFY2(sameHistory(results[i].history, alone.history()), qPrintable(QString::number(i)));
        QVERIFY2(sameReport(results[i].report, alone.report()), qPrintable(QString::number(i)));
        QVERIFY2(samePredictions(results[i].predictions, alone.predictions()),
                 qPrintable(QString::number(i)));
    }
}

void TestSweep::cancelKeepsFinishedRuns() {
    std::string e;
    TrainConfig c = tinyConfig(5);
    c.epochs = 200;
    const auto points = expandSweep(c, {*parseSweepAxis("beta=0,1,2,3,4,5,6,7", &e)}, {1});
    SweepRunner runner(points, 1);
    std::vector<StopReason> reasons;
    const std::size_t ended = runner.run([&](std::size_t, const SweepResult& r) {
        reasons.push_back(r.report.stopReason);
        runner.cancel(); // after the first result
    });
    QCOMPARE(ended, std::size_t(1));
    QCOMPARE(reasons, std::vector<StopReason>{StopReason::Completed});
    QVERIFY(runner.cancelled());
}

void TestSweep::shardsCoverEveryRunOnce_data() {
    QTest::addColumn<int>("count");
    for (int n = 1; n <= 7; ++n)
        QTest::addRow("N=%d", n) << n;
}

// Every run of the sweep is in exactly one of the N shards, for sweeps smaller than N, equal
// to it, and not a multiple of it; and the slices are the same each time they are computed.
void TestSweep::shardsCoverEveryRunOnce() {
    QFETCH(int, count);
    for (std::size_t total : {0, 1, 2, 5, 7, 8, 12, 13, 100}) {
        std::vector<int> seen(total, 0);
        std::size_t largest = 0, smallest = total;
        for (int k = 1; k <= count; ++k) {
            const auto runs = shardRuns(total, Shard{k, count});
            QCOMPARE(runs, shardRuns(total, Shard{k, count}));
            QVERIFY(std::is_sorted(runs.begin(), runs.end()));
            for (std::size_t i : runs) {
                QVERIFY2(i < total, qPrintable(QStringLiteral("run %1 of %2").arg(i).arg(total)));
                ++seen[i];
            }
            largest = std::max(largest, runs.size());
            smallest = std::min(smallest, runs.size());
        }
        for (std::size_t i = 0; i < total; ++i)
            QVERIFY2(
                seen[i] == 1,
                qPrintable(
                    QStringLiteral("run %1 of %2 is in %3 shards").arg(i).arg(total).arg(seen[i])));
        QVERIFY(largest - smallest <= 1); // balanced: the shards differ by one run at most
    }
}

void TestSweep::parsesShards_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("index"); // 0: refused
    QTest::addColumn<int>("count");
    QTest::addRow("first") << "1/4" << 1 << 4;
    QTest::addRow("last") << "4/4" << 4 << 4;
    QTest::addRow("one") << "1/1" << 1 << 1;
    QTest::addRow("zero-based") << "0/4" << 0 << 0;
    QTest::addRow("past the end") << "5/4" << 0 << 0;
    QTest::addRow("no count") << "2" << 0 << 0;
    QTest::addRow("zero shards") << "0/0" << 0 << 0;
    QTest::addRow("negative") << "-1/4" << 0 << 0;
    QTest::addRow("words") << "a/b" << 0 << 0;
    QTest::addRow("spaces") << "1 / 4" << 0 << 0;
    QTest::addRow("too many") << "1/10001" << 0 << 0;
}

void TestSweep::parsesShards() {
    QFETCH(QString, text);
    QFETCH(int, index);
    QFETCH(int, count);
    std::string error;
    const auto shard = parseShard(text.toStdString(), &error);
    if (index == 0) {
        QVERIFY(!shard);
        QVERIFY2(error.find("must be K/N with 1 <= K <= N") != std::string::npos, error.c_str());
        return;
    }
    QVERIFY2(shard, error.c_str());
    QCOMPARE(shard->index, index);
    QCOMPARE(shard->count, count);
}

void TestSweep::shardFromSlurmArray_data() {
    QTest::addColumn<QStringList>("environment"); // NAME=VALUE
    QTest::addColumn<int>("index");               // 0: refused
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("message");
    QTest::addRow("--array=0-3, task 0")
        << QStringList{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0",
                       "SLURM_ARRAY_TASK_COUNT=4"}
        << 1 << 4 << "";
    QTest::addRow("--array=0-3, task 3")
        << QStringList{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=0",
                       "SLURM_ARRAY_TASK_COUNT=4"}
        << 4 << 4 << "";
    QTest::addRow("--array=1-4, task 2")
        << QStringList{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=1",
                       "SLURM_ARRAY_TASK_COUNT=4"}
        << 2 << 4 << "";
    QTest::addRow("--array=0-6:2, task 4")
        << QStringList{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=0",
                       "SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_STEP=2"}
        << 3 << 4 << "";
    QTest::addRow("not in an array") << QStringList{} << 0 << 0
                                     << "SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, "
                                        "SLURM_ARRAY_TASK_COUNT not set";
    QTest::addRow("count missing") << QStringList{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0"}
                                   << 0 << 0 << "slurm: SLURM_ARRAY_TASK_COUNT not set";
    QTest::addRow("not a number") << QStringList{"SLURM_ARRAY_TASK_ID=x", "SLURM_ARRAY_TASK_MIN=0",
                                                 "SLURM_ARRAY_TASK_COUNT=4"}
                                  << 0 << 0 << "SLURM_ARRAY_TASK_ID=\"x\" must be whole numbers";
    QTest::addRow("id below min") << QStringList{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=1",
                                                 "SLURM_ARRAY_TASK_COUNT=4"}
                                  << 0 << 0
                                  << "SLURM_ARRAY_TASK_ID=0 is not one of the array's tasks";
    QTest::addRow("--array=0,5,9, task 9")
        << QStringList{"SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_MIN=0",
                       "SLURM_ARRAY_TASK_COUNT=3"}
        << 0 << 0 << "SLURM_ARRAY_TASK_ID=9 is not one of the array's tasks";
    QTest::addRow("off the step") << QStringList{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=0",
                                                 "SLURM_ARRAY_TASK_COUNT=4",
                                                 "SLURM_ARRAY_TASK_STEP=2"}
                                  << 0 << 0 << "and a step of 2";
    QTest::addRow("zero count") << QStringList{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0",
                                               "SLURM_ARRAY_TASK_COUNT=0"}
                                << 0 << 0 << "SLURM_ARRAY_TASK_COUNT=0";
}

void TestSweep::shardFromSlurmArray() {
    QFETCH(QStringList, environment);
    QFETCH(int, index);
    QFETCH(int, count);
    QFETCH(QString, message);
    const auto lookup = [&](const char* name) -> std::optional<std::string> {
        for (const QString& entry : environment)
            if (entry.section(QLatin1Char('='), 0, 0) == QLatin1String(name))
                return entry.section(QLatin1Char('='), 1).toStdString();
        return std::nullopt;
    };
    std::string error;
    const auto shard = shardFromSlurm(lookup, &error);
    if (index == 0) {
        QVERIFY(!shard);
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
        return;
    }
    QVERIFY2(shard, error.c_str());
    QCOMPARE(shard->index, index);
    QCOMPARE(shard->count, count);
}

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
