// SPDX-License-Identifier: GPL-3.0-or-later
// Prints, one JSON object per line, the median milliseconds per epoch and the achieved
// GFLOP/s of the trainer for the reference experiment (float32 and float64) and for widths
// 16..256 (depth 2), and the median milliseconds per full-batch L-BFGS iteration (float64;
// an iteration evaluates the loss and gradient once or more, as its line search needs).
// First it measures the peak: a 1024^3 Eigen GEMM on one thread, in float and double; every
// kernel is then also given as a share of that peak (the L-BFGS iteration, on 2 threads, as a
// share of twice the one-core double peak).
// With --snapshots: the whole reference run, trained with its 300 snapshots and without, in
// R pairs (the order alternating), and the median of the ratio of their training times; the
// evaluation of the snapshots after the run is timed apart.
// With --cpu every time is the process's CPU time instead of the wall clock: on a machine
// others share, what the work cost rather than how long it waited for a core. The L-BFGS
// iteration's CPU time is then both threads' together, and its GFLOP/s per CPU second
// against one core's peak is its share of two cores' peak had both been busy throughout.
// --no-widths skips the width rows.
// With --balance: for each balancing rule at its defaults, N Adam epochs of the reference
// with the rule and without, in R pairs (the order alternating), and the median of the ratio
// of their CPU times.
// Usage: sobolev-bench [--epochs N] [--repeats R] [--cpu] [--no-widths] [--snapshots | --balance]
#include "core/model/fullbatch.h"
#include "core/optim/lbfgsoptimiser.h"
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
// With layer sizes in_l x out_l (1 x w, w x w (depth - 1 times), w x 1):
//   flops = 2 n_train sum_l (2 + 2 + 2 [l > 0]) in_l out_l,
// the reference (w 64, depth 2, n_train 2048): 2 * 2048 * (4*64 + 6*4096 + 6*64) = 103.3 Mflop.
// The validation pass and the elementwise work (activations, Adam) are not counted, so a
// share of the peak is a lower bound of the GEMM work's efficiency.
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

bool cpuClock = false; // --cpu

// The process's CPU time in milliseconds, all threads.
double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

// Milliseconds on the clock chosen: the wall clock, or with --cpu the process's CPU time.
double nowMs() {
    if (cpuClock)
        return cpuMs();
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const char* clockName() {
    return cpuClock ? "cpu" : "wall";
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// GFLOP/s of one 1024 x 1024 x 1024 product (2 n^3 flops) on this thread, the median of
// `repeats`: the peak the network's kernels are measured against.
template <typename Scalar> double gemmPeakGflops(int repeats) {
    constexpr int n = 1024;
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    const Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n);
    Matrix c(n, n);
    c.noalias() = a * b; // warm-up
    std::vector<double> gflops;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = nowMs();
        c.noalias() = a * b;
        gflops.push_back(2.0 * n * n * n / ((nowMs() - t0) * 1e6));
    }
    const double peak = median(gflops);
    std::printf("{\"name\": \"peak, Eigen GEMM 1024^3, one thread\", \"precision\": \"%s\", "
                "\"gflops\": %.2f, \"best_gflops\": %.2f, \"repeats\": %d, \"clock\": \"%s\", "
                "\"check\": %.3g}\n",
                sizeof(Scalar) == 4 ? "float32" : "float64", peak,
                *std::max_element(gflops.begin(), gflops.end()), repeats, clockName(),
                double(c(0, 0)));
    std::fflush(stdout);
    return peak;
}

// Loss-and-gradient evaluations per L-BFGS iteration of `config` (L-BFGS alone), counted on
// the same data and weights as the trainer's, over the iterations bench() times: `iterations`
// after 2 of warm-up.
double lbfgsEvaluationsPerIteration(const TrainConfig& config, int iterations) {
    const Trainer trainer(config);
    const Dataset& d = trainer.trainingData();
    const Eigen::RowVectorXd x = d.x.cast<double>(), f = d.f.cast<double>(),
                             fp = d.fprime.cast<double>();
    FullBatch<double> full(config.width, config.depth, config.activation, 2);
    int evaluations = 0;
    const Optimiser<double>::Objective objective = [&](const Eigen::VectorXd& p,
                                                       Eigen::VectorXd& g) {
        ++evaluations;
        return full.lossAndGradient(p, x, f, fp, config.alpha, config.beta, g);
    };
    LbfgsOptimiser<double> lbfgs(LbfgsParams::fromConfig(config));
    Eigen::VectorXd p = trainer.parameters();
    lbfgs.start(p, objective);
    for (int warmUp = 0; warmUp < 2; ++warmUp)
        lbfgs.step(p, objective, 0);
    evaluations = 0;
    int done = 0;
    while (done < iterations && lbfgs.step(p, objective, 0).outcome == StepOutcome::Continue)
        ++done;
    return done ? double(evaluations) / done : 0;
}

struct Peaks {
    double float32 = 0, float64 = 0; // GFLOP/s on one core
};

void bench(const char* name, const TrainConfig& config, int epochs, int repeats,
           const Peaks& peak) {
    std::vector<double> perEpochMs;
    for (int r = 0; r < repeats; ++r) {
        Trainer trainer(config);
        trainer.setFullBatchThreads(2);
        trainer.train(2); // warm-up: caches, page faults
        std::vector<double> times;
        for (int e = 0; e < epochs; ++e) {
            const double t0 = nowMs();
            trainer.train(1);
            times.push_back(nowMs() - t0);
        }
        perEpochMs.push_back(median(times));
    }
    const double ms = median(perEpochMs);
    if (config.epochs == 0) { // L-BFGS alone: every row is an iteration, on 2 threads
        const double evaluations = lbfgsEvaluationsPerIteration(config, epochs);
        const double gflops = evaluations * flopsPerEpoch(config) / (ms * 1e6);
        const double cores = cpuClock ? 1 : 2; // CPU time already sums the two threads
        std::printf("{\"name\": \"%s\", \"width\": %d, \"depth\": %d, \"n_train\": %d, "
                    "\"precision\": \"%s\", \"threads\": 2, \"ms_per_lbfgs_iteration\": %.4f, "
                    "\"evaluations_per_iteration\": %.2f, \"gflops\": %.2f, "
                    "\"share_of_2core_peak\": %.3f, \"iterations\": %d, \"repeats\": %d, "
                    "\"clock\": \"%s\"}\n",
                    name, config.width, config.depth, config.nTrain,
                    precisionName(config.lbfgsPrecision).data(), ms, evaluations, gflops,
                    gflops / (cores * peak.float64), epochs, repeats, clockName());
        std::fflush(stdout);
        return;
    }
    const double gflops = flopsPerEpoch(config) / (ms * 1e6);
    const bool isDouble = config.precision == Precision::Float64;
    std::printf("{\"name\": \"%s\", \"width\": %d, \"depth\": %d, \"batch_size\": %d, "
                "\"n_train\": %d, \"precision\": \"%s\", \"ms_per_epoch\": %.4f, "
                "\"gflops\": %.2f, \"share_of_peak\": %.3f, \"epochs\": %d, \"repeats\": %d, "
                "\"clock\": \"%s\"}\n",
                name, config.width, config.depth, config.batchSize, config.nTrain,
                precisionName(config.precision).data(), ms, gflops,
                gflops / (isDouble ? peak.float64 : peak.float32), epochs, repeats, clockName());
    std::fflush(stdout);
}

// CPU seconds of the process: on a machine others share, what the work itself cost, not
// how long it waited for a core (the reference run trains on one thread).
double secondsOf(const std::function<void()>& work) {
    const double t0 = cpuMs();
    work();
    return (cpuMs() - t0) * 1e-3;
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
    bool snapshotsOnly = false, balanceOnly = false, widths = true;
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
        else if (!std::strcmp(argv[i], "--cpu"))
            cpuClock = true;
        else if (!std::strcmp(argv[i], "--no-widths"))
            widths = false;
        else {
            std::fprintf(stderr,
                         "sobolev-bench: unknown argument '%s'; allowed: --epochs N, "
                         "--repeats R, --cpu, --no-widths, --snapshots, --balance\n",
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
    Peaks peak;
    peak.float32 = gemmPeakGflops<float>(repeats);
    peak.float64 = gemmPeakGflops<double>(repeats);
    TrainConfig reference;
    bench("reference", reference, epochs, repeats, peak);
    TrainConfig inDouble = reference;
    inDouble.precision = Precision::Float64;
    bench("reference, float64", inDouble, epochs, repeats, peak);
    TrainConfig lbfgs = reference;
    lbfgs.epochs = 0;
    lbfgs.lbfgsIterations = limits::maxLbfgsIterations;
    bench("L-BFGS, full batch", lbfgs, epochs, repeats, peak);
    for (int width : {16, 32, 64, 128, 256}) {
        if (!widths)
            break;
        TrainConfig c = reference;
        c.width = width;
        bench("width", c, epochs, repeats, peak);
    }
    return 0;
}
