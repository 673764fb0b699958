// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"

#include <QStringList>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace sobolev {

// The Target group's choice of measured data: a "Data file…" button with a file dialog, the
// file's name, row count and whether f′ is present, a button to go back to the target, and
// the validation share. It holds the rows read (the storage layer reads and hashes the file).
class DataFileRow : public QWidget {
    Q_OBJECT
  public:
    explicit DataFileRow(QWidget* parent = nullptr);

    // Shows the data of `config` (none when config.data is empty).
    void showData(const TrainConfig& config);
    // Puts the row's data, hash and validation share into `config`.
    void applyTo(TrainConfig& config) const;
    bool hasData() const { return bool(m_data.measured); }
    QDoubleSpinBox* validationBox() const { return m_validation; }

  public slots:
    // Reads `path`; on success the row holds its rows and emits dataChanged(), otherwise it
    // keeps what it had and returns the problems (file, line and column named).
    QStringList loadFile(const QString& path);
    // Reads `path` on a worker thread, with a progress dialog and Cancel when it takes a while
    // (a million rows take about two seconds); a bad file is refused in a message box.
    void loadFileInBackground(const QString& path);
    // Asks for a CSV file and loads it as above.
    void chooseFile();
    // Back to the target: no data.
    void clearData();

  signals:
    void dataChanged();

  private:
    void refresh();
    // The file read into `loaded` becomes the row's data.
    void take(const TrainConfig& loaded);

    TrainConfig m_data; // only its data fields are used
    QPushButton* m_choose = nullptr;
    QToolButton* m_clear = nullptr;
    QLabel* m_summary = nullptr;
    QDoubleSpinBox* m_validation = nullptr;
};

} // namespace sobolev
