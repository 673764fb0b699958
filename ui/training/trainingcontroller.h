// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/eval/snapshot.h"

#include <QElapsedTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace sobolev {

class Trainer;
struct TrainerCheckpoint;

// Runs a Trainer on a worker thread and reports to the GUI thread.
//
// The worker runs in segments (until finished, paused or stopped); between segments the
// trainer belongs to this object again. Pause and stop set an atomic that the training loop
// checks between batches: a busy worker never runs an event loop, so queued calls would not
// reach it. Epoch metrics and a snapshot of the grid predictions (at most every
// predictionIntervalMs) are collected under a mutex and handed to the GUI by a frame timer,
// together, so the charts get at most ~30 updates a second however fast the epochs are and
// the fit charts never lag the loss chart by more than a snapshot interval and a frame. In
// batch slow motion (a few batches a second) every batch's snapshot is handed on.
//
// Live changes: changeKnob() queues a new alpha, beta or learning rate under the
// mutex and raises the interrupt; the worker, between two batches, applies it to the trainer
// (which records it in its config's `changes` at that epoch and batch) and trains on. A
// change asked for while paused is applied when the run goes on. Pause and stop raise a
// second atomic as well, so that a change never swallows them.
class TrainingController : public QObject {
    Q_OBJECT
  public:
    enum class State { Idle, Running, Paused, Finished };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    State state() const { return m_state; }
    bool hasRun() const { return m_trainer != nullptr; }
    // The run has not trained a batch since it was prepared or reset: going on with it is the
    // same as a fresh run of its config, so edited knobs make a fresh run rather than changes.
    bool atInitialWeights() const { return m_trainer && !m_trainedSincePrepared; }
    TrainConfig config() const { return m_config; }
    int epochsDone() const { return m_epochsDone; }
    double elapsedSeconds() const; // wall time of training so far
    QList<EpochMetrics> history() const { return m_history; }
    std::optional<Predictions> predictions() const { return m_predictions; }
    // The epoch (0 before training) and training time of the network in predictions().
    int predictionsEpoch() const { return m_predictionsEpoch; }
    // The batch of that epoch the network had just trained on, in batch slow motion; 0 at the
    // end of an epoch (or before training).
    int predictionsBatch() const { return m_predictionsBatch; }
    double predictionsSeconds() const { return m_predictionsSeconds; }
    // Training time of the newest epoch the worker finished; may be ahead of history().
    double workerSeconds() const { return m_workerSeconds.load(std::memory_order_relaxed); }
    // Slow motion: at most this many epochs a second (0: as fast as possible). The worker
    // sleeps between epochs, so the results are the same; takes effect at the next epoch.
    // Sets the batch cap to 0.
    int epochsPerSecondCap() const { return m_epochsPerSecondCap.load(); }
    void setEpochsPerSecondCap(int epochsPerSecond);
    // Slower still: at most this many batches a second, with the network's predictions after
    // every batch (predictionsBatch()), so that a class sees the fit form batch by batch. The
    // worker sleeps between batches: the results are the same. Sets the epoch cap to 0.
    int batchesPerSecondCap() const { return m_batchesPerSecondCap.load(); }
    void setBatchesPerSecondCap(int batchesPerSecond);
    std::optional<FitReport> report() const { return m_report; }
    // What the run recorded while it trained (Trainer::snapshots()) as of its last pause or
    // end, or its restore (prepareFrom); empty before it trains, after a reset and with
    // snapshots = 0. Replaced before stateChanged() announces Paused or Finished.
    const SnapshotSeries& snapshots() const { return m_snapshots; }
    const std::vector<float>& trainingPoints() const { return m_trainingPoints; }

    // How often the frame timer hands data to the GUI, and predictions are refreshed.
    static constexpr int frameIntervalMs = 33;
    static constexpr int predictionIntervalMs = 60;

    // The run a checkpoint of `config` holds (an interrupted run folder's), paused where it
    // was: its history so far arrives as epochs, and resume() continues it bit-identically.
    // False, with `error` saying why, when training or when the checkpoint does not fit.
    bool prepareFrom(const TrainConfig& config, const TrainerCheckpoint& checkpoint,
                     QString* error);

    // Checkpoints of the run into a run folder (runcheckpoint.h), so that a killed window
    // leaves the run interrupted, to be continued: every checkpointInterval() seconds while
    // it trains, and whenever it pauses. `folderFor` is asked for the folder when a run first
    // trains (empty: no checkpoints); continueInFolder() gives the run restored by
    // prepareFrom() the folder it came from. A new run or a reset has none until it trains.
    using CheckpointFolderFor = std::function<QString(const TrainConfig&)>;
    void setCheckpointFolders(CheckpointFolderFor folderFor);
    void continueInFolder(const QString& dir);
    QString checkpointFolder() const { return m_checkpointDir; }

  public slots:
    void start(const sobolev::TrainConfig& config); // a fresh run from the config's initial weights
    void prepare(const sobolev::TrainConfig& config); // a fresh run, paused before epoch 1
    void pause();
    void resume();
    void step();     // one epoch, then paused
    void stop();     // ends the run; it stays in view
    void reset();    // back to the initial weights of the current run
    void shutdown(); // stop and join the worker; for closing the window
    // Sets `knob` to `value` from the next batch of the run (running or paused).
    void changeKnob(sobolev::Knob knob, double value);

  signals:
    void stateChanged(sobolev::TrainingController::State state);
    void runStarted(const sobolev::TrainConfig& config);
    void runReset();
    void epochsAvailable(const QList<sobolev::EpochMetrics>& epochs);
    void predictionsUpdated(const sobolev::Predictions& predictions);
    void runFinished(const sobolev::FitReport& report);
    // The worker applied a change; config().changes has it, at this epoch and batch.
    void knobChanged(const sobolev::KnobChange& change);
    // A change that came after the Adam epochs (L-BFGS runs with the weights it started with)
    // or after the run ended.
    void knobChangeRefused(sobolev::Knob knob, double value);

  private:
    struct ChangeRequest {
        Knob knob;
        double value;
        std::optional<KnobChange> applied; // once the worker has seen it
    };
    void launch(int maxEpochs);
    // Makes `trainer` (of `config`, at its start or `restored` from a checkpoint) the run,
    // paused.
    void adopt(const TrainConfig& config, std::unique_ptr<Trainer> trainer, bool restored);
    // Worker thread: applies the queued changes between batches.
    void applyRequestedChanges(Trainer& trainer);
    void interrupt(); // pause, stop or reset: the worker ends its segment
    void onSegmentFinished();
    void deliverPending();
    void setPredictions(Predictions predictions, int epoch, double seconds, int batch = 0);
    void setState(State state);
    void saveCheckpoint(); // between segments, into m_checkpointDir

    TrainConfig m_config;
    std::unique_ptr<Trainer> m_trainer;
    QThread* m_worker = nullptr;
    std::atomic<bool> m_interrupt{false}; // the trainer's stop flag: a halt or a change
    std::atomic<bool> m_halt{false};      // pause, stop, reset: end the segment
    std::atomic<int> m_epochsPerSecondCap{0};
    std::atomic<int> m_batchesPerSecondCap{0};
    std::atomic<double> m_workerSeconds{0};
    enum class AfterSegment { Continue, Pause, Stop, Reset } m_after = AfterSegment::Continue;
    State m_state = State::Idle;
    bool m_trainedSincePrepared = false;

    // Shared with the worker, under m_mutex.
    mutable QMutex m_mutex;
    QList<EpochMetrics> m_pendingEpochs;
    struct Snapshot {
        Predictions predictions;
        int epoch = 0, batch = 0;
        double seconds = 0;
    };
    // The newest snapshot only; in batch slow motion every batch's, a few a second.
    QList<Snapshot> m_pendingSnapshots;
    QList<ChangeRequest> m_requestedChanges;                    // for the worker to apply
    QList<ChangeRequest> m_seenChanges;                         // applied or refused, for the GUI
    std::optional<std::vector<KnobChange>> m_pendingChangeList; // the trainer's after them

    // GUI-thread copies.
    QList<EpochMetrics> m_history;
    std::optional<Predictions> m_predictions;
    int m_predictionsEpoch = 0;
    int m_predictionsBatch = 0;
    double m_predictionsSeconds = 0;
    std::optional<FitReport> m_report;
    SnapshotSeries m_snapshots;
    std::vector<float> m_trainingPoints;
    int m_epochsDone = 0;
    QTimer m_frameTimer;
    QElapsedTimer m_segmentClock;
    double m_elapsedBeforeSegment = 0;
    CheckpointFolderFor m_checkpointFolderFor;
    QString m_checkpointDir; // of the run in hand; empty: not checkpointed (yet)
};

} // namespace sobolev
