// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include "textformat.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>

namespace sobolev {

namespace {
enum Row { MseF, MseFprime, MaxErrF, MaxErrFprime, EpochsRun, TrainTime, StopReasonRow, RowCount };

} // namespace

MetricsTable::MetricsTable(QWidget* parent) : QTableWidget(RowCount, 3, parent) {
    setHorizontalHeaderLabels({tr("Metric (test grid)"), tr("Final"), tr("Best epoch")});
    const QStringList names = {tr("MSE f"),        tr("MSE f'"),     tr("max |err| f"),
                               tr("max |err| f'"), tr("epochs run"), tr("training time"),
                               tr("stop reason")};
    for (int r = 0; r < RowCount; ++r) {
        auto* name = new QTableWidgetItem(names[r]);
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        setItem(r, 0, name);
        for (int column : {1, 2}) {
            auto* value = new QTableWidgetItem(QStringLiteral("–"));
            value->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            setItem(r, column, value);
        }
    }
    horizontalHeaderItem(2)->setToolTip(
        tr("The epoch with the lowest validation loss, and the test-grid errors of its "
           "weights. With a constant learning rate the final epoch is often a spike above it."));
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(false); // one line per metric; long stop messages are elided, full in the tooltip
    setToolTip(tr("Errors of the network on the uniform test grid. Ctrl+C copies as text."));
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Seven short rows: show them all rather than a scroll bar.
    resizeRowsToContents();
    setMinimumHeight(sizeHint().height());
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QSize MetricsTable::sizeHint() const {
    int height = horizontalHeader()->sizeHint().height() + 2 * frameWidth();
    for (int r = 0; r < rowCount(); ++r)
        height += rowHeight(r);
    return {QTableWidget::sizeHint().width(), height};
}

void MetricsTable::setValue(int row, const QString& text, int column) {
    item(row, column)->setText(text);
    item(row, column)->setToolTip(text);
}

void MetricsTable::setBest(const BestEpoch& best) {
    const bool known = best.epoch > 0;
    horizontalHeaderItem(2)->setText(known ? tr("Best: epoch %1").arg(best.epoch)
                                           : tr("Best epoch"));
    const auto text = [known](double v) { return known ? errorText(v, 4) : QStringLiteral("–"); };
    setValue(MseF, text(best.mseF), 2);
    setValue(MseFprime, text(best.mseFprime), 2);
    setValue(MaxErrF, text(best.maxErrF), 2);
    setValue(MaxErrFprime, text(best.maxErrFprime), 2);
    setValue(EpochsRun, known ? QString::number(best.epoch) : QStringLiteral("–"), 2);
    setValue(TrainTime, QStringLiteral("–"), 2);
    setValue(StopReasonRow, QStringLiteral("–"), 2);
}

void MetricsTable::setLive(const FitReport& e, int epochsRun, double seconds, bool paused) {
    setValue(MseF, errorText(e.mseF, 4));
    setValue(MseFprime, errorText(e.mseFprime, 4));
    setValue(MaxErrF, errorText(e.maxErrF, 4));
    setValue(MaxErrFprime, errorText(e.maxErrFprime, 4));
    setValue(EpochsRun, QString::number(epochsRun));
    setValue(TrainTime, tr("%1 s").arg(seconds, 0, 'f', 2));
    setValue(StopReasonRow, paused ? tr("paused") : tr("running"));
    setBest({});
}

void MetricsTable::setReport(const FitReport& r) {
    setLive(r, r.epochsRun, r.trainSeconds);
    // Measured data have no test grid: their errors are on the validation or training rows.
    switch (r.metricsOn) {
    case MetricsSet::TestGrid:
        horizontalHeaderItem(0)->setText(tr("Metric (test grid)"));
        break;
    case MetricsSet::ValidationData:
        horizontalHeaderItem(0)->setText(tr("Metric (validation data)"));
        break;
    case MetricsSet::TrainingData:
        horizontalHeaderItem(0)->setText(tr("Metric (training data)"));
        break;
    }
    setValue(StopReasonRow, r.stopMessage.empty() ? toQString(stopReasonName(r.stopReason))
                                                  : QString::fromStdString(r.stopMessage));
    setBest(r.best);
}

void MetricsTable::setLiveOnData(bool measured) {
    horizontalHeaderItem(0)->setText(measured ? tr("Metric (all data rows)")
                                              : tr("Metric (test grid)"));
}

void MetricsTable::clearValues() {
    for (int r = 0; r < RowCount; ++r)
        setValue(r, QStringLiteral("–"));
    setBest({});
}

QString MetricsTable::toText(bool selectedOnly) const {
    QString text;
    for (int r = 0; r < RowCount; ++r) {
        if (selectedOnly && !item(r, 0)->isSelected() && !item(r, 1)->isSelected() &&
            !item(r, 2)->isSelected())
            continue;
        text += item(r, 0)->text() + QLatin1Char('\t') + item(r, 1)->text() + QLatin1Char('\t') +
                item(r, 2)->text() + QLatin1Char('\n');
    }
    return text;
}

void MetricsTable::copy() {
    const bool anySelected = !selectedItems().isEmpty();
    QApplication::clipboard()->setText(toText(anySelected));
}

void MetricsTable::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Copy)) {
        copy();
        event->accept();
        return;
    }
    QTableWidget::keyPressEvent(event);
}

void MetricsTable::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("&Copy"), QKeySequence::Copy, this, &MetricsTable::copy);
    menu.addAction(tr("Select &All"), QKeySequence::SelectAll, this, &QTableWidget::selectAll);
    menu.exec(event->globalPos());
}

} // namespace sobolev
