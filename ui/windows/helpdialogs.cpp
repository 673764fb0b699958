// SPDX-License-Identifier: GPL-3.0-or-later
#include "helpdialogs.h"

#include "chartview.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sobolev {

namespace {

QString actionName(const QAction* action) {
    QString text = action->text();
    // "&&" is a literal ampersand, a single "&" marks the mnemonic.
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text;
}

void collect(const QList<QAction*>& actions, QList<const QAction*>& found) {
    for (const QAction* action : actions) {
        if (action->menu())
            collect(action->menu()->actions(), found);
        else if (!action->shortcut().isEmpty() && !found.contains(action))
            found << action;
    }
}

} // namespace

QList<ShortcutRow> shortcutRows(const QWidget* window) {
    QList<const QAction*> found;
    if (const auto* menus = window->findChild<QMenuBar*>())
        collect(menus->actions(), found);
    // Actions outside the menus: the Runs panel's rename and delete, the run controls.
    QList<QAction*> others;
    for (QAction* action : window->findChildren<QAction*>())
        others << action;
    collect(others, found);

    QList<ShortcutRow> rows;
    for (const QAction* action : found)
        for (const QKeySequence& keys : action->shortcuts())
            rows.append({actionName(action), keys.toString(QKeySequence::NativeText)});
    // Keys that widgets handle themselves.
    rows.append({QDialog::tr("Copy the selected rows of a table (Metrics, Runs)"),
                 QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)});
    for (const ChartView::KeyHelp& help : ChartView::keyHelp()) {
        QStringList keys;
        for (Qt::Key key : help.keys)
            keys << QKeySequence(key).toString(QKeySequence::NativeText);
        rows.append({help.action, keys.join(QStringLiteral(", "))});
    }
    return rows;
}

ShortcutsDialog::ShortcutsDialog(const QList<ShortcutRow>& rows, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto* table = new QTableWidget(int(rows.size()), 2);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    for (int r = 0; r < rows.size(); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(rows[r].action));
        table->setItem(r, 1, new QTableWidgetItem(rows[r].keys));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->resizeRowsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(460, 560);
}

QList<ChartTopic> chartTopics() {
    return {ChartTopic::Function, ChartTopic::Derivative, ChartTopic::Loss, ChartTopic::Error,
            ChartTopic::Lambda};
}

ChartHelp chartHelp(ChartTopic topic) {
    switch (topic) {
    case ChartTopic::Function:
        return {QDialog::tr("f(x): target and network"),
                QDialog::tr(
                    "<p>Across is x, over the domain; up is the value of the function.</p>"
                    "<p><b>true f</b> is the target the network is asked to learn. <b>network "
                    "f<sub>θ</sub></b> is what it has learnt so far, redrawn as it trains. With "
                    "View ▸ Show Training Points, the dots are the points it trains on (with "
                    "noise when σ_f is above 0).</p>"
                    "<p>Look for the places where the two curves part. The Runge function's "
                    "narrow peak at x = 0 is usually the last part to come right. Curves that "
                    "look the same can still differ by 0.001: the pointwise error chart shows "
                    "how far apart they are.</p>")};
    case ChartTopic::Derivative:
        return {
            QDialog::tr("f′(x) and ∂ₓfθ(x)"),
            QDialog::tr("<p>Across is x; up is the slope of the function.</p>"
                        "<p><b>true f′</b> is the slope of the target. <b>network "
                        "∂<sub>x</sub>f<sub>θ</sub></b> is the slope of the network, worked out "
                        "exactly from its weights, not by finite differences.</p>"
                        "<p>With β above 0 the loss compares these two at the training points, so "
                        "the network learns the slope too. With β = 0 it never sees f′, and this "
                        "chart shows how well it gets the slope anyway. Look for wiggles: a "
                        "network curve that looks smooth in the f chart can still have a wavy "
                        "slope, and a small error in f can be a large one in f′.</p>")};
    case ChartTopic::Loss:
        return {QDialog::tr("Training and validation loss"),
                QDialog::tr(
                    "<p>Across is the epoch: one pass over all the training points. Up is the "
                    "loss on a log scale: each grid line is ten times the one below.</p>"
                    "<p>The wide pale band is the <b>train loss</b>, α·MSE f + β·MSE f′, the "
                    "number training makes smaller. The thin solid lines are its two terms "
                    "before weighting: <b>train MSE f</b> (how far f<sub>θ</sub> is from f) and "
                    "<b>train MSE f′</b> (how far its slope is from f′). The dashed lines are "
                    "the same on the validation points, which the network never trains on. "
                    "View ▸ Show Weighted Loss Terms adds α·MSE f and β·MSE f′ (dotted), to see "
                    "which term the loss is made of. Click a legend entry to hide or show a "
                    "curve.</p>"
                    "<p>Look for dashed lines that follow the solid ones: the network does as "
                    "well on points it has not seen. Spikes are normal for Adam at a constant "
                    "learning rate, so the last epoch is not always the best one. A labelled "
                    "vertical line marks where α, β or the learning rate was changed, or where "
                    "L-BFGS took over; with a schedule, the grey line is the learning "
                    "rate.</p>")};
    case ChartTopic::Error:
        return {QDialog::tr("Pointwise error"),
                QDialog::tr(
                    "<p>Across is x. Up is, at each x of the test grid, how far the network "
                    "is from the target, on a log scale: 1e-3 is a thousandth, and each grid "
                    "line is ten times the one below. Lower is better.</p>"
                    "<p><b>|f − f<sub>θ</sub>|</b> is the error in the value, <b>|f′ − "
                    "∂<sub>x</sub>f<sub>θ</sub>|</b> the error in the slope. Classical fits "
                    "added with View ▸ Baselines are drawn beside them, dashed for f and "
                    "dotted for f′.</p>"
                    "<p>Look for where the errors peak (for the Runge function often near x = 0 "
                    "or at the ends of the domain), and compare runs with different β: the "
                    "f′ error usually drops a lot with β, the f error much less. The "
                    "Metrics table gives the mean and largest of these errors.</p>")};
    case ChartTopic::Lambda:
        return {
            QDialog::tr("λ(t) = β/α, the loss weights in force"),
            QDialog::tr("<p>Across is the epoch, the same epochs as the loss chart above it: zoom "
                        "that one and this one follows. Up is <b>β/α</b>, how much the slope term "
                        "of the loss counts against the value term, on a log scale: 1 weighs them "
                        "alike, 10 makes f′ count ten times as much.</p>"
                        "<p>It is shown only when the weights move while the run trains: a "
                        "balancing rule (the Loss group's balance) sets them from the losses or "
                        "the gradients as it goes, or α or β was changed during the run. With "
                        "constant weights it would be a flat line, so it stays hidden (View ▸ "
                        "Show λ(t) Chart When Weights Vary).</p>"
                        "<p>Look for where the line settles: a rule that keeps moving has not "
                        "found a balance, and a jump lines up with a labelled change in the loss "
                        "chart. Compare the loss curves before and after a jump to see what the "
                        "new weighting did.</p>")};
    }
    return {};
}

ChartHelpDialog::ChartHelpDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("What Am I Seeing?"));
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("chartList"));
    for (const ChartTopic topic : chartTopics())
        m_list->addItem(chartHelp(topic).title);
    m_text = new QTextBrowser;
    m_text->setObjectName(QStringLiteral("chartHelpText"));
    m_text->setOpenLinks(false);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_text->setHtml(chartHelp(chartTopics().value(row)).text);
    });
    auto* split = new QSplitter;
    split->addWidget(m_list);
    split->addWidget(m_text);
    split->setStretchFactor(1, 1);
    split->setSizes({190, 420});
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    layout->addWidget(buttons);
    resize(640, 400);
    showTopic(ChartTopic::Function);
}

void ChartHelpDialog::showTopic(ChartTopic topic) {
    m_list->setCurrentRow(int(chartTopics().indexOf(topic)));
}

ChartTopic ChartHelpDialog::topic() const {
    return chartTopics().value(m_list->currentRow());
}

QString ChartHelpDialog::shownText() const {
    return m_text->toPlainText();
}

QString aboutText() {
    return QDialog::tr("<p><b>Sobolev Workbench %1</b></p><p>Trains a small network to fit "
                       "f(x) = 1/(1+25x²) and its derivative, with loss "
                       "α·MSE(f) + β·MSE(f′).</p>"
                       "<p>Build: %2<br>%3</p>")
        .arg(applicationVersion(), buildDescription().toHtmlEscaped(),
             libraryVersions().toHtmlEscaped().replace(QStringLiteral(", "),
                                                       QStringLiteral("<br>")));
}

} // namespace sobolev
