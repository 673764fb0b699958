// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainingcontroller.h"

#include "core/train/checkpointtimer.h"
#include "core/train/trainer.h"
#include "runcheckpoint.h"

#include <QDir>
#include <QMutexLocker>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace sobolev {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    m_frameTimer.setInterval(frameIntervalMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &TrainingController::deliverPending);
}

TrainingController::~TrainingController() {
    shutdown();
}

double TrainingController::elapsedSeconds() const {
    return m_elapsedBeforeSegment +
           (m_state == State::Running ? m_segmentClock.nsecsElapsed() * 1e-9 : 0.0);
}

void TrainingController::setEpochsPerSecondCap(int epochsPerSecond) {
    m_batchesPerSecondCap = 0;
    m_epochsPerSecondCap = std::max(0, epochsPerSecond);
}

void TrainingController::setBatchesPerSecondCap(int batchesPerSecond) {
    m_epochsPerSecondCap = 0;
    m_batchesPerSecondCap = std::max(0, batchesPerSecond);
}

void TrainingController::setCheckpointFolders(CheckpointFolderFor folderFor) {
    m_checkpointFolderFor = std::move(folderFor);
}

void TrainingController::continueInFolder(const QString& dir) {
    m_checkpointDir = dir;
}

namespace {

// A window's run reads its data path as given; no figures or report follow it.
RunOutputs windowRunOutputs() {
    RunOutputs outputs;
    outputs.workingDir = QDir::currentPath();
    return outputs;
}

} // namespace

void TrainingController::saveCheckpoint() {
    if (m_checkpointDir.isEmpty() || !m_trainer || m_trainer->finished())
        return;
    QString error;
    if (!writeCheckpoint(m_checkpointDir, m_trainer->checkpoint(), windowRunOutputs(), &error))
        qWarning("checkpoint: %s", qPrintable(error));
}

void TrainingController::setPredictions(Predictions predictions, int epoch, double seconds,
                                        int batch) {
    m_predictions = std::move(predictions);
    m_predictionsEpoch = epoch;
    m_predictionsBatch = batch;
    m_predictionsSeconds = seconds;
    emit predictionsUpdated(*m_predictions);
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
    launch(plannedRows(config));
}

void TrainingController::prepare(const TrainConfig& config) {
    if (m_state == State::Running)
        return;
    // Throws on an invalid config: a caller bug.
    adopt(config, std::make_unique<Trainer>(config), false);
}

bool TrainingController::prepareFrom(const TrainConfig& config, const TrainerCheckpoint& checkpoint,
                                     QString* error) {
    if (m_state == State::Running) {
        *error = tr("stop the current run first");
        return false;
    }
    auto trainer = std::make_unique<Trainer>(config);
    try {
        trainer->restore(checkpoint);
    } catch (const std::invalid_argument& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    TrainConfig withChanges = config; // the changes applied so far are the run's
    withChanges.changes = trainer->config().changes;
    adopt(withChanges, std::move(trainer), true);
    return true;
}

void TrainingController::adopt(const TrainConfig& config, std::unique_ptr<Trainer> trainer,
                               bool restored) {
    m_trainer = std::move(trainer);
    m_config = config;
    m_checkpointDir.clear();           // until it trains, or continueInFolder()
    m_trainedSincePrepared = restored; // going on is then not a fresh run
    {
        QMutexLocker lock(&m_mutex);
        m_requestedChanges.clear(); // they were for the run before
    }
    const std::vector<EpochMetrics>& history = m_trainer->history();
    m_history = QList<EpochMetrics>(history.begin(), history.end());
    m_report.reset();
    m_epochsDone = m_trainer->epochsDone();
    m_elapsedBeforeSegment = m_trainer->trainSeconds();
    const Eigen::RowVectorXf& x = m_trainer->trainingData().x;
    m_trainingPoints.assign(x.data(), x.data() + x.size());
    m_workerSeconds = m_trainer->trainSeconds();
    m_snapshots = m_trainer->snapshots();
    setState(State::Paused);
    emit runStarted(config);
    if (!m_history.isEmpty())
        emit epochsAvailable(m_history);
    setPredictions(m_trainer->predictions(), m_epochsDone, m_trainer->trainSeconds());
}

void TrainingController::interrupt() {
    // m_halt first: the worker, seeing the interrupt, checks it after clearing the interrupt.
    m_halt = true;
    m_interrupt = true;
}

void TrainingController::pause() {
    if (m_state != State::Running)
        return;
    m_after = AfterSegment::Pause;
    interrupt();
}

void TrainingController::changeKnob(Knob knob, double value) {
    if (m_state != State::Running && m_state != State::Paused)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_requestedChanges.append({knob, value, std::nullopt});
    }
    if (m_state == State::Running)
        m_interrupt = true; // after the request is queued: see the worker's loop
}

void TrainingController::applyRequestedChanges(Trainer& trainer) {
    QList<ChangeRequest> requests;
    {
        QMutexLocker lock(&m_mutex);
        requests.swap(m_requestedChanges);
    }
    if (requests.isEmpty())
        return;
    for (ChangeRequest& request : requests) {
        try {
            request.applied = trainer.applyChange(request.knob, request.value);
        } catch (const std::invalid_argument&) {
            // The panel sends only valid values; one out of range is refused like a late one.
        }
    }
    QMutexLocker lock(&m_mutex);
    m_seenChanges.append(requests);
    m_pendingChangeList = trainer.config().changes;
}

void TrainingController::resume() {
    if (m_state == State::Paused)
        launch(plannedRows(m_config));
}

void TrainingController::step() {
    if (m_state == State::Paused)
        launch(1);
}

void TrainingController::stop() {
    if (m_state == State::Running) {
        m_after = AfterSegment::Stop;
        interrupt();
    } else if (m_state == State::Paused) {
        m_trainer->markStopped();
        m_report = m_trainer->report();
        m_snapshots = m_trainer->snapshots();
        setState(State::Finished);
        emit runFinished(*m_report);
    }
}

void TrainingController::reset() {
    if (!m_trainer)
        return;
    if (m_state == State::Running) {
        m_after = AfterSegment::Reset;
        interrupt();
        return;
    }
    m_trainer->reset();
    m_checkpointDir.clear(); // the run it held is gone
    m_trainedSincePrepared = false;
    m_config.changes = m_trainer->config().changes; // the run's own, without live ones
    {
        QMutexLocker lock(&m_mutex);
        m_requestedChanges.clear();
    }
    m_history.clear();
    m_report.reset();
    m_snapshots = m_trainer->snapshots();
    m_epochsDone = 0;
    m_elapsedBeforeSegment = 0;
    m_workerSeconds = 0;
    setState(State::Paused);
    emit runReset();
    setPredictions(m_trainer->predictions(), 0, 0);
}

void TrainingController::shutdown() {
    if (!m_worker)
        return;
    m_after = AfterSegment::Stop;
    interrupt();
    m_worker->wait();
    onSegmentFinished();
}

void TrainingController::launch(int maxEpochs) {
    if (!m_trainer || m_trainer->finished() || m_worker)
        return;
    m_interrupt = false;
    m_halt = false;
    m_after = AfterSegment::Continue;
    m_trainedSincePrepared = true;
    if (m_checkpointDir.isEmpty() && m_checkpointFolderFor)
        m_checkpointDir = m_checkpointFolderFor(m_config);
    Trainer* trainer = m_trainer.get();
    m_worker = QThread::create([this, trainer, maxEpochs, dir = m_checkpointDir] {
        // Written on a thread of their own; the writer waits for the last before the segment
        // ends, so no write follows the run's final files.
        std::optional<CheckpointWriter> checkpoints;
        if (!dir.isEmpty())
            checkpoints.emplace(dir, windowRunOutputs());
        CheckpointTimer checkpointDue(checkpointInterval());
        using Clock = std::chrono::steady_clock;
        auto lastPrediction = Clock::now();
        auto nextStepDue = lastPrediction; // for slow motion
        // A snapshot of the network: a forward pass with tangents over the test grid, well
        // under a millisecond for the reference experiment. In batch slow motion each one is
        // kept for the charts (a few a second); otherwise only the newest.
        const auto publish = [&](int epoch, int batch, double seconds, bool keepEarlier) {
            Snapshot snapshot{trainer->predictions(), epoch, batch, seconds};
            lastPrediction = Clock::now();
            QMutexLocker lock(&m_mutex);
            if (!keepEarlier)
                m_pendingSnapshots.clear();
            m_pendingSnapshots.append(std::move(snapshot));
        };
        // Slow motion: sleep until the next step (epoch or batch) is due, waking for a pause
        // or stop; a change waits for the next step. The trainer's state is untouched, so the
        // run is the same as at full speed.
        const auto pace = [&](int stepsPerSecond) {
            const auto period = std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(1.0 / stepsPerSecond));
            nextStepDue = std::max(nextStepDue + period, Clock::now());
            while (!m_halt.load(std::memory_order_relaxed)) {
                const auto now = Clock::now();
                if (now >= nextStepDue)
                    break;
                std::this_thread::sleep_for(
                    std::min<Clock::duration>(nextStepDue - now, std::chrono::milliseconds(10)));
            }
        };
        const auto onBatch = [&](int epoch, int batch) {
            const int cap = m_batchesPerSecondCap.load(std::memory_order_relaxed);
            if (cap <= 0)
                return;
            publish(epoch, batch, m_workerSeconds.load(std::memory_order_relaxed), true);
            pace(cap);
        };
        const auto onEpoch = [&](const EpochMetrics& m) {
            const int batchCap = m_batchesPerSecondCap.load(std::memory_order_relaxed);
            const int epochCap = m_epochsPerSecondCap.load(std::memory_order_relaxed);
            {
                QMutexLocker lock(&m_mutex);
                m_pendingEpochs.append(m);
            }
            // At most every predictionIntervalMs, so that a few per second cost the worker
            // under 1 %; after every epoch in batch slow motion.
            if (batchCap > 0 ||
                Clock::now() - lastPrediction >= std::chrono::milliseconds(predictionIntervalMs))
                publish(m.epoch, 0, m.seconds, batchCap > 0);
            m_workerSeconds.store(m.seconds, std::memory_order_relaxed);
            if (checkpoints && checkpointDue.due(*trainer, m))
                checkpoints->save(trainer->checkpoint());
            if (batchCap > 0)
                pace(batchCap);
            else if (epochCap > 0)
                pace(epochCap);
        };
        // An interrupted epoch counts as one of maxEpochs, as in Trainer::train().
        const int lastRow = trainer->epochsDone() + maxEpochs;
        // Each pass: clear the interrupt, apply what was asked for, then train on until the
        // next interrupt. A change queued after applyRequestedChanges() took the queue sets
        // the interrupt after it was cleared here, so the next pass applies it; a halt is
        // seen by the check below or ends train() and is seen on the next pass.
        for (;;) {
            m_interrupt = false;
            applyRequestedChanges(*trainer);
            if (m_halt || trainer->finished() || trainer->epochsDone() >= lastRow)
                break;
            trainer->train(lastRow - trainer->epochsDone(), &m_interrupt, onEpoch, onBatch);
        }
        if (checkpoints)
            if (const QString error = checkpoints->finish(); !error.isEmpty())
                qWarning("checkpoint: %s", qPrintable(error));
        // The snapshots are evaluated on the grid when first asked for: here, rather than on
        // the GUI thread, which asks for them as the segment ends.
        trainer->snapshots();
    });
    m_worker->setObjectName(QStringLiteral("trainer"));
    connect(m_worker, &QThread::finished, this, &TrainingController::onSegmentFinished);
    m_segmentClock.start();
    setState(State::Running);
    m_frameTimer.start();
    m_worker->start();
}

void TrainingController::deliverPending() {
    QList<EpochMetrics> epochs;
    QList<Snapshot> snapshots;
    QList<ChangeRequest> changes;
    std::optional<std::vector<KnobChange>> changeList;
    {
        QMutexLocker lock(&m_mutex);
        epochs.swap(m_pendingEpochs);
        changes.swap(m_seenChanges);
        changeList.swap(m_pendingChangeList);
        // The newest snapshot goes with the epochs of the same frame: the fit charts follow
        // the loss chart however fast the epochs come.
        snapshots.swap(m_pendingSnapshots);
    }
    if (!epochs.isEmpty()) {
        m_history.append(epochs);
        m_epochsDone = epochs.constLast().epoch;
        emit epochsAvailable(epochs);
    }
    for (Snapshot& s : snapshots)
        setPredictions(std::move(s.predictions), s.epoch, s.seconds, s.batch);
    if (changeList)
        m_config.changes = std::move(*changeList);
    for (const ChangeRequest& change : changes) {
        if (change.applied)
            emit knobChanged(*change.applied);
        else
            emit knobChangeRefused(change.knob, change.value);
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
    deliverPending();

    const AfterSegment after = m_after;
    if (after == AfterSegment::Reset) {
        setState(State::Paused);
        reset();
        return;
    }
    if (after == AfterSegment::Stop)
        m_trainer->markStopped();
    setPredictions(m_trainer->predictions(), m_epochsDone,
                   m_history.isEmpty() ? 0.0 : m_history.constLast().seconds);
    m_snapshots = m_trainer->snapshots();
    if (m_trainer->finished()) {
        // Changes asked for as the worker finished the run came too late for it.
        QList<ChangeRequest> late;
        {
            QMutexLocker lock(&m_mutex);
            late.swap(m_requestedChanges);
        }
        m_report = m_trainer->report();
        setState(State::Finished);
        emit runFinished(*m_report);
        for (const ChangeRequest& request : late)
            emit knobChangeRefused(request.knob, request.value);
    } else {
        saveCheckpoint(); // where it paused, which may be mid-epoch
        setState(State::Paused);
    }
}

} // namespace sobolev
