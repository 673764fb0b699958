// SPDX-License-Identifier: GPL-3.0-or-later
// Zoom, pan and readable ticks, shared by every chart through ChartView.
#include "chartexport.h"
#include "chartview.h"
#include "comparisoncharts.h"
#include "fitchart.h"
#include "sweepcharts.h"
#include "trainingchart.h"

#include <QtTest>

#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>
#include <functional>
#include <memory>

using namespace sobolev;

namespace {

struct AxisRange {
    double lo = 0, hi = 0;
};

AxisRange rangeOf(QAbstractAxis* axis) {
    if (auto* value = qobject_cast<QValueAxis*>(axis))
        return {value->min(), value->max()};
    auto* log = qobject_cast<QLogValueAxis*>(axis);
    return {log->min(), log->max()};
}

QAbstractAxis* axisOf(QChart* chart, Qt::Orientation orientation) {
    return chart->axes(orientation).constFirst();
}

// The runge function and a network that is off by `offset`, on 201 points of [-1, 1].
Predictions predictions(double offset) {
    Predictions p;
    for (int i = 0; i <= 200; ++i) {
        const double x = -1 + i / 100.0;
        p.x.push_back(x);
        p.f.push_back(1 / (1 + 25 * x * x));
        p.fprime.push_back(-50 * x / std::pow(1 + 25 * x * x, 2));
        p.fHat.push_back(p.f.back() + offset * (1 + x));
        p.fprimeHat.push_back(p.fprime.back() + offset);
    }
    return p;
}

QList<EpochMetrics> history(int epochs) {
    QList<EpochMetrics> h;
    for (int e = 1; e <= epochs; ++e) {
        EpochMetrics m;
        m.epoch = e;
        m.loss = m.valLoss = 1.0 / e;
        m.mseF = m.valMseF = 0.5 / e;
        m.mseFprime = m.valMseFprime = 0.5 / e;
        m.learningRate = 1e-3;
        h.append(m);
    }
    return h;
}

// A chart widget of each kind, shown at `size` with data in it.
std::unique_ptr<QWidget> makeChart(const QString& kind, QSize size, int epochs = 1000) {
    std::unique_ptr<QWidget> widget;
    std::function<void()> redraw;
    if (kind == QLatin1String("loss")) {
        auto* chart = new TrainingChart;
        chart->setHistory(history(epochs));
        redraw = [chart] { chart->redrawNow(); };
        widget.reset(chart);
    } else {
        auto* chart = new FitChart(kind == QLatin1String("error") ? FitChart::Kind::Error
                                                                  : FitChart::Kind::Function);
        chart->setPredictions(predictions(0.05));
        redraw = [chart] { chart->redrawNow(); };
        widget.reset(chart);
    }
    widget->resize(size);
    widget->show();
    if (!QTest::qWaitForWindowExposed(widget.get()))
        return nullptr;
    redraw();
    QCoreApplication::processEvents();
    return widget;
}

void sendWheel(ChartView* view, QPointF at, int delta) {
    QWheelEvent wheel(at, view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, delta),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(view->viewport(), &wheel);
}

QPoint plotCentre(ChartView* view) {
    const QRectF plot = view->chart()->plotArea();
    return view->mapFromScene(view->chart()->mapToScene(plot.center()));
}

// The tick labels of the bottom axis as drawn: the scene's text items between the plot and the
// axis title that read as numbers.
QList<QGraphicsTextItem*> bottomLabels(QChart* chart) {
    const QRectF plot = chart->mapRectToScene(chart->plotArea());
    QList<QGraphicsTextItem*> labels;
    for (QGraphicsItem* item : chart->scene()->items()) {
        auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
        if (!text || !text->isVisible())
            continue;
        const QRectF box = text->sceneBoundingRect();
        bool number = false;
        text->toPlainText().toDouble(&number);
        const bool elided = text->toPlainText().contains(QChar(0x2026));
        if ((number || elided) && box.top() >= plot.bottom() - 2 &&
            box.top() < plot.bottom() + box.height())
            labels << text;
    }
    std::sort(labels.begin(), labels.end(), [](auto* a, auto* b) {
        return a->sceneBoundingRect().left() < b->sceneBoundingRect().left();
    });
    return labels;
}

} // namespace

class TestChartView : public QObject {
    Q_OBJECT
  private slots:
    void wheelZoomsAndDoubleClickResets_data();
    void wheelZoomsAndDoubleClickResets();
    void rubberBandZoomsToTheBand();
    void dragAndKeysPan();
    void everyListedKeyActs();
    void liveUpdatesWaitWhileZoomed();
    void tickLabelsDoNotCollide_data();
    void tickLabelsDoNotCollide();
    void contentScaleEnlargesEverything();
    void thinLinesStayThinWhenScaled();
    void everyChartZooms();
};

void TestChartView::wheelZoomsAndDoubleClickResets_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("orientation");
    for (const char* kind : {"f", "error", "loss"}) {
        QTest::addRow("%s x", kind) << QString(kind) << int(Qt::Horizontal);
        QTest::addRow("%s y", kind) << QString(kind) << int(Qt::Vertical);
    }
}

void TestChartView::wheelZoomsAndDoubleClickResets() {
    QFETCH(QString, kind);
    QFETCH(int, orientation);
    const auto widget = makeChart(kind, {640, 420});
    QVERIFY(widget);
    auto* view = widget->findChild<ChartView*>();
    QVERIFY(view);
    QAbstractAxis* axis = axisOf(view->chart(), Qt::Orientation(orientation));
    const AxisRange before = rangeOf(axis);
    const bool log = qobject_cast<QLogValueAxis*>(axis);
    const auto span = [log](AxisRange r) { return log ? std::log10(r.hi / r.lo) : r.hi - r.lo; };

    sendWheel(view, plotCentre(view), 240); // two notches in
    const AxisRange zoomed = rangeOf(axis);
    QVERIFY(view->isZoomed());
    QVERIFY2(span(zoomed) < 0.75 * span(before),
             qPrintable(QStringLiteral("%1 of %2").arg(span(zoomed)).arg(span(before))));
    QVERIFY(zoomed.lo >= before.lo && zoomed.hi <= before.hi);

    sendWheel(view, plotCentre(view), -480); // four out: wider than at first
    QVERIFY(span(rangeOf(axis)) > span(before));

    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, plotCentre(view));
    QVERIFY(!view->isZoomed());
    QCOMPARE(rangeOf(axis).lo, before.lo);
    QCOMPARE(rangeOf(axis).hi, before.hi);
}

void TestChartView::rubberBandZoomsToTheBand() {
    const auto widget = makeChart(QStringLiteral("f"), {640, 420});
    QVERIFY(widget);
    auto* view = widget->findChild<ChartView*>();
    QChart* chart = view->chart();
    auto* x = static_cast<QValueAxis*>(axisOf(chart, Qt::Horizontal));
    auto* y = static_cast<QValueAxis*>(axisOf(chart, Qt::Vertical));
    const AxisRange beforeY = rangeOf(y);
    // From x = -0.5 to x = 0.5 at mid-height, 40 pixels tall.
    const auto at = [&](double vx, double vy) {
        return view->mapFromScene(chart->mapToScene(chart->mapToPosition({vx, vy})));
    };
    const double midY = (beforeY.lo + beforeY.hi) / 2;
    const QPoint from = at(-0.5, midY) + QPoint(0, -20), to = at(0.5, midY) + QPoint(0, 20);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view->viewport(), (from + to) / 2);
    QTest::mouseMove(view->viewport(), to);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
    QVERIFY(view->isZoomed());
    const double pixel = 2.0 / chart->plotArea().width() * 2; // two pixels' worth of x
    QVERIFY2(std::abs(x->min() + 0.5) < pixel && std::abs(x->max() - 0.5) < pixel,
             qPrintable(QStringLiteral("%1 .. %2").arg(x->min()).arg(x->max())));
    QVERIFY(y->max() - y->min() < 0.5 * (beforeY.hi - beforeY.lo));
    // The ticks follow the new range: still several, none of them beyond it.
    QVERIFY(x->tickInterval() <= 0.5);
}

void TestChartView::dragAndKeysPan() {
    const auto widget = makeChart(QStringLiteral("f"), {640, 420});
    QVERIFY(widget);
    auto* view = widget->findChild<ChartView*>();
    auto* x = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Horizontal));
    auto* y = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Vertical));
    const AxisRange beforeX = rangeOf(x), beforeY = rangeOf(y);
    // Dragging the plot right and down shows what lies left and above.
    const QPoint from = plotCentre(view);
    QTest::mousePress(view->viewport(), Qt::MiddleButton, {}, from);
    QTest::mouseMove(view->viewport(), from + QPoint(50, 30));
    QTest::mouseRelease(view->viewport(), Qt::MiddleButton, {}, from + QPoint(50, 30));
    QVERIFY(x->min() < beforeX.lo && x->max() < beforeX.hi);
    QVERIFY(y->min() > beforeY.lo && y->max() > beforeY.hi);
    QCOMPARE(x->max() - x->min(), beforeX.hi - beforeX.lo); // a pan does not zoom
    const double leftAfterDrag = x->min();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Right);
    QVERIFY(x->min() > leftAfterDrag);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, plotCentre(view));
    QCOMPARE(x->min(), beforeX.lo);
    QCOMPARE(y->max(), beforeY.hi);
}

// Help ▸ Keyboard Shortcuts lists ChartView::keyHelp(): each key there moves or zooms the plot,
// and the reset key brings back the ranges from before.
void TestChartView::everyListedKeyActs() {
    const auto widget = makeChart(QStringLiteral("f"), {640, 420});
    QVERIFY(widget);
    auto* view = widget->findChild<ChartView*>();
    auto* x = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Horizontal));
    auto* y = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Vertical));
    const AxisRange beforeX = rangeOf(x), beforeY = rangeOf(y);
    view->setFocus();
    const QList<ChartView::KeyHelp> help = ChartView::keyHelp();
    QVERIFY(help.size() >= 4);
    bool hasReset = false;
    for (const ChartView::KeyHelp& row : help) {
        QVERIFY2(!row.keys.isEmpty(), qPrintable(row.action));
        for (Qt::Key key : row.keys) {
            const QString what = row.action + ": " + QKeySequence(key).toString();
            view->resetZoom();
            const bool reset = row.action.contains("reset");
            if (reset) {
                hasReset = true;
                QTest::keyClick(view, Qt::Key_Plus);
                QVERIFY(view->isZoomed());
            }
            QTest::keyClick(view, key);
            const bool moved = x->min() != beforeX.lo || x->max() != beforeX.hi ||
                               y->min() != beforeY.lo || y->max() != beforeY.hi;
            QVERIFY2(moved != reset, qPrintable(what));
            QCOMPARE(view->isZoomed(), !reset);
        }
    }
    QVERIFY(hasReset);
}

void TestChartView::liveUpdatesWaitWhileZoomed() {
    const auto widget = makeChart(QStringLiteral("f"), {640, 420});
    QVERIFY(widget);
    auto* chart = static_cast<FitChart*>(widget.get());
    auto* view = widget->findChild<ChartView*>();
    auto* y = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Vertical));
    sendWheel(view, plotCentre(view), 120);
    const AxisRange zoomed = rangeOf(y);
    // A live frame whose network reaches 2.05: autoscaling would widen the axis.
    chart->setPredictions(predictions(1.0));
    chart->redrawNow();
    QCOMPARE(rangeOf(y).lo, zoomed.lo);
    QCOMPARE(rangeOf(y).hi, zoomed.hi);
    // Back: the range the newest data wants, not the one from before the zoom.
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, plotCentre(view));
    QVERIFY2(y->max() >= 2.05, qPrintable(QString::number(y->max())));
    // And autoscaling goes on.
    chart->setPredictions(predictions(0.0));
    chart->redrawNow();
    QVERIFY(y->max() < 1.5);
}

void TestChartView::tickLabelsDoNotCollide_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("epochs");
    for (int width : {360, 420, 640, 1200}) // from the minimum size up
        for (int epochs : {1000, 5000, 100000})
            QTest::addRow("loss %d px %d epochs", width, epochs)
                << QStringLiteral("loss") << width << epochs;
    for (int width : {260, 400, 640})
        QTest::addRow("f %d px", width) << QStringLiteral("f") << width << 0;
}

void TestChartView::tickLabelsDoNotCollide() {
    QFETCH(QString, kind);
    QFETCH(int, width);
    QFETCH(int, epochs);
    const auto widget = makeChart(kind, {width, 360}, epochs);
    QVERIFY(widget);
    QChart* chart = widget->findChild<ChartView*>()->chart();
    const QList<QGraphicsTextItem*> labels = bottomLabels(chart);
    QVERIFY2(labels.size() >= 2, qPrintable(QString::number(labels.size())));
    for (qsizetype i = 0; i < labels.size(); ++i) {
        QVERIFY2(!labels[i]->toPlainText().contains(QChar(0x2026)),
                 qPrintable(labels[i]->toPlainText())); // no elided "50…"
        if (i > 0)
            QVERIFY2(labels[i - 1]->sceneBoundingRect().right() <
                         labels[i]->sceneBoundingRect().left(),
                     qPrintable(labels[i - 1]->toPlainText() + " / " + labels[i]->toPlainText()));
    }
}

void TestChartView::contentScaleEnlargesEverything() {
    const auto widget = makeChart(QStringLiteral("loss"), {800, 500});
    QVERIFY(widget);
    auto* view = widget->findChild<ChartView*>();
    const QSizeF normal = view->chart()->size();
    view->setContentScale(2);
    QCOMPARE(view->contentScale(), 2.0);
    // Laid out in half the units and drawn twice as large: the same pixels, larger text.
    QCOMPARE(view->chart()->size(), normal / 2);
    QCOMPARE(view->transform().m11(), 2.0);
    // Zooming still maps the pointer right: a wheel turn at the plot's centre keeps it there.
    auto* x = static_cast<QValueAxis*>(axisOf(view->chart(), Qt::Horizontal));
    const double centre = (x->min() + x->max()) / 2;
    sendWheel(view, plotCentre(view), 120);
    QVERIFY(std::abs((x->min() + x->max()) / 2 - centre) < 0.01 * (x->max() - x->min()));
    view->setContentScale(1);
    QCOMPARE(view->chart()->size(), normal);
}

void TestChartView::thinLinesStayThinWhenScaled() {
    // A black horizontal line one unit wide across a white plot.
    auto* chart = new QChart;
    auto* line = new QLineSeries;
    line->append({{0, 0.5}, {1, 0.5}});
    line->setPen(QPen(Qt::black, 1, Qt::DashLine));
    auto* wide = new QLineSeries;
    wide->setPen(QPen(Qt::red, 2));
    chart->addSeries(line);
    chart->addSeries(wide);
    chart->createDefaultAxes();
    chart->legend()->hide();
    ChartView view(chart);
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setContentScale(2);
    // On screen one pixel at any scale: a scaled dashed pen is drawn many times slower.
    QVERIFY(line->pen().isCosmetic());
    QVERIFY(!wide->pen().isCosmetic());

    // A figure draws it as wide as the chart says: 4 pixels in a PNG at 4x, not 1.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("line.png"));
    QString error;
    QVERIFY2(exportChart(chart, path, 4, &error), qPrintable(error));
    QVERIFY(line->pen().isCosmetic()); // and on screen one pixel again
    const QImage image(path);
    int darkest = 255, rows = 0;
    const QPointF middle = chart->mapToPosition({0.5, 0.5}, line) * 4;
    for (int y = int(middle.y()) - 12; y <= int(middle.y()) + 12; ++y) {
        int dark = 255;
        for (int x = int(middle.x()) - 40; x < int(middle.x()) + 40; ++x) // across a dash
            dark = std::min(dark, qGray(image.pixel(x, y)));
        darkest = std::min(darkest, dark);
        rows += dark < 128;
    }
    QVERIFY2(darkest < 64 && rows >= 3,
             qPrintable(QStringLiteral("darkest %1, %2 dark rows").arg(darkest).arg(rows)));

    view.setContentScale(1);
    QVERIFY(!line->pen().isCosmetic());
}

void TestChartView::everyChartZooms() {
    // The comparison's and the sweep's charts are drawn in the same view as the window's.
    ComparisonCharts comparison;
    KnobChart knobs;
    TradeoffChart tradeoff;
    QList<QChart*> charts = comparison.charts() + knobs.charts();
    charts << tradeoff.chart();
    QCOMPARE(charts.size(), 7);
    for (QChart* chart : charts) {
        ChartView* view = ChartView::of(chart);
        QVERIFY(view);
        // Zooming and resetting a chart without data neither crashes nor leaves it zoomed.
        view->resize(500, 400);
        view->zoomAt(QPointF(250, 200), 2);
        QVERIFY(view->isZoomed());
        view->resetZoom();
        QVERIFY(!view->isZoomed());
    }
}

QTEST_MAIN(TestChartView)
#include "tst_chartview.moc"
