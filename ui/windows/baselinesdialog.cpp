// SPDX-License-Identifier: GPL-3.0-or-later
#include "baselinesdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sobolev {

namespace {

QString kindText(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::Equispaced:
        return BaselinesDialog::tr("&Equispaced interpolation (degree n)");
    case BaselineKind::Chebyshev:
        return BaselinesDialog::tr("&Chebyshev interpolation (degree n)");
    case BaselineKind::LeastSquares:
        return BaselinesDialog::tr("&Least squares on the training points (degree n)");
    case BaselineKind::Spline:
        return BaselinesDialog::tr("Natural cubic &spline (n intervals)");
    case BaselineKind::Hermite:
        return BaselinesDialog::tr("Cubic &Hermite with f and f′ (n intervals)");
    }
    return {};
}

QString kindTip(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::Equispaced:
        return BaselinesDialog::tr("The polynomial through f at n + 1 equispaced nodes "
                                   "(barycentric form). On Runge it blows up near the ends as n "
                                   "grows: the Runge phenomenon.");
    case BaselineKind::Chebyshev:
        return BaselinesDialog::tr("The polynomial through f at the n + 1 Chebyshev nodes, which "
                                   "cluster at the ends; it converges for smooth f.");
    case BaselineKind::LeastSquares:
        return BaselinesDialog::tr("The polynomial of degree n closest to the run's training "
                                   "points (noise included) in the least-squares sense.");
    case BaselineKind::Spline:
        return BaselinesDialog::tr("The C² piecewise cubic through f at n + 1 equispaced nodes, "
                                   "with zero second derivative at both ends.");
    case BaselineKind::Hermite:
        return BaselinesDialog::tr("The piecewise cubic matching f and f′ at n + 1 equispaced "
                                   "nodes: the classical fit of a function and its derivative. "
                                   "Without a known target it interpolates the data points.");
    }
    return {};
}

} // namespace

BaselinesDialog::BaselinesDialog(const QList<BaselineKind>& kinds, int n, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Baselines"));
    auto* layout = new QVBoxLayout(this);
    auto* group = new QGroupBox(tr("Show beside the network"));
    auto* boxes = new QVBoxLayout(group);
    for (BaselineKind kind : allBaselineKinds()) {
        auto* box = new QCheckBox(kindText(kind));
        box->setToolTip(kindTip(kind));
        box->setChecked(kinds.contains(kind));
        connect(box, &QCheckBox::toggled, this, &BaselinesDialog::announce);
        boxes->addWidget(box);
        m_boxes.insert(kind, box);
    }
    layout->addWidget(group);

    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("&n:"));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setRange(limits::minBaselineDegree, limits::maxBaselineDegree);
    m_slider->setPageStep(5);
    m_slider->setValue(n);
    m_slider->setMinimumWidth(260);
    m_slider->setToolTip(tr("The degree of the polynomials, or the intervals of the piecewise "
                            "cubics (%1–%2)")
                             .arg(limits::minBaselineDegree)
                             .arg(limits::maxBaselineDegree));
    label->setBuddy(m_slider);
    m_spin = new QSpinBox;
    m_spin->setRange(limits::minBaselineDegree, limits::maxBaselineDegree);
    m_spin->setValue(n);
    m_spin->setToolTip(m_slider->toolTip());
    connect(m_slider, &QSlider::valueChanged, m_spin, &QSpinBox::setValue);
    connect(m_spin, &QSpinBox::valueChanged, m_slider, &QSlider::setValue);
    connect(m_spin, &QSpinBox::valueChanged, this, &BaselinesDialog::announce);
    row->addWidget(label);
    row->addWidget(m_slider, 1);
    row->addWidget(m_spin);
    layout->addLayout(row);

    auto* note = new QLabel(tr("Baselines that need f at nodes of their own (interpolation, "
                               "spline) are omitted for runs with data points only."));
    note->setWordWrap(true);
    layout->addWidget(note);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
}

QList<BaselineKind> BaselinesDialog::kinds() const {
    QList<BaselineKind> kinds;
    for (BaselineKind kind : allBaselineKinds())
        if (m_boxes.value(kind)->isChecked())
            kinds << kind;
    return kinds;
}

int BaselinesDialog::n() const {
    return m_spin->value();
}

void BaselinesDialog::setKindChecked(BaselineKind kind, bool checked) {
    m_boxes.value(kind)->setChecked(checked);
}

void BaselinesDialog::setN(int n) {
    m_slider->setValue(n);
}

void BaselinesDialog::announce() {
    emit choiceChanged(kinds(), n());
}

} // namespace sobolev
