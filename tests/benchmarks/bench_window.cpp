// SPDX-License-Identifier: GPL-3.0-or-later
// Trains the reference experiment in the window (offscreen unless a display is given) and
// headless, and prints one JSON line per repeat plus a summary of medians:
// - the overhead of the window: wall time from Train to runFinished against the headless
//   trainer's wall time for the same config;
// - responsiveness: the worst lateness of a 10 ms GUI timer while the run trains;
// - the live fit: redraws of the f chart per second while training, and its worst
//   staleness, the training time between the newest epoch (finished on the worker, or shown
//   on the loss chart) and the network drawn, just before each redraw replaces it;
// - the worker trainer's own training time against the headless trainer's (the worker's
//   speed, without thread start and GUI);
// - the worker's cost of one prediction snapshot (forward pass with tangents on the grid);
// - where the GUI thread's painting goes: per part of the window (each chart, the metrics
//   table, the status bar, the rest), milliseconds and paint events per run.
// Usage: sobolev-window-bench [--repeats R] [--epochs N] [--presentation 1]
// (--presentation 1: in View ▸ Presentation, f and loss at 150 %, the window 1280×720.)
#include "core/train/trainer.h"
#include "fitchart.h"
#include "mainwindow.h"
#include "metricstable.h"
#include "presentationmode.h"
#include "trainingchart.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

using namespace sobolev;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct HeadlessRun {
    double seconds;      // wall time
    double trainSeconds; // the trainer's own training time
};

HeadlessRun headlessRun(const TrainConfig& c) {
    QElapsedTimer clock;
    clock.start();
    Trainer t(c);
    t.trainAll();
    const FitReport r = t.report();
    return {clock.nsecsElapsed() * 1e-9, r.trainSeconds};
}

// CPU time the calling thread has used (Linux): what drawing costs, which on a busy machine
// is taken from the worker's share.
double threadCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

// Median wall time of one Trainer::predictions() call, mid-run.
double predictionMs(const TrainConfig& c) {
    Trainer t(c);
    t.train(std::min(c.epochs, 5));
    std::vector<double> ms;
    for (int i = 0; i < 101; ++i) {
        QElapsedTimer clock;
        clock.start();
        t.predictions(); // writes the trainer's buffers; not optimised away
        ms.push_back(clock.nsecsElapsed() * 1e-6);
    }
    return median(ms);
}

// Times every paint event, and adds it to the part of the window it paints: the nearest of
// `parts` among the widget and its ancestors, else "other".
class PaintTimingApplication : public QApplication {
  public:
    using QApplication::QApplication;
    struct Cost {
        double ms = 0;
        int paints = 0;
    };
    std::vector<std::pair<QString, const QObject*>> parts;
    std::map<QString, Cost> costs; // since the last clear()

    bool notify(QObject* receiver, QEvent* event) override {
        if (event->type() != QEvent::Paint)
            return QApplication::notify(receiver, event);
        QElapsedTimer clock;
        clock.start();
        const bool result = QApplication::notify(receiver, event);
        Cost& cost = costs[partOf(receiver)];
        cost.ms += clock.nsecsElapsed() * 1e-6;
        ++cost.paints;
        return result;
    }

  private:
    QString partOf(const QObject* object) const {
        for (; object; object = object->parent())
            for (const auto& [name, part] : parts)
                if (part == object)
                    return name;
        return QStringLiteral("other");
    }
};

// {"f": [ms, paints], ...}
std::string paintJson(const std::map<QString, PaintTimingApplication::Cost>& costs) {
    std::string json = "{";
    for (const auto& [name, cost] : costs) {
        if (json.size() > 1)
            json += ", ";
        char entry[160];
        std::snprintf(entry, sizeof entry, "\"%s\": [%.1f, %d]", qPrintable(name), cost.ms,
                      cost.paints);
        json += entry;
    }
    return json + "}";
}

struct WindowRun {
    double seconds;
    double worstDelayMs;
    double worstAtSeconds; // when in the run the worst delay ended
    int ticks;
    double trainSeconds;      // the worker trainer's own training time
    int fitRedraws;           // f chart redraws while running
    double worstStaleMs;      // behind the worker's newest epoch
    double worstBehindLossMs; // behind the loss chart's newest epoch
    double guiCpuSeconds;     // the GUI thread's CPU time from Train to the end
};

WindowRun windowRun(MainWindow& w, const TrainConfig& c) {
    w.setConfig(c);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QElapsedTimer sinceTick, clock;
    double worst = 0, worstAt = 0;
    int ticks = 0;
    QTimer probe;
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double late = sinceTick.nsecsElapsed() * 1e-6 - 10.0;
        if (late > worst) {
            worst = late;
            worstAt = clock.nsecsElapsed() * 1e-9;
        }
        sinceTick.start();
        ++ticks;
    });
    // The f chart draws the newest predictions it was given; just before a redraw, the curve
    // on screen is the one of the previous redraw.
    TrainingController* ctl = w.controller();
    int redraws = 0;
    double drawnSeconds = 0, givenSeconds = 0, worstStale = 0, worstBehindLoss = 0;
    const auto given = QObject::connect(ctl, &TrainingController::predictionsUpdated,
                                        [&] { givenSeconds = ctl->predictionsSeconds(); });
    const auto drawn =
        QObject::connect(w.fitChart(FitChart::Kind::Function), &FitChart::redrawn, [&] {
            if (ctl->state() != TrainingController::State::Running)
                return;
            worstStale = std::max(worstStale, ctl->workerSeconds() - drawnSeconds);
            const QList<EpochMetrics> h = ctl->history();
            if (!h.isEmpty())
                worstBehindLoss = std::max(worstBehindLoss, h.constLast().seconds - drawnSeconds);
            drawnSeconds = givenSeconds;
            ++redraws;
        });
    clock.start();
    sinceTick.start();
    probe.start();
    const double cpuBefore = threadCpuSeconds();
    w.train();
    finished.wait(600000);
    const double seconds = clock.nsecsElapsed() * 1e-9;
    const double guiCpu = threadCpuSeconds() - cpuBefore;
    probe.stop();
    QObject::disconnect(given);
    QObject::disconnect(drawn);
    const double trainSeconds =
        finished.isEmpty() ? 0.0 : finished.first().first().value<FitReport>().trainSeconds;
    return {seconds,          std::max(0.0, worst),  worstAt, ticks, trainSeconds, redraws,
            worstStale * 1e3, worstBehindLoss * 1e3, guiCpu};
}

} // namespace

int main(int argc, char** argv) {
    PaintTimingApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SobolevWorkbenchBench"));
    int repeats = 3;
    bool presentation = false;
    TrainConfig config; // the reference experiment
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--repeats"))
            repeats = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--epochs"))
            config.epochs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--presentation"))
            presentation = args[i + 1].toInt() != 0;
    }
    MainWindow w;
    w.setWindowState(Qt::WindowNoState); // not the offscreen screen's 800×800
    w.resize(presentation ? QSize(1280, 720) : QSize(1500, 950));
    w.show();
    if (presentation) {
        using Chart = PresentationMode::Chart;
        w.presentation()->setLayout({Chart::F, Chart::Loss});
        w.presentation()->setScale(1.5);
        w.presentation()->setActive(true);
    }
    const auto part = [](const char* name, const QObject* widget) {
        return std::pair{QString::fromLatin1(name), widget};
    };
    app.parts = {part("f", w.fitChart(FitChart::Kind::Function)),
                 part("fprime", w.fitChart(FitChart::Kind::Derivative)),
                 part("error", w.fitChart(FitChart::Kind::Error)),
                 part("loss", w.trainingChart()),
                 part("metrics", w.metricsTable()),
                 part("statusbar", w.statusBar())};
    std::vector<double> headless, window, delay, rate, stale, behind, trainRatio, guiCpu;
    for (int r = 0; r < repeats; ++r) {
        const HeadlessRun hr = headlessRun(config);
        const double h = hr.seconds;
        app.costs.clear();
        const WindowRun run = windowRun(w, config);
        trainRatio.push_back(run.trainSeconds / hr.trainSeconds);
        headless.push_back(h);
        window.push_back(run.seconds);
        delay.push_back(run.worstDelayMs);
        rate.push_back(run.fitRedraws / run.seconds);
        stale.push_back(run.worstStaleMs);
        behind.push_back(run.worstBehindLossMs);
        guiCpu.push_back(run.guiCpuSeconds);
        std::printf("{\"repeat\": %d, \"headless_seconds\": %.3f, \"window_seconds\": %.3f, "
                    "\"ratio\": %.3f, \"worst_timer_delay_ms\": %.1f, \"worst_at_seconds\": %.2f, "
                    "\"timer_ticks\": %d, \"fit_redraws_per_second\": %.1f, "
                    "\"worst_staleness_ms\": %.1f, \"worst_behind_loss_chart_ms\": %.1f, "
                    "\"worker_train_ratio\": %.3f, \"gui_cpu_seconds\": %.3f, "
                    "\"paint_ms_and_events\": %s}\n",
                    r + 1, h, run.seconds, run.seconds / h, run.worstDelayMs, run.worstAtSeconds,
                    run.ticks, rate.back(), run.worstStaleMs, run.worstBehindLossMs,
                    trainRatio.back(), run.guiCpuSeconds, paintJson(app.costs).c_str());
        std::fflush(stdout);
    }
    const double snapshotMs = predictionMs(config);
    std::printf("{\"summary\": true, \"epochs\": %d, \"median_headless_seconds\": %.3f, "
                "\"median_window_seconds\": %.3f, \"median_ratio\": %.3f, "
                "\"max_worst_timer_delay_ms\": %.1f, \"min_fit_redraws_per_second\": %.1f, "
                "\"max_worst_staleness_ms\": %.1f, \"max_worst_behind_loss_chart_ms\": %.1f, "
                "\"median_worker_train_ratio\": %.3f, \"median_gui_cpu_seconds\": %.3f, "
                "\"prediction_snapshot_ms\": %.3f, \"snapshot_share_of_interval\": %.4f}\n",
                config.epochs, median(headless), median(window), median(window) / median(headless),
                *std::max_element(delay.begin(), delay.end()),
                *std::min_element(rate.begin(), rate.end()),
                *std::max_element(stale.begin(), stale.end()),
                *std::max_element(behind.begin(), behind.end()), median(trainRatio), median(guiCpu),
                snapshotMs, snapshotMs / TrainingController::predictionIntervalMs);
    return 0;
}
