// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "animationexport.h"

#include <QDialog>
#include <QTimer>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace sobolev {

// File ▸ Export Animation…: the runs (one, or the Compare window's) replayed from their
// snapshots into a GIF, MP4 or WebM, with the choices of --animate: the file (its suffix is the
// format), the size, the frame rate, the length, the charts and linear or log time. The frames
// are drawn a few at a time from a timer, so the window stays responsive; Cancel stops and
// removes the file.
class AnimationExportDialog : public QDialog {
    Q_OBJECT
  public:
    AnimationExportDialog(const QList<AnimatedRun>& runs, QWidget* parent = nullptr);
    ~AnimationExportDialog() override;

    void setPath(const QString& path);
    AnimationSettings settings() const;
    void setSettings(const AnimationSettings& settings);
    bool isExporting() const { return m_export != nullptr; }
    QString message() const; // what the dialog says under its fields (tests)

  public slots:
    // Checks the choices and begins writing; a problem is shown under the fields instead.
    void startExport();
    void cancelExport();
    void reject() override; // while exporting: cancels, and stays open

  signals:
    // The file was written (then the dialog closes) or the export failed or was cancelled.
    void exported(const QString& path);
    void exportEnded(bool written);

  private slots:
    void browse();
    void writeSomeFrames();

  private:
    void showProblem(const QString& text);
    void setExporting(bool exporting);

    QList<AnimatedRun> m_runs;
    QLineEdit* m_path;
    QSpinBox *m_width, *m_height, *m_fps;
    QDoubleSpinBox* m_seconds;
    QList<std::pair<AnimationChart, QCheckBox*>> m_charts;
    QComboBox* m_time;
    QProgressBar* m_progress;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;
    QPushButton* m_exportButton;
    std::unique_ptr<AnimationExport> m_export;
    QString m_exportPath;
    QTimer m_timer;
};

} // namespace sobolev
