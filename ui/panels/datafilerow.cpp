// SPDX-License-Identifier: GPL-3.0-or-later
#include "datafilerow.h"

#include "backgroundwork.h"
#include "measuredfile.h"
#include "settings.h"

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace sobolev {

DataFileRow::DataFileRow(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    auto* buttons = new QHBoxLayout;
    m_choose = new QPushButton(tr("&Data file…"));
    m_choose->setObjectName(QStringLiteral("dataFileButton"));
    m_choose->setToolTip(
        tr("Train on measured data instead of a target: a CSV file with columns x, f and "
           "optionally f′ (a header line such as x,f,fprime is optional; an empty f′ cell means "
           "no f′ on that row, and the β term then averages over the rows that have it)."));
    connect(m_choose, &QPushButton::clicked, this, &DataFileRow::chooseFile);
    m_clear = new QToolButton;
    m_clear->setObjectName(QStringLiteral("dataClearButton"));
    m_clear->setText(tr("Use the target"));
    m_clear->setToolTip(tr("Forget the data file and train on the target f(x) again."));
    connect(m_clear, &QToolButton::clicked, this, &DataFileRow::clearData);
    m_validation = new QDoubleSpinBox;
    m_validation->setObjectName(QStringLiteral("data_validation"));
    m_validation->setRange(0, limits::maxDataValidation);
    m_validation->setSingleStep(0.05);
    m_validation->setDecimals(2);
    m_validation->setPrefix(tr("validation "));
    m_validation->setAccessibleName(tr("Validation share of the data"));
    m_validation->setToolTip(
        tr("The share of the data's rows held out for validation, drawn from the seed; the "
           "metrics are then on those rows. 0: no split, the metrics are on the training "
           "data."));
    connect(m_validation, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        m_data.dataValidation = value;
        emit dataChanged();
    });
    // Two short lines rather than one that the panel's width would clip.
    buttons->addWidget(m_choose);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    column->addLayout(buttons);
    column->addWidget(m_validation);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("dataSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_summary);
    refresh();
}

void DataFileRow::showData(const TrainConfig& config) {
    m_data.data = config.data;
    m_data.dataSha256 = config.dataSha256;
    m_data.measured = config.measured;
    m_data.dataValidation = config.dataValidation;
    {
        const QSignalBlocker quiet(m_validation);
        m_validation->setValue(config.dataValidation);
    }
    refresh();
}

void DataFileRow::applyTo(TrainConfig& config) const {
    config.data = m_data.data;
    config.dataSha256 = m_data.dataSha256;
    config.measured = m_data.measured;
    config.dataValidation = m_data.dataValidation;
}

QStringList DataFileRow::loadFile(const QString& path) {
    TrainConfig loaded = m_data;
    loaded.data = path.toStdString();
    const QStringList errors = loadMeasuredData(loaded, QString(), QString());
    if (!errors.isEmpty())
        return errors;
    take(loaded);
    return {};
}

void DataFileRow::take(const TrainConfig& loaded) {
    m_data.data = loaded.data;
    m_data.dataSha256 = loaded.dataSha256;
    m_data.measured = loaded.measured;
    refresh();
    emit dataChanged();
}

void DataFileRow::loadFileInBackground(const QString& path) {
    const QFileInfo info(path);
    auto* work = new BackgroundWork(
        window(), tr("Measured Data"),
        tr("Reading %1 (%2)…").arg(info.fileName(), QLocale().formattedDataSize(info.size())));
    auto loaded = std::make_shared<TrainConfig>(m_data);
    loaded->data = path.toStdString();
    auto errors = std::make_shared<QStringList>();
    m_choose->setEnabled(false);
    work->start(
        [loaded, errors, size = info.size()](BackgroundWork::Progress& progress) {
            progress.total = 3 * size; // read, hashed, parsed
            *errors =
                loadMeasuredData(*loaded, QString(), QString(), &progress.done, &progress.cancel);
        },
        [this, work, loaded, errors](bool cancelled) {
            work->deleteLater();
            m_choose->setEnabled(true);
            if (cancelled) // the data shown stay
                return;
            if (errors->isEmpty())
                take(*loaded);
            else
                QMessageBox::warning(this, tr("Data Not Loaded"),
                                     tr("The file was not loaded; nothing changed.\n\n%1")
                                         .arg(errors->join(QLatin1Char('\n'))));
        });
}

void DataFileRow::chooseFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Measured Data"), settings::dataFolder().get(),
                                     tr("CSV files (*.csv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    settings::dataFolder().set(QFileInfo(path).absolutePath());
    loadFileInBackground(path);
}

void DataFileRow::clearData() {
    if (!hasData())
        return;
    m_data.data.clear();
    m_data.dataSha256.clear();
    m_data.measured = {};
    refresh();
    emit dataChanged();
}

void DataFileRow::refresh() {
    const bool data = hasData();
    m_clear->setVisible(data);
    m_validation->setVisible(data);
    if (!data) {
        m_summary->setText(tr("No data file: training on the target f(x)."));
        m_summary->setToolTip(QString());
        return;
    }
    const MeasuredData& rows = *m_data.measured;
    const int withFprime = rows.rowsWithFprime();
    const QString name = QFileInfo(QString::fromStdString(m_data.data)).fileName();
    QString fprime;
    if (withFprime == rows.rows())
        fprime = tr("f′ on every row");
    else if (withFprime == 0)
        fprime = tr("no f′ (the β term is 0)");
    else
        fprime = tr("f′ on %1 of them").arg(withFprime);
    m_summary->setText(tr("%1: %n row(s), %2", nullptr, rows.rows()).arg(name, fprime));
    m_summary->setToolTip(
        tr("%1\nSHA-256 %2")
            .arg(QString::fromStdString(m_data.data), QString::fromStdString(m_data.dataSha256)));
}

} // namespace sobolev
