// SPDX-License-Identifier: GPL-3.0-or-later
// The run history at scale. Two commands, driven by bench_history.sh:
//
// generate --from RUN_FOLDER --runs N
//     Writes N history entries straight into the history folder (AppDataLocation/runs, so
//     set XDG_DATA_HOME), each a copy of a real run folder with its knobs and errors
//     perturbed: config.json (β, width, learning rate and seed varied), metrics.json (the
//     errors scaled), history.csv and predictions.csv as they are, and run.json.
//
// open [--screenshot PNG] [--sweep DIR]
//     Opens the main window over that history, as the program does, and prints one JSON
//     line: the seconds from before the window is made until it is shown with its history
//     loaded (an index rebuild included), the resident memory then, the milliseconds of
//     filtering the Runs panel (each keystroke of a few filters, and clearing them) and of
//     sorting it by each column both ways. With --screenshot, the screen is saved while the
//     index is being rebuilt (when it is), to see the progress bar. With --sweep, the sweep
//     folder DIR is then opened (File ▸ Open Sweep) and the Sweep window saved into the PNG,
//     the main window into PNG-main.png.
#include "mainwindow.h"
#include "runhistory.h"
#include "runhistoryactions.h"
#include "runhistoryloader.h"
#include "runhistorypanel.h"
#include "sweepdialog.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace sobolev;

namespace {

QString historyFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("runs"));
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        std::exit(2);
    }
    return f.readAll();
}

void writeAll(const QString& path, const QByteArray& data) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        std::exit(2);
    }
}

int generate(const QString& from, int runs) {
    const QDir src(from);
    const QJsonObject config =
        QJsonDocument::fromJson(readAll(src.filePath(QStringLiteral("config.json")))).object();
    const QJsonObject metrics =
        QJsonDocument::fromJson(readAll(src.filePath(QStringLiteral("metrics.json")))).object();
    const QByteArray history = readAll(src.filePath(QStringLiteral("history.csv")));
    const QByteArray predictions = readAll(src.filePath(QStringLiteral("predictions.csv")));
    const QDir root(historyFolder());
    root.mkpath(QStringLiteral("."));
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-runs);
    const double betas[] = {0, 0.1, 1, 5, 10};
    const int widths[] = {16, 32, 64};
    const double rates[] = {1e-3, 3e-3, 1e-2, 3e-4};
    for (int i = 0; i < runs; ++i) {
        const QDateTime created = start.addSecs(i);
        const QString id = created.toString(QStringLiteral("yyyyMMdd-HHmmss-0001"));
        QDir entry(root.filePath(id));
        root.mkpath(id);
        QJsonObject c = config;
        c[QStringLiteral("beta")] = betas[i % 5];
        c[QStringLiteral("width")] = widths[(i / 5) % 3];
        c[QStringLiteral("learning_rate")] = rates[(i / 15) % 4];
        c[QStringLiteral("seed")] = i + 1;
        QJsonObject m = metrics;
        const double scale = 1 + (i % 97) / 25.0;
        for (const char* key : {"mse_f", "mse_fprime", "max_err_f", "max_err_fprime"})
            if (m.value(QLatin1String(key)).isDouble())
                m[QLatin1String(key)] = m.value(QLatin1String(key)).toDouble() * scale;
        QJsonObject run;
        run[QStringLiteral("name")] =
            QStringLiteral("#%1 β=%2 seed %3").arg(i + 1).arg(betas[i % 5]).arg(i + 1);
        run[QStringLiteral("created")] = created.toString(Qt::ISODateWithMs);
        run[QStringLiteral("format")] = 1;
        writeAll(entry.filePath(QStringLiteral("config.json")), QJsonDocument(c).toJson());
        writeAll(entry.filePath(QStringLiteral("metrics.json")), QJsonDocument(m).toJson());
        writeAll(entry.filePath(QStringLiteral("history.csv")), history);
        writeAll(entry.filePath(QStringLiteral("predictions.csv")), predictions);
        writeAll(entry.filePath(QStringLiteral("run.json")), QJsonDocument(run).toJson());
    }
    std::printf("{\"generated\": %d, \"into\": \"%s\"}\n", runs, qPrintable(historyFolder()));
    return 0;
}

double residentMegabytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

// The process's CPU seconds (all threads): on a shared machine the wall time also counts
// the time other programs had the cores.
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + t.tv_nsec * 1e-9;
}

double msSince(const QElapsedTimer& clock) {
    return clock.nsecsElapsed() * 1e-6;
}

int open(const QString& screenshot, const QString& sweep) {
    QElapsedTimer clock;
    clock.start();
    const double cpuAtStart = cpuSeconds();
    auto* w = new MainWindow;
    RunHistoryLoader* loader = w->runHistoryActions()->loader();
    QSignalSpy loaded(loader, &RunHistoryLoader::loaded);
    const bool rebuilding = loader->isBusy();
    w->resize(1500, 950);
    w->show();
    if (rebuilding && !screenshot.isEmpty() && sweep.isEmpty()) {
        // Half-way through is enough to see the bar moving.
        QTimer::singleShot(3000, [screenshot] {
            QGuiApplication::primaryScreen()->grabWindow(0).save(screenshot);
        });
    }
    // Without a rebuild the history was loaded inside the constructor.
    if (rebuilding && loaded.isEmpty())
        loaded.wait(3600 * 1000);
    // One more turn of the event loop: the window has painted with its runs.
    QTimer::singleShot(0, qApp, &QCoreApplication::quit);
    qApp->exec();
    const double openSeconds = msSince(clock) * 1e-3;
    const double openCpuSeconds = cpuSeconds() - cpuAtStart;
    const double rss = residentMegabytes();
    const int runs = int(w->runHistory()->runs().size());

    RunHistoryPanel* panel = w->runHistoryPanel();
    auto* filter = panel->findChild<QLineEdit*>();
    auto* view = panel->findChild<QTreeView*>();
    double worstFilter = 0, worstSort = 0, worstFilterCpu = 0, worstSortCpu = 0;
    // Times one change of the panel, wall and CPU, into the worst so far.
    auto measure = [](double* worstWall, double* worstCpu, const std::function<void()>& act) {
        QElapsedTimer t;
        t.start();
        const double cpu = cpuSeconds();
        act();
        *worstWall = std::max(*worstWall, msSince(t));
        *worstCpu = std::max(*worstCpu, (cpuSeconds() - cpu) * 1e3);
    };
    for (const QString& text : {QStringLiteral("β=5"), QStringLiteral("seed 77"),
                                QStringLiteral("diverged"), QStringLiteral("64×2")}) {
        for (qsizetype n = 1; n <= text.size(); ++n)
            measure(&worstFilter, &worstFilterCpu, [&] { filter->setText(text.left(n)); });
        measure(&worstFilter, &worstFilterCpu, [&] { filter->clear(); });
    }
    for (int column = 0; column < view->model()->columnCount(); ++column)
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder})
            measure(&worstSort, &worstSortCpu, [&] { view->sortByColumn(column, order); });
    std::printf(
        "{\"runs\": %d, \"rebuilt\": %s, \"open_seconds\": %.3f, \"open_cpu_seconds\": %.3f, "
        "\"rss_mb\": %.1f, "
        "\"worst_filter_ms\": %.1f, \"worst_filter_cpu_ms\": %.1f, \"worst_sort_ms\": %.1f, "
        "\"worst_sort_cpu_ms\": %.1f, \"index_note\": \"%s\"}\n",
        runs, rebuilding ? "true" : "false", openSeconds, openCpuSeconds, rss, worstFilter,
        worstFilterCpu, worstSort, worstSortCpu,
        qPrintable(w->runHistory()->indexNote().replace(QLatin1Char('"'), QLatin1Char('\''))));
    if (!sweep.isEmpty()) {
        RunHistoryActions* actions = w->runHistoryActions();
        QSignalSpy opened(actions, &RunHistoryActions::sweepFolderOpened);
        QString error;
        if (!actions->openSweepFolder(sweep, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        if (opened.isEmpty())
            opened.wait(600 * 1000);
        QTimer::singleShot(500, qApp, &QCoreApplication::quit);
        qApp->exec();
        // The Sweep window into the PNG, the main window (its Runs panel) beside it.
        actions->sweepDialog()->grab().save(screenshot);
        w->grab().save(
            QString(screenshot).replace(QStringLiteral(".png"), QStringLiteral("-main.png")));
        std::printf("{\"sweep\": \"%s\", \"runs_shown\": %lld}\n", qPrintable(sweep),
                    qlonglong(actions->sweepDialog()->sweepView().runs.size()));
    }
    delete w;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SobolevWorkbenchBench"));
    QApplication::setApplicationName(QStringLiteral("history"));
    const QStringList args = app.arguments();
    auto option = [&](const char* name) {
        const qsizetype at = args.indexOf(QLatin1String(name));
        return at > 0 && at + 1 < args.size() ? args[at + 1] : QString();
    };
    if (args.value(1) == QLatin1String("generate") && !option("--from").isEmpty())
        return generate(option("--from"), std::max(1, option("--runs").toInt()));
    if (args.value(1) == QLatin1String("open"))
        return open(option("--screenshot"), option("--sweep"));
    std::fprintf(stderr, "usage: sobolev-history-bench generate --from RUN_FOLDER --runs N\n"
                         "       sobolev-history-bench open [--screenshot PNG] [--sweep DIR]\n"
                         "(the history is AppDataLocation/runs: set XDG_DATA_HOME)\n");
    return 2;
}
