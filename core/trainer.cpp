// SPDX-License-Identifier: GPL-3.0-or-later
#include "trainer.h"

#include "adam.h"
#include "fullbatch.h"
#include "lbfgs.h"
#include "target.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sobolev {

namespace {

const TrainConfig& checked(const TrainConfig& config) {
    const auto problems = validate(config);
    if (!problems.empty())
        throw std::invalid_argument("invalid training config: " + describe(problems));
    return config;
}

// The batch size follows n_train when it would exceed it (configNotes() says so). With
// measured data n_train and n_val are the split's row counts (n_val = n_train without a
// split: the validation set is then the training set) and the domain spans the data's x.
TrainConfig withEffectiveBatch(TrainConfig config) {
    config.batchSize = effectiveBatchSize(config);
    if (config.measured) {
        config.nTrain = trainingRows(config);
        const int val = validationRowCount(config.measured->rows(), config.dataValidation);
        config.nVal = val > 0 ? val : config.nTrain;
        config.domainMin = config.measured->minX();
        config.domainMax = config.measured->maxX();
    }
    return config;
}

// Enough columns to evaluate large sets in a few passes without a big workspace.
constexpr int evaluationChunk = 256;

std::string shortNumber(double value) {
    std::ostringstream out;
    out.precision(3);
    out << value;
    return out.str();
}

} // namespace

// The network, its data and its Adam state in one precision. A float32 run has only the
// float network; an L-BFGS phase in another precision gets its own, started from the
// Adam phase's weights.
template <typename Scalar> struct TrainerNet {
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

    Mlp<Scalar> mlp;
    Adam<Scalar> adam;
    Scalar alpha, beta;
    RowVector trainX, trainF, trainFprime, valX, valF, valFprime, gridX;
    RowVector bx, bf, bfp, y, dy;
    Vector grad;
    int fullBatchThreads = 1;
    std::optional<FullBatch<Scalar>> fullBatchLoss; // made by the first full-batch evaluation

    TrainerNet(const TrainConfig& c, const Dataset& train, const Dataset& val, const Dataset& grid,
               const Eigen::VectorXf& initial)
        : mlp(c.width, c.depth, c.activation),
          adam(mlp.parameterCount(), typename Adam<Scalar>::Options{c.learningRate}),
          alpha(Scalar(c.alpha)), beta(Scalar(c.beta)), trainX(train.x.cast<Scalar>()),
          trainF(train.f.cast<Scalar>()), trainFprime(train.fprime.cast<Scalar>()),
          valX(val.x.cast<Scalar>()), valF(val.f.cast<Scalar>()),
          valFprime(val.fprime.cast<Scalar>()), gridX(grid.x.cast<Scalar>()) {
        mlp.parameters() = initial.cast<Scalar>();
        mlp.reserve(std::max(c.batchSize, evaluationChunk));
        bx.resize(c.batchSize);
        bf.resize(c.batchSize);
        bfp.resize(c.batchSize);
        grad.resize(mlp.parameterCount());
        y.resize(std::max(c.nVal, c.gridPoints));
        dy.resize(y.size());
    }

    // Validation MSEs of the network as it is.
    void validate(EpochMetrics& m) {
        const int nv = int(valX.size());
        mlp.predict(valX, y.head(nv), dy.head(nv));
        m.valMseF = mseF(y.head(nv), valF);
        m.valMseFprime = mseFprime(dy.head(nv), valFprime);
    }

    // The loss over the whole training set and its gradient at `params`.
    BatchLoss fullBatch(const Vector& params, Vector& g) {
        mlp.parameters() = params;
        if (!fullBatchLoss)
            fullBatchLoss.emplace(mlp.width(), mlp.depth(), mlp.activation(), fullBatchThreads);
        return fullBatchLoss->lossAndGradient(params, trainX, trainF, trainFprime, alpha, beta, g);
    }
};

// The L-BFGS phase: LBFGSpp's iteration over the full-batch loss of one network.
struct TrainerLbfgs {
    virtual ~TrainerLbfgs() = default;
    // Starts at the network's weights; false when they are already a minimiser.
    virtual bool start() = 0;
    // One iteration; on success the network holds the new point and `terms` its loss.
    virtual LbfgsOutcome iterate(BatchLoss& terms) = 0;
    virtual std::string failure() const = 0;
    virtual double gradientNorm() const = 0;
    int iterations = 0;
    bool over = false;
};

namespace {

template <typename Scalar> class LbfgsOn final : public TrainerLbfgs {
  public:
    using Vector = typename TrainerNet<Scalar>::Vector;

    LbfgsOn(TrainerNet<Scalar>& net, const TrainConfig& c)
        : m_net(net), m_stepper(parameters(c)), m_objective{net, {}, false} {}

    bool start() override {
        const bool goOn =
            m_stepper.start(m_objective, m_net.mlp.parameters()) == LbfgsOutcome::Continue;
        m_net.mlp.parameters() = m_stepper.x();
        return goOn;
    }

    LbfgsOutcome iterate(BatchLoss& terms) override {
        const LbfgsOutcome outcome = m_stepper.iterate(m_objective);
        // The line search's last evaluation is at the point it accepts, so `last` holds that
        // point's loss terms; after a failure the stepper is back at its previous point.
        m_net.mlp.parameters() = m_stepper.x();
        terms = m_objective.last;
        return outcome;
    }

    std::string failure() const override {
        if (m_objective.sawNonFinite)
            return "the loss was not finite along the search direction";
        return m_stepper.failure();
    }
    double gradientNorm() const override { return double(m_stepper.gradient().norm()); }

  private:
    struct Objective {
        TrainerNet<Scalar>& net;
        BatchLoss last;
        bool sawNonFinite = false;
        // A non-finite loss is +infinity to the line search, which then shortens the step.
        Scalar operator()(const Vector& x, Vector& grad) {
            last = net.fullBatch(x, grad);
            if (!std::isfinite(last.loss) || !grad.allFinite()) {
                sawNonFinite = true;
                return std::numeric_limits<Scalar>::infinity();
            }
            return Scalar(last.loss);
        }
    };

    static LBFGSpp::LBFGSParam<Scalar> parameters(const TrainConfig& c) {
        LBFGSpp::LBFGSParam<Scalar> p;
        p.m = c.lbfgsHistory;
        p.epsilon = Scalar(c.lbfgsGradientTolerance);
        p.epsilon_rel = 0; // LBFGSpp's default 1e-5 |x| would stop long before the fit is done
        p.past = c.lbfgsChangeTolerance > 0 ? 1 : 0;
        p.delta = Scalar(c.lbfgsChangeTolerance);
        p.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
        return p;
    }

    TrainerNet<Scalar>& m_net;
    LbfgsStepper<Scalar> m_stepper;
    Objective m_objective;
};

} // namespace

template <typename Scalar> TrainerNet<Scalar>& Trainer::net() {
    auto& slot = [this]() -> auto& {
        if constexpr (std::is_same_v<Scalar, float>)
            return m_net32;
        else
            return m_net64;
    }
    ();
    if (!slot) {
        slot =
            std::make_unique<TrainerNet<Scalar>>(m_config, m_train, m_val, m_grid, m_initialParams);
        slot->fullBatchThreads = m_fullBatchThreads;
        slot->alpha = Scalar(m_alpha); // the weights in force, also for a later L-BFGS network
        slot->beta = Scalar(m_beta);
    }
    return *slot;
}

void Trainer::setFullBatchThreads(int threads) {
    m_fullBatchThreads = std::max(1, threads);
}

template <typename Fn> decltype(auto) Trainer::withNet(Precision p, Fn&& fn) {
    if (p == Precision::Float64)
        return fn(net<double>());
    return fn(net<float>());
}

Trainer::Trainer(const TrainConfig& config)
    : m_config(withEffectiveBatch(checked(config))),
      m_target(config.measured ? Target() : Target::fromConfig(config)),
      m_grid(Dataset::testGrid(config)), m_active(config.precision),
      m_fullBatchThreads(int(std::max(1u, std::thread::hardware_concurrency()))),
      m_schedule(config), m_shuffleRng(Rng::forStream(config.seed, ShuffleStream)),
      m_initialShuffleRng(m_shuffleRng) {
    std::tie(m_train, m_val) = Dataset::trainAndValidation(config);
    // The initial weights are drawn in float whatever the precision, so that a float64 run
    // starts from the same network as its float32 twin.
    Mlp<float> initial(config.width, config.depth, config.activation);
    Rng weightRng = Rng::forStream(config.seed, WeightStream);
    initial.initGlorot(weightRng);
    m_initialParams = initial.parameters();
    m_order.resize(m_config.nTrain);
    m_batchesPerEpoch = batchesPerEpoch(m_config);
    m_alpha = m_config.alpha;
    m_beta = m_config.beta;
    m_plannedChanges = m_config.changes;
    withNet(m_active, [](auto&) {}); // the network of the first phase exists from the start
}

Trainer::~Trainer() = default;

template <typename Scalar> const Mlp<Scalar>& Trainer::network() const {
    const auto& slot = [this]() -> const auto& {
        if constexpr (std::is_same_v<Scalar, float>)
            return m_net32;
        else
            return m_net64;
    }
    ();
    if (!slot)
        throw std::logic_error("this run has no network of that precision");
    return slot->mlp;
}
template const Mlp<float>& Trainer::network<float>() const;
template const Mlp<double>& Trainer::network<double>() const;

Eigen::VectorXd Trainer::parameters() const {
    if (m_active == Precision::Float64)
        return network<double>().parameters();
    return network<float>().parameters().cast<double>();
}

void Trainer::setWeights(Precision p, const Eigen::VectorXd& weights) {
    withNet(p, [&](auto& n) {
        using Scalar = typename std::decay_t<decltype(n)>::Vector::Scalar;
        n.mlp.parameters() = weights.cast<Scalar>();
    });
}

Phase Trainer::phase() const {
    return (m_lbfgs || (epochsDone() >= m_config.epochs && m_config.lbfgsIterations > 0))
               ? Phase::Lbfgs
               : Phase::Adam;
}

void Trainer::reset() {
    m_net32.reset();
    m_net64.reset();
    m_lbfgs.reset();
    m_config.changes = m_plannedChanges; // the live changes go with the run that made them
    m_nextChange = 0;
    m_alpha = m_config.alpha;
    m_beta = m_config.beta;
    m_active = m_config.precision;
    withNet(m_active, [](auto&) {});
    m_schedule.reset();
    m_shuffleRng = m_initialShuffleRng;
    m_epochOpen = false;
    m_best = {};
    m_restored = false;
    m_history.clear();
    m_seconds = 0;
    m_stopReason = StopReason::None;
    m_stopMessage.clear();
}

void Trainer::markStopped() {
    if (finished())
        return;
    m_stopReason = StopReason::Stopped;
    std::ostringstream msg;
    msg << "stopped by the user after " << epochsDone() << " of " << plannedRows()
        << (m_config.lbfgsIterations > 0 ? " epochs and L-BFGS iterations" : " epochs");
    m_stopMessage = msg.str();
}

double Trainer::knobValue(LiveKnob knob) const {
    switch (knob) {
    case LiveKnob::Alpha:
        return m_alpha;
    case LiveKnob::Beta:
        return m_beta;
    case LiveKnob::LearningRate:
        break;
    }
    return m_schedule.base();
}

void Trainer::setKnob(LiveKnob knob, double value) {
    switch (knob) {
    case LiveKnob::Alpha:
    case LiveKnob::Beta:
        (knob == LiveKnob::Alpha ? m_alpha : m_beta) = value;
        // Both networks, so that an L-BFGS phase in the other precision starts with them too.
        if (m_net32) {
            m_net32->alpha = float(m_alpha);
            m_net32->beta = float(m_beta);
        }
        if (m_net64) {
            m_net64->alpha = m_alpha;
            m_net64->beta = m_beta;
        }
        break;
    case LiveKnob::LearningRate:
        m_schedule.setBase(value);
        if (m_epochOpen) // the rest of this epoch's batches take the new rate
            m_epochRate = m_schedule.rate(epochsDone());
        break;
    }
}

void Trainer::applyDueChanges() {
    const auto& changes = m_config.changes;
    const KnobChange here{epochsDone() + 1, m_nextBatch + 1, LiveKnob::Alpha, 0};
    while (m_nextChange < changes.size() && !changeComesBefore(here, changes[m_nextChange])) {
        setKnob(changes[m_nextChange].knob, changes[m_nextChange].value);
        ++m_nextChange;
    }
}

std::optional<KnobChange> Trainer::applyChange(LiveKnob knob, double value) {
    if (const std::string bad = knobValueProblem(knob, value); !bad.empty())
        throw std::invalid_argument(bad);
    if ((knob == LiveKnob::Alpha && value == 0 && m_beta == 0) ||
        (knob == LiveKnob::Beta && value == 0 && m_alpha == 0))
        throw std::invalid_argument("alpha and beta cannot both be 0");
    if (finished() || epochsDone() >= m_config.epochs)
        return std::nullopt;
    // The next batch: the open epoch's next one, or the first of the next epoch.
    const KnobChange change{epochsDone() + 1, m_epochOpen ? m_nextBatch + 1 : 1, knob, value};
    m_config.changes.insert(m_config.changes.begin() + std::ptrdiff_t(m_nextChange), change);
    ++m_nextChange;
    setKnob(knob, value);
    return change;
}

void Trainer::startEpoch() {
    std::iota(m_order.begin(), m_order.end(), 0);
    m_shuffleRng.shuffle(m_order);
    m_nextBatch = 0;
    m_sumLoss = m_sumF = m_sumFprime = 0;
    m_epochRate = m_schedule.rate(epochsDone());
    m_epochOpen = true;
}

template <typename Scalar>
std::optional<std::string> Trainer::runBatch(TrainerNet<Scalar>& n, int batchIndex) {
    const int start = batchIndex * m_config.batchSize;
    const int count = std::min(m_config.batchSize, m_config.nTrain - start);
    for (int i = 0; i < count; ++i) {
        const int k = m_order[start + i];
        n.bx[i] = n.trainX[k];
        n.bf[i] = n.trainF[k];
        n.bfp[i] = n.trainFprime[k];
    }
    const BatchLoss terms = n.mlp.lossAndGradient(n.bx.head(count), n.bf.head(count),
                                                  n.bfp.head(count), n.alpha, n.beta, n.grad);
    if (std::isnan(terms.loss))
        return "loss became NaN";
    if (!std::isfinite(terms.loss))
        return "loss became infinite";
    if (!n.grad.allFinite())
        return "gradient became infinite";
    n.adam.step(n.mlp.parameters(), n.grad, m_epochRate);
    m_sumLoss += terms.loss;
    m_sumF += terms.mseF;
    m_sumFprime += terms.mseFprime;
    return std::nullopt;
}

void Trainer::runAdamBatches(const std::atomic<bool>* stop, bool& interrupted) {
    withNet(m_active, [&](auto& n) {
        while (m_nextBatch < m_batchesPerEpoch) {
            if (stop && stop->load(std::memory_order_relaxed)) {
                interrupted = true;
                return;
            }
            if (m_nextChange < m_config.changes.size())
                applyDueChanges();
            if (const auto failure = runBatch(n, m_nextBatch)) {
                diverge(*failure, m_nextBatch);
                return;
            }
            ++m_nextBatch;
        }
    });
}

void Trainer::finishAdamEpoch(const EpochCallback& onEpoch) {
    EpochMetrics m;
    m.loss = m_sumLoss / m_batchesPerEpoch;
    m.mseF = m_sumF / m_batchesPerEpoch;
    m.mseFprime = m_sumFprime / m_batchesPerEpoch;
    m.learningRate = m_epochRate;
    m.phase = Phase::Adam;
    m_epochOpen = false;
    withNet(m_active, [&](auto& n) { n.validate(m); });
    record(m, onEpoch);
}

void Trainer::startLbfgs() {
    if (m_config.lbfgsPrecision != m_active) // the phase goes on from the Adam weights
        setWeights(m_config.lbfgsPrecision, parameters());
    m_active = m_config.lbfgsPrecision;
    m_lbfgs = withNet(m_active, [&](auto& n) -> std::unique_ptr<TrainerLbfgs> {
        using Scalar = typename std::decay_t<decltype(n)>::Vector::Scalar;
        return std::make_unique<LbfgsOn<Scalar>>(n, m_config);
    });
    if (!m_lbfgs->start()) {
        m_lbfgs->over = true;
        complete("completed " + std::to_string(epochsDone()) +
                 " epochs; L-BFGS had nothing to do: the gradient norm " +
                 shortNumber(m_lbfgs->gradientNorm()) + " is within the tolerance");
    }
}

void Trainer::runLbfgsIteration(const EpochCallback& onEpoch) {
    using Clock = std::chrono::steady_clock;
    const auto began = Clock::now();
    if (!m_lbfgs)
        startLbfgs();
    BatchLoss terms;
    const auto outcome = finished() ? LbfgsOutcome::GradientSmall : m_lbfgs->iterate(terms);
    m_seconds += std::chrono::duration<double>(Clock::now() - began).count();
    if (finished())
        return;
    using Outcome = LbfgsOutcome;
    const std::string adamPart = m_config.epochs > 0
                                     ? "completed " + std::to_string(m_config.epochs) + " epochs; "
                                     : std::string();
    if (outcome == Outcome::LineSearchFailed) {
        m_lbfgs->over = true;
        complete(adamPart + "L-BFGS ended after " + std::to_string(m_lbfgs->iterations) + " of " +
                 std::to_string(m_config.lbfgsIterations) + " iterations: " + m_lbfgs->failure() +
                 "; the network keeps the weights of its last iteration");
        return;
    }
    ++m_lbfgs->iterations;
    EpochMetrics m;
    m.loss = terms.loss;
    m.mseF = terms.mseF;
    m.mseFprime = terms.mseFprime;
    m.learningRate = std::numeric_limits<double>::quiet_NaN();
    m.phase = Phase::Lbfgs;
    withNet(m_active, [&](auto& n) { n.validate(m); });
    const int done = m_lbfgs->iterations;
    if (outcome == Outcome::GradientSmall)
        m_stopMessage = adamPart + "L-BFGS converged after " + std::to_string(done) +
                        " iterations: gradient norm " + shortNumber(m_lbfgs->gradientNorm()) +
                        " <= " + shortNumber(m_config.lbfgsGradientTolerance);
    else if (outcome == Outcome::ChangeSmall)
        m_stopMessage = adamPart + "L-BFGS converged after " + std::to_string(done) +
                        " iterations: the loss changed by at most " +
                        shortNumber(m_config.lbfgsChangeTolerance) + " (relative)";
    else if (done >= m_config.lbfgsIterations)
        m_stopMessage = m_config.epochs > 0
                            ? "completed " + std::to_string(m_config.epochs) + " epochs and " +
                                  std::to_string(done) + " L-BFGS iterations"
                            : "completed " + std::to_string(done) + " L-BFGS iterations";
    m_lbfgs->over = outcome != Outcome::Continue || done >= m_config.lbfgsIterations;
    record(m, onEpoch);
}

// Appends the row, tracks the best validation epoch, and ends the run when it is over.
void Trainer::record(EpochMetrics m, const EpochCallback& onEpoch) {
    m.epoch = epochsDone() + 1;
    m.valLoss = sobolevLoss(m_alpha, m_beta, m.valMseF, m.valMseFprime).loss; // weights in force
    m.seconds = m_seconds;
    if (!std::isfinite(m.valLoss))
        diverge(std::isnan(m.valLoss) ? "validation loss became NaN"
                                      : "validation loss became infinite",
                -1);
    else if (m_best.epoch == 0 || m.valLoss < m_best.valLoss)
        m_best = {m.epoch, m.valLoss, parameters(), m_active};
    if (m.phase == Phase::Adam)
        m_schedule.observe(m.valLoss);
    m_history.push_back(m);
    if (!finished()) {
        if (m.phase == Phase::Lbfgs && m_lbfgs->over)
            complete(m_stopMessage);
        else if (m.phase == Phase::Adam && epochsDone() >= m_config.epochs &&
                 m_config.lbfgsIterations == 0)
            complete("completed " + std::to_string(epochsDone()) + " epochs");
    }
    if (onEpoch)
        onEpoch(m);
}

void Trainer::complete(std::string message) {
    if (m_config.restoreBest && m_best.epoch > 0 && m_best.epoch != epochsDone()) {
        m_active = m_best.precision;
        setWeights(m_active, m_best.params);
        m_restored = true;
        message += "; restored the weights of epoch " + std::to_string(m_best.epoch) +
                   " (lowest validation loss)";
    }
    m_stopReason = StopReason::Completed;
    m_stopMessage = std::move(message);
}

void Trainer::diverge(const std::string& what, int batchIndex) {
    m_stopReason = StopReason::Diverged;
    std::ostringstream msg;
    msg << what << " at epoch " << epochsDone() + 1;
    if (batchIndex >= 0)
        msg << " (batch " << batchIndex + 1 << " of " << m_batchesPerEpoch << ")";
    if (std::max(m_alpha, m_beta) > 1e3)
        msg << "; try smaller alpha/beta or a smaller learning rate";
    else if (m_schedule.base() > 1e-2)
        msg << "; try a smaller learning rate";
    else
        msg << "; try a smaller learning rate or a smaller network";
    m_stopMessage = msg.str();
}

StopReason Trainer::train(int maxEpochs, const std::atomic<bool>* stop,
                          const EpochCallback& onEpoch) {
    using Clock = std::chrono::steady_clock;
    auto stopRequested = [stop] { return stop && stop->load(std::memory_order_relaxed); };
    for (int e = 0; e < maxEpochs && !finished(); ++e) {
        if (epochsDone() < m_config.epochs) {
            const auto began = Clock::now();
            if (!m_epochOpen)
                startEpoch();
            bool interrupted = false;
            runAdamBatches(stop, interrupted);
            m_seconds += std::chrono::duration<double>(Clock::now() - began).count();
            if (interrupted || finished())
                break;
            finishAdamEpoch(onEpoch);
        } else {
            if (stopRequested())
                break;
            runLbfgsIteration(onEpoch);
        }
    }
    return m_stopReason;
}

StopReason Trainer::trainAll(const std::atomic<bool>* stop, const EpochCallback& onEpoch) {
    return train(plannedRows(), stop, onEpoch);
}

Predictions Trainer::predictions() {
    if (m_config.measured)
        return predictionsOn(m_grid);
    return withNet(m_active, [&](auto& n) {
        const int count = m_grid.size();
        n.mlp.predict(n.gridX, n.y.head(count), n.dy.head(count));
        Predictions p;
        p.x.resize(count);
        p.f.resize(count);
        p.fHat.resize(count);
        p.fprime.resize(count);
        p.fprimeHat.resize(count);
        for (int i = 0; i < count; ++i) {
            const double x = m_grid.x[i];
            p.x[i] = x;
            p.f[i] = m_target.f(x);
            p.fprime[i] = m_target.fprime(x);
            p.fHat[i] = double(n.y[i]);
            p.fprimeHat[i] = double(n.dy[i]);
        }
        return p;
    });
}

Predictions Trainer::predictionsOn(const Dataset& set) {
    return withNet(m_active, [&](auto& n) {
        using RowVector = typename std::decay_t<decltype(n)>::RowVector;
        const RowVector x = set.x.template cast<typename RowVector::Scalar>();
        RowVector y(x.size()), dy(x.size());
        n.mlp.predict(x, y, dy);
        Predictions p;
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            p.x.push_back(double(set.x[i]));
            p.f.push_back(double(set.f[i]));
            p.fprime.push_back(double(set.fprime[i]));
            p.fHat.push_back(double(y[i]));
            p.fprimeHat.push_back(double(dy[i]));
        }
        return p;
    });
}

MetricsSet Trainer::metricsSet() const {
    if (!m_config.measured)
        return MetricsSet::TestGrid;
    return validationRowCount(m_config.measured->rows(), m_config.dataValidation) > 0
               ? MetricsSet::ValidationData
               : MetricsSet::TrainingData;
}

FitReport Trainer::errorsNow() {
    switch (metricsSet()) {
    case MetricsSet::TestGrid:
        break;
    case MetricsSet::ValidationData:
        return compareOnGrid(predictionsOn(m_val));
    case MetricsSet::TrainingData:
        return compareOnGrid(predictionsOn(m_train));
    }
    return compareOnGrid(predictions());
}

FitReport Trainer::report() {
    FitReport r = errorsNow();
    r.metricsOn = metricsSet();
    r.epochsRun = epochsDone();
    r.trainSeconds = m_seconds;
    r.stopReason = m_stopReason;
    r.stopMessage = m_stopMessage;
    r.precision = m_active;
    if (m_best.epoch > 0) {
        FitReport atBest = r;
        if (!m_restored && m_best.epoch != epochsDone()) {
            // Evaluate the best weights in their own precision, then put the current back.
            const Precision current = m_active;
            m_active = m_best.precision;
            const Eigen::VectorXd now = parameters(); // exact, also for a float network
            setWeights(m_active, m_best.params);
            atBest = errorsNow();
            setWeights(m_active, now);
            m_active = current;
        }
        r.best = errorsOf(atBest);
        r.best.epoch = m_best.epoch;
        r.best.valLoss = m_best.valLoss;
    }
    return r;
}

} // namespace sobolev
