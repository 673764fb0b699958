// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"
#include "core/eval/metrics.h"

#include <QTableWidget>

namespace sobolev {

// The current run's test-grid errors and how it ended, beside those of its best validation
// epoch and of the chosen baselines; Ctrl+C copies the selected rows (or the whole table) as
// tab-separated text.
class MetricsTable : public QTableWidget {
    Q_OBJECT
  public:
    // The rows, top to bottom.
    enum Row {
        MseF,
        MseFprime,
        H1,
        MaxErrF,
        XMaxErrF,
        MaxErrFprime,
        XMaxErrFprime,
        RelL2F,
        RelL2Fprime,
        EpochsRun,
        TrainTime,
        StopReasonRow,
        RowCount
    };

    explicit MetricsTable(QWidget* parent = nullptr);

    void setReport(const FitReport& report);
    // While a run is going, or paused: the errors of its latest predictions.
    void setLive(const FitReport& errors, int epochsRun, double seconds, bool paused = false);
    // A replayed step of the run: its errors in the network's column, headed `when` ("at epoch
    // 5") instead of "Final"; setReport() or setLive() puts the run's own back.
    void setStep(const FitReport& errors, const QString& when);
    void clearValues();
    // What the live values of a run are on: the test grid, or for measured data every row
    // (the final report then names its validation or training rows).
    void setLiveOnData(bool measured);
    // A column per baseline after the network's (its errors, or why it was omitted).
    void setBaselines(const std::vector<BaselineResult>& baselines);
    QString toText(bool selectedOnly = false) const;
    QSize sizeHint() const override; // tall enough for every row, no more

  public slots:
    void copy();

  protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void setValue(int row, const QString& text, int column = 1);
    void setBest(const BestEpoch& best);
    void headFinal(); // the network's column heads its own errors, not a replayed step's
};

} // namespace sobolev
