// SPDX-License-Identifier: GPL-3.0-or-later
#include "examples.h"

#include "core/problem/validate.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace sobolev;

// The example experiments shipped in resources/examples, read as File ▸ Examples reads them.
class TestExamples : public QObject {
    Q_OBJECT
  private slots:
    void shippedExamplesRead_data();
    void shippedExamplesRead();
    void referenceIsTheReferenceExperiment();
    void betaSweepHasItsForm();
    void badExampleRefused_data();
    void badExampleRefused();
};

namespace {

const QDir examplesDir(QStringLiteral(SOBOLEV_EXAMPLES_DIR));

} // namespace

void TestExamples::shippedExamplesRead_data() {
    QTest::addColumn<QString>("path");
    const QStringList names =
        examplesDir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 2);
    for (const QString& name : names)
        QTest::addRow("%s", qPrintable(name)) << examplesDir.filePath(name);
}

void TestExamples::shippedExamplesRead() {
    QFETCH(QString, path);
    const ExampleReadResult r = readExampleFile(path);
    QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
    QVERIFY(!r.example.title.isEmpty());
    QVERIFY(!r.example.description.isEmpty());
    QVERIFY(validate(r.example.config).empty());
}

void TestExamples::referenceIsTheReferenceExperiment() {
    const ExampleReadResult r =
        readExampleFile(examplesDir.filePath(QStringLiteral("01-reference.json")));
    QVERIFY(r.errors.isEmpty());
    QVERIFY(r.example.config == TrainConfig{});
    QVERIFY(!r.example.sweep);
}

void TestExamples::betaSweepHasItsForm() {
    const ExampleReadResult r =
        readExampleFile(examplesDir.filePath(QStringLiteral("02-beta-sweep.json")));
    QVERIFY(r.errors.isEmpty());
    QVERIFY(r.example.sweep);
    QCOMPARE(r.example.sweep->axes.size(), std::size_t(1));
    QCOMPARE(r.example.sweep->axes[0].first, Knob::Beta);
    QCOMPARE(r.example.sweep->axes[0].second, QStringLiteral("0, 0.1, 1, 10"));
    QCOMPARE(r.example.sweep->seeds, QStringLiteral("1-3"));
}

void TestExamples::badExampleRefused_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("named");
    const QByteArray experiment =
        R"("experiment": {"activation": "tanh", "alpha": 1, "batch_size": 64, "beta": 1, "depth": 2,
            "epochs": 1000, "grid_points": 1001, "learning_rate": 0.001, "n_train": 2048,
            "n_val": 512, "seed": 12345, "width": 64})";
    QTest::addRow("not json") << QByteArray("{") << QStringLiteral("not an example file");
    QTest::addRow("no title") << "{" + experiment + "}" << QStringLiteral("\"title\"");
    QTest::addRow("missing key") << QByteArray(R"({"title": "t", "experiment": {"beta": 1}})")
                                 << QStringLiteral("missing key \"alpha\"");
    QTest::addRow("unknown knob")
        << R"({"title": "t", )" + experiment +
               R"(, "sweep": {"axes": [{"knob": "gamma", "values": "1"}], "seeds": "1"}})"
        << QStringLiteral("unknown knob \"gamma\"");
    QTest::addRow("bad seeds") << R"({"title": "t", )" + experiment +
                                      R"(, "sweep": {"axes": [], "seeds": "one"}})"
                               << QStringLiteral("\"sweep.seeds\"");
}

void TestExamples::badExampleRefused() {
    QFETCH(QByteArray, json);
    QFETCH(QString, named);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("example.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    const ExampleReadResult r = readExampleFile(path);
    QVERIFY(!r.errors.isEmpty());
    QVERIFY2(r.errors.join(QLatin1Char('\n')).contains(named),
             qPrintable(r.errors.join(QLatin1Char('\n'))));
    QVERIFY(r.errors.constFirst().startsWith(path));
}

QTEST_GUILESS_MAIN(TestExamples)

#include "tst_examples.moc"
