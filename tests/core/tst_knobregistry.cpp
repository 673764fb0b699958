// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/knobregistry.h"
#include "core/problem/validate.h"

#include <QtTest>

#include <cmath>

using namespace sobolev;

Q_DECLARE_METATYPE(sobolev::Knob)

class TestKnobRegistry : public QObject {
    Q_OBJECT
  private slots:
    void rowsAreInEnumOrder();
    void namesAreUnique();
    void rangeEndsAccepted_data();
    void rangeEndsAccepted();
    void justOutsideRefused_data();
    void justOutsideRefused();
    void valueRoundTrip_data();
    void valueRoundTrip();
    void appliesTo_data();
    void appliesTo();
    void oneLiveAliasForTheRate();
};

namespace {

bool hasRange(const KnobInfo& k) {
    return k.stored && (k.kind == KnobKind::Int || k.kind == KnobKind::Real);
}

// The problems validate() finds with field `key`, joined.
QString problemsOf(const TrainConfig& c, const char* key) {
    QStringList found;
    for (const ConfigProblem& p : validate(c))
        if (p.field == key)
            found << QString::fromStdString(p.message);
    return found.join(QStringLiteral("; "));
}

// The smallest step out of [min, max] at `end`: 1 for an Int, else a relative nudge.
double outside(const KnobInfo& k, double end, bool below) {
    if (k.kind == KnobKind::Int)
        return below ? end - 1 : end + 1;
    if ((below && k.openBelow) || (!below && k.openAbove))
        return end;
    return below ? std::nextafter(end, -INFINITY) : std::nextafter(end, INFINITY);
}

// A config on which every knob applies its check in isolation: a tiny network keeps the
// workspace bound out of the way, and epochs 1 allows every schedule knob.
TrainConfig roomyConfig() {
    TrainConfig c;
    c.width = 1;
    c.depth = 1;
    c.batchSize = 1;
    return c;
}

} // namespace

void TestKnobRegistry::rowsAreInEnumOrder() {
    const auto& rows = knobRegistry();
    for (std::size_t i = 0; i < rows.size(); ++i)
        QCOMPARE(int(rows[i].knob), int(i));
    QCOMPARE(int(rows.back().knob), int(Knob::DirichletRate));
}

void TestKnobRegistry::namesAreUnique() {
    QSet<QString> names, flags;
    for (const KnobInfo& k : knobRegistry()) {
        QVERIFY2(!names.contains(k.key), k.key);
        names << k.key;
        if (k.alias) {
            QVERIFY2(!names.contains(k.alias), k.alias);
            names << k.alias;
        }
        if (k.flag) {
            QVERIFY2(!flags.contains(k.flag), k.flag);
            flags << k.flag;
        }
        QVERIFY2(k.label && k.symbol && k.help && k.appliesTo, k.key);
        QCOMPARE(knobFromName(k.key), std::optional(k.knob));
    }
}

void TestKnobRegistry::rangeEndsAccepted_data() {
    QTest::addColumn<Knob>("knob");
    QTest::addColumn<double>("value");
    for (const KnobInfo& k : knobRegistry()) {
        if (!hasRange(k))
            continue;
        if (!k.openBelow)
            QTest::addRow("%s min", k.key) << k.knob << k.min;
        if (!k.openAbove && std::isfinite(k.max))
            QTest::addRow("%s max", k.key) << k.knob << k.max;
        if (k.openBelow) // just inside
            QTest::addRow("%s above min", k.key) << k.knob << std::nextafter(k.min, INFINITY);
    }
}

void TestKnobRegistry::rangeEndsAccepted() {
    QFETCH(Knob, knob);
    QFETCH(double, value);
    QCOMPARE(QString::fromStdString(knobRangeProblem(knob, value)), QString());
    TrainConfig c = roomyConfig();
    setKnob(c, knob, value);
    if (knob == Knob::BatchSize || knob == Knob::NTrain) // keep the batches within n_train
        c.nTrain = c.batchSize = int(value);
    QCOMPARE(problemsOf(c, knobInfo(knob).key), QString());
}

void TestKnobRegistry::justOutsideRefused_data() {
    QTest::addColumn<Knob>("knob");
    QTest::addColumn<double>("value");
    for (const KnobInfo& k : knobRegistry()) {
        if (!hasRange(k))
            continue;
        QTest::addRow("%s below", k.key) << k.knob << outside(k, k.min, true);
        if (std::isfinite(k.max))
            QTest::addRow("%s above", k.key) << k.knob << outside(k, k.max, false);
        QTest::addRow("%s NaN", k.key) << k.knob << std::nan("");
    }
}

void TestKnobRegistry::justOutsideRefused() {
    QFETCH(Knob, knob);
    QFETCH(double, value);
    const KnobInfo& k = knobInfo(knob);
    if (k.kind == KnobKind::Int && std::isnan(value))
        QSKIP("an int field cannot hold NaN");
    TrainConfig c = roomyConfig();
    setKnob(c, knob, value);
    const QString message = problemsOf(c, k.key);
    // validate() names the key (the field) and says what is allowed.
    QVERIFY2(message.contains(QString::fromStdString(knobRangeText(knob))), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("; got ")));
    QVERIFY(!knobRangeProblem(knob, value).empty());
}

void TestKnobRegistry::valueRoundTrip_data() {
    QTest::addColumn<Knob>("knob");
    for (const KnobInfo& k : knobRegistry())
        if (k.kind != KnobKind::Text && k.kind != KnobKind::Interval)
            QTest::addRow("%s", k.key) << k.knob;
}

void TestKnobRegistry::valueRoundTrip() {
    QFETCH(Knob, knob);
    const KnobInfo& k = knobInfo(knob);
    // A value inside the range other than the default: the upper end, the last choice, true.
    double value = 1;
    if (k.kind == KnobKind::Choice)
        value = double(k.choices().size() - 1);
    else if (hasRange(k) && std::isfinite(k.max))
        value = k.max;
    TrainConfig c;
    setKnob(c, knob, value);
    QCOMPARE(knobValue(c, knob), value);
    if (k.kind == KnobKind::Choice)
        QCOMPARE(QString::fromStdString(knobValueText(knob, value)),
                 QString::fromStdString(k.choices().back()));
}

void TestKnobRegistry::appliesTo_data() {
    QTest::addColumn<Knob>("knob");
    QTest::addColumn<QString>("setting");
    QTest::addColumn<bool>("applies");
    // The reference experiment uses none of the schedule's, L-BFGS's or the data's knobs.
    QTest::addRow("patience, reference") << Knob::Patience << "" << false;
    QTest::addRow("patience, plateau") << Knob::Patience << "plateau" << true;
    QTest::addRow("patience, step") << Knob::Patience << "step" << false;
    QTest::addRow("step_epochs, step") << Knob::StepEpochs << "step" << true;
    QTest::addRow("step_epochs, plateau") << Knob::StepEpochs << "plateau" << false;
    QTest::addRow("decay_factor, plateau") << Knob::DecayFactor << "plateau" << true;
    QTest::addRow("decay_factor, exponential") << Knob::DecayFactor << "exponential" << false;
    QTest::addRow("lr_floor, constant") << Knob::LrFloor << "" << false;
    QTest::addRow("lr_floor, cosine") << Knob::LrFloor << "cosine" << true;
    QTest::addRow("lr_floor, exponential") << Knob::LrFloor << "exponential" << true;
    QTest::addRow("lbfgs_history, reference") << Knob::LbfgsHistory << "" << false;
    QTest::addRow("lbfgs_history, L-BFGS") << Knob::LbfgsHistory << "lbfgs" << true;
    QTest::addRow("lbfgs_iterations, reference") << Knob::LbfgsIterations << "" << false;
    QTest::addRow("lbfgs_precision, L-BFGS") << Knob::LbfgsPrecision << "lbfgs" << true;
    QTest::addRow("data_validation, reference") << Knob::DataValidation << "" << false;
    QTest::addRow("data_validation, data") << Knob::DataValidation << "data" << true;
    QTest::addRow("data_sha256, reference") << Knob::DataSha256 << "" << false;
    QTest::addRow("noise_f, reference") << Knob::NoiseF << "" << true;
    QTest::addRow("noise_f, data") << Knob::NoiseF << "data" << false;
    QTest::addRow("n_train, data") << Knob::NTrain << "data" << false;
    QTest::addRow("target, data") << Knob::Target << "data" << false;
    QTest::addRow("target_param, runge") << Knob::TargetParam << "" << true;
    QTest::addRow("target_param, pinn") << Knob::TargetParam << "pinn" << false;
    QTest::addRow("target_param, formula") << Knob::TargetParam << "formula" << false;
    QTest::addRow("learning_rate, L-BFGS alone") << Knob::LearningRate << "lbfgs alone" << false;
    QTest::addRow("restore_best, reference") << Knob::RestoreBest << "" << true;
    QTest::addRow("restore_best, data") << Knob::RestoreBest << "data" << true;
    // Each balancing rule reads its own parameters only.
    QTest::addRow("balance, reference") << Knob::Balance << "" << false;
    QTest::addRow("balance, lra") << Knob::Balance << "lra" << true;
    QTest::addRow("balance_every, lra") << Knob::BalanceEvery << "lra" << true;
    QTest::addRow("balance_every, gradnorm") << Knob::BalanceEvery << "gradnorm" << true;
    QTest::addRow("balance_every, relobralo") << Knob::BalanceEvery << "relobralo" << false;
    QTest::addRow("balance_every, analytic") << Knob::BalanceEvery << "analytic" << false;
    QTest::addRow("lra_rate, lra") << Knob::LraRate << "lra" << true;
    QTest::addRow("lra_rate, inverse-dirichlet") << Knob::LraRate << "inverse-dirichlet" << false;
    QTest::addRow("relobralo_rho, relobralo") << Knob::RelobraloRho << "relobralo" << true;
    QTest::addRow("relobralo_tau, softadapt") << Knob::RelobraloTau << "softadapt" << false;
    QTest::addRow("softadapt_beta, softadapt") << Knob::SoftadaptBeta << "softadapt" << true;
    QTest::addRow("gradnorm_rate, gradnorm") << Knob::GradnormRate << "gradnorm" << true;
    QTest::addRow("gradnorm_alpha, lra") << Knob::GradnormAlpha << "lra" << false;
    QTest::addRow("dirichlet_rate, inverse-dirichlet")
        << Knob::DirichletRate << "inverse-dirichlet" << true;
    QTest::addRow("dirichlet_rate, reference") << Knob::DirichletRate << "" << false;
}

void TestKnobRegistry::appliesTo() {
    QFETCH(Knob, knob);
    QFETCH(QString, setting);
    QFETCH(bool, applies);
    TrainConfig c;
    if (const auto schedule = scheduleFromName(setting.toStdString()))
        c.schedule = *schedule;
    else if (const auto balance = balanceFromName(setting.toStdString()))
        c.balance = *balance;
    else if (setting == QLatin1String("lbfgs"))
        c.lbfgsIterations = 10;
    else if (setting == QLatin1String("lbfgs alone"))
        c.epochs = 0, c.lbfgsIterations = 10;
    else if (setting == QLatin1String("data"))
        c.data = "points.csv";
    else if (setting == QLatin1String("pinn"))
        c.target = "pinn";
    else if (setting == QLatin1String("formula"))
        c.target = "sin(3*x)";
    QCOMPARE(knobApplies(knob, c), applies);
}

void TestKnobRegistry::oneLiveAliasForTheRate() {
    QCOMPARE(knobFromName("lr"), std::optional(Knob::LearningRate));
    QCOMPARE(QString::fromStdString(std::string(knobShortName(Knob::LearningRate))),
             QStringLiteral("lr"));
    QCOMPARE(QString::fromStdString(knobNameList(liveKnobs(), true)),
             QStringLiteral("alpha, beta, lr"));
    // beta_over_alpha is derived: a sweep knob, never a config key.
    QVERIFY(knobInfo(Knob::BetaOverAlpha).sweepable && !knobInfo(Knob::BetaOverAlpha).stored);
    TrainConfig c;
    c.alpha = 2;
    setKnob(c, Knob::BetaOverAlpha, 5);
    QCOMPARE(c.beta, 10.0);
    QCOMPARE(knobValue(c, Knob::BetaOverAlpha), 5.0);
}

QTEST_GUILESS_MAIN(TestKnobRegistry)
#include "tst_knobregistry.moc"
