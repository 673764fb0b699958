// SPDX-License-Identifier: GPL-3.0-or-later
// Test-grid errors computed by hand.
#include "core/eval/metrics.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace sobolev;

Q_DECLARE_METATYPE(Predictions)

class TestMetrics : public QObject {
    Q_OBJECT
  private slots:
    void compareOnGridByHand_data();
    void compareOnGridByHand();
    void errorMeasuresByHand_data();
    void errorMeasuresByHand();
    void errorsOfCopiesEveryMeasure();
    void withoutAnyFprimeNoFprimeErrorIsAvailable();
    void withSomeFprimeTheFprimeErrorsAreOverThoseRows();
    void stopReasonNames();
};

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

Predictions make(std::vector<double> f, std::vector<double> fHat, std::vector<double> fp,
                 std::vector<double> fpHat) {
    Predictions p;
    for (std::size_t i = 0; i < f.size(); ++i)
        p.x.push_back(double(i));
    p.f = std::move(f);
    p.fHat = std::move(fHat);
    p.fprime = std::move(fp);
    p.fprimeHat = std::move(fpHat);
    return p;
}

bool same(double got, double want) {
    return std::isnan(want) ? std::isnan(got) : std::abs(got - want) <= 1e-15 * std::abs(want);
}
} // namespace

void TestMetrics::compareOnGridByHand_data() {
    QTest::addColumn<Predictions>("p");
    QTest::addColumn<double>("mseF");
    QTest::addColumn<double>("mseFprime");
    QTest::addColumn<double>("maxErrF");
    QTest::addColumn<double>("maxErrFprime");
    // f errors 0.5, 0, -1: mse (0.25 + 0 + 1) / 3, max 1; f' errors 0, 2, -1: mse 5/3, max 2.
    QTest::addRow("three points") << make({0, 1, 2}, {0.5, 1, 1}, {1, 1, 1}, {1, 3, 0}) << 1.25 / 3
                                  << 5.0 / 3 << 1.0 << 2.0;
    // The largest error first, so a max that keeps its first argument would still pass; the
    // f' one last.
    QTest::addRow("largest first and last")
        << make({0, 0, 0, 0}, {-4, 1, 2, 3}, {0, 0, 0, 0}, {1, 1, 1, -5}) << 30.0 / 4 << 28.0 / 4
        << 4.0 << 5.0;
    // A NaN anywhere must show in the mse and the max (std::max would drop it unless first).
    QTest::addRow("NaN in the middle")
        << make({0, 0, 0}, {1, kNan, 2}, {0, 0, 0}, {0, 1, 0}) << kNan << 1.0 / 3 << kNan << 1.0;
    QTest::addRow("NaN last in f'")
        << make({0, 0, 0}, {1, 1, 1}, {0, 0, 0}, {3, 1, kNan}) << 1.0 << kNan << 1.0 << kNan;
    QTest::addRow("exact fit") << make({1, 2}, {1, 2}, {3, 4}, {3, 4}) << 0.0 << 0.0 << 0.0 << 0.0;
}

void TestMetrics::compareOnGridByHand() {
    QFETCH(Predictions, p);
    const FitReport r = compareOnGrid(p);
    QFETCH(double, mseF);
    QFETCH(double, mseFprime);
    QFETCH(double, maxErrF);
    QFETCH(double, maxErrFprime);
    QVERIFY2(same(r.mseF, mseF), qPrintable(QString::number(r.mseF)));
    QVERIFY2(same(r.mseFprime, mseFprime), qPrintable(QString::number(r.mseFprime)));
    QVERIFY2(same(r.maxErrF, maxErrF), qPrintable(QString::number(r.maxErrF)));
    QVERIFY2(same(r.maxErrFprime, maxErrFprime), qPrintable(QString::number(r.maxErrFprime)));
    QCOMPARE(r.stopReason, StopReason::None); // the error fields only
}

void TestMetrics::errorMeasuresByHand_data() {
    QTest::addColumn<Predictions>("p");
    QTest::addColumn<double>("relL2F");
    QTest::addColumn<double>("relL2Fprime");
    QTest::addColumn<double>("h1");
    QTest::addColumn<double>("xMaxErrF");
    QTest::addColumn<double>("xMaxErrFprime");
    // x = 0, 1, 2. f = (3, 0, 4), ||f|| = 5, f errors (0, 0, 1): rel 1/5, largest at x = 2.
    // f' = (0, 2, 0), ||f'|| = 2, errors (1, 0, 1): rel sqrt(2)/2, first largest at x = 0.
    // H1 = sqrt(1/3 + 2/3) = 1.
    QTest::addRow("three points") << make({3, 0, 4}, {3, 0, 5}, {0, 2, 0}, {1, 2, -1}) << 0.2
                                  << std::sqrt(2.0) / 2 << 1.0 << 2.0 << 0.0;
    // f = 0 everywhere: the relative error is undefined.
    QTest::addRow("zero target") << make({0, 0}, {0, 1}, {1, 1}, {1, 1}) << kNan << 0.0
                                 << std::sqrt(0.5) << 1.0 << 0.0;
    // A NaN is where the maximum is: at its first occurrence.
    QTest::addRow("NaN") << make({1, 1, 1, 1}, {5, kNan, 1, kNan}, {1, 1, 1, 1}, {1, 1, 1, 1})
                         << kNan << 0.0 << kNan << 1.0 << 0.0;
    QTest::addRow("exact fit") << make({1, 2}, {1, 2}, {3, 4}, {3, 4}) << 0.0 << 0.0 << 0.0 << 0.0
                               << 0.0;
}

void TestMetrics::errorMeasuresByHand() {
    QFETCH(Predictions, p);
    const FitReport r = compareOnGrid(p);
    QFETCH(double, relL2F);
    QFETCH(double, relL2Fprime);
    QFETCH(double, h1);
    QFETCH(double, xMaxErrF);
    QFETCH(double, xMaxErrFprime);
    QVERIFY2(same(r.relL2F, relL2F), qPrintable(QString::number(r.relL2F)));
    QVERIFY2(same(r.relL2Fprime, relL2Fprime), qPrintable(QString::number(r.relL2Fprime)));
    QVERIFY2(same(r.h1(), h1), qPrintable(QString::number(r.h1())));
    QCOMPARE(r.xMaxErrF, xMaxErrF);
    QCOMPARE(r.xMaxErrFprime, xMaxErrFprime);
}

void TestMetrics::errorsOfCopiesEveryMeasure() {
    const FitReport r = compareOnGrid(make({3, 0, 4}, {3, 0, 5}, {0, 2, 0}, {1, 2, -1}));
    const BestEpoch b = errorsOf(r);
    QCOMPARE(b.mseF, r.mseF);
    QCOMPARE(b.mseFprime, r.mseFprime);
    QCOMPARE(b.maxErrF, r.maxErrF);
    QCOMPARE(b.maxErrFprime, r.maxErrFprime);
    QCOMPARE(b.relL2F, r.relL2F);
    QCOMPARE(b.relL2Fprime, r.relL2Fprime);
    QCOMPARE(b.xMaxErrF, r.xMaxErrF);
    QCOMPARE(b.xMaxErrFprime, r.xMaxErrFprime);
    QCOMPARE(b.h1(), r.h1());
    QCOMPARE(b.hasFprime, r.hasFprime);
    const BestEpoch without = errorsOf(compareOnGrid(make({1, 2}, {1, 3}, {kNan, kNan}, {0, 0})));
    QVERIFY(!without.hasFprime);
}

void TestMetrics::withoutAnyFprimeNoFprimeErrorIsAvailable() {
    // Measured rows of x and f only: every f' error is "not available" (NaN with hasFprime
    // false), never the 0 of an empty sum, which reads as a perfect fit.
    const FitReport r = compareOnGrid(make({3, 0, 4}, {3, 0, 5}, {kNan, kNan, kNan}, {1, 2, -1}));
    QVERIFY(!r.hasFprime);
    QVERIFY(std::isnan(r.mseFprime));
    QVERIFY(std::isnan(r.maxErrFprime));
    QVERIFY(std::isnan(r.xMaxErrFprime));
    QVERIFY(std::isnan(r.relL2Fprime));
    QVERIFY(std::isnan(r.h1()));
    // The f errors are what they are.
    QVERIFY(same(r.mseF, 1.0 / 3));
    QCOMPARE(r.maxErrF, 1.0);
    QCOMPARE(r.xMaxErrF, 2.0);
    QVERIFY(same(r.relL2F, 0.2));
    // A target's grid (every f' known) has them, also when they are 0.
    QVERIFY(compareOnGrid(make({1, 2}, {1, 2}, {3, 4}, {3, 4})).hasFprime);
}

void TestMetrics::withSomeFprimeTheFprimeErrorsAreOverThoseRows() {
    // f' on rows 0 and 2 only (x = 0, 2): errors 1 and 3 there; row 1's huge f'_hat is not
    // compared with anything.
    const FitReport r = compareOnGrid(make({0, 0, 0}, {0, 0, 0}, {1, kNan, 2}, {2, 1000, 5}));
    QVERIFY(r.hasFprime);
    QVERIFY(same(r.mseFprime, (1.0 + 9.0) / 2));
    QCOMPARE(r.maxErrFprime, 3.0);
    QCOMPARE(r.xMaxErrFprime, 2.0);
    // ||e|| / ||f'|| over those rows: sqrt(10 / 5).
    QVERIFY(same(r.relL2Fprime, std::sqrt(2.0)));
    QVERIFY(same(r.h1(), std::sqrt(5.0)));
}

void TestMetrics::stopReasonNames() {
    QCOMPARE(std::string(stopReasonName(StopReason::Completed)), std::string("completed"));
    QCOMPARE(std::string(stopReasonName(StopReason::Stopped)), std::string("stopped"));
    QCOMPARE(std::string(stopReasonName(StopReason::Diverged)), std::string("diverged"));
    QCOMPARE(std::string(stopReasonName(StopReason::None)), std::string("none"));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
