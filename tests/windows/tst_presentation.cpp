// SPDX-License-Identifier: GPL-3.0-or-later
// View ▸ Presentation: entering and leaving, the strip, the scale, the kept choices.
#include "baselineoverlay.h"
#include "chartreadout.h"
#include "chartview.h"
#include "fitchart.h"
#include "helpdialogs.h"
#include "lambdachart.h"
#include "mainwindow.h"
#include "parameterpanel.h"
#include "presentationmode.h"
#include "testutil.h"
#include "textformat.h"
#include "trainingchart.h"
#include "trainingcontroller.h"

#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QMenu>
#include <QScatterSeries>
#include <QSplitter>
#include <QToolBar>

#include "logspinbox.h"

using namespace sobolev;
using Chart = PresentationMode::Chart;

Q_DECLARE_METATYPE(QList<PresentationMode::Chart>)

namespace {

// What leaving must give back: who is shown, where each chart sits, the splitters' sizes.
struct ShownState {
    QMap<QString, bool> visible; // docks, toolbars, charts by object name
    QMap<QString, QString> parent;
    QMap<QString, int> index;
    QMap<QString, QList<int>> sizes;
    bool operator==(const ShownState&) const = default;
};

QList<std::pair<QString, QWidget*>> charts(MainWindow& w) {
    return {{"f", w.fitChart(FitChart::Kind::Function)},
            {"fprime", w.fitChart(FitChart::Kind::Derivative)},
            {"error", w.fitChart(FitChart::Kind::Error)},
            {"loss", w.trainingChart()},
            {"lambda", w.lambdaChart()}};
}

QWidget* chartWidget(MainWindow& w, Chart chart) {
    return charts(w)[int(chart)].second;
}

ShownState snapshot(MainWindow& w) {
    ShownState s;
    for (QDockWidget* dock : w.findChildren<QDockWidget*>())
        s.visible[dock->objectName()] = dock->isVisible();
    for (QToolBar* bar : w.findChildren<QToolBar*>())
        s.visible[bar->objectName()] = bar->isVisible();
    for (const auto& [name, widget] : charts(w)) {
        s.visible[name] = widget->isVisible();
        auto* splitter = qobject_cast<QSplitter*>(widget->parentWidget());
        s.parent[name] = splitter ? splitter->objectName() : QString();
        s.index[name] = splitter ? splitter->indexOf(widget) : -1;
    }
    for (QSplitter* splitter : w.findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            s.sizes[splitter->objectName()] = splitter->sizes();
    s.visible["central"] = w.centralWidget() && w.centralWidget()->isVisible();
    return s;
}

QString describe(const ShownState& s) {
    QStringList lines;
    for (auto it = s.visible.cbegin(); it != s.visible.cend(); ++it)
        lines << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    for (auto it = s.parent.cbegin(); it != s.parent.cend(); ++it)
        lines << QStringLiteral("%1 in %2 at %3").arg(it.key(), it.value()).arg(s.index[it.key()]);
    return lines.join(QStringLiteral("; "));
}

// The entries a legend shows, and whether any of them is of a hidden series.
QStringList shownEntries(const QChart* chart, bool* listsHidden) {
    QStringList labels;
    *listsHidden = false;
    for (QLegendMarker* marker : chart->legend()->markers())
        if (marker->isVisible()) {
            labels << marker->label();
            *listsHidden = *listsHidden || !marker->series()->isVisible();
        }
    return labels;
}

// The window in presentation mode at `scale` with `layout`, on a screen of `size`.
void present(MainWindow& w, QSize size, const QList<Chart>& layout, double scale) {
    w.setWindowState(Qt::WindowNoState);
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.presentation()->setLayout(layout);
    w.presentation()->setScale(scale);
    w.presentation()->setActive(true);
    QCoreApplication::processEvents();
}

// 60 measured rows (x, f) without f'.
TrainConfig measuredWithoutFprime() {
    MeasuredData data;
    for (int i = 0; i < 60; ++i) {
        const double x = -1 + 2.0 * i / 59;
        data.x.push_back(x);
        data.f.push_back(std::sin(3 * x));
        data.fprime.push_back(std::nan(""));
    }
    TrainConfig c = testutil::smallConfig(3);
    c.data = "sin.csv";
    c.measured = MeasuredRows(data);
    c.dataValidation = 0.2;
    return c;
}

} // namespace

class TestPresentation : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void enterAndLeaveRestoreTheWindow_data();
    void enterAndLeaveRestoreTheWindow();
    void stripHasTheRunControlsAndKnobs();
    void stripFieldsEditThePanel_data();
    void stripFieldsEditThePanel();
    void scaleEnlargesChartsAndStrip_data();
    void scaleEnlargesChartsAndStrip();
    void choicesAreKept();
    void shortcutIsListedAndUnique();
    void lossLegendIsCompact_data();
    void lossLegendIsCompact();
    void trainingPointsAreLight();
    void readoutFollowsTheRun_data();
    void readoutFollowsTheRun();

  private:
    QTemporaryDir m_config;
};

void TestPresentation::initTestCase() {
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", (m_config.path() + "/data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_presentation");
}

void TestPresentation::enterAndLeaveRestoreTheWindow_data() {
    QTest::addColumn<QList<Chart>>("layout");
    QTest::addColumn<bool>("runsDockShown");
    for (const QList<Chart>& layout : PresentationMode::layouts()) {
        QStringList names;
        for (Chart c : layout)
            names << QString::number(int(c));
        QTest::addRow("charts %s", qPrintable(names.join('+'))) << layout << true;
    }
    QTest::addRow("runs dock closed before") << QList<Chart>{Chart::Loss, Chart::Error} << false;
}

void TestPresentation::enterAndLeaveRestoreTheWindow() {
    QFETCH(QList<Chart>, layout);
    QFETCH(bool, runsDockShown);
    MainWindow w;
    w.setWindowState(Qt::WindowNoState); // a projector's 1280×720, not the test screen's size
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.findChild<QDockWidget*>("runsDock")->setVisible(runsDockShown);
    // A layout of the user's own: the charts' splitters moved.
    auto* top = w.findChild<QSplitter*>("topRow");
    top->setSizes({300, 700});
    QCoreApplication::processEvents();
    const ShownState before = snapshot(w);

    PresentationMode* p = w.presentation();
    p->setLayout(layout);
    p->toggleAction()->trigger();
    QCoreApplication::processEvents();
    QVERIFY(p->isActive());
    for (QDockWidget* dock : w.findChildren<QDockWidget*>())
        QVERIFY2(!dock->isVisible(), qPrintable(dock->objectName()));
    for (QToolBar* bar : w.findChildren<QToolBar*>())
        QCOMPARE(bar->isVisible(), bar == p->strip());
    // λ(t) too, which the window hides for constant weights.
    for (Chart c : {Chart::F, Chart::Fprime, Chart::Error, Chart::Loss, Chart::Lambda}) {
        QWidget* chart = chartWidget(w, c);
        QCOMPARE(chart->isVisible(), layout.contains(c));
    }
    // Side by side, in the order chosen, sharing the width.
    if (layout.size() == 2) {
        QWidget* left = chartWidget(w, layout[0]);
        QWidget* right = chartWidget(w, layout[1]);
        QVERIFY(left->mapTo(&w, QPoint()).x() < right->mapTo(&w, QPoint()).x());
        QVERIFY(std::abs(left->width() - right->width()) <= 2);
        QVERIFY(left->width() > 500);
    } else {
        QVERIFY(chartWidget(w, layout[0])->width() > 1100);
    }

    p->toggleAction()->trigger();
    QCoreApplication::processEvents();
    QVERIFY(!p->isActive());
    const ShownState after = snapshot(w);
    QVERIFY2(after == before, qPrintable(describe(before) + "\n" + describe(after)));
    for (ChartView* view : w.findChildren<ChartView*>())
        QCOMPARE(view->contentScale(), 1.0);
}

void TestPresentation::stripHasTheRunControlsAndKnobs() {
    MainWindow w;
    QToolBar* strip = w.presentation()->strip();
    const QList<QAction*> actions = strip->actions();
    QVERIFY(actions.contains(w.trainAction()));
    QStringList texts;
    for (QAction* a : actions)
        texts << a->text().remove('&');
    for (const char* control : {"Train", "Stop", "Reset"})
        QVERIFY2(texts.contains(control), qPrintable(texts.join(", ")));
    // Pause and Resume are one action, named for what it does next.
    QVERIFY(texts.contains("Pause") || texts.contains("Resume"));
    for (const char* knob :
         {"presentation_alpha", "presentation_beta", "presentation_learning_rate"})
        QVERIFY2(strip->findChild<LogSpinBox*>(knob), knob);
    auto* slow = strip->findChild<QComboBox*>("presentation_slowMotion");
    QVERIFY(slow);
    // The strip's slow motion is the window's.
    slow->setCurrentIndex(3);
    QCOMPARE(w.slowMotionBox()->currentIndex(), 3);
    w.slowMotionBox()->setCurrentIndex(1);
    QCOMPARE(slow->currentIndex(), 1);
}

void TestPresentation::stripFieldsEditThePanel_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");
    QTest::addRow("beta 10") << "beta"
                             << "10" << true << 10.0;
    QTest::addRow("alpha 0.5") << "alpha"
                               << "0.5" << true << 0.5;
    QTest::addRow("lr 1e-4") << "learning_rate"
                             << "1e-4" << true << 1e-4;
    QTest::addRow("lr 0 refused") << "learning_rate"
                                  << "0" << false << 0.0;
    QTest::addRow("alpha letters refused") << "alpha"
                                           << "abc" << false << 0.0;
}

void TestPresentation::stripFieldsEditThePanel() {
    QFETCH(QString, key);
    QFETCH(QString, typed);
    QFETCH(bool, valid);
    QFETCH(double, value);
    MainWindow w;
    w.setConfig(TrainConfig{});
    auto* mirror = w.presentation()->strip()->findChild<LogSpinBox*>("presentation_" + key);
    auto* source = w.parameterPanel()->findChild<LogSpinBox*>(key);
    QVERIFY(mirror && source);
    QLineEdit* edit = mirror->findChild<QLineEdit*>();
    edit->selectAll();
    QTest::keyClicks(edit, typed);
    QCOMPARE(source->text(), typed); // as if typed into the panel
    QCOMPARE(w.parameterPanel()->isValid(), valid);
    QVERIFY(w.trainAction()->isEnabled()); // pressed on an invalid form, it says why
    QCOMPARE(mirror->property("invalid").toBool(), !valid); // the panel's mark, on the strip
    if (valid) {
        const TrainConfig c = w.config();
        const double got = key == "alpha" ? c.alpha : key == "beta" ? c.beta : c.learningRate;
        QCOMPARE(got, value);
    }
    // And back: the panel's value shows on the strip.
    w.setConfig(TrainConfig{});
    QCOMPARE(mirror->text(), source->text());
    QVERIFY(!mirror->property("invalid").toBool());
}

void TestPresentation::scaleEnlargesChartsAndStrip_data() {
    QTest::addColumn<double>("scale");
    for (double s : PresentationMode::scales())
        QTest::addRow("%g", s) << s;
}

void TestPresentation::scaleEnlargesChartsAndStrip() {
    QFETCH(double, scale);
    MainWindow w;
    w.setWindowState(Qt::WindowNoState); // a projector's 1280×720, not the test screen's size
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    PresentationMode* p = w.presentation();
    p->setLayout({Chart::F, Chart::Loss});
    p->setScale(scale);
    p->setActive(true);
    QCoreApplication::processEvents();
    QCOMPARE(p->strip()->font().pointSizeF(),
             w.font().pointSizeF() * PresentationMode::stripScale(scale));
    QVERIFY(PresentationMode::stripScale(scale) >= 1.25);
    for (Chart c : {Chart::F, Chart::Loss}) {
        auto* view = chartWidget(w, c)->findChild<ChartView*>();
        QCOMPARE(view->contentScale(), scale);
        // Laid out in 1/scale of its pixels: every font, line and marker drawn scale× larger.
        QVERIFY(std::abs(view->chart()->size().width() * scale - view->width()) < 1.5);
    }
    // Still readable at 1280×720: the strip's fields show "0.0001" whole.
    auto* lr = p->strip()->findChild<LogSpinBox*>("presentation_learning_rate");
    QVERIFY(lr->isVisible()); // not pushed into the toolbar's overflow menu
    QVERIFY(p->strip()->sizeHint().width() <= 1280);
    QVERIFY(lr->width() >= QFontMetrics(p->strip()->font()).horizontalAdvance("0.0001"));
    // A scale chosen while presenting applies at once; leaving takes it off.
    p->setScale(scale == 2.0 ? 1.5 : 2.0);
    QCOMPARE(chartWidget(w, Chart::F)->findChild<ChartView*>()->contentScale(), p->scale());
    p->setActive(false);
    QCOMPARE(chartWidget(w, Chart::F)->findChild<ChartView*>()->contentScale(), 1.0);
}

void TestPresentation::choicesAreKept() {
    {
        MainWindow w;
        w.presentation()->setLayout({Chart::Loss, Chart::Error});
        w.presentation()->setScale(1.75);
    }
    MainWindow w;
    QCOMPARE(w.presentation()->layout(), (QList<Chart>{Chart::Loss, Chart::Error}));
    QCOMPARE(w.presentation()->scale(), 1.75);
    QVERIFY(!w.presentation()->isActive()); // a new session starts in the everyday layout
    // The menu says what is chosen.
    int checked = 0;
    for (QAction* a : w.presentation()->layoutMenu()->actions())
        if (a->isChecked())
            ++checked;
    QCOMPARE(checked, 2); // one layout, one size
}

void TestPresentation::shortcutIsListedAndUnique() {
    MainWindow w;
    const QKeySequence keys = w.presentation()->toggleAction()->shortcut();
    QCOMPARE(keys, QKeySequence(Qt::Key_F5));
    int users = 0;
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcuts().contains(keys))
            ++users;
    QCOMPARE(users, 1);
    bool listed = false;
    for (const ShortcutRow& row : shortcutRows(&w))
        listed = listed || (row.action == "Presentation" &&
                            row.keys == keys.toString(QKeySequence::NativeText));
    QVERIFY(listed);
}

void TestPresentation::lossLegendIsCompact_data() {
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<QList<Chart>>("layout");
    QTest::addRow("1280x720, f and loss")
        << QSize(1280, 720) << QList<Chart>{Chart::F, Chart::Loss};
    QTest::addRow("1600x1000, loss") << QSize(1600, 1000) << QList<Chart>{Chart::Loss};
}

// At 200 % the loss legend, a column beside the plot, took ~45 % of the chart and listed the
// hidden α·MSE f and β·MSE f′ too: now it lists the shown curves, inside the plot.
void TestPresentation::lossLegendIsCompact() {
    QFETCH(QSize, screen);
    QFETCH(QList<Chart>, layout);
    MainWindow w;
    present(w, screen, layout, 2.0);
    QChart* chart = w.trainingChart()->chart();
    QTRY_VERIFY(chart->legend()->geometry().width() > 0);
    const QRectF legend = chart->legend()->geometry();
    const double share =
        legend.width() * legend.height() / (chart->size().width() * chart->size().height());
    QVERIFY2(share < 0.2, qPrintable(QString::number(share)));
    QVERIFY(chart->plotArea().contains(legend)); // and nothing of it clipped
    bool listsHidden = true;
    const QStringList entries = shownEntries(chart, &listsHidden);
    QVERIFY2(!listsHidden, qPrintable(entries.join(", ")));
    QCOMPARE(entries.size(), 6); // losses, MSE f and MSE f′, training and validation
    QVERIFY(!w.trainingChart()->weightedTermsVisible());

    // Shown again, a weighted term gets its entry, and room for it.
    w.trainingChart()->setWeightedTermsVisible(true);
    QCOMPARE(shownEntries(chart, &listsHidden).size(), 8);
    QVERIFY(chart->legend()->geometry().height() > legend.height());
    w.trainingChart()->setWeightedTermsVisible(false);

    // Back in the window: the legend beside the plot, hidden curves dimmed there.
    w.presentation()->setActive(false);
    QVERIFY(!w.trainingChart()->compactLegend());
    QTRY_COMPARE(shownEntries(chart, &listsHidden).size(), 8);
    QVERIFY(listsHidden);
}

void TestPresentation::trainingPointsAreLight() {
    MainWindow w;
    w.fitChart(FitChart::Kind::Function)->setTrainingPointsVisible(true);
    const auto markers = [&] {
        for (QAbstractSeries* s : w.fitChart(FitChart::Kind::Function)->chart()->series())
            if (auto* dots = qobject_cast<QScatterSeries*>(s))
                return dots;
        return static_cast<QScatterSeries*>(nullptr);
    };
    QVERIFY(markers());
    const qreal everyday = markers()->markerSize();
    present(w, {1280, 720}, {Chart::F, Chart::Fprime}, 2.0);
    // Drawn twice as large, they are still smaller on screen than in the window.
    QVERIFY2(markers()->markerSize() * 2 < everyday, qPrintable(QString::number(everyday)));
    QVERIFY(markers()->color().alpha() < 80);
    w.presentation()->setActive(false);
    QCOMPARE(markers()->markerSize(), everyday);
}

void TestPresentation::readoutFollowsTheRun_data() {
    QTest::addColumn<bool>("measured");
    QTest::addColumn<QList<Chart>>("layout");
    QTest::addColumn<bool>("baselines");
    QTest::addRow("target, f and f′") << false << QList<Chart>{Chart::F, Chart::Fprime} << false;
    QTest::addRow("data without f′, loss") << true << QList<Chart>{Chart::Loss} << false;
    // Their legend leaves the plot narrow.
    QTest::addRow("five baselines") << false << QList<Chart>{Chart::F, Chart::Fprime} << true;
}

// A large readout of epoch, α, β and the validation errors on the charts shown, live.
void TestPresentation::readoutFollowsTheRun() {
    QFETCH(bool, measured);
    QFETCH(QList<Chart>, layout);
    QFETCH(bool, baselines);
    MainWindow w;
    w.baselines()->setChoice(
        baselines ? QList<BaselineKind>{BaselineKind::Equispaced, BaselineKind::Chebyshev,
                                        BaselineKind::LeastSquares, BaselineKind::Spline,
                                        BaselineKind::Hermite}
                  : QList<BaselineKind>{},
        20);
    present(w, {1280, 720}, layout, 2.0);
    const ChartReadout* readout = w.presentation()->readout();
    QChart* expectedChart = layout.contains(Chart::F)
                                ? w.fitChart(FitChart::Kind::Function)->chart()
                                : w.trainingChart()->chart();
    QCOMPARE(readout->chart(), expectedChart);

    TrainConfig config = measured ? measuredWithoutFprime() : testutil::smallConfig(3);
    config.beta = 0.5;
    config.changes = {{2, 1, Knob::Beta, 4}}; // β 0.5 → 4 from epoch 2
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.controller()->start(config);
    QVERIFY(finished.wait(600000));
    const EpochMetrics last = w.controller()->history().constLast();
    QCOMPARE(last.epoch, 3);
    const QString text = readout->text();
    const QStringList lines = text.split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QStringLiteral("epoch 3"));
    QCOMPARE(lines[1], QStringLiteral("α 1   β 4"));
    QVERIFY2(lines[2].endsWith(errorText(last.valMseF)), qPrintable(lines[2]));
    QVERIFY2(lines[3].endsWith(measured ? notAvailableText() : errorText(last.valMseFprime)),
             qPrintable(lines[3]));
    // Whole inside the plot; its four lines larger than the chart's text where the plot has
    // room, and at least 80 % of it (drawn at 200 %) beside a legend of five baselines.
    QTRY_VERIFY(expectedChart->plotArea().contains(readout->rect()));
    const double lines4 = 4 * QFontMetricsF(expectedChart->font()).height();
    QVERIFY2(readout->rect().height() > (baselines ? 0.8 : 1.2) * lines4,
             qPrintable(QString::number(readout->rect().height())));

    // After a reset, epoch 0 and no errors yet; after leaving, gone.
    w.controller()->reset();
    QVERIFY(readout->text().startsWith(QStringLiteral("epoch 0\nα 1   β 0.5")));
    w.presentation()->setActive(false);
    QCOMPARE(readout->chart(), nullptr);
}

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
