// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/charttestutil.h"
#include "charts/exporttestutil.h"
#include "comparison.h"
#include "comparisoncharts.h"
#include "comparisonview.h"
#include "comparisonwindow.h"
#include "configjson.h"
#include "core/train/trainer.h"
#include "lambdachart.h"
#include "noisynote.h"
#include "picturetestutil.h"
#include "reportcontent.h"
#include "tablewriter.h"
#include "testutil.h"
#include "textformat.h"
#include "translations.h"

#include <QAreaSeries>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace sobolev;
using namespace sobolev::testutil;

class TestComparison : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { installTranslations(QCoreApplication::instance()); }
    void differenceLabels_data();
    void differenceLabels();
    void overlay();
    void lambdaChartForVaryingWeights();
    void differentWeightsCompareUnweighted();
    void tableCompilesWithPdflatex();
    void tableShowsBestEpochOnRequest();
    void tableSortsNumerically();
    void bestIsMarked_data();
    void bestIsMarked();
    void singleRunMarksNothing();
    void tableExport();
    void doubleClickActivates();
    void renders_data();
    void renders();
    void groupBySeed_data();
    void groupBySeed();
    void ensembleCheckBox_data();
    void ensembleCheckBox();
    void ensembleTable_data();
    void ensembleTable();
    void ensembleBands();
    void ensembleToggleRestores();
    void ensembleDecimates();
    void ensembleRenders_data();
    void ensembleRenders();
    void labelsNameRunsByTheirNumbers();
    void noisyFinalValuesNote_data();
    void noisyFinalValuesNote();
    void comparisonReport();
};

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();

// A config from the defaults and a JSON object of the keys that differ, e.g. {"beta": 0.1}.
TrainConfig configFrom(const QString& json) {
    const ConfigReadResult r = configFromJson(QJsonDocument::fromJson(json.toUtf8()).object());
    if (!r.errors.isEmpty())
        qFatal("bad test config %s: %s", qPrintable(json), qPrintable(r.errors.join(u"; ")));
    return r.config;
}

RunRecord trainedRun(const TrainConfig& config) {
    Trainer trainer(config);
    trainer.trainAll();
    return {config, trainer.history(), trainer.predictions(), trainer.report()};
}

ComparedRun handmadeRun(const QString& id, double beta, double mseF, double mseFprime,
                        double seconds, StopReason reason = StopReason::Completed) {
    ComparedRun r;
    r.id = id;
    r.name = QStringLiteral("run %1").arg(id);
    r.run.config.beta = beta;
    r.run.report.mseF = mseF;
    r.run.report.mseFprime = mseFprime;
    r.run.report.maxErrF = std::sqrt(mseF) * 3;
    r.run.report.maxErrFprime = std::sqrt(mseFprime) * 3;
    r.run.report.epochsRun = 100;
    r.run.report.trainSeconds = seconds;
    r.run.report.stopReason = reason;
    return r;
}

// Chosen so that sorting the displayed text ("8.00e-07" after "3.00e-05") would be wrong.
QList<ComparedRun> handmadeRuns() {
    return {
        handmadeRun(QStringLiteral("a"), 0, 3e-5, 4e-3, 12.5),
        handmadeRun(QStringLiteral("b"), 0.1, 8e-7, 2e-2, 3.25),
        handmadeRun(QStringLiteral("c"), 1, 2e-6, 1e-4, 7),
        handmadeRun(QStringLiteral("d"), 10, notANumber, notANumber, 0.5, StopReason::Diverged),
    };
}

// The table's rows in setRuns() order, under the sorting proxy the table shows.
QStandardItemModel* modelOf(ComparisonView& view) {
    const auto* sorted = qobject_cast<QSortFilterProxyModel*>(view.table()->model());
    return sorted ? qobject_cast<QStandardItemModel*>(sorted->sourceModel()) : nullptr;
}

// The item at `row` of the table as it is sorted now.
QStandardItem* shownItem(ComparisonView& view, int row, int column) {
    const auto* sorted = qobject_cast<QSortFilterProxyModel*>(view.table()->model());
    return modelOf(view)->itemFromIndex(sorted->mapToSource(sorted->index(row, column)));
}

QStringList columnTexts(ComparisonView& view, int column) {
    QStringList texts;
    for (int row = 0; row < view.table()->model()->rowCount(); ++row)
        texts << shownItem(view, row, column)->text();
    return texts;
}

QList<QLineSeries*> visibleSeries(QChart* chart) {
    QList<QLineSeries*> list;
    for (QAbstractSeries* s : chart->series())
        // Skips the legend's stand-in for the target, which has no points.
        if (auto* line = qobject_cast<QLineSeries*>(s);
            line && line->isVisible() && line->count() > 0)
            list << line;
    return list;
}

// The drawn one, for the target: not its legend's stand-in.
QLineSeries* seriesNamed(QChart* chart, const QString& name) {
    QLineSeries* found = nullptr;
    for (QAbstractSeries* s : chart->series())
        if (s->name() == name)
            found = qobject_cast<QLineSeries*>(s);
    return found;
}

QStringList legendLabels(QChart* chart) {
    QStringList labels;
    for (QLegendMarker* marker : chart->legend()->markers())
        if (marker->isVisible())
            labels << marker->label();
    return labels;
}

bool isBold(const QStandardItem* item) {
    return item->data(Qt::FontRole).value<QFont>().bold();
}

bool isMarked(const QStandardItem* item) {
    return isBold(item) && item->data(Qt::BackgroundRole).canConvert<QBrush>() &&
           item->data(ComparisonView::BestRole).toBool();
}

} // namespace

void TestComparison::differenceLabels_data() {
    QTest::addColumn<QStringList>("configs"); // JSON objects over the default config
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("beta only") << QStringList{R"({"beta": 0})", R"({"beta": 0.1})",
                                              R"({"beta": 1})"}
                               << QStringList{"β=0", "β=0.1", "β=1"};
    QTest::addRow("beta and seed")
        << QStringList{R"({"beta": 1, "seed": 2})", R"({"beta": 5, "seed": 2})",
                       R"({"beta": 1, "seed": 3})"}
        << QStringList{"β=1, seed 2", "β=5, seed 2", "β=1, seed 3"};
    QTest::addRow("nothing differs")
        << QStringList{"{}", "{}", "{}"} << QStringList{"run 1", "run 2", "run 3"};
    QTest::addRow("only the grid differs")
        << QStringList{R"({"grid_points": 11})", "{}"} << QStringList{"run 1", "run 2"};
    QTest::addRow("lr scientific")
        << QStringList{R"({"learning_rate": 0.001})", R"({"learning_rate": 1e-4})",
                       R"({"learning_rate": 3e-5})", R"({"learning_rate": 0.05})"}
        << QStringList{"lr=1e-3", "lr=1e-4", "lr=3e-5", "lr=0.05"};
    QTest::addRow("network") << QStringList{R"({"width": 16, "activation": "sin"})",
                                            R"({"width": 64, "depth": 3})"}
                             << QStringList{"width 16, depth 2, sin", "width 64, depth 3, tanh"};
    QTest::addRow("data and schedule")
        << QStringList{R"({"epochs": 200, "batch_size": 32, "n_train": 256, "n_val": 64})", "{}"}
        << QStringList{"200 epochs, batch 32, n_train 256, n_val 64",
                       "1000 epochs, batch 64, n_train 2048, n_val 512"};
    QTest::addRow("large alpha") << QStringList{R"({"alpha": 250000})", R"({"alpha": 1.5})"}
                                 << QStringList{"α=2.5e5", "α=1.5"};
    QTest::addRow("repeated config")
        << QStringList{R"({"beta": 1})", R"({"beta": 1})", R"({"beta": 5})"}
        << QStringList{"β=1 (run 1)", "β=1 (run 2)", "β=5"};
    QTest::addRow("one run") << QStringList{R"({"beta": 5})"} << QStringList{"run 1"};
    // A live change is part of what the run used: β=1 changed to 10 is not "β=1".
    QTest::addRow("a live change")
        << QStringList{R"({"beta": 1})",
                       R"({"beta": 1, "changes": [{"epoch": 300, "knob": "beta", "value": 10}]})"}
        << QStringList{"β=1", "β 1→10 @300"};
    QTest::addRow("only the changes differ")
        << QStringList{R"({"changes": [{"epoch": 300, "knob": "beta", "value": 10}]})",
                       R"({"changes": [{"epoch": 500, "knob": "beta", "value": 10}]})",
                       R"({"changes": [{"epoch": 300, "knob": "lr", "value": 1e-4},
                                        {"epoch": 600, "batch": 3, "knob": "lr", "value": 1e-5}]})"}
        << QStringList{"β 1→10 @300, lr=1e-3", "β 1→10 @500, lr=1e-3",
                       "β=1, lr 1e-3→1e-4 @300, lr 1e-4→1e-5 @600 b3"};
    QTest::addRow("none") << QStringList{} << QStringList{};
}

void TestComparison::differenceLabels() {
    QFETCH(QStringList, configs);
    QFETCH(QStringList, expected);
    QList<TrainConfig> parsed;
    for (const QString& json : configs)
        parsed << configFrom(json);
    QCOMPARE(sobolev::differenceLabels(parsed), expected);
}

void TestComparison::overlay() {
    TrainConfig config;
    config.width = 8;
    config.nTrain = 64;
    config.nVal = 64;
    config.batchSize = 16;
    config.epochs = 5;
    config.gridPoints = 21;
    QList<ComparedRun> runs;
    for (double beta : {1.0, 5.0}) {
        config.beta = beta;
        runs << ComparedRun{QString::number(beta), QStringLiteral("β %1").arg(beta),
                            trainedRun(config)};
    }

    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(runs);
    // Legend markers count as visible only in a shown chart.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QChart*> charts = view.charts();
    QCOMPARE(charts.size(), 4);
    const QStringList labels{"β=1", "β=5"};
    QCOMPARE(view.labels(), labels);

    auto checkCharts = [&] {
        QCOMPARE(legendLabels(charts[0]), labels);
        QCOMPARE(legendLabels(charts[1]), QStringList{"true f"} + labels);
        QCOMPARE(legendLabels(charts[2]), QStringList{"true f′"} + labels);
        QCOMPARE(legendLabels(charts[3]), labels);
        for (int r = 0; r < 2; ++r) {
            const RunRecord& run = runs[r].run;
            QCOMPARE(seriesNamed(charts[0], labels[r])->count(), qsizetype(run.history.size()));
            QCOMPARE(seriesNamed(charts[1], labels[r])->count(), 21);
            QCOMPARE(seriesNamed(charts[2], labels[r])->count(), 21);
            const Predictions& p = run.predictions;
            qsizetype positive = 0;
            for (size_t i = 0; i < p.x.size(); ++i)
                positive += std::abs(p.fprime[i] - p.fprimeHat[i]) > 0;
            QCOMPARE(seriesNamed(charts[3], labels[r])->count(), positive);
            // The same run, the same colour everywhere; another run, another colour.
            const QColor color = seriesNamed(charts[0], labels[r])->pen().color();
            for (int c = 1; c < 4; ++c)
                QCOMPARE(seriesNamed(charts[c], labels[r])->pen().color(), color);
            QVERIFY(color != seriesNamed(charts[0], labels[1 - r])->pen().color());
        }
        QCOMPARE(seriesNamed(charts[1], "true f")->count(), 21);
        QCOMPARE(seriesNamed(charts[2], "true f′")->count(), 21);
        for (QChart* chart : {charts[0], charts[3]}) {
            const auto* axis = qobject_cast<QLogValueAxis*>(chart->axes(Qt::Vertical).constFirst());
            QVERIFY(axis);
            QVERIFY(axis->min() > 0 && axis->min() < axis->max());
            for (QLineSeries* series : visibleSeries(chart))
                for (const QPointF& p : series->points())
                    QVERIFY2(std::isfinite(p.y()) && p.y() > 0, qPrintable(series->name()));
        }
    };

    // The weighted losses, this test's subject (β differs, so the default is the unweighted
    // errors: differentWeightsCompareUnweighted).
    view.findChild<QComboBox*>("lossShown")->setCurrentIndex(0);
    QCOMPARE(visibleSeries(charts[0]).size(), 2);
    QCOMPARE(visibleSeries(charts[1]).size(), 3);
    QCOMPARE(visibleSeries(charts[2]).size(), 3);
    QCOMPARE(visibleSeries(charts[3]).size(), 4); // |f′ − ∂ₓf_θ| and |f − f_θ| a run
    checkCharts();

    // The training loss adds a dashed line per run, but no legend entry.
    view.setTrainLossVisible(true);
    QCOMPARE(visibleSeries(charts[0]).size(), 4);
    QCOMPARE(seriesNamed(charts[0], "β=1 (training)")->count(),
             qsizetype(runs[0].run.history.size()));
    QCOMPARE(seriesNamed(charts[0], "β=1 (training)")->pen().style(), Qt::DashLine);
    checkCharts();

    // Clicking a run's legend entry hides it in every chart; its entry stays, dimmed.
    charts[1]->legend()->markers(seriesNamed(charts[1], "β=5")).constFirst()->clicked();
    for (QChart* chart : charts)
        QVERIFY(!seriesNamed(chart, "β=5")->isVisible());
    QVERIFY(!seriesNamed(charts[0], "β=5 (training)")->isVisible());
    QCOMPARE(legendLabels(charts[3]), labels);

    // The target's legend entry toggles the drawn target; the entry stays, and stays single.
    QLegendMarker* targetEntry = nullptr;
    for (QLegendMarker* marker : charts[1]->legend()->markers())
        if (marker->label() == "true f" && marker->isVisible())
            targetEntry = marker;
    QVERIFY(targetEntry);
    for (bool shown : {false, true}) {
        targetEntry->clicked();
        QCOMPARE(seriesNamed(charts[1], "true f")->isVisible(), shown);
        QCOMPARE(legendLabels(charts[1]), QStringList({"true f", "β=1", "β=5"}));
    }

    // A long history is drawn decimated, within two points per bucket.
    RunRecord longRun = runs[0].run;
    const std::vector<EpochMetrics> shortHistory = longRun.history;
    longRun.history.clear();
    for (int e = 1; e <= 100000; ++e) {
        EpochMetrics m = shortHistory[size_t(e) % shortHistory.size()];
        m.epoch = e;
        longRun.history.push_back(m);
    }
    view.setRuns({ComparedRun{"long", "long", longRun}, runs[1]});
    // About two points per pixel column, also once a resize has changed the columns.
    auto bound = [&] { return 2 * std::max(100, int(charts[0]->plotArea().width())); };
    QVERIFY(seriesNamed(charts[0], "β=1")->count() <= bound());
    QVERIFY(seriesNamed(charts[0], "β=1")->count() >= 100);
    const qsizetype wide = seriesNamed(charts[0], "β=1")->count();
    view.resize(700, 500);
    QTRY_VERIFY(seriesNamed(charts[0], "β=1")->count() < wide);
    QVERIFY(seriesNamed(charts[0], "β=1")->count() <= bound());
}

// View > Show Best-Epoch Errors reaches the table, whose headers then say so; a run with no
// best epoch (saved before 0.4) keeps its final errors.
void TestComparison::tableShowsBestEpochOnRequest() {
    QList<ComparedRun> runs = handmadeRuns();
    runs[0].run.report.best = {3, 1.0, 4e-9, 5e-8, 1e-4, 2e-3};
    runs[1].run.report.best = {};
    ComparisonView view;
    view.setRuns(runs);
    const QStringList final = columnTexts(view, ComparisonView::MseFColumn);
    view.setShownEpoch(ShownEpoch::Best);
    const QStringList best = columnTexts(view, ComparisonView::MseFColumn);
    QCOMPARE(best[0], QStringLiteral("4.00e-09"));
    QCOMPARE(columnTexts(view, ComparisonView::MseFprimeColumn)[0], QStringLiteral("5.00e-08"));
    QCOMPARE(best[1], final[1]);
    QVERIFY(modelOf(view)
                ->horizontalHeaderItem(ComparisonView::MseFColumn)
                ->text()
                .endsWith(QStringLiteral("(best epoch)")));
    // The exported table says so too, and holds the best epoch's numbers.
    const DataTable exported = view.comparisonTable();
    QVERIFY(exported.columns[ComparisonView::MseFColumn].endsWith(QStringLiteral("(best epoch)")));
    QCOMPARE(exported.rows[0][ComparisonView::MseFColumn].toDouble(), 4e-9);
    view.setShownEpoch(ShownEpoch::Final);
    QCOMPARE(columnTexts(view, ComparisonView::MseFColumn), final);
    QCOMPARE(modelOf(view)->horizontalHeaderItem(ComparisonView::MseFColumn)->text(),
             QStringLiteral("MSE f"));
}

void TestComparison::tableSortsNumerically() {
    ComparisonView view;
    view.setRuns(handmadeRuns());
    QTableView* table = view.table();
    QCOMPARE(table->model()->rowCount(), 4);
    // Until the user sorts, the rows keep the order the runs came in.
    QCOMPARE(columnTexts(view, ComparisonView::LabelColumn),
             QStringList({"β=0", "β=0.1", "β=1", "β=10"}));

    table->sortByColumn(ComparisonView::MseFColumn, Qt::AscendingOrder);
    QCOMPARE(columnTexts(view, ComparisonView::MseFColumn),
             QStringList({"8.00e-07", "2.00e-06", "3.00e-05", "NaN"}));
    // The diverged run's NaN stays last whichever way the column is sorted.
    table->sortByColumn(ComparisonView::MseFColumn, Qt::DescendingOrder);
    QCOMPARE(columnTexts(view, ComparisonView::MseFColumn),
             QStringList({"3.00e-05", "2.00e-06", "8.00e-07", "NaN"}));
    table->sortByColumn(ComparisonView::SecondsColumn, Qt::AscendingOrder);
    QCOMPARE(columnTexts(view, ComparisonView::SecondsColumn),
             QStringList({"0.5", "3.25", "7", "12.5"}));

    // New runs keep the user's sort.
    QList<ComparedRun> runs = handmadeRuns();
    runs[0].run.report.trainSeconds = 0.1;
    view.setRuns(runs);
    QCOMPARE(columnTexts(view, ComparisonView::SecondsColumn),
             QStringList({"0.1", "0.5", "3.25", "7"}));
}

void TestComparison::bestIsMarked_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("bestId");
    QTest::addRow("MSE f") << int(ComparisonView::MseFColumn) << "b";
    QTest::addRow("MSE f'") << int(ComparisonView::MseFprimeColumn) << "c";
    QTest::addRow("max f") << int(ComparisonView::MaxErrFColumn) << "b";
    QTest::addRow("max f'") << int(ComparisonView::MaxErrFprimeColumn) << "c";
    // The diverged run was fastest; a time is a time.
    QTest::addRow("seconds") << int(ComparisonView::SecondsColumn) << "d";
}

void TestComparison::bestIsMarked() {
    QFETCH(int, column);
    QFETCH(QString, bestId);
    ComparisonView view;
    view.setRuns(handmadeRuns());
    QStandardItemModel* model = modelOf(view);

    auto check = [&] {
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString id =
                model->item(row, ComparisonView::LabelColumn)->data(IdRole).toString();
            const QStandardItem* item = model->item(row, column);
            QCOMPARE(isMarked(item), id == bestId);
            QCOMPARE(isBold(item), id == bestId);
            // Only the best cell of the column, not its whole row.
            QVERIFY(!isBold(model->item(row, ComparisonView::NameColumn)));
            QVERIFY(!isBold(model->item(row, ComparisonView::EpochsColumn)));
        }
    };
    check();
    for (int sortColumn :
         {column, int(ComparisonView::NameColumn), int(ComparisonView::LabelColumn)}) {
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            view.table()->sortByColumn(sortColumn, order);
            check();
        }
    }
}

void TestComparison::singleRunMarksNothing() {
    ComparisonView view;
    view.setRuns({handmadeRuns().constFirst()});
    QStandardItemModel* model = modelOf(view);
    QCOMPARE(model->rowCount(), 1);
    for (int c = 0; c < ComparisonView::ColumnCount; ++c)
        QVERIFY(!isBold(model->item(0, c)));
    view.setRuns({});
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(view.tableRows(), QList<QStringList>());
}

void TestComparison::differentWeightsCompareUnweighted() {
    TrainConfig config = tinyConfig(5);
    QList<ComparedRun> runs;
    for (double beta : {1.0, 10.0}) {
        config.beta = beta;
        runs << ComparedRun{QString::number(beta), QStringLiteral("β %1").arg(beta),
                            trainedRun(config)};
    }
    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(runs);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QChart*> charts = view.charts();
    const QStringList labels{"β=1", "β=10"};
    auto* loss = view.findChild<QComboBox*>("lossShown");
    QVERIFY(loss);
    // α·MSE f + β·MSE f′ with β 1 and 10 are not comparable: the unweighted errors by default.
    QVERIFY2(charts[0]->title().contains("unweighted"), qPrintable(charts[0]->title()));
    QCOMPARE(charts[0]->axes(Qt::Vertical).constFirst()->titleText(), QString("MSE"));
    const auto firstY = [](QLineSeries* series) {
        return series && series->isVisible() && series->count() > 0 ? series->at(0).y()
                                                                    : std::nan("");
    };
    for (int r = 0; r < 2; ++r) {
        const EpochMetrics& first = runs[r].run.history.front();
        QCOMPARE(firstY(seriesNamed(charts[0], labels[r])), first.valMseF);
        QCOMPARE(firstY(seriesNamed(charts[0], labels[r] + " (MSE f′)")), first.valMseFprime);
        // The error chart: |f′ − ∂ₓf_θ| solid and |f − f_θ| dashed, for every run.
        QLineSeries* fprimeError = seriesNamed(charts[3], labels[r]);
        QLineSeries* fError = seriesNamed(charts[3], labels[r] + " (|f − f_θ|)");
        QVERIFY(fprimeError && fError);
        QVERIFY(fprimeError->isVisible() && fError->isVisible());
        QVERIFY(fprimeError->count() > 0 && fError->count() > 0);
        QCOMPARE(fError->pen().style(), Qt::DashLine);
        const Predictions& p = runs[r].run.predictions;
        QCOMPARE(fError->at(0).y(), std::abs(p.f[0] - p.fHat[0]));
    }
    QCOMPARE(legendLabels(charts[0]), labels); // one entry a run, the dashed line in the title
    QCOMPARE(legendLabels(charts[3]), labels);

    // Selectable either way.
    loss->setCurrentIndex(loss->findData(int(ComparisonCharts::LossShown::Weighted)));
    QCOMPARE(firstY(seriesNamed(charts[0], labels[1])), runs[1].run.history.front().valLoss);
    QVERIFY(!seriesNamed(charts[0], labels[1] + " (MSE f′)")->isVisible());
    QVERIFY(!charts[0]->title().contains("unweighted"));
    QCOMPARE(charts[0]->axes(Qt::Vertical).constFirst()->titleText(), QString("loss"));

    // Runs with the same α and β share their loss: weighted by default.
    runs[1].run = trainedRun([&] {
        TrainConfig c = tinyConfig(5);
        c.seed = 99;
        return c;
    }());
    runs[0].run = trainedRun(tinyConfig(5));
    view.setRuns(runs);
    QCOMPARE(loss->currentData().toInt(), int(ComparisonCharts::LossShown::Weighted));
    QVERIFY(!view.charts()[0]->title().contains("unweighted"));

    // Starting with the same β but changing it during the run weighs the loss differently.
    runs[1].run = trainedRun([&] {
        TrainConfig c = tinyConfig(5);
        c.changes = {KnobChange{3, 1, Knob::Beta, 10}};
        return c;
    }());
    view.setRuns(runs);
    QCOMPARE(loss->currentData().toInt(), int(ComparisonCharts::LossShown::Unweighted));
}

void TestComparison::tableCompilesWithPdflatex() {
    // Runs that differ in α and β: Greek letters in the labels, and every column.
    QList<ComparedRun> runs = handmadeRuns();
    runs[2].run.config.alpha = 0.5;
    ComparisonView view;
    view.setRuns(runs);
    const QByteArray tex = renderTable(view.comparisonTable(), TableFormat::Latex);
    QString missing;
    const QString problems = pdflatexProblems(tex, &missing);
    if (!missing.isEmpty())
        QSKIP(qPrintable(missing));
    QVERIFY2(problems.isEmpty(), qPrintable(problems + "\n" + QString::fromUtf8(tex)));
}

void TestComparison::tableExport() {
    QList<ComparedRun> runs = handmadeRuns();
    runs[1].run.report.mseF = 1.2345678901234567e-6;
    ComparisonView view;
    view.setRuns(runs);
    const QStringList columns = view.tableColumns();
    QCOMPARE(columns.size(), int(ComparisonView::ColumnCount));
    QCOMPARE(columns[ComparisonView::MseFColumn], "MSE f");

    view.table()->sortByColumn(ComparisonView::MseFColumn, Qt::AscendingOrder);
    const QList<QStringList> rows = view.tableRows();
    QCOMPARE(rows.size(), 4);
    // Shown with three digits, exported with all of them, in the order shown.
    QCOMPARE(shownItem(view, 0, ComparisonView::MseFColumn)->text(), "1.23e-06");
    QCOMPARE(rows[0][ComparisonView::MseFColumn], formatNumber(1.2345678901234567e-6));
    QCOMPARE(rows[0][ComparisonView::LabelColumn], "β=0.1");
    QCOMPARE(rows[0][ComparisonView::NameColumn], "run b");
    QCOMPARE(rows[0][ComparisonView::EpochsColumn], "100");
    QCOMPARE(rows[0][ComparisonView::SecondsColumn], "3.25");
    QCOMPARE(rows[0][ComparisonView::StopReasonColumn], "completed");
    QCOMPARE(rows[3][ComparisonView::MseFColumn], "nan");
    QCOMPARE(rows[3][ComparisonView::StopReasonColumn], "diverged");

    const DataTable table = view.comparisonTable();
    QCOMPARE(table.columns, columns);
    QCOMPARE(table.rows.size(), 4);
    QCOMPARE(table.rows[0][ComparisonView::MseFColumn].toDouble(), 1.2345678901234567e-6);
    QVERIFY(std::isnan(table.rows[3][ComparisonView::MseFColumn].toDouble()));
    QCOMPARE(table.rows[0][ComparisonView::EpochsColumn].toInt(), 100);
}

void TestComparison::doubleClickActivates() {
    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(handmadeRuns());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTableView* table = view.table();
    table->sortByColumn(ComparisonView::MseFColumn, Qt::AscendingOrder);

    QSignalSpy spy(&view, &ComparisonView::runActivated);
    // Row 0 is now the run with the smallest MSE f, "b"; its name cell is as good as any.
    const QRect rect = table->visualRect(table->model()->index(0, ComparisonView::NameColumn));
    QVERIFY(rect.isValid());
    // The click first, as a real double-click starts: the window's first mouse event
    // otherwise goes to making it active, and the double-click is lost.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(spy.count(), 0);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.constFirst().constFirst().toString(), "b");
}

namespace {

// Waits until every chart of `view` has laid out inside it, then checks a grab of it: every
// chart shows each shown curve's colour, its legend and its title; the table has text. The
// picture is saved as `path` for a person to look at (see keepImagesIfAsked).
void checkPicture(ComparisonView& view, const QString& path) {
    const QRect inside = view.rect();
    for (QChart* chart : view.charts())
        QTRY_VERIFY(inside.contains(plotAreaIn(&view, chart)) &&
                    plotAreaIn(&view, chart).width() > 50);
    QCoreApplication::sendPostedEvents(); // a layout the log labels asked for
    const QImage image = view.grab().toImage();
    QCOMPARE(image.size(), view.size());
    const QList<QChart*> charts = view.charts();
    for (QChart* chart : charts) {
        // Trained networks lie on the target f (f′) and on each other: there, some of their
        // colours must show, not each one. Losses and errors tell every run apart.
        const bool everySeries = chart != charts[1] && chart != charts[2];
        const QStringList problems = chartPictureProblems(image, &view, chart, 10, everySeries);
        QVERIFY2(problems.isEmpty(), qPrintable(chart->title() + ": " + problems.join(u'\n')));
    }
    QTableView* table = view.table();
    const QRect rows(table->viewport()->mapTo(&view, QPoint(0, 0)), table->viewport()->size());
    QVERIFY2(
        darkPixels(image, rows) > 100 * table->model()->rowCount(),
        qPrintable(QStringLiteral("%1 dark pixels in the table").arg(darkPixels(image, rows))));
    QVERIFY(image.save(path));
}

} // namespace

void TestComparison::renders_data() {
    QTest::addColumn<QList<double>>("betas");
    QTest::addColumn<QList<int>>("seeds");
    QTest::addColumn<QSize>("size");
    // A sweep over beta as a user would compare it; a crowded one with two-knob labels, in a
    // smaller window.
    QTest::addRow("sweep") << QList<double>{0, 0.1, 1, 10} << QList<int>{7} << QSize(1200, 800);
    QTest::addRow("crowded") << QList<double>{0, 0.1, 1, 10, 100} << QList<int>{1, 2}
                             << QSize(1000, 700);
}

void TestComparison::renders() {
    QFETCH(QList<double>, betas);
    QFETCH(QList<int>, seeds);
    QFETCH(QSize, size);
    TrainConfig config;
    config.width = 16;
    config.nTrain = 256;
    config.nVal = 128;
    config.batchSize = 32;
    config.epochs = 200;
    config.gridPoints = 401;
    QList<ComparedRun> runs;
    for (int seed : seeds) {
        for (double beta : betas) {
            config.beta = beta;
            config.seed = std::uint64_t(seed);
            const QString id = QStringLiteral("%1-%2").arg(beta).arg(seed);
            runs << ComparedRun{id, QStringLiteral("sweep %1").arg(id), trainedRun(config)};
        }
    }
    ComparisonView view;
    view.setRuns(runs);
    view.setTrainLossVisible(true);
    view.resize(size);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    keepImagesIfAsked(dir);
    checkPicture(
        view,
        dir.filePath(
            QStringLiteral("comparison_%1.png").arg(QString::fromLatin1(QTest::currentDataTag()))));
}

namespace {

ComparedRun seededRun(double beta, std::uint64_t seed, double mseF,
                      StopReason reason = StopReason::Completed) {
    ComparedRun r = handmadeRun(QStringLiteral("%1-%2").arg(beta).arg(seed), beta, mseF, mseF * 100,
                                double(seed), reason);
    r.run.config.seed = seed;
    r.run.report.epochsRun = int(90 + 10 * seed);
    return r;
}

QCheckBox* ensembleBox(ComparisonView& view) {
    for (QCheckBox* box : view.findChildren<QCheckBox*>())
        if (box->text().startsWith(QStringLiteral("Group seeds")))
            return box;
    return nullptr;
}

QAreaSeries* bandNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (s->name() == name)
            return qobject_cast<QAreaSeries*>(s);
    return nullptr;
}

QList<QAreaSeries*> visibleBands(QChart* chart) {
    QList<QAreaSeries*> list;
    for (QAbstractSeries* s : chart->series())
        if (auto* band = qobject_cast<QAreaSeries*>(s); band && band->isVisible())
            list << band;
    return list;
}

// What a chart shows, to compare two states of the view: each series' kind, name, visibility,
// colour and points.
QStringList chartState(QChart* chart) {
    QStringList state;
    for (QAbstractSeries* s : chart->series()) {
        QString line =
            QStringLiteral("%1 %2 %3").arg(int(s->type())).arg(s->name()).arg(s->isVisible());
        if (auto* xy = qobject_cast<QXYSeries*>(s)) {
            line += QStringLiteral(" %1 %2").arg(xy->pen().color().name()).arg(xy->count());
            for (const QPointF& p : xy->points())
                line += QStringLiteral(" %1,%2").arg(p.x()).arg(p.y());
        }
        state << line;
    }
    for (QLegendMarker* marker : chart->legend()->markers())
        state << QStringLiteral("marker %1 %2").arg(marker->label()).arg(marker->isVisible());
    return state;
}

QList<ComparedRun> trainedEnsemble(const QList<double>& betas, int seeds, int epochs) {
    TrainConfig config;
    config.width = 16;
    config.nTrain = 256;
    config.nVal = 128;
    config.batchSize = 32;
    config.epochs = epochs;
    config.gridPoints = 401;
    QList<ComparedRun> runs;
    for (double beta : betas) {
        for (int seed = 1; seed <= seeds; ++seed) {
            config.beta = beta;
            config.seed = std::uint64_t(seed);
            const QString id = QStringLiteral("%1-%2").arg(beta).arg(seed);
            runs << ComparedRun{id, QStringLiteral("ensemble %1").arg(id), trainedRun(config)};
        }
    }
    return runs;
}

} // namespace

void TestComparison::groupBySeed_data() {
    QTest::addColumn<QStringList>("configs"); // JSON objects over the default config
    QTest::addColumn<QList<QList<int>>>("groups");
    QTest::addColumn<QStringList>("labels");
    QTest::addRow("three and two seeds")
        << QStringList{R"({"beta": 1, "seed": 1})", R"({"beta": 5, "seed": 1})",
                       R"({"beta": 1, "seed": 2})", R"({"beta": 5, "seed": 2})",
                       R"({"beta": 1, "seed": 3})"}
        << QList<QList<int>>{{0, 2, 4}, {1, 3}} << QStringList{"β=1 (3 seeds)", "β=5 (2 seeds)"};
    QTest::addRow("two knobs") << QStringList{R"({"width": 16, "beta": 1, "seed": 1})",
                                              R"({"width": 32, "beta": 1, "seed": 1})",
                                              R"({"width": 16, "beta": 1, "seed": 2})"}
                               << QList<QList<int>>{{0, 2}, {1}}
                               << QStringList{"width 16 (2 seeds)", "width 32 (1 seed)"};
    QTest::addRow("no partners") << QStringList{R"({"beta": 0})", R"({"beta": 1})"}
                                 << QList<QList<int>>{{0}, {1}}
                                 << QStringList{"β=0 (1 seed)", "β=1 (1 seed)"};
    QTest::addRow("only seeds differ")
        << QStringList{R"({"seed": 1})", R"({"seed": 2})", R"({"seed": 3})"}
        << QList<QList<int>>{{0, 1, 2}} << QStringList{"group 1 (3 seeds)"};
    // Predictions on different grids can't be averaged point by point.
    QTest::addRow("grid splits") << QStringList{R"({"seed": 1})",
                                                R"({"seed": 2, "grid_points": 11})"}
                                 << QList<QList<int>>{{0}, {1}}
                                 << QStringList{"group 1 (1 seed)", "group 2 (1 seed)"};
    QTest::addRow("none") << QStringList{} << QList<QList<int>>{} << QStringList{};
}

void TestComparison::groupBySeed() {
    QFETCH(QStringList, configs);
    QFETCH(QList<QList<int>>, groups);
    QFETCH(QStringList, labels);
    QList<TrainConfig> parsed;
    for (const QString& json : configs)
        parsed << configFrom(json);
    QCOMPARE(sobolev::groupBySeed(parsed), groups);
    QCOMPARE(sobolev::groupLabels(parsed, groups), labels);
}

void TestComparison::ensembleCheckBox_data() {
    QTest::addColumn<QList<double>>("betas");
    QTest::addColumn<QList<int>>("seeds");
    QTest::addColumn<bool>("enabled");
    QTest::addRow("a sweep, one seed") << QList<double>{0, 1, 5} << QList<int>{1, 1, 1} << false;
    QTest::addRow("one config, seeds") << QList<double>{1, 1} << QList<int>{1, 2} << true;
    QTest::addRow("one pair among singles")
        << QList<double>{0, 1, 5, 5} << QList<int>{1, 1, 1, 2} << true;
    QTest::addRow("one run") << QList<double>{1} << QList<int>{1} << false;
    QTest::addRow("none") << QList<double>{} << QList<int>{} << false;
}

void TestComparison::ensembleCheckBox() {
    QFETCH(QList<double>, betas);
    QFETCH(QList<int>, seeds);
    QFETCH(bool, enabled);
    QList<ComparedRun> runs;
    for (qsizetype i = 0; i < betas.size(); ++i)
        runs << seededRun(betas[i], std::uint64_t(seeds[i]), 1e-6);

    ComparisonView view;
    QCheckBox* box = ensembleBox(view);
    QVERIFY(box);
    QSignalSpy spy(&view, &ComparisonView::ensembleModeChanged);
    view.setRuns(runs);
    QCOMPARE(view.canGroup(), enabled);
    QCOMPARE(box->isEnabled(), enabled);
    QVERIFY(!box->isChecked());

    // The setter and the box follow each other; a refused request leaves both off.
    view.setEnsembleMode(true);
    QCOMPARE(view.ensembleMode(), enabled);
    QCOMPARE(box->isChecked(), enabled);
    QCOMPARE(spy.count(), enabled ? 1 : 0);
    view.setEnsembleMode(false);
    QVERIFY(!view.ensembleMode());
    QVERIFY(!box->isChecked());
    if (enabled) {
        box->click();
        QVERIFY(view.ensembleMode());
        QCOMPARE(modelOf(view)->rowCount(), view.groups().size());
        // Runs without seed partners end the mode.
        view.setRuns({seededRun(0, 1, 1e-6), seededRun(1, 1, 2e-6)});
        QVERIFY(!view.ensembleMode());
        QVERIFY(!box->isChecked());
        QVERIFY(!box->isEnabled());
        QCOMPARE(modelOf(view)->rowCount(), 2);
        QCOMPARE(spy.count(), 4);
        QCOMPARE(spy.last().constFirst().toBool(), false);
    }
}

void TestComparison::ensembleTable_data() {
    QTest::addColumn<QList<double>>("mseF"); // of the three seeds of β=1
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("stopReasons");
    QTest::addRow("three seeds") << QList<double>{1e-6, 2e-6, 6e-6} << 2e-6 << 1e-6 << 6e-6
                                 << "2.0e-6 (1.0e-6 – 6.0e-6)"
                                 << "completed";
    // Errors over decades: the mean (1.07e-5) and std (1.7e-5) would describe none of the
    // runs; the median is the middle run's error and the range shows the spread.
    QTest::addRow("over decades") << QList<double>{3e-5, 1e-7, 2e-6} << 2e-6 << 1e-7 << 3e-5
                                  << "2.0e-6 (1.0e-7 – 3.0e-5)"
                                  << "completed";
    // A diverged run is left out of the statistics, and the text says so.
    QTest::addRow("one diverged") << QList<double>{1e-6, notANumber, 3e-6} << 2e-6 << 1e-6 << 3e-6
                                  << "2.0e-6 (1.0e-6 – 3.0e-6), 2 of 3 runs"
                                  << "2 completed, 1 diverged";
}

void TestComparison::ensembleTable() {
    QFETCH(QList<double>, mseF);
    QFETCH(double, median);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(QString, text);
    QFETCH(QString, stopReasons);
    QList<ComparedRun> runs;
    for (int seed = 1; seed <= 3; ++seed) {
        const double v = mseF[seed - 1];
        runs << seededRun(1, std::uint64_t(seed), v,
                          std::isnan(v) ? StopReason::Diverged : StopReason::Completed);
    }
    // The second group is better in MSE f, worse in time.
    runs << seededRun(5, 1, 5e-7) << seededRun(5, 2, 7e-7);
    for (qsizetype i = 3; i < runs.size(); ++i)
        runs[i].run.report.trainSeconds = 100;

    ComparisonView view;
    view.setRuns(runs);
    view.setEnsembleMode(true);
    QStandardItemModel* model = modelOf(view);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(columnTexts(view, ComparisonView::LabelColumn),
             QStringList({"β=1 (3 seeds)", "β=5 (2 seeds)"}));
    QCOMPARE(columnTexts(view, ComparisonView::NameColumn), QStringList({"1, 2, 3", "1, 2"}));
    QCOMPARE(model->item(0, ComparisonView::MseFColumn)->text(), text);
    QCOMPARE(model->item(0, ComparisonView::StopReasonColumn)->text(), stopReasons);
    QCOMPARE(model->item(1, ComparisonView::MseFColumn)->text(), "6.0e-7 (5.0e-7 – 7.0e-7)");
    QCOMPARE(model->item(1, ComparisonView::SecondsColumn)->text(), "100 (100 – 100)");
    QCOMPARE(model->item(0, ComparisonView::SecondsColumn)->text(), "2 (1 – 3)");
    QCOMPARE(model->item(0, ComparisonView::EpochsColumn)->text(), "110 (100 – 120)");

    // The best median is marked, and the rows sort by it.
    QVERIFY(isMarked(model->item(1, ComparisonView::MseFColumn)));
    QVERIFY(!isMarked(model->item(0, ComparisonView::MseFColumn)));
    QVERIFY(isMarked(model->item(0, ComparisonView::SecondsColumn)));
    view.table()->sortByColumn(ComparisonView::MseFColumn, Qt::AscendingOrder);
    QCOMPARE(columnTexts(view, ComparisonView::LabelColumn),
             QStringList({"β=5 (2 seeds)", "β=1 (3 seeds)"}));
    view.table()->sortByColumn(ComparisonView::MseFColumn, Qt::DescendingOrder);

    // Exported: a median, a min and a max column per number, at full precision.
    const DataTable table = view.comparisonTable();
    QStringList columns{"Run", "Seeds", "Runs"};
    for (const char* number : {"MSE f", "MSE f'", "max |err| f", "max |err| f'", "H¹ error",
                               "rel. L2 f", "rel. L2 f'", "Epochs", "Train time (s)"})
        columns << QStringLiteral("%1 (median)").arg(QString::fromUtf8(number))
                << QStringLiteral("%1 (min)").arg(QString::fromUtf8(number))
                << QStringLiteral("%1 (max)").arg(QString::fromUtf8(number));
    columns << "Stop reason";
    QCOMPARE(table.columns, columns);
    QCOMPARE(view.tableColumns(), columns);
    QCOMPARE(table.rows.size(), 2);
    const QList<QVariant>& row = table.rows[0];
    QCOMPARE(row.size(), columns.size());
    QCOMPARE(row[0].toString(), "β=1 (3 seeds)");
    QCOMPARE(row[1].toString(), "1, 2, 3");
    QCOMPARE(row[2].toInt(), 3);
    QCOMPARE(row[3].toDouble(), median);
    QCOMPARE(row[4].toDouble(), min);
    QCOMPARE(row[5].toDouble(), max);
    // H1 = sqrt(MSE f + MSE f') of each run.
    QVERIFY(row[15].toDouble() > 0);
    QCOMPARE(row[24].toDouble(), 110.0); // epochs 100, 110, 120
    QCOMPARE(row[25].toDouble(), 100.0);
    QCOMPARE(row[26].toDouble(), 120.0);
    QCOMPARE(row[30].toString(), stopReasons);
    QCOMPARE(table.rows[1][3].toDouble(), 6e-7);
    const QList<QStringList> rows = view.tableRows();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0][3], formatNumber(row[3].toDouble()));

    // A group's row opens no run.
    QSignalSpy spy(&view, &ComparisonView::runActivated);
    emit view.table()->activated(view.table()->model()->index(0, ComparisonView::NameColumn));
    QCOMPARE(spy.count(), 0);
}

void TestComparison::ensembleBands() {
    // Three runs of one config, stopped after 3, 5 and 4 epochs, on a grid of 4 points.
    const std::vector<std::vector<double>> losses{
        {1.0, 0.5, 0.25}, {2.0, 0.4, 0.3, 0.2, 0.1}, {0.5, 0.6, 0.2, 0.05}};
    const std::vector<std::vector<double>> fHats{
        {0.1, 0.2, 0.3, 0.4}, {0.0, 0.5, 0.1, 0.2}, {0.2, 0.1, 0.2, 0.6}};
    QList<ComparedRun> runs;
    for (size_t k = 0; k < losses.size(); ++k) {
        ComparedRun r = seededRun(1, k + 1, 1e-6);
        for (size_t e = 0; e < losses[k].size(); ++e) {
            EpochMetrics m;
            m.epoch = int(e + 1);
            m.valLoss = losses[k][e];
            m.loss = losses[k][e] * 2;
            r.run.history.push_back(m);
        }
        Predictions& p = r.run.predictions;
        p.x = {-1, -0.5, 0.5, 1};
        p.fHat = fHats[k];
        p.f = {0.1, 0.3, 0.3, 0.1};
        p.fprimeHat = fHats[k];
        p.fprime = {0.5, 0.5, 0.5, 0.5};
        runs << r;
    }
    runs << seededRun(5, 1, 1e-6); // a group of one: a line, no band

    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(runs);
    view.setEnsembleMode(true);
    // The weighted losses this test checks (β differs: the default would be unweighted).
    view.findChild<QComboBox*>("lossShown")->setCurrentIndex(0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QChart*> charts = view.charts();
    const QString label = "β=1 (3 seeds)";
    QCOMPARE(view.groupLabels(), QStringList({label, "β=5 (1 seed)"}));

    auto check = [](QAreaSeries* band, const QList<QPointF>& upper, const QList<QPointF>& lower) {
        QVERIFY(band);
        QVERIFY(band->isVisible());
        QCOMPARE(band->upperSeries()->points(), upper);
        QCOMPARE(band->lowerSeries()->points(), lower);
    };
    // Epoch by epoch over the runs that reached it.
    check(bandNamed(charts[0], label + " (band)"),
          {{1, 2.0}, {2, 0.6}, {3, 0.3}, {4, 0.2}, {5, 0.1}},
          {{1, 0.5}, {2, 0.4}, {3, 0.2}, {4, 0.05}, {5, 0.1}});
    check(bandNamed(charts[1], label + " (band)"), {{-1, 0.2}, {-0.5, 0.5}, {0.5, 0.3}, {1, 0.6}},
          {{-1, 0.0}, {-0.5, 0.1}, {0.5, 0.1}, {1, 0.2}});
    // |f' - f'_θ| on a log axis: the second run's zero at x = -0.5 is skipped, not drawn.
    check(bandNamed(charts[3], label + " (band)"), {{-1, 0.5}, {-0.5, 0.4}, {0.5, 0.4}, {1, 0.3}},
          {{-1, 0.3}, {0.5, 0.2}, {1, 0.1}});
    // The band's colour, translucent, under a line of the same colour: the median of the runs
    // that reached the epoch (of 1, 2 and 0.5 at epoch 1: 1, where the mean would be 7/6).
    QLineSeries* median = seriesNamed(charts[0], label);
    QVERIFY(median);
    QCOMPARE(bandNamed(charts[0], label + " (band)")->brush().color().rgb(),
             median->pen().color().rgb());
    QVERIFY(bandNamed(charts[0], label + " (band)")->brush().color().alpha() < 128);
    QCOMPARE(median->points(),
             QList<QPointF>({{1, 1.0}, {2, 0.5}, {3, 0.25}, {4, 0.125}, {5, 0.1}}));
    QCOMPARE(seriesNamed(charts[1], label)->points(),
             QList<QPointF>({{-1, 0.1}, {-0.5, 0.2}, {0.5, 0.2}, {1, 0.4}}));

    // One legend entry per group, none per band; the single run has no band.
    QCOMPARE(legendLabels(charts[0]), QStringList({label, "β=5 (1 seed)"}));
    QCOMPARE(legendLabels(charts[1]), QStringList({"true f", label, "β=5 (1 seed)"}));
    QCOMPARE(legendLabels(charts[3]), QStringList({label, "β=5 (1 seed)"}));
    for (QChart* chart : charts) // the error chart: |f′ − ∂ₓf_θ| and |f − f_θ|
        QCOMPARE(visibleBands(chart).size(), chart == charts[3] ? 2 : 1);

    // The training loss brings its band, still without a legend entry.
    view.setTrainLossVisible(true);
    check(bandNamed(charts[0], label + " (training, band)"),
          {{1, 4.0}, {2, 1.2}, {3, 0.6}, {4, 0.4}, {5, 0.2}},
          {{1, 1.0}, {2, 0.8}, {3, 0.4}, {4, 0.1}, {5, 0.2}});
    QCOMPARE(visibleBands(charts[0]).size(), 2);
    QCOMPARE(legendLabels(charts[0]), QStringList({label, "β=5 (1 seed)"}));

    // A group's legend entry hides its line and its bands.
    charts[1]->legend()->markers(seriesNamed(charts[1], label)).constFirst()->clicked();
    for (QChart* chart : charts)
        QCOMPARE(visibleBands(chart).size(), 0);
    QVERIFY(!seriesNamed(charts[2], label)->isVisible());
    QCOMPARE(legendLabels(charts[0]), QStringList({label, "β=5 (1 seed)"}));
}

void TestComparison::ensembleToggleRestores() {
    const QList<ComparedRun> runs = trainedEnsemble({1, 5}, 2, 5);
    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(runs);
    view.setTrainLossVisible(true);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QChart*> charts = view.charts();
    // A run hidden by its legend entry stays hidden after the round trip.
    charts[0]->legend()->markers(seriesNamed(charts[0], view.labels()[1])).constFirst()->clicked();
    QList<QStringList> before;
    for (QChart* chart : charts)
        before << chartState(chart);
    const QList<QStringList> rowsBefore = view.tableRows();
    const QStringList columnsBefore = view.tableColumns();
    QCOMPARE(visibleSeries(charts[0]).size(), 6);

    view.setEnsembleMode(true);
    QCOMPARE(visibleSeries(charts[0]).size(), 4); // two means, two training means
    QCOMPARE(visibleSeries(charts[1]).size(), 3);
    QCOMPARE(visibleBands(charts[1]).size(), 2);
    // The legend lays its new markers out on the next pass of the event loop.
    QTRY_COMPARE(legendLabels(charts[2]),
                 QStringList({"true f′", "β=1 (2 seeds)", "β=5 (2 seeds)"}));
    QCOMPARE(modelOf(view)->rowCount(), 2);

    view.setEnsembleMode(false);
    QTRY_COMPARE(chartState(charts[0]), before[0]);
    for (int c = 0; c < charts.size(); ++c)
        QCOMPARE(chartState(charts[c]), before[c]);
    QCOMPARE(visibleSeries(charts[0]).size(), 6);
    for (QChart* chart : charts)
        QCOMPARE(visibleBands(chart).size(), 0);
    QCOMPARE(view.tableRows(), rowsBefore);
    QCOMPARE(view.tableColumns(), columnsBefore);
}

void TestComparison::ensembleDecimates() {
    // Three long histories: the mean line within two points per bucket like a run's line, the
    // band's edges with fewer still.
    QList<ComparedRun> runs;
    for (int seed = 1; seed <= 3; ++seed) {
        ComparedRun r = seededRun(1, std::uint64_t(seed), 1e-6);
        for (int e = 1; e <= 100000; ++e) {
            EpochMetrics m;
            m.epoch = e;
            m.valLoss = (1 + 0.5 * std::sin(e * 0.37 * seed)) / e;
            m.loss = 2 * m.valLoss;
            r.run.history.push_back(m);
        }
        runs << r;
    }
    runs[1].run.history.resize(50000); // stopped early
    ComparisonView view;
    view.resize(1200, 800);
    view.setRuns(runs);
    view.setEnsembleMode(true);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QChart* loss = view.charts()[0];
    const QString label = "group 1 (3 seeds)";
    auto bound = [&] { return 2 * std::max(100, int(loss->plotArea().width())); };
    QTRY_VERIFY(seriesNamed(loss, label)->count() <= bound());
    QVERIFY(seriesNamed(loss, label)->count() >= 100);
    QAreaSeries* band = bandNamed(loss, label + " (band)");
    QVERIFY(band);
    QVERIFY(band->upperSeries()->count() <= bound() / 2);
    QVERIFY(band->upperSeries()->count() >= 50);
    // The band spans the whole history and holds every run's extremes.
    QCOMPARE(band->upperSeries()->points().constFirst().x(), 1.0);
    QCOMPARE(band->upperSeries()->points().constLast().x(), 100000.0);
    double lowest = runs[0].run.history[0].valLoss, highest = lowest;
    for (const ComparedRun& r : runs)
        for (const EpochMetrics& m : r.run.history) {
            lowest = std::min(lowest, m.valLoss);
            highest = std::max(highest, m.valLoss);
        }
    double bandLow = highest, bandHigh = lowest;
    for (const QPointF& p : band->lowerSeries()->points())
        bandLow = std::min(bandLow, p.y());
    for (const QPointF& p : band->upperSeries()->points())
        bandHigh = std::max(bandHigh, p.y());
    QCOMPARE(bandLow, lowest);
    QCOMPARE(bandHigh, highest);
}

void TestComparison::ensembleRenders_data() {
    QTest::addColumn<int>("epochs");
    // Well trained seeds nearly agree; after a short training they still differ visibly.
    QTest::addRow("trained") << 300;
    QTest::addRow("short") << 40;
}

void TestComparison::ensembleRenders() {
    QFETCH(int, epochs);
    const QList<ComparedRun> runs = trainedEnsemble({0, 1}, 3, epochs);
    ComparisonView view;
    view.setRuns(runs);
    view.resize(1400, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    keepImagesIfAsked(dir);
    auto save = [&](const QString& name) {
        checkPicture(view,
                     dir.filePath(QStringLiteral("ensemble_%1_%2.png")
                                      .arg(QString::fromLatin1(QTest::currentDataTag()), name)));
    };
    save(QStringLiteral("per_run"));
    view.setEnsembleMode(true);
    save(QStringLiteral("ensemble"));
    view.setTrainLossVisible(true);
    save(QStringLiteral("ensemble_training"));
    for (QChart* chart : view.charts()) {
        QVERIFY(!visibleBands(chart).isEmpty());
        for (QAreaSeries* band : visibleBands(chart))
            QVERIFY(band->upperSeries()->count() > 0 && band->lowerSeries()->count() > 0);
    }
}

// Runs #4 and #2 of one config: the labels name the runs, not their rows.
void TestComparison::labelsNameRunsByTheirNumbers() {
    QList<ComparedRun> runs{handmadeRun(QStringLiteral("x"), 1, 1e-6, 1e-5, 1),
                            handmadeRun(QStringLiteral("y"), 1, 2e-6, 2e-5, 1)};
    runs[0].number = 4;
    runs[1].number = 2;
    ComparisonView view;
    view.setRuns(runs);
    QCOMPARE(view.labels(), QStringList({"run 4", "run 2"}));
    std::swap(runs[0], runs[1]);
    view.setRuns(runs);
    QCOMPARE(view.labels(), QStringList({"run 2", "run 4"}));
    // Beside a different run they keep their numbers; a run without one goes by its id.
    runs << handmadeRun(QStringLiteral("z"), 5, 1e-6, 1e-5, 1);
    runs << handmadeRun(QStringLiteral("20261207-101010-0001"), 1, 1e-6, 1e-5, 1);
    view.setRuns(runs);
    QCOMPARE(view.labels(),
             QStringList({"β=1 (run 2)", "β=1 (run 4)", "β=5", "β=1 (run 20261207-101010-0001)"}));
}

void TestComparison::noisyFinalValuesNote_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<bool>("noisy");
    QTest::addRow("constant-rate Adam") << "{}" << true;
    QTest::addRow("cosine schedule") << R"({"schedule": "cosine"})" << false;
    QTest::addRow("L-BFGS after Adam") << R"({"lbfgs_iterations": 50})" << false;
    QTest::addRow("best weights put back") << R"({"restore_best": true})" << false;
}

// Runs ranked by final errors of constant-rate Adam carry a note that those are noisy, with a
// button that shows the best-epoch errors (and asks the other views to); it is hidden while
// best-epoch errors are shown, and for runs whose final values settle.
void TestComparison::noisyFinalValuesNote() {
    QFETCH(QString, json);
    QFETCH(bool, noisy);
    QList<ComparedRun> runs = handmadeRuns();
    for (ComparedRun& r : runs) {
        const double beta = r.run.config.beta;
        r.run.config = configFrom(json);
        r.run.config.beta = beta;
        r.run.report.best = {3, 1.0, 4e-9, 5e-8, 1e-4, 2e-3};
    }
    ComparisonView view;
    view.setRuns(runs);
    view.resize(1200, 800);
    view.show();
    NoisyFinalNote* note = view.noisyNote();
    QCOMPARE(note->isVisible(), noisy);
    QCOMPARE(note->applies(), noisy);
    if (!noisy)
        return;
    QVERIFY2(note->plainText().contains(QStringLiteral("noisy: runs differ by up to ~")),
             qPrintable(note->plainText()));
    QVERIFY(note->plainText().contains(QStringLiteral("× from seed to seed")));
    QSignalSpy asked(&view, &ComparisonView::shownEpochRequested);
    auto* button = note->findChild<QPushButton*>(QStringLiteral("showBestEpoch"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(view.shownEpochIsBest());
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.first().first().value<ShownEpoch>(), ShownEpoch::Best);
    QVERIFY(!note->isVisible());
    QCOMPARE(columnTexts(view, ComparisonView::MseFColumn)[0], QStringLiteral("4.00e-09"));
    view.setShownEpoch(ShownEpoch::Final);
    QVERIFY(note->isVisible());
}

// File ▸ Export Report… of the Compare window: the Markdown has the table as shown, with the
// best epochs, and the notes as typed; the PDF has the four figures drawn into it.
void TestComparison::comparisonReport() {
    QList<ComparedRun> runs;
    for (double beta : {0.0, 1.0, 10.0}) {
        TrainConfig c = smallConfig(20);
        c.beta = beta;
        runs.append(
            {QStringLiteral("run-%1").arg(beta), QStringLiteral("β %1").arg(beta), trainedRun(c)});
    }
    ComparisonWindow window(runs);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTemporaryDir dir;
    keepImagesIfAsked(dir);
    const QString notes = QStringLiteral("β = 10 wins on f′ *but* not on f_θ.\n"
                                         "1. a list? no\n\n# not a heading | nor a table");
    ReportTarget target{dir.filePath(QStringLiteral("compare.pdf")), ReportPage::A4, true,
                        QStringLiteral("compare_files")};
    QString error;
    QVERIFY2(window.writeReport(target, notes, &error), qPrintable(error));
    QFile md(markdownPathFor(target.pdfPath));
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(md.readAll());
    for (const QString& heading : comparisonSectionHeadings())
        QVERIFY2(text.contains(QStringLiteral("\n## %1\n").arg(heading)), qPrintable(heading));
    // The notes, escaped: they read as typed.
    QVERIFY2(text.contains(QStringLiteral("β = 10 wins on f′ \\*but\\* not on f\\_θ.  \n"
                                          "1\\. a list? no")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\\# not a heading \\| nor a table")), qPrintable(text));
    // Every row of the table, in the notation of the table exports, best epoch included.
    const DataTable table = window.view()->reportTable();
    QVERIFY(table.columns.contains(QStringLiteral("Best epoch")));
    QVERIFY(table.columns.contains(QStringLiteral("MSE f (best epoch)")));
    const QString exported = QString::fromUtf8(
        renderTable(DataTable{{}, table.columns, table.rows}, TableFormat::Markdown, 3));
    QCOMPARE(table.rows.size(), 3);
    for (const QString& line : exported.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(text.contains(line), qPrintable(line + "\n" + text));
    for (const QString& label : window.view()->labels())
        QVERIFY2(text.contains(QStringLiteral("| %1 |").arg(label)), qPrintable(label));
    // The figures: linked beside the Markdown, and drawn in the PDF (their titles are text).
    for (const char* name : {"compare-loss", "compare-f", "compare-fprime", "compare-error"})
        QVERIFY2(QFileInfo(dir.filePath(QStringLiteral("compare_files/%1.png").arg(name))).size() >
                     0,
                 name);
    bool skipped = false;
    const QString pdfText =
        popplerOutput(QStringLiteral("pdftotext"), {target.pdfPath, QStringLiteral("-")}, &skipped);
    if (skipped)
        QSKIP("pdftotext (poppler-utils) is not on the PATH");
    for (const char* words : {"Validation MSE f", "f(x): target and networks", "β=10", "completed",
                              "wins on f′ *but* not on f_θ", "Figure 4."})
        QVERIFY2(pdfText.contains(QString::fromUtf8(words)), words);
    const QString info = popplerOutput(QStringLiteral("pdfinfo"), {target.pdfPath}, &skipped);
    static const QRegularExpression pages(QStringLiteral("Pages:\\s+(\\d+)"));
    const auto match = pages.match(info);
    QVERIFY2(match.hasMatch() && match.captured(1).toInt() >= 2, qPrintable(info));
    QVERIFY2(text.contains(QStringLiteral("3 runs: β=0, β=1, β=10")), qPrintable(text));
    QVERIFY2(QFileInfo(target.pdfPath).size() > 60000,
             qPrintable(QString::number(QFileInfo(target.pdfPath).size())));
}

// A run whose weights moved gets a λ(t) curve, and its label says where β/α ended; runs with
// constant weights alone show no λ(t) chart.
void TestComparison::lambdaChartForVaryingWeights() {
    const auto runWith = [](const QString& id, double betaAfter) {
        ComparedRun r;
        r.id = id;
        r.run.config.epochs = 20;
        if (betaAfter != 1)
            r.run.config.changes = {{10, 1, Knob::Beta, betaAfter}};
        for (int e = 1; e <= 20; ++e) {
            EpochMetrics m;
            m.epoch = e;
            m.alpha = 1;
            m.beta = e < 10 ? 1 : betaAfter;
            m.loss = m.valLoss = m.mseF = m.mseFprime = m.valMseF = m.valMseFprime = 1.0 / e;
            r.run.history.push_back(m);
        }
        return r;
    };
    ComparisonView view;
    view.resize(1200, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setRuns({runWith("a", 1), runWith("b", 1)});
    QVERIFY(!view.lambdaChart()->isVisible());
    view.setRuns({runWith("a", 1), runWith("b", 4)});
    QVERIFY(view.lambdaChart()->isVisible());
    QCOMPARE(view.lambdaChart()->curves().size(), 2);
    QCOMPARE(view.lambdaChart()->curves()[1].constLast(), QPointF(20, 4));
    QVERIFY2(view.labels()[1].endsWith(", β/α→4"), qPrintable(view.labels()[1]));
    QVERIFY2(!view.labels()[0].contains("β/α→"), qPrintable(view.labels()[0]));
}

QTEST_MAIN(TestComparison)
#include "tst_comparison.moc"
