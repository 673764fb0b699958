// SPDX-License-Identifier: GPL-3.0-or-later
#include "tablesort.h"

#include <QStandardItemModel>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace sobolev;

// The sort every table of runs shares: numbers by value, texts by their characters, and
// nothing (NaN, an empty text, no value) last in both orders.
class TestTableSort : public QObject {
    Q_OBJECT
  private slots:
    void sortsLikeEveryTable_data();
    void sortsLikeEveryTable();
    void rowsAddedLaterTakeTheirPlace();
};

namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

// One column whose cell n shows "rn" and sorts by values[n].
void fill(QStandardItemModel& model, const QVariantList& values) {
    for (qsizetype n = 0; n < values.size(); ++n) {
        auto* item = new QStandardItem(QStringLiteral("r%1").arg(n));
        item->setData(values[n], SortRole);
        model.appendRow(item);
    }
}

QStringList shownRows(const QAbstractItemModel& model) {
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row)
        rows << model.index(row, 0).data().toString();
    return rows;
}

} // namespace

void TestTableSort::sortsLikeEveryTable_data() {
    QTest::addColumn<QVariantList>("values"); // the sort values of r0, r1, …
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<bool>("ignoreCase");
    QTest::addColumn<QStringList>("shown"); // the rows top to bottom

    const QVariantList errors{2e-3, notANumber, 1e-2, 5e-4};
    QTest::addRow("errors ascending, NaN last")
        << errors << Qt::AscendingOrder << false << QStringList{"r3", "r0", "r2", "r1"};
    QTest::addRow("errors descending, NaN still last")
        << errors << Qt::DescendingOrder << false << QStringList{"r2", "r0", "r3", "r1"};
    const QVariantList infinities{notANumber, infinity, 1.0, -infinity};
    QTest::addRow("infinity is a number, ascending")
        << infinities << Qt::AscendingOrder << false << QStringList{"r3", "r2", "r1", "r0"};
    QTest::addRow("infinity is a number, descending")
        << infinities << Qt::DescendingOrder << false << QStringList{"r1", "r2", "r3", "r0"};

    // By value, not by text ("10" < "9"), across the types the tables store.
    const QVariantList numbers{10, 9.5, QVariant::fromValue(qulonglong(100)), -1};
    QTest::addRow("numbers by value")
        << numbers << Qt::AscendingOrder << false << QStringList{"r3", "r1", "r0", "r2"};
    // Seeds beyond 2^53, which a double could not tell apart.
    const QVariantList seeds{QVariant::fromValue(std::numeric_limits<qulonglong>::max()),
                             QVariant::fromValue(std::numeric_limits<qulonglong>::max() - 1)};
    QTest::addRow("64-bit seeds exactly")
        << seeds << Qt::AscendingOrder << false << QStringList{"r1", "r0"};

    const QVariantList texts{"beta", "", "Alpha", "alpha"};
    QTest::addRow("texts ascending, empty last")
        << texts << Qt::AscendingOrder << false << QStringList{"r2", "r3", "r0", "r1"};
    QTest::addRow("texts descending, empty last")
        << texts << Qt::DescendingOrder << false << QStringList{"r0", "r3", "r2", "r1"};
    // Ties keep the order they had: "Alpha" and "alpha" are equal here.
    QTest::addRow("texts ignoring case")
        << texts << Qt::AscendingOrder << true << QStringList{"r2", "r3", "r0", "r1"};

    const QVariantList mixed{"diverged", 3, QVariant(), 1.5};
    QTest::addRow("numbers before texts, nothing last")
        << mixed << Qt::AscendingOrder << false << QStringList{"r3", "r1", "r0", "r2"};
    QTest::addRow("texts before numbers descending, nothing last")
        << mixed << Qt::DescendingOrder << false << QStringList{"r0", "r1", "r3", "r2"};

    const QVariantList ties{notANumber, 1, notANumber, 1};
    QTest::addRow("ties keep their order, ascending")
        << ties << Qt::AscendingOrder << false << QStringList{"r1", "r3", "r0", "r2"};
    QTest::addRow("ties keep their order, descending")
        << ties << Qt::DescendingOrder << false << QStringList{"r1", "r3", "r0", "r2"};
}

void TestTableSort::sortsLikeEveryTable() {
    QFETCH(QVariantList, values);
    QFETCH(Qt::SortOrder, order);
    QFETCH(bool, ignoreCase);
    QFETCH(QStringList, shown);
    QStandardItemModel model;
    fill(model, values);
    TableSortModel sorted;
    sorted.setSourceModel(&model);
    sorted.setSortCaseSensitivity(ignoreCase ? Qt::CaseInsensitive : Qt::CaseSensitive);
    sorted.sort(0, order);
    QCOMPARE(shownRows(sorted), shown);

    // The rule itself, pair by pair: a row shown above another never sorts after it.
    const Qt::CaseSensitivity textCase = ignoreCase ? Qt::CaseInsensitive : Qt::CaseSensitive;
    for (int above = 0; above < sorted.rowCount(); ++above)
        for (int below = above + 1; below < sorted.rowCount(); ++below) {
            const QVariant a = sorted.index(above, 0).data(SortRole);
            const QVariant b = sorted.index(below, 0).data(SortRole);
            // In a descending sort `a` is above `b` when b sorts before a.
            const bool bFirst = order == Qt::AscendingOrder ? sortsBefore(b, a, order, textCase)
                                                            : sortsBefore(a, b, order, textCase);
            QVERIFY2(!bFirst,
                     qPrintable(QStringLiteral("row %1 above row %2").arg(above).arg(below)));
        }
}

void TestTableSort::rowsAddedLaterTakeTheirPlace() {
    QStandardItemModel model;
    TableSortModel sorted;
    sorted.setSourceModel(&model);
    sorted.sort(0, Qt::DescendingOrder);
    fill(model, {1.0, notANumber, 3.0});
    QCOMPARE(shownRows(sorted), (QStringList{"r2", "r0", "r1"}));
    // Unsorted (column -1), the rows are in the source's order.
    sorted.sort(-1);
    QCOMPARE(shownRows(sorted), (QStringList{"r0", "r1", "r2"}));
    QVERIFY(isMissingSortValue(QVariant(notANumber)));
    QVERIFY(isMissingSortValue(QVariant(QString())));
    QVERIFY(isMissingSortValue(QVariant()));
    QVERIFY(!isMissingSortValue(QVariant(0)));
    QVERIFY(!isMissingSortValue(QVariant(infinity)));
}

QTEST_GUILESS_MAIN(TestTableSort)
#include "tst_tablesort.moc"
