// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationexport.h"
#include "animationframes.h"
#include "animationtestutil.h"
#include "slideexport.h"
#include "testutil.h"

#include <QApplication>
#include <QDir>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

using namespace sobolev;

namespace {

// The share of pixels that differ between two frames of one size.
double changedShare(const QImage& a, const QImage& b) {
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    qint64 changed = 0;
    for (int row = 0; row < x.height(); ++row)
        for (int col = 0; col < x.width(); ++col)
            changed += x.pixel(col, row) != y.pixel(col, row);
    return double(changed) / (x.width() * x.height());
}

} // namespace

class TestAnimationFrames : public QObject {
    Q_OBJECT

  private slots:
    void linearTimeWalksEvenly() {
        const std::vector<double> p = framePositions(100, 5, AnimationTime::Linear);
        QCOMPARE(p, (std::vector<double>{0, 25, 50, 75, 100}));
    }

    void logTimeGivesEveryDecadeTheSameTime() {
        const std::vector<double> p = framePositions(1000, 101, AnimationTime::Log);
        QCOMPARE(p.front(), 0.0);
        QCOMPARE(p.back(), 1000.0);
        // ln(1 + p) in equal steps: a tenth of the frames for the first epoch, half of them
        // for the first 30.
        QVERIFY(p[10] < 1 && p[11] > 1);
        QVERIFY(std::abs(p[50] - (std::sqrt(1001.0) - 1)) < 1e-9);
        QVERIFY(std::is_sorted(p.begin(), p.end()));
    }

    void settingsOutOfRangeAreNamed() {
        AnimationSettings s;
        QVERIFY(animationSettingsProblems(s).isEmpty());
        QCOMPARE(s.frameCount(), 150);
        s.seconds = 1e6;
        s.charts.clear();
        const QStringList problems = animationSettingsProblems(s);
        QCOMPARE(problems.size(), 2);
        QVERIFY2(problems[0].contains(QStringLiteral("0.5–600")), qPrintable(problems[0]));
        QCOMPARE(parseAnimationSize(QStringLiteral("800x450")), QSize(800, 450));
        QVERIFY(!parseAnimationSize(QStringLiteral("800")));
        QString error;
        QCOMPARE(parseAnimationCharts(QStringLiteral("loss,f"), &error),
                 (QList<AnimationChart>{AnimationChart::Loss, AnimationChart::Function}));
        QVERIFY(!parseAnimationCharts(QStringLiteral("f,fprimes"), &error));
        QVERIFY2(error.contains(QStringLiteral("fprimes")) &&
                     error.contains(QStringLiteral("f, fprime, error, loss")),
                 qPrintable(error));
    }

    void aRunWithoutSnapshotsCannotBeAnimated() {
        AnimatedRun a = animationtest::trainedRun(testutil::tinyConfig(2));
        QVERIFY(animationProblem(a).isEmpty());
        a.run.snapshots.snapshots.clear();
        QVERIFY(animationProblem(a).contains(QStringLiteral("no snapshots")));
    }

    void framesShowTheFitForming() {
        TrainConfig config = testutil::smallConfig(20);
        config.changes = {KnobChange{5, 1, Knob::Beta, 10}};
        const AnimatedRun run = animationtest::trainedRun(config);
        AnimationSettings settings;
        settings.seconds = 2;
        settings.fps = 10;
        AnimationFrames frames({run}, settings);
        QCOMPARE(frames.frameCount(), 20);
        const QImage first = frames.frame(0);
        const QImage last = frames.frame(19);
        QCOMPARE(first.size(), QSize(800, 450));
        QCOMPARE(last.size(), QSize(800, 450));
        QVERIFY2(changedShare(first, last) > 0.005, "the fit must move between the frames");

        QVERIFY2(frames.caption(0).startsWith(QStringLiteral("initial network")),
                 qPrintable(frames.caption(0)));
        const QString end = frames.caption(19);
        QVERIFY2(end.contains(QStringLiteral("epoch 20")) && end.contains(QStringLiteral("β 10")) &&
                     end.contains(QStringLiteral("β 1→10 @5")) &&
                     end.contains(QStringLiteral("MSE f′ ")),
                 qPrintable(end));
        QVERIFY(!frames.caption(0).contains(QStringLiteral("@5")));
        // Log time: the first epoch, batch by batch, gets a quarter of 20 epochs' frames.
        QVERIFY2(frames.caption(4).contains(QStringLiteral("epoch 1, batch 7")),
                 qPrintable(frames.caption(4)));
    }

    void aComparisonDrawsEveryRunInOneTimeline() {
        TrainConfig sobolev = testutil::smallConfig(8);
        TrainConfig plain = sobolev;
        plain.beta = 0;
        AnimationSettings settings;
        settings.seconds = 1;
        settings.fps = 4;
        settings.charts = {AnimationChart::Derivative, AnimationChart::Loss};
        AnimationFrames frames({animationtest::trainedRun(plain, QStringLiteral("β=0")),
                                animationtest::trainedRun(sobolev, QStringLiteral("β=1"))},
                               settings);
        const QImage first = frames.frame(0);
        const QImage last = frames.frame(frames.frameCount() - 1);
        QCOMPARE(last.size(), QSize(800, 450));
        QVERIFY(changedShare(first, last) > 0.005);
        const QString caption = frames.caption(frames.frameCount() - 1);
        QVERIFY2(caption.contains(QStringLiteral("β=0: MSE f")) &&
                     caption.contains(QStringLiteral("β=1: MSE f")) &&
                     caption.startsWith(QStringLiteral("epoch 8")),
                 qPrintable(caption));
    }

    void anExportWritesEveryFrameOrNothing() {
        const AnimatedRun run = animationtest::trainedRun(testutil::tinyConfig(3));
        AnimationSettings settings;
        settings.size = {320, 180};
        settings.seconds = 1;
        settings.fps = 6;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.gif"));
        QString error;
        {
            auto cancelled = AnimationExport::open(path, {run}, settings, &error);
            QVERIFY2(cancelled, qPrintable(error));
            QVERIFY(cancelled->writeNext(&error));
            QCOMPARE(cancelled->framesWritten(), 1);
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
        auto done = AnimationExport::open(path, {run}, settings, &error);
        QVERIFY2(done && done->finish(&error), qPrintable(error));
        QCOMPARE(done->framesWritten(), 6);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("run.gif")});
    }

    void outputProblemsAreFoundBeforeAnyFrame() {
        AnimationSettings settings;
        QTemporaryDir dir;
        QVERIFY(animationOutputProblems(dir.filePath(QStringLiteral("a.gif")), settings).isEmpty());
        const QStringList suffix =
            animationOutputProblems(dir.filePath(QStringLiteral("a.avi")), settings);
        QVERIFY2(suffix.size() == 1 && suffix[0].contains(QStringLiteral(".webm")),
                 qPrintable(suffix.join('|')));
        settings.seconds = 0;
        const QStringList missing =
            animationOutputProblems(QStringLiteral("/nonexistent/folder/a.mp4"), settings);
        QCOMPARE(missing.size(), 2);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }

    void aSlideIsFullHdInPixelsAndInVectors() {
        const AnimatedRun run = animationtest::trainedRun(testutil::smallConfig(6));
        QTemporaryDir dir;
        QString error;
        const QString png = dir.filePath(QStringLiteral("slide.png"));
        const QString svg = dir.filePath(QStringLiteral("slide.svg"));
        const QList<AnimationChart> charts{AnimationChart::Function, AnimationChart::Loss};
        QVERIFY2(exportSlide(png, {run}, charts, 3.0, &error), qPrintable(error));
        QVERIFY2(exportSlide(svg, {run}, charts, std::nullopt, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1920, 1080));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 1920, 1080));
        QVERIFY(!exportSlide(dir.filePath(QStringLiteral("slide.jpg")), {run}, charts, {}, &error));
        QVERIFY2(error.contains(QStringLiteral(".png or .svg")), qPrintable(error));
    }

    void aRunWithoutSnapshotsMakesASlideOfItsEnd() {
        AnimatedRun run = animationtest::trainedRun(testutil::tinyConfig(3));
        run.run.snapshots = finalSnapshot(run.run);
        QCOMPARE(int(run.run.snapshots.snapshots.size()), 1);
        QVERIFY(animationProblem(run).isEmpty());
        AnimationSettings settings;
        settings.seconds = settings.fps = 1;
        const AnimationFrames frames({run}, settings);
        QVERIFY2(frames.caption(0).startsWith(QStringLiteral("epoch 3 ·")),
                 qPrintable(frames.caption(0)));
    }
};

QTEST_MAIN(TestAnimationFrames)
#include "tst_animationframes.moc"
