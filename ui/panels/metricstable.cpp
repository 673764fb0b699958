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

MetricsTable::MetricsTable(QWidget* parent) : QTableWidget(RowCount, 2, parent) {
    setHorizontalHeaderLabels({tr("Metric (test grid)"), tr("Value")});
    const QStringList names = {tr("MSE f"),        tr("MSE f'"),     tr("max |err| f"),
                               tr("max |err| f'"), tr("epochs run"), tr("training time"),
                               tr("stop reason")};
    for (int r = 0; r < RowCount; ++r) {
        auto* name = new QTableWidgetItem(names[r]);
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        setItem(r, 0, name);
        auto* value = new QTableWidgetItem(QStringLiteral("–"));
        value->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(r, 1, value);
    }
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
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

void MetricsTable::setValue(int row, const QString& text) {
    item(row, 1)->setText(text);
    item(row, 1)->setToolTip(text);
}

void MetricsTable::setLive(const FitReport& e, int epochsRun, double seconds, bool paused) {
    setValue(MseF, errorText(e.mseF, 4));
    setValue(MseFprime, errorText(e.mseFprime, 4));
    setValue(MaxErrF, errorText(e.maxErrF, 4));
    setValue(MaxErrFprime, errorText(e.maxErrFprime, 4));
    setValue(EpochsRun, QString::number(epochsRun));
    setValue(TrainTime, tr("%1 s").arg(seconds, 0, 'f', 2));
    setValue(StopReasonRow, paused ? tr("paused") : tr("running"));
}

void MetricsTable::setReport(const FitReport& r) {
    setLive(r, r.epochsRun, r.trainSeconds);
    setValue(StopReasonRow, r.stopMessage.empty() ? toQString(stopReasonName(r.stopReason))
                                                  : QString::fromStdString(r.stopMessage));
}

void MetricsTable::clearValues() {
    for (int r = 0; r < RowCount; ++r)
        setValue(r, QStringLiteral("–"));
}

QString MetricsTable::toText(bool selectedOnly) const {
    QString text;
    for (int r = 0; r < RowCount; ++r) {
        if (selectedOnly && !item(r, 0)->isSelected() && !item(r, 1)->isSelected())
            continue;
        text += item(r, 0)->text() + QLatin1Char('\t') + item(r, 1)->text() + QLatin1Char('\n');
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
