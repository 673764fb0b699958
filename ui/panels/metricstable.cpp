// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include "textformat.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>

#include <cmath>
#include <functional>

namespace sobolev {

namespace {
using enum MetricsTable::Row;
constexpr int fixedColumns = 3; // metric, final, best epoch; then one per baseline

// The error rows of one column: the network's final or best errors, or a baseline's.
template <class Errors>
void fillErrors(const Errors& e, const std::function<void(int, QString)>& set) {
    // Measured data without f' have no f' errors: "—", not a 0 that would look perfect.
    const auto fprimeError = [&e](double value) { return fprimeErrorText(e.hasFprime, value, 4); };
    const auto at = [](double x) {
        return std::isnan(x) ? QStringLiteral("–") : QString::number(x, 'g', 4);
    };
    set(MseF, errorText(e.mseF, 4));
    set(MseFprime, fprimeError(e.mseFprime));
    set(H1, fprimeError(e.h1()));
    set(MaxErrF, errorText(e.maxErrF, 4));
    set(XMaxErrF, at(e.xMaxErrF));
    set(MaxErrFprime, fprimeError(e.maxErrFprime));
    set(XMaxErrFprime, e.hasFprime ? at(e.xMaxErrFprime) : notAvailableText());
    set(RelL2F, errorText(e.relL2F, 4));
    set(RelL2Fprime, fprimeError(e.relL2Fprime));
}

} // namespace

MetricsTable::MetricsTable(QWidget* parent) : QTableWidget(RowCount, 3, parent) {
    setHorizontalHeaderLabels({tr("Metric (test grid)"), tr("Final"), tr("Best epoch")});
    const QStringList names = {tr("MSE f"),       tr("MSE f'"),        tr("H¹ error"),
                               tr("max |err| f"), tr("  at x"),        tr("max |err| f'"),
                               tr("  at x"),      tr("relative L2 f"), tr("relative L2 f'"),
                               tr("epochs run"),  tr("training time"), tr("stop reason")};
    const QStringList tips = {tr("Mean of (f − f̂)² over the test grid"),
                              tr("Mean of (f′ − f̂′)² over the test grid"),
                              tr("The discrete Sobolev H¹ error √(MSE f + MSE f′)"),
                              tr("Largest |f − f̂| on the test grid"),
                              tr("Where |f − f̂| is largest"),
                              tr("Largest |f′ − f̂′| on the test grid"),
                              tr("Where |f′ − f̂′| is largest"),
                              tr("‖f − f̂‖₂ / ‖f‖₂ over the test grid"),
                              tr("‖f′ − f̂′‖₂ / ‖f′‖₂ over the test grid"),
                              {},
                              {},
                              {}};
    for (int r = 0; r < RowCount; ++r) {
        auto* name = new QTableWidgetItem(names[r]);
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        name->setToolTip(tips[r]);
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
    // One line a row: the height follows the font, not the values, so it is measured here and
    // on a font change. Left to the header (ResizeToContents), every value a live run sets
    // measured every cell again, a tenth of the window's drawing time.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // A dozen short rows: show them all rather than a scroll bar.
    resizeRowsToContents();
    setMinimumHeight(sizeHint().height());
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void MetricsTable::changeEvent(QEvent* event) {
    QTableWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        resizeRowsToContents();
}

QSize MetricsTable::sizeHint() const {
    int height = horizontalHeader()->sizeHint().height() + 2 * frameWidth();
    for (int r = 0; r < rowCount(); ++r)
        height += rowHeight(r);
    return {QTableWidget::sizeHint().width(), height};
}

void MetricsTable::setValue(int row, const QString& text, int column) {
    item(row, column)->setText(text);
    item(row, column)
        ->setToolTip(text == notAvailableText() ? tr("Not available: the data have no f′") : text);
}

void MetricsTable::setBest(const BestEpoch& best) {
    const bool known = best.epoch > 0;
    horizontalHeaderItem(2)->setText(known ? tr("Best: epoch %1").arg(best.epoch)
                                           : tr("Best epoch"));
    fillErrors(best, [&](int row, const QString& text) {
        setValue(row, known ? text : QStringLiteral("–"), 2);
    });
    setValue(EpochsRun, known ? QString::number(best.epoch) : QStringLiteral("–"), 2);
    setValue(TrainTime, QStringLiteral("–"), 2);
    setValue(StopReasonRow, QStringLiteral("–"), 2);
}

void MetricsTable::setStep(const FitReport& e, const QString& when) {
    fillErrors(e, [&](int row, const QString& text) { setValue(row, text); });
    horizontalHeaderItem(1)->setText(when);
    horizontalHeaderItem(1)->setToolTip(
        tr("The errors of the network %1 in the replay, not the run's final ones").arg(when));
    for (int row : {EpochsRun, TrainTime, StopReasonRow})
        setValue(row, QStringLiteral("–"));
}

void MetricsTable::setLive(const FitReport& e, int epochsRun, double seconds, bool paused) {
    headFinal();
    fillErrors(e, [&](int row, const QString& text) { setValue(row, text); });
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

void MetricsTable::headFinal() {
    horizontalHeaderItem(1)->setText(tr("Final"));
    horizontalHeaderItem(1)->setToolTip({});
}

void MetricsTable::clearValues() {
    headFinal();
    for (int r = 0; r < RowCount; ++r)
        setValue(r, QStringLiteral("–"));
    setBest({});
}

void MetricsTable::setBaselines(const std::vector<BaselineResult>& baselines) {
    setColumnCount(fixedColumns + int(baselines.size()));
    // With baselines every column as wide as its numbers, so that more of them are in view.
    for (int column : {1, 2})
        horizontalHeader()->setSectionResizeMode(
            column, baselines.empty() ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
    for (std::size_t i = 0; i < baselines.size(); ++i) {
        const BaselineResult& b = baselines[i];
        const int column = fixedColumns + int(i);
        auto* header = new QTableWidgetItem(QString::fromStdString(baselineShortLabel(b.spec)));
        const QString label = QString::fromStdString(baselineLabel(b.spec));
        header->setToolTip(
            b.fitted ? tr("%1: a classical fit on the same test grid (View ▸ Baselines)").arg(label)
                     : tr("%1, omitted: %2").arg(label, QString::fromStdString(b.omitted)));
        setHorizontalHeaderItem(column, header);
        for (int r = 0; r < RowCount; ++r) {
            auto* value = new QTableWidgetItem(QStringLiteral("–"));
            value->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            setItem(r, column, value);
        }
        if (b.fitted)
            fillErrors(b.errors,
                       [&](int row, const QString& text) { setValue(row, text, column); });
        else
            setValue(StopReasonRow, tr("omitted: %1").arg(QString::fromStdString(b.omitted)),
                     column);
        horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    }
}

QString MetricsTable::toText(bool selectedOnly) const {
    QString text;
    const int columns = columnCount();
    auto line = [&](auto cell) {
        QString out;
        for (int c = 0; c < columns; ++c)
            out += (c ? QStringLiteral("\t") : QString()) + cell(c);
        return out + QLatin1Char('\n');
    };
    if (columns > fixedColumns) // with baselines, say which column is which
        text += line([&](int c) { return horizontalHeaderItem(c)->text(); });
    for (int r = 0; r < RowCount; ++r) {
        bool selected = false;
        for (int c = 0; c < columns; ++c)
            selected = selected || item(r, c)->isSelected();
        if (selectedOnly && !selected)
            continue;
        text += line([&](int c) { return item(r, c)->text(); });
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
