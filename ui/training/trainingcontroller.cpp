// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainingcontroller.h"

#include "trainer.h"

#include <QMutexLocker>
#include <QThread>

#include <chrono>

namespace sobolev {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    m_frameTimer.setInterval(frameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this,
            [this] { deliverPending(Delivery::OnePerFrame); });
}

TrainingController::~TrainingController() {
    shutdown();
}

double TrainingController::elapsedSeconds() const {
    return m_elapsedBeforeSegment +
           (m_state == State::Running ? m_segmentClock.nsecsElapsed() * 1e-9 : 0.0);
}

void TrainingController::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void TrainingController::start(const TrainConfig& config) {
    if (m_state == State::Running)
        return;
    prepare(config);
    launch(config.epochs);
}

void TrainingController::prepare(const TrainConfig& config) {
    if (m_state == State::Running)
        return;
    m_trainer = std::make_unique<Trainer>(config); // throws on an invalid config: a caller bug
    m_config = config;
    m_history.clear();
    m_report.reset();
    m_epochsDone = 0;
    m_elapsedBeforeSegment = 0;
    const Eigen::RowVectorXf& x = m_trainer->trainingData().x;
    m_trainingPoints.assign(x.data(), x.data() + x.size());
    m_predictions = m_trainer->predictions();
    setState(State::Paused);
    emit runStarted(config);
    emit predictionsUpdated(*m_predictions);
}

void TrainingController::pause() {
    if (m_state != State::Running)
        return;
    m_after = AfterSegment::Pause;
    m_interrupt = true;
}

void TrainingController::resume() {
    if (m_state == State::Paused)
        launch(m_config.epochs);
}

void TrainingController::step() {
    if (m_state == State::Paused)
        launch(1);
}

void TrainingController::stop() {
    if (m_state == State::Running) {
        m_after = AfterSegment::Stop;
        m_interrupt = true;
    } else if (m_state == State::Paused) {
        m_trainer->markStopped();
        m_report = m_trainer->report();
        setState(State::Finished);
        emit runFinished(*m_report);
    }
}

void TrainingController::reset() {
    if (!m_trainer)
        return;
    if (m_state == State::Running) {
        m_after = AfterSegment::Reset;
        m_interrupt = true;
        return;
    }
    m_trainer->reset();
    m_history.clear();
    m_report.reset();
    m_epochsDone = 0;
    m_elapsedBeforeSegment = 0;
    m_predictions = m_trainer->predictions();
    setState(State::Paused);
    emit runReset();
    emit predictionsUpdated(*m_predictions);
}

void TrainingController::shutdown() {
    if (!m_worker)
        return;
    m_after = AfterSegment::Stop;
    m_interrupt = true;
    m_worker->wait();
    onSegmentFinished();
}

void TrainingController::launch(int maxEpochs) {
    if (!m_trainer || m_trainer->finished() || m_worker)
        return;
    m_interrupt = false;
    m_after = AfterSegment::Continue;
    Trainer* trainer = m_trainer.get();
    m_worker = QThread::create([this, trainer, maxEpochs] {
        using Clock = std::chrono::steady_clock;
        auto lastPrediction = Clock::now();
        trainer->train(maxEpochs, &m_interrupt, [&](const EpochMetrics& m) {
            std::optional<Predictions> p;
            const auto now = Clock::now();
            if (now - lastPrediction >= std::chrono::milliseconds(predictionIntervalMs)) {
                p = trainer->predictions();
                lastPrediction = now;
            }
            QMutexLocker lock(&m_mutex);
            m_pendingEpochs.append(m);
            if (p)
                m_pendingPredictions = std::move(p);
        });
    });
    m_worker->setObjectName(QStringLiteral("trainer"));
    connect(m_worker, &QThread::finished, this, &TrainingController::onSegmentFinished);
    m_segmentClock.start();
    setState(State::Running);
    m_frameTimer.start();
    m_worker->start();
}

void TrainingController::deliverPending(Delivery delivery) {
    QList<EpochMetrics> epochs;
    std::optional<Predictions> predictions;
    {
        QMutexLocker lock(&m_mutex);
        epochs.swap(m_pendingEpochs);
        // The loss chart and the three fit charts each cost a frame's worth of drawing; on
        // separate frames the GUI never spends two of them back to back.
        if (delivery == Delivery::Everything || epochs.isEmpty())
            predictions.swap(m_pendingPredictions);
    }
    if (!epochs.isEmpty()) {
        m_history.append(epochs);
        m_epochsDone = epochs.constLast().epoch;
        emit epochsAvailable(epochs);
    }
    if (predictions) {
        m_predictions = std::move(predictions);
        emit predictionsUpdated(*m_predictions);
    }
}

void TrainingController::onSegmentFinished() {
    if (!m_worker)
        return; // already handled by shutdown()
    m_worker->wait();
    m_worker->deleteLater();
    m_worker = nullptr;
    m_frameTimer.stop();
    m_elapsedBeforeSegment += m_segmentClock.nsecsElapsed() * 1e-9;
    deliverPending(Delivery::Everything);

    const AfterSegment after = m_after;
    if (after == AfterSegment::Reset) {
        setState(State::Paused);
        reset();
        return;
    }
    if (after == AfterSegment::Stop)
        m_trainer->markStopped();
    m_predictions = m_trainer->predictions();
    emit predictionsUpdated(*m_predictions);
    if (m_trainer->finished()) {
        m_report = m_trainer->report();
        setState(State::Finished);
        emit runFinished(*m_report);
    } else {
        setState(State::Paused);
    }
}

} // namespace sobolev
