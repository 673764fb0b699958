// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/knobregistry.h"
#include "core/config/trainconfig.h"
#include "core/problem/dataset.h"
#include "core/problem/validate.h"

#include <QtTest>

using namespace sobolev;

class TestTrainConfig : public QObject {
    Q_OBJECT
  private slots:
    void defaultsAreTheReferenceExperiment();
    void rejectsOutOfRange_data();
    void rejectsOutOfRange();
    void acceptsBoundaries_data();
    void acceptsBoundaries();
    void reportsEveryProblem();
    void rejectsHugeWorkspace();
    void targetInputsHoldWhatTheTargetCheckReads_data();
    void targetInputsHoldWhatTheTargetCheckReads();
    void listsTheFirstProblemsOfManyChanges_data();
    void listsTheFirstProblemsOfManyChanges();
};

void TestTrainConfig::defaultsAreTheReferenceExperiment() {
    const TrainConfig c;
    QCOMPARE(c.width, 64);
    QCOMPARE(c.depth, 2);
    QCOMPARE(c.activation, Activation::Tanh);
    QCOMPARE(c.alpha, 1.0);
    QCOMPARE(c.beta, 1.0);
    QCOMPARE(c.learningRate, 1e-3);
    QCOMPARE(c.seed, std::uint64_t(12345));
    QCOMPARE(c.epochs, 1000);
    QCOMPARE(c.batchSize, 64);
    QCOMPARE(c.nTrain, 2048);
    QCOMPARE(c.nVal, 512);
    QCOMPARE(c.gridPoints, 1001);
    QCOMPARE(c.target, std::string("runge"));
    QVERIFY(!c.targetParam);
    QCOMPARE(c.domainMin, -1.0);
    QCOMPARE(c.domainMax, 1.0);
    QCOMPARE(c.sampling, Sampling::Uniform);
    QCOMPARE(c.noiseF, 0.0);
    QCOMPARE(c.noiseFprime, 0.0);
    QVERIFY(validate(c).empty());
    QVERIFY(configNotes(c).empty());
}

using Mutation = std::function<void(TrainConfig&)>;
Q_DECLARE_METATYPE(Mutation)

void TestTrainConfig::rejectsOutOfRange_data() {
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("allowed");
    const double nan = std::nan("");
    QTest::addRow("width 0") << Mutation([](TrainConfig& c) { c.width = 0; }) << "width"
                             << "from 1 to 1024";
    QTest::addRow("width 1025") << Mutation([](TrainConfig& c) { c.width = 1025; }) << "width"
                                << "from 1 to 1024";
    QTest::addRow("depth 0") << Mutation([](TrainConfig& c) { c.depth = 0; }) << "depth"
                             << "from 1 to 8";
    QTest::addRow("depth 9") << Mutation([](TrainConfig& c) { c.depth = 9; }) << "depth"
                             << "from 1 to 8";
    QTest::addRow("alpha -1") << Mutation([](TrainConfig& c) { c.alpha = -1; }) << "alpha"
                              << "from 0 to";
    QTest::addRow("alpha NaN") << Mutation([nan](TrainConfig& c) { c.alpha = nan; }) << "alpha"
                               << "from 0 to";
    QTest::addRow("beta inf") << Mutation([](TrainConfig& c) { c.beta = INFINITY; }) << "beta"
                              << "from 0 to";
    QTest::addRow("alpha and beta 0")
        << Mutation([](TrainConfig& c) { c.alpha = c.beta = 0; }) << "beta"
        << "cannot both be 0";
    QTest::addRow("lr 0") << Mutation([](TrainConfig& c) { c.learningRate = 0; }) << "learning_rate"
                          << "greater than 0 and at most 1";
    QTest::addRow("lr 2") << Mutation([](TrainConfig& c) { c.learningRate = 2; }) << "learning_rate"
                          << "greater than 0 and at most 1";
    QTest::addRow("lr NaN") << Mutation([nan](TrainConfig& c) { c.learningRate = nan; })
                            << "learning_rate"
                            << "greater than 0";
    QTest::addRow("epochs 0") << Mutation([](TrainConfig& c) { c.epochs = 0; }) << "epochs"
                              << "from 1 to 1000000";
    QTest::addRow("epochs too many")
        << Mutation([](TrainConfig& c) { c.epochs = 1'000'001; }) << "epochs"
        << "from 1 to 1000000";
    QTest::addRow("n_train 0") << Mutation([](TrainConfig& c) { c.nTrain = 0; }) << "n_train"
                               << "from 1 to 1000000";
    QTest::addRow("n_val 0") << Mutation([](TrainConfig& c) { c.nVal = 0; }) << "n_val"
                             << "from 1 to 1000000";
    QTest::addRow("n_val too many")
        << Mutation([](TrainConfig& c) { c.nVal = 2'000'000; }) << "n_val"
        << "from 1 to 1000000";
    QTest::addRow("grid 1") << Mutation([](TrainConfig& c) { c.gridPoints = 1; }) << "grid_points"
                            << "from 2 to 1000000";
    QTest::addRow("batch 0") << Mutation([](TrainConfig& c) { c.batchSize = 0; }) << "batch_size"
                             << "from 1 to 1000000";
    QTest::addRow("noise_f -0.1") << Mutation([](TrainConfig& c) { c.noiseF = -0.1; }) << "noise_f"
                                  << "from 0 to";
    QTest::addRow("noise_fprime NaN")
        << Mutation([nan](TrainConfig& c) { c.noiseFprime = nan; }) << "noise_fprime"
        << "from 0 to";
    QTest::addRow("domain reversed") << Mutation([](TrainConfig& c) {
        c.domainMin = 1;
        c.domainMax = -1;
    }) << "domain"
                                     << "a < b";
    QTest::addRow("domain huge") << Mutation([](TrainConfig& c) { c.domainMax = 1e7; }) << "domain"
                                 << "at most 1000000";
    QTest::addRow("unknown preset")
        << Mutation([](TrainConfig& c) { c.target = "rungee"; }) << "target"
        << "runge, sine, tanh";
    QTest::addRow("runge k 0") << Mutation([](TrainConfig& c) { c.targetParam = 0; })
                               << "target_param"
                               << "k of runge must be from";
    QTest::addRow("polynomial degree 2.5") << Mutation([](TrainConfig& c) {
        c.target = "polynomial";
        c.targetParam = 2.5;
    }) << "target_param"
                                           << "an integer from 0 to 30";
    QTest::addRow("pinn with a parameter") << Mutation([](TrainConfig& c) {
        c.target = "pinn";
        c.targetParam = 1;
    }) << "target_param"
                                           << "has no parameter";
    QTest::addRow("polynomial beyond float") << Mutation([](TrainConfig& c) {
        c.target = "polynomial";
        c.targetParam = 30;
        c.domainMin = -1e6;
    }) << "domain"
                                             << "float range";
}

void TestTrainConfig::rejectsOutOfRange() {
    QFETCH(Mutation, mutate);
    QFETCH(QString, field);
    QFETCH(QString, allowed);
    TrainConfig c;
    mutate(c);
    const auto problems = validate(c);
    QVERIFY(!problems.empty());
    const auto it = std::find_if(problems.begin(), problems.end(), [&](const ConfigProblem& p) {
        return p.field == field.toStdString();
    });
    QVERIFY2(it != problems.end(), describe(problems).c_str());
    QVERIFY2(QString::fromStdString(it->message).contains(allowed), it->message.c_str());
}

void TestTrainConfig::acceptsBoundaries_data() {
    QTest::addColumn<Mutation>("mutate");
    QTest::addRow("width 1") << Mutation([](TrainConfig& c) { c.width = 1; });
    QTest::addRow("width 1024, depth 8") << Mutation([](TrainConfig& c) {
        c.width = 1024;
        c.depth = 8;
    });
    QTest::addRow("alpha 0") << Mutation([](TrainConfig& c) { c.alpha = 0; });
    QTest::addRow("beta 0") << Mutation([](TrainConfig& c) { c.beta = 0; });
    QTest::addRow("lr 1") << Mutation([](TrainConfig& c) { c.learningRate = 1; });
    QTest::addRow("seed max") << Mutation([](TrainConfig& c) { c.seed = ~std::uint64_t(0); });
    QTest::addRow("batch = n_train") << Mutation([](TrainConfig& c) { c.batchSize = c.nTrain; });
    // The trainer then uses batches of n_train, and configNotes() says so.
    QTest::addRow("batch > n_train") << Mutation([](TrainConfig& c) {
        c.nTrain = 15;
        c.batchSize = 64;
    });
    QTest::addRow("n_train 1e6, batch 1") << Mutation([](TrainConfig& c) {
        c.nTrain = 1'000'000;
        c.batchSize = 1;
    });
    QTest::addRow("sin") << Mutation([](TrainConfig& c) { c.activation = Activation::Sin; });
}

void TestTrainConfig::acceptsBoundaries() {
    QFETCH(Mutation, mutate);
    TrainConfig c;
    mutate(c);
    const auto problems = validate(c);
    QVERIFY2(problems.empty(), describe(problems).c_str());
}

void TestTrainConfig::reportsEveryProblem() {
    TrainConfig c;
    c.width = 0;
    c.depth = 99;
    c.learningRate = -1;
    QCOMPARE(validate(c).size(), std::size_t(3));
}

void TestTrainConfig::rejectsHugeWorkspace() {
    TrainConfig c;
    c.width = 1024;
    c.depth = 8;
    c.nTrain = 1'000'000;
    c.batchSize = 1'000'000;
    const auto problems = validate(c);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems[0].field, std::string("batch_size"));
    QVERIFY(QString::fromStdString(problems[0].message).contains("MiB"));
}

void TestTrainConfig::targetInputsHoldWhatTheTargetCheckReads_data() {
    QTest::addColumn<int>("knob");
    for (const KnobInfo& info : knobRegistry())
        if (info.stored && (info.intField || info.realField || info.set))
            QTest::newRow(info.key) << int(info.knob);
}

// Each knob in turn is moved off its default: whenever that moves the points the target is
// checked at, or changes the verdict, targetInputs() must keep the knob.
void TestTrainConfig::targetInputsHoldWhatTheTargetCheckReads() {
    QFETCH(int, knob);
    const KnobInfo& info = knobInfo(Knob(knob));
    for (const char* target : {"runge", "sqrt(x + 0.999)", "log(x^2 - 0.25)"}) {
        TrainConfig base;
        base.target = target;
        TrainConfig changed = base;
        const double now = knobValue(base, info.knob);
        if (info.choices || info.boolField)
            setKnob(changed, info.knob, now == 0 ? 1 : 0);
        else
            setKnob(changed, info.knob,
                    now + 1 <= info.max ? std::min(now == 0 ? 1 : now * 2, info.max)
                                        : (now == info.min ? info.max : info.min));
        if (knobValue(changed, info.knob) == now)
            QSKIP("no other value to try");
        if (!knobProblems(changed).empty())
            continue; // validate() would not look at the target
        const auto [trainA, valA] = Dataset::trainAndValidationX(changed);
        const auto [trainB, valB] = Dataset::trainAndValidationX(base);
        const bool samePoints = trainA.size() == trainB.size() && valA.size() == valB.size() &&
                                trainA == trainB && valA == valB;
        const auto verdict = [](const TrainConfig& c) {
            std::vector<std::string> lines;
            for (const ConfigProblem& p : targetProblems(c))
                lines.push_back(p.field + ": " + p.message);
            return lines;
        };
        if (!samePoints || verdict(changed) != verdict(base))
            QVERIFY2(!(targetInputs(changed) == targetInputs(base)), target);
        QVERIFY2(verdict(targetInputs(changed)) == verdict(changed), target);
    }
}

void TestTrainConfig::listsTheFirstProblemsOfManyChanges_data() {
    QTest::addColumn<int>("changes");
    QTest::addColumn<int>("listed");
    QTest::addColumn<QString>("last");
    QTest::addRow("20 bad changes: each named")
        << 20 << 20 << "the change at epoch 2000, batch 1 (beta=1): the epoch must be";
    QTest::addRow("21: the 21st counted") << 21 << 21 << "1 more problems with changes";
    QTest::addRow("100000: a line, not 100000")
        << 100'000 << 21 << "99980 more problems with changes; only the first 20 are listed";
}

void TestTrainConfig::listsTheFirstProblemsOfManyChanges() {
    QFETCH(int, changes);
    QFETCH(int, listed);
    QFETCH(QString, last);
    TrainConfig c;
    c.changes.assign(std::size_t(changes), KnobChange{2000, 1, Knob::Beta, 1.0});
    const auto problems = validate(c);
    QCOMPARE(int(problems.size()), listed);
    for (const ConfigProblem& p : problems)
        QCOMPARE(p.field, std::string("changes"));
    QVERIFY2(QString::fromStdString(problems.back().message).contains(last),
             problems.back().message.c_str());
}

QTEST_GUILESS_MAIN(TestTrainConfig)
#include "tst_trainconfig.moc"
