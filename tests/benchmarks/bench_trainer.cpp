// SPDX-License-Identifier: GPL-3.0-or-later
// Prints, one JSON object per line, the median milliseconds per epoch and the achieved
// GFLOP/s of the trainer for the reference experiment (float32 and float64) and for widths
// 16..256 (depth 2), and the median milliseconds per full-batch L-BFGS iteration (float64;
// an iteration evaluates the loss and gradient once or more, as its line search needs).
// With --snapshots: the whole reference run, trained with its 300 snapshots and without, in
// R pairs (the order alternating), and the median of the ratio of their training times; the
// evaluation of the snapshots after the run is timed apart.
// With --balance: for each balancing rule at its defaults, N Adam epochs of the reference
// with the rule and without, in R pairs (the order alternating), and the median of the ratio
// of their CPU times.
// Usage: sobolev-bench [--epochs N] [--repeats R] [--snapshots | --balance]
#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

using namespace sobolev;

namespace {

// Multiply-adds of one epoch, counted as 2 flops each: forward values and tangents, the
// output gradient and, per hidden layer, the weight gradient and the back-propagation.
double flopsPerEpoch(const TrainConfig& c) {
    const double n = c.nTrain, w = c.width;
    double perSample = 0;
    for (int l = 0; l <= c.depth; ++l) {
        const double in = l == 0 ? 1 : w, out = l == c.depth ? 1 : w;
        const double macs = in * out;
        perSample += 2 * macs; // forward: values and tangents
        perSample += 2 * macs; // weight gradient from both paths
        if (l > 0)
            perSample += 2 * macs; // back-propagate both paths
    }
    return 2 * perSample * n;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void bench(const char* name, const TrainConfig& config, int epochs, int repeats) {
    std::vector<double> perEpochMs;
    for (int r = 0; r < repeats; ++r) {
        Trainer trainer(config);
        trainer.train(2); // warm-up: caches, page faults
        std::vector<double> times;
        for (int e = 0; e < epochs; ++e) {
            const auto t0 = std::chrono::steady_clock::now();
            trainer.train(1);
            times.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
        }
        perEpochMs.push_back(median(times));
    }
    const double ms = median(perEpochMs);
    if (config.epochs == 0) { // L-BFGS alone: every row is an iteration
        std::printf("{\"name\": \"%s\", \"width\": %d, \"depth\": %d, \"n_train\": %d, "
                    "\"precision\": \"%s\", \"ms_per_lbfgs_iteration\": %.4f, "
                    "\"iterations\": %d, \"repeats\": %d}\n",
                    name, config.width, config.depth, config.nTrain,
                    precisionName(config.lbfgsPrecision).data(), ms, epochs, repeats);
        std::fflush(stdout);
        return;
    }
    std::printf("{\"name\": \"%s\", \"width\": %d, \"depth\": %d, \"batch_size\": %d, "
                "\"n_train\": %d, \"precision\": \"%s\", \"ms_per_epoch\": %.4f, "
                "\"gflops\": %.2f, \"epochs\": %d, \"repeats\": %d}\n",
                name, config.width, config.depth, config.batchSize, config.nTrain,
                precisionName(config.precision).data(), ms, flopsPerEpoch(config) / (ms * 1e6),
                epochs, repeats);
    std::fflush(stdout);
}

// CPU seconds of the process: on a machine others share, what the work itself cost, not
// how long it waited for a core (the reference run trains on one thread).
double secondsOf(const std::function<void()>& work) {
    const std::clock_t t0 = std::clock();
    work();
    return double(std::clock() - t0) / CLOCKS_PER_SEC;
}

void benchSnapshots(int repeats) {
    std::vector<double> ratios, with, without, evaluation;
    for (int r = 0; r < repeats; ++r) {
        for (const int snapshots : r % 2 ? std::vector{0, 300} : std::vector{300, 0}) {
            TrainConfig c;
            c.snapshots = snapshots;
            Trainer trainer(c);
            const double seconds = secondsOf([&] { trainer.trainAll(); });
            (snapshots ? with : without).push_back(seconds);
            if (snapshots)
                evaluation.push_back(secondsOf([&] { trainer.snapshots(); }));
        }
        ratios.push_back(with.back() / without.back());
    }
    std::printf("{\"name\": \"reference run, 300 snapshots against none\", "
                "\"median_ratio\": %.4f, \"seconds_with\": %.3f, \"seconds_without\": %.3f, "
                "\"seconds_evaluating_after\": %.3f, \"pairs\": %d, \"clock\": \"cpu\"}\n",
                median(ratios), median(with), median(without), median(evaluation), repeats);
    std::fflush(stdout);
}

// CPU seconds per Adam epoch of the reference (no snapshots: they are timed apart) with
// `rule`, over `epochs` epochs.
double secondsPerEpoch(Balance rule, int epochs) {
    TrainConfig c;
    c.epochs = epochs;
    c.snapshots = 0;
    c.balance = rule;
    Trainer trainer(c);
    return secondsOf([&] { trainer.trainAll(); }) / epochs;
}

void benchBalance(int epochs, int repeats) {
    for (Balance rule : allBalances()) {
        if (rule == Balance::Off)
            continue;
        std::vector<double> ratios, with, without;
        for (int r = 0; r < repeats; ++r) {
            for (const bool on : r % 2 ? std::vector{false, true} : std::vector{true, false})
                (on ? with : without).push_back(secondsPerEpoch(on ? rule : Balance::Off, epochs));
            ratios.push_back(with.back() / without.back());
        }
        std::printf("{\"name\": \"balance %s against off\", \"median_ratio\": %.4f, "
                    "\"ms_per_epoch_with\": %.3f, \"ms_per_epoch_without\": %.3f, "
                    "\"epochs\": %d, \"pairs\": %d, \"clock\": \"cpu\"}\n",
                    std::string(balanceName(rule)).c_str(), median(ratios), 1e3 * median(with),
                    1e3 * median(without), epochs, repeats);
        std::fflush(stdout);
    }
}

} // namespace

int main(int argc, char** argv) {
    int epochs = 30, repeats = 5;
    bool snapshotsOnly = false, balanceOnly = false;
    for (int i = 1; i < argc; ++i) {
        auto intArg = [&](int& out) {
            if (i + 1 >= argc || (out = std::atoi(argv[++i])) <= 0) {
                std::fprintf(stderr, "sobolev-bench: %s needs a positive integer\n", argv[i - 1]);
                std::exit(2);
            }
        };
        if (!std::strcmp(argv[i], "--epochs"))
            intArg(epochs);
        else if (!std::strcmp(argv[i], "--repeats"))
            intArg(repeats);
        else if (!std::strcmp(argv[i], "--snapshots"))
            snapshotsOnly = true;
        else if (!std::strcmp(argv[i], "--balance"))
            balanceOnly = true;
        else {
            std::fprintf(stderr,
                         "sobolev-bench: unknown argument '%s'; allowed: --epochs N, "
                         "--repeats R, --snapshots, --balance\n",
                         argv[i]);
            return 2;
        }
    }
    if (snapshotsOnly) {
        benchSnapshots(repeats);
        return 0;
    }
    if (balanceOnly) {
        benchBalance(epochs, repeats);
        return 0;
    }
    TrainConfig reference;
    bench("reference", reference, epochs, repeats);
    TrainConfig inDouble = reference;
    inDouble.precision = Precision::Float64;
    bench("reference, float64", inDouble, epochs, repeats);
    TrainConfig lbfgs = reference;
    lbfgs.epochs = 0;
    lbfgs.lbfgsIterations = limits::maxLbfgsIterations;
    bench("L-BFGS, full batch", lbfgs, epochs, repeats);
    for (int width : {16, 32, 64, 128, 256}) {
        TrainConfig c = reference;
        c.width = width;
        bench("width", c, epochs, repeats);
    }
    return 0;
}
