// SPDX-License-Identifier: GPL-3.0-or-later
#include "baselineoverlay.h"

#include "fitchart.h"
#include "metricstable.h"
#include "settings.h"
#include "textformat.h"

#include <algorithm>
#include <stdexcept>

namespace sobolev {

BaselineOverlay::BaselineOverlay(const QList<FitChart*>& charts, MetricsTable* table,
                                 QObject* parent)
    : QObject(parent), m_charts(charts), m_table(table) {
    for (const QString& key : settings::baselineKinds().get())
        if (const auto kind = baselineKindFromKey(key.toStdString());
            kind && !m_kinds.contains(*kind))
            m_kinds << *kind;
    m_n = std::clamp(settings::baselineDegree().get(), limits::minBaselineDegree,
                     limits::maxBaselineDegree);
}

QList<BaselineKind> BaselineOverlay::kinds() const {
    return m_kinds;
}

int BaselineOverlay::n() const {
    return m_n;
}

std::vector<BaselineSpec> BaselineOverlay::specs() const {
    std::vector<BaselineSpec> specs;
    for (BaselineKind kind : allBaselineKinds()) // in a fixed order, whatever the clicks
        if (m_kinds.contains(kind))
            specs.push_back({kind, m_n});
    return specs;
}

const std::vector<BaselineResult>& BaselineOverlay::results() const {
    return m_results;
}

void BaselineOverlay::showFor(const TrainConfig& config) {
    try {
        m_data = baselineData(config);
        m_grid = targetOnGrid(config);
        m_haveProblem = true;
    } catch (const std::exception&) {
        m_haveProblem = false; // a target that does not build: no baselines either
    }
    refit();
}

void BaselineOverlay::setChoice(const QList<BaselineKind>& kinds, int n) {
    m_kinds = kinds;
    m_n = std::clamp(n, limits::minBaselineDegree, limits::maxBaselineDegree);
    QStringList keys;
    for (BaselineKind kind : m_kinds)
        keys << toQString(baselineKey(kind));
    settings::baselineKinds().set(keys);
    settings::baselineDegree().set(m_n);
    refit();
}

void BaselineOverlay::refit() {
    m_results =
        m_haveProblem ? fitBaselines(specs(), m_data, m_grid) : std::vector<BaselineResult>{};
    for (FitChart* chart : m_charts) {
        chart->setBaselines(m_results);
        chart->redrawNow(); // the slider's value on screen at once
    }
    m_table->setBaselines(m_results);
    emit resultsChanged();
}

} // namespace sobolev
