// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/vectortanh.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace sobolev;

class TestVectorTanh : public QObject {
    Q_OBJECT
  private slots:
    void withinTwoUlps();
    void oddWithExactLimits();
    void derivativesFromTanh();
    void stridedBlockMatchesContiguous();
};

namespace {

Eigen::ArrayXXd tanhOf(const std::vector<double>& z) {
    const Eigen::ArrayXXd in =
        Eigen::Map<const Eigen::ArrayXXd>(z.data(), Eigen::Index(z.size()), 1);
    Eigen::ArrayXXd out(in.rows(), 1), d1(in.rows(), 1), d2(in.rows(), 1);
    tanhWithDerivatives(in, out, d1, d2);
    return out;
}

// |got - tanh z| in units of the last place of the double nearest tanh z, against the
// long double tanh (64-bit mantissa: 11 bits to spare).
double ulpsOff(double got, double z) {
    const long double truth = std::tanh((long double)z);
    const double nearest = std::fabs(double(truth));
    const double ulp = std::nextafter(nearest, std::numeric_limits<double>::infinity()) - nearest;
    return double(std::fabs((long double)got - truth) / ulp);
}

} // namespace

void TestVectorTanh::withinTwoUlps() {
    std::vector<double> z;
    for (int i = -200000; i <= 200000; ++i) // [-20, 20] in steps of 1e-4, beyond saturation
        z.push_back(i * 1e-4);
    for (double t = 1e-300; t < 1; t *= 1.01) // small values, where 1 - 2/(e^2z + 1) would fail
        z.push_back(t);
    double below = 0.625, above = 0.625; // both sides of the switch between the two forms
    for (int i = 0; i < 50; ++i) {
        z.push_back(below = std::nextafter(below, 0.0));
        z.push_back(above = std::nextafter(above, 1.0));
    }
    while (z.size() % 8 != 5) // a tail shorter than any packet
        z.push_back(-z.back());
    const Eigen::ArrayXXd h = tanhOf(z);
    double worst = 0, worstAt = 0;
    for (std::size_t i = 0; i < z.size(); ++i)
        if (const double off = ulpsOff(h(Eigen::Index(i)), z[i]); off > worst) {
            worst = off;
            worstAt = z[i];
        }
    QVERIFY2(worst <= 2,
             qPrintable(QStringLiteral("%1 ulps at %2").arg(worst).arg(worstAt, 0, 'g', 17)));
}

void TestVectorTanh::oddWithExactLimits() {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> z{0.0, 1e-310, 0.3, 0.625, 0.7, 3, 19.1, 40, 800, 1e300, inf};
    std::vector<double> both = z;
    for (double v : z)
        both.push_back(-v);
    const Eigen::ArrayXXd h = tanhOf(both);
    const Eigen::Index n = Eigen::Index(z.size());
    for (Eigen::Index i = 0; i < n; ++i) {
        QCOMPARE(h(n + i), -h(i)); // odd
        QCOMPARE(std::signbit(h(n + i)), !std::signbit(h(i)));
    }
    QCOMPARE(h(0), 0.0);
    QVERIFY(std::signbit(h(n))); // tanh(-0) = -0
    QCOMPARE(h(1), 1e-310);      // tanh z = z to the last bit for tiny z
    for (Eigen::Index i = 7; i < n; ++i)
        QCOMPARE(h(i), 1.0); // from |z| = 19.06 on, 1 is the nearest double
    QVERIFY(std::isnan(tanhOf({std::nan(""), 1.0})(0))); // a diverging network stays NaN
}

void TestVectorTanh::derivativesFromTanh() {
    const Eigen::ArrayXXd z = Eigen::ArrayXXd::Random(37, 3) * 5;
    Eigen::ArrayXXd h(37, 3), d1(37, 3), d2(37, 3);
    tanhWithDerivatives(z, h, d1, d2);
    // tanh' = 1 - tanh^2 and tanh'' = -2 tanh tanh', from the tanh the pass returned. To the
    // bit at one kernel level; here within 4 eps (all |values| <= 1), since this test is built
    // for x86-64 while the library may run at a level whose FMA rounds 1 - h^2 once.
    const Eigen::ArrayXXd slope = 1 - h.square();
    const double tolerance = 4 * std::numeric_limits<double>::epsilon();
    QVERIFY((d1 - slope).abs().maxCoeff() <= tolerance);
    QVERIFY((d2 - (-2 * h * slope)).abs().maxCoeff() <= tolerance);
}

void TestVectorTanh::stridedBlockMatchesContiguous() {
    const Eigen::ArrayXXd z = Eigen::ArrayXXd::Random(13, 5) * 4;
    Eigen::ArrayXXd h = Eigen::ArrayXXd::Zero(13, 5), d1 = h, d2 = h;
    tanhWithDerivatives(z.topRows(11), h.topRows(11), d1.topRows(11), d2.topRows(11));
    const Eigen::ArrayXXd whole = z.topRows(11);
    Eigen::ArrayXXd eh(11, 5), ed1(11, 5), ed2(11, 5);
    tanhWithDerivatives(whole, eh, ed1, ed2); // columns 11 apart instead of 13
    QVERIFY((h.topRows(11) == eh).all() && (d1.topRows(11) == ed1).all() &&
            (d2.topRows(11) == ed2).all());
    QVERIFY((h.bottomRows(2) == 0).all() && (d1.bottomRows(2) == 0).all() &&
            (d2.bottomRows(2) == 0).all()); // nothing written outside the blocks
}

QTEST_GUILESS_MAIN(TestVectorTanh)
#include "tst_vectortanh.moc"
