// SPDX-License-Identifier: GPL-3.0-or-later
// Every stored knob of the registry goes through config.json and its command-line flag, and
// README documents it.
#include "commandline.h"
#include "configjson.h"
#include "core/config/knobregistry.h"

#include <QtTest>

#include <cmath>

using namespace sobolev;

Q_DECLARE_METATYPE(sobolev::Knob)

class TestKnobFlags : public QObject {
    Q_OBJECT
  private slots:
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void flagParses_data();
    void flagParses();
    void balanceFlagsRefuseBadValues_data();
    void balanceFlagsRefuseBadValues();
    void everyKeyIsKnown();
    void readmeListsEveryKnob();
};

namespace {

// A valid value other than the reference's, as a flag's text, set in `c`.
QString otherValue(const KnobInfo& k, TrainConfig& c) {
    switch (k.kind) {
    case KnobKind::Choice: {
        const auto names = k.choices();
        const std::string current = knobValueText(k.knob, knobValue(c, k.knob));
        const std::string other = names.front() == current ? names.back() : names.front();
        setKnob(c, k.knob, double(std::find(names.begin(), names.end(), other) - names.begin()));
        return QString::fromStdString(other);
    }
    case KnobKind::Bool:
        setKnob(c, k.knob, 1);
        return {};
    case KnobKind::Seed:
        c.seed = 18446744073709551615ULL; // beyond a JSON double: written as a string
        return QStringLiteral("18446744073709551615");
    case KnobKind::Text:
        c.*k.textField = "sin(3*x)";
        return QStringLiteral("sin(3*x)");
    case KnobKind::Interval:
        c.domainMin = -2;
        c.domainMax = 3;
        return QStringLiteral("-2,3");
    case KnobKind::OptionalReal:
        c.targetParam = 30;
        return QStringLiteral("30");
    default:
        break;
    }
    // Inside the range and not the reference's value: the upper end (the middle when the end
    // is excluded: three quarters up), or the lower end + 1 without an upper end.
    const double value = !std::isfinite(k.max) ? k.min + 1
                         : k.openAbove         ? k.min + (k.max - k.min) * 0.75
                                               : k.max;
    setKnob(c, k.knob, value);
    return QString::fromStdString(knobValueText(k.knob, value));
}

// The knobs a flag or a config file can set without a data file on disk.
bool settable(const KnobInfo& k) {
    return k.stored && k.knob != Knob::Data && k.knob != Knob::DataSha256;
}

} // namespace

void TestKnobFlags::jsonRoundTrip_data() {
    QTest::addColumn<Knob>("knob");
    for (const KnobInfo& k : knobRegistry())
        if (settable(k))
            QTest::addRow("%s", k.key) << k.knob;
}

void TestKnobFlags::jsonRoundTrip() {
    QFETCH(Knob, knob);
    TrainConfig c;
    otherValue(knobInfo(knob), c);
    QVERIFY(c != TrainConfig{});
    const ConfigReadResult back = configFromJson(configToJson(c), {}, RangeCheck::Skip);
    QVERIFY2(back.errors.isEmpty(), qPrintable(back.errors.join('\n')));
    QVERIFY(back.config == c);
}

void TestKnobFlags::flagParses_data() {
    QTest::addColumn<Knob>("knob");
    for (const KnobInfo& k : knobRegistry())
        if (settable(k) && k.flag)
            QTest::addRow("--%s", k.flag) << k.knob;
}

void TestKnobFlags::flagParses() {
    QFETCH(Knob, knob);
    const KnobInfo& k = knobInfo(knob);
    TrainConfig expected;
    const QString text = otherValue(k, expected);
    QStringList arguments{QStringLiteral("sobolev-workbench"), QStringLiteral("--") + k.flag};
    if (k.kind != KnobKind::Bool)
        arguments << text;
    // A polynomial's degree 30 is in range; a target formula has no parameter.
    if (knob == Knob::TargetParam)
        arguments << QStringLiteral("--target") << QStringLiteral("polynomial");
    const CommandLine cl = parseCommandLine(arguments);
    if (knob == Knob::TargetParam)
        expected.target = "polynomial";
    // Only range checks may refuse a value; none of these is outside its knob's range.
    QVERIFY2(cl.errors.isEmpty(), qPrintable(cl.errors.join('\n')));
    QVERIFY(cl.configGiven);
    QVERIFY(cl.config == expected);
    QVERIFY(cl.helpText.contains(QStringLiteral("--") + k.flag));
}

void TestKnobFlags::balanceFlagsRefuseBadValues_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown rule")
        << QStringList{"--balance", "lr"}
        << "must be one of off, lra, relobralo, softadapt, gradnorm, inverse-dirichlet, analytic; "
           "got \"lr\"";
    QTest::addRow("no updates") << QStringList{"--balance-every", "0"}
                                << "must be an integer from 1 to 1000000; got 0";
    QTest::addRow("lra rate 0") << QStringList{"--lra-rate", "0"}
                                << "must be a number greater than 0 and at most 1; got 0";
    QTest::addRow("rho above 1") << QStringList{"--relobralo-rho", "1.5"}
                                 << "must be a number from 0 to 1; got 1.5";
    QTest::addRow("softadapt beta")
        << QStringList{"--softadapt-beta", "200"} << "must be a number from -100 to 100; got 200";
    QTest::addRow("a rule without alpha")
        << QStringList{"--balance", "lra", "--alpha", "0"}
        << "balance lra weighs both terms: it needs alpha > 0 and beta > 0";
}

// The balancing flags come from the registry, and so do their messages.
void TestKnobFlags::balanceFlagsRefuseBadValues() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const CommandLine cl = parseCommandLine(QStringList{"sobolev-workbench"} + arguments);
    QCOMPARE(cl.errors.size(), 1);
    QVERIFY2(cl.errors.first().contains(message), qPrintable(cl.errors.first()));
}

void TestKnobFlags::everyKeyIsKnown() {
    const QStringList keys = configKeys();
    for (const KnobInfo& k : knobRegistry())
        QCOMPARE(keys.contains(QLatin1String(k.key)), k.stored);
    // An unknown key is still an error naming the allowed keys.
    const ConfigReadResult r = configFromJson(QJsonObject{{QStringLiteral("widht"), 3}});
    QCOMPARE(r.errors.size(), 1);
    QVERIFY(r.errors.first().startsWith(QStringLiteral("unknown key \"widht\"; allowed keys: ")));
}

// README's table of flags and keys is prose written by hand: it must name every knob a user can
// set, so that a knob added to the registry is documented too.
void TestKnobFlags::readmeListsEveryKnob() {
    QFile readme(QStringLiteral(SOBOLEV_README));
    QVERIFY2(readme.open(QIODevice::ReadOnly), SOBOLEV_README);
    const QString text = QString::fromUtf8(readme.readAll());
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.stored)
            continue;
        QVERIFY2(text.contains(QStringLiteral("| `%1` |").arg(QLatin1String(k.key))) ||
                     text.contains(QStringLiteral("| `%1` `").arg(QLatin1String(k.key))),
                 qPrintable(QStringLiteral("README's knob table has no row for the key ") + k.key));
        if (k.flag)
            QVERIFY2(text.contains(QStringLiteral("| `--%1").arg(QLatin1String(k.flag))),
                     qPrintable(QStringLiteral("README's knob table has no row for --") + k.flag));
    }
}

QTEST_GUILESS_MAIN(TestKnobFlags)
#include "tst_knobflags.moc"
