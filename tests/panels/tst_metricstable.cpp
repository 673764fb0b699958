// SPDX-License-Identifier: GPL-3.0-or-later
#include "metricstable.h"

#include <QtTest>

using namespace sobolev;

// The metrics table's rows are one line each: measured once, not for every value a live run
// sets, and again when the font changes.
class TestMetricsTable : public QObject {
    Q_OBJECT
  private slots:
    void rowsFollowTheFont();
};

void TestMetricsTable::rowsFollowTheFont() {
    MetricsTable table;
    const int before = table.rowHeight(0);
    QVERIFY(before > 0);
    QFont font = table.font();
    font.setPointSizeF(font.pointSizeF() * 2);
    table.setFont(font);
    QVERIFY2(table.rowHeight(0) > before * 3 / 2,
             qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(table.rowHeight(0))));
    QCOMPARE(table.rowHeight(MetricsTable::RowCount - 1), table.rowHeight(0));
}

QTEST_MAIN(TestMetricsTable)
#include "tst_metricstable.moc"
