// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"

#include <QFont>
#include <QList>
#include <QTimer>
#include <QWidget>

#include <array>
#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

namespace chartstyle {
class Extent;
}

// Training and validation loss per epoch on a log scale, drawn while the run streams in.
// Every epoch is stored; what is drawn is a decimated copy, rebuilt at most ~30 times a
// second however often epochs arrive. When the learning rate changes during the run (a
// schedule) it is drawn too, in grey on the same log axis; a dashed vertical line marks
// where an L-BFGS phase takes over from Adam, and a labelled one ("β 1 → 10") each place
// where the run changed α, β or the learning rate.
class TrainingChart : public QWidget {
    Q_OBJECT
  public:
    explicit TrainingChart(QWidget* parent = nullptr);
    ~TrainingChart() override;

    // The weights of the dotted alpha*MSE_f and beta*MSE_f' curves.
    void setLossWeights(double alpha, double beta);
    // The knob changes of the run in view: a marker at each, drawn once the run is there.
    void setKnobChanges(const sobolev::TrainConfig& config);
    // The markers' labels, left to right (tests).
    QStringList changeLabels() const;
    // A replayed step of the run: a vertical line at `position` (epochs, Snapshot::position);
    // nothing hides it.
    void setStepMark(std::optional<double> position);
    std::optional<double> stepMark() const { return m_stepPosition; }
    void appendEpochs(const QList<sobolev::EpochMetrics>& epochs);
    void setHistory(const QList<sobolev::EpochMetrics>& epochs);
    void clear();
    // Rebuilds the curves now instead of at the next frame (tests, export).
    void redrawNow();

    int storedEpochs() const;
    bool learningRateShown() const;
    // The first L-BFGS row, or 0 when the history has none.
    int lbfgsStartEpoch() const;
    int drawnPointCount() const; // points in the busiest curve
    int redrawCount() const;
    bool weightedTermsVisible() const;
    QChart* chart() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Presentation mode: the legend lists only the curves shown, inside the plot's top right
    // corner (losses fall, so it is empty there), instead of a column beside the plot that,
    // drawn at 200 %, took almost half the chart.
    void setCompactLegend(bool compact);
    bool compactLegend() const { return m_compactLegend; }

  public slots:
    void setWeightedTermsVisible(bool visible);

  private:
    enum Curve {
        TrainLoss,
        TrainMseF,
        TrainMseFprime,
        ValLoss,
        ValMseF,
        ValMseFprime,
        WeightedF,
        WeightedFprime,
        CurveCount
    };

    double curveValue(int curve, const EpochMetrics& m) const;
    void scheduleRedraw();
    void setCurveVisible(int curve, bool visible);
    // From the points of the visible curves.
    void updateRanges();
    void setRanges(const chartstyle::Extent& visible);
    void showReadout(int curve, const QPointF& point, bool state);
    // The L-BFGS line; returns the learning rate's curve (empty when the rate is constant).
    QList<QPointF> redrawOptimiserMarks(qsizetype buckets);
    void placeChangeMarks();
    void placeStepMark();
    void showMarker(int curve);
    void showMarkers();
    // Notes which curves `epochs` give a number (not NaN); returns whether that is news.
    bool noteValues(const QList<sobolev::EpochMetrics>& epochs);
    void placeLegend();

    QChartView* m_view = nullptr;
    QValueAxis* m_xAxis = nullptr;
    QLogValueAxis* m_yAxis = nullptr;
    std::array<QLineSeries*, CurveCount> m_series{};
    QLineSeries* m_rateSeries = nullptr;
    QLineSeries* m_lbfgsLine = nullptr;
    QLineSeries* m_stepLine = nullptr;
    std::optional<double> m_stepPosition;
    int m_lbfgsStart = 0;
    struct ChangeMark {
        double x; // epochs: the mark sits where its batch starts
        QString label;
        QLineSeries* line;
        QGraphicsSimpleTextItem* text;
    };
    QList<ChangeMark> m_changeMarks;
    // α and β changes (x as in ChangeMark): the weighted curves use those in force.
    struct WeightStep {
        double x;
        bool alpha;
        double value;
    };
    QList<WeightStep> m_weightSteps;
    double weightAt(bool alpha, int epoch) const;
    QList<EpochMetrics> m_history;
    std::array<bool, CurveCount> m_hasValues{}; // a row of the history gives the curve a number
    QTimer m_redrawTimer;
    double m_alpha = 1, m_beta = 1;
    int m_redrawCount = 0;
    bool m_compactLegend = false;
    QFont m_legendFont; // the full legend's, while the compact one is shown
};

} // namespace sobolev
