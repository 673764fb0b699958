// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/baselines.h"
#include "core/train/checkpoint.h"
#include "reportcontent.h"

#include <QString>
#include <QStringList>

#include <future>
#include <optional>
#include <vector>

namespace sobolev {

// A run folder while its run trains (the headless mode): config.json from the start, and
// checkpoint.json, which marks the run "interrupted" until the final files are written. Every
// few seconds and at the end of each phase checkpoint.bin is replaced (Trainer::checkpoint(),
// written through a temporary file renamed into place). When the run ends, history.csv,
// predictions.csv and metrics.json are written and both checkpoint files removed. So a folder
// with checkpoint.json and no metrics.json is a run that was killed; `--resume DIR` continues
// it from checkpoint.bin (from the start when it was killed before the first one).
inline constexpr const char* checkpointStatusFile = "checkpoint.json";
inline constexpr const char* checkpointStateFile = "checkpoint.bin";

// Seconds between two checkpoints of a training run, in the headless mode and in the window:
// SOBOLEV_CHECKPOINT_SECONDS (0: after every row, for tests), by default a few, so that a
// killed run loses little and checkpoints do not slow the run down.
double checkpointInterval();

// What the headless mode writes besides the run's own files, so that a resumed run ends as
// the one that was started would have.
struct RunOutputs {
    bool plots = false;
    double figureScale = 1;
    bool report = false;
    ReportPage reportPage = ReportPage::A4;
    std::vector<BaselineSpec> baselines;
    QString workingDir; // where the run started: its config's relative data path is from there
};

enum class RunFolderState {
    NotARun,     // no config.json, or neither metrics.json nor checkpoint.json
    Interrupted, // checkpoint.json and no metrics.json
    Finished     // metrics.json
};
RunFolderState runFolderState(const QString& dir);

// config.json and checkpoint.json ("interrupted", no rows yet).
bool beginRunFolder(const QString& dir, const TrainConfig& config, const RunOutputs& outputs,
                    QString* error);
// checkpoint.bin, then checkpoint.json with the rows done.
bool writeCheckpoint(const QString& dir, const TrainerCheckpoint& checkpoint,
                     const RunOutputs& outputs, QString* error);
// Once the final files are written.
bool removeCheckpoint(const QString& dir, QString* error);

// writeCheckpoint() on a thread of its own, so that the training thread only copies the state:
// a write takes ~10 ms, most of it waiting for the disk (the files are synced before the
// rename). One write at a time: save() first waits for the one before.
class CheckpointWriter {
  public:
    CheckpointWriter(QString dir, RunOutputs outputs);
    ~CheckpointWriter(); // waits for the write in progress
    CheckpointWriter(const CheckpointWriter&) = delete;
    CheckpointWriter& operator=(const CheckpointWriter&) = delete;

    void save(TrainerCheckpoint checkpoint);
    // Waits for the write in progress; the first error of all writes so far, or empty.
    QString finish();

  private:
    QString m_dir;
    RunOutputs m_outputs;
    std::future<QString> m_pending;
    QString m_firstError;
};

// An interrupted run folder read back: its config (data read from outputs.workingDir), what
// it writes, and its last checkpoint (none: killed before the first). Every problem names
// the file and what is wrong; the rest is only meaningful without errors.
struct InterruptedRun {
    TrainConfig config;
    RunOutputs outputs;
    std::optional<TrainerCheckpoint> checkpoint;
    QStringList errors;
};
InterruptedRun readInterruptedRun(const QString& dir);

} // namespace sobolev
