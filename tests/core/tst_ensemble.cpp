// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/ensemble.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace sobolev;

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
} // namespace

class TestEnsemble : public QObject {
    Q_OBJECT
  private slots:
    void spread_data();
    void spread();
    void keepsDigitsOfNearlyEqualValues();
    void bandOverCurvesOfDifferentLengths();
    void summarizesReports();
    void front_data();
    void front();
};

namespace {
// The sample standard deviation about a known mean, summed the plain way.
double twoPassStd(const QList<double>& values, double mean) {
    double squares = 0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    return std::sqrt(squares / double(values.size() - 1));
}
} // namespace

void TestEnsemble::spread_data() {
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("std");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("median");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("nonFinite");
    // By hand: mean 3e-6; deviations -2, -1, 3 (e-6); squares 4 + 1 + 9 = 14e-12 over n-1 = 2.
    QTest::addRow("three seeds") << QList<double>{1e-6, 2e-6, 6e-6} << 3e-6 << std::sqrt(7.0) * 1e-6
                                 << 1e-6 << 6e-6 << 2e-6 << 3 << 0;
    QTest::addRow("one value has no spread")
        << QList<double>{0.25} << 0.25 << 0.0 << 0.25 << 0.25 << 0.25 << 1 << 0;
    QTest::addRow("diverged runs are left out") << QList<double>{2.0, kNan, 4.0, kInf} << 3.0
                                                << std::sqrt(2.0) << 2.0 << 4.0 << 3.0 << 2 << 2;
    QTest::addRow("nothing finite")
        << QList<double>{kNan, -kInf} << kNan << kNan << kNan << kNan << kNan << 0 << 2;
    QTest::addRow("empty") << QList<double>() << kNan << kNan << kNan << kNan << kNan << 0 << 0;
    // Errors over decades: one bad seed makes the mean 7.58e-6, above four of the five runs;
    // the median is the middle run's. Unsorted, as runs arrive.
    const QList<double> decades{3e-5, 1e-7, 2e-6, 5e-6, 8e-7};
    QTest::addRow("odd count over decades")
        << decades << 7.58e-6 << twoPassStd(decades, 7.58e-6) << 1e-7 << 3e-5 << 2e-6 << 5 << 0;
    // An even count: the mean of the two middle values, (1e-6 + 1e-5) / 2.
    const QList<double> even{1e-3, 1e-7, 1e-5, 1e-6};
    QTest::addRow("even count: the two middle values' mean")
        << even << 2.52775e-4 << twoPassStd(even, 2.52775e-4) << 1e-7 << 1e-3 << 5.5e-6 << 4 << 0;
}

void TestEnsemble::spread() {
    QFETCH(QList<double>, values);
    const std::vector<double> v(values.begin(), values.end());
    const Spread s = spreadOf(v);
    const auto same = [](double got, double want) {
        return std::isnan(want) ? std::isnan(got)
                                : std::abs(got - want) <= 1e-12 * std::abs(want) + 1e-300;
    };
    QFETCH(double, mean);
    QFETCH(double, std);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, median);
    QVERIFY2(same(s.mean, mean), qPrintable(QString::number(s.mean)));
    QVERIFY2(same(s.std, std), qPrintable(QString::number(s.std)));
    QVERIFY(same(s.min, min));
    QVERIFY(same(s.max, max));
    QVERIFY2(same(s.median, median), qPrintable(QString::number(s.median, 'g', 17)));
    QTEST(int(s.count), "count");
    QTEST(int(s.nonFinite), "nonFinite");
}

void TestEnsemble::keepsDigitsOfNearlyEqualValues() {
    // Sum of squares minus squared sum (both about 4e6) would keep no digit of a variance
    // near 1e-12.
    const double d = 1e-6;
    const std::vector<double> v{1e3 + d, 1e3 - d, 1e3 + d, 1e3 - d};
    const Spread s = spreadOf(v);
    QVERIFY(std::abs(s.mean - 1e3) < 1e-12);
    QVERIFY2(std::abs(s.std / (d * std::sqrt(4.0 / 3.0)) - 1) < 1e-6,
             qPrintable(QString::number(s.std)));
}

void TestEnsemble::bandOverCurvesOfDifferentLengths() {
    const Band band = bandOf(std::vector<std::vector<double>>{{1, 2, 3, 4}, {3, 4}, {2, kNan, 5}});
    QCOMPARE(band.size(), std::size_t(4));
    QCOMPARE(band.mean, (std::vector<double>{2, 3, 4, 4}));
    QCOMPARE(band.min, (std::vector<double>{1, 2, 3, 4}));
    QCOMPARE(band.max, (std::vector<double>{3, 4, 5, 4}));
    QCOMPARE(band.median, (std::vector<double>{2, 3, 4, 4}));
    QCOMPARE(band.count, (std::vector<std::size_t>{3, 2, 2, 1}));
    QCOMPARE(band.std[0], 1.0);
    QCOMPARE(band.std[3], 0.0);
    QCOMPARE(bandOf(std::vector<std::vector<double>>()).size(), std::size_t(0));
}

void TestEnsemble::summarizesReports() {
    std::vector<FitReport> reports(3);
    const double mseF[] = {1e-6, 2e-6, 6e-6};
    for (int i = 0; i < 3; ++i) {
        reports[i].mseF = mseF[i];
        reports[i].mseFprime = 10 * mseF[i];
        reports[i].relL2F = double(i + 1); // 1, 2, 3
        reports[i].epochsRun = 1000;
        reports[i].stopReason = StopReason::Completed;
    }
    FitReport diverged;
    diverged.mseF = diverged.mseFprime = diverged.maxErrF = diverged.maxErrFprime = kNan;
    diverged.epochsRun = 17;
    diverged.stopReason = StopReason::Diverged;
    reports.push_back(diverged);
    const EnsembleSummary s = summarize(reports);
    QCOMPARE(s.runs, std::size_t(4));
    QCOMPARE(s.diverged, std::size_t(1));
    QCOMPARE(s.mseF.count, std::size_t(3));
    QCOMPARE(s.mseF.nonFinite, std::size_t(1));
    QVERIFY(std::abs(s.mseF.mean - 3e-6) < 1e-18);
    QCOMPARE(s.mseF.median, 2e-6); // the middle of 1e-6, 2e-6, 6e-6; the diverged run left out
    QVERIFY(std::abs(s.mseFprime.std - 10 * std::sqrt(7.0) * 1e-6) < 1e-17);
    QCOMPARE(s.epochsRun.min, 17.0);
    QCOMPARE(s.epochsRun.max, 1000.0);
    // H1 = sqrt(11 MSE f) per run; the relative errors as given (the diverged one's NaN left out).
    QCOMPARE(s.h1.count, std::size_t(3));
    QVERIFY(std::abs(s.h1.min - std::sqrt(11e-6)) < 1e-15);
    QVERIFY(std::abs(s.h1.max - std::sqrt(66e-6)) < 1e-15);
    QCOMPARE(s.relL2F.mean, 2.0);
    QCOMPARE(s.relL2F.nonFinite, std::size_t(1));
}

void TestEnsemble::front_data() {
    QTest::addColumn<QList<double>>("a");
    QTest::addColumn<QList<double>>("b");
    QTest::addColumn<QList<int>>("front");
    QTest::addRow("staircase") << QList<double>{1, 2, 3, 2.5, 4} << QList<double>{5, 3, 1, 4, 0.5}
                               << QList<int>{0, 1, 2, 4};
    QTest::addRow("one best in both")
        << QList<double>{3, 1, 2} << QList<double>{3, 1, 2} << QList<int>{1};
    QTest::addRow("equal a, the smaller b wins")
        << QList<double>{1, 1} << QList<double>{2, 1} << QList<int>{1};
    QTest::addRow("exact duplicates are both kept")
        << QList<double>{1, 1, 2} << QList<double>{1, 1, 0.5} << QList<int>{0, 1, 2};
    QTest::addRow("diverged runs never")
        << QList<double>{kNan, 1, 0.5} << QList<double>{0, 1, kInf} << QList<int>{1};
    QTest::addRow("empty") << QList<double>() << QList<double>() << QList<int>();
}

void TestEnsemble::front() {
    QFETCH(QList<double>, a);
    QFETCH(QList<double>, b);
    const std::vector<double> va(a.begin(), a.end()), vb(b.begin(), b.end());
    QList<int> got;
    for (std::size_t i : nonDominated(va, vb))
        got.append(int(i));
    QTEST(got, "front");
}

QTEST_GUILESS_MAIN(TestEnsemble)
#include "tst_ensemble.moc"
