// SPDX-License-Identifier: GPL-3.0-or-later
// The run report: PDF on A4 and Letter with its text as text and its figures as vectors, the
// same content as Markdown with every section and its figures beside it, and bad paths refused.
#include "buildinfo.h"
#include "chartexport.h"
#include "exporttestutil.h"
#include "picturetestutil.h"
#include "reportcontent.h"
#include "reportpdf.h"
#include "runfigures.h"
#include "tablewriter.h"
#include "testutil.h"
#include "textformat.h"

#include <QtTest>

#include <QRegularExpression>

using namespace sobolev;

Q_DECLARE_METATYPE(sobolev::ReportPage)

class TestReport : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void measuredDataHasNoFormula_data();
    void measuredDataHasNoFormula();
    void pageSize_data();
    void pageSize();
    void textIsText();
    void figuresAreVectors();
    void markdownHasEverySection();
    void reportListsOnlyUsedKnobs_data();
    void reportListsOnlyUsedKnobs();
    void readerNeedsFirst();
    void tablesStayWhole_data();
    void tablesStayWhole();
    void knobChangesAndMoreMetricsRows_data();
    void knobChangesAndMoreMetricsRows();
    void lossWeightsRow_data();
    void lossWeightsRow();
    void badPathsAreRefused_data();
    void badPathsAreRefused();
    void pageFromLocaleAndName_data();
    void pageFromLocaleAndName();

  private:
    QString writeReportOn(ReportPage page, const QString& name);
    QTemporaryDir m_dir;
    RunRecord m_run;
};

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The numbers of every /MediaBox [x0 y0 x1 y1] in a PDF, one list per page.
QList<QSizeF> mediaBoxes(const QByteArray& pdf) {
    static const QRegularExpression box(
        R"(/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\])");
    QList<QSizeF> sizes;
    for (auto it = box.globalMatch(QString::fromLatin1(pdf)); it.hasNext();) {
        const auto m = it.next();
        sizes << QSizeF(m.captured(3).toDouble() - m.captured(1).toDouble(),
                        m.captured(4).toDouble() - m.captured(2).toDouble());
    }
    return sizes;
}

// The metrics table's cells as the report writes them: 3 digits, one notation per column.
QStringList metricTexts(const RunRecord& run) {
    QStringList texts;
    for (const QStringList& row : tableCellTexts(reportMetricsTable(run, {}), 3))
        texts << row.mid(1); // after the fit's name
    return texts;
}

} // namespace

void TestReport::initTestCase() {
    testutil::keepImagesIfAsked(m_dir);
    TrainConfig c = testutil::smallConfig(40);
    c.gridPoints = 201;
    Trainer t(c);
    t.trainAll();
    m_run = {c, t.history(), t.predictions(), t.report()};
}

QString TestReport::writeReportOn(ReportPage page, const QString& name) {
    const QString path = m_dir.filePath(name);
    QString error;
    if (!writeReport({path, page, true, name + QStringLiteral("_files")}, m_run, &error))
        qWarning("%s", qPrintable(error));
    return path;
}

void TestReport::pageSize_data() {
    QTest::addColumn<ReportPage>("page");
    QTest::addColumn<QSizeF>("points");
    QTest::addColumn<QString>("pdfinfoName");
    QTest::addRow("A4") << ReportPage::A4 << QSizeF(595.28, 841.89) << "A4";
    QTest::addRow("Letter") << ReportPage::Letter << QSizeF(612, 792) << "letter";
}

void TestReport::pageSize() {
    QFETCH(ReportPage, page);
    QFETCH(QSizeF, points);
    QFETCH(QString, pdfinfoName);
    const QString path =
        writeReportOn(page, QStringLiteral("size-%1.pdf").arg(reportPageName(page)));
    const QByteArray pdf = readAll(path);
    QVERIFY2(pdf.startsWith("%PDF-"), qPrintable(path));
    const QList<QSizeF> boxes = mediaBoxes(pdf);
    // The title, knobs, four figures at 6.25 × 3.9 in (two a page) and the tables.
    QVERIFY2(boxes.size() >= 4, qPrintable(QString::number(boxes.size())));
    for (const QSizeF& box : boxes) {
        QVERIFY2(std::abs(box.width() - points.width()) < 0.5 &&
                     std::abs(box.height() - points.height()) < 0.5,
                 qPrintable(QStringLiteral("%1 × %2").arg(box.width()).arg(box.height())));
    }
    bool skipped = false;
    const QString info = testutil::popplerOutput(QStringLiteral("pdfinfo"), {path}, &skipped);
    if (skipped)
        QSKIP("pdfinfo (poppler-utils) is not on the PATH; the MediaBox was checked");
    QVERIFY2(
        info.contains(QRegularExpression(QStringLiteral("Page size:.*\\(%1\\)").arg(pdfinfoName))),
        qPrintable(info));
    QVERIFY2(info.contains(QRegularExpression(QStringLiteral("Pages:\\s+%1\\b").arg(boxes.size()))),
             qPrintable(info));
}

void TestReport::textIsText() {
    const QString path = writeReportOn(ReportPage::A4, QStringLiteral("text.pdf"));
    bool skipped = false;
    const QString text =
        testutil::popplerOutput(QStringLiteral("pdftotext"), {path, QStringLiteral("-")}, &skipped);
    if (skipped)
        QSKIP("pdftotext (poppler-utils) is not on the PATH");
    for (const QString& heading : reportSectionHeadings())
        QVERIFY2(text.contains(heading), qPrintable(heading + "\n" + text));
    // The final and the best epoch's errors.
    for (const QString& metric : metricTexts(m_run))
        QVERIFY2(text.contains(metric), qPrintable(metric + "\n" + text));
    for (const char* words : {"1/(1+25*x^2)", "-2*25*x/(1+25*x^2)^2", "MSE f", "max |err| f",
                              "stop reason", "None: the knobs kept their values"})
        QVERIFY2(text.contains(QString::fromUtf8(words)), words);
    QVERIFY2(text.contains(applicationVersion()), qPrintable(text));
    QVERIFY2(text.contains(buildDescription()), qPrintable(text));
    // The axis labels of the figures are text too.
    QVERIFY2(text.contains(QStringLiteral("epoch")), qPrintable(text));
}

void TestReport::figuresAreVectors() {
    const QString path = writeReportOn(ReportPage::Letter, QStringLiteral("vector.pdf"));
    bool skipped = false;
    const QString list = testutil::popplerOutput(QStringLiteral("pdfimages"),
                                                 {QStringLiteral("-list"), path}, &skipped);
    if (skipped)
        QSKIP("pdfimages (poppler-utils) is not on the PATH");
    // A header line and a rule, and no image below them.
    const QStringList lines = list.trimmed().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() == 2 && lines[0].startsWith(QLatin1String("page")), qPrintable(list));
    // And the figures are there: their pages are far larger than text alone would make them.
    QVERIFY2(QFileInfo(path).size() > 60000, qPrintable(QString::number(QFileInfo(path).size())));
}

void TestReport::markdownHasEverySection() {
    const QString pdf = writeReportOn(ReportPage::A4, QStringLiteral("md.pdf"));
    const QString mdPath = markdownPathFor(pdf);
    QCOMPARE(QFileInfo(mdPath).fileName(), QStringLiteral("md.md"));
    const QString md = QString::fromUtf8(readAll(mdPath));
    QVERIFY2(md.startsWith(QStringLiteral("# Sobolev Workbench report\n")), qPrintable(md));
    qsizetype previous = -1;
    for (const QString& heading : reportSectionHeadings()) {
        const qsizetype at = md.indexOf(QStringLiteral("\n## %1\n").arg(heading));
        QVERIFY2(at > previous, qPrintable(heading)); // present, and in order
        previous = at;
    }
    QVERIFY2(md.contains(QStringLiteral("$$f(x) = \\frac{1}{1+25 x^{2}}$$")), qPrintable(md));
    QVERIFY2(md.contains(QStringLiteral("| fit | MSE f | MSE f′ | H¹ error | max ")),
             qPrintable(md));
    QVERIFY2(md.contains(QStringLiteral("| fit | x of max ")), qPrintable(md));
    QVERIFY2(md.contains(metricTexts(m_run).constFirst()), qPrintable(md));
    // Every figure link resolves beside the Markdown.
    static const QRegularExpression link(R"(\]\(([^)]+\.(?:png|svg))\))");
    int links = 0;
    for (auto it = link.globalMatch(md); it.hasNext(); ++links) {
        const QString target = it.next().captured(1);
        QVERIFY2(!QDir::isAbsolutePath(target), qPrintable(target));
        QVERIFY2(QFileInfo(QFileInfo(mdPath).dir().filePath(target)).size() > 0,
                 qPrintable(target));
    }
    QCOMPARE(links, 8); // four figures, PNG and SVG
}

void TestReport::reportListsOnlyUsedKnobs_data() {
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<int>("lbfgsIterations");
    QTest::addColumn<QList<int>>("present");
    QTest::addColumn<QList<int>>("absent");
    using K = Knob;
    // The reference run uses no schedule knob, no L-BFGS and no data file.
    QTest::addRow("reference")
        << "constant" << 0
        << QList<int>{int(K::Width), int(K::LearningRate), int(K::RestoreBest), int(K::Target)}
        << QList<int>{
               int(K::LbfgsIterations), int(K::LbfgsHistory),  int(K::LbfgsGradientTolerance),
               int(K::LbfgsPrecision),  int(K::Patience),      int(K::StepEpochs),
               int(K::DecayFactor),     int(K::LrFloor),       int(K::Data),
               int(K::DataSha256),      int(K::DataValidation)};
    QTest::addRow("plateau and L-BFGS")
        << "plateau" << 50
        << QList<int>{int(K::Patience),        int(K::DecayFactor),  int(K::LrFloor),
                      int(K::LbfgsIterations), int(K::LbfgsHistory), int(K::LbfgsPrecision)}
        << QList<int>{int(K::StepEpochs), int(K::Data), int(K::DataValidation)};
}

// metrics.md names the knobs by their config keys, the report by the panel's labels; both
// list only the knobs the run used.
void TestReport::reportListsOnlyUsedKnobs() {
    QFETCH(QString, schedule);
    QFETCH(int, lbfgsIterations);
    QFETCH(QList<int>, present);
    QFETCH(QList<int>, absent);
    RunRecord run = m_run;
    run.config = TrainConfig{};
    run.config.schedule = *scheduleFromName(schedule.toStdString());
    run.config.lbfgsIterations = lbfgsIterations;
    const QString report = QString::fromUtf8(reportMarkdown(reportContent(run)));
    const QString metrics = QString::fromUtf8(metricsMarkdown(run.report, run.config));
    for (const bool isReport : {true, false}) {
        const auto cell = [isReport](int knob) {
            return QStringLiteral("| %1 |").arg(
                isReport ? knobFormLabel(Knob(knob))
                         : QString::fromLatin1(knobInfo(Knob(knob)).key));
        };
        const QString& text = isReport ? report : metrics;
        for (int knob : present)
            QVERIFY2(text.contains(cell(knob)), qPrintable(cell(knob) + "\n" + text));
        for (int knob : absent)
            QVERIFY2(!text.contains(cell(knob)), qPrintable(cell(knob) + "\n" + text));
    }
    // The report's values carry their units, and what differs from the reference comes first.
    QVERIFY2(report.contains(QStringLiteral("| Width | 64 neurons |")), qPrintable(report));
    const QString differ = report.section(QStringLiteral("differ from the reference"), 1)
                               .section(QStringLiteral("reference experiment's values"), 0, 0);
    QCOMPARE(differ.contains(QStringLiteral("| Schedule | plateau | constant |")),
             schedule == QStringLiteral("plateau"));
    QVERIFY2(!differ.contains(QStringLiteral("| Width |")), qPrintable(differ));
}

// Page 1 tells what was run and how well it did: the title, a summary with the final and best
// errors, then the figures and the metrics; the knobs come at the end, by their labels.
void TestReport::readerNeedsFirst() {
    RunRecord run = m_run;
    const ReportContent content = reportContent(run);
    QCOMPARE(content.sections.constFirst().heading, QStringLiteral("Summary"));
    const QString summary = content.sections.constFirst().blocks.constFirst().text;
    for (const QString& words :
         {QStringLiteral("16 tanh units"), QStringLiteral("α = 1, β = 1"), QStringLiteral("Adam"),
          QStringLiteral("40 epochs"), QStringLiteral("Runge"), errorText(run.report.mseF),
          errorText(run.report.best.mseF)})
        QVERIFY2(summary.contains(words), qPrintable(words + "\n" + summary));
    QVERIFY(!summary.contains(QStringLiteral("Changed during the run")));
    // The α and β it states are the starting ones: a change during the run is said too.
    RunRecord changed = run;
    changed.config.changes = {{10, 1, Knob::Beta, 10}, {20, 3, Knob::LearningRate, 1e-4}};
    const QString changedSummary =
        reportContent(changed).sections.constFirst().blocks.constFirst().text;
    QVERIFY2(changedSummary.contains(QStringLiteral(
                 "Changed during the run: β 1 → 10 from epoch 10; lr 1e-3 → 1e-4 from "
                 "epoch 20, batch 3.")),
             qPrintable(changedSummary));
    const QStringList headings = reportSectionHeadings();
    QVERIFY(headings.indexOf(QStringLiteral("Figures")) <
            headings.indexOf(QStringLiteral("Configuration")));
    QVERIFY(headings.indexOf(QStringLiteral("Metrics")) <
            headings.indexOf(QStringLiteral("Configuration")));
    QList<ReportPlacement> placements;
    const RunFigures figures(run, documentFigureSize());
    renderReportPdf(content, figures, ReportPage::A4, &placements);
    const auto pageOf = [&placements](const QString& kind, const QString& name) {
        for (const ReportPlacement& p : placements)
            if (p.kind == kind && p.name == name)
                return p.page;
        return -1;
    };
    QCOMPARE(pageOf(QStringLiteral("heading"), QStringLiteral("Summary")), 1);
    QCOMPARE(pageOf(QStringLiteral("figure"), QStringLiteral("training")), 1);
    QVERIFY(pageOf(QStringLiteral("table"), QStringLiteral("Metrics")) <= 3);
}

void TestReport::tablesStayWhole_data() {
    QTest::addColumn<int>("changes");
    QTest::addColumn<bool>("lbfgs");
    QTest::addRow("reference") << 0 << false;
    QTest::addRow("L-BFGS, a baseline, three changes") << 3 << true;
    // The changes table is longer than a page: cut, with its header on each page.
    QTest::addRow("120 changes") << 120 << false;
    // Tables that start low on a page: a split one, or one with a lone row on the next page,
    // for some of these counts with a layout that does not measure.
    for (int changes = 8; changes <= 40; changes += 2)
        QTest::addRow("%d changes", changes) << changes << false;
}

// Page by page: a table that fits on a page is on one page, a longer one is cut with no
// page holding a lone row of it, a heading is on the page of what follows it, and the PDF has
// as many pages as the layout placed.
void TestReport::tablesStayWhole() {
    QFETCH(int, changes);
    QFETCH(bool, lbfgs);
    RunRecord run = m_run;
    run.config = TrainConfig{}; // the reference experiment's knobs, the small run's results
    run.config.epochs = 40;
    if (lbfgs)
        run.config.lbfgsIterations = 50;
    for (int i = 0; i < changes; ++i)
        run.config.changes.push_back({1 + i, 1, Knob::Beta, double(i % 7)});
    std::vector<BaselineResult> baselines;
    if (lbfgs)
        baselines = fitBaselines(parseBaselines("cheb:20").specs, baselineData(m_run.config),
                                 m_run.predictions);
    const ReportContent content = reportContent(run, baselines);
    const RunFigures figures(run, documentFigureSize(), baselines);
    QList<ReportPlacement> placements;
    const QByteArray pdf = renderReportPdf(content, figures, ReportPage::A4, &placements);
    int tables = 0;
    for (qsizetype i = 0; i < placements.size(); ++i) {
        const ReportPlacement& p = placements[i];
        if (p.kind == QLatin1String("heading") && i + 1 < placements.size())
            QVERIFY2(placements[i + 1].page == p.page, qPrintable(p.name + " alone"));
        if (p.kind != QLatin1String("table"))
            continue;
        ++tables;
        QMap<int, int> rowsOnPage;
        for (int page : p.rowPages)
            ++rowsOnPage[page];
        QString where;
        for (auto it = rowsOnPage.cbegin(); it != rowsOnPage.cend(); ++it)
            where += QStringLiteral(" page %1: %2 rows;").arg(it.key()).arg(it.value());
        // 40 rows of 9-point text fit on any page.
        if (p.rowPages.size() <= 40)
            QVERIFY2(rowsOnPage.size() <= 1, qPrintable(p.name + where));
        if (p.rowPages.size() > 1)
            for (int rows : rowsOnPage)
                QVERIFY2(rows >= 2, qPrintable(p.name + where));
        if (changes > 60 && p.name == QLatin1String("Live knob changes"))
            QVERIFY2(rowsOnPage.size() >= 2, qPrintable(p.name + where));
    }
    QVERIFY(tables >= 5);
    const QString path =
        m_dir.filePath(QStringLiteral("layout-%1.pdf").arg(QTest::currentDataTag()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(pdf);
    file.close();
    int lastPage = 0;
    for (const ReportPlacement& p : placements)
        for (int page : QList<int>{p.page} + p.rowPages)
            lastPage = std::max(lastPage, page);
    QCOMPARE(mediaBoxes(pdf).size(), lastPage);
}

void TestReport::knobChangesAndMoreMetricsRows_data() {
    QTest::addColumn<bool>("withChanges");
    QTest::addRow("no changes") << false;
    QTest::addRow("two changes") << true;
}

void TestReport::knobChangesAndMoreMetricsRows() {
    QFETCH(bool, withChanges);
    RunRecord run = m_run;
    if (withChanges)
        run.config.changes = {{120, 3, Knob::Beta, 10}, {300, 1, Knob::LearningRate, 2.5e-4}};
    // A baseline is one more row of both metrics tables.
    const std::vector<BaselineResult> baselines =
        fitBaselines(parseBaselines("cheb:20").specs, baselineData(run.config), run.predictions);
    QCOMPARE(baselines.size(), std::size_t(1));
    QVERIFY(baselines[0].fitted);
    const QString label = QString::fromStdString(baselineLabel(baselines[0].spec));
    const ReportContent content = reportContent(run, baselines);
    const QString md = QString::fromUtf8(reportMarkdown(content));
    QCOMPARE(md.count(QStringLiteral("| %1 | ").arg(label)), 2);
    const QString changesSection = md.section(QStringLiteral("## Live knob changes"), 1)
                                       .section(QStringLiteral("\n## "), 0, 0);
    if (withChanges) {
        QVERIFY2(changesSection.contains(QStringLiteral("| epoch | batch | knob | from | to |")),
                 qPrintable(changesSection));
        QVERIFY2(changesSection.contains(QStringLiteral("| 120 | 3 | β | 1 | 10 |")),
                 qPrintable(changesSection));
        QVERIFY2(changesSection.contains(QStringLiteral("| 300 | 1 | lr | 0.001 | 0.00025 |")),
                 qPrintable(changesSection));
    } else {
        QVERIFY2(changesSection.trimmed().startsWith(QStringLiteral("None")),
                 qPrintable(changesSection));
    }
    // The PDF renders the same content.
    const RunFigures figures(run, documentFigureSize());
    const QString path = m_dir.filePath(withChanges ? "changes.pdf" : "nochanges.pdf");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(renderReportPdf(content, figures, ReportPage::A4));
    file.close();
    bool skipped = false;
    const QString text =
        testutil::popplerOutput(QStringLiteral("pdftotext"), {path, QStringLiteral("-")}, &skipped);
    if (skipped)
        QSKIP("pdftotext (poppler-utils) is not on the PATH");
    QVERIFY2(text.contains(label), qPrintable(text));
    QCOMPARE(text.contains(QStringLiteral("0.00025")), withChanges); // the second change
    QCOMPARE(text.contains(QStringLiteral("None: the knobs kept")), !withChanges);
}

// A run whose weights moved says where they ended, and which rule moved them.
void TestReport::lossWeightsRow_data() {
    QTest::addColumn<Balance>("balance");
    QTest::addColumn<bool>("withChange");
    QTest::addColumn<QString>("expected"); // empty: no such row
    QTest::addRow("constant") << Balance::Off << false << QString();
    QTest::addRow("a change") << Balance::Off << true << QStringLiteral("α 1, β 10 at the end");
    QTest::addRow("lra") << Balance::Lra << false << QStringLiteral("balancing rule lra; α 1, β ");
}

void TestReport::lossWeightsRow() {
    QFETCH(Balance, balance);
    QFETCH(bool, withChange);
    QFETCH(QString, expected);
    TrainConfig c = testutil::smallConfig(12);
    c.balance = balance;
    if (withChange)
        c.changes = {{3, 1, Knob::Beta, 10}};
    Trainer t(c);
    t.trainAll();
    const RunRecord run{c, t.history(), t.predictions(), t.report()};
    const QString md = QString::fromUtf8(reportMarkdown(reportContent(run, {})));
    const qsizetype at = md.indexOf(QStringLiteral("| loss weights | "));
    QCOMPARE(at >= 0, !expected.isEmpty());
    if (expected.isEmpty())
        return;
    const QString row = md.mid(at, md.indexOf(QLatin1Char('\n'), at) - at);
    QVERIFY2(row.contains(expected), qPrintable(row));
    const double ratio = t.history().back().beta / t.history().back().alpha;
    QVERIFY2(row.contains(QStringLiteral("(β/α %1)").arg(compactNumber(ratio))), qPrintable(row));
    if (balance == Balance::Lra)
        QVERIFY2(ratio != 1.0, "lra moved β in 12 epochs");
}

void TestReport::badPathsAreRefused_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::addRow("empty") << ""
                           << "needs a file name ending in .pdf";
    QTest::addRow("not pdf") << "report.txt"
                             << "a report is written as .pdf";
    QTest::addRow("no suffix") << "report"
                               << "a report is written as .pdf";
    QTest::addRow("missing folder") << "no/such/dir/report.pdf"
                                    << "does not exist";
    QTest::addRow("a folder") << "adir.pdf"
                              << "is a folder";
}

void TestReport::badPathsAreRefused() {
    QFETCH(QString, path);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QDir(dir.path()).mkdir(QStringLiteral("adir.pdf"));
    const QString full = path.isEmpty() ? QString() : dir.filePath(path);
    const QStringList before = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    QString error;
    QVERIFY(!writeReport({full, ReportPage::A4, true, QStringLiteral("figures")}, m_run, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    if (!full.isEmpty())
        QVERIFY2(error.startsWith(full), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
}

void TestReport::pageFromLocaleAndName_data() {
    QTest::addColumn<QString>("locale");
    QTest::addColumn<ReportPage>("page");
    QTest::addRow("en_US") << "en_US" << ReportPage::Letter;
    QTest::addRow("fr_CA") << "fr_CA" << ReportPage::Letter;
    QTest::addRow("es_MX") << "es_MX" << ReportPage::Letter;
    QTest::addRow("en_GB") << "en_GB" << ReportPage::A4;
    QTest::addRow("de_DE") << "de_DE" << ReportPage::A4;
    QTest::addRow("zh_CN") << "zh_CN" << ReportPage::A4;
    QTest::addRow("C") << "C" << ReportPage::A4;
}

void TestReport::pageFromLocaleAndName() {
    QFETCH(QString, locale);
    QFETCH(ReportPage, page);
    QCOMPARE(defaultReportPage(QLocale(locale)), page);
    QCOMPARE(reportPageFromName(reportPageName(page)), std::optional<ReportPage>(page));
    QCOMPARE(reportPageFromName(reportPageName(page).toUpper()), std::optional<ReportPage>(page));
    QVERIFY(!reportPageFromName(QStringLiteral("a3")));
}

void TestReport::measuredDataHasNoFormula_data() {
    QTest::addColumn<double>("validation");
    QTest::addColumn<QString>("measuredOn");
    QTest::addRow("a validation share") << 0.25 << "is held out for validation";
    QTest::addRow("no split") << 0.0 << "measured on the training rows";
}

// A run on measured data says so, names its file and hash, and shows no target formula.
void TestReport::measuredDataHasNoFormula() {
    QFETCH(double, validation);
    QFETCH(QString, measuredOn);
    MeasuredData data;
    for (int i = 0; i < 8; ++i) {
        data.x.push_back(-1 + i / 4.0);
        data.f.push_back(data.x.back() * data.x.back());
        data.fprime.push_back(i % 2 ? 2 * data.x.back() : std::nan(""));
    }
    RunRecord run = m_run;
    run.config.data = "/somewhere/rows.csv";
    run.config.dataSha256 = "0123abcd";
    run.config.dataValidation = validation;
    run.config.measured = MeasuredRows(data);
    const QString md = QString::fromUtf8(reportMarkdown(reportContent(run)));
    QVERIFY2(md.contains(QStringLiteral("Measured data, without a formula: rows.csv: 8 rows of x, "
                                        "f; f′ on 4, SHA-256 0123abcd")),
             qPrintable(md));
    QVERIFY2(md.contains(measuredOn), qPrintable(md));
    QVERIFY2(!md.contains(QStringLiteral("$$f(x) =")), qPrintable(md));
}

QTEST_MAIN(TestReport)
#include "tst_report.moc"
