// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"
#include "colordifference.h"
#include "comparison.h"
#include "comparisoncharts.h"
#include "sweepcharts.h"

#include <QChart>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QtTest>

#include <array>

using namespace sobolev;
using namespace sobolev::testutil;
namespace cs = sobolev::chartstyle;

// Thresholds, in CIEDE2000 units. The network's vermillion and the Chebyshev baseline's
// orange, which a class could not tell apart, differ by 22; the viridis teal and green of
// β = 1 and 10 by 20, its blue and purple by 25. A line that carries the story (the network)
// stays 30 from everything drawn with it, and so do neighbouring category colours; any other
// two lines or dots drawn together stay 20 apart, with different dash patterns or shapes.
constexpr double networkApart = 30, neighboursApart = 25, apart = 20;

class TestChartColors : public QObject {
    Q_OBJECT
  private slots:
    void differenceMatchesPublishedPairs_data();
    void differenceMatchesPublishedPairs();
    void networkStandsApartFromBaselines();
    void lossCurvesApart();
    void categoriesApart();
    void sweepValuesApart();
    void compareAndSweepShareColours();
    void overWhiteLooksTranslucent();
};

namespace {

using Lab = std::array<double, 3>;

const std::array<BaselineKind, 5> baselineKinds{BaselineKind::Equispaced, BaselineKind::Chebyshev,
                                                BaselineKind::LeastSquares, BaselineKind::Spline,
                                                BaselineKind::Hermite};

QString nameOf(const QColor& c) {
    return c.name();
}

void expectApart(const QColor& a, const QColor& b, double threshold, const char* what) {
    const double difference = ciede2000(a, b);
    QVERIFY2(difference >= threshold, qPrintable(QStringLiteral("%1: %2 and %3 differ by %4 < %5")
                                                     .arg(QLatin1String(what), nameOf(a), nameOf(b))
                                                     .arg(difference, 0, 'f', 1)
                                                     .arg(threshold)));
}

SweepRunView sweepRun(double beta, double f, double fprime) {
    SweepRunView run{QString::number(beta), {beta}, 1, {}, std::nullopt};
    run.report.mseF = f;
    run.report.mseFprime = fprime;
    run.report.stopReason = StopReason::Completed;
    return run;
}

// The colour of each labelled dot series of a trade-off chart.
QHash<QString, QColor> dotColours(const QChart* chart) {
    QHash<QString, QColor> colours;
    for (QAbstractSeries* s : chart->series())
        if (auto* dots = qobject_cast<QScatterSeries*>(s))
            colours.insert(dots->name(), dots->color());
    return colours;
}

} // namespace

void TestChartColors::differenceMatchesPublishedPairs_data() {
    QTest::addColumn<Lab>("first");
    QTest::addColumn<Lab>("second");
    QTest::addColumn<double>("expected");
    // Sharma, Wu and Dalal's test data, pairs 1, 3, 7, 19 and 34.
    QTest::addRow("1") << Lab{50, 2.6772, -79.7751} << Lab{50, 0, -82.7485} << 2.0425;
    QTest::addRow("3") << Lab{50, -1.3802, -84.2814} << Lab{50, 0, -82.7485} << 1.0;
    QTest::addRow("7") << Lab{50, 0, 0} << Lab{50, -1, 2} << 2.3669;
    QTest::addRow("19") << Lab{50, 2.5, 0} << Lab{50, 0, -2.5} << 4.3065;
    QTest::addRow("34") << Lab{2.0776, 0.0795, -1.135} << Lab{0.9033, -0.0636, -0.5514} << 0.9082;
}

void TestChartColors::differenceMatchesPublishedPairs() {
    QFETCH(Lab, first);
    QFETCH(Lab, second);
    QFETCH(double, expected);
    QVERIFY2(std::abs(ciede2000(first, second) - expected) < 1e-4,
             qPrintable(QString::number(ciede2000(first, second))));
    // And white is white.
    const Lab white = cielab(Qt::white);
    QVERIFY(std::abs(white[0] - 100) < 0.01 && std::abs(white[1]) < 0.01);
}

// The f and f' charts draw the network, the target, the training points and any baselines
// together; the error chart both networks' errors and the baselines'.
void TestChartColors::networkStandsApartFromBaselines() {
    const QColor f = cs::color(cs::Role::F), fprime = cs::color(cs::Role::Fprime);
    const QColor truth = cs::color(cs::Role::Truth);
    const QColor points = cs::color(cs::Role::TrainingPoints);
    expectApart(f, fprime, networkApart, "f_θ and ∂ₓf_θ");
    for (const QColor& network : {f, fprime}) {
        expectApart(network, truth, networkApart, "network and target");
        expectApart(network, points, apart, "network and training points");
    }
    for (std::size_t i = 0; i < baselineKinds.size(); ++i) {
        const QColor baseline = cs::baselineColor(baselineKinds[i]);
        const std::string name = baselineShortLabel({baselineKinds[i], 20});
        QVERIFY2(cs::baselinePenStyle(baselineKinds[i]) != Qt::SolidLine, name.c_str());
        expectApart(baseline, f, networkApart, name.c_str());
        expectApart(baseline, fprime, networkApart, name.c_str());
        expectApart(baseline, truth, apart, name.c_str());
        expectApart(baseline, points, apart, name.c_str());
        for (std::size_t j = i + 1; j < baselineKinds.size(); ++j)
            expectApart(baseline, cs::baselineColor(baselineKinds[j]), apart, name.c_str());
    }
}

// The loss chart: the losses, both terms and both weighted terms.
void TestChartColors::lossCurvesApart() {
    const std::array<cs::Role, 5> roles{cs::Role::Loss, cs::Role::F, cs::Role::Fprime,
                                        cs::Role::WeightedF, cs::Role::WeightedFprime};
    for (std::size_t i = 0; i < roles.size(); ++i)
        for (std::size_t j = i + 1; j < roles.size(); ++j)
            expectApart(cs::color(roles[i]), cs::color(roles[j]), apart, "loss chart");
}

// Compare draws up to eight runs in colours that any two can be told apart; beyond, the
// palette repeats, and still neighbours differ in hue.
void TestChartColors::categoriesApart() {
    constexpr int readable = 8, palette = 10;
    for (int i = 0; i < readable; ++i)
        for (int j = i + 1; j < readable; ++j)
            expectApart(cs::categoryColor(i), cs::categoryColor(j), apart, "two runs");
    for (int i = 0; i < palette; ++i)
        expectApart(cs::categoryColor(i), cs::categoryColor(i + 1), neighboursApart, "neighbours");
    QCOMPARE(cs::categoryColor(palette), cs::categoryColor(0));
}

// The trade-off chart colours a sweep's values: β = 0, 0.1, 1, 10, 100 all apart.
void TestChartColors::sweepValuesApart() {
    const std::vector<double> betas{0, 0.1, 1, 10, 100};
    SweepView view{{Knob::Beta}, {}};
    for (double beta : betas)
        view.runs << sweepRun(beta, 1e-6 * (1 + beta), 1e-4 / (1 + beta));
    TradeoffChart chart;
    chart.setSweep(view);
    const QHash<QString, QColor> colours = dotColours(chart.chart());
    QCOMPARE(colours.size(), qsizetype(betas.size()));
    const QList<QColor> drawn = colours.values();
    for (qsizetype i = 0; i < drawn.size(); ++i)
        for (qsizetype j = i + 1; j < drawn.size(); ++j)
            expectApart(drawn[i], drawn[j], apart, "two β values");
}

// The same runs in Compare (in any order) and in a sweep's trade-off chart: one colour per
// label, "β=1" alike in both.
void TestChartColors::compareAndSweepShareColours() {
    const std::vector<double> betas{10, 0.1, 1}; // as a user might pick them in the Runs list
    QList<ComparedRun> runs;
    QList<TrainConfig> configs;
    SweepView view{{Knob::Beta}, {}};
    for (double beta : betas) {
        ComparedRun run;
        run.id = QString::number(beta);
        run.run.config.beta = beta;
        run.run.report.mseF = 1e-6 * (1 + beta);
        run.run.report.mseFprime = 1e-4 / (1 + beta);
        runs << run;
        configs << run.run.config;
        view.runs << sweepRun(beta, run.run.report.mseF, run.run.report.mseFprime);
    }
    ComparisonCharts compare;
    const QStringList labels = differenceLabels(configs);
    compare.setRuns(runs, labels, groupBySeed(configs), groupLabels(configs, groupBySeed(configs)),
                    false);
    TradeoffChart sweep;
    sweep.setSweep(view);
    const QHash<QString, QColor> sweepColours = dotColours(sweep.chart());
    for (qsizetype r = 0; r < runs.size(); ++r) {
        QVERIFY2(sweepColours.contains(labels[r]), qPrintable(labels[r]));
        QCOMPARE(compare.runColor(int(r)).name(), sweepColours.value(labels[r]).name());
        // The curves are drawn in it.
        bool drawn = false;
        for (QAbstractSeries* s : compare.charts()[1]->series())
            if (auto* line = qobject_cast<QLineSeries*>(s); line && line->name() == labels[r])
                drawn = line->pen().color() == compare.runColor(int(r));
        QVERIFY2(drawn, qPrintable(labels[r]));
    }
    // In the order of their values, not of the list.
    QCOMPARE(compare.runColor(1), cs::categoryColor(0)); // β=0.1
    QCOMPARE(compare.runColor(2), cs::categoryColor(1)); // β=1
    QCOMPARE(compare.runColor(0), cs::categoryColor(2)); // β=10
}

void TestChartColors::overWhiteLooksTranslucent() {
    // The opaque colour is what the translucent one paints on white.
    const QColor loss = chartstyle::color(chartstyle::Role::Loss);
    QColor translucent = loss;
    translucent.setAlphaF(0.45f);
    QImage white(1, 1, QImage::Format_RGB32);
    white.fill(Qt::white);
    QPainter(&white).fillRect(QRect(0, 0, 1, 1), translucent);
    const QColor painted = white.pixelColor(0, 0), opaque = chartstyle::overWhite(loss, 0.45);
    QCOMPARE(opaque.alpha(), 255);
    QVERIFY(std::abs(painted.red() - opaque.red()) <= 1);
    QVERIFY(std::abs(painted.green() - opaque.green()) <= 1);
    QVERIFY(std::abs(painted.blue() - opaque.blue()) <= 1);
    QVERIFY(opaque != QColor(Qt::white) && opaque != loss);
}

QTEST_MAIN(TestChartColors)
#include "tst_chartcolors.moc"
