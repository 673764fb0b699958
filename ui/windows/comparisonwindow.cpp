// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparisonwindow.h"

#include "animationexportdialog.h"
#include "chartexport.h"
#include "comparisonview.h"
#include "exportdialogs.h"
#include "noisynote.h"
#include "reportdialog.h"

#include <QChart>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace sobolev {

namespace {
const QStringList figureNames = {QStringLiteral("compare-loss"), QStringLiteral("compare-f"),
                                 QStringLiteral("compare-fprime"), QStringLiteral("compare-error")};
}

ComparisonWindow::ComparisonWindow(const QList<ComparedRun>& runs, QWidget* parent)
    : QMainWindow(parent), m_view(new ComparisonView) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Compare %n Run(s)", nullptr, int(runs.size())));
    m_view->setRuns(runs);
    setCentralWidget(m_view);
    const QList<QChart*> charts = m_view->charts();
    for (int i = 0; i < charts.size() && i < figureNames.size(); ++i)
        if (auto* widget = qobject_cast<QWidget*>(charts[i]->scene()->views().value(0)))
            addExportMenu(widget, charts[i], figureNames[i]);
    connect(m_view, &ComparisonView::runActivated, this, &ComparisonWindow::openRunRequested);
    createMenus();
    statusBar()->showMessage(tr("Double-click a row to open that run in the main window"));
    resize(1400, 900);
}

void ComparisonWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Export &Table…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        const QString path =
            exportTableWithDialog(this, m_view->comparisonTable(), tr("Export Comparison Table"),
                                  QStringLiteral("comparison"));
        if (!path.isEmpty())
            statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });
    file->addAction(tr("Export &Figures…"), this, &ComparisonWindow::exportFigures);
    file->addAction(tr("Export Figure &Sheet…"), this, [this] {
        const auto target =
            askFigureTarget(this, tr("Export Figure Sheet"), QStringLiteral("comparison.pdf"),
                            tr("PDF document (*.pdf);;PNG image (*.png)"));
        QString error;
        if (target && !exportFigureSheet(m_view->charts(), target->path, target->scale, &error))
            QMessageBox::warning(this, tr("Export failed"), error);
        else if (target)
            statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(target->path)));
    });
    file->addAction(tr("Export &Report…"), this, [this] {
        ReportDialog dialog(this, QStringLiteral("comparison.pdf"), true);
        if (dialog.exec() != QDialog::Accepted)
            return;
        QString error;
        if (writeReport(dialog.target(), dialog.notes(), &error))
            statusBar()->showMessage(
                tr("Exported %1").arg(QDir::toNativeSeparators(dialog.target().pdfPath)));
        else
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    file->addAction(tr("Export &Animation…"), this, &ComparisonWindow::exportAnimation)
        ->setToolTip(tr("Every run replayed from its snapshots in one animation"));
    file->addSeparator();
    file->addAction(tr("&Close"), QKeySequence::Close, this, &QWidget::close);
}

void ComparisonWindow::exportAnimation() {
    QList<AnimatedRun> runs;
    QStringList without;
    const QStringList labels = m_view->labels();
    for (int i = 0; i < m_view->runs().size(); ++i) {
        const ComparedRun& r = m_view->runs()[i];
        runs << AnimatedRun{r.run, labels.value(i)};
        if (r.run.snapshots.empty())
            without << labels.value(i);
    }
    if (!without.isEmpty()) {
        QMessageBox::information(
            this, tr("Nothing to animate"),
            tr("These runs have no snapshots to replay (trained with snapshots 0, or before runs "
               "recorded them): %1")
                .arg(without.join(QStringLiteral(", "))));
        return;
    }
    AnimationExportDialog dialog(runs, this);
    connect(&dialog, &AnimationExportDialog::exported, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });
    dialog.exec();
}

ComparisonReport ComparisonWindow::report(const QString& notes) const {
    ComparisonReport report;
    report.title = tr("Sobolev Workbench comparison");
    const QStringList labels = m_view->ensembleMode() ? m_view->groupLabels() : m_view->labels();
    report.description = tr("%n run(s): %1", nullptr, int(m_view->runs().size()))
                             .arg(labels.join(QStringLiteral(", ")));
    report.notes = notes;
    const QStringList captions{
        tr("Loss per epoch (log scale) as the window shows it, one colour per run."),
        tr("The target f and each run's f_θ."), tr("The derivative f′ and each run's ∂ₓf_θ."),
        tr("Pointwise errors |f′ − ∂ₓf_θ| (solid) and |f − f_θ| (dashed) on the test grid.")};
    for (int i = 0; i < figureNames.size(); ++i)
        report.figures.append({figureNames[i], captions[i]});
    report.table = m_view->reportTable();
    report.tableIntro = m_view->shownEpochIsBest()
                            ? tr("Errors at each run's best validation epoch, on the test grid.")
                            : tr("Final errors on the test grid, and the best validation epoch's.");
    if (m_view->ensembleMode())
        report.tableIntro += tr(" Runs that differ only in their seed are grouped: median, min "
                                "and max over the seeds.");
    if (m_view->noisyNote()->applies())
        report.remarks << m_view->noisyNote()->plainText();
    return report;
}

bool ComparisonWindow::writeReport(const ReportTarget& target, const QString& notes,
                                   QString* error) const {
    ReportFigures figures;
    const QList<QChart*> charts = m_view->charts();
    for (int i = 0; i < charts.size() && i < figureNames.size(); ++i)
        figures.append({figureNames[i], charts[i]});
    return writeReportFiles(target, comparisonReportContent(report(notes)), figures, error);
}

// The four figures as PNG and SVG into one folder, named like the run bundle's.
void ComparisonWindow::exportFigures() {
    const QString dir = askExportFolder(this, tr("Export Comparison Figures"));
    if (dir.isEmpty())
        return;
    QStringList existing;
    for (const QString& name : figureNames)
        for (const QString& suffix : {QStringLiteral(".png"), QStringLiteral(".svg")})
            if (QFileInfo::exists(QDir(dir).filePath(name + suffix)))
                existing << name + suffix;
    if (!existing.isEmpty() &&
        QMessageBox::question(this, tr("Replace Figures?"),
                              tr("%1 already holds %2. Replace them?")
                                  .arg(QDir::toNativeSeparators(dir),
                                       existing.join(QStringLiteral(", ")))) != QMessageBox::Yes)
        return;
    const QList<QChart*> charts = m_view->charts();
    for (int i = 0; i < charts.size() && i < figureNames.size(); ++i)
        for (const QString& suffix : {QStringLiteral(".png"), QStringLiteral(".svg")}) {
            const QString path = QDir(dir).filePath(figureNames[i] + suffix);
            QString error;
            if (!exportChart(charts[i], path, 2, &error)) {
                QMessageBox::warning(this, tr("Export failed"), error);
                return;
            }
        }
    statusBar()->showMessage(tr("Exported the figures to %1").arg(QDir::toNativeSeparators(dir)));
}

} // namespace sobolev
