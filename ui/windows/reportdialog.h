// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "reportpdf.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace sobolev {

// File ▸ Export Report…: where the PDF goes, its paper (A4 or Letter; the last choice, at
// first the locale's), and whether the Markdown and its figures go beside it. OK refuses a
// path that cannot take the report and says why, at the field. With `withNotes` (the
// Compare and Sweep windows) it also takes free-text notes for the report.
class ReportDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ReportDialog(QWidget* parent = nullptr,
                          const QString& fileName = QStringLiteral("report.pdf"),
                          bool withNotes = false);

    // The notes typed (empty without a notes field).
    QString notes() const;
    void setNotes(const QString& text);

    // The accepted choice; the figures of the Markdown go into "<name>_files".
    ReportTarget target() const;
    // The choice as the fields hold it now (for tests); ".pdf" is added to a name without one.
    void setPath(const QString& path);

  public slots:
    void accept() override;

  private slots:
    void browse();
    void describeMarkdown();

  private:
    QString pdfPath() const;
    QLineEdit* m_path;
    QComboBox* m_page;
    QCheckBox* m_markdown;
    QLabel* m_problem;
    QPlainTextEdit* m_notes = nullptr;
};

} // namespace sobolev
