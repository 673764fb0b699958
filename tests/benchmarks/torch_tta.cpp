// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch peer of the time-to-accuracy benchmark (tests/benchmarks/compare_torch.sh tta):
// trains a recipe on the workbench's own data and initial weights (taken from a Trainer made
// with the same config, so they are the workbench run's to the bit) with LibTorch's autograd
// and optimisers, and writes per history row the training seconds so far (validation is
// outside the clock) and the validation MSE f'.
//   cosine: Adam (epsilon 1e-7, batch 64) with the cosine decay to lr/100, float32, 1 thread;
//   lbfgs:  Adam 1000 epochs, then 2000 full-batch torch::optim::LBFGS iterations (strong
//           Wolfe, history 10, tolerances off), all float64; Adam on 1 thread, L-BFGS on 2.
// Usage: sobolev-torch-tta --recipe cosine|lbfgs --seed N [--history FILE] [--dump DIR]
//   --dump DIR writes DIR/train.csv, DIR/validation.csv (x,f,fprime) and DIR/parameters.txt
//   (the initial parameters in the workbench's order: per layer W column-major, then b) for
//   torch_reference.py --problem DIR, and trains nothing.
#include "core/train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sobolev;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point began) {
    return std::chrono::duration<double>(Clock::now() - began).count();
}

struct Options {
    std::string recipe, history, dump;
    std::uint64_t seed = 1;
};

// The workbench's config for the recipe, as compare_torch.sh's workbench flags make it.
TrainConfig recipeConfig(const Options& o) {
    TrainConfig c;
    c.seed = o.seed;
    c.snapshots = 0; // only the data and the initial weights are used
    if (o.recipe == "cosine") {
        c.schedule = Schedule::Cosine;
    } else if (o.recipe == "lbfgs") {
        c.lbfgsIterations = 2000;
        c.precision = Precision::Float64;
    } else {
        throw std::invalid_argument("unknown recipe '" + o.recipe + "'; allowed: cosine, lbfgs");
    }
    return c;
}

struct Problem {
    torch::Tensor x, f, fprime, valX, valF, valFprime;
};

torch::Tensor column(const Eigen::RowVectorXf& v, torch::Dtype dtype) {
    return torch::from_blob(const_cast<float*>(v.data()), {v.size(), 1}, torch::kFloat32).to(dtype);
}

// A linear layer per hidden layer and the output, as the workbench's Mlp.
struct Network {
    torch::nn::Sequential model;
    std::vector<torch::nn::Linear> layers;
};

// The Mlp's layers with its parameters: W (out x in) column-major, then b, layer by layer.
Network makeNetwork(const TrainConfig& c, const Eigen::VectorXd& p, torch::Dtype dtype) {
    Network n;
    torch::NoGradGuard noGrad;
    Eigen::Index offset = 0;
    for (int l = 0; l <= c.depth; ++l) {
        const int in = l == 0 ? 1 : c.width, out = l == c.depth ? 1 : c.width;
        torch::nn::Linear layer(in, out);
        layer->to(torch::kFloat64);
        const auto w =
            torch::from_blob(const_cast<double*>(p.data() + offset), {in, out}, torch::kFloat64);
        layer->weight.copy_(w.t()); // column-major out x in is row-major in x out
        offset += Eigen::Index(in) * out;
        layer->bias.copy_(
            torch::from_blob(const_cast<double*>(p.data() + offset), {out}, torch::kFloat64));
        offset += out;
        n.model->push_back(layer);
        if (l < c.depth)
            n.model->push_back(torch::nn::Tanh());
        n.layers.push_back(layer);
    }
    if (offset != p.size())
        throw std::logic_error("the network's parameter count differs from the workbench's");
    n.model->to(dtype);
    return n;
}

// f_theta(x) and its derivative: each output depends on its own row only, so the gradient of
// the sum is the per-sample derivative.
std::pair<torch::Tensor, torch::Tensor> forwardWithGrad(Network& n, const torch::Tensor& x,
                                                        bool createGraph) {
    auto xg = x.detach().requires_grad_(true);
    auto y = n.model->forward(xg);
    auto dy = torch::autograd::grad({y.sum()}, {xg}, {}, true, createGraph)[0];
    return {y, dy};
}

torch::Tensor sobolevLoss(Network& n, const torch::Tensor& x, const torch::Tensor& f,
                          const torch::Tensor& fprime) {
    auto [y, dy] = forwardWithGrad(n, x, true);
    return (y - f).pow(2).mean() + (dy - fprime).pow(2).mean(); // alpha = beta = 1
}

double validationMseFprime(Network& n, const Problem& d) {
    auto [y, dy] = forwardWithGrad(n, d.valX, false);
    return (dy.detach() - d.valFprime).pow(2).mean().item<double>();
}

class History {
  public:
    explicit History(const std::string& path)
        : m_file(path.empty() ? stdout : std::fopen(path.c_str(), "w")) {
        if (!m_file)
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        std::fprintf(m_file, "row,phase,seconds,val_mse_fprime\n");
    }
    ~History() {
        if (m_file != stdout)
            std::fclose(m_file);
    }
    void add(const char* phase, double seconds, double valMseFprime) {
        std::fprintf(m_file, "%d,%s,%.9g,%.9g\n", ++m_rows, phase, seconds, valMseFprime);
    }

  private:
    std::FILE* m_file;
    int m_rows = 0;
};

// The Adam epochs: shuffled mini-batches, the cosine rate per epoch when asked.
double adamPhase(Network& n, const TrainConfig& c, const Problem& d, History& history) {
    torch::optim::Adam adam(
        n.model->parameters(),
        torch::optim::AdamOptions(c.learningRate).betas({0.9, 0.999}).eps(c.adamEpsilon));
    auto& options = static_cast<torch::optim::AdamOptions&>(adam.param_groups()[0].options());
    const double floor = c.learningRate * c.lrFloor;
    const auto rows = d.x.size(0);
    double seconds = 0;
    for (int e = 0; e < c.epochs; ++e) {
        const auto began = Clock::now();
        // cosine: lr_min + (lr - lr_min)(1 + cos(pi e / E)) / 2, as CosineAnnealingLR
        if (c.schedule == Schedule::Cosine)
            options.lr(floor + (c.learningRate - floor) * 0.5 *
                                   (1 + std::cos(std::numbers::pi * e / c.epochs)));
        const auto order = torch::randperm(rows);
        for (int64_t start = 0; start < rows; start += c.batchSize) {
            const auto idx = order.slice(0, start, std::min<int64_t>(start + c.batchSize, rows));
            auto loss = sobolevLoss(n, d.x.index_select(0, idx), d.f.index_select(0, idx),
                                    d.fprime.index_select(0, idx));
            adam.zero_grad();
            loss.backward();
            adam.step();
        }
        seconds += secondsSince(began);
        history.add("adam", seconds, validationMseFprime(n, d));
    }
    return seconds;
}

// Full-batch L-BFGS, one iteration per step() so that each can be logged. step() starts by
// evaluating the loss where the last line search ended, which one step() of all iterations
// would not redo: that evaluation is kept off the clock. An iteration that leaves the weights
// unchanged ends the phase, where one long step() would have returned.
void lbfgsPhase(Network& n, const TrainConfig& c, const Problem& d, double seconds,
                History& history) {
    torch::optim::LBFGS lbfgs(n.model->parameters(), torch::optim::LBFGSOptions(1)
                                                         .max_iter(1)
                                                         .history_size(c.lbfgsHistory)
                                                         .tolerance_grad(0)
                                                         .tolerance_change(0)
                                                         .line_search_fn("strong_wolfe"));
    int callsThisStep = 0;
    double redundant = 0;
    auto closure = [&] {
        const auto began = Clock::now();
        lbfgs.zero_grad();
        auto loss = sobolevLoss(n, d.x, d.f, d.fprime);
        loss.backward();
        if (callsThisStep++ == 0)
            redundant = secondsSince(began);
        return loss;
    };
    for (int i = 0; i < c.lbfgsIterations; ++i) {
        const auto before = torch::nn::utils::parameters_to_vector(n.model->parameters());
        callsThisStep = 0;
        const auto began = Clock::now();
        lbfgs.step(closure);
        seconds += secondsSince(began) - (i > 0 ? redundant : 0.0);
        const auto after = torch::nn::utils::parameters_to_vector(n.model->parameters());
        if (torch::equal(before, after))
            return;
        history.add("lbfgs", seconds, validationMseFprime(n, d));
    }
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc)
            throw std::invalid_argument(a + " needs a value");
        if (a == "--recipe")
            o.recipe = argv[++i];
        else if (a == "--seed")
            o.seed = std::stoull(argv[++i]);
        else if (a == "--history")
            o.history = argv[++i];
        else if (a == "--dump")
            o.dump = argv[++i];
        else
            throw std::invalid_argument("unknown option " + a +
                                        "; allowed: --recipe, --seed, --history, --dump");
    }
    if (o.recipe.empty())
        throw std::invalid_argument("--recipe is missing; allowed: cosine, lbfgs");
    return o;
}

void writeSet(const std::string& path, const Dataset& s) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    std::fprintf(f, "x,f,fprime\n");
    for (int i = 0; i < s.size(); ++i) // 9 digits read back to the same float
        std::fprintf(f, "%.9g,%.9g,%.9g\n", s.x[i], s.f[i], s.fprime[i]);
    std::fclose(f);
}

void dump(const std::string& dir, const Trainer& t) {
    writeSet(dir + "/train.csv", t.trainingData());
    writeSet(dir + "/validation.csv", t.validationData());
    const std::string path = dir + "/parameters.txt";
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    for (double p : t.parameters())
        std::fprintf(f, "%.17g\n", p);
    std::fclose(f);
}

} // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse(argc, argv);
        const TrainConfig c = recipeConfig(o);
        Trainer trainer(c);
        if (!o.dump.empty()) {
            dump(o.dump, trainer);
            return 0;
        }
        at::set_num_threads(1);
        torch::manual_seed(o.seed);
        const auto dtype = c.precision == Precision::Float64 ? torch::kFloat64 : torch::kFloat32;
        const Dataset& t = trainer.trainingData();
        const Dataset& v = trainer.validationData();
        const Problem d{column(t.x, dtype), column(t.f, dtype), column(t.fprime, dtype),
                        column(v.x, dtype), column(v.f, dtype), column(v.fprime, dtype)};
        Network n = makeNetwork(c, trainer.parameters(), dtype);
        History history(o.history);
        const double seconds = adamPhase(n, c, d, history);
        if (c.lbfgsIterations > 0) {
            at::set_num_threads(2);
            lbfgsPhase(n, c, d, seconds, history);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sobolev-torch-tta: %s\n", e.what());
        return 2;
    }
    return 0;
}
