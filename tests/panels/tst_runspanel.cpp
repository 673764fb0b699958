// SPDX-License-Identifier: GPL-3.0-or-later
#include "picturetestutil.h"
#include "runhistory.h"
#include "runhistorymodel.h"
#include "runhistorypanel.h"
#include "storage/storagetestutil.h"
#include "textformat.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace sobolev;
using namespace sobolev::testutil;

// Damages one entry folder (or the history folder) and names the path the warning must name.
Q_DECLARE_METATYPE(sobolev::TrainConfig)

using Damage = std::function<QString(const QString& root, const QString& entry)>;
Q_DECLARE_METATYPE(Damage)

class TestRunsPanel : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase();
    void modelFollowsStore();
    void modelColumns();
    void bestEpochErrorsOnRequest();
    void compareSelected();
    void filterNarrowsTheList();
    void filterAndSortOverTheIndex_data();
    void filterAndSortOverTheIndex();
    void deleteWithoutConfirmation();
    void deleteCancelledKeepsRuns();
    void doubleClickReopens();
    void renameInPlace();
    void grabPanel();

  private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString freshFolder();
    QList<RunRecord> m_runs; // completed, stopped, diverged
};

void TestRunsPanel::initTestCase() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_runs = sampleRuns();
    QCOMPARE(m_runs[0].report.stopReason, StopReason::Completed);
    QCOMPARE(m_runs[1].report.stopReason, StopReason::Stopped);
}

QString TestRunsPanel::freshFolder() {
    static int n = 0;
    return m_dir->filePath(QStringLiteral("runs%1").arg(++n));
}

void TestRunsPanel::modelFollowsStore() {
    RunHistory history(freshFolder());
    history.add(m_runs[0]);
    RunHistoryPanel panel(&history);
    RunHistoryModel* model = panel.model();
    QCOMPARE(model->rowCount(), 1);
    const QStringList ids =
        QStringList{history.runs()[0].id} + addRuns(history, {m_runs[1], m_runs[2]});
    QCOMPARE(model->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(model->idAt(row), history.runs()[row].id);
        QCOMPARE(model->index(row, RunHistoryModel::NameColumn).data().toString(),
                 history.runs()[row].name);
    }
    QString error;
    QVERIFY(history.rename(ids[1], QStringLiteral("renamed"), &error));
    QCOMPARE(model->index(1, RunHistoryModel::NameColumn).data().toString(),
             QStringLiteral("renamed"));
    QVERIFY(history.remove(ids[0], &error));
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->idAt(0), ids[1]);
    // A reload replaces the rows.
    QVERIFY(history.load().isEmpty());
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(panel.view()->model()->rowCount(), 2);
}

// View > Show Best-Epoch Errors: the error columns switch to each run's best epoch and say
// so; a run without a best epoch (saved before 0.4) keeps its final errors.
void TestRunsPanel::bestEpochErrorsOnRequest() {
    RunHistory history(freshFolder());
    RunRecord withBest = m_runs[0];
    withBest.report.best = {2, 0.5, 1.25e-3, 2.5e-2, 0.1, 0.2};
    RunRecord withoutBest = m_runs[0];
    withoutBest.report.best = {};
    addRuns(history, {withBest, withoutBest});
    RunHistoryPanel panel(&history);
    RunHistoryModel* model = panel.model();
    const auto cell = [model](int row, int column) {
        return model->index(row, column).data(SortRole).toDouble();
    };
    QCOMPARE(cell(0, RunHistoryModel::MseFColumn), withBest.report.mseF);
    QSignalSpy header(model, &QAbstractItemModel::headerDataChanged);
    model->setShownEpoch(ShownEpoch::Best);
    QCOMPARE(header.count(), 1);
    QCOMPARE(cell(0, RunHistoryModel::MseFColumn), 1.25e-3);
    QCOMPARE(cell(0, RunHistoryModel::MseFprimeColumn), 2.5e-2);
    QCOMPARE(cell(1, RunHistoryModel::MseFColumn), withoutBest.report.mseF);
    QVERIFY(model->headerData(RunHistoryModel::MseFColumn, Qt::Horizontal)
                .toString()
                .endsWith(QStringLiteral("(best epoch)")));
    model->setShownEpoch(ShownEpoch::Final);
    QCOMPARE(cell(0, RunHistoryModel::MseFColumn), withBest.report.mseF);
    QCOMPARE(model->headerData(RunHistoryModel::MseFColumn, Qt::Horizontal).toString(),
             QStringLiteral("MSE f"));
}

void TestRunsPanel::modelColumns() {
    RunHistory history(freshFolder());
    addRuns(history, m_runs);
    RunHistoryModel model(&history);
    auto at = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(at(0, RunHistoryModel::KnobsColumn).toString(),
             QStringLiteral("6×2 tanh α=1 β=1 lr=1e-3 seed 12345"));
    QCOMPARE(at(1, RunHistoryModel::KnobsColumn).toString(),
             QStringLiteral("6×2 tanh α=1 β=5 lr=1e-3 seed 3"));
    const double mse = m_runs[0].report.mseF;
    QCOMPARE(at(0, RunHistoryModel::MseFColumn).toString(), QString::number(mse, 'e', 2));
    QCOMPARE(at(0, RunHistoryModel::MseFColumn, Qt::ToolTipRole).toString(), formatNumber(mse));
    QCOMPARE(at(0, RunHistoryModel::MseFColumn, SortRole).toDouble(), mse);
    QCOMPARE(at(2, RunHistoryModel::MseFprimeColumn).toString(), QStringLiteral("NaN"));
    QVERIFY(std::isnan(at(2, RunHistoryModel::MseFColumn, SortRole).toDouble()));
    QCOMPARE(at(0, RunHistoryModel::StatusColumn).toString(), QStringLiteral("completed"));
    QCOMPARE(at(1, RunHistoryModel::StatusColumn).toString(), QStringLiteral("stopped"));
    QCOMPARE(at(1, RunHistoryModel::StatusColumn, Qt::ToolTipRole).toString(),
             QString::fromStdString(m_runs[1].report.stopMessage));
    QCOMPARE(at(2, RunHistoryModel::StatusColumn).toString(), QStringLiteral("diverged"));
    QVERIFY(at(2, RunHistoryModel::StatusColumn, Qt::ForegroundRole).isValid());
    QVERIFY(!at(0, RunHistoryModel::StatusColumn, Qt::ForegroundRole).isValid());
    QVERIFY(model.flags(model.index(0, RunHistoryModel::NameColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(0, RunHistoryModel::KnobsColumn)) & Qt::ItemIsEditable));
}

void TestRunsPanel::filterNarrowsTheList() {
    RunHistory history(freshFolder());
    const QStringList ids = addRuns(history, m_runs); // completed, stopped, diverged
    QVERIFY(history.rename(ids[0], QStringLiteral("Baseline A"), nullptr));
    RunHistoryPanel panel(&history);
    QAbstractItemModel* shown = panel.view()->model();
    QCOMPARE(shown->rowCount(), 3);
    panel.filterEdit()->setText(QStringLiteral("DIVERGED"));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, 0).data(IdRole).toString(), ids[2]);
    panel.filterEdit()->setText(QStringLiteral("baseline"));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, 0).data(IdRole).toString(), ids[0]);
    panel.filterEdit()->setText(QStringLiteral("no such run"));
    QCOMPARE(shown->rowCount(), 0);
    panel.filterEdit()->clear();
    QCOMPARE(shown->rowCount(), 3);
}

void TestRunsPanel::compareSelected() {
    RunHistory history(freshFolder());
    const QStringList ids = addRuns(history, m_runs);
    RunHistoryPanel panel(&history);
    QSignalSpy selection(&panel, &RunHistoryPanel::selectionChanged);
    QSignalSpy compare(&panel, &RunHistoryPanel::compareRequested);
    QVERIFY(!panel.compareAction()->isEnabled());

    panel.selectIds({ids[0]});
    QCOMPARE(selection.size(), 1);
    QVERIFY(!panel.compareAction()->isEnabled());
    QVERIFY(panel.reopenAction()->isEnabled());

    // Ctrl+click a second row, as a user would.
    QTreeView* view = panel.view();
    panel.resize(500, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const int row =
        int(view->model()->match(view->model()->index(0, 0), IdRole, ids[2]).value(0).row());
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier, rect.center());
    QCOMPARE(selection.size(), 2);
    QStringList selected = selection.last()[0].toStringList();
    selected.sort();
    QCOMPARE(selected, (QStringList{ids[0], ids[2]}));
    QVERIFY(panel.compareAction()->isEnabled());
    QVERIFY(!panel.reopenAction()->isEnabled());

    panel.compareAction()->trigger();
    QCOMPARE(compare.size(), 1);
    QStringList compared = compare[0][0].toStringList();
    compared.sort();
    QCOMPARE(compared, (QStringList{ids[0], ids[2]}));
}

// The panel over a history read back from its index (a restart): filtering and sorting work
// on what the index holds, without the runs' curves.
void TestRunsPanel::filterAndSortOverTheIndex_data() {
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<QStringList>("names"); // the rows shown, top to bottom
    // r0…r8: β 1, 1, 1, 5, 5, 5, 10, 10, 10; completed, stopped, diverged in turn; MSE f
    // falling with the number (a diverged run's NaN sorts last in both orders); seed = number + 1.
    QTest::addRow("β=5 by MSE f") << "β=5" << int(RunHistoryModel::MseFColumn) << Qt::AscendingOrder
                                  << QStringList{"r4", "r3", "r5"};
    QTest::addRow("β=5 by MSE f, descending")
        << "β=5" << int(RunHistoryModel::MseFColumn) << Qt::DescendingOrder
        << QStringList{"r3", "r4", "r5"};
    QTest::addRow("diverged by name, descending")
        << "diverged" << int(RunHistoryModel::NameColumn) << Qt::DescendingOrder
        << QStringList{"r8", "r5", "r2"};
    QTest::addRow("seed 7 by knobs")
        << "seed 7" << int(RunHistoryModel::KnobsColumn) << Qt::AscendingOrder << QStringList{"r6"};
    QTest::addRow("all, newest first")
        << "" << int(RunHistoryModel::CreatedColumn) << Qt::DescendingOrder
        << QStringList{"r8", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0"};
    QTest::addRow("stopped by status then name")
        << "stopped" << int(RunHistoryModel::StatusColumn) << Qt::AscendingOrder
        << QStringList{"r1", "r4", "r7"};
    QTest::addRow("nothing matches")
        << "no such run" << int(RunHistoryModel::NameColumn) << Qt::AscendingOrder << QStringList{};
}

void TestRunsPanel::filterAndSortOverTheIndex() {
    QFETCH(QString, filter);
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QStringList, names);
    static QString folder;
    if (folder.isEmpty()) {
        folder = freshFolder();
        RunHistory history(folder);
        for (int i = 0; i < 9; ++i) {
            RunRecord run = m_runs[i % 3];
            run.config.beta = std::vector<double>{1, 5, 10}[std::size_t(i / 3)];
            run.config.seed = std::uint64_t(i + 1);
            run.report.mseF = i % 3 == 2 ? std::nan("") : 1.0 / (i + 1);
            QVERIFY(!history.add(run, QStringLiteral("r%1").arg(i)).isEmpty());
        }
    }
    RunHistory history(folder);
    const RunHistory::LoadPlan plan = history.planLoad();
    QVERIFY(plan.toRead.isEmpty()); // from the index alone
    QVERIFY(history.finishLoad(plan, {}).isEmpty());
    RunHistoryPanel panel(&history);
    // Ties (the status column) keep the name order.
    panel.view()->sortByColumn(RunHistoryModel::NameColumn, Qt::AscendingOrder);
    panel.filterEdit()->setText(filter);
    panel.view()->sortByColumn(column, order);
    QAbstractItemModel* shown = panel.view()->model();
    QStringList got;
    for (int row = 0; row < shown->rowCount(); ++row)
        got << shown->index(row, RunHistoryModel::NameColumn).data().toString();
    QCOMPARE(got, names);
}

void TestRunsPanel::deleteWithoutConfirmation() {
    const QString folder = freshFolder();
    RunHistory history(folder);
    const QStringList ids = addRuns(history, m_runs);
    RunHistoryPanel panel(&history);
    panel.setConfirmDeletes(false);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy selection(&panel, &RunHistoryPanel::selectionChanged);
    panel.selectIds({ids[0], ids[1]});
    panel.view()->setFocus();
    QTest::keyClick(panel.view(), Qt::Key_Delete);
    QCOMPARE(history.runs().size(), 1);
    QCOMPARE(history.runs()[0].id, ids[2]);
    QCOMPARE(panel.model()->rowCount(), 1);
    QVERIFY(!QFileInfo::exists(folder + QLatin1Char('/') + ids[0]));
    QVERIFY(panel.selectedIds().isEmpty());
    QVERIFY(selection.last()[0].toStringList().isEmpty());
    QVERIFY(!panel.deleteAction()->isEnabled());
    RunHistory reopened(folder);
    QVERIFY(reopened.load().isEmpty());
    QCOMPARE(reopened.runs().size(), 1);
}

void TestRunsPanel::deleteCancelledKeepsRuns() {
    RunHistory history(freshFolder());
    const QStringList ids = addRuns(history, m_runs);
    RunHistoryPanel panel(&history);
    panel.selectIds(ids);
    QString question;
    QTimer::singleShot(0, this, [&] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        question = box->text();
        box->button(QMessageBox::Cancel)->click();
    });
    panel.deleteAction()->trigger();
    QVERIFY2(question.contains(QStringLiteral("3 runs")), qPrintable(question));
    QCOMPARE(history.runs().size(), 3);
}

void TestRunsPanel::doubleClickReopens() {
    RunHistory history(freshFolder());
    const QStringList ids = addRuns(history, m_runs);
    RunHistoryPanel panel(&history);
    QSignalSpy reopen(&panel, &RunHistoryPanel::reopenRequested);
    panel.resize(500, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTreeView* view = panel.view();
    // Newest first by default.
    QCOMPARE(view->model()->index(0, 0).data(IdRole).toString(), ids[2]);
    const QRect rect = view->visualRect(view->model()->index(1, 0));
    // A real double-click is press, release, double-click, release; QTest sends only the
    // double-click, which the view then takes for a press.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(reopen.size(), 1);
    QCOMPARE(reopen[0][0].toString(), ids[1]);
    // No editor opened: double-click re-opens, F2 renames.
    const auto* editor = view->viewport()->findChild<QLineEdit*>();
    QVERIFY(!editor || !editor->isVisible());
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(reopen.size(), 2);
    QCOMPARE(reopen[1][0].toString(), ids[1]);
}

void TestRunsPanel::renameInPlace() {
    const QString folder = freshFolder();
    RunHistory history(folder);
    const QStringList ids = addRuns(history, m_runs);
    RunHistoryPanel panel(&history);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.selectIds({ids[0]});
    panel.view()->setFocus();
    QTest::keyClick(panel.view(), Qt::Key_F2);
    auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
    QVERIFY(editor);
    QCOMPARE(editor->parentWidget(), panel.view()->viewport());
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("wide net"));
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits through a queued call.
    QTRY_COMPARE(history.find(ids[0])->name, QStringLiteral("wide net"));
    RunHistory reopened(folder);
    reopened.load();
    QCOMPARE(reopened.find(ids[0])->name, QStringLiteral("wide net"));
}

void TestRunsPanel::grabPanel() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    testutil::keepImagesIfAsked(dir);
    RunHistory history(freshFolder());
    QStringList ids = addRuns(history, m_runs);
    ids << history.add(m_runs[0], QStringLiteral("a much longer name that will not fit"));
    RunHistoryPanel panel(&history);
    panel.resize(320, 260);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.selectIds({ids[0], ids[1]}); // the diverged run unselected, to show its colour
    QTreeView* view = panel.view();
    const QAbstractItemModel* rows = view->model();
    QCOMPARE(rows->rowCount(), 4);
    auto inPanel = [&](const QRect& inViewport) {
        return QRect(view->viewport()->mapTo(&panel, inViewport.topLeft()), inViewport.size());
    };
    bool sawDiverged = false;
    for (const QSize size : {QSize(320, 260), QSize(700, 260)}) {
        panel.resize(size);
        QTRY_COMPARE(panel.size(), size);
        QTRY_VERIFY(view->visualRect(rows->index(rows->rowCount() - 1, 0)).isValid());
        QCoreApplication::sendPostedEvents(); // the header's and the view's own layout
        const QImage image = panel.grab().toImage();
        QCOMPARE(image.size(), size);
        QVERIFY(testutil::distinctColours(image) > 16);
        QHeaderView* header = view->header();
        QVERIFY2(testutil::darkPixels(
                     image, QRect(header->mapTo(&panel, QPoint(0, 0)), header->size())) >= 100,
                 "no column titles");
        // Selected rows are filled with the highlight colour; the others are not, and show
        // their text; the diverged run's status is in its own colour.
        const QColor highlight = view->palette().color(QPalette::Active, QPalette::Highlight);
        const QColor inactive = view->palette().color(QPalette::Inactive, QPalette::Highlight);
        for (int row = 0; row < rows->rowCount(); ++row) {
            const QString id = rows->index(row, 0).data(IdRole).toString();
            const QRect nameCell = view->visualRect(rows->index(row, RunHistoryModel::NameColumn));
            const QRect rowRect = inPanel(QRect(nameCell.left(), nameCell.top(),
                                                view->viewport()->width(), nameCell.height()))
                                      .intersected(image.rect());
            int lit = testutil::pixelsNear(image, highlight, rowRect, 8);
            if (inactive != highlight)
                lit += testutil::pixelsNear(image, inactive, rowRect, 8);
            const int area = rowRect.width() * rowRect.height();
            const QString what = QStringLiteral("row %1 (%2): %3 highlighted, %4 dark of %5 pixels")
                                     .arg(row)
                                     .arg(id)
                                     .arg(lit)
                                     .arg(testutil::darkPixels(image, rowRect))
                                     .arg(area);
            if (ids.mid(0, 2).contains(id)) {
                QVERIFY2(view->selectionModel()->isRowSelected(row, {}), qPrintable(what));
                QVERIFY2(lit > area / 2, qPrintable(what));
            } else {
                QVERIFY2(lit < area / 20, qPrintable(what));
                QVERIFY2(testutil::darkPixels(image, rowRect) >= 100, qPrintable(what));
            }
            const QModelIndex status = rows->index(row, RunHistoryModel::StatusColumn);
            const QVariant foreground = status.data(Qt::ForegroundRole);
            if (!ids.mid(0, 2).contains(id) && foreground.canConvert<QBrush>()) {
                sawDiverged = true;
                const QColor colour = foreground.value<QBrush>().color();
                const QRect cell = inPanel(view->visualRect(status)).intersected(image.rect());
                QVERIFY2(testutil::pixelsNear(image, colour, cell, 60) >= 20,
                         qPrintable(QStringLiteral("%1 pixels of %2 in the status of %3")
                                        .arg(testutil::pixelsNear(image, colour, cell, 60))
                                        .arg(colour.name(), id)));
            }
        }
        const QString path = dir.filePath(QStringLiteral("runs_panel_%1.png").arg(size.width()));
        QVERIFY(image.save(path));
        QCOMPARE(QImage(path).convertToFormat(image.format()), image);
    }
    QVERIFY(sawDiverged);
}

QTEST_MAIN(TestRunsPanel)

#include "tst_runspanel.moc"
