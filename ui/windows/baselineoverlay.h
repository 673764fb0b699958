// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"

#include <QList>
#include <QObject>

#include <vector>

namespace sobolev {

class FitChart;
class MetricsTable;

// The baselines chosen in View ▸ Baselines, fitted to the problem in view and shown in the fit
// charts and the metrics table. The choice is kept in the settings (settings::baselineKinds()
// and baselineDegree()); none by default.
class BaselineOverlay : public QObject {
    Q_OBJECT
  public:
    BaselineOverlay(const QList<FitChart*>& charts, MetricsTable* table, QObject* parent = nullptr);

    QList<BaselineKind> kinds() const;
    int n() const;
    std::vector<BaselineSpec> specs() const;
    const std::vector<BaselineResult>& results() const;

  public slots:
    // The problem of the run or knobs in view: fits the chosen baselines to it.
    void showFor(const sobolev::TrainConfig& config);
    // A new choice (the dialog's checkboxes and slider): refits and saves it.
    void setChoice(const QList<sobolev::BaselineKind>& kinds, int n);

  signals:
    void resultsChanged();

  private:
    void refit();

    QList<FitChart*> m_charts;
    MetricsTable* m_table;
    QList<BaselineKind> m_kinds;
    int m_n = 10;
    bool m_haveProblem = false;
    BaselineData m_data;
    Predictions m_grid;
    std::vector<BaselineResult> m_results;
};

} // namespace sobolev
