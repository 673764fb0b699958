// SPDX-License-Identifier: GPL-3.0-or-later
#include "duplicatedialog.h"

#include "core/problem/validate.h"
#include "targetchecker.h"
#include "textformat.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace sobolev {

DuplicateRunDialog::DuplicateRunDialog(const TrainConfig& original, const QString& runName,
                                       QWidget* parent)
    : QDialog(parent), m_original(original), m_config(original), m_knob(new QComboBox),
      m_value(new QLineEdit), m_problem(new QLabel), m_checker(new TargetChecker(this)),
      m_note(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)) {
    setWindowTitle(tr("Duplicate Run With…"));
    for (Knob k : knobsInMenuOrder())
        if (!isChoiceKnob(k)) // a number is typed here, not a name
            m_knob->addItem(knobLabel(k), int(k));
    m_value->setToolTip(tr("A number, e.g. 5, 0.1 or 1e-3"));
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->setWordWrap(true);
    m_note->setWordWrap(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Train"));

    auto* intro =
        new QLabel(tr("Train <b>%1</b> again with one knob changed. Everything else, the seed "
                      "included, stays as it was.")
                       .arg(runName.toHtmlEscaped()));
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("&Knob:"), m_knob);
    form->addRow(tr("New &value:"), m_value);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_note);
    layout->addWidget(m_buttons);

    connect(m_knob, &QComboBox::currentIndexChanged, this, &DuplicateRunDialog::onKnobChanged);
    connect(m_value, &QLineEdit::textChanged, this, &DuplicateRunDialog::revalidate);
    connect(m_checker, &TargetChecker::targetChecked, this, &DuplicateRunDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    onKnobChanged();
    setMinimumWidth(420);
}

void DuplicateRunDialog::setKnob(Knob knob) {
    m_knob->setCurrentIndex(m_knob->findData(int(knob)));
}

void DuplicateRunDialog::setValueText(const QString& text) {
    m_value->setText(text);
}

void DuplicateRunDialog::onKnobChanged() {
    const auto knob = Knob(m_knob->currentData().toInt());
    m_value->setText(compactNumber(knobValue(m_original, knob)));
    m_value->selectAll();
    m_value->setFocus();
    const bool sameWeights = knob != Knob::Width && knob != Knob::Depth;
    m_note->setText(
        sameWeights
            ? tr("Same seed: same data, same batch order and the same initial weights.")
            : tr("Same seed: same data and batch order; a new shape has new initial weights."));
    revalidate();
}

void DuplicateRunDialog::revalidate() {
    const auto knob = Knob(m_knob->currentData().toInt());
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    bool parsed = false;
    const QString text = m_value->text().trimmed();
    double value = text.toDouble(&parsed);
    if (!parsed)
        value = QLocale().toDouble(text, &parsed);
    QString problem;
    if (!parsed || !std::isfinite(value)) {
        problem = tr("%1: “%2” is not a number").arg(knobLabel(knob), text);
    } else if (isIntegerKnob(knob) && value != std::floor(value)) {
        problem = tr("%1 must be a whole number").arg(knobLabel(knob));
    } else if (knob == Knob::BetaOverAlpha && m_original.alpha == 0) {
        problem = tr("β/α needs α > 0; change β instead");
    } else {
        TrainConfig c = m_original;
        sobolev::setKnob(c, knob, value);
        std::vector<ConfigProblem> problems = knobProblems(c);
        std::optional<TargetVerdict> verdict;
        if (problems.empty() && !c.measured && !(verdict = m_checker->verdictFor(c)))
            m_checker->check(c);
        if (verdict)
            problems = verdict->problems;
        if (problems.empty() && !c.measured && !verdict)
            problem = tr("Checking the target f(x) at every point of the new run…");
        else if (!problems.empty())
            problem =
                QString::fromStdString(problems.front().field + ": " + problems.front().message);
        else if (c == m_original)
            problem = tr("That is the run's own value; change it to compare");
        else
            m_config = c;
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    ok->setEnabled(problem.isEmpty());
}

} // namespace sobolev
