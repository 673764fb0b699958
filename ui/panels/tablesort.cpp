// SPDX-License-Identifier: GPL-3.0-or-later
#include "tablesort.h"

#include <cmath>

namespace sobolev {

namespace {

bool isInteger(const QVariant& value) {
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

bool isNumber(const QVariant& value) {
    return isInteger(value) || value.typeId() == QMetaType::Double ||
           value.typeId() == QMetaType::Float;
}

bool isNegative(const QVariant& integer) {
    const int type = integer.typeId();
    const bool isSigned =
        type == QMetaType::Int || type == QMetaType::Long || type == QMetaType::LongLong;
    return isSigned && integer.toLongLong() < 0;
}

// By value whatever the types: a 64-bit seed is compared exactly, and -1 (int) stays below
// 100 (unsigned), which C++'s own promotion (and QVariant::compare) would not keep.
bool numberLess(const QVariant& left, const QVariant& right) {
    if (!isInteger(left) || !isInteger(right))
        return left.toDouble() < right.toDouble();
    const bool leftNegative = isNegative(left), rightNegative = isNegative(right);
    if (leftNegative != rightNegative)
        return leftNegative;
    return leftNegative ? left.toLongLong() < right.toLongLong()
                        : left.toULongLong() < right.toULongLong();
}

} // namespace

bool isMissingSortValue(const QVariant& value) {
    if (!value.isValid() || value.isNull())
        return true;
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float)
        return std::isnan(value.toDouble());
    return !isNumber(value) && value.toString().isEmpty();
}

bool sortsBefore(const QVariant& left, const QVariant& right, Qt::SortOrder order,
                 Qt::CaseSensitivity textCase) {
    const bool leftMissing = isMissingSortValue(left), rightMissing = isMissingSortValue(right);
    if (leftMissing || rightMissing) {
        // A descending sort places `a` before `b` when b sorts before a; so there a missing
        // value has to sort before the others for it to end up last.
        return order == Qt::AscendingOrder ? !leftMissing : !rightMissing;
    }
    const bool leftNumber = isNumber(left), rightNumber = isNumber(right);
    if (leftNumber != rightNumber)
        return leftNumber;
    if (leftNumber)
        return numberLess(left, right);
    return left.toString().compare(right.toString(), textCase) < 0;
}

TableSortModel::TableSortModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(SortRole);
}

bool TableSortModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    return sortsBefore(left.data(sortRole()), right.data(sortRole()), sortOrder(),
                       sortCaseSensitivity());
}

} // namespace sobolev
