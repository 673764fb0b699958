// SPDX-License-Identifier: GPL-3.0-or-later
// The classical baselines: exactness on polynomials, the Runge phenomenon's known numbers,
// Hermite's order, derivatives against finite differences, and the --baselines syntax.
#include "core/eval/baselines.h"
#include "core/problem/dataset.h"

#include <QtTest>

#include <cmath>

using namespace sobolev;

Q_DECLARE_METATYPE(BaselineKind)

class TestBaselines : public QObject {
    Q_OBJECT
  private slots:
    void interpolationReproducesPolynomials_data();
    void interpolationReproducesPolynomials();
    void leastSquaresReproducesPolynomials_data();
    void leastSquaresReproducesPolynomials();
    void rungeMaxErrors_data();
    void rungeMaxErrors();
    void hermiteConvergesAsH4_data();
    void hermiteConvergesAsH4();
    void derivativeMatchesFiniteDifference_data();
    void derivativeMatchesFiniteDifference();
    void withoutTargetUsesDataPoints();
    void parse_data();
    void parse();
};

namespace {

// q(x) = sum_k c_k s^k with s = (x - mid) / half in [-1, 1]: values of order 1 on any domain.
struct Poly {
    std::vector<double> c;
    double a, b;
    double s(double x) const { return (2 * x - a - b) / (b - a); }
    double value(double x) const {
        double v = 0;
        for (std::size_t k = c.size(); k-- > 0;)
            v = v * s(x) + c[k];
        return v;
    }
    double derivative(double x) const {
        double v = 0;
        for (std::size_t k = c.size(); k-- > 1;)
            v = v * s(x) + double(k) * c[k];
        return v * 2 / (b - a);
    }
};

Poly somePolynomial(int degree, double a, double b) {
    Poly q{{}, a, b};
    for (int k = 0; k <= degree; ++k)
        q.c.push_back(std::cos(1.0 + 0.7 * k) / (1 + k)); // fixed, not special, shrinking
    return q;
}

std::vector<double> linspace(double a, double b, int points) {
    std::vector<double> x;
    for (int i = 0; i < points; ++i)
        x.push_back(gridPoint(a, b, i, points));
    return x;
}

Predictions gridOf(const TrainConfig& config) {
    const Dataset d = Dataset::testGrid(config);
    Predictions p;
    for (int i = 0; i < d.size(); ++i) {
        p.x.push_back(gridPoint(config.domainMin, config.domainMax, i, d.size()));
        p.f.push_back(Target::fromConfig(config).f(p.x.back()));
        p.fprime.push_back(Target::fromConfig(config).fprime(p.x.back()));
    }
    return p;
}

double maxAbs(const std::vector<double>& v) {
    double m = 0;
    for (double e : v)
        m = std::max(m, std::abs(e));
    return m;
}

} // namespace

void TestBaselines::interpolationReproducesPolynomials_data() {
    QTest::addColumn<BaselineKind>("kind");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("degree");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    for (BaselineKind kind : {BaselineKind::Equispaced, BaselineKind::Chebyshev})
        for (int n : {1, 5, 10, 20})
            for (int degree : {0, n / 2, n}) {
                const char* key = baselineKey(kind).data();
                QTest::addRow("%s n=%d degree %d on [-1, 1]", key, n, degree)
                    << kind << n << degree << -1.0 << 1.0;
                QTest::addRow("%s n=%d degree %d on [2, 7]", key, n, degree)
                    << kind << n << degree << 2.0 << 7.0;
            }
    QTest::addRow("cheb n=60 degree 60") << BaselineKind::Chebyshev << 60 << 60 << -3.0 << 1.0;
}

void TestBaselines::interpolationReproducesPolynomials() {
    QFETCH(BaselineKind, kind);
    QFETCH(int, n);
    QFETCH(int, degree);
    QFETCH(double, a);
    QFETCH(double, b);
    const Poly q = somePolynomial(degree, a, b);
    Barycentric p = kind == BaselineKind::Equispaced ? Barycentric::equispaced(n, a, b)
                                                     : Barycentric::chebyshev(n, a, b);
    for (double node : p.nodes)
        p.values.push_back(q.value(node));
    // A fine grid, the nodes themselves and points a hair beside them.
    std::vector<double> x = linspace(a, b, 1001);
    for (double node : p.nodes)
        x.insert(x.end(), {node, std::nextafter(node, b + 1), node + 1e-9 * (b - a)});
    std::vector<double> values, slopes;
    p.evaluate(x, values, slopes);
    double worst = 0, worstSlope = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        worst = std::max(worst, std::abs(values[i] - q.value(x[i])));
        // The derivative relative to the scale of q' on [a, b] (which grows with the degree).
        worstSlope = std::max(worstSlope, std::abs(slopes[i] - q.derivative(x[i])) * (b - a) / 2);
    }
    QVERIFY2(worst <= 1e-12, qPrintable(QString::number(worst)));
    QVERIFY2(worstSlope <= 1e-10, qPrintable(QString::number(worstSlope)));
}

void TestBaselines::leastSquaresReproducesPolynomials_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("degree");
    QTest::addColumn<int>("points");
    QTest::addRow("n=3 degree 3, 4 points") << 3 << 3 << 4;
    QTest::addRow("n=12 degree 7, 2048 points") << 12 << 7 << 2048;
    QTest::addRow("n=30 degree 30, 10000 points (three blocks)") << 30 << 30 << 10000;
}

void TestBaselines::leastSquaresReproducesPolynomials() {
    QFETCH(int, n);
    QFETCH(int, degree);
    QFETCH(int, points);
    const double a = -2, b = 3;
    const Poly q = somePolynomial(degree, a, b);
    std::vector<double> x, f;
    for (int i = 0; i < points; ++i) {
        // Uneven points: the Chebyshev-like cos plus a shuffle of the order.
        x.push_back(0.5 * (a + b) +
                    0.5 * (b - a) * std::cos(double((i * 7919) % points) * 3.14159 / points));
        f.push_back(q.value(x.back()));
    }
    const std::vector<double> c = leastSquaresChebyshev(x, f, n, a, b);
    QCOMPARE(int(c.size()), n + 1);
    std::vector<double> grid = linspace(a, b, 501), p, dp;
    evaluateChebyshevSeries(c, a, b, grid, p, dp);
    for (std::size_t i = 0; i < grid.size(); ++i) {
        QVERIFY2(std::abs(p[i] - q.value(grid[i])) <= 1e-11, qPrintable(QString::number(grid[i])));
        QVERIFY(std::abs(dp[i] - q.derivative(grid[i])) <= 1e-9 * (1 + n * n));
    }
    // One point short of the degree: refused, not a wild fit.
    x.resize(std::size_t(std::min(points, n)));
    f.resize(x.size());
    QVERIFY(leastSquaresChebyshev(x, f, n, a, b).empty());
}

void TestBaselines::rungeMaxErrors_data() {
    QTest::addColumn<BaselineKind>("kind");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("expected");
    // Max |f - p| over the reference test grid (1001 points on [-1, 1]); computed independently
    // (Lagrange form in long double).
    QTest::addRow("equispaced n=20") << BaselineKind::Equispaced << 20 << 59.8;
    QTest::addRow("Chebyshev n=20") << BaselineKind::Chebyshev << 20 << 0.0153;
    QTest::addRow("equispaced n=10") << BaselineKind::Equispaced << 10 << 1.92;
    QTest::addRow("Chebyshev n=10") << BaselineKind::Chebyshev << 10 << 0.109;
}

void TestBaselines::rungeMaxErrors() {
    QFETCH(BaselineKind, kind);
    QFETCH(int, n);
    QFETCH(double, expected);
    const TrainConfig config; // the reference experiment: Runge, 1001 grid points
    const BaselineResult r = fitBaseline({kind, n}, baselineData(config), gridOf(config));
    QVERIFY(r.fitted);
    QVERIFY2(std::abs(r.errors.maxErrF - expected) <= 0.01 * expected,
             qPrintable(QString::number(r.errors.maxErrF)));
}

void TestBaselines::hermiteConvergesAsH4_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addRow("sin(2*x)") << QStringLiteral("sin(2*x)") << -1.0 << 1.0;
    QTest::addRow("exp(x) on [0, 3]") << QStringLiteral("exp(x)") << 0.0 << 3.0;
    QTest::addRow("sin(3*x)*exp(-x^2) on [-2, 2]")
        << QStringLiteral("sin(3*x)*exp(-x^2)") << -2.0 << 2.0;
}

void TestBaselines::hermiteConvergesAsH4() {
    QFETCH(QString, target);
    QFETCH(double, a);
    QFETCH(double, b);
    TrainConfig config;
    config.target = target.toStdString();
    config.domainMin = a;
    config.domainMax = b;
    config.gridPoints = 4001;
    const BaselineData data = baselineData(config);
    const Predictions grid = gridOf(config);
    std::vector<double> errors;
    for (int intervals : {8, 16, 32})
        errors.push_back(
            fitBaseline({BaselineKind::Hermite, intervals}, data, grid).errors.maxErrF);
    for (std::size_t i = 1; i < errors.size(); ++i) {
        const double order = std::log2(errors[i - 1] / errors[i]);
        QVERIFY2(order >= 3.8 && order <= 4.2, qPrintable(QString::number(order)));
    }
}

void TestBaselines::derivativeMatchesFiniteDifference_data() {
    QTest::addColumn<BaselineKind>("kind");
    QTest::addColumn<int>("n");
    QTest::addRow("equi:10") << BaselineKind::Equispaced << 10;
    QTest::addRow("cheb:20") << BaselineKind::Chebyshev << 20;
    QTest::addRow("lsq:12") << BaselineKind::LeastSquares << 12;
    QTest::addRow("spline:10") << BaselineKind::Spline << 10;
    QTest::addRow("hermite:15") << BaselineKind::Hermite << 15;
}

void TestBaselines::derivativeMatchesFiniteDifference() {
    QFETCH(BaselineKind, kind);
    QFETCH(int, n);
    TrainConfig config;
    config.domainMin = -1.5; // not the symmetric reference domain
    config.domainMax = 2.0;
    const BaselineData data = baselineData(config);
    Predictions probe;
    // Grid points, and the equispaced nodes themselves (where the spline and Hermite pieces meet
    // and the equispaced interpolant is exact).
    probe.x = linspace(-1.4, 1.9, 331);
    for (int j = 1; j < n; ++j)
        probe.x.push_back(-1.5 + 3.5 * j / n);
    const double h = 1e-6;
    Predictions left = probe, right = probe;
    for (std::size_t i = 0; i < probe.x.size(); ++i) {
        left.x[i] -= h;
        right.x[i] += h;
    }
    for (Predictions* p : {&probe, &left, &right}) {
        p->f.assign(p->x.size(), 0.0);
        p->fprime.assign(p->x.size(), 0.0);
    }
    const BaselineResult at = fitBaseline({kind, n}, data, probe);
    const BaselineResult l = fitBaseline({kind, n}, data, left);
    const BaselineResult r = fitBaseline({kind, n}, data, right);
    QVERIFY(at.fitted);
    const double scale = 1 + maxAbs(at.predictions.fprimeHat);
    for (std::size_t i = 0; i < probe.x.size(); ++i) {
        const double difference = (r.predictions.fHat[i] - l.predictions.fHat[i]) / (2 * h);
        QVERIFY2(std::abs(difference - at.predictions.fprimeHat[i]) <= 1e-5 * scale,
                 qPrintable(QStringLiteral("x = %1: %2 against %3")
                                .arg(probe.x[i])
                                .arg(at.predictions.fprimeHat[i])
                                .arg(difference)));
    }
}

void TestBaselines::withoutTargetUsesDataPoints() {
    TrainConfig config;
    config.nTrain = 200;
    BaselineData data = baselineData(config);
    data.target.reset();
    const Predictions grid = gridOf(config);
    for (BaselineKind kind :
         {BaselineKind::Equispaced, BaselineKind::Chebyshev, BaselineKind::Spline}) {
        const BaselineResult r = fitBaseline({kind, 10}, data, grid);
        QVERIFY(!r.fitted);
        QVERIFY(r.omitted.find("only data points") != std::string::npos);
    }
    QVERIFY(fitBaseline({BaselineKind::LeastSquares, 12}, data, grid).fitted);
    // Hermite through the 200 data points themselves: close to Runge everywhere.
    const BaselineResult hermite = fitBaseline({BaselineKind::Hermite, 10}, data, grid);
    QVERIFY(hermite.fitted);
    QVERIFY2(hermite.errors.maxErrF < 1e-3, qPrintable(QString::number(hermite.errors.maxErrF)));
    data.fprime.clear(); // f only: no Hermite
    const BaselineResult none = fitBaseline({BaselineKind::Hermite, 10}, data, grid);
    QVERIFY(!none.fitted);
    QVERIFY(none.omitted.find("f only") != std::string::npos);
    // Fewer points than the degree needs.
    data.x.resize(5);
    data.f.resize(5);
    QVERIFY(!fitBaseline({BaselineKind::LeastSquares, 12}, data, grid).fitted);
}

void TestBaselines::parse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("specs");   // baselinesText of what was read
    QTest::addColumn<QString>("problem"); // part of the first problem; empty: none
    QTest::addRow("the issue's example") << "cheb:20,equi:20,hermite:15,lsq:12"
                                         << "cheb:20,equi:20,hermite:15,lsq:12"
                                         << "";
    QTest::addRow("spaces and spline") << " spline:10 , cheb:5"
                                       << "spline:10,cheb:5"
                                       << "";
    QTest::addRow("one kind at two degrees") << "cheb:10,cheb:20"
                                             << "cheb:10,cheb:20"
                                             << "";
    QTest::addRow("empty") << ""
                           << ""
                           << "";
    QTest::addRow("unknown kind") << "cheby:10"
                                  << ""
                                  << "unknown baseline 'cheby'; allowed: equi, cheb, lsq, spline, "
                                     "hermite";
    QTest::addRow("no degree") << "lsq"
                               << ""
                               << "no n; write lsq:N with N a degree from 1 to 100";
    QTest::addRow("degree 0") << "equi:0"
                              << ""
                              << "n must be a degree from 1 to 100; got '0'";
    QTest::addRow("degree too high") << "cheb:101"
                                     << ""
                                     << "degree from 1 to 100";
    QTest::addRow("intervals too many") << "hermite:10001"
                                        << ""
                                        << "a number of intervals from 1 to 10000; got '10001'";
    QTest::addRow("not a number") << "spline:ten"
                                  << ""
                                  << "got 'ten'";
    QTest::addRow("negative") << "cheb:-3"
                              << ""
                              << "got '-3'";
    QTest::addRow("twice") << "cheb:10,cheb:10"
                           << "cheb:10"
                           << "given twice";
    QTest::addRow("trailing comma") << "cheb:10,"
                                    << "cheb:10"
                                    << "an empty item";
}

void TestBaselines::parse() {
    QFETCH(QString, text);
    QFETCH(QString, specs);
    QFETCH(QString, problem);
    const BaselineParse p = parseBaselines(text.toStdString());
    QCOMPARE(QString::fromStdString(baselinesText(p.specs)), specs);
    if (problem.isEmpty()) {
        QVERIFY(p.problems.empty());
    } else {
        QCOMPARE(int(p.problems.size()), 1);
        QVERIFY2(QString::fromStdString(p.problems[0]).contains(problem), p.problems[0].c_str());
    }
}

QTEST_GUILESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
