// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportdialog.h"

#include "settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sobolev {

namespace {

QString figureDirFor(const QString& pdfPath) {
    return QFileInfo(pdfPath).completeBaseName() + QStringLiteral("_files");
}

} // namespace

ReportDialog::ReportDialog(QWidget* parent, const QString& fileName, bool withNotes)
    : QDialog(parent), m_path(new QLineEdit(this)), m_page(new QComboBox(this)),
      m_markdown(new QCheckBox(this)), m_problem(new QLabel(this)) {
    setWindowTitle(tr("Export Report"));
    // The folder of the other exports too.
    const QString dir = settings::exportFolder().get();
    m_path->setText(QDir::toNativeSeparators(QDir(dir).filePath(fileName)));
    m_path->setObjectName(QStringLiteral("reportPath"));
    m_path->setToolTip(tr("The PDF to write (a name ending in .pdf, in a folder that exists)"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ReportDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    m_page->setObjectName(QStringLiteral("reportPage"));
    m_page->addItem(tr("A4 (210 × 297 mm)"), QVariant::fromValue(int(ReportPage::A4)));
    m_page->addItem(tr("Letter (8.5 × 11 in)"), QVariant::fromValue(int(ReportPage::Letter)));
    const auto saved = reportPageFromName(settings::reportPage().get());
    m_page->setCurrentIndex(int(saved.value_or(defaultReportPage())));

    m_markdown->setObjectName(QStringLiteral("reportMarkdown"));
    m_markdown->setChecked(settings::reportWithMarkdown().get());
    connect(m_path, &QLineEdit::textChanged, this, &ReportDialog::describeMarkdown);
    describeMarkdown();

    m_problem->setObjectName(QStringLiteral("reportProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->setWordWrap(true);
    m_problem->hide();

    auto* form = new QFormLayout;
    auto* pathLabel = new QLabel(tr("&PDF file:"), this);
    pathLabel->setBuddy(m_path); // a label of a row of several widgets gets no buddy by itself
    form->addRow(pathLabel, pathRow);
    form->addRow(tr("P&aper:"), m_page);
    form->addRow(QString(), m_markdown);
    if (withNotes) {
        m_notes = new QPlainTextEdit(this);
        m_notes->setObjectName(QStringLiteral("reportNotes"));
        m_notes->setPlaceholderText(
            tr("Your notes, printed first in the report: e.g. which β gives the lowest MSE f′, "
               "and why. A blank line starts a new paragraph."));
        m_notes->setTabChangesFocus(true);
        auto* notesLabel = new QLabel(tr("&Notes:"), this);
        notesLabel->setBuddy(m_notes);
        form->addRow(notesLabel, m_notes);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ReportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ReportDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(withNotes ? 640 : 560, sizeHint().height());
}

QString ReportDialog::notes() const {
    return m_notes ? m_notes->toPlainText() : QString();
}

void ReportDialog::setNotes(const QString& text) {
    if (m_notes)
        m_notes->setPlainText(text);
}

QString ReportDialog::pdfPath() const {
    QString path = QDir::fromNativeSeparators(m_path->text().trimmed());
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".pdf");
    return path;
}

ReportTarget ReportDialog::target() const {
    const QString path = pdfPath();
    return {path, ReportPage(m_page->currentData().toInt()), m_markdown->isChecked(),
            figureDirFor(path)};
}

void ReportDialog::setPath(const QString& path) {
    m_path->setText(QDir::toNativeSeparators(path));
}

void ReportDialog::browse() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), pdfPath(),
                                                      tr("PDF document (*.pdf)"));
    if (!path.isEmpty())
        setPath(path);
}

void ReportDialog::describeMarkdown() {
    const QString path = pdfPath();
    m_markdown->setText(
        path.isEmpty() ? tr("Also write the &Markdown and its figures beside the PDF")
                       : tr("Also write the &Markdown beside it: %1 and the figures in %2/")
                             .arg(QFileInfo(markdownPathFor(path)).fileName(), figureDirFor(path)));
}

void ReportDialog::accept() {
    const QString path = pdfPath();
    const QFileInfo info(path);
    QString problem;
    if (path.isEmpty())
        problem = tr("Give the PDF a file name ending in .pdf.");
    else if (info.suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) != 0)
        problem = tr("A report is written as PDF: the name must end in .pdf, not .%1.")
                      .arg(info.suffix());
    else if (info.isDir())
        problem = tr("%1 is a folder; add a file name ending in .pdf.")
                      .arg(QDir::toNativeSeparators(path));
    else if (!info.dir().exists())
        problem =
            tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(info.absolutePath()));
    if (!problem.isEmpty()) {
        m_problem->setText(problem);
        m_problem->show();
        m_path->setFocus();
        return;
    }
    settings::exportFolder().set(info.absolutePath());
    settings::reportPage().set(reportPageName(target().page));
    settings::reportWithMarkdown().set(m_markdown->isChecked());
    QDialog::accept();
}

} // namespace sobolev
