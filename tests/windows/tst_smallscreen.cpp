// SPDX-License-Identifier: GPL-3.0-or-later
// The main window on a 1280×720 screen (a projector): this test runs on an offscreen screen of
// that size (screen-1280x720.json, set in CMakeLists.txt).
#include "mainwindow.h"
#include "parameterpanel.h"
#include "screenfit.h"
#include "settings.h"

#include <QtTest>

#include <QDockWidget>
#include <QScreen>
#include <QScrollArea>

using namespace sobolev;

class TestSmallScreen : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void init();
    void fittedToScreen_data();
    void fittedToScreen();
    void geometryFromALargerScreenFits_data();
    void geometryFromALargerScreenFits();
    void lossWeightsShowWithoutScrolling();

  private:
    QTemporaryDir m_config;
};

namespace {

QString describe(const QRect& r) {
    return QStringLiteral("%1,%2 %3×%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// The whole of `widget` is in view in the scroll area around it.
bool inView(const QScrollArea* area, const QWidget* widget) {
    const QRect shown(widget->mapTo(area->viewport(), QPoint(0, 0)), widget->size());
    return area->viewport()->rect().contains(shown);
}

} // namespace

void TestSmallScreen::initTestCase() {
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    qputenv("XDG_DATA_HOME", (m_config.path() + "/data").toLocal8Bit());
    QCoreApplication::setOrganizationName("SobolevWorkbenchTest");
    QCoreApplication::setApplicationName("tst_smallscreen");
    QCOMPARE(QGuiApplication::primaryScreen()->availableGeometry(), QRect(0, 0, 1280, 720));
}

void TestSmallScreen::init() {
    QSettings().clear(); // each test starts as a first start
}

void TestSmallScreen::fittedToScreen_data() {
    QTest::addColumn<QRect>("frame");
    QTest::addColumn<QRect>("fitted");
    QTest::addRow("inside") << QRect(100, 50, 800, 600) << QRect(100, 50, 800, 600);
    QTest::addRow("too wide, saved at 1600x1000")
        << QRect(0, 0, 1346, 800) << QRect(0, 0, 1280, 720);
    QTest::addRow("past the right and the bottom")
        << QRect(900, 500, 800, 600) << QRect(480, 120, 800, 600);
    QTest::addRow("past the left and the top")
        << QRect(-300, -40, 800, 600) << QRect(0, 0, 800, 600);
    QTest::addRow("on a screen that is gone")
        << QRect(1700, 100, 1600, 1000) << QRect(0, 0, 1280, 720);
}

void TestSmallScreen::fittedToScreen() {
    QFETCH(QRect, frame);
    QFETCH(QRect, fitted);
    QCOMPARE(sobolev::fittedToScreen(frame, QRect(0, 0, 1280, 720)), fitted);
    // A second screen to the right of the first.
    QCOMPARE(sobolev::fittedToScreen(frame.translated(1280, 0), QRect(1280, 0, 1280, 720)),
             fitted.translated(1280, 0));
}

// The window and its docks as saved on a 1600×1000 screen (the Runs panel a column on the
// right), restored on this one: the whole window is on the screen, the Runs panel included.
void TestSmallScreen::geometryFromALargerScreenFits_data() {
    QTest::addColumn<bool>("maximised");
    QTest::addRow("normal") << false;
    QTest::addRow("maximised") << true; // its normal geometry is the one saved
}

void TestSmallScreen::geometryFromALargerScreenFits() {
    QFETCH(bool, maximised);
    {
        MainWindow wide;
        wide.setWindowState(Qt::WindowNoState);
        wide.setGeometry(100, 60, 1600, 1000);
        if (maximised)
            wide.setWindowState(Qt::WindowMaximized);
        auto* runs = wide.findChild<QDockWidget*>("runsDock");
        wide.addDockWidget(Qt::RightDockWidgetArea, runs); // as the first start on 1600×1000
        runs->show();
        wide.resizeDocks({runs}, {380}, Qt::Horizontal);
        QVERIFY(wide.minimumSizeHint().width() > 1280); // this layout cannot fit here
        settings::windowGeometry().set(wide.saveGeometry());
        settings::windowState().set(wide.saveState());
    }
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QRect available = w.screen()->availableGeometry();
    QVERIFY2(available.contains(w.frameGeometry()),
             qPrintable(describe(w.frameGeometry()) + " on " + describe(available)));
    // The runs a tab beside the metrics, as on a first start on this screen.
    auto* runs = w.findChild<QDockWidget*>("runsDock");
    QVERIFY(w.tabifiedDockWidgets(runs).contains(w.findChild<QDockWidget*>("metricsDock")));
}

// A fresh config on this screen: α and β are in view in the Parameters dock without scrolling.
void TestSmallScreen::lossWeightsShowWithoutScrolling() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ParameterPanel* panel = w.parameterPanel();
    auto* area = qobject_cast<QScrollArea*>(panel->parentWidget()->parentWidget());
    QVERIFY(area);
    for (const char* key : {"alpha", "beta"})
        QVERIFY2(inView(area, panel->findChild<QWidget*>(key)), key);
}

QTEST_MAIN(TestSmallScreen)
#include "tst_smallscreen.moc"
