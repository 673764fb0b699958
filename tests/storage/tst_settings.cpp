// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <functional>

using namespace sobolev;

namespace {

// One setting with its type erased, so that one data-driven test can go through them all.
struct Accessor {
    QString key;
    std::function<QVariant()> get;
    std::function<void(const QVariant&)> set;
    std::function<bool()> isStored;
};

template <typename T> Accessor erase(const SettingValue<T>& setting) {
    return {setting.key(), [setting] { return QVariant::fromValue(setting.get()); },
            [setting](const QVariant& v) { setting.set(v.value<T>()); },
            [setting] { return setting.isStored(); }};
}

} // namespace

Q_DECLARE_METATYPE(Accessor)

// The typed settings read and write the keys earlier versions wrote, so that a user's saved
// settings still load; each reads as its default while nothing is stored.
class TestSettings : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void init();
    void roundTripUnderTheOldKeys_data();
    void roundTripUnderTheOldKeys();
    void valuesWrittenByAnEarlierVersionLoad();

  private:
    QTemporaryDir m_dir;
};

void TestSettings::initTestCase() {
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SobolevWorkbenchTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
    // A settings file of the test's own, never the user's.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QVERIFY(QSettings().fileName().startsWith(m_dir.path()));
}

void TestSettings::init() {
    QSettings().clear();
}

void TestSettings::roundTripUnderTheOldKeys_data() {
    QTest::addColumn<Accessor>("setting");
    QTest::addColumn<QVariant>("fallback"); // what it reads as while nothing is stored
    QTest::addColumn<QVariant>("value");    // a value to store
    const auto row = [](const char* key, const Accessor& setting, const QVariant& fallback,
                        const QVariant& value) {
        QTest::newRow(key) << setting << fallback << value;
        QCOMPARE(setting.key, QString::fromLatin1(key));
    };
    const QStringList paths{"/tmp/a.json", "/tmp/b"};
    const QByteArray bytes("\x01\x00\xff geometry", 12);
    using namespace settings;
    row("export/lastDir", erase(exportFolder()), QDir::homePath(), "/tmp/exports");
    row("files/lastDir", erase(experimentFolder()), QString(), "/tmp/experiments");
    row("data/lastFolder", erase(dataFolder()), QString(), "/tmp/data");
    row("recent/paths", erase(recentPaths()), QStringList(), paths);
    row("export/pngScale", erase(pngScale()), 2.0, 3.5);
    row("export/digits", erase(tableDigits()), 3, 7);
    row("report/page", erase(reportPage()), QString(), "letter");
    row("report/markdown", erase(reportWithMarkdown()), true, false);
    row("baselines/kinds", erase(baselineKinds()), QStringList(), QStringList{"chebyshev"});
    row("baselines/n", erase(baselineDegree()), 10, 4);
    row("presentation/layout", erase(presentationLayout()), QString(), "f+loss");
    row("presentation/scale", erase(presentationScale()), 1.5, 2.0);
    row("window/geometry", erase(windowGeometry()), QByteArray(), bytes);
    row("window/state", erase(windowState()), QByteArray(), bytes);
    row("window/rows", erase(chartRows()), QByteArray(), bytes);
    row("window/topRow", erase(topChartRow()), QByteArray(), bytes);
    row("window/bottomRow", erase(bottomChartRow()), QByteArray(), bytes);
    row("view/trainingPoints", erase(showTrainingPoints()), false, true);
    row("view/weightedTerms", erase(showWeightedTerms()), false, true);
    row("view/bestEpochErrors", erase(showBestEpochErrors()), false, true);
    row("view/epochsPerSecondCap", erase(epochsPerSecondCap()), 0, 50);
    row("config/last", erase(lastConfig()), QByteArray(), QByteArray(R"({"beta":5})"));
    row("sweep/knob1", erase(sweepKnob(0)), QString(), "beta");
    row("sweep/knob2", erase(sweepKnob(1)), QString(), "width");
    row("sweep/values1", erase(sweepValues(0)), QString(), "0, 1, 10");
    row("sweep/values2", erase(sweepValues(1)), QString(), "4, 8");
    row("sweep/seeds", erase(sweepSeeds()), QString(), "1-3");
    row("sweep/threads", erase(sweepThreads()), std::max(1, QThread::idealThreadCount()), 3);
    row("sweep/lastKnobs", erase(lastSweepKnobs()), QStringList(), QStringList{"lr"});
    row("sweep/lastRuns", erase(lastSweepRuns()), QStringList(), paths);
}

void TestSettings::roundTripUnderTheOldKeys() {
    QFETCH(Accessor, setting);
    QFETCH(QVariant, fallback);
    QFETCH(QVariant, value);
    QVERIFY(!setting.isStored());
    QCOMPARE(setting.get(), fallback);

    setting.set(value);
    QVERIFY(setting.isStored());
    QCOMPARE(setting.get(), value);
    // On disk, under the key and as the plain QSettings of earlier versions read it back.
    QSettings().sync();
    const QSettings file(QSettings().fileName(), QSettings::IniFormat);
    QVERIFY2(file.contains(setting.key), qPrintable(file.allKeys().join(' ')));
    QCOMPARE(file.allKeys(), QStringList{setting.key});
    if (value.typeId() == QMetaType::QStringList)
        QCOMPARE(file.value(setting.key).toStringList(), value.toStringList());
    else
        QCOMPARE(file.value(setting.key).toString(), value.toString());
}

// The settings file stores every value as text, and a one-element list as a plain string:
// what a user's file holds reads back with the right types.
void TestSettings::valuesWrittenByAnEarlierVersionLoad() {
    QSettings().sync();
    QFile file(QSettings().fileName());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[baselines]\nn=12\n\n[presentation]\nscale=1.25\n\n"
               "[recent]\npaths=/only/one.json\n\n[view]\ntrainingPoints=true\n");
    file.close();
    QSettings().sync(); // reads the file again: it changed on disk
    QCOMPARE(settings::recentPaths().get(), QStringList{"/only/one.json"});
    QCOMPARE(settings::showTrainingPoints().get(), true);
    QCOMPARE(settings::presentationScale().get(), 1.25);
    QCOMPARE(settings::baselineDegree().get(), 12);
    QCOMPARE(settings::sweepThreads().get(5), 5); // not stored: the caller's fallback
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
