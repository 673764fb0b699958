// SPDX-License-Identifier: GPL-3.0-or-later
#include "animation/animationtestutil.h"
#include "animationexportdialog.h"
#include "mainwindow.h"
#include "runfolder.h"
#include "settings.h"
#include "testutil.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sobolev;

namespace {

QStringList filesIn(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
}

AnimationSettings smallAnimation() {
    AnimationSettings s;
    s.size = {320, 180};
    s.seconds = 2;
    s.fps = 10;
    return s;
}

} // namespace

class TestAnimationExportDialog : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("SobolevWorkbenchTest"));
        QStandardPaths::setTestModeEnabled(true);
        m_run = animationtest::trainedRun(testutil::tinyConfig(4));
    }

    void exportsEveryFrameFromATimer() {
        QTemporaryDir dir;
        AnimationExportDialog dialog({m_run});
        dialog.setPath(dir.filePath(QStringLiteral("run.gif")));
        dialog.setSettings(smallAnimation());
        QSignalSpy exported(&dialog, &AnimationExportDialog::exported);
        dialog.startExport();
        QVERIFY(dialog.isExporting());
        // The frames are drawn from the event loop, not in one go.
        QVERIFY(filesIn(dir).filter(QStringLiteral("run.gif")).size() == 1);
        QVERIFY(exported.wait());
        QCOMPARE(exported.first().first().toString(), dir.filePath(QStringLiteral("run.gif")));
        QCOMPARE(filesIn(dir), QStringList{QStringLiteral("run.gif")});
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void cancelLeavesNoFile() {
        QTemporaryDir dir;
        AnimationExportDialog dialog({m_run});
        dialog.setPath(dir.filePath(QStringLiteral("run.mp4")));
        AnimationSettings long_ = smallAnimation();
        long_.seconds = 120; // more frames than one slice of the timer draws
        dialog.setSettings(long_);
        dialog.startExport();
        auto* progress = dialog.findChild<QProgressBar*>();
        QVERIFY(QTest::qWaitFor([&] { return progress->value() > 0; }));
        QVERIFY(dialog.isExporting());
        dialog.reject(); // Cancel while exporting stops the export, not the dialog
        QVERIFY(!dialog.isExporting());
        QCOMPARE(filesIn(dir), QStringList());
        QVERIFY2(dialog.message().contains(QStringLiteral("Cancelled")),
                 qPrintable(dialog.message()));
    }

    void aBadChoiceIsNamedBeforeAnyFrame() {
        QTemporaryDir dir;
        AnimationExportDialog dialog({m_run});
        dialog.setPath(dir.filePath(QStringLiteral("run.avi")));
        dialog.startExport();
        QVERIFY(!dialog.isExporting());
        QVERIFY2(dialog.message().contains(QStringLiteral(".webm")), qPrintable(dialog.message()));
        AnimationSettings none = smallAnimation();
        none.charts.clear();
        dialog.setSettings(none);
        dialog.setPath(dir.filePath(QStringLiteral("run.gif")));
        dialog.startExport();
        QVERIFY2(dialog.message().contains(QStringLiteral("no chart")),
                 qPrintable(dialog.message()));
        QCOMPARE(filesIn(dir), QStringList());
    }

    void theWindowOffersARunWithSnapshots() {
        MainWindow window;
        auto* action = window.findChild<QAction*>(QStringLiteral("exportAnimationAction"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        QVERIFY2(action->toolTip().contains(QStringLiteral("Train or open a run")),
                 qPrintable(action->toolTip()));

        QTemporaryDir dir;
        QString error;
        RunRecord without = m_run.run;
        without.snapshots = {};
        QVERIFY2(writeRunFolder(dir.filePath(QStringLiteral("old")), without, &error),
                 qPrintable(error));
        QVERIFY2(window.openRunFolder(dir.filePath(QStringLiteral("old")), &error),
                 qPrintable(error));
        QVERIFY(!action->isEnabled());
        QVERIFY2(action->toolTip().contains(QStringLiteral("no snapshots")),
                 qPrintable(action->toolTip()));

        QVERIFY2(writeRunFolder(dir.filePath(QStringLiteral("new")), m_run.run, &error),
                 qPrintable(error));
        QVERIFY2(window.openRunFolder(dir.filePath(QStringLiteral("new")), &error),
                 qPrintable(error));
        QVERIFY(action->isEnabled());
        QCOMPARE(window.currentRun()->snapshots.snapshots.size(),
                 m_run.run.snapshots.snapshots.size());
    }

  private:
    AnimatedRun m_run;
};

QTEST_MAIN(TestAnimationExportDialog)
#include "tst_animationexportdialog.moc"
