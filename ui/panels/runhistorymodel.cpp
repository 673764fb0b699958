// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistorymodel.h"

#include "runhistory.h"
#include "textformat.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

// Only for the rows in view: it sorts by the id, and the filter does not read it.
QString createdText(const StoredRun& run) {
    return QLocale().toString(run.created.toLocalTime(), QLocale::ShortFormat);
}

} // namespace

RunHistoryModel::RunHistoryModel(RunHistory* history, QObject* parent)
    : QAbstractTableModel(parent), m_history(history) {
    connect(history, &RunHistory::runsLoaded, this, &RunHistoryModel::reload);
    connect(history, &RunHistory::runAdded, this, &RunHistoryModel::onAdded);
    connect(history, &RunHistory::runRenamed, this, &RunHistoryModel::onRenamed);
    connect(history, &RunHistory::runRemoved, this, &RunHistoryModel::onRemoved);
    reload();
}

RunHistoryModel::Row RunHistoryModel::rowFor(const StoredRun& run) const {
    return {knobsSummary(run.record.config)};
}

void RunHistoryModel::reload() {
    beginResetModel();
    m_ids.clear();
    m_rows.clear();
    m_ids.reserve(m_history->runs().size());
    m_rows.reserve(m_history->runs().size());
    for (const StoredRun& run : m_history->runs()) {
        m_ids << run.id;
        m_rows << rowFor(run);
    }
    endResetModel();
}

void RunHistoryModel::onAdded(const QString& id) {
    const StoredRun* run = m_history->find(id);
    if (!run)
        return;
    // The history keeps its runs sorted by id; so do the rows.
    const int row = int(std::lower_bound(m_ids.begin(), m_ids.end(), id) - m_ids.begin());
    beginInsertRows({}, row, row);
    m_ids.insert(row, id);
    m_rows.insert(row, rowFor(*run));
    endInsertRows();
}

void RunHistoryModel::onRenamed(const QString& id) {
    const int row = rowOf(id);
    if (row >= 0)
        emit dataChanged(index(row, NameColumn), index(row, NameColumn));
}

void RunHistoryModel::onRemoved(const QString& id) {
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_ids.removeAt(row);
    m_rows.removeAt(row);
    endRemoveRows();
}

QString RunHistoryModel::idAt(int row) const {
    return m_ids.value(row);
}

int RunHistoryModel::rowOf(const QString& id) const {
    return int(m_ids.indexOf(id));
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_ids.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    // The rows are in the history's order, so the run is almost always at the same place;
    // only while a change is being announced is it looked up.
    const QList<StoredRun>& runs = m_history->runs();
    const QString& id = m_ids[index.row()];
    const StoredRun* run = index.row() < runs.size() && runs[index.row()].id == id
                               ? &runs[index.row()]
                               : m_history->find(id);
    if (!run)
        return {};
    if (role == IdRole)
        return run->id;
    return cell(*run, m_rows[index.row()], index.column(), role);
}

QVariant RunHistoryModel::cell(const StoredRun& run, const Row& row, int column, int role) const {
    switch (column) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole || role == SortRole)
            return run.name;
        if (role == Qt::ToolTipRole)
            return tr("%1\ncreated %2\nstored as %3").arg(run.name, createdText(run), run.id);
        break;
    case KnobsColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return row.knobs;
        if (role == Qt::ToolTipRole)
            return knobsDetails(run.record.config);
        break;
    case MseFColumn:
    case MseFprimeColumn: {
        if (run.interrupted) { // no errors yet
            if (role == Qt::DisplayRole)
                return notAvailableText();
            if (role == SortRole)
                return std::nan("");
            break;
        }
        const FitReport report = errorsAt(run.record.report, m_shown);
        const double v = column == MseFColumn ? report.mseF : report.mseFprime;
        if (role == Qt::DisplayRole)
            return column == MseFColumn ? errorText(v) : fprimeErrorText(report.hasFprime, v);
        if (role == SortRole)
            return v; // NaN for a diverged run: last in either order
        if (role == Qt::ToolTipRole)
            return formatNumber(v);
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    case StatusColumn: {
        const FitReport& report = run.record.report;
        if (run.interrupted) {
            if (role == Qt::DisplayRole)
                return tr("interrupted at epoch %1").arg(report.epochsRun);
            if (role == SortRole)
                return -1;
            if (role == Qt::ToolTipRole)
                return tr("The window was closed or killed while this run trained; open it to "
                          "continue from its last checkpoint, epoch %1")
                    .arg(report.epochsRun);
            if (role == Qt::ForegroundRole)
                return QBrush(QColor(0xb2, 0x6b, 0x00));
            break;
        }
        if (role == Qt::DisplayRole)
            return stopReasonText(report.stopReason);
        if (role == SortRole)
            return int(report.stopReason);
        if (role == Qt::ToolTipRole)
            return report.stopMessage.empty() ? stopReasonText(report.stopReason)
                                              : QString::fromStdString(report.stopMessage);
        // A dark red stays readable on light and dark palettes alike.
        if (role == Qt::ForegroundRole && report.stopReason == StopReason::Diverged)
            return QBrush(QColor(0xd3, 0x2f, 0x2f));
        break;
    }
    case CreatedColumn:
        if (role == Qt::DisplayRole)
            return createdText(run);
        // Ids are in the order of creation, also for runs stored within the same millisecond.
        if (role == SortRole)
            return run.id;
        if (role == Qt::ToolTipRole)
            return run.created.toLocalTime().toString(Qt::ISODate);
        break;
    default:
        break;
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    static const char* const titles[ColumnCount] = {QT_TR_NOOP("Name"),   QT_TR_NOOP("Knobs"),
                                                    QT_TR_NOOP("MSE f"),  QT_TR_NOOP("MSE f'"),
                                                    QT_TR_NOOP("Status"), QT_TR_NOOP("Created")};
    static const char* const tips[ColumnCount] = {
        QT_TR_NOOP("The run's name; F2 renames it"),
        QT_TR_NOOP("width×depth activation, loss weights α and β, learning rate, seed"),
        QT_TR_NOOP("Mean squared error of f on the test grid at the end of the run"),
        QT_TR_NOOP("Mean squared error of f' on the test grid at the end of the run"),
        QT_TR_NOOP("How the run ended"),
        QT_TR_NOOP("When the run was kept")};
    if (section < 0 || section >= ColumnCount)
        return {};
    const bool error = section == MseFColumn || section == MseFprimeColumn;
    if (role == Qt::DisplayRole)
        return tr(titles[section]) + (error ? shownEpochSuffix(m_shown) : QString());
    if (role == Qt::ToolTipRole)
        return error && m_shown == ShownEpoch::Best
                   ? tr("Mean squared error on the test grid of the run's epoch with the lowest "
                        "validation loss (View ▸ Errors Of)")
                   : tr(tips[section]);
    return {};
}

void RunHistoryModel::setShownEpoch(ShownEpoch which) {
    if (which == m_shown)
        return;
    m_shown = which;
    emit headerDataChanged(Qt::Horizontal, MseFColumn, MseFprimeColumn);
    if (rowCount() > 0)
        emit dataChanged(index(0, MseFColumn), index(rowCount() - 1, MseFprimeColumn));
}

Qt::ItemFlags RunHistoryModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool RunHistoryModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.column() != NameColumn)
        return false;
    // Clearing the name is taken as a change of mind, not an error.
    const QString name = value.toString().trimmed();
    if (name.isEmpty())
        return false;
    QString error;
    if (!m_history->rename(idAt(index.row()), name, &error)) {
        emit renameFailed(error);
        return false;
    }
    return true; // runRenamed has announced the change
}

} // namespace sobolev
