// SPDX-License-Identifier: GPL-3.0-or-later
#include "noisynote.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <algorithm>

namespace sobolev {

bool finalErrorsAreNoisy(const TrainConfig& config) {
    return config.schedule == Schedule::Constant && config.lbfgsIterations == 0 &&
           !config.restoreBest;
}

NoisyFinalNote::NoisyFinalNote(QWidget* parent)
    : QFrame(parent), m_label(new QLabel(this)), m_button(new QPushButton(this)) {
    setObjectName(QStringLiteral("noisyFinalNote"));
    setFrameShape(QFrame::StyledPanel);
    // A pale amber: a caution, not an error.
    setStyleSheet(QStringLiteral("#noisyFinalNote { background: #fff4d6; border: 1px solid "
                                 "#e0b84c; border-radius: 3px; } QLabel { color: #3d2e00; }"));
    m_label->setWordWrap(true);
    m_label->setText(
        tr("<b>Final values of constant-rate Adam are noisy:</b> runs differ by up to ~%1× "
           "from seed to seed. Compare the best-epoch errors, or train with a "
           "<b>cosine</b> schedule (Settling ▸ Schedule in the main window), whose final "
           "values settle.")
            .arg(seedSpread));
    m_button->setObjectName(QStringLiteral("showBestEpoch"));
    m_button->setText(tr("Show &Best-Epoch Errors"));
    m_button->setToolTip(tr("Each run's errors at its epoch with the lowest validation loss, "
                            "here and in the other views (View ▸ Show Best-Epoch Errors)"));
    connect(m_button, &QPushButton::clicked, this, &NoisyFinalNote::bestEpochRequested);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_button);
    hide();
}

void NoisyFinalNote::update(const QList<TrainConfig>& configs, ShownEpoch shown) {
    m_applies = shown == ShownEpoch::Final && configs.size() >= 2 &&
                std::any_of(configs.begin(), configs.end(), finalErrorsAreNoisy);
    setVisible(m_applies);
}

QString NoisyFinalNote::plainText() const {
    return tr("Final values of constant-rate Adam are noisy: runs differ by up to ~%1× from "
              "seed to seed. Best-epoch errors, or a cosine schedule, compare the knobs rather "
              "than the last epoch's luck.")
        .arg(seedSpread);
}

} // namespace sobolev
