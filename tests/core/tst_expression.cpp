// SPDX-License-Identifier: GPL-3.0-or-later
// Typed targets (core/expression.h): derivatives against finite differences, abs
// differentiated as a sign, malformed formulas refused with a message naming the problem,
// and problems on the domain found before training.
#include "core/config/trainconfig.h"
#include "core/problem/formula/expression.h"
#include "core/problem/target.h"
#include "core/problem/validate.h"

#include <QtTest>

#include <cmath>
#include <numbers>

using namespace sobolev;

class TestExpression : public QObject {
    Q_OBJECT
  private slots:
    void derivativeMatchesFiniteDifferences_data();
    void derivativeMatchesFiniteDifferences();
    void absDifferentiatesAsASign();
    void valuesAreTheFormula_data();
    void valuesAreTheFormula();
    void refusesMalformed_data();
    void refusesMalformed();
    void findsProblemsOnTheDomain_data();
    void findsProblemsOnTheDomain();
    void batchEqualsPointwise();
    void derivativeFormulaIsShown();
};

void TestExpression::derivativeMatchesFiniteDifferences_data() {
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    // The abs row's kinks (x = 0.3 of abs(x - 0.3); abs(x)^3 is twice differentiable) are
    // skipped below, where the difference quotient straddles them.
    QTest::addRow("sin(3x) exp(-x^2)") << "sin(3*x)*exp(-x^2)" << -2.0 << 2.0;
    QTest::addRow("abs") << "abs(x - 0.3) * x + abs(x)^3" << -1.0 << 1.0;
    QTest::addRow("quotient") << "(x^2 + 1) / (2 + cos(5*x))" << -1.0 << 1.0;
    QTest::addRow("runge typed") << "1/(1+25*x^2)" << -1.0 << 1.0;
    QTest::addRow("log and sqrt") << "log(x) * sqrt(x)" << 0.5 << 3.0;
    QTest::addRow("tanh step") << "tanh(10*x) - 0.5*x**2" << -1.0 << 1.0;
    QTest::addRow("power tower") << "x^x" << 0.2 << 2.0;
    QTest::addRow("inverse trig") << "asin(x/2) + acos(x/3) + atan(4*x)" << -1.0 << 1.0;
    QTest::addRow("hyperbolic") << "sinh(x) * cosh(x/2) + asinh(x) + atanh(x/2)" << -1.0 << 1.0;
    QTest::addRow("constants and tan") << "pi*x - e^x + tan(x)/3 + 2.5e-1" << -1.0 << 1.0;
    QTest::addRow("pinn example") << "-(1.4 - 3*x)*sin(18*x)" << 0.0 << 1.0;
    // Neighbours of formulas that GiNaC's complex abs could not finish or evaluate: a real
    // constant in the tower, x^x inside abs, and a power that takes out a common factor.
    QTest::addRow("abs of a tower") << "abs(8^51^-x^acos(0.5)^-50)" << 0.2 << 2.0;
    QTest::addRow("abs of x^x + 1") << "abs(x^x + 1)" << 0.2 << 2.0;
    QTest::addRow("abs of 2^x^x") << "abs(2^(x^x))" << 0.2 << 2.0;
    QTest::addRow("common factor") << "(6*x + 9)^20 / 3^20" << -1.0 << 1.0;
}

void TestExpression::derivativeMatchesFiniteDifferences() {
    QFETCH(QString, formula);
    QFETCH(double, a);
    QFETCH(double, b);
    std::string error;
    const auto compiled = CompiledFormula::compile(formula.toStdString(), &error);
    QVERIFY2(compiled, error.c_str());
    // The fourth-order central difference (8(f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h has
    // error h^4 f^(5) / 30 + O(eps |f| / h): with h = 1e-4 both stay below 1e-9 relative for
    // these formulas (|f^(5)| < 1e7), far below the 1e-6 allowed and far below a wrong term.
    // The 1001 points avoid the kinks of abs by 1e-4 * sin(i) offsets larger than 2h.
    const double h = 1e-4;
    double worst = 0, scale = 1;
    for (int i = 0; i <= 1000; ++i) {
        double x = a + (b - a) * i / 1000.0;
        x = std::clamp(x + 3e-3 * std::sin(i + 0.5), a + 2 * h, b - 2 * h);
        if (formula.contains("abs(x - 0.3)") && std::abs(x - 0.3) < 4 * h)
            continue;
        const auto f = [&](double t) { return compiled->f(t); };
        const double d = (8 * (f(x + h) - f(x - h)) - (f(x + 2 * h) - f(x - 2 * h))) / (12 * h);
        worst = std::max(worst, std::abs(compiled->fprime(x) - d));
        scale = std::max(scale, std::abs(compiled->fprime(x)));
    }
    QVERIFY2(worst / scale <= 1e-6,
             qPrintable(QStringLiteral("relative error %1, f' = %2")
                            .arg(worst / scale)
                            .arg(QString::fromStdString(compiled->derivative()))));
}

void TestExpression::absDifferentiatesAsASign() {
    std::string error;
    const auto abs = CompiledFormula::compile("abs(x)", &error);
    QVERIFY2(abs, error.c_str());
    QCOMPARE(abs->fprime(-0.5), -1.0);
    QCOMPARE(abs->fprime(0.25), 1.0);
    QCOMPARE(abs->fprime(0.0), 0.0); // sign(0) = 0: a subgradient, not 0/0
    QVERIFY2(abs->derivative() == "sign(x)", abs->derivative().c_str());
    const auto xAbs = CompiledFormula::compile("x*abs(x)", &error);
    QVERIFY2(xAbs, error.c_str());
    QCOMPARE(xAbs->fprime(0.0), 0.0); // d/dx x|x| = 2|x|
    QCOMPARE(xAbs->fprime(-0.75), 1.5);
}

void TestExpression::valuesAreTheFormula_data() {
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("f");
    QTest::addColumn<double>("fprime");
    QTest::addRow("x^2") << "x^2" << 3.0 << 9.0 << 6.0;
    QTest::addRow("-x^2 is -(x^2)") << "-x^2" << 3.0 << -9.0 << -6.0;
    QTest::addRow("right associative power")
        << "2^x^2" << 2.0 << 16.0 << 16.0 * std::log(2.0) * 4.0;
    QTest::addRow("constant") << "2.5" << 7.0 << 2.5 << 0.0;
    QTest::addRow("exponent notation") << "1e-3*x + 2E2" << 1.0 << 200.001 << 1e-3;
    QTest::addRow("pi and e") << "pi + e*x" << 1.0 << std::numbers::pi + std::numbers::e
                              << std::numbers::e;
    // |2^(x^x)|' = 2^(x^x) log 2 x^x (1 + log x): at x = 2, 16 log 2 * 4 (1 + log 2).
    QTest::addRow("abs of 2^x^x") << "abs(2^(x^x))" << 2.0 << 16.0
                                  << 16.0 * std::log(2.0) * 4.0 * (1.0 + std::log(2.0));
}

void TestExpression::valuesAreTheFormula() {
    QFETCH(QString, formula);
    QFETCH(double, x);
    QFETCH(double, f);
    QFETCH(double, fprime);
    std::string error;
    const auto compiled = CompiledFormula::compile(formula.toStdString(), &error);
    QVERIFY2(compiled, error.c_str());
    QVERIFY2(std::abs(compiled->f(x) - f) <= 1e-12 * std::max(1.0, std::abs(f)),
             qPrintable(QString::number(compiled->f(x), 'g', 17)));
    QVERIFY2(std::abs(compiled->fprime(x) - fprime) <= 1e-12 * std::max(1.0, std::abs(fprime)),
             qPrintable(QString::number(compiled->fprime(x), 'g', 17)));
}

void TestExpression::refusesMalformed_data() {
    QTest::addColumn<QString>("formula");
    QTest::addColumn<QString>("message");
    QTest::addRow("end of input") << "sin("
                                  << "unexpected end of input at column 5";
    QTest::addRow("unknown name") << "x + y"
                                  << "unknown name 'y' (the variable is x)";
    QTest::addRow("unknown function") << "foo(x)"
                                      << "unknown function 'foo' at column 1";
    QTest::addRow("implicit product") << "2x"
                                      << "unexpected 'x' at column 2";
    QTest::addRow("unclosed parenthesis") << "(x + 1"
                                          << "')' to close the '(' at column 1";
    QTest::addRow("stray parenthesis") << "x)"
                                       << "unexpected ')' at column 2";
    QTest::addRow("two arguments") << "sin(x, x)"
                                   << "takes one argument";
    QTest::addRow("bad character") << "x % 2"
                                   << "unexpected character '%' at column 3";
    QTest::addRow("huge number") << "10^10^10"
                                 << "number too large at column 3";
    QTest::addRow("division by zero") << "x/0"
                                      << "division by zero at column 2";
    QTest::addRow("empty") << ""
                           << "empty";
    QTest::addRow("function without argument") << "sin + x"
                                               << "'sin' at column 1 is a function";
    QTest::addRow("complex constant") << "sqrt(-1)*x"
                                      << "sqrt(-1) is not real: sqrt needs an argument ≥ 0 "
                                         "(column 1)";
    // What GiNaC could not finish (the first) or evaluate ("cannot evaluate the function
    // imag_part", "real_part", "conjugate"), refused before GiNaC is asked, in the reader's
    // terms. The first hung for minutes; each is refused in well under a millisecond.
    QTest::addRow("tower on a complex constant")
        << "abs(8^5101^-x^acos(6)^-5020)"
        << "acos(6) is not real: acos needs an argument in [-1, 1] (column 15)";
    QTest::addRow("was imag_part") << "abs(8^51^-x^acos(6)^-50)"
                                   << "acos(6) is not real: acos needs an argument in [-1, 1] "
                                      "(column 13)";
    QTest::addRow("was real_part") << "abs(2^(x^acos(6)))"
                                   << "acos(6) is not real: acos needs an argument in [-1, 1] "
                                      "(column 10)";
    QTest::addRow("was conjugate") << "abs(x^acos(6))"
                                   << "acos(6) is not real: acos needs an argument in [-1, 1] "
                                      "(column 7)";
    QTest::addRow("log of a negative constant")
        << "abs(log(-2) + x)"
        << "log(-2) is not real: log needs an argument > 0 (column 5)";
    QTest::addRow("acosh below 1") << "acosh(0.5)*x"
                                   << "acosh(0.5) is not real: acosh needs an argument ≥ 1";
    QTest::addRow("fractional power of a negative number")
        << "abs((-8)^(1/3)*x)"
        << "(-8)^(1/3) is not real: a negative number has real powers only to whole exponents "
           "(column 9)";
    // Exact numbers that a power would make.
    QTest::addRow("power of a power of a sum")
        << "((2*x+2)^10000)^10000"
        << "power too large at column 16: ((2*x+2)^10000)^10000 would make exact numbers of "
           "about 30106010 digits; a power may make at most 10000";
    QTest::addRow("three powers of a sum")
        << "(((2*x+2)^100)^100)^100"
        << "(((2*x+2)^100)^100)^100 would make exact numbers of about 301061 digits";
    QTest::addRow("fraction to a large power")
        << "1.0000001^1000000000"
        << "power too large at column 10: 1.0000001^1000000000 would make exact numbers of "
           "about 7e+09 digits";
    QTest::addRow("common factor of a sum")
        << "(x/3 + x^2/5 + 7)^10000"
        << "(x/3+x^2/5+7)^10000 would make exact numbers of about 11761 digits";
    QTest::addRow("too deep") << QString(150, QLatin1Char('(')) + "x" +
                                     QString(150, QLatin1Char(')'))
                              << "nests deeper than 100 levels";
    QTest::addRow("too long") << QStringLiteral("x+").repeated(600) + "x"
                              << "longer than 1000";
}

void TestExpression::refusesMalformed() {
    QFETCH(QString, formula);
    QFETCH(QString, message);
    std::string error;
    QVERIFY(!CompiledFormula::compile(formula.toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
    // The same message from validate(), under the key "target".
    TrainConfig c;
    c.target = formula.toStdString();
    const auto problems = validate(c);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems[0].field, std::string("target"));
    QVERIFY2(QString::fromStdString(problems[0].message).contains(message.left(20)),
             problems[0].message.c_str());
}

void TestExpression::findsProblemsOnTheDomain_data() {
    QTest::addColumn<QString>("formula");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<QString>("message");
    QTest::addRow("1/x") << "1/x" << -1.0 << 1.0 << "f(x) is undefined at x = 0 (division by zero)";
    QTest::addRow("f' of sqrt|x|")
        << "sqrt(abs(x))" << -1.0 << 1.0 << "f′(x) is undefined at x = 0 (division by zero)";
    QTest::addRow("log of negative")
        << "log(x)" << -2.0 << -1.0 << "f(x) is undefined at x = -2 (logarithm of a negative";
    QTest::addRow("sqrt of negative")
        << "sqrt(x)" << -2.0 << -1.0 << "f(x) is undefined at x = -2 (square root of a negative";
    QTest::addRow("pole at the end") << "1/(x-1)" << 0.0 << 1.0
                                     << "undefined at x = 1 (division by zero), a point of the "
                                        "test grid";
    QTest::addRow("overflow") << "exp(x)" << 710.0 << 1000.0 << "undefined at x = 710 (overflow)";
    QTest::addRow("beyond float") << "exp(x)" << 0.0 << 100.0 << "beyond the float range";
    QTest::addRow("asin outside") << "asin(x)" << 1.5 << 2.0 << "asin of a number outside";
}

void TestExpression::findsProblemsOnTheDomain() {
    QFETCH(QString, formula);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(QString, message);
    TrainConfig c;
    c.target = formula.toStdString();
    c.domainMin = a;
    c.domainMax = b;
    const auto problems = validate(c);
    QVERIFY(!problems.empty());
    QVERIFY2(QString::fromStdString(describe(problems)).contains(message),
             describe(problems).c_str());
    QCOMPARE(problems[0].field, std::string("target"));
}

void TestExpression::batchEqualsPointwise() {
    std::string error;
    const auto compiled = CompiledFormula::compile("sin(3*x)*exp(-x^2)", &error);
    QVERIFY2(compiled, error.c_str());
    std::vector<double> x(10001), f(x.size()), fp(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = -2.0 + 4.0 * double(i) / double(x.size() - 1);
    compiled->evaluate(x.data(), f.data(), fp.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        QCOMPARE(f[i], compiled->f(x[i]));
        QCOMPARE(fp[i], compiled->fprime(x[i]));
        // Against the formula written in C++ (operations in another order: 1e-15 relative).
        const double fx = std::sin(3 * x[i]) * std::exp(-x[i] * x[i]);
        QVERIFY(std::abs(f[i] - fx) <= 1e-15 * 4);
    }
}

void TestExpression::derivativeFormulaIsShown() {
    TrainConfig c;
    c.target = "sin(3*x)*exp(-x^2)";
    QVERIFY2(validate(c).empty(), describe(validate(c)).c_str());
    const Target t = Target::fromConfig(c);
    QVERIFY(!t.isPreset());
    // Operands in a canonical order: the same text in every process, whatever order GiNaC
    // keeps them in (its hashes follow load addresses).
    QCOMPARE(QString::fromStdString(t.derivativeFormula()),
             QStringLiteral("-2*exp(-x^2)*sin(3*x)*x+3*cos(3*x)*exp(-x^2)"));
    const QString latex = QString::fromStdString(t.derivativeLatex());
    QVERIFY2(latex.contains("\\cos") && latex.contains("\\exp"), qPrintable(latex));
}

QTEST_APPLESS_MAIN(TestExpression)
#include "tst_expression.moc"
