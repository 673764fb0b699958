// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/optim/adam.h"
#include "core/problem/validate.h"
#include "core/train/checkpoint.h"
#include "core/train/hooks.h"
#include "core/train/trainer.h"
#include "coretestutil.h"
#include "testutil.h"

#include <QtTest>

#include <cstring>
#include <memory>
#include <numeric>

using namespace sobolev;
using namespace sobolev::testutil;

Q_DECLARE_METATYPE(sobolev::TrainConfig)

class TestTrainer : public QObject {
    Q_OBJECT
  private slots:
    void trainsOnMeasuredData_data();
    void trainsOnMeasuredData();
    void measuredDataWithoutFprimeHaveNoFprimeErrors();
    void measuredPredictionsHaveADenseCurve();
    void rejectsInvalidConfig();
    void lossFalls();
    void epochMetricsMatchARecomputation();
    void identicalHistoryForSameSeed();
    void differentSeedsDiffer();
    void interruptedAtEpochStartsMatchesUninterrupted();
    void interruptedMidEpochMatchesUninterrupted();
    void batchObserverSeesEveryBatchAndChangesNothing();
    void resetRestartsTheSameRun();
    void restoredCheckpointContinuesBitIdentically_data();
    void restoredCheckpointContinuesBitIdentically();
    void checkpointOfAnotherRunIsRefused();
    void sameSeedSharesDataAndStartAcrossBeta();
    void streamsDoNotFollowOtherKnobs();
    void matchesAHandWrittenLoop_data();
    void matchesAHandWrittenLoop();
    void divergenceIsReported_data();
    void divergenceIsReported();
    void stopMarksTheRun();
    void reportMatchesPredictions();
    void partialLastBatch();
    void liveChangeReplaysFromConfig_data();
    void liveChangeReplaysFromConfig();
    void listedChangeActsFromItsEpoch();
    void resetForgetsLiveChanges();
    void changesAreValidated_data();
    void changesAreValidated();
};

void TestTrainer::rejectsInvalidConfig() {
    TrainConfig c;
    c.width = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer{c});
}

void TestTrainer::lossFalls() {
    TrainConfig c = smallConfig();
    c.epochs = 60;
    c.learningRate = 1e-2;
    Trainer t(c);
    int calls = 0;
    QCOMPARE(t.trainAll(nullptr, [&](const EpochMetrics& m) { QCOMPARE(m.epoch, ++calls); }),
             StopReason::Completed);
    QCOMPARE(calls, 60);
    QCOMPARE(t.epochsDone(), 60);
    const auto& h = t.history();
    QVERIFY2(h.back().loss < 0.1 * h.front().loss,
             qPrintable(QStringLiteral("%1 -> %2").arg(h.front().loss).arg(h.back().loss)));
    QVERIFY(h.back().valLoss < 0.1 * h.front().valLoss);
    QVERIFY(h.back().seconds >= h.front().seconds);
}

namespace {

struct Recomputed {
    double loss, mseF, mseFprime;
};

// The Sobolev loss of `net` on `data`, recomputed here in double from the network's values and
// derivatives (predict()) and the dataset's targets:
//   mse_f = 1/n sum (f_theta(x_i) - f_i)^2,  mse_f' = 1/n sum (f_theta'(x_i) - f'_i)^2,
//   loss = alpha mse_f + beta mse_f'.
Recomputed recompute(Mlp<float> net, const Dataset& data, double alpha, double beta) {
    const int n = data.size();
    Eigen::RowVectorXf y(n), dy(n);
    net.predict(data.x, y, dy);
    double sf = 0, sfp = 0;
    for (int i = 0; i < n; ++i) {
        const double ef = double(y[i]) - double(data.f[i]);
        const double efp = double(dy[i]) - double(data.fprime[i]);
        sf += ef * ef;
        sfp += efp * efp;
    }
    return {alpha * sf / n + beta * sfp / n, sf / n, sfp / n};
}

// The trainer sums squares in float: n = 256 terms leave a relative error far below 1e-5,
// while an off-by-one count (1/256), a dropped or swapped term is far above it.
bool close(double got, double want) {
    return std::abs(got - want) <= 1e-5 * std::abs(want);
}

} // namespace

void TestTrainer::epochMetricsMatchARecomputation() {
    TrainConfig c = smallConfig(2);
    c.batchSize = c.nTrain; // one batch: epoch 1's train loss is the loss at the initial weights
    c.alpha = 0.7;          // unequal weights, so that swapping alpha and beta shows
    c.beta = 1.9;
    Trainer t(c);
    const Mlp<float> initial = t.network<float>();
    t.train(1);
    const EpochMetrics& m = t.history().at(0);
    const Recomputed train = recompute(initial, t.trainingData(), c.alpha, c.beta);
    QVERIFY2(close(m.mseF, train.mseF),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.mseF).arg(train.mseF)));
    QVERIFY2(close(m.mseFprime, train.mseFprime),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.mseFprime).arg(train.mseFprime)));
    QVERIFY2(close(m.loss, train.loss),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.loss).arg(train.loss)));

    // Validation metrics are taken on the whole validation set with the weights after the epoch.
    const Dataset val = Dataset::trainAndValidation(c).second;
    QCOMPARE(val.size(), c.nVal);
    const Recomputed v = recompute(t.network<float>(), val, c.alpha, c.beta);
    QVERIFY2(close(m.valMseF, v.mseF),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.valMseF).arg(v.mseF)));
    QVERIFY2(close(m.valMseFprime, v.mseFprime),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.valMseFprime).arg(v.mseFprime)));
    QVERIFY2(close(m.valLoss, v.loss),
             qPrintable(QStringLiteral("%1 vs %2").arg(m.valLoss).arg(v.loss)));
    // The step was taken: the validation loss is not the initial weights' one.
    QVERIFY(!close(m.valLoss, recompute(initial, val, c.alpha, c.beta).loss));
}

void TestTrainer::identicalHistoryForSameSeed() {
    Trainer a(smallConfig()), b(smallConfig());
    a.trainAll();
    b.trainAll();
    QVERIFY(sameHistory(a.history(), b.history()));
    QVERIFY(sameParameters(a.network<float>().parameters(), b.network<float>().parameters()));
}

void TestTrainer::differentSeedsDiffer() {
    TrainConfig c = smallConfig();
    Trainer a(c);
    c.seed = 12346;
    Trainer b(c);
    a.train(2);
    b.train(2);
    QVERIFY(a.history()[1].loss != b.history()[1].loss);
}

void TestTrainer::interruptedAtEpochStartsMatchesUninterrupted() {
    TrainConfig c = smallConfig(8);
    c.batchSize = 24; // 256 = 10 x 24 + 16: a partial last batch
    Trainer whole(c);
    whole.trainAll();

    // The flag is up before the first call and after every finished epoch: each call opens the
    // next epoch (drawing its shuffle) and returns before its first batch; the next call must
    // go on with that epoch, not draw another shuffle.
    Trainer pieces(c);
    std::atomic<bool> stop{true};
    QCOMPARE(pieces.trainAll(&stop), StopReason::None);
    QCOMPARE(pieces.epochsDone(), 0);
    QVERIFY(sameParameters(pieces.network<float>().parameters(),
                           Trainer(c).network<float>().parameters()));
    int calls = 0;
    for (int round = 1; round <= c.epochs; ++round) {
        stop = false;
        const StopReason r = pieces.trainAll(&stop, [&](const EpochMetrics&) {
            ++calls;
            stop = true;
        });
        QCOMPARE(r, round < c.epochs ? StopReason::None : StopReason::Completed);
        QCOMPARE(pieces.epochsDone(), round);
    }
    QCOMPARE(calls, c.epochs);
    QVERIFY(sameHistory(whole.history(), pieces.history()));
    QVERIFY(
        sameParameters(whole.network<float>().parameters(), pieces.network<float>().parameters()));
}

// The batch observer (per-batch slow motion) is called between the batches of every epoch,
// may look at the network there, and the run is the same to the bit.
void TestTrainer::batchObserverSeesEveryBatchAndChangesNothing() {
    TrainConfig c = smallConfig();
    c.epochs = 3;
    const int batches = batchesPerEpoch(c);
    QVERIFY(batches > 2);
    Trainer plain(c);
    plain.trainAll();

    Trainer watched(c);
    QList<std::pair<int, int>> seen;
    std::vector<double> firstPoints; // f_theta at the grid's first point, batch by batch
    watched.train(c.epochs, nullptr, {}, [&](int epoch, int batch) {
        seen.append({epoch, batch});
        firstPoints.push_back(watched.predictions().fHat.front());
    });
    QList<std::pair<int, int>> expected;
    for (int epoch = 1; epoch <= c.epochs; ++epoch)
        for (int batch = 1; batch < batches; ++batch) // the last one ends the epoch
            expected.append({epoch, batch});
    QCOMPARE(seen, expected);
    QVERIFY(sameHistory(plain.history(), watched.history()));
    QVERIFY(
        sameParameters(plain.network<float>().parameters(), watched.network<float>().parameters()));
    // The network moved from batch to batch.
    QVERIFY(firstPoints.front() != firstPoints.back());
}

void TestTrainer::interruptedMidEpochMatchesUninterrupted() {
    TrainConfig c = smallConfig();
    c.nTrain = 2048;
    c.batchSize = 8; // many batches per epoch, so interruptions land mid-epoch
    c.epochs = 8;
    Trainer whole(c);
    whole.trainAll();

    // The stop flag is raised at batch counts that fall inside epochs (a prime stride against
    // 256 batches an epoch), as a pause button pressed mid-epoch would: by an observer hook,
    // which only sets the flag that the trainer reads between batches, as the window's pause
    // does from another thread. A timer thread would make where the run stops depend on the
    // machine's load.
    Trainer pieces(c);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    pieces.addHook(std::make_unique<RaiseFlagEvery>(97, stop));
    Eigen::VectorXf atEpochEnd = pieces.network<float>().parameters();
    const auto onEpoch = [&](const EpochMetrics&) {
        atEpochEnd = pieces.network<float>().parameters();
    };
    int midEpoch = 0, rounds = 0;
    while (!pieces.finished() && rounds++ < 1000) {
        *stop = false;
        const StopReason r = pieces.trainAll(stop.get(), onEpoch);
        if (r == StopReason::None &&
            !sameParameters(pieces.network<float>().parameters(), atEpochEnd))
            ++midEpoch;
    }
    QVERIFY(pieces.finished());
    QVERIFY(midEpoch > 8); // 8 epochs of 256 batches, a stop every 97: about 21 of them
    QVERIFY(sameHistory(whole.history(), pieces.history()));
    QVERIFY(
        sameParameters(whole.network<float>().parameters(), pieces.network<float>().parameters()));
}

void TestTrainer::resetRestartsTheSameRun() {
    Trainer a(smallConfig());
    const Eigen::VectorXf initial = a.network<float>().parameters();
    a.train(5);
    const auto firstFive = a.history();
    const Eigen::VectorXf afterFive = a.network<float>().parameters();
    a.train(5);
    a.reset();
    QCOMPARE(a.epochsDone(), 0);
    QVERIFY(!a.finished());
    QVERIFY(sameParameters(a.network<float>().parameters(), initial));
    a.train(5);
    QVERIFY(sameHistory(firstFive, a.history()));
    QVERIFY(sameParameters(a.network<float>().parameters(), afterFive));
}

void TestTrainer::restoredCheckpointContinuesBitIdentically_data() {
    QTest::addColumn<TrainConfig>("config");
    QTest::addColumn<int>("rows");       // rows trained before the checkpoint
    QTest::addColumn<int>("midBatches"); // then this many batches more (0: none)
    TrainConfig c = smallConfig(12);
    c.batchSize = 8; // 32 batches an epoch
    QTest::addRow("Adam, at an epoch's end") << c << 5 << 0;
    QTest::addRow("Adam, inside an epoch") << c << 5 << 13;
    TrainConfig hooks = c;
    hooks.schedule = Schedule::Plateau;
    hooks.patience = 1;
    hooks.restoreBest = true;
    hooks.changes = {{3, 5, Knob::Beta, 10}, {8, 1, Knob::LearningRate, 3e-3}};
    QTest::addRow("plateau, changes, restore_best") << hooks << 6 << 3;
    TrainConfig lbfgs = smallConfig(4);
    lbfgs.lbfgsIterations = 20;
    lbfgs.lbfgsHistory = 3; // fewer pairs than iterations: the kept ones wrap around
    lbfgs.lbfgsPrecision = Precision::Float64;
    QTest::addRow("at the Adam to L-BFGS boundary") << lbfgs << 4 << 0;
    QTest::addRow("inside L-BFGS") << lbfgs << 4 + 9 << 0;
    lbfgs.lbfgsPrecision = Precision::Float32;
    lbfgs.lbfgsChangeTolerance = 1e-12;
    QTest::addRow("inside float32 L-BFGS with a change test") << lbfgs << 4 + 11 << 0;
}

// A run checkpointed part-way (through its bytes, as a file would hold it) and restored into
// a fresh trainer ends exactly as the run that was never stopped.
void TestTrainer::restoredCheckpointContinuesBitIdentically() {
    QFETCH(TrainConfig, config);
    QFETCH(int, rows);
    QFETCH(int, midBatches);
    Trainer whole(config);
    whole.trainAll();

    auto flag = std::make_shared<std::atomic<bool>>(false);
    const int batches = (config.nTrain + config.batchSize - 1) / config.batchSize;
    Trainer first(config);
    first.addHook(std::make_unique<RaiseFlagEvery>(rows * batches + midBatches, flag));
    first.train(rows);
    if (midBatches > 0)
        QCOMPARE(first.trainAll(flag.get()), StopReason::None);
    QCOMPARE(first.epochsDone(), rows);
    const std::string bytes = checkpointBytes(first.checkpoint());

    Trainer resumed(config);
    resumed.addHook(std::make_unique<RaiseFlagEvery>(1, flag)); // the same hooks; never read
    resumed.train(2);                                           // restore() must forget this
    resumed.restore(checkpointFromBytes(bytes));
    QCOMPARE(resumed.epochsDone(), rows);
    QCOMPARE(resumed.trainAll(), whole.stopReason());
    QVERIFY(sameHistory(whole.history(), resumed.history()));
    QVERIFY(sameParameters(whole.parameters(), resumed.parameters()));
    QCOMPARE(resumed.stopMessage(), whole.stopMessage());
    QVERIFY(sameReport(whole.report(), resumed.report()));
    QVERIFY(samePredictions(whole.predictions(), resumed.predictions()));
    QCOMPARE(resumed.hookActions().size(), whole.hookActions().size());
}

void TestTrainer::checkpointOfAnotherRunIsRefused() {
    Trainer a(smallConfig());
    a.train(3);
    const TrainerCheckpoint saved = a.checkpoint();
    TrainConfig wider = smallConfig();
    wider.width = 17;
    Trainer b(wider);
    try {
        b.restore(saved);
        QFAIL("a checkpoint of another network was restored");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::strstr(e.what(), "parameters") != nullptr, e.what());
    }
    QCOMPARE(b.epochsDone(), 0);
    // Values no run of this config can have: refused with the trainer back at its start.
    Trainer same(smallConfig());
    TrainerCheckpoint badAlpha = saved;
    badAlpha.alpha = -1;
    TrainerCheckpoint badBest = saved;
    badBest.hooks[1].vectors[0].resize(3); // the best-weights hook's weights
    for (const TrainerCheckpoint& bad : {badAlpha, badBest}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, same.restore(bad));
        QCOMPARE(same.epochsDone(), 0);
    }
    same.restore(saved);
    QCOMPARE(same.epochsDone(), 3);
    const std::string bytes = checkpointBytes(saved);
    for (const std::size_t cut :
         {std::size_t(0), std::size_t(10), bytes.size() / 2, bytes.size() - 1}) {
        try {
            checkpointFromBytes(std::string_view(bytes).substr(0, cut));
            QFAIL("a cut checkpoint was read");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::strstr(e.what(), "not a valid checkpoint") != nullptr, e.what());
        }
    }
}

void TestTrainer::sameSeedSharesDataAndStartAcrossBeta() {
    TrainConfig c = smallConfig();
    Trainer a(c);
    c.beta = 5;
    c.learningRate = 0.01;
    Trainer b(c);
    QVERIFY(a.network<float>().parameters() == b.network<float>().parameters());
    QVERIFY(a.trainingData().x == b.trainingData().x);
    c.width = 32; // the data stream does not depend on the network
    Trainer w(c);
    QVERIFY(a.trainingData().x == w.trainingData().x);
}

void TestTrainer::streamsDoNotFollowOtherKnobs() {
    // Data, weights and shuffling each have a stream: the initial weights do not move with
    // the amount of data, the batch size or the loss knobs, and the data not with the network.
    const TrainConfig base = smallConfig();
    const Trainer reference(base);
    for (const auto& change : std::vector<std::function<void(TrainConfig&)>>{
             [](TrainConfig& c) { c.nTrain = 200; }, [](TrainConfig& c) { c.nVal = 3; },
             [](TrainConfig& c) { c.batchSize = 7; },
             [](TrainConfig& c) {
                 c.alpha = 0;
                 c.learningRate = 0.5;
             }}) {
        TrainConfig c = base;
        change(c);
        QVERIFY(sameParameters(Trainer(c).network<float>().parameters(),
                               reference.network<float>().parameters()));
    }
    for (const auto& change : std::vector<std::function<void(TrainConfig&)>>{
             [](TrainConfig& c) { c.depth = 3; },
             [](TrainConfig& c) { c.activation = Activation::Sin; },
             [](TrainConfig& c) { c.batchSize = 5; }}) {
        TrainConfig c = base;
        change(c);
        QVERIFY(sameParameters(Trainer(c).trainingData().x, reference.trainingData().x));
    }
    // The first layer's weights (fan-in 1) are not the training x's scaled by the Glorot
    // limit, as they would be if both came from one stream.
    const float limit = float(std::sqrt(6.0 / (1 + base.width)));
    const auto& x = reference.trainingData().x;
    const auto& p = reference.network<float>().parameters();
    int matches = 0;
    for (int i = 0; i < base.width; ++i)
        matches += std::abs(p[i] / limit - x[i]) < 1e-5f;
    QCOMPARE(matches, 0);
}

void TestTrainer::matchesAHandWrittenLoop_data() {
    QTest::addColumn<int>("nTrain");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("depth");
    QTest::addColumn<quint64>("referenceSeed"); // 0: the tiny config above; else the reference
    QTest::addRow("10 in batches of 4 (4, 4, 2)") << 10 << 4 << 1 << quint64(0);
    QTest::addRow("9 in one batch") << 9 << 9 << 2 << quint64(0);
    QTest::addRow("7 in batches of 1") << 7 << 1 << 1 << quint64(0);
    QTest::addRow("13 in batches of 5, depth 3") << 13 << 5 << 3 << quint64(0);
    // The reference experiment itself (its first 30 epochs): the optimiser knobs at their
    // defaults must leave it plain constant-rate Adam in float.
    QTest::addRow("reference experiment, seed 12345") << 0 << 0 << 0 << quint64(12345);
    QTest::addRow("reference experiment, seed 1") << 0 << 0 << 0 << quint64(1);
}

void TestTrainer::matchesAHandWrittenLoop() {
    QFETCH(int, nTrain);
    QFETCH(int, batchSize);
    QFETCH(int, depth);
    QFETCH(quint64, referenceSeed);
    TrainConfig c = tinyConfig(3);
    c.width = 3;
    c.depth = depth;
    c.nTrain = nTrain;
    c.batchSize = batchSize;
    c.nVal = 5;
    c.alpha = 0.6;
    c.beta = 1.3;
    c.learningRate = 0.01;
    if (referenceSeed != 0) {
        c = TrainConfig{};
        c.seed = referenceSeed;
        c.epochs = 30;
    }
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);

    // The same run written out from its description (DESIGN.md section 1, trainer.h):
    // data from the data stream, Glorot weights from the weight stream; every epoch a fresh
    // permutation from the shuffle stream, cut into batches of batch_size (the last one
    // partial) with one Adam step each; an epoch's train metrics are the mean over its
    // batches of each batch's terms (taken before its step), its validation metrics are
    // taken on the whole validation set after the epoch. Same operations on the same
    // numbers, so the parameters and the train metrics agree to the bit.
    const auto [train, val] = Dataset::trainAndValidation(c);
    Mlp<float> net(c.width, c.depth, c.activation);
    Rng weightRng = Rng::forStream(c.seed, WeightStream);
    net.initGlorot(weightRng);
    QVERIFY(sameParameters(net.parameters(), Trainer(c).network<float>().parameters()));
    Adam<float> adam(net.parameterCount());
    Rng shuffleRng = Rng::forStream(c.seed, ShuffleStream);
    net.reserve(c.batchSize);
    Mlp<float>::Vector grad;
    for (int epoch = 1; epoch <= c.epochs; ++epoch) {
        std::vector<int> order(c.nTrain);
        std::iota(order.begin(), order.end(), 0);
        shuffleRng.shuffle(order);
        double loss = 0, mseF = 0, mseFprime = 0;
        int batches = 0;
        for (int start = 0; start < c.nTrain; start += c.batchSize) {
            const int n = std::min(c.batchSize, c.nTrain - start);
            Eigen::RowVectorXf x(n), f(n), fp(n);
            for (int i = 0; i < n; ++i) {
                x[i] = train.x[order[start + i]];
                f[i] = train.f[order[start + i]];
                fp[i] = train.fprime[order[start + i]];
            }
            const BatchLoss terms =
                net.lossAndGradient(x, f, fp, float(c.alpha), float(c.beta), grad);
            adam.update(net.parameters(), grad, c.learningRate);
            loss += terms.loss;
            mseF += terms.mseF;
            mseFprime += terms.mseFprime;
            ++batches;
        }
        QCOMPARE(batches, (c.nTrain + c.batchSize - 1) / c.batchSize);
        const EpochMetrics& m = t.history().at(epoch - 1);
        QCOMPARE(m.epoch, epoch);
        QVERIFY2(sameBits(m.loss, loss / batches) && sameBits(m.mseF, mseF / batches) &&
                     sameBits(m.mseFprime, mseFprime / batches),
                 qPrintable(QStringLiteral("epoch %1: loss %2 by hand %3")
                                .arg(epoch)
                                .arg(m.loss)
                                .arg(loss / batches)));
        const Recomputed v = recompute(net, val, c.alpha, c.beta);
        QVERIFY2(close(m.valLoss, v.loss) && close(m.valMseF, v.mseF) &&
                     close(m.valMseFprime, v.mseFprime),
                 qPrintable(QStringLiteral("epoch %1: val loss %2 by hand %3")
                                .arg(epoch)
                                .arg(m.valLoss)
                                .arg(v.loss)));
    }
    QVERIFY(sameParameters(net.parameters(), t.network<float>().parameters()));
}

void TestTrainer::divergenceIsReported_data() {
    QTest::addColumn<int>("activation");
    QTest::addColumn<int>("depth");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("weight");
    QTest::addColumn<QString>("what"); // a regular expression the message must match
    QTest::addColumn<QString>("hint");
    // Adam's step does not grow with the loss scale: unbounded activations and lr 1 are what
    // make these overflow. The softplus rows fail in a batch (batch 3 of epoch 1, with and
    // without -march=native); the sin row fails in a batch or in the validation after an
    // epoch depending on the build's instruction set, so only "became NaN" is pinned there.
    QTest::addRow("softplus depth 8, lr 1")
        << int(Activation::Softplus) << 8 << 1.0 << 1.0
        << "^loss became NaN at epoch \\d+ \\(batch \\d+ of 8\\)"
        << "smaller learning rate";
    QTest::addRow("sin depth 4, lr 1") << int(Activation::Sin) << 4 << 1.0 << 1.0 << "became NaN"
                                       << "smaller learning rate";
    QTest::addRow("softplus depth 4, lr 1, weights 1e12")
        << int(Activation::Softplus) << 4 << 1.0 << 1e12
        << "^loss became NaN at epoch \\d+ \\(batch \\d+ of 8\\)"
        << "smaller alpha/beta";
}

void TestTrainer::divergenceIsReported() {
    QFETCH(int, activation);
    QFETCH(int, depth);
    QFETCH(double, lr);
    QFETCH(double, weight);
    QFETCH(QString, what);
    QFETCH(QString, hint);
    TrainConfig c = smallConfig();
    c.width = 64;
    c.activation = Activation(activation);
    c.depth = depth;
    c.learningRate = lr;
    c.alpha = weight;
    c.beta = weight;
    c.epochs = 300;
    Trainer t(c);
    int calls = 0;
    QCOMPARE(t.trainAll(nullptr, [&](const EpochMetrics&) { ++calls; }), StopReason::Diverged);
    // Divergence stops the run where it happened, long before its 300 epochs.
    QVERIFY2(t.epochsDone() < c.epochs, qPrintable(QString::number(t.epochsDone())));
    QCOMPARE(calls, t.epochsDone());
    const QString msg = QString::fromStdString(t.stopMessage());
    QVERIFY2(msg.contains(hint), qPrintable(msg));
    QVERIFY2(msg.contains(QRegularExpression(what)), qPrintable(msg));
    const std::string problem = divergenceProblem(t);
    QVERIFY2(problem.empty(), problem.c_str());
    const FitReport r = t.report();
    QCOMPARE(r.stopReason, StopReason::Diverged);
    QCOMPARE(r.epochsRun, t.epochsDone());
    // Training after divergence does nothing.
    const Eigen::VectorXf atStop = t.network<float>().parameters();
    const int done = t.epochsDone();
    QCOMPARE(t.train(10), StopReason::Diverged);
    QCOMPARE(t.epochsDone(), done);
    QVERIFY(sameParameters(t.network<float>().parameters(), atStop));
}

void TestTrainer::stopMarksTheRun() {
    Trainer t(smallConfig());
    t.train(3);
    QVERIFY(!t.finished());
    t.markStopped();
    QCOMPARE(t.stopReason(), StopReason::Stopped);
    QVERIFY(QString::fromStdString(t.stopMessage()).contains("after 3 of 30"));
    QCOMPARE(t.train(5), StopReason::Stopped);
    QCOMPARE(t.epochsDone(), 3);
}

void TestTrainer::reportMatchesPredictions() {
    Trainer t(smallConfig());
    t.trainAll();
    const Predictions p = t.predictions();
    QCOMPARE(int(p.x.size()), 101);
    QCOMPARE(p.x.front(), -1.0);
    QCOMPARE(p.x.back(), 1.0);
    double mse = 0, maxErr = 0;
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        mse += (p.fHat[i] - p.f[i]) * (p.fHat[i] - p.f[i]);
        maxErr = std::max(maxErr, std::abs(p.fprimeHat[i] - p.fprime[i]));
    }
    const FitReport r = t.report();
    QCOMPARE(r.mseF, mse / 101);
    QCOMPARE(r.maxErrFprime, maxErr);
    QCOMPARE(r.epochsRun, 30);
    QCOMPARE(r.stopReason, StopReason::Completed);
}

void TestTrainer::partialLastBatch() {
    TrainConfig c = smallConfig();
    c.nTrain = 100;
    c.batchSize = 32; // 32 + 32 + 32 + 4
    c.epochs = 3;
    Trainer t(c);
    QCOMPARE(t.trainAll(), StopReason::Completed);
    QVERIFY(std::isfinite(t.history().back().loss));
}

// A change applied between two batches of a run is recorded in its config at that
// epoch and batch, and training that config from scratch gives the same history to the bit.
void TestTrainer::liveChangeReplaysFromConfig_data() {
    QTest::addColumn<int>("knob");
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("schedule");
    QTest::addRow("beta") << int(Knob::Beta) << 10.0 << int(Schedule::Constant);
    QTest::addRow("alpha 0") << int(Knob::Alpha) << 0.0 << int(Schedule::Constant);
    QTest::addRow("lr constant") << int(Knob::LearningRate) << 1e-2 << int(Schedule::Constant);
    QTest::addRow("lr cosine") << int(Knob::LearningRate) << 1e-4 << int(Schedule::Cosine);
    QTest::addRow("lr plateau") << int(Knob::LearningRate) << 3e-3 << int(Schedule::Plateau);
}

void TestTrainer::liveChangeReplaysFromConfig() {
    QFETCH(int, knob);
    QFETCH(double, value);
    QFETCH(int, schedule);
    TrainConfig c = smallConfig(40);
    c.nTrain = 2048;
    c.batchSize = 8; // many batches: the interrupt lands mid-epoch as often as not
    c.schedule = Schedule(schedule);
    c.patience = 2;
    // Stopped by a pause mid-epoch 8 (batch 131 of 256), after five epochs trained alone.
    auto stop = std::make_shared<std::atomic<bool>>(false);
    auto stopped = std::make_unique<Trainer>(c);
    stopped->train(5);
    stopped->addHook(std::make_unique<RaiseFlagEvery>(2 * 256 + 131, stop));
    stopped->trainAll(stop.get());
    QVERIFY(!stopped->finished());
    QCOMPARE(stopped->epochsDone(), 7);
    Trainer& live = *stopped;
    const auto change = live.applyChange(Knob(knob), value);
    QVERIFY(change);
    QCOMPARE(change->epoch, live.epochsDone() + 1);
    QCOMPARE(live.config().changes.size(), std::size_t(1));
    QCOMPARE(live.config().changes.front(), *change);
    QCOMPARE(live.knobValue(Knob(knob)), value);
    live.trainAll();
    QCOMPARE(live.stopReason(), StopReason::Completed);

    QVERIFY(validate(live.config()).empty());
    Trainer replay(live.config());
    replay.trainAll();
    QVERIFY(sameHistory(live.history(), replay.history()));
    QVERIFY(
        sameParameters(live.network<float>().parameters(), replay.network<float>().parameters()));
    // And it did change the run: the same config without the change differs from then on.
    TrainConfig unchanged = live.config();
    unchanged.changes.clear();
    Trainer plain(unchanged);
    plain.trainAll();
    QVERIFY(!sameHistory(live.history(), plain.history()));
    const int before = change->epoch - 1;
    QVERIFY(sameHistory({live.history().begin(), live.history().begin() + before},
                        {plain.history().begin(), plain.history().begin() + before}));
}

void TestTrainer::listedChangeActsFromItsEpoch() {
    TrainConfig c = smallConfig(8);
    c.changes = {{4, 1, Knob::Beta, 10}, {6, 1, Knob::LearningRate, 1e-2}};
    Trainer changed(c);
    changed.trainAll();
    TrainConfig first = c;
    first.changes.clear();
    Trainer plain(first);
    plain.train(3);
    // Epochs 1-3 as without changes; from epoch 4 on β = 10, which the validation loss shows.
    QVERIFY(
        sameHistory(plain.history(), {changed.history().begin(), changed.history().begin() + 3}));
    const EpochMetrics& fourth = changed.history()[3];
    QCOMPARE(fourth.valLoss, 1.0 * fourth.valMseF + 10.0 * fourth.valMseFprime);
    QCOMPARE(changed.history()[4].learningRate, 1e-3);
    QCOMPARE(changed.history()[5].learningRate, 1e-2);
    // The same run split in pieces, paused right at the change, is the same to the bit.
    Trainer pieces(c);
    pieces.train(3);
    pieces.train(2);
    pieces.trainAll();
    QVERIFY(sameHistory(changed.history(), pieces.history()));
}

void TestTrainer::resetForgetsLiveChanges() {
    TrainConfig c = smallConfig(6);
    c.changes = {{5, 1, Knob::Alpha, 2}};
    Trainer t(c);
    t.train(2);
    QVERIFY(t.applyChange(Knob::Beta, 3));
    QCOMPARE(t.config().changes.size(), std::size_t(2));
    QCOMPARE(t.config().changes.front().knob, Knob::Beta); // before the listed one
    t.reset();
    QCOMPARE(t.config().changes, c.changes);
    QCOMPARE(t.knobValue(Knob::Beta), 1.0);
    t.trainAll();
    Trainer fresh(c);
    fresh.trainAll();
    QVERIFY(sameHistory(t.history(), fresh.history()));
    QVERIFY(!t.applyChange(Knob::Beta, 2)); // over: nothing to change
}

void TestTrainer::changesAreValidated_data() {
    QTest::addColumn<int>("epoch");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("knob");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected"); // empty: valid
    const int beta = int(Knob::Beta), lr = int(Knob::LearningRate);
    QTest::addRow("fine") << 30 << 8 << beta << 10.0 << "";
    QTest::addRow("epoch 0") << 0 << 1 << beta << 10.0 << "Adam epoch from 1 to 30";
    QTest::addRow("epoch past the end") << 31 << 1 << beta << 10.0 << "Adam epoch from 1 to 30";
    QTest::addRow("batch past the end") << 3 << 9 << beta << 10.0 << "batch must be from 1 to 8";
    QTest::addRow("negative beta") << 3 << 1 << beta << -1.0 << "beta must be a number from 0";
    QTest::addRow("lr 0") << 3 << 1 << lr << 0.0 << "lr must be a number greater than 0";
    QTest::addRow("lr 2") << 3 << 1 << lr << 2.0 << "at most 1";
    QTest::addRow("unknown knob") << 3 << 1 << 7 << 1.0 << "one of alpha, beta, lr";
}

void TestTrainer::changesAreValidated() {
    QFETCH(int, epoch);
    QFETCH(int, batch);
    QFETCH(int, knob);
    QFETCH(double, value);
    QFETCH(QString, expected);
    TrainConfig c = smallConfig(30); // 256 points in batches of 32: 8 a batch
    c.changes = {{epoch, batch, Knob(knob), value}};
    const std::string found = describe(validate(c));
    if (expected.isEmpty())
        QVERIFY2(found.empty(), found.c_str());
    else
        QVERIFY2(found.find(expected.toStdString()) != std::string::npos, found.c_str());
    // Out of order, and α and β both 0 on the way.
    c.changes = {{5, 1, Knob::Alpha, 0}, {4, 1, Knob::Beta, 2}};
    QVERIFY(describe(validate(c)).find("list changes in order") != std::string::npos);
    c.changes = {{4, 1, Knob::Alpha, 0}, {5, 1, Knob::Beta, 0}};
    QVERIFY(describe(validate(c)).find("both be 0") != std::string::npos);
}

// Measured rows of sin(3x) in place of a target, f' on every other row, through Adam and
// the full-batch L-BFGS (whose passes weigh the f' term by the rows that have it).
void TestTrainer::trainsOnMeasuredData_data() {
    QTest::addColumn<double>("validation");
    QTest::addColumn<int>("metricsOn");
    QTest::addRow("no split") << 0.0 << int(MetricsSet::TrainingData);
    QTest::addRow("a fifth for validation") << 0.2 << int(MetricsSet::ValidationData);
}

void TestTrainer::trainsOnMeasuredData() {
    QFETCH(double, validation);
    QFETCH(int, metricsOn);
    MeasuredData data;
    for (int i = 0; i < 100; ++i) {
        const double x = std::cos(1.0 + i * 7.0); // unsorted x in [-1, 1]
        data.x.push_back(x);
        data.f.push_back(std::sin(3 * x));
        data.fprime.push_back(i % 2 ? 3 * std::cos(3 * x) : std::nan(""));
    }
    TrainConfig c = tinyConfig(20);
    c.data = "sin.csv";
    c.measured = MeasuredRows(data);
    c.dataValidation = validation;
    c.lbfgsIterations = 5;
    c.target = "not a formula"; // not used with data
    QVERIFY2(validate(c).empty(), describe(validate(c)).c_str());
    Trainer trainer(c);
    QCOMPARE(trainer.trainAll(), StopReason::Completed);
    QCOMPARE(trainer.history().size(), std::size_t(25));
    for (const EpochMetrics& m : trainer.history())
        QVERIFY(std::isfinite(m.loss) && std::isfinite(m.mseFprime) &&
                std::isfinite(m.valMseFprime));
    QVERIFY(trainer.history().back().loss < trainer.history().front().loss);
    const int nVal = validationRowCount(100, validation);
    QCOMPARE(trainer.trainingData().size(), 100 - nVal);
    const Predictions p = trainer.predictions();
    QCOMPARE(p.x.size(), std::size_t(100));
    QVERIFY(std::is_sorted(p.x.begin(), p.x.end()));
    const FitReport r = trainer.report();
    QCOMPARE(int(r.metricsOn), metricsOn);
    QVERIFY(std::isfinite(r.mseF) && std::isfinite(r.mseFprime) && r.mseFprime > 0);
    // The report's errors are those of its set, f' over the rows that have it.
    const Dataset& set = nVal > 0 ? trainer.validationData() : trainer.trainingData();
    double sum = 0;
    int rows = 0;
    for (int i = 0; i < set.size(); ++i) {
        const auto at = std::lower_bound(p.x.begin(), p.x.end(), double(set.x[i]));
        const double e = p.fHat[std::size_t(at - p.x.begin())] - set.f[i];
        sum += e * e;
        ++rows;
    }
    QVERIFY(std::abs(sum / rows - r.mseF) <= 1e-6 * r.mseF);
}

namespace {
// 60 measured rows of sin(3x) at unsorted x in [-1, 1]; f' on every other row, or on none.
TrainConfig measuredConfig(bool withFprime) {
    MeasuredData data;
    for (int i = 0; i < 60; ++i) {
        const double x = std::cos(1.0 + i * 7.0);
        data.x.push_back(x);
        data.f.push_back(std::sin(3 * x));
        data.fprime.push_back(withFprime && i % 2 ? 3 * std::cos(3 * x) : std::nan(""));
    }
    TrainConfig c = tinyConfig(20);
    c.data = "sin.csv";
    c.measured = MeasuredRows(data);
    c.dataValidation = 0.2;
    c.lbfgsIterations = 5;
    return c;
}
} // namespace

// Without any f' the beta term is 0 and every f' measure, in the history and the report,
// is "not available" (NaN, hasFprime false), never a 0 that reads as a perfect fit.
void TestTrainer::measuredDataWithoutFprimeHaveNoFprimeErrors() {
    TrainConfig c = measuredConfig(false);
    c.beta = 10; // would dominate the loss if the missing f' counted for anything
    Trainer trainer(c);
    QCOMPARE(trainer.trainAll(), StopReason::Completed);
    QCOMPARE(trainer.history().size(), std::size_t(25));
    for (const EpochMetrics& m : trainer.history()) {
        QVERIFY(std::isfinite(m.loss) && std::isfinite(m.mseF) && std::isfinite(m.valMseF));
        QVERIFY(std::isnan(m.mseFprime));
        QVERIFY(std::isnan(m.valMseFprime));
        QCOMPARE(m.valLoss, c.alpha * m.valMseF); // the beta term is 0
    }
    QVERIFY(trainer.history().back().loss < trainer.history().front().loss);
    const FitReport r = trainer.report();
    QVERIFY(!r.hasFprime);
    QVERIFY(std::isnan(r.mseFprime) && std::isnan(r.maxErrFprime) && std::isnan(r.relL2Fprime) &&
            std::isnan(r.xMaxErrFprime) && std::isnan(r.h1()));
    QVERIFY(std::isfinite(r.mseF) && r.mseF > 0);
    QVERIFY(r.best.epoch > 0);
    QVERIFY(!r.best.hasFprime);
    QVERIFY(std::isnan(r.best.mseFprime) && std::isnan(r.best.maxErrFprime));

    // With f' on some rows every f' measure is a number.
    Trainer some(measuredConfig(true));
    QCOMPARE(some.trainAll(), StopReason::Completed);
    QVERIFY(some.report().hasFprime && some.report().best.hasFprime);
    for (const EpochMetrics& m : some.history())
        QVERIFY(std::isfinite(m.mseFprime) && std::isfinite(m.valMseFprime));
}

// The rows are where the truth is known; the network is also evaluated on 1000 points over
// [min x, max x] of every row, so that a chart draws it as a curve.
void TestTrainer::measuredPredictionsHaveADenseCurve() {
    const TrainConfig c = measuredConfig(false);
    Trainer trainer(c);
    trainer.train(3);
    const Predictions p = trainer.predictions();
    QCOMPARE(p.x.size(), std::size_t(60));
    QCOMPARE(p.curveX.size(), std::size_t(Dataset::curvePoints));
    QCOMPARE(p.curveFHat.size(), p.curveX.size());
    QCOMPARE(p.curveFprimeHat.size(), p.curveX.size());
    QCOMPARE(p.curveX.front(), double(float(c.measured->minX())));
    QCOMPARE(p.curveX.back(), double(float(c.measured->maxX())));
    QVERIFY(std::is_sorted(p.curveX.begin(), p.curveX.end()));
    // The same network: at the smallest and the largest x, the curve is the rows' prediction.
    QVERIFY(std::abs(p.curveFHat.front() - p.fHat.front()) <= 1e-6);
    QVERIFY(std::abs(p.curveFprimeHat.back() - p.fprimeHat.back()) <= 1e-5);
    // A target's test grid is dense already: no second curve.
    Trainer onTarget(tinyConfig(2));
    QVERIFY(onTarget.predictions().curveX.empty());
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
