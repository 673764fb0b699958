// SPDX-License-Identifier: GPL-3.0-or-later
#include "logspinbox.h"

#include "wholespinbox.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace sobolev {

namespace {

// The C locale, so that "1e-3" means the same everywhere, with group separators rejected: "0,5"
// typed in a comma-decimal habit must not read as 5, nor "1,000" as 1000.
const QLocale& numberLocale() {
    static const QLocale locale = [] {
        QLocale c = QLocale::c();
        c.setNumberOptions(QLocale::OmitGroupSeparator | QLocale::RejectGroupSeparator);
        return c;
    }();
    return locale;
}

std::optional<double> parseNumber(const QString& text) {
    bool ok = false;
    const double value = numberLocale().toDouble(text.trimmed(), &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// v * 10^k picks up binary noise (0.003 * 10 = 0.030000000000000002); 15 significant digits
// drop it so that stepping lands on the decimal values the user expects.
double roundToDecimal(double value) {
    return QString::number(value, 'g', std::numeric_limits<double>::digits10).toDouble();
}

} // namespace

LogSpinBox::LogSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    // QDoubleSpinBox rounds every value to `decimals` places; 17 would turn 1.23456789e-9 into
    // 1e-9. The largest allowed count makes the rounding a no-op for any value we hold.
    setDecimals(std::numeric_limits<double>::max_exponent10 +
                std::numeric_limits<double>::digits10);
}

void LogSpinBox::setStepFloor(double floor, bool zeroReachable) {
    m_floor = floor;
    m_zeroReachable = zeroReachable;
}

double LogSpinBox::stepFloor() const {
    return m_floor;
}

bool LogSpinBox::isZeroReachable() const {
    return m_zeroReachable;
}

double LogSpinBox::steppedValue(double value, int steps) const {
    if (steps == 0 || !std::isfinite(value))
        return value;
    double result = 0;
    if (value <= 0) {
        // No decade below 0; the first step up lands on the floor.
        if (steps < 0)
            return value;
        result = roundToDecimal(m_floor * std::pow(10.0, steps - 1));
    } else {
        result = roundToDecimal(value * std::pow(10.0, steps));
        // A typed value already below the floor is left alone rather than stepped *up* to it.
        if (steps < 0 && result < m_floor)
            result = m_zeroReachable ? 0.0 : std::min(value, m_floor);
    }
    return std::clamp(result, minimum(), maximum());
}

void LogSpinBox::stepBy(int steps) {
    setValue(steppedValue(value(), steps));
    // As QAbstractSpinBox::stepBy does, so that typing right after a step replaces the value.
    if (style()->styleHint(QStyle::SH_SpinBox_SelectOnStep, nullptr, this))
        selectAll();
    emit stepped();
}

QAbstractSpinBox::StepEnabled LogSpinBox::stepEnabled() const {
    if (isReadOnly())
        return StepNone;
    const double current = value();
    StepEnabled enabled = StepNone;
    if (steppedValue(current, 1) != current)
        enabled |= StepUpEnabled;
    if (steppedValue(current, -1) != current)
        enabled |= StepDownEnabled;
    return enabled;
}

QValidator::State LogSpinBox::validate(QString& input, int& /*pos*/) const {
    const std::optional<double> value = parseNumber(input);
    if (value && *value >= minimum() && *value <= maximum())
        return QValidator::Acceptable;
    // Intermediate rather than Invalid for everything else: "1e-" must stay typeable on the way
    // to "1e-3", and a typo should stay visible so the panel can say what is wrong with it
    // instead of silently eating keystrokes. Leaving the field keeps it (focusOutEvent).
    return QValidator::Intermediate;
}

void LogSpinBox::fixup(QString& /*input*/) const {
    // QDoubleSpinBox::fixup strips the UI locale's group separator, which is '.' in some
    // locales and would turn a mistyped "1.2.3" into 123 when the field is left. A bad entry
    // stays as typed and marked instead.
}

void LogSpinBox::focusOutEvent(QFocusEvent* event) {
    const KeepTypedText keep(this, lineEdit());
    QDoubleSpinBox::focusOutEvent(event);
}

void LogSpinBox::keyPressEvent(QKeyEvent* event) {
    if (!isCommitKey(event)) {
        QDoubleSpinBox::keyPressEvent(event);
        return;
    }
    const KeepTypedText keep(this, lineEdit());
    QDoubleSpinBox::keyPressEvent(event);
}

double LogSpinBox::valueFromText(const QString& text) const {
    return parseNumber(text).value_or(value());
}

QString LogSpinBox::textFromValue(double value) const {
    // The shortest text that reads back as the same double: "0.001", "1e-06", "5".
    return numberLocale().toString(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace sobolev
