// SPDX-License-Identifier: GPL-3.0-or-later
// --animate end to end: runs the real executable and reads its animations back with ffprobe.
#include "animation/ffprobe.h"

#include <QtTest>

namespace {

struct Result {
    int exitCode;
    QString stdErr;
};

Result runWorkbench(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(SOBOLEV_WORKBENCH_PATH), args);
    p.waitForFinished(-1);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

// A run of a few milliseconds.
const QStringList tinyRun{QStringLiteral("--headless"), QStringLiteral("--epochs"),
                          QStringLiteral("6"),          QStringLiteral("--width"),
                          QStringLiteral("8"),          QStringLiteral("--n-train"),
                          QStringLiteral("64"),         QStringLiteral("--batch-size"),
                          QStringLiteral("16")};

} // namespace

class TestAnimate : public QObject {
    Q_OBJECT
  private slots:
    void writesEveryFrame_data() { addAnimationFormatRows(); }

    void writesEveryFrame() {
        QFETCH(QString, suffix);
        QFETCH(QString, codec);
        if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
            QSKIP("ffprobe is missing (Debian: ffmpeg; scripts/install-deps.sh installs it)");
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("run.") + suffix);
        const Result r = runWorkbench(
            tinyRun + QStringList{"--out", dir.filePath("run"), "--animate", file, "--animate-size",
                                  "320x180", "--animate-fps", "10", "--animate-seconds", "2.5",
                                  "--animate-charts", "fprime,loss"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QCOMPARE(probe(file), codec + QStringLiteral(",320,180,25"));
        QVERIFY2(r.stdErr.contains(QStringLiteral("animation: frame 25/25")), qPrintable(r.stdErr));
    }

    // The run folder does not exist before the run; the animation may still go into it.
    void goesIntoTheRunFolder_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addRow("run") << QStringList{};
        QTest::addRow("sweep") << QStringList{"--sweep", "beta=0,1"};
    }

    void goesIntoTheRunFolder() {
        QFETCH(QStringList, flags);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("run/fit.gif"));
        const Result r = runWorkbench(
            tinyRun + flags +
            QStringList{"--out", dir.filePath("run"), "--animate", file, "--animate-seconds", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY(QFileInfo(file).size() > 0);
    }

    void aSweepAnimatesItsRunsTogether() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sweep.gif"));
        const Result r = runWorkbench(tinyRun + QStringList{"--sweep", "beta=0,1", "--out",
                                                            dir.filePath("sweep"), "--animate",
                                                            file, "--animate-seconds", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
        QVERIFY2(r.stdErr.contains(QStringLiteral("animation: frame 15/15")), qPrintable(r.stdErr));
        QVERIFY(QFileInfo(file).size() > 0);
    }

    void refusesBeforeTraining_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("message");
        const QString gif = QStringLiteral("a.gif");
        QTest::addRow("suffix") << QStringList{"--animate", "a.avi"} << ".gif, .mp4 or .webm";
        QTest::addRow("size form")
            << QStringList{"--animate", gif, "--animate-size", "big"} << "WIDTHxHEIGHT";
        QTest::addRow("size range")
            << QStringList{"--animate", gif, "--animate-size", "8000x100"} << "out of range";
        QTest::addRow("odd video size")
            << QStringList{"--animate", "a.mp4", "--animate-size", "801x450"} << "even";
        QTest::addRow("chart") << QStringList{"--animate", gif, "--animate-charts", "f,slope"}
                               << "unknown chart \"slope\"; allowed: f, fprime, error, loss";
        QTest::addRow("fps") << QStringList{"--animate", gif, "--animate-fps", "0"}
                             << "frame rate 0 is out of range";
        QTest::addRow("fps form") << QStringList{"--animate", gif, "--animate-fps", "fast"}
                                  << "whole number";
        QTest::addRow("seconds") << QStringList{"--animate", gif, "--animate-seconds", "0"}
                                 << "0 seconds is out of range";
        QTest::addRow("no snapshots")
            << QStringList{"--animate", gif, "--snapshots", "0"} << "--snapshots 0";
        QTest::addRow("unwritable")
            << QStringList{"--animate", "/nonexistent-folder/a.gif"} << "nonexistent-folder";
        QTest::addRow("shard") << QStringList{"--animate", gif,       "--sweep",
                                              "beta=0,1",  "--shard", "1/2"}
                               << "does not go with --shard";
        QTest::addRow("setting alone")
            << QStringList{"--animate-fps", "10"} << "go with --animate FILE";
    }

    void refusesBeforeTraining() {
        QFETCH(QStringList, flags);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QDir::setCurrent(dir.path());
        const Result r = runWorkbench(tinyRun + QStringList{"--out", "run"} + flags);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.stdErr.contains(message), qPrintable(r.stdErr));
        // Nothing written: no run folder, no animation, no partial file.
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList());
    }

    void goesWithHeadlessOnly() {
        const Result r = runWorkbench({QStringLiteral("--animate"), QStringLiteral("a.gif")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.stdErr.contains(QStringLiteral("--animate goes with --headless")),
                 qPrintable(r.stdErr));
    }
};

QTEST_GUILESS_MAIN(TestAnimate)
#include "tst_animate.moc"
