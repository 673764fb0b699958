// SPDX-License-Identifier: GPL-3.0-or-later
#include "animationexportdialog.h"

#include "animationlimits.h"
#include "settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sobolev {

namespace {

// Frames are drawn for at most this long per timer tick, so that input and painting go on.
constexpr int sliceMs = 40;

QSpinBox* spinBox(int lo, int hi, int value, const QString& suffix = {}) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

} // namespace

AnimationExportDialog::AnimationExportDialog(const QList<AnimatedRun>& runs, QWidget* parent)
    : QDialog(parent), m_runs(runs) {
    setWindowTitle(runs.size() > 1 ? tr("Export Comparison Animation") : tr("Export Animation"));
    namespace limits = animationlimits;
    m_path = new QLineEdit(QDir(settings::exportFolder().get())
                               .filePath(runs.size() > 1 ? QStringLiteral("comparison.gif")
                                                         : QStringLiteral("run.gif")));
    m_path->setToolTip(tr("The format follows the name: .gif, .mp4 (H.264) or .webm (VP9)"));
    auto* browse = new QPushButton(tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, &AnimationExportDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    const AnimationSettings defaults;
    m_width = spinBox(limits::minSize.width(), limits::maxSize.width(), defaults.size.width());
    m_height = spinBox(limits::minSize.height(), limits::maxSize.height(), defaults.size.height());
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×")));
    sizeRow->addWidget(m_height);
    sizeRow->addWidget(new QLabel(tr("pixels")));
    sizeRow->addStretch();
    m_fps = spinBox(limits::minFps, limits::maxVideoFps, defaults.fps);
    m_seconds = new QDoubleSpinBox;
    m_seconds->setRange(animationlimits::minSeconds, animationlimits::maxSeconds);
    m_seconds->setDecimals(1);
    m_seconds->setValue(defaults.seconds);
    m_seconds->setSuffix(tr(" s"));

    auto* chartsRow = new QHBoxLayout;
    for (const auto& [chart, label] : {std::pair{AnimationChart::Function, tr("f")},
                                       {AnimationChart::Derivative, tr("f′")},
                                       {AnimationChart::Error, tr("error")},
                                       {AnimationChart::Loss, tr("loss")}}) {
        auto* box = new QCheckBox(label);
        box->setChecked(defaults.charts.contains(chart));
        m_charts.append({chart, box});
        chartsRow->addWidget(box);
    }
    chartsRow->addStretch();
    m_time = new QComboBox;
    m_time->addItem(tr("Log: each tenfold of epochs as long, the first epochs slowed down"),
                    QVariant::fromValue(int(AnimationTime::Log)));
    m_time->addItem(tr("Linear: every epoch as long"),
                    QVariant::fromValue(int(AnimationTime::Linear)));

    auto* form = new QFormLayout;
    auto* pathLabel = new QLabel(tr("&File:"));
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(tr("Frames per &second:"), m_fps);
    form->addRow(tr("&Length:"), m_seconds);
    form->addRow(tr("Charts:"), chartsRow);
    form->addRow(tr("&Time:"), m_time);

    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_exportButton = m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AnimationExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AnimationExportDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &AnimationExportDialog::writeSomeFrames);
}

AnimationExportDialog::~AnimationExportDialog() = default;

void AnimationExportDialog::setPath(const QString& path) {
    m_path->setText(path);
}

AnimationSettings AnimationExportDialog::settings() const {
    AnimationSettings s;
    s.size = QSize(m_width->value(), m_height->value());
    s.fps = m_fps->value();
    s.seconds = m_seconds->value();
    s.charts.clear();
    for (const auto& [chart, box] : m_charts)
        if (box->isChecked())
            s.charts << chart;
    s.time = AnimationTime(m_time->currentData().toInt());
    return s;
}

void AnimationExportDialog::setSettings(const AnimationSettings& s) {
    m_width->setValue(s.size.width());
    m_height->setValue(s.size.height());
    m_fps->setValue(s.fps);
    m_seconds->setValue(s.seconds);
    for (const auto& [chart, box] : m_charts)
        box->setChecked(s.charts.contains(chart));
    m_time->setCurrentIndex(m_time->findData(int(s.time)));
}

QString AnimationExportDialog::message() const {
    return m_message->text();
}

void AnimationExportDialog::browse() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Animation"), m_path->text(),
        tr("GIF animation (*.gif);;MP4 video, H.264 (*.mp4);;WebM video, VP9 (*.webm)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void AnimationExportDialog::showProblem(const QString& text) {
    m_message->setText(text);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
}

void AnimationExportDialog::setExporting(bool exporting) {
    for (QWidget* w : findChildren<QWidget*>())
        if (w != m_buttons && !m_buttons->isAncestorOf(w) && w != m_progress && w != m_message &&
            w->parentWidget() == this)
            w->setEnabled(!exporting);
    m_exportButton->setEnabled(!exporting);
    m_progress->setVisible(exporting || m_progress->value() > 0);
}

void AnimationExportDialog::startExport() {
    if (m_export)
        return;
    const QString path = m_path->text().trimmed();
    const AnimationSettings s = settings();
    QString error;
    const QStringList problems = animationOutputProblems(path, s);
    if (!problems.isEmpty())
        return showProblem(problems.join(QLatin1Char('\n')));
    m_export = AnimationExport::open(path, m_runs, s, &error);
    if (!m_export)
        return showProblem(error);
    m_exportPath = path;
    settings::exportFolder().set(QFileInfo(path).absolutePath());
    m_message->setStyleSheet({});
    m_message->setText(tr("Drawing %n frame(s)…", nullptr, m_export->frameCount()));
    m_progress->setRange(0, m_export->frameCount());
    m_progress->setValue(0);
    setExporting(true);
    m_timer.start();
}

void AnimationExportDialog::writeSomeFrames() {
    QElapsedTimer clock;
    clock.start();
    QString error;
    while (!m_export->done() && clock.elapsed() < sliceMs)
        if (!m_export->writeNext(&error))
            break;
    m_progress->setValue(m_export->framesWritten());
    if (error.isEmpty() && !m_export->done())
        return;
    m_timer.stop();
    const bool written = error.isEmpty() && m_export->finish(&error);
    m_export.reset();
    setExporting(false);
    emit exportEnded(written);
    if (!written)
        return showProblem(error);
    emit exported(m_exportPath);
    accept();
}

void AnimationExportDialog::cancelExport() {
    if (!m_export)
        return;
    m_timer.stop();
    m_export.reset(); // unfinished, it removes its file
    setExporting(false);
    m_progress->setVisible(false);
    m_message->setStyleSheet({});
    m_message->setText(tr("Cancelled; no file was written."));
    emit exportEnded(false);
}

void AnimationExportDialog::reject() {
    if (m_export)
        return cancelExport();
    QDialog::reject();
}

} // namespace sobolev
