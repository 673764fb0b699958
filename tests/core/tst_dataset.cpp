// SPDX-License-Identifier: GPL-3.0-or-later
// The target functions and the datasets drawn from them, checked against the functions
// themselves: a derivative against central finite differences, every label against the
// target at the sample's x.
#include "core/config/trainconfig.h"
#include "core/problem/dataset.h"
#include "core/problem/measureddata.h"
#include "core/problem/target.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace sobolev;

using Function = std::function<double(double)>;
Q_DECLARE_METATYPE(Function)
Q_DECLARE_METATYPE(Dataset)

class TestDataset : public QObject {
    Q_OBJECT
  private slots:
    void targetDerivativeMatchesFiniteDifferences_data();
    void targetDerivativeMatchesFiniteDifferences();
    void labelsAreTheTarget_data();
    void labelsAreTheTarget();
    void samplesCoverTheDomain();
    void validationDoesNotChangeTrainingData();
    void gridIsLinspace_data();
    void gridIsLinspace();
    void readsMeasuredCsv_data();
    void readsMeasuredCsv();
    void refusesBadCsv_data();
    void refusesBadCsv();
    void measuredSplitIsSeededAndDisjoint();
};

// One row per target in target.h: the function and its claimed derivative.
void TestDataset::targetDerivativeMatchesFiniteDifferences_data() {
    QTest::addColumn<Function>("f");
    QTest::addColumn<Function>("fprime");
    QTest::addRow("runge") << Function(runge) << Function(rungePrime);
}

void TestDataset::targetDerivativeMatchesFiniteDifferences() {
    QFETCH(Function, f);
    QFETCH(Function, fprime);
    // Central difference (f(x+h) - f(x-h)) / 2h = f'(x) + h^2 f'''(x) / 6 + O(h^4), plus a
    // rounding error of about eps |f| / h. For Runge |f'''| < 1e3 and |f| <= 1, so h = 1e-5
    // leaves below 2e-8 + 2e-11; 1e-7 is far above that and far below any wrong factor.
    const double h = 1e-5;
    // 801 points on [-2, 2] (beyond the training domain too) and the points where f' peaks
    // (x = +-1/(5 sqrt 3)) or changes sign.
    std::vector<double> xs;
    for (int i = 0; i <= 800; ++i)
        xs.push_back(-2.0 + 4.0 * i / 800.0 + 1e-3 * std::sin(i)); // off the round numbers
    for (double x :
         {0.0, 1e-9, -1e-9, 1 / (5 * std::sqrt(3.0)), -1 / (5 * std::sqrt(3.0)), 1.0, -1.0})
        xs.push_back(x);
    for (double x : xs) {
        const double numeric = (f(x + h) - f(x - h)) / (2 * h);
        const double exact = fprime(x);
        QVERIFY2(std::abs(exact - numeric) <= 1e-7,
                 qPrintable(QStringLiteral("x = %1: f' = %2, finite difference %3")
                                .arg(x)
                                .arg(exact)
                                .arg(numeric)));
    }
}

namespace {
TrainConfig dataConfig() {
    TrainConfig c;
    c.nTrain = 2048;
    c.nVal = 512;
    return c;
}
} // namespace

void TestDataset::labelsAreTheTarget_data() {
    QTest::addColumn<Dataset>("data");
    const auto [train, val] = Dataset::trainAndValidation(dataConfig());
    QTest::addRow("training set") << train;
    QTest::addRow("validation set") << val;
    QTest::addRow("grid of 1001") << Dataset::uniformGrid(1001);
    Eigen::RowVectorXf x(5);
    x << -1.0f, -0.2f, 0.0f, 0.115f, 0.75f;
    QTest::addRow("given points") << Dataset::fromPoints(x);
}

void TestDataset::labelsAreTheTarget() {
    QFETCH(Dataset, data);
    QVERIFY(data.size() > 0);
    QCOMPARE(data.f.size(), data.x.size());
    QCOMPARE(data.fprime.size(), data.x.size());
    // Labels are the target at the (float) sample x, rounded once to float.
    for (int i = 0; i < data.size(); ++i) {
        const double x = data.x[i];
        QVERIFY2(data.f[i] == float(runge(x)) && data.fprime[i] == float(rungePrime(x)),
                 qPrintable(QStringLiteral("sample %1 at x = %2: f %3 f' %4; target %5, %6")
                                .arg(i)
                                .arg(x)
                                .arg(data.f[i])
                                .arg(data.fprime[i])
                                .arg(runge(x))
                                .arg(rungePrime(x))));
    }
}

void TestDataset::samplesCoverTheDomain() {
    const auto [train, val] = Dataset::trainAndValidation(dataConfig());
    QCOMPARE(train.size(), 2048);
    QCOMPARE(val.size(), 512);
    for (const Dataset* d : {&train, &val}) {
        // x ~ U[-1, 1): inside the domain, reaching both ends, centred. For n uniform draws
        // the gap to an end exceeds 0.02 with probability (0.99)^n (< 6e-3 for n = 512) and
        // |mean| exceeds 0.06 with probability below 1e-4 (std of the mean 0.577/sqrt(n)).
        QVERIFY(d->x.minCoeff() >= -1.0f && d->x.maxCoeff() < 1.0f);
        QVERIFY2(d->x.minCoeff() < -0.98f && d->x.maxCoeff() > 0.98f,
                 qPrintable(QStringLiteral("[%1, %2]").arg(d->x.minCoeff()).arg(d->x.maxCoeff())));
        QVERIFY2(std::abs(d->x.mean()) < 0.06f, qPrintable(QString::number(d->x.mean())));
        // Both halves are about equally full.
        const auto negative = (d->x.array() < 0).count();
        QVERIFY(std::abs(double(negative) / d->size() - 0.5) < 0.1);
    }
    // The validation set is drawn after the training set, not again from the same start.
    std::vector<float> tx(train.x.begin(), train.x.end()), vx(val.x.begin(), val.x.end());
    std::sort(tx.begin(), tx.end());
    int shared = 0;
    for (float x : vx)
        shared += std::binary_search(tx.begin(), tx.end(), x);
    QCOMPARE(shared, 0);
}

void TestDataset::validationDoesNotChangeTrainingData() {
    TrainConfig a = dataConfig(), b = dataConfig();
    b.nVal = 7;
    QVERIFY(Dataset::trainAndValidation(a).first.x == Dataset::trainAndValidation(b).first.x);
    b.seed = a.seed + 1;
    QVERIFY(Dataset::trainAndValidation(a).first.x != Dataset::trainAndValidation(b).first.x);
}

void TestDataset::gridIsLinspace_data() {
    QTest::addColumn<int>("points");
    QTest::addRow("2") << 2;
    QTest::addRow("3") << 3;
    QTest::addRow("1001") << 1001;
}

void TestDataset::gridIsLinspace() {
    QFETCH(int, points);
    const Dataset g = Dataset::uniformGrid(points);
    QCOMPARE(g.size(), points);
    // linspace(-1, 1, n): x_i = -1 + 2 i / (n - 1), each rounded to float.
    for (int i = 0; i < points; ++i)
        QCOMPARE(g.x[i], float(-1.0 + 2.0 * i / (points - 1)));
    QCOMPARE(g.x[0], -1.0f);
    QCOMPARE(g.x[points - 1], 1.0f);
}

// Well-formed CSV texts: rows, rows with f', whether a header was seen, and one x, f, f'.
void TestDataset::readsMeasuredCsv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("withFprime");
    QTest::addColumn<bool>("header");
    QTest::addRow("header fprime")
        << QByteArray("x,f,fprime\n-1,0.5,1\n0,1,0\n1,0.5,-1\n") << 3 << 3 << true;
    QTest::addRow("header df, CRLF, spaces")
        << QByteArray("x, f, df\r\n -1 , 0.5 , 1 \r\n0,1,0\r\n") << 2 << 2 << true;
    QTest::addRow("headerless two columns") << QByteArray("0,1\n1,2\n2,5") << 3 << 0 << false;
    QTest::addRow("f' missing on some rows")
        << QByteArray("x,f,f'\n0,1,\n1,2,3\n2,5,\n3,1,2\n") << 4 << 2 << true;
    QTest::addRow("f' column all empty")
        << QByteArray("x,f,fprime\n0,1,\n1,2,\n") << 2 << 0 << true;
    QTest::addRow("comments, blank lines, unsorted and repeated x")
        << QByteArray("# from a simulation\n\n2,1,0\n0,1e-3,+2\n2,1.5,1E2\n") << 3 << 3 << false;
}

void TestDataset::readsMeasuredCsv() {
    QFETCH(QByteArray, text);
    QFETCH(int, rows);
    QFETCH(int, withFprime);
    QFETCH(bool, header);
    const CsvReadResult r = readMeasuredCsv(std::string_view(text.data(), text.size()));
    QVERIFY2(r.problems.empty(), r.problems.empty() ? "" : describe(r.problems.front()).c_str());
    QVERIFY(r.data);
    QCOMPARE(r.data->rows(), rows);
    QCOMPARE(r.data->rowsWithFprime(), withFprime);
    QCOMPARE(r.data->hasHeader, header);
    QCOMPARE(int(r.data->f.size()), rows);
    QCOMPARE(int(r.data->fprime.size()), rows);
}

// Malformed CSV texts, each refused with its line and column and the problem named.
void TestDataset::refusesBadCsv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::addRow("non-numeric cell")
        << QByteArray("x,f\n0,1\n1,abc\n") << "line 3, column 2: f is not a number: \"abc\"";
    QTest::addRow("too few columns") << QByteArray("0,1\n2\n") << "line 2: too few columns: 1";
    QTest::addRow("too many columns")
        << QByteArray("x,f,fprime\n0,1,2\n1,2,3,4\n") << "line 3: too many columns: 4";
    QTest::addRow("too many for a 2-column header")
        << QByteArray("x,f\n0,1\n1,2,3\n") << "line 3: too many columns: 3 (expected 2: x, f)";
    QTest::addRow("nan") << QByteArray("x,f\n0,1\nnan,2\n")
                         << "line 3, column 1: x is not finite: \"nan\"";
    QTest::addRow("inf in f'") << QByteArray("0,1,2\n1,2,-inf\n")
                               << "line 2, column 3: f' is not finite: \"-inf\"";
    QTest::addRow("overflow") << QByteArray("0,1\n1,1e999\n")
                              << "line 2, column 2: f is not finite: \"1e999\"";
    QTest::addRow("empty x") << QByteArray("0,1\n,2\n")
                             << "line 2, column 1: x is empty; every row needs x and f";
    QTest::addRow("one row") << QByteArray("x,f\n0,1\n")
                             << "has 1 row of data; at least 2 rows of x, f are needed";
    QTest::addRow("header only") << QByteArray("x,f,fprime\n") << "has 0 rows of data";
    QTest::addRow("one x") << QByteArray("1,1\n1,2\n") << "at least 2 distinct x values";
    // Counted, not split: the line's cells are never all in memory.
    QTest::addRow("a line of a million commas")
        << QByteArray(1'000'000, ',') << "line 1: too many columns: 1000001 (expected x, f";
    QTest::addRow("header of five columns")
        << QByteArray("x,f,fprime,a,b\n0,1\n1,2\n") << "the header has 5 columns";
    QTest::addRow("header of one column")
        << QByteArray("values\n1\n") << "line 1: the header has 1 columns";
}

void TestDataset::refusesBadCsv() {
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const CsvReadResult r = readMeasuredCsv(std::string_view(text.data(), text.size()));
    QVERIFY(!r.data);
    QVERIFY(!r.problems.empty());
    const QString said = QString::fromStdString(describe(r.problems.front()));
    QVERIFY2(said.contains(message), qPrintable(said));
}

// The validation rows are drawn from the seed: the same seed gives the same split, the two
// sets share no row and together hold every row.
void TestDataset::measuredSplitIsSeededAndDisjoint() {
    MeasuredData data;
    for (int i = 0; i < 50; ++i) {
        data.x.push_back(i * 0.1);
        data.f.push_back(i);
        data.fprime.push_back(i % 2 ? 1.0 : std::nan(""));
    }
    TrainConfig c;
    c.measured = MeasuredRows(data);
    c.dataValidation = 0.2;
    const auto [train, val] = Dataset::trainAndValidation(c);
    QCOMPARE(val.size(), 10);
    QCOMPARE(train.size(), 40);
    QCOMPARE(trainingRows(c), 40);
    std::vector<float> all(train.f.data(), train.f.data() + train.size());
    all.insert(all.end(), val.f.data(), val.f.data() + val.size());
    std::sort(all.begin(), all.end());
    for (int i = 0; i < 50; ++i)
        QCOMPARE(all[std::size_t(i)], float(i));
    const auto again = Dataset::trainAndValidation(c);
    QCOMPARE(again.second.f, val.f);
    c.seed = 1;
    QVERIFY(Dataset::trainAndValidation(c).second.f != val.f);
    // Without a split both sets are every row.
    c.dataValidation = 0;
    const auto [all1, all2] = Dataset::trainAndValidation(c);
    QCOMPARE(all1.size(), 50);
    QCOMPARE(all2.size(), 50);
    QVERIFY(std::isnan(all1.fprime[0]));
    QCOMPARE(validationRowCount(50, 0.2), 10);
    QCOMPARE(validationRowCount(3, 0.9), 2);
    QCOMPARE(validationRowCount(2, 0.01), 1);
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
