// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/eval/baselines.h"
#include "core/eval/metrics.h"

#include <QTimer>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QChartView;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace sobolev {

// The network against the target on the test grid: f, f' or the pointwise error.
// New predictions are drawn at the next frame, so a stream of them costs one redraw each.
class FitChart : public QWidget {
    Q_OBJECT
  public:
    enum class Kind { Function, Derivative, Error };

    explicit FitChart(Kind kind, QWidget* parent = nullptr);
    ~FitChart() override;

    // The network is drawn on p's dense curve when it has one (measured data), the truth and
    // the errors at p's x.
    void setPredictions(const sobolev::Predictions& p);
    // The target alone (fHat and fprimeHat may be empty), with the y axis fitted afresh to it.
    void showTarget(const sobolev::Predictions& target);
    // Training inputs, marked on the reference (Runge) curve (not for Kind::Error).
    void setTrainingPoints(const std::vector<float>& x);
    // Training points with their values as trained on (noisy ones included): f for
    // Kind::Function, f' for Kind::Derivative.
    // `measured`: the points are measured data, which stand in for the target curve: they
    // are always shown, as "data", and a missing f' (NaN) is left out.
    void setTrainingData(const std::vector<float>& x, const std::vector<float>& f,
                         const std::vector<float>& fprime, bool measured = false);
    // Classical fits drawn over the network, one colour and dash pattern per kind (f and f'
    // charts: p and p'; error chart: |f - p| dashed, |f' - p'| dotted). Their points are on
    // the grid of the predictions shown. On the f and f' charts the y range follows the target
    // and the network, and a baseline that leaves it is clipped and says so in the legend; the
    // error chart's log axis shows the top decades of every curve.
    void setBaselines(const std::vector<sobolev::BaselineResult>& baselines);
    void clear();
    // A replayed step of the run: `when` ("at epoch 5") follows the title, so that nobody takes
    // the curves for the run's end; empty for the run as it is.
    void setStepLabel(const QString& when);
    QString stepLabel() const { return m_stepLabel; }
    // Rebuilds the curves now instead of at the next frame (tests, export).
    void redrawNow();

    Kind kind() const;
    bool trainingPointsVisible() const;
    int redrawCount() const;
    QChart* chart() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Presentation mode: the training points drawn small and light, so that on a projector
    // they do not bury the curves (the chart is drawn up to twice as large there).
    void setLightMarkers(bool light);
    bool lightMarkers() const { return m_lightMarkers; }

  public slots:
    void setTrainingPointsVisible(bool visible);

  signals:
    void redrawn(); // the curves on screen changed (benchmarks, tests)

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void scheduleRedraw();
    void redrawIfShown();
    void rebuildCurves();
    // `points` decimated to the plot's width on screen, replacing the series' only if they
    // differ.
    void setCurve(QLineSeries* series, const QList<QPointF>& points);
    void rebuildMarkers();
    void styleMarkers();
    void rebuildBaselineSeries(const std::vector<sobolev::BaselineResult>& baselines);
    void rebuildBaselineCurves();
    void nameClippedBaselines();
    void updateTitle();
    void updateRange();
    void showReadout(const QLineSeries* series, const QPointF& point, bool state);

    const Kind m_kind;
    QChartView* m_view = nullptr;
    QValueAxis* m_xAxis = nullptr;
    QAbstractAxis* m_yAxis = nullptr; // QLogValueAxis for Kind::Error, else QValueAxis
    QLineSeries* m_first = nullptr;   // true curve, or |f - f_theta|
    QLineSeries* m_second = nullptr;  // prediction, or |f' - d/dx f_theta|
    QScatterSeries* m_markers = nullptr;
    std::vector<sobolev::BaselineResult> m_baselines; // the fitted ones
    std::vector<QLineSeries*> m_baselineSeries;       // per baseline 1 (f, f') or 2 (error)
    Predictions m_predictions;
    std::vector<float> m_trainingX;
    std::vector<float> m_trainingY; // empty: on the Runge curve
    bool m_markersVisible = false;
    bool m_lightMarkers = false;
    bool m_measured = false; // the training data are measured data (setTrainingData())
    QString m_stepLabel;
    double m_yLo = 0, m_yHi = 0; // current y range; lo >= hi until there is data
    QTimer m_redrawTimer;
    int m_redrawCount = 0;
    bool m_redrawWhenShown = false; // new data arrived while the window hid the chart
};

} // namespace sobolev
