// SPDX-License-Identifier: GPL-3.0-or-later
#include "runfigures.h"

#include "chartexport.h"
#include "fitchart.h"
#include "trainingchart.h"

#include <QAbstractAxis>
#include <QChart>
#include <QCoreApplication>
#include <QGraphicsLayout>
#include <QLegend>

namespace sobolev {

namespace {

// Every text of `chart` (title, legend, axis labels and titles) at documentMinPointSize or
// more.
void readableInDocuments(QChart* chart) {
    const auto atLeast = [](QFont font) {
        if (font.pointSizeF() > 0 && font.pointSizeF() < documentMinPointSize)
            font.setPointSizeF(documentMinPointSize);
        return font;
    };
    chart->setTitleFont(atLeast(chart->titleFont()));
    chart->legend()->setFont(atLeast(chart->legend()->font()));
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsFont(atLeast(axis->labelsFont()));
        axis->setTitleFont(atLeast(axis->titleFont()));
    }
}

} // namespace

void showOffscreen(const QList<QWidget*>& widgets, QSize size) {
    for (QWidget* w : widgets) {
        w->setAttribute(Qt::WA_DontShowOnScreen);
        w->resize(size);
        w->show();
    }
}

void layOutCharts(const QList<QChart*>& charts) {
    for (QChart* chart : charts) {
        // The legend first: a series added after the chart was shown (a knob change's marker)
        // leaves it a layout request of its own.
        QCoreApplication::sendPostedEvents(chart->legend(), QEvent::LayoutRequest);
        QCoreApplication::sendPostedEvents(chart, QEvent::LayoutRequest);
        chart->layout()->activate();
    }
}

void showMeasuredData(const RunRecord& run, FitChart* chart) {
    if (run.config.data.empty() || chart->kind() == FitChart::Kind::Error)
        return;
    const auto floats = [](const std::vector<double>& v) {
        return std::vector<float>(v.begin(), v.end());
    };
    const Predictions& p = run.predictions;
    chart->setTrainingData(floats(p.x), floats(p.f), floats(p.fprime), true);
    chart->redrawNow();
}

RunFigures::RunFigures(const RunRecord& run, QSize size,
                       const std::vector<BaselineResult>& baselines)
    : m_training(std::make_unique<TrainingChart>()),
      m_f(std::make_unique<FitChart>(FitChart::Kind::Function)),
      m_fprime(std::make_unique<FitChart>(FitChart::Kind::Derivative)),
      m_error(std::make_unique<FitChart>(FitChart::Kind::Error)) {
    for (FitChart* chart : {m_f.get(), m_fprime.get()})
        showMeasuredData(run, chart);
    showOffscreen({m_training.get(), m_f.get(), m_fprime.get(), m_error.get()}, size);
    QList<QChart*> charts;
    for (const auto& [name, chart] : figures()) {
        readableInDocuments(chart);
        charts << chart;
    }
    layOutCharts(charts);
    m_training->setLossWeights(run.config.alpha, run.config.beta);
    m_training->setKnobChanges(run.config);
    m_training->setHistory(QList<EpochMetrics>(run.history.begin(), run.history.end()));
    m_training->redrawNow();
    for (FitChart* chart : {m_f.get(), m_fprime.get(), m_error.get()}) {
        chart->setPredictions(run.predictions);
        chart->setBaselines(baselines);
        chart->redrawNow();
    }
    layOutCharts(charts);
}

RunFigures::~RunFigures() = default;

QList<std::pair<QString, QChart*>> RunFigures::figures() const {
    return {{QStringLiteral("training"), m_training->chart()},
            {QStringLiteral("f"), m_f->chart()},
            {QStringLiteral("fprime"), m_fprime->chart()},
            {QStringLiteral("error"), m_error->chart()}};
}

QChart* RunFigures::chart(const QString& name) const {
    for (const auto& [figureName, chart] : figures())
        if (figureName == name)
            return chart;
    return nullptr;
}

} // namespace sobolev
