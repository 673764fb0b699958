// SPDX-License-Identifier: GPL-3.0-or-later
#include "backgroundwork.h"
#include "core/config/knobregistry.h"
#include "core/problem/dataset.h"
#include "core/problem/validate.h"
#include "core/train/balance.h"
#include "datafilerow.h"
#include "logspinbox.h"
#include "panels/paneltestutil.h"
#include "parameterpanel.h"
#include "picturetestutil.h"
#include "textformat.h"
#include "translations.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

#include <QVBoxLayout>

#include <functional>
#include <limits>

using namespace sobolev;

using PanelEdit = std::function<void(ParameterPanel&)>;
Q_DECLARE_METATYPE(sobolev::TrainConfig)
Q_DECLARE_METATYPE(PanelEdit)

namespace sobolev {
// Lets QCOMPARE print both configs when they differ.
char* toString(const TrainConfig& c) {
    const QString text =
        QStringLiteral("{width %1, depth %2, activation %3, alpha %4, beta %5, learning_rate %6, "
                       "seed %7, epochs %8, batch_size %9, n_train %10, n_val %11, "
                       "grid_points %12}")
            .arg(c.width)
            .arg(c.depth)
            .arg(toQString(activationName(c.activation)))
            .arg(c.alpha, 0, 'g', 17)
            .arg(c.beta, 0, 'g', 17)
            .arg(c.learningRate, 0, 'g', 17)
            .arg(c.seed)
            .arg(c.epochs)
            .arg(c.batchSize)
            .arg(c.nTrain)
            .arg(c.nVal)
            .arg(c.gridPoints);
    return qstrdup(text.toUtf8().constData());
}
} // namespace sobolev

namespace {

const QStringList fieldKeys = {"width",      "depth",         "activation", "alpha",
                               "beta",       "learning_rate", "seed",       "epochs",
                               "batch_size", "n_train",       "n_val",      "grid_points",
                               "target",     "target_param",  "domain",     "sampling",
                               "noise_f",    "noise_fprime",  "data",       "data_validation"};

template <typename T> T* child(const ParameterPanel& panel, const QString& name) {
    return panel.findChild<T*>(name);
}

// Replaces the field's text the way a user would: select all, then type.
void typeInto(const ParameterPanel& panel, const QString& key, const QString& text) {
    QWidget* widget = child<QWidget>(panel, key);
    QVERIFY2(widget, qPrintable(key));
    if (auto* box = qobject_cast<QAbstractSpinBox*>(widget))
        box->selectAll();
    else if (auto* edit = qobject_cast<QLineEdit*>(widget))
        edit->selectAll();
    QTest::keyClicks(widget, text);
}

PanelEdit typing(const QString& key, const QString& text) {
    return [=](ParameterPanel& panel) { typeInto(panel, key, text); };
}

PanelEdit setting(const QString& key, double value) {
    return [=](ParameterPanel& panel) {
        if (auto* box = child<QSpinBox>(panel, key))
            box->setValue(int(value));
        else if (auto* box = child<QDoubleSpinBox>(panel, key))
            box->setValue(value);
        else
            QFAIL(qPrintable("no spin box " + key));
    };
}

PanelEdit targetText(const QString& text) {
    return [=](ParameterPanel& panel) {
        child<QComboBox>(panel, "target")->setEditText(text);
        QVERIFY(testutil::waitForTargetCheck(panel));
    };
}

PanelEdit paramText(const QString& text) {
    return [=](ParameterPanel& panel) { child<QLineEdit>(panel, "target_param")->setText(text); };
}

PanelEdit seedText(const QString& text) {
    return [=](ParameterPanel& panel) { child<QLineEdit>(panel, "seed")->setText(text); };
}

PanelEdit both(PanelEdit first, PanelEdit second) {
    return [=](ParameterPanel& panel) {
        first(panel);
        second(panel);
    };
}

TrainConfig with(const std::function<void(TrainConfig&)>& change) {
    TrainConfig config;
    change(config);
    return config;
}

} // namespace

class TestParameterPanel : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { installTranslations(QCoreApplication::instance()); }
    void everyFieldHasANamedWidgetWithTooltip_data();
    void everyFieldHasANamedWidgetWithTooltip();
    void startsAtReferenceAndValid();
    void balanceRulesAndTheirParameters();
    void analyticShowsItsRatio();
    void activationOffersAll();
    void roundTrip_data();
    void roundTrip();
    void compactText_data();
    void compactText();
    void typedText_data();
    void typedText();
    void stepMultipliesByTen_data();
    void stepMultipliesByTen();
    void arrowKeysStep();
    void invalidInputIsMarked_data();
    void invalidInputIsMarked();
    void problemOfNoFieldIsListedBelow();
    void typedTextStaysWhenLeft_data();
    void typedTextStaysWhenLeft();
    void arrowOnUnreadableTextReverts();
    void userEditEmitsConfigChanged();
    void restoreReference();
    void newSeed();
    void destroyedWhileEditing();
    void targetShowsItsDerivative();
    void slowTargetCheckLeavesTypingFluid();
    void presetSetsItsDomain();
    void batchAboveNTrainIsANote();
    void targetGroupIsDrawn();
    void dataFileReplacesTheTarget_data();
    void dataFileReplacesTheTarget();
    void millionRowCsvLoadsInTheBackground();
    void cancelledLoadChangesNothing();
    void wheelScrollsTheFormNotTheFieldUnderIt_data();
    void wheelScrollsTheFormNotTheFieldUnderIt();
};

void TestParameterPanel::targetGroupIsDrawn() {
    ParameterPanel panel;
    targetText("sin(3*x)*exp(-x^2)")(panel);
    setting("n_train", 15)(panel);
    panel.resize(360, panel.sizeHint().height());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QImage image = panel.grab().toImage();
    QTemporaryDir dir;
    testutil::keepImagesIfAsked(dir);
    image.save(dir.filePath("panel-target.png"));
    // The derivative under the field and the batch note are drawn, in the panel's width.
    for (const char* name : {"derivativeLabel", "notesLabel"}) {
        auto* label = child<QLabel>(panel, name);
        QVERIFY(label && label->isVisible());
        const QRect area(label->mapTo(&panel, QPoint(0, 0)), label->size());
        QVERIFY2(panel.rect().contains(area), name);
        const qreal dpr = image.devicePixelRatio();
        const QRect pixels(area.topLeft() * dpr, area.size() * dpr);
        QVERIFY2(testutil::darkPixels(image, pixels) > 20, name);
    }
}

// The Data file choice: a good file shows its name, rows and f' and replaces the target
// (whose fields are then disabled); a bad one is refused with line and column and changes
// nothing.
void TestParameterPanel::dataFileReplacesTheTarget_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("error");
    QTest::addRow("f' on every row") << QByteArray("x,f,fprime\n0,1,2\n1,2,3\n2,0,1\n")
                                     << "samples.csv: 3 rows, f′ on every row" << QString();
    QTest::addRow("f' on some rows") << QByteArray("x,f,df\n0,1,2\n1,2,\n2,0,\n")
                                     << "samples.csv: 3 rows, f′ on 1 of them" << QString();
    QTest::addRow("no f'") << QByteArray("0,1\n1,2\n") << "samples.csv: 2 rows, no f′" << QString();
    QTest::addRow("bad cell") << QByteArray("x,f\n0,1\n1,x2\n") << "No data file"
                              << "samples.csv: line 3, column 2: f is not a number: \"x2\"";
}

namespace {

// x, f, f' of Runge at n equispaced x in [-1, 1], each with 17 digits: 61 MB for a million.
QString writeRungeCsv(const QTemporaryDir& dir, int n) {
    const QString path = dir.filePath(QStringLiteral("runge-%1.csv").arg(n));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray text = "x,f,fprime\n";
    text.reserve(qsizetype(n) * 64);
    for (int i = 0; i < n; ++i) {
        const double x = -1 + 2.0 * i / (n - 1), d = 1 + 25 * x * x;
        text += QByteArray::number(x, 'g', 17) + ',' + QByteArray::number(1 / d, 'g', 17) + ',' +
                QByteArray::number(-50 * x / (d * d), 'g', 17) + '\n';
    }
    file.write(text);
    return path;
}

// The largest delay, in ms, with which the GUI thread served a 5 ms timer while `until` was
// false.
qint64 worstEventDelay(const std::function<bool()>& until) {
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer ticker;
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        worst = std::max(worst, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    ticker.start();
    QTest::qWaitFor(until, 120'000);
    return worst;
}

} // namespace

// A million rows take seconds to read: the panel reads them on a worker thread, shows a
// progress dialog and keeps serving events.
void TestParameterPanel::millionRowCsvLoadsInTheBackground() {
    QTemporaryDir dir;
    const QString path = writeRungeCsv(dir, limits::maxSamples);
    QVERIFY(!path.isEmpty());
    ParameterPanel panel;
    panel.show();
    auto* row = child<DataFileRow>(panel, "data");
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    QElapsedTimer clock;
    clock.start();
    row->loadFileInBackground(path);
    auto* work = panel.findChild<BackgroundWork*>();
    QVERIFY(work);
    QSignalSpy shown(work, &BackgroundWork::dialogShown);
    const qint64 worst = worstEventDelay([&] { return changed.count() > 0; });
    const qint64 took = clock.elapsed();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(panel.config().measured->rows(), limits::maxSamples);
    QCOMPARE(panel.config().measured->rowsWithFprime(), limits::maxSamples);
    qInfo("a million rows read in %lld ms; the GUI thread's largest delay meanwhile: %lld ms", took,
          worst);
    if (took > 2 * BackgroundWork::dialogDelayMs)
        QCOMPARE(shown.count(), 1);
    QVERIFY2(worst < took / 2, qPrintable(QStringLiteral("%1 of %2 ms").arg(worst).arg(took)));
}

void TestParameterPanel::cancelledLoadChangesNothing() {
    QTemporaryDir dir;
    const QString path = writeRungeCsv(dir, limits::maxSamples);
    ParameterPanel panel;
    panel.show();
    auto* row = child<DataFileRow>(panel, "data");
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    row->loadFileInBackground(path);
    auto* work = panel.findChild<BackgroundWork*>();
    QVERIFY(work);
    QSignalSpy shown(work, &BackgroundWork::dialogShown);
    QVERIFY(shown.wait(60'000));
    QVERIFY(work->dialog()->isVisible());
    QVERIFY(!work->dialog()->labelText().isEmpty());
    work->dialog()->cancel();
    QTest::qWait(50);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!panel.config().measured);
}

void TestParameterPanel::dataFileReplacesTheTarget() {
    QFETCH(QByteArray, content);
    QFETCH(QString, summary);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath("samples.csv");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    ParameterPanel panel;
    auto* row = child<DataFileRow>(panel, "data");
    QVERIFY(row);
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    const QStringList errors = row->loadFile(path);
    auto* label = child<QLabel>(panel, "dataSummary");
    QVERIFY2(label->text().startsWith(summary), qPrintable(label->text()));
    if (!error.isEmpty()) {
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].contains(error), qPrintable(errors[0]));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!panel.config().measured);
        QVERIFY(child<QComboBox>(panel, "target")->isEnabled());
        return;
    }
    QVERIFY(errors.isEmpty());
    QCOMPARE(changed.count(), 1);
    const TrainConfig config = panel.config();
    QVERIFY(config.measured);
    QCOMPARE(QString::fromStdString(config.data), QFileInfo(path).absoluteFilePath());
    QCOMPARE(config.dataSha256.size(), std::size_t(64));
    QVERIFY(panel.isValid());
    QVERIFY(!child<QComboBox>(panel, "target")->isEnabled());
    QVERIFY(!child<QSpinBox>(panel, "n_train")->isEnabled());
    // The validation share is a field of its own, and setConfig() shows the data again.
    setting("data_validation", 0.25)(panel);
    QCOMPARE(panel.config().dataValidation, 0.25);
    ParameterPanel other;
    other.setConfig(panel.config());
    QVERIFY(other.config() == panel.config());
    // Back to the target.
    child<QToolButton>(panel, "dataClearButton")->click();
    QVERIFY(!panel.config().measured);
    QVERIFY(panel.config().data.empty());
    QVERIFY(child<QComboBox>(panel, "target")->isEnabled());
}

void TestParameterPanel::targetShowsItsDerivative() {
    ParameterPanel panel;
    auto* label = child<QLabel>(panel, "derivativeLabel");
    QVERIFY(label);
    QVERIFY2(label->text().startsWith(QStringLiteral("f′(x) = ")), qPrintable(label->text()));
    targetText("x^3")(panel);
    QCOMPARE(label->text(), QStringLiteral("f′(x) = 3*x^2"));
    QCOMPARE(panel.config().target, std::string("x^3"));
    targetText("abs(x)")(panel);
    QCOMPARE(label->text(), QStringLiteral("f′(x) = sign(x)"));
}

// A formula whose check takes seconds (three million points, each a chain of exp and sin) is
// typed a character at a time while a 5 ms timer measures how late the GUI thread serves it.
// Had the check run on the GUI thread, the largest delay would be the whole check.
void TestParameterPanel::slowTargetCheckLeavesTypingFluid() {
    ParameterPanel panel;
    TrainConfig c;
    c.nTrain = c.nVal = c.gridPoints = limits::maxSamples;
    panel.setConfig(c);
    auto* label = child<QLabel>(panel, "derivativeLabel");
    QLineEdit* edit = child<QComboBox>(panel, "target")->lineEdit();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);

    QElapsedTimer clock;
    qint64 lastTick = 0, worstDelay = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worstDelay = std::max(worstDelay, now - lastTick);
        lastTick = now;
    });
    clock.start();
    ticker.start();
    const QString formula = QStringLiteral(
        "exp(sin(exp(sin(exp(sin(x))))))+exp(sin(exp(sin(exp(sin(2*x))))))+exp(sin(3*x))");
    for (const QChar ch : formula) {
        QTest::keyClicks(edit, QString(ch));
        QTest::qWait(20);
    }
    QCOMPARE(panel.config().target, formula.toStdString());
    const qint64 typed = clock.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), QStringLiteral("f′(x): working it out…"), 60'000);
    QVERIFY(!panel.isValid());
    QVERIFY(testutil::waitForTargetCheck(panel));
    const qint64 checked = clock.elapsed() - typed;
    ticker.stop();
    QVERIFY(panel.isValid());
    QVERIFY2(label->text().startsWith(QStringLiteral("f′(x) = ")) &&
                 label->text().contains(QStringLiteral("cos(x)")),
             qPrintable(label->text()));
    qInfo("largest GUI-thread delay while typing and checking: %lld ms; the check after the last "
          "key: %lld ms",
          worstDelay, checked);
    QVERIFY2(worstDelay < checked / 2,
             qPrintable(QStringLiteral("delay %1 ms, check %2 ms").arg(worstDelay).arg(checked)));
}

void TestParameterPanel::presetSetsItsDomain() {
    ParameterPanel panel;
    auto* combo = child<QComboBox>(panel, "target");
    const int pinn = combo->findText("pinn");
    QVERIFY(pinn >= 0);
    combo->setCurrentIndex(pinn);
    emit combo->activated(pinn); // as a user's choice from the list
    QCOMPARE(panel.config().target, std::string("pinn"));
    QCOMPARE(panel.config().domainMin, 0.0);
    QCOMPARE(panel.config().domainMax, 1.0);
    QVERIFY(!child<QLineEdit>(panel, "target_param")->isEnabled()); // pinn has no parameter
    QVERIFY(panel.isValid());
}

void TestParameterPanel::batchAboveNTrainIsANote() {
    ParameterPanel panel;
    auto* note = child<QLabel>(panel, "notesLabel");
    QVERIFY(note);
    QVERIFY(note->isHidden());
    setting("n_train", 15)(panel);
    QVERIFY(panel.isValid()); // not a problem: training uses batches of 15
    QVERIFY(!note->isHidden());
    QVERIFY2(note->text().contains("batches of 15"), qPrintable(note->text()));
    setting("n_train", 2048)(panel);
    QVERIFY(note->isHidden());
}

void TestParameterPanel::everyFieldHasANamedWidgetWithTooltip_data() {
    QTest::addColumn<QString>("key");
    for (const QString& key : fieldKeys + QStringList{"newSeedButton", "referenceButton"})
        QTest::addRow("%s", qPrintable(key)) << key;
}

void TestParameterPanel::everyFieldHasANamedWidgetWithTooltip() {
    QFETCH(QString, key);
    ParameterPanel panel;
    QWidget* widget = child<QWidget>(panel, key);
    QVERIFY(widget);
    QVERIFY(!widget->toolTip().isEmpty());
    if (fieldKeys.contains(key) && key != "activation")
        QVERIFY2(widget->toolTip().contains("Allowed:"), qPrintable(widget->toolTip()));
}

void TestParameterPanel::startsAtReferenceAndValid() {
    ParameterPanel panel;
    QCOMPARE(panel.config(), TrainConfig{});
    QVERIFY(panel.isValid());
    QVERIFY(panel.problems().isEmpty());
    QVERIFY(child<QLabel>(panel, "problemsLabel")->isHidden());
}

void TestParameterPanel::activationOffersAll() {
    ParameterPanel panel;
    auto* combo = child<QComboBox>(panel, "activation");
    QVERIFY(combo);
    QCOMPARE(combo->count(), int(allActivations().size()));
    for (Activation activation : allActivations())
        QVERIFY(combo->findText(toQString(activationName(activation))) >= 0);
}

void TestParameterPanel::roundTrip_data() {
    QTest::addColumn<TrainConfig>("config");
    QTest::addRow("width") << with([](TrainConfig& c) { c.width = 7; });
    QTest::addRow("width max") << with([](TrainConfig& c) { c.width = limits::maxWidth; });
    QTest::addRow("depth") << with([](TrainConfig& c) { c.depth = 5; });
    QTest::addRow("activation sin") << with([](TrainConfig& c) { c.activation = Activation::Sin; });
    QTest::addRow("activation softplus")
        << with([](TrainConfig& c) { c.activation = Activation::Softplus; });
    QTest::addRow("alpha") << with([](TrainConfig& c) { c.alpha = 0.25; });
    QTest::addRow("alpha 0") << with([](TrainConfig& c) { c.alpha = 0; });
    QTest::addRow("alpha max") << with([](TrainConfig& c) { c.alpha = limits::maxLossWeight; });
    QTest::addRow("beta tiny") << with([](TrainConfig& c) { c.beta = 1.2345678901234567e-9; });
    QTest::addRow("beta third") << with([](TrainConfig& c) { c.beta = 1.0 / 3.0; });
    QTest::addRow("learning_rate") << with([](TrainConfig& c) { c.learningRate = 3e-4; });
    QTest::addRow("learning_rate many digits")
        << with([](TrainConfig& c) { c.learningRate = 0.000123456789012345; });
    QTest::addRow("learning_rate max") << with([](TrainConfig& c) { c.learningRate = 1; });
    QTest::addRow("seed 0") << with([](TrainConfig& c) { c.seed = 0; });
    QTest::addRow("seed max") << with(
        [](TrainConfig& c) { c.seed = std::numeric_limits<std::uint64_t>::max(); });
    QTest::addRow("epochs") << with([](TrainConfig& c) { c.epochs = limits::maxEpochs; });
    QTest::addRow("batch_size") << with([](TrainConfig& c) { c.batchSize = 3; });
    QTest::addRow("n_train") << with([](TrainConfig& c) { c.nTrain = 100; });
    QTest::addRow("n_val") << with([](TrainConfig& c) { c.nVal = 1; });
    QTest::addRow("grid_points") << with([](TrainConfig& c) { c.gridPoints = 2; });
    QTest::addRow("everything") << with([](TrainConfig& c) {
        c = {17, 3, Activation::Softplus, 0.5, 2e3, 0.02, 99, 10, 8, 40, 30, 51};
    });
    // The panel shows invalid combinations too, so that they can be marked and fixed.
    QTest::addRow("batch above n_train") << with([](TrainConfig& c) { c.batchSize = 5000; });
    QTest::addRow("formula, domain, chebyshev, noise") << with([](TrainConfig& c) {
        c.target = "sin(3*x)*exp(-x^2)";
        c.domainMin = -2;
        c.domainMax = 2;
        c.sampling = Sampling::Chebyshev;
        c.noiseF = 0.01;
        c.noiseFprime = 0.5;
    });
    QTest::addRow("preset with a parameter") << with([](TrainConfig& c) {
        c.target = "tanh";
        c.targetParam = 20;
        c.sampling = Sampling::Equispaced;
    });
}

void TestParameterPanel::roundTrip() {
    QFETCH(TrainConfig, config);
    ParameterPanel panel;
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    panel.setConfig(config);
    QCOMPARE(panel.config(), config);
    QCOMPARE(changed.count(), 1);
    QVERIFY(testutil::waitForTargetCheck(panel));
    QCOMPARE(panel.isValid(), validate(config).empty());
    QCOMPARE(child<QLineEdit>(panel, "seed")->text(), QString::number(config.seed));
}

void TestParameterPanel::compactText_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::addRow("0.001") << 0.001 << "0.001";
    QTest::addRow("1e-6") << 1e-6 << "1e-06";
    QTest::addRow("5") << 5.0 << "5";
    QTest::addRow("0") << 0.0 << "0";
    QTest::addRow("250") << 250.0 << "250";
    QTest::addRow("1e12") << 1e12 << "1e+12";
}

void TestParameterPanel::compactText() {
    QFETCH(double, value);
    QFETCH(QString, text);
    ParameterPanel panel;
    auto* alpha = child<LogSpinBox>(panel, "alpha");
    alpha->setValue(value);
    QCOMPARE(alpha->text(), text);
}

void TestParameterPanel::typedText_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<TrainConfig>("expected");
    QTest::addRow("learning_rate 1e-2")
        << "learning_rate"
        << "1e-2" << with([](TrainConfig& c) { c.learningRate = 0.01; });
    QTest::addRow("learning_rate 2.5E-4")
        << "learning_rate"
        << "2.5E-4" << with([](TrainConfig& c) { c.learningRate = 2.5e-4; });
    QTest::addRow("learning_rate 0.5")
        << "learning_rate"
        << "0.5" << with([](TrainConfig& c) { c.learningRate = 0.5; });
    QTest::addRow("alpha 2.5E2") << "alpha"
                                 << "2.5E2" << with([](TrainConfig& c) { c.alpha = 250; });
    QTest::addRow("alpha 0") << "alpha"
                             << "0" << with([](TrainConfig& c) { c.alpha = 0; });
    QTest::addRow("beta 1e12") << "beta"
                               << "1e12" << with([](TrainConfig& c) { c.beta = 1e12; });
    QTest::addRow("width 128") << "width"
                               << "128" << with([](TrainConfig& c) { c.width = 128; });
    QTest::addRow("n_train 100") << "n_train"
                                 << "100" << with([](TrainConfig& c) { c.nTrain = 100; });
    QTest::addRow("seed max") << "seed"
                              << "18446744073709551615" << with([](TrainConfig& c) {
                                     c.seed = std::numeric_limits<std::uint64_t>::max();
                                 });
}

void TestParameterPanel::typedText() {
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(TrainConfig, expected);
    ParameterPanel panel;
    typeInto(panel, key, text);
    QCOMPARE(panel.config(), expected);
    QVERIFY2(panel.isValid(), qPrintable(panel.problems().join('\n')));
}

void TestParameterPanel::stepMultipliesByTen_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<double>("start");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("expected");
    QTest::addRow("learning_rate up") << "learning_rate" << 1e-3 << 1 << 1e-2;
    QTest::addRow("learning_rate down") << "learning_rate" << 1e-3 << -1 << 1e-4;
    QTest::addRow("learning_rate up 2") << "learning_rate" << 1e-3 << 2 << 0.1;
    QTest::addRow("learning_rate 3e-3 up") << "learning_rate" << 3e-3 << 1 << 0.03;
    QTest::addRow("learning_rate stops at max") << "learning_rate" << 0.5 << 1 << 1.0;
    QTest::addRow("learning_rate stops at floor") << "learning_rate" << 1e-6 << -1 << 1e-6;
    QTest::addRow("alpha up") << "alpha" << 1.0 << 1 << 10.0;
    QTest::addRow("alpha down 3") << "alpha" << 1.0 << -3 << 1e-3;
    QTest::addRow("alpha floor to 0") << "alpha" << 1e-3 << -1 << 0.0;
    QTest::addRow("alpha 0 up") << "alpha" << 0.0 << 1 << 1e-3;
    QTest::addRow("alpha 0 down") << "alpha" << 0.0 << -1 << 0.0;
    QTest::addRow("beta down") << "beta" << 0.5 << -1 << 0.05;
    QTest::addRow("beta stops at max")
        << "beta" << limits::maxLossWeight << 1 << limits::maxLossWeight;
}

void TestParameterPanel::stepMultipliesByTen() {
    QFETCH(QString, key);
    QFETCH(double, start);
    QFETCH(int, steps);
    QFETCH(double, expected);
    ParameterPanel panel;
    auto* box = child<LogSpinBox>(panel, key);
    QVERIFY(box);
    box->setValue(start);
    box->stepBy(steps);
    // Exact: stepping must land on the decimal value, not next to it.
    QCOMPARE(box->value(), expected);
    QVERIFY(box->value() == expected);
}

void TestParameterPanel::arrowKeysStep() {
    ParameterPanel panel;
    auto* rate = child<LogSpinBox>(panel, "learning_rate");
    QTest::keyClick(rate, Qt::Key_Up);
    QCOMPARE(panel.config().learningRate, 1e-2);
    QTest::keyClick(rate, Qt::Key_Down);
    QTest::keyClick(rate, Qt::Key_Down);
    QCOMPARE(panel.config().learningRate, 1e-4);
}

void TestParameterPanel::invalidInputIsMarked_data() {
    // Each fix is typed so that no keystroke passes through an unreadable state ("1e" on the way
    // to "1e-3" is one), which would rightly flip validity again and spoil the signal count.
    QTest::addColumn<PanelEdit>("breakIt");
    QTest::addColumn<PanelEdit>("fixIt");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("name");
    QTest::addRow("alpha and beta 0")
        << both(setting("alpha", 0), setting("beta", 0)) << setting("beta", 1) << "beta"
        << "Beta";
    QTest::addRow("alpha and beta typed 0")
        << both(typing("beta", "0"), typing("alpha", "0")) << typing("alpha", "0.5") << "beta"
        << "Beta";
    QTest::addRow("target unknown name") << targetText("x + y") << targetText("sin(x)") << "target"
                                         << "Target";
    QTest::addRow("target undefined at 0")
        << targetText("1/x") << targetText("1/(1+x^2)") << "target"
        << "Target";
    QTest::addRow("target_param 0") << paramText("0") << paramText("") << "target_param"
                                    << "Parameter";
    QTest::addRow("target_param text") << paramText("abc") << paramText("3") << "target_param"
                                       << "Parameter";
    QTest::addRow("domain reversed")
        << setting("domain_min", 2) << setting("domain_min", -1) << "domain"
        << "Domain";
    QTest::addRow("learning_rate abc")
        << typing("learning_rate", "abc") << typing("learning_rate", "0.01") << "learning_rate"
        << "Learning rate";
    QTest::addRow("learning_rate 0")
        << typing("learning_rate", "0") << typing("learning_rate", "0.01") << "learning_rate"
        << "Learning rate";
    QTest::addRow("learning_rate above 1")
        << typing("learning_rate", "5") << typing("learning_rate", "0.5") << "learning_rate"
        << "Learning rate";
    QTest::addRow("learning_rate incomplete")
        << typing("learning_rate", "1e-") << typing("learning_rate", "0.0001") << "learning_rate"
        << "Learning rate";
    QTest::addRow("seed -5") << seedText("-5") << seedText("5") << "seed"
                             << "Seed";
    QTest::addRow("seed typed abc") << typing("seed", "abc") << typing("seed", "42") << "seed"
                                    << "Seed";
    QTest::addRow("seed 2^64") << seedText("18446744073709551616") << seedText("1") << "seed"
                               << "Seed";
    QTest::addRow("seed empty") << seedText("") << seedText("7") << "seed"
                                << "Seed";
    QTest::addRow("width 0") << typing("width", "0") << typing("width", "16") << "width"
                             << "Width";
    QTest::addRow("width cleared")
        << PanelEdit([](ParameterPanel& panel) { child<QSpinBox>(panel, "width")->clear(); })
        << typing("width", "8") << "width"
        << "Width";
}

void TestParameterPanel::invalidInputIsMarked() {
    QFETCH(PanelEdit, breakIt);
    QFETCH(PanelEdit, fixIt);
    QFETCH(QString, key);
    QFETCH(QString, name);
    ParameterPanel panel;
    QSignalSpy validity(&panel, &ParameterPanel::validityChanged);
    auto* label = child<QLabel>(panel, "problemsLabel");
    QWidget* field = child<QWidget>(panel, key);
    auto* message = child<QLabel>(panel, key + "_message");
    QVERIFY(label && field && message);
    const QString help = field->toolTip();
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(message->isHidden());

    breakIt(panel);
    QVERIFY(!panel.isValid());
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.last().at(0).toBool(), false);
    QCOMPARE(panel.problems().size(), 1);
    QVERIFY(panel.problems().first().startsWith(name + ": "));
    // The reason is under the field, without the field's name, in the panel's width; the list
    // below the form is for problems no field owns.
    QVERIFY(message->isVisible());
    QCOMPARE(message->text(), panel.problems().first().mid(name.size() + 2));
    const QRect messageArea(message->mapTo(&panel, QPoint(0, 0)), message->size());
    const QRect fieldArea(field->mapTo(&panel, QPoint(0, 0)), field->size());
    QVERIFY(messageArea.top() >= fieldArea.bottom());
    QVERIFY(messageArea.top() - fieldArea.bottom() < 2 * field->height());
    QVERIFY(panel.rect().contains(messageArea));
    QVERIFY(label->isHidden());
    QVERIFY(field->property("invalid").toBool());
    QVERIFY2(field->toolTip().startsWith(panel.problems().first()), qPrintable(field->toolTip()));
    for (const QString& other : fieldKeys)
        if (other != key)
            QVERIFY2(!child<QWidget>(panel, other)->property("invalid").toBool(),
                     qPrintable(other));

    fixIt(panel);
    QVERIFY2(panel.isValid(), qPrintable(panel.problems().join('\n')));
    QCOMPARE(validity.count(), 2);
    QCOMPARE(validity.last().at(0).toBool(), true);
    QVERIFY(label->isHidden());
    QVERIFY(message->isHidden());
    QVERIFY(!field->property("invalid").toBool());
    QCOMPARE(field->toolTip(), help);
}

// A problem that no field owns (a planned change beyond the run's epochs) is listed below the
// form.
void TestParameterPanel::problemOfNoFieldIsListedBelow() {
    ParameterPanel panel;
    TrainConfig config;
    config.changes.push_back({5000, 1, Knob::Beta, 10});
    panel.setConfig(config);
    QVERIFY(!panel.isValid());
    auto* label = child<QLabel>(panel, "problemsLabel");
    QVERIFY(!label->isHidden());
    QVERIFY2(label->text().contains("5000"), qPrintable(label->text()));
    for (QLabel* message : panel.findChildren<QLabel*>(QRegularExpression("_message$")))
        QVERIFY2(message->isHidden(), qPrintable(message->objectName()));
}

void TestParameterPanel::typedTextStaysWhenLeft_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QKeySequence>("leave"); // empty: the focus moves on (Tab)
    const QString range = "must be a whole number from %1 to %2; got \"%3\"";
    QTest::addRow("width 2000, Tab")
        << "width"
        << "2000"
        << "Width: " + range.arg(1).arg(QLocale().toString(1024), "2000") << QKeySequence();
    QTest::addRow("width 2000, Return")
        << "width"
        << "2000"
        << "Width: " + range.arg(1).arg(QLocale().toString(1024), "2000")
        << QKeySequence(Qt::Key_Return);
    QTest::addRow("depth letters") << "depth"
                                   << "2x"
                                   << "Depth: " + range.arg(1).arg(8).arg("2x") << QKeySequence();
    QTest::addRow("epochs letters only")
        << "epochs"
        << "abc"
        << "Epochs: " + range.arg(1).arg(QLocale().toString(1000000), "abc") << QKeySequence();
    QTest::addRow("learning rate letters, Tab")
        << "learning_rate"
        << "abc"
        << "Learning rate: must be a number greater than 0 and at "
           "most 1; got \"abc\""
        << QKeySequence();
    QTest::addRow("learning rate letters, Return")
        << "learning_rate"
        << "0.5x"
        << "Learning rate: must be a number greater than 0 and at "
           "most 1; got \"0.5x\""
        << QKeySequence(Qt::Key_Return);
}

void TestParameterPanel::typedTextStaysWhenLeft() {
    QFETCH(QString, key);
    QFETCH(QString, typed);
    QFETCH(QString, problem);
    QFETCH(QKeySequence, leave);
    // A window with a second field to move the focus to, as Tab does.
    QWidget window;
    auto* panel = new ParameterPanel(&window);
    auto* elsewhere = new QLineEdit(&window);
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(panel);
    layout->addWidget(elsewhere);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* box = child<QAbstractSpinBox>(*panel, key);
    QVERIFY(box);
    box->setFocus();
    QTRY_VERIFY(box->hasFocus());
    typeInto(*panel, key, typed);
    QCOMPARE(box->text(), typed); // every keystroke shows, none is refused silently
    if (leave.isEmpty())
        elsewhere->setFocus();
    else
        QTest::keySequence(box, leave);
    QTRY_VERIFY(!leave.isEmpty() || !box->hasFocus());
    // Not reverted, not cut short: still what was typed, marked with the allowed range.
    QCOMPARE(box->text(), typed);
    QVERIFY(!panel->isValid());
    QCOMPARE(panel->problems(), QStringList{problem});
    QVERIFY(box->property("invalid").toBool());
}

void TestParameterPanel::arrowOnUnreadableTextReverts() {
    ParameterPanel panel;
    QSignalSpy validity(&panel, &ParameterPanel::validityChanged);
    // An arrow on text QSpinBox cannot read steps from the last good value, without a signal.
    auto* width = child<QSpinBox>(panel, "width");
    width->clear();
    QVERIFY(!panel.isValid());
    QTest::keyClick(width, Qt::Key_Up);
    QVERIFY(panel.isValid());
    // The marks catch up once the key event has been handled.
    QTRY_VERIFY(child<QLabel>(panel, "width_message")->isHidden());
    QVERIFY(!width->property("invalid").toBool());
    QCOMPARE(validity.count(), 2);
}

void TestParameterPanel::userEditEmitsConfigChanged() {
    ParameterPanel panel;
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    child<QComboBox>(panel, "activation")->setCurrentIndex(1);
    QCOMPARE(changed.count(), 1);
    typeInto(panel, "seed", "7");
    QCOMPARE(changed.count(), 2);
    QCOMPARE(panel.config().seed, 7u);
    // Text that does not parse leaves config() alone, so no configChanged for it.
    typeInto(panel, "seed", "x");
    QCOMPARE(changed.count(), 2);
    QCOMPARE(panel.config().seed, 7u);
}

void TestParameterPanel::restoreReference() {
    ParameterPanel panel;
    panel.setConfig({17, 3, Activation::Sin, 0, 0, 0.5, 1, 10, 8, 4, 30, 51});
    typeInto(panel, "learning_rate", "abc");
    QVERIFY(!panel.isValid());
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    QTest::mouseClick(child<QPushButton>(panel, "referenceButton"), Qt::LeftButton);
    QCOMPARE(panel.config(), TrainConfig{});
    QCOMPARE(changed.count(), 1);
    QVERIFY(panel.isValid());
    QVERIFY(child<QLabel>(panel, "problemsLabel")->isHidden());
    QCOMPARE(child<LogSpinBox>(panel, "learning_rate")->text(), QString("0.001"));
}

void TestParameterPanel::newSeed() {
    ParameterPanel panel;
    QSignalSpy changed(&panel, &ParameterPanel::configChanged);
    const std::uint64_t before = panel.config().seed;
    QTest::mouseClick(child<QToolButton>(panel, "newSeedButton"), Qt::LeftButton);
    const std::uint64_t after = panel.config().seed;
    QVERIFY(after != before);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(child<QLineEdit>(panel, "seed")->text(), QString::number(after));
    panel.newSeed();
    QVERIFY(panel.config().seed != after);
    QVERIFY(panel.isValid());
}

void TestParameterPanel::destroyedWhileEditing() {
    // A focused spin box emits editingFinished while QWidget deletes it, after the panel's
    // own destructor has run. That must not reach the dead panel: its slot would read freed
    // members, crash or emit configChanged / validityChanged from a half-destroyed object.
    // The check is on signals, not on the Q_ASSERT that Qt makes in debug builds only.
    auto* panel = new ParameterPanel;
    panel->show();
    QVERIFY(QTest::qWaitForWindowActive(panel));
    auto* rate = child<LogSpinBox>(*panel, "learning_rate");
    rate->setFocus();
    QTRY_VERIFY(rate->hasFocus());
    typeInto(*panel, "learning_rate", "abc");
    QVERIFY(!panel->isValid());

    // Counted from the test object, which outlives the panel; `dying` is set just before
    // the delete so that only what happens during it counts.
    bool dying = false;
    int finishedWhileDying = 0, panelSignalsWhileDying = 0;
    connect(rate, &QAbstractSpinBox::editingFinished, this, [&] { finishedWhileDying += dying; });
    connect(panel, &ParameterPanel::validityChanged, this,
            [&] { panelSignalsWhileDying += dying; });
    connect(panel, &ParameterPanel::configChanged, this, [&] { panelSignalsWhileDying += dying; });
    dying = true;
    delete panel;
    // The case this test is about did happen: the spin box spoke while being deleted ...
    QVERIFY(finishedWhileDying >= 1);
    // ... and the panel said nothing after its destructor.
    QCOMPARE(panelSignalsWhileDying, 0);
}

namespace {
void turnWheel(QWidget* widget) {
    const QPointF at(widget->width() / 2.0, widget->height() / 2.0);
    QWheelEvent wheel(at, widget->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &wheel);
}
} // namespace

void TestParameterPanel::wheelScrollsTheFormNotTheFieldUnderIt_data() {
    QTest::addColumn<QString>("field");
    QTest::newRow("spin box") << "width";
    QTest::newRow("log spin box") << "learning_rate";
    QTest::newRow("combo box") << "activation";
}

// Scrolling a tall form with the wheel passes fields under the pointer; none of them may
// change, until the user has clicked or tabbed into one.
void TestParameterPanel::wheelScrollsTheFormNotTheFieldUnderIt() {
    QFETCH(QString, field);
    QScrollArea area;
    auto* panel = new ParameterPanel;
    area.setWidget(panel);
    area.setWidgetResizable(true);
    area.resize(400, 200);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    auto* widget = panel->findChild<QWidget*>(field);
    QVERIFY(widget);
    area.ensureWidgetVisible(widget);
    const TrainConfig before = panel->config();
    const int scrolled = area.verticalScrollBar()->value();
    turnWheel(widget);
    QCOMPARE(panel->config(), before);
    QVERIFY(area.verticalScrollBar()->value() != scrolled);

    widget->setFocus();
    QTRY_VERIFY(widget->hasFocus());
    turnWheel(widget);
    QTRY_VERIFY(panel->config() != before); // a field the user chose takes the wheel
}

// The Loss group's balancing rule: a dropdown of the registry's rules, and each rule's
// parameters shown only while it is chosen, with the registry's help; the choice reaches the
// config.
void TestParameterPanel::balanceRulesAndTheirParameters() {
    ParameterPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* balance = panel.findChild<QComboBox*>("balance");
    QVERIFY(balance);
    QStringList offered;
    for (int i = 0; i < balance->count(); ++i)
        offered << balance->itemText(i);
    QStringList rules;
    for (const std::string& name : knobInfo(Knob::Balance).choices())
        rules << QString::fromStdString(name);
    QCOMPARE(offered, rules);
    QCOMPARE(balance->currentText(), QStringLiteral("off"));
    QVERIFY(balance->toolTip().contains(QString::fromUtf8(knobInfo(Knob::Balance).help)));
    const QStringList parameters = {"balance_every",  "lra_rate",      "relobralo_alpha",
                                    "relobralo_rho",  "relobralo_tau", "softadapt_beta",
                                    "gradnorm_alpha", "gradnorm_rate", "dirichlet_rate"};
    const auto shown = [&] {
        QStringList keys;
        for (const QString& key : parameters) {
            QWidget* field = panel.findChild<QWidget*>(key);
            if (!field)
                return QStringList{"missing " + key};
            if (field->isVisible())
                keys << key;
        }
        return keys;
    };
    QCOMPARE(shown(), QStringList());
    const QList<std::pair<QString, QStringList>> expected = {
        {"lra", {"balance_every", "lra_rate"}},
        {"relobralo", {"relobralo_alpha", "relobralo_rho", "relobralo_tau"}},
        {"softadapt", {"softadapt_beta"}},
        {"gradnorm", {"balance_every", "gradnorm_alpha", "gradnorm_rate"}},
        {"inverse-dirichlet", {"balance_every", "dirichlet_rate"}},
        {"analytic", {}},
        {"off", {}}};
    for (const auto& [rule, keys] : expected) {
        balance->setCurrentText(rule);
        QCOMPARE(shown(), keys);
        QCOMPARE(QString::fromStdString(std::string(balanceName(panel.config().balance))), rule);
    }
    auto* rate = panel.findChild<QDoubleSpinBox*>("lra_rate");
    QVERIFY(rate);
    QVERIFY(rate->toolTip().contains(QString::fromUtf8(knobInfo(Knob::LraRate).help)));
    balance->setCurrentText("lra");
    rate->setValue(0.25);
    QCOMPARE(panel.config().lraRate, 0.25);
    TrainConfig c;
    c.balance = Balance::Relobralo;
    c.relobraloTau = 2;
    panel.setConfig(c);
    QCOMPARE(balance->currentText(), QStringLiteral("relobralo"));
    QCOMPARE(shown(), QStringList({"relobralo_alpha", "relobralo_rho", "relobralo_tau"}));
    QCOMPARE(panel.findChild<QDoubleSpinBox*>("relobralo_tau")->value(), 2.0);
}

// analytic: its β/α, worked out from the training set, beside the dropdown.
void TestParameterPanel::analyticShowsItsRatio() {
    ParameterPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* value = panel.findChild<QLabel*>("analyticValue");
    QVERIFY(value);
    QVERIFY(!value->isVisible());
    TrainConfig c;
    c.balance = Balance::Analytic;
    panel.setConfig(c);
    QTRY_VERIFY(value->isVisible());
    const double ratio = analyticBetaOverAlpha(Dataset::trainAndValidation(c).first);
    QVERIFY(std::isfinite(ratio) && ratio > 0);
    QCOMPARE(value->text(),
             QStringLiteral("β/α = %1 from the training data").arg(compactNumber(ratio)));
    // A million rows: worked out on another thread, the window meanwhile responsive.
    c.nTrain = int(knobInfo(Knob::NTrain).max);
    panel.setConfig(c);
    QVERIFY(value->text().contains("working it out"));
    const double large = analyticBetaOverAlpha(Dataset::trainAndValidation(c).first);
    QTRY_COMPARE_WITH_TIMEOUT(
        value->text(), QStringLiteral("β/α = %1 from the training data").arg(compactNumber(large)),
        60000);
    c.balance = Balance::Lra;
    panel.setConfig(c);
    QVERIFY(!value->isVisible());
}

QTEST_MAIN(TestParameterPanel)
#include "tst_parameterpanel.moc"
