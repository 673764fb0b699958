// SPDX-License-Identifier: GPL-3.0-or-later
// The seeded generator: its conversions to [0, 1) and to indices, the shuffle, and the
// streams derived from one run seed.
#include "core/problem/random.h"

#include <QtTest>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

using namespace sobolev;

class TestRandom : public QObject {
    Q_OBJECT
  private slots:
    void uniformFillsTheInterval_data();
    void uniformFillsTheInterval();
    void belowIsUniform();
    void shuffleReachesEveryPermutationEvenly();
    void streamsAreDistinctAcrossSeeds();
};

void TestRandom::uniformFillsTheInterval_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addRow("[0, 1)") << 0.0 << 1.0;
    QTest::addRow("[-1, 1)") << -1.0 << 1.0;
    QTest::addRow("[-0.3, 0.3)") << -0.3 << 0.3;
}

void TestRandom::uniformFillsTheInterval() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    Rng rng(42);
    const int n = 100000;
    double sum = 0, lowest = hi, highest = lo;
    int belowMid = 0;
    for (int i = 0; i < n; ++i) {
        const double u = lo == 0 && hi == 1 ? rng.uniform01() : rng.uniform(lo, hi);
        QVERIFY(u >= lo && u < hi);
        sum += u;
        lowest = std::min(lowest, u);
        highest = std::max(highest, u);
        belowMid += u < (lo + hi) / 2;
    }
    // U[lo, hi): the mean's standard deviation is (hi - lo) / sqrt(12 n) = 9e-4 (hi - lo), so
    // 5e-3 (hi - lo) is > 5 sigma; the extremes come within 1e-4 of the ends with probability
    // 1 - 2 (1 - 1e-4)^n = 1 - 9e-5.
    const double width = hi - lo;
    QVERIFY2(std::abs(sum / n - (lo + hi) / 2) < 5e-3 * width,
             qPrintable(QString::number(sum / n)));
    QVERIFY(lowest < lo + 1e-4 * width && highest > hi - 1e-4 * width);
    QVERIFY(std::abs(belowMid - n / 2) < 1000); // binomial sd 158
}

void TestRandom::belowIsUniform() {
    Rng rng(7);
    const int n = 60000;
    std::vector<int> count(6);
    for (int i = 0; i < n; ++i) {
        const auto k = rng.below(6);
        QVERIFY(k < 6);
        ++count[k];
    }
    // Each face 10000 +- 91 (binomial sd); 500 is > 5 sigma.
    for (int c : count)
        QVERIFY2(std::abs(c - n / 6) < 500, qPrintable(QString::number(c)));
}

void TestRandom::shuffleReachesEveryPermutationEvenly() {
    // Fisher-Yates gives each of the 4! = 24 orders with probability 1/24. A classic off-by-one
    // (picking from [0, i - 1) instead of [0, i)) gives only the 6 cyclic ones.
    Rng rng(3);
    std::map<std::vector<int>, int> seen;
    const int n = 48000;
    for (int i = 0; i < n; ++i) {
        std::vector<int> items(4);
        std::iota(items.begin(), items.end(), 0);
        rng.shuffle(items);
        std::vector<int> sorted = items;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<int>{0, 1, 2, 3})); // a permutation
        ++seen[items];
    }
    QCOMPARE(int(seen.size()), 24);
    // 2000 +- 44 each (binomial sd); 250 is > 5 sigma.
    for (const auto& [order, count] : seen)
        QVERIFY2(std::abs(count - n / 24) < 250, qPrintable(QString::number(count)));
}

void TestRandom::streamsAreDistinctAcrossSeeds() {
    // Data, weights and shuffling of seeds 0..255 are 768 streams; none may start with
    // another's numbers (a stream id mixed in too weakly makes seed s's weight stream seed
    // s ^ 3's data stream, and so on).
    std::set<std::uint64_t> first;
    for (std::uint64_t seed = 0; seed < 256; ++seed)
        for (std::uint64_t stream : {DataStream, WeightStream, ShuffleStream})
            first.insert(Rng::forStream(seed, stream).next());
    QCOMPARE(first.size(), std::size_t(768));
    // Neighbouring seeds are decorrelated: no stream begins with a plain mt19937_64 seeded
    // with the run seed or the stream id.
    for (std::uint64_t seed = 0; seed < 256; ++seed)
        QVERIFY(!first.count(Rng(seed).next()));
}

QTEST_GUILESS_MAIN(TestRandom)
#include "tst_random.moc"
