// SPDX-License-Identifier: GPL-3.0-or-later
// Every figure and table in every format, read back; run bundles; failed exports leave nothing.
#include "chartexport.h"
#include "charttestutil.h"
#include "core/train/trainer.h"
#include "exporttestutil.h"
#include "fitchart.h"
#include "runbundle.h"
#include "tablewriter.h"
#include "textformat.h"
#include "trainingchart.h"

#include <QtTest>

#include <QChart>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QXmlStreamReader>

using namespace sobolev;

Q_DECLARE_METATYPE(sobolev::DataTable)

class TestExports : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void figure_data();
    void figure();
    void pngScale_data();
    void pngScale();
    void figureSheet_data();
    void figureSheet();
    void table_data();
    void table();
    void csvAndJsonKeepEveryDigit();
    void roundedFormatsUseSignificantDigits();
    void oneNotationPerColumn_data();
    void oneNotationPerColumn();
    void csvWritesShortestRoundTrip_data();
    void csvWritesShortestRoundTrip();
    void metricsTableKeepsBestEpoch();
    void fprimeErrorsOfDataWithoutFprimeAreDashes();
    void latexEscapesAndBooktabs();
    void hiddenCurvesLeaveTheLegend();
    void sheetCaption();
    void latexCompiles_data();
    void latexCompiles();
    void runBundle();
    void failedExportLeavesNothing_data();
    void failedExportLeavesNothing();

  private:
    QTemporaryDir m_dir;
    RunRecord m_run;
    std::unique_ptr<TrainingChart> m_training;
    std::unique_ptr<FitChart> m_f, m_fprime, m_error;
    QChart* chartNamed(const QString& name) const;
    QString path(const QString& name) const { return m_dir.filePath(name); }
};

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every text node of an SVG, with a check that the XML parses.
QStringList svgTexts(const QByteArray& svg, QString* xmlError) {
    QStringList texts;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters() && !xml.isWhitespace())
            texts << xml.text().toString().trimmed();
    }
    if (xml.hasError())
        *xmlError = xml.errorString();
    return texts;
}

// A minimal RFC 4180 reader for the round trip.
QList<QStringList> parseCsv(const QString& text) {
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << cell;
            cell.clear();
        } else if (c == '\n') {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
        } else {
            cell += c;
        }
    }
    return rows;
}

DataTable awkwardTable() {
    return {QStringLiteral("Odd & ends_100%"),
            {QStringLiteral("name, with comma"), QStringLiteral("value"), QStringLiteral("count")},
            {{QStringLiteral("third"), 1.0 / 3, 3},
             {QStringLiteral("say \"hi\" | {x} ~ ^ \\ $ # _"), std::nan(""), 0},
             {QStringLiteral("tiny"), 1e-300, -7},
             {QStringLiteral("huge"), 1.7976931348623157e308, 42},
             {QStringLiteral("infinite"), INFINITY, 1}}};
}

} // namespace

void TestExports::initTestCase() {
    TrainConfig c;
    c.width = 8;
    c.nTrain = 128;
    c.batchSize = 32;
    c.nVal = 32;
    c.epochs = 20;
    c.gridPoints = 101;
    Trainer t(c);
    t.trainAll();
    m_run = {c, t.history(), t.predictions(), t.report()};

    m_training = std::make_unique<TrainingChart>();
    m_f = std::make_unique<FitChart>(FitChart::Kind::Function);
    m_fprime = std::make_unique<FitChart>(FitChart::Kind::Derivative);
    m_error = std::make_unique<FitChart>(FitChart::Kind::Error);
    const QList<QWidget*> widgets = {m_training.get(), m_f.get(), m_fprime.get(), m_error.get()};
    for (QWidget* w : widgets) {
        w->resize(640, 400);
        w->show();
    }
    QVERIFY(QTest::qWaitForWindowExposed(m_training.get()));
    m_training->setHistory(QList<EpochMetrics>(m_run.history.begin(), m_run.history.end()));
    m_training->redrawNow();
    for (FitChart* f : {m_f.get(), m_fprime.get(), m_error.get()}) {
        f->setPredictions(m_run.predictions);
        f->redrawNow();
    }
    // Every chart has laid out at its size (exportChart refuses a never-laid-out chart).
    const QList<QChart*> charts = {m_training->chart(), m_f->chart(), m_fprime->chart(),
                                   m_error->chart()};
    for (int i = 0; i < widgets.size(); ++i)
        QTRY_VERIFY(QRect(QPoint(0, 0), widgets[i]->size())
                        .contains(testutil::plotAreaIn(widgets[i], charts[i])) &&
                    testutil::plotAreaIn(widgets[i], charts[i]).width() > 100);
    QCoreApplication::sendPostedEvents(); // a layout the log labels asked for
}

QChart* TestExports::chartNamed(const QString& name) const {
    if (name == "training")
        return m_training->chart();
    if (name == "f")
        return m_f->chart();
    if (name == "fprime")
        return m_fprime->chart();
    return m_error->chart();
}

void TestExports::figure_data() {
    QTest::addColumn<QString>("chart");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QStringList>("texts");
    const QMap<QString, QStringList> expected = {
        {"training",
         {"Training and validation loss", "epoch", "loss / MSE", "train loss", "val MSE f"}},
        {"f", {"x", "f(x)", "true f"}},
        {"fprime", {"x", "true f′"}},
        {"error", {"Pointwise error", "x", "|error|"}},
    };
    for (auto it = expected.begin(); it != expected.end(); ++it)
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::addRow("%s.%s", qPrintable(it.key()), suffix)
                << it.key() << QString(suffix) << it.value();
}

void TestExports::figure() {
    QFETCH(QString, chart);
    QFETCH(QString, suffix);
    QFETCH(QStringList, texts);
    const QString file = path(chart + "." + suffix);
    QString error;
    QVERIFY2(exportChart(chartNamed(chart), file, 2, &error), qPrintable(error));
    const QByteArray bytes = readAll(file);
    if (suffix == "png") {
        const QImage image = QImage::fromData(bytes, "PNG");
        QCOMPARE(image.size(), (chartNamed(chart)->sceneBoundingRect().size() * 2).toSize());
        // The figure is drawn: curves, legend and title where the chart has them.
        const QStringList problems = testutil::chartPictureProblems(
            image, testutil::ChartPicture::exportOf(chartNamed(chart), 2));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    } else if (suffix == "svg") {
        QString xmlError;
        const QStringList found = svgTexts(bytes, &xmlError);
        QVERIFY2(xmlError.isEmpty(), qPrintable(xmlError));
        for (const QString& t : texts)
            QVERIFY2(found.contains(t), qPrintable(t + " not in " + found.join(" / ")));
        // Qt's alias "Sans Serif" means nothing to a browser or Inkscape, which would fall
        // back to a serif face; the file names the real font and the CSS generic family.
        QVERIFY(!bytes.contains("font-family=\"Sans Serif\""));
        QVERIFY(bytes.contains("sans-serif\""));
        // The title is plain text, not the chart's rich-text markup.
        QVERIFY(!bytes.contains("<title>") || !bytes.contains("&lt;sub"));
    } else {
        QVERIFY(bytes.startsWith("%PDF"));
        QVERIFY(bytes.size() > 2000);
    }
}

void TestExports::pngScale_data() {
    QTest::addColumn<double>("scale");
    QTest::addRow("1x") << 1.0;
    QTest::addRow("2x") << 2.0;
    QTest::addRow("3.5x") << 3.5;
    QTest::addRow("4x") << 4.0;
}

void TestExports::pngScale() {
    QFETCH(double, scale);
    QString error;
    QVERIFY2(exportChart(m_f->chart(), path("scaled.png"), scale, &error), qPrintable(error));
    const QImage image(path("scaled.png"));
    QCOMPARE(image.size(), (m_f->chart()->sceneBoundingRect().size() * scale).toSize());
    const QStringList problems = testutil::chartPictureProblems(
        image, testutil::ChartPicture::exportOf(m_f->chart(), scale), int(10 * scale));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestExports::figureSheet_data() {
    QTest::addColumn<QString>("suffix");
    QTest::addRow("png") << "png";
    QTest::addRow("pdf") << "pdf";
}

void TestExports::figureSheet() {
    QFETCH(QString, suffix);
    const QList<QChart*> charts = {m_training->chart(), m_f->chart(), m_fprime->chart(),
                                   m_error->chart()};
    QString error;
    QVERIFY2(exportFigureSheet(charts, path("sheet." + suffix), 1.5, &error), qPrintable(error));
    const QByteArray bytes = readAll(path("sheet." + suffix));
    if (suffix == "png") {
        const QSizeF cell = m_training->chart()->sceneBoundingRect().size();
        QCOMPARE(QImage::fromData(bytes).size(),
                 QSizeF(cell.width() * 2 * 1.5, cell.height() * 2 * 1.5).toSize());
    } else {
        QVERIFY(bytes.startsWith("%PDF"));
    }
}

void TestExports::table_data() {
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("history");
    for (auto [name, format] :
         {std::pair{"csv", TableFormat::Csv}, std::pair{"json", TableFormat::Json},
          std::pair{"md", TableFormat::Markdown}, std::pair{"tex", TableFormat::Latex}}) {
        QTest::addRow("metrics.%s", name) << int(format) << false;
        QTest::addRow("history.%s", name) << int(format) << true;
    }
}

void TestExports::table() {
    QFETCH(int, format);
    QFETCH(bool, history);
    const DataTable t = history ? historyTable(m_run.history) : metricsTable(m_run.report);
    const QString text = QString::fromUtf8(renderTable(t, TableFormat(format)));
    const int rows = int(t.rows.size());
    switch (TableFormat(format)) {
    case TableFormat::Csv: {
        const auto parsed = parseCsv(text);
        QCOMPARE(parsed.size(), rows + 1);
        QCOMPARE(parsed[0], t.columns);
        if (history)
            QCOMPARE(parsed[5][3].toDouble(), m_run.history[4].mseFprime);
        else
            QCOMPARE(parsed[1][1].toDouble(), m_run.report.mseF);
        break;
    }
    case TableFormat::Json: {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        QCOMPARE(o["rows"].toArray().size(), rows);
        const QJsonArray first = o["rows"].toArray()[0].toArray();
        QCOMPARE(first[1].toDouble(), history ? m_run.history[0].loss : m_run.report.mseF);
        break;
    }
    case TableFormat::Markdown: {
        const QStringList lines = text.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), rows + 3); // heading, header, rule, rows
        QVERIFY(lines.last().startsWith("| "));
        break;
    }
    case TableFormat::Latex:
        QCOMPARE(text.count(" \\\\\n"), rows + 1); // header and each row end in \\ .
        QVERIFY(text.contains("\\toprule") && text.contains("\\midrule") &&
                text.contains("\\bottomrule"));
        break;
    }
}

void TestExports::csvAndJsonKeepEveryDigit() {
    const DataTable t = awkwardTable();
    const auto csv = parseCsv(QString::fromUtf8(renderTable(t, TableFormat::Csv)));
    QCOMPARE(csv[0][0], QString("name, with comma"));
    QCOMPARE(csv[1][1].toDouble(), 1.0 / 3);
    QCOMPARE(csv[2][0], QString("say \"hi\" | {x} ~ ^ \\ $ # _"));
    QCOMPARE(csv[2][1], QString("nan"));
    QCOMPARE(csv[3][1].toDouble(), 1e-300);
    QCOMPARE(csv[4][1].toDouble(), 1.7976931348623157e308);
    QCOMPARE(csv[3][2], QString("-7"));

    const QJsonObject json = QJsonDocument::fromJson(renderTable(t, TableFormat::Json)).object();
    const QJsonArray rows = json["rows"].toArray();
    QCOMPARE(rows[0].toArray()[1].toDouble(), 1.0 / 3);
    QVERIFY(rows[1].toArray()[1].isNull());
    QVERIFY(rows[4].toArray()[1].isNull());
    QCOMPARE(rows[3].toArray()[1].toDouble(), 1.7976931348623157e308);
    QCOMPARE(json["columns"].toArray()[0].toString(), QString("name, with comma"));
}

void TestExports::roundedFormatsUseSignificantDigits() {
    const DataTable t = awkwardTable();
    const QString md3 = QString::fromUtf8(renderTable(t, TableFormat::Markdown, 3));
    // The column holds 1e-300 and 1.8e308: all of it in scientific notation.
    QVERIFY(md3.contains("| third | 3.33e-01 | 3 |"));
    QVERIFY(md3.contains("say \"hi\" \\| {x}"));
    QVERIFY(md3.contains("|---|---:|---:|"));
    const QString md5 = QString::fromUtf8(renderTable(t, TableFormat::Markdown, 5));
    QVERIFY(md5.contains("3.3333e-01 |"));
    const QString tex5 = QString::fromUtf8(renderTable(t, TableFormat::Latex, 5));
    QVERIFY(tex5.contains("third & $3.3333\\times10^{-1}$ & $3$ \\\\"));
    QVERIFY(tex5.contains("$1\\times10^{-300}$"));
}

void TestExports::oneNotationPerColumn_data() {
    QTest::addColumn<QList<double>>("column");
    QTest::addColumn<QStringList>("markdown"); // the cells, in order
    QTest::addColumn<QStringList>("latex");
    // One error needs an exponent at 3 digits: the whole column gets one, so that the
    // exponents line up and 4.56e-08 is not read beside 0.000876 as the larger.
    QTest::addRow("errors over decades")
        << QList<double>{4.56e-8, 0.000876, 0.0123}
        << QStringList{"4.56e-08", "8.76e-04", "1.23e-02"}
        << QStringList{"$4.56\\times10^{-8}$", "$8.76\\times10^{-4}$", "$1.23\\times10^{-2}$"};
    QTest::addRow("a large value") << QList<double>{1234.5, 0.5} << QStringList{"1.23e+03", "5e-01"}
                                   << QStringList{"$1.23\\times10^{3}$", "$5\\times10^{-1}$"};
    QTest::addRow("none needs one")
        << QList<double>{0.000876, 0.5, 12.5} << QStringList{"0.000876", "0.5", "12.5"}
        << QStringList{"$0.000876$", "$0.5$", "$12.5$"};
    // NaN and infinities take no part in the choice.
    QTest::addRow("with NaN") << QList<double>{std::nan(""), 0.25, INFINITY}
                              << QStringList{"NaN", "0.25", "inf"}
                              << QStringList{"$\\mathrm{NaN}$", "$0.25$", "$\\infty$"};
}

void TestExports::oneNotationPerColumn() {
    QFETCH(QList<double>, column);
    QFETCH(QStringList, markdown);
    QFETCH(QStringList, latex);
    DataTable t{QStringLiteral("t"),
                {QStringLiteral("name"), QStringLiteral("error"), QStringLiteral("epoch")},
                {}};
    for (qsizetype i = 0; i < column.size(); ++i)
        t.rows.append({QStringLiteral("r%1").arg(i), column[i], int(1000 * (i + 1))});
    const QStringList md =
        QString::fromUtf8(renderTable(t, TableFormat::Markdown, 3)).split('\n', Qt::SkipEmptyParts);
    const QStringList tex =
        QString::fromUtf8(renderTable(t, TableFormat::Latex, 3)).split('\n', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < column.size(); ++i) {
        // Integers (the epochs) stay as they are, whatever the numbers beside them.
        const QString mdRow =
            QStringLiteral("| r%1 | %2 | %3 |").arg(i).arg(markdown[i]).arg(1000 * (i + 1));
        QVERIFY2(md.contains(mdRow), qPrintable(mdRow + "\n" + md.join('\n')));
        const QString texRow =
            QStringLiteral("r%1 & %2 & $%3$ \\\\").arg(i).arg(latex[i]).arg(1000 * (i + 1));
        QVERIFY2(tex.contains(texRow), qPrintable(texRow + "\n" + tex.join('\n')));
    }
}

void TestExports::csvWritesShortestRoundTrip_data() {
    QTest::addColumn<QVariant>("cell");
    QTest::addColumn<QString>("text");
    // A float cell as the shortest text that reads back to the float, a double as the
    // shortest that reads back to the double.
    QTest::addRow("float 0.126") << QVariant(0.126f) << "0.126";
    QTest::addRow("float 1e-7") << QVariant(1e-7f) << "1e-07";
    QTest::addRow("double 0.126") << QVariant(0.126) << "0.126";
    QTest::addRow("double 1/3") << QVariant(1.0 / 3) << "0.3333333333333333";
    QTest::addRow("float widened to double") << QVariant(double(0.126f)) << "0.12600000202655792";
    // A grid x: held as a float, so written as one; a double that is no float stays one.
    QTest::addRow("x of the grid") << xCell(double(0.126f)) << "0.126";
    QTest::addRow("x that is no float") << xCell(0.1) << "0.1";
    QTest::addRow("x NaN") << xCell(std::nan("")) << "nan";
}

void TestExports::csvWritesShortestRoundTrip() {
    QFETCH(QVariant, cell);
    QFETCH(QString, text);
    const DataTable t{QStringLiteral("t"), {QStringLiteral("v")}, {{cell}}};
    const QString csv = QString::fromUtf8(renderTable(t, TableFormat::Csv));
    QCOMPARE(csv, QStringLiteral("v\n%1\n").arg(text));
    // And it reads back to the cell's value, as a float for a float cell.
    if (text != QLatin1String("nan")) {
        const double back = text.toDouble();
        QCOMPARE(cell.typeId() == QMetaType::Float ? double(float(back)) : back, cell.toDouble());
    }
}

void TestExports::metricsTableKeepsBestEpoch() {
    FitReport r;
    r.mseF = 4.56e-8;
    r.mseFprime = 7.2e-7;
    r.maxErrF = 4.0e-4;
    r.xMaxErrF = double(0.126f); // on the float grid
    r.xMaxErrFprime = 0;
    r.epochsRun = 1000;
    r.trainSeconds = 1.5;
    r.stopReason = StopReason::Completed;
    r.best.epoch = 956;
    r.best.mseF = 2.26e-9;
    r.best.xMaxErrF = double(-0.572f);
    const DataTable t = metricsTable(r);
    QCOMPARE(t.columns, QStringList({"metric", "final", "best epoch"}));
    const QList<QStringList> csv = parseCsv(QString::fromUtf8(renderTable(t, TableFormat::Csv)));
    QCOMPARE(csv[1], QStringList({"MSE f", "4.56e-08", "2.26e-09"}));
    QCOMPARE(csv[5], QStringList({"x of max |err| f", "0.126", "-0.572"}));
    QCOMPARE(csv[10], QStringList({"epochs run", "1000", "956"}));
    QCOMPARE(csv[11], QStringList({"training seconds", "1.5", ""}));
    const QJsonArray json =
        QJsonDocument::fromJson(renderTable(t, TableFormat::Json)).object()["rows"].toArray();
    QCOMPARE(json[9].toArray()[2].toInt(), 956);
    QVERIFY(json[10].toArray()[2].isNull()); // blank: null, not ""
    // A run saved before best epochs were kept: the column stays, blank.
    r.best = {};
    const QList<QStringList> old =
        parseCsv(QString::fromUtf8(renderTable(metricsTable(r), TableFormat::Csv)));
    QCOMPARE(old[1], QStringList({"MSE f", "4.56e-08", ""}));
    QCOMPARE(old[10], QStringList({"epochs run", "1000", ""}));
}

// Data without f': every f' cell of the metrics, comparison, sweep and history tables is "—"
// (LaTeX "---", JSON null), never a 0 or a NaN; the f cells stay numbers, the columns numeric.
void TestExports::fprimeErrorsOfDataWithoutFprimeAreDashes() {
    const double nan = std::nan("");
    Predictions p;
    p.x = {0, 1, 2, 3};
    p.f = {3, 0, 4, 0};
    p.fHat = {3, 0, 5, 1}; // MSE f 0.5
    p.fprime = {nan, nan, nan, nan};
    p.fprimeHat = {1, 2, -1, 0};
    FitReport r = compareOnGrid(p);
    r.epochsRun = 10;
    r.stopReason = StopReason::Completed;
    r.best = errorsOf(r);
    r.best.epoch = 7;
    const DataTable t = metricsTable(r);
    const QList<QStringList> csv = parseCsv(QString::fromUtf8(renderTable(t, TableFormat::Csv)));
    const QString dash = QStringLiteral("—");
    for (int row : {2, 3, 6, 7, 9}) // MSE f', H1, max |err| f', its x, relative L2 f'
        QCOMPARE(csv[row].mid(1), QStringList({dash, dash}));
    QCOMPARE(csv[1][1], QStringLiteral("0.5"));
    const QString markdown = QString::fromUtf8(renderTable(t, TableFormat::Markdown));
    QVERIFY2(markdown.contains("| MSE f' | — | — |"), qPrintable(markdown));
    QVERIFY(!markdown.contains("NaN") && !markdown.contains("nan"));
    const QString tex = QString::fromUtf8(renderTable(t, TableFormat::Latex));
    QVERIFY2(tex.contains(" & --- & --- \\\\"), qPrintable(tex));
    const QJsonArray json =
        QJsonDocument::fromJson(renderTable(t, TableFormat::Json)).object()["rows"].toArray();
    QVERIFY(json[1].toArray()[1].isNull());
    QVERIFY(json[0].toArray()[1].isDouble());
    // metrics.md is that table.
    const QString md = QString::fromUtf8(metricsMarkdown(r, TrainConfig{}));
    QVERIFY2(md.contains("| MSE f' | — | — |"), qPrintable(md));
    QVERIFY(md.contains("| H1 error | — | — |"));
    // The network beside baselines, a sweep's row and the history.
    const QList<QStringList> fits =
        parseCsv(QString::fromUtf8(renderTable(errorComparisonTable(r, {}), TableFormat::Csv)));
    QCOMPARE(fits[1][2], dash);
    const QString fitsMarkdown =
        QString::fromUtf8(renderTable(errorComparisonTable(r, {}), TableFormat::Markdown));
    QVERIFY2(fitsMarkdown.contains("|---|---:|---:|---:|"), // still columns of numbers
             qPrintable(fitsMarkdown));
    DataTable sweep = sweepSummaryTable({}, "folder");
    appendSweepRow(sweep, {}, {}, 1, r, "run");
    const QList<QStringList> sweepCsv =
        parseCsv(QString::fromUtf8(renderTable(sweep, TableFormat::Csv)));
    QCOMPARE(sweepCsv[1][sweep.columns.indexOf("mse_fprime")], dash);
    QCOMPARE(sweepCsv[1][sweep.columns.indexOf("best_mse_fprime")], dash);
    QCOMPARE(sweepCsv[1][sweep.columns.indexOf("mse_f")], QStringLiteral("0.5"));
    std::vector<EpochMetrics> history{{1, 0.5, 0.5, nan, 0.6, 0.6, nan, 0.1}};
    const QList<QStringList> historyCsv =
        parseCsv(QString::fromUtf8(renderTable(historyTable(history), TableFormat::Csv)));
    QCOMPARE(historyCsv[1], QStringList({"1", "0.5", "0.5", dash, "0.6", "0.6", dash, "0.1"}));
    // A diverged epoch's NaN (f too) is not a missing f'.
    history.push_back({2, nan, nan, nan, nan, nan, nan, 0.2});
    history.front().mseFprime = history.front().valMseFprime = 0.25;
    const QList<QStringList> divergedCsv =
        parseCsv(QString::fromUtf8(renderTable(historyTable(history), TableFormat::Csv)));
    QCOMPARE(divergedCsv[2][3], QStringLiteral("nan"));
}

void TestExports::latexEscapesAndBooktabs() {
    const QString tex = QString::fromUtf8(renderTable(awkwardTable(), TableFormat::Latex));
    QVERIFY(tex.contains("\\begin{tabular}{lrr}"));
    QVERIFY(tex.contains("say \"hi\" \\textbar{} \\{x\\} \\textasciitilde{} "
                         "\\textasciicircum{} \\textbackslash{} \\$ \\# \\_"));
    // Every number in math mode, in one form; no raw Unicode anywhere.
    QVERIFY(tex.contains("third & $3.33\\times10^{-1}$ & $3$ \\\\"));
    QVERIFY(tex.contains("& $\\mathrm{NaN}$ & $0$ \\\\"));
    QVERIFY(tex.contains("huge & $1.8\\times10^{308}$ & $42$ \\\\"));
    QVERIFY(tex.contains("infinite & $\\infty$ & $1$ \\\\"));
    for (const QChar c : tex)
        QVERIFY2(c.unicode() < 0x80, qPrintable(QString(c)));
    QVERIFY(tex.contains("% Odd & ends_100%")); // the comment line keeps the title as is
    QCOMPARE(tex.count(" \\\\\n"), 6);
}

void TestExports::hiddenCurvesLeaveTheLegend() {
    // "train MSE f" hidden, as a click on its legend entry does: on screen its entry stays,
    // dimmed, to be clicked back on; a figure for a document leaves it out.
    QChart* chart = m_training->chart();
    QLegendMarker* entry = nullptr;
    for (QLegendMarker* marker : chart->legend()->markers())
        if (marker->label() == "train MSE f")
            entry = marker;
    QVERIFY(entry);
    emit entry->clicked();
    QVERIFY(!entry->series()->isVisible());
    QString error;
    QVERIFY2(exportChart(chart, path("hidden.svg"), 1, &error), qPrintable(error));
    QString xmlError;
    const QStringList texts = svgTexts(readAll(path("hidden.svg")), &xmlError);
    QVERIFY(xmlError.isEmpty());
    QVERIFY2(!texts.contains("train MSE f"), qPrintable(texts.join(" | ")));
    QVERIFY2(texts.contains("train MSE f′") && texts.contains("val MSE f"),
             qPrintable(texts.join(" | ")));
    // The window's legend is as it was, the dimmed entry included.
    int shownMarkers = 0;
    for (QLegendMarker* marker : chart->legend()->markers())
        shownMarkers += marker->isVisible() && marker->label() == "train MSE f";
    QCOMPARE(shownMarkers, 1);
    emit entry->clicked();
    QVERIFY(entry->series()->isVisible());
    QVERIFY2(exportChart(chart, path("shown.svg"), 1, &error), qPrintable(error));
    QVERIFY(svgTexts(readAll(path("shown.svg")), &xmlError).contains("train MSE f"));
}

void TestExports::sheetCaption() {
    const QList<QChart*> charts = {m_training->chart(), m_f->chart(), m_fprime->chart(),
                                   m_error->chart()};
    const QString caption = figureCaption(m_run.config, m_run.report);
    QVERIFY2(caption.contains("α = 1") && caption.contains("seed 12345") &&
                 caption.contains(errorText(m_run.report.mseFprime)),
             qPrintable(caption));
    QString error;
    QVERIFY2(exportFigureSheet(charts, path("captioned.png"), 1, &error, caption),
             qPrintable(error));
    QVERIFY2(exportFigureSheet(charts, path("plain.png"), 1, &error), qPrintable(error));
    const QImage captioned(path("captioned.png")), plain(path("plain.png"));
    QCOMPARE(captioned.width(), plain.width());
    QVERIFY(captioned.height() > plain.height() + 20);
    // Text in the band below the charts.
    const QRect band(0, plain.height(), captioned.width(), captioned.height() - plain.height());
    QVERIFY2(testutil::darkPixels(captioned, band) > 200,
             qPrintable(QString::number(testutil::darkPixels(captioned, band))));
}

void TestExports::latexCompiles_data() {
    QTest::addColumn<DataTable>("table");
    QTest::addRow("metrics") << metricsTable(m_run.report);
    QTest::addRow("history") << historyTable(m_run.history);
    QTest::addRow("config") << configTable(m_run.config);
    QTest::addRow("awkward") << awkwardTable();
    const std::vector<Knob> knobs{Knob::Beta, Knob::Schedule};
    DataTable sweep = sweepSummaryTable(knobs, "run");
    appendSweepRow(sweep, knobs, {0.1, 1}, 2, m_run.report,
                   QStringLiteral("β=0.1, cosine, seed 2"));
    appendSweepRow(sweep, knobs, {10, 0}, 1, m_run.report,
                   QStringLiteral("β=10, constant, seed 1"));
    QTest::addRow("sweep") << sweep;
    // As wide as a comparison of runs that differ in many knobs, with its symbols.
    DataTable wide{QStringLiteral("Run comparison (test grid) — α, β, θ"), {}, {{}, {}}};
    for (const char* name :
         {"run", "MSE f", "MSE f′", "max |err f|", "max |err f′|", "epochs", "seconds", "status",
          "α", "β", "β/α", "learning rate", "width", "depth", "seed", "name (± std)"}) {
        wide.columns << name;
        for (auto& row : wide.rows)
            row << (wide.columns.size() % 3 == 0
                        ? QVariant(QStringLiteral("64×2 tanh α=1 β=1 ∂ₓf_θ"))
                        : QVariant(1.0 / 3e5));
    }
    QTest::addRow("wide, with Unicode") << wide;
}

void TestExports::latexCompiles() {
    QFETCH(DataTable, table);
    const QByteArray tex = renderTable(table, TableFormat::Latex);
    QString missing;
    const QString problems = testutil::pdflatexProblems(tex, &missing);
    if (!missing.isEmpty())
        QSKIP(qPrintable(missing));
    QVERIFY2(problems.isEmpty(), qPrintable(problems + "\n" + QString::fromUtf8(tex)));
}

void TestExports::runBundle() {
    const QString dir = path("bundle");
    QString error;
    QVERIFY2(writeRunBundle(dir, m_run, &error), qPrintable(error));
    for (const char* name : {"config.json", "history.csv", "predictions.csv", "metrics.json",
                             "metrics.md", "training.png", "training.svg", "f.png", "f.svg",
                             "fprime.png", "fprime.svg", "error.png", "error.svg"})
        QVERIFY2(QFileInfo(QDir(dir).filePath(name)).size() > 0, name);
    QCOMPARE(QImage(dir + "/training.png").size(), QSize(1800, 1125)); // documentFigureSize × 3
    const RunReadResult back = readRunFolder(dir);
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(readAll(dir + "/metrics.md").contains("| MSE f |"));
}

void TestExports::failedExportLeavesNothing_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown figure suffix") << "figure.bmp"
                                           << "unknown figure format";
    QTest::addRow("missing folder png") << "no/such/dir/figure.png"
                                        << "cannot write";
    QTest::addRow("folder as svg") << "adir.svg"
                                   << "cannot write";
    QTest::addRow("unknown table suffix") << "table.xls"
                                          << "unknown table format";
    QTest::addRow("missing folder csv") << "no/such/dir/table.csv"
                                        << "cannot write";
}

void TestExports::failedExportLeavesNothing() {
    QFETCH(QString, target);
    QFETCH(QString, message);
    QDir(m_dir.path()).mkpath("adir.svg");
    const QStringList before = QDir(m_dir.path()).entryList(QDir::Files);
    QString error;
    const bool ok = target.startsWith("table") || target.endsWith(".csv")
                        ? exportTable(metricsTable(m_run.report), path(target), 3, &error)
                        : exportChart(m_f->chart(), path(target), 1, &error);
    QVERIFY(!ok);
    QVERIFY2(error.startsWith(path(target)), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), before);
}

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
