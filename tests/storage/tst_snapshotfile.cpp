// SPDX-License-Identifier: GPL-3.0-or-later
// snapshots.bin: a run's series back to the bit, its size, and what a damaged file says.
#include "core/train/trainer.h"
#include "runfolder.h"
#include "snapshotfile.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cstring>

using namespace sobolev;
using namespace sobolev::testutil;

namespace {

// A short run with an L-BFGS phase and a change: both phases, several loss weights.
SnapshotSeries trainedSeries() {
    TrainConfig c = smallConfig(6);
    c.lbfgsIterations = 3;
    c.changes = {{2, 3, Knob::Beta, 4}};
    Trainer t(c);
    t.trainAll();
    return t.snapshots();
}

} // namespace

class TestSnapshotFile : public QObject {
    Q_OBJECT
  private slots:
    void roundTripsToTheBit_data();
    void roundTripsToTheBit();
    void layoutIsTheDocumentedOne();
    void referenceRunFitsInFiveMegabytes();
    void runFolderKeepsTheSeries();
    void folderWithoutSnapshotsStillOpens();
    void damagedFileSaysWhat_data();
    void damagedFileSaysWhat();
};

void TestSnapshotFile::roundTripsToTheBit_data() {
    QTest::addColumn<bool>("compress");
    QTest::addRow("compressed") << true;
    QTest::addRow("plain") << false;
}

void TestSnapshotFile::roundTripsToTheBit() {
    QFETCH(bool, compress);
    const SnapshotSeries series = trainedSeries();
    QVERIFY(series.snapshots.size() > 10);
    SnapshotSeries back;
    QCOMPARE(parseSnapshotBytes(snapshotBytes(series, compress), "s.bin", &back), QString());
    QVERIFY(sameSnapshots(series, back));
    QCOMPARE(back.snapshots.back().phase, Phase::Lbfgs);
}

// The header and the first numbers of the body where README says they are.
void TestSnapshotFile::layoutIsTheDocumentedOne() {
    SnapshotSeries s;
    s.x = {-1, 1};
    Snapshot one;
    one.position = 0.5;
    one.epoch = 1;
    one.batch = 4;
    one.phase = Phase::Lbfgs;
    one.alpha = 2;
    one.beta = 3;
    one.fHat = {1.5f, -2};
    one.fprimeHat = {0.25f, 8};
    s.snapshots = {one};
    const QByteArray b = snapshotBytes(s, false);
    QCOMPARE(b.size(), 16 + 8 + 2 * 8 + (8 + 12 + 16 + 2 * 2 * 4));
    QCOMPARE(b.left(8), QByteArray("SOBSNAPS"));
    QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 8), 1u);  // version
    QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 12), 0u); // not compressed
    QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 16), 2u); // points
    QCOMPARE(qFromLittleEndian<quint32>(b.constData() + 20), 1u); // snapshots
    double x1;
    std::memcpy(&x1, b.constData() + 32, 8);
    QCOMPARE(x1, 1.0);
    QCOMPARE(qFromLittleEndian<qint32>(b.constData() + 40 + 8 + 8), 1); // phase: L-BFGS
    float lastFprime;
    std::memcpy(&lastFprime, b.constData() + b.size() - 4, 4);
    QCOMPARE(lastFprime, 8.0f);
    QCOMPARE(snapshotBytes(s, true).mid(12, 4), QByteArray("\1\0\0\0", 4));
}

// 300 snapshots of the 1001-point grid, as the reference run records them.
void TestSnapshotFile::referenceRunFitsInFiveMegabytes() {
    SnapshotSeries s;
    for (int i = 0; i < 1001; ++i)
        s.x.push_back(-1 + i / 500.0);
    for (int k = 0; k < 300; ++k) {
        Snapshot snap;
        snap.position = k;
        for (double x : s.x) {
            snap.fHat.push_back(float(std::sin(3 * x + k * 0.01)));
            snap.fprimeHat.push_back(float(3 * std::cos(3 * x + k * 0.01)));
        }
        s.snapshots.push_back(std::move(snap));
    }
    QVERIFY(snapshotBytes(s, false).size() <= 5 * 1000 * 1000); // as writeSnapshotFile writes
}

void TestSnapshotFile::runFolderKeepsTheSeries() {
    QTemporaryDir dir;
    TrainConfig c = smallConfig(4);
    Trainer t(c);
    t.trainAll();
    const RunRecord run{c, t.history(), t.predictions(), t.report(), t.snapshots()};
    QString error;
    QVERIFY2(writeRunFolder(dir.path(), run, &error), qPrintable(error));
    QVERIFY(QFile::exists(QDir(dir.path()).filePath("snapshots.bin")));
    const RunReadResult back = readRunFolder(dir.path());
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(sameSnapshots(run.snapshots, back.run.snapshots));
    // Written over without snapshots, the folder keeps no stale file.
    RunRecord without = run;
    without.snapshots = {};
    QVERIFY(writeRunFolder(dir.path(), without, &error));
    QVERIFY(!QFile::exists(QDir(dir.path()).filePath("snapshots.bin")));
}

void TestSnapshotFile::folderWithoutSnapshotsStillOpens() {
    QTemporaryDir dir;
    TrainConfig c = smallConfig(2);
    c.snapshots = 0;
    Trainer t(c);
    t.trainAll();
    QString error;
    QVERIFY(writeRunFolder(dir.path(), {c, t.history(), t.predictions(), t.report()}, &error));
    const RunReadResult back = readRunFolder(dir.path());
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(back.run.snapshots.empty());
}

void TestSnapshotFile::damagedFileSaysWhat_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const QByteArray good = snapshotBytes(trainedSeries(), false);
    const QByteArray packed = snapshotBytes(trainedSeries(), true);
    QByteArray version = good;
    version[8] = 2;
    QByteArray phase = good;
    phase[16 + 8 + 101 * 8 + 16] = 7; // the first snapshot's phase
    QByteArray order = good;
    const double later = 99;
    std::memcpy(order.data() + 16 + 8 + 101 * 8, &later, 8); // the first position after the next
    QByteArray claims = packed;
    claims[16] = char(0x7f); // a body of two billion bytes
    QByteArray damaged = packed;
    damaged[30] = char(damaged[30] ^ 0x55);
    QTest::addRow("empty") << QByteArray() << "does not start with \"SOBSNAPS\"";
    QTest::addRow("another file") << QByteArray("x,f_hat\n1,2\n") << "does not start with";
    QTest::addRow("version") << version << "version 2; this program reads version 1";
    QTest::addRow("flags") << QByteArray(good).replace(12, 1, "\2") << "unknown flags 2";
    QTest::addRow("cut short") << good.chopped(5) << "need";
    QTest::addRow("longer") << good + "x"
                            << "need";
    QTest::addRow("header only") << good.left(18) << "cut short before its counts";
    QTest::addRow("phase") << phase << "phase 7 is neither";
    QTest::addRow("order") << order << "position 0.125 does not follow 99";
    QTest::addRow("huge claim") << claims << "at most";
    QTest::addRow("damaged") << damaged << "damaged";
    QTest::addRow("compressed cut") << packed.left(18) << "cut short";
}

void TestSnapshotFile::damagedFileSaysWhat() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("snapshots.bin");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    SnapshotSeries out;
    const QString error = readSnapshotFile(path, &out);
    QVERIFY2(error.startsWith(path + ": "), qPrintable(error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSnapshotFile)
#include "tst_snapshotfile.moc"
