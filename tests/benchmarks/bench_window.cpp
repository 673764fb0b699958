// SPDX-License-Identifier: GPL-3.0-or-later
// Trains the reference experiment in the window (offscreen unless a display is given) and
// headless, and prints one JSON line per repeat plus a summary of medians:
// - the overhead of the window: wall time from Train to runFinished against the headless
//   trainer's wall time for the same config;
// - responsiveness: the worst lateness of a 10 ms GUI timer while the run trains.
// Usage: sobolev-window-bench [--repeats R] [--epochs N]
#include "mainwindow.h"
#include "trainer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace sobolev;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double headlessSeconds(const TrainConfig& c) {
    QElapsedTimer clock;
    clock.start();
    Trainer t(c);
    t.trainAll();
    t.report();
    return clock.nsecsElapsed() * 1e-9;
}

struct WindowRun {
    double seconds;
    double worstDelayMs;
    double worstAtSeconds; // when in the run the worst delay ended
    int ticks;
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
    clock.start();
    sinceTick.start();
    probe.start();
    w.train();
    finished.wait(600000);
    const double seconds = clock.nsecsElapsed() * 1e-9;
    probe.stop();
    return {seconds, std::max(0.0, worst), worstAt, ticks};
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SobolevWorkbenchBench"));
    int repeats = 3;
    TrainConfig config; // the reference experiment
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--repeats"))
            repeats = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--epochs"))
            config.epochs = std::max(1, args[i + 1].toInt());
    }
    MainWindow w;
    w.resize(1500, 950);
    w.show();
    std::vector<double> headless, window, delay;
    for (int r = 0; r < repeats; ++r) {
        const double h = headlessSeconds(config);
        const WindowRun run = windowRun(w, config);
        headless.push_back(h);
        window.push_back(run.seconds);
        delay.push_back(run.worstDelayMs);
        std::printf("{\"repeat\": %d, \"headless_seconds\": %.3f, \"window_seconds\": %.3f, "
                    "\"ratio\": %.3f, \"worst_timer_delay_ms\": %.1f, \"worst_at_seconds\": %.2f, "
                    "\"timer_ticks\": %d}\n",
                    r + 1, h, run.seconds, run.seconds / h, run.worstDelayMs, run.worstAtSeconds,
                    run.ticks);
        std::fflush(stdout);
    }
    std::printf("{\"summary\": true, \"epochs\": %d, \"median_headless_seconds\": %.3f, "
                "\"median_window_seconds\": %.3f, \"median_ratio\": %.3f, "
                "\"max_worst_timer_delay_ms\": %.1f}\n",
                config.epochs, median(headless), median(window), median(window) / median(headless),
                *std::max_element(delay.begin(), delay.end()));
    return 0;
}
