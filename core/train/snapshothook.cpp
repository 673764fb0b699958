// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/snapshothook.h"

#include "core/config/knobchange.h"
#include "core/model/mlp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace sobolev {

namespace {

constexpr double notYet = std::numeric_limits<double>::quiet_NaN();
// Weights waiting to be evaluated are evaluated at once beyond this, so that a large network
// cannot fill the memory with them.
constexpr double maxPendingBytes = 64.0 * 1024 * 1024;
constexpr int stateVersion = 1;
constexpr std::size_t headerNumbers = 17, numbersPerSnapshot = 6;

bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// The rows round(R^(k / (m - 1))), k = 0 .. m - 1: m points evenly spaced in log(row) from 1
// to R, fewer once rounding makes neighbours the same row.
std::vector<int> logSpacedRows(int rows, int m) {
    std::vector<int> out;
    if (m <= 1)
        return {rows};
    for (int k = 0; k < m; ++k) {
        const int r = int(std::lround(std::pow(double(rows), double(k) / (m - 1))));
        if (out.empty() || r > out.back())
            out.push_back(std::clamp(r, 1, rows));
    }
    return out;
}

void appendMeta(std::vector<double>& numbers, const Snapshot& s) {
    numbers.insert(numbers.end(), {s.position, double(s.epoch), double(s.batch),
                                   double(int(s.phase)), s.alpha, s.beta});
}

Snapshot metaFrom(const double* n) {
    Snapshot s;
    s.position = n[0];
    s.epoch = int(n[1]);
    s.batch = int(n[2]);
    s.phase = Phase(int(n[3]));
    s.alpha = n[4];
    s.beta = n[5];
    const bool sane = std::isfinite(s.position) && s.position >= 0 && n[1] >= 0 && n[1] < 1e9 &&
                      n[2] >= 0 && n[2] < 1e9 && (n[3] == 0 || n[3] == 1);
    if (!sane)
        throw std::invalid_argument("the saved snapshot state is not one");
    return s;
}

} // namespace

SnapshotHook::SnapshotHook(const TrainConfig& config, const Eigen::RowVectorXf& x)
    : m_width(config.width), m_depth(config.depth), m_activation(config.activation),
      m_watchWeights(config.balance == Balance::Off) {
    // Mlp's layout: 1 -> width, (depth - 1) x width -> width, width -> 1, weights and biases.
    const Eigen::Index w = m_width;
    m_parameterCount = 2 * w + (m_depth - 1) * (w * w + w) + w + 1;
    m_series.x.assign(x.begin(), x.end());
    plan(config);
    reset();
}

SnapshotHook::~SnapshotHook() = default;

// A fifth of the budget waits for the loss to move; of the rest, the first epoch's batches
// take at most half, and the log-spaced rows what is left.
void SnapshotHook::plan(const TrainConfig& config) {
    m_extraBudget = config.snapshots / 5;
    const int regular = std::max(0, config.snapshots - 1 - m_extraBudget); // 1: the initial network
    const int batches = config.epochs > 0 ? batchesPerEpoch(config) - 1 : 0; // before its end
    const int batchBudget = std::min(batches, regular / 2);
    m_batchStride = batchBudget > 0 ? (batches + batchBudget - 1) / batchBudget
                                    : std::numeric_limits<int>::max();
    const int recordedBatches = batchBudget > 0 ? batches / m_batchStride : 0;
    const int rowBudget = std::max(1, regular - recordedBatches);
    const int rows = std::max(1, sobolev::plannedRows(config));
    // The most points whose distinct rows still fit the budget (their count grows with m).
    int fits = rowBudget, tooMany = 64 * rowBudget + 1;
    while (tooMany - fits > 1) {
        const int m = fits + (tooMany - fits) / 2;
        (int(logSpacedRows(rows, m).size()) <= rowBudget ? fits : tooMany) = m;
    }
    const int m = fits;
    m_rows = logSpacedRows(rows, m);
}

HookResult SnapshotHook::atPhaseStart(HookContext& context) {
    const int done = context.epoch() - 1;
    if (m_lastPosition < 0 || context.phase() == Phase::Lbfgs)
        record(context, done, done, 0);
    m_alpha = context.knob(Knob::Alpha);
    m_beta = context.knob(Knob::Beta);
    m_rate = context.knob(Knob::LearningRate);
    m_knobsSeen = true;
    return HookResult::Continue;
}

// The hooks before this one (the scheduled changes) have set this batch's knobs; a live
// change was set before the call.
HookResult SnapshotHook::beforeBatch(HookContext& context) {
    const double alpha = context.knob(Knob::Alpha), beta = context.knob(Knob::Beta),
                 rate = context.knob(Knob::LearningRate);
    const bool weightsMoved = m_watchWeights && (alpha != m_alpha || beta != m_beta);
    if (m_knobsSeen && (weightsMoved || rate != m_rate)) {
        m_bestLogLoss = m_lastLogLoss = notYet; // another loss, or another pace: afresh
        const int e = context.epoch(), b = context.batch() - 1; // the batch just run
        const double position = e - 1 + double(b) / context.batchesPerEpoch();
        record(context, position, b > 0 ? e : e - 1, b);
    }
    m_alpha = alpha;
    m_beta = beta;
    m_rate = rate;
    m_knobsSeen = true;
    return HookResult::Continue;
}

HookResult SnapshotHook::afterBatch(HookContext& context) {
    const int b = context.batch(), batches = context.batchesPerEpoch();
    if (context.epoch() == 1 && b < batches && b % m_batchStride == 0)
        record(context, double(b) / batches, 1, b);
    return HookResult::Continue;
}

HookResult SnapshotHook::afterEpoch(HookContext& context) {
    const int e = context.epoch();
    const double loss = context.row().valLoss;
    m_lastRow.snapshot.position = e;
    m_lastRow.snapshot.epoch = e;
    m_lastRow.snapshot.batch = 0;
    m_lastRow.snapshot.phase = context.phase();
    m_lastRow.snapshot.alpha = context.knob(Knob::Alpha);
    m_lastRow.snapshot.beta = context.knob(Knob::Beta);
    m_lastRow.weights = context.parameters();
    m_lastRow.precision = context.precision();
    const bool planned = std::binary_search(m_rows.begin(), m_rows.end(), e);
    // The lowest loss so far, not the loss of the row: Adam's validation loss jumps by a
    // decade from row to row late in a run, which is noise, not progress.
    if (loss > 0 && std::isfinite(loss))
        m_bestLogLoss = std::fmin(m_bestLogLoss, std::log10(loss)); // fmin: NaN gives the other
    const bool moved =
        m_extrasUsed < m_extraBudget && m_bestLogLoss < m_lastLogLoss - extraLossDecades;
    if (std::isnan(m_lastLogLoss) || planned || moved)
        m_lastLogLoss = m_bestLogLoss;
    if (planned || moved) {
        m_extrasUsed += planned ? 0 : 1;
        record(m_lastRow);
    }
    return HookResult::Continue;
}

void SnapshotHook::atCompletion(HookContext&) {
    if (m_lastRow.weights.size() > 0 && m_lastRow.snapshot.position > m_lastPosition)
        record(m_lastRow);
}

void SnapshotHook::record(HookContext& context, double position, int epoch, int batch) {
    Pending p;
    p.snapshot.position = position;
    p.snapshot.epoch = epoch;
    p.snapshot.batch = batch;
    p.snapshot.phase = context.phase();
    p.snapshot.alpha = context.knob(Knob::Alpha);
    p.snapshot.beta = context.knob(Knob::Beta);
    if (position > m_lastPosition) {
        p.weights = context.parameters();
        p.precision = context.precision();
    }
    record(p);
}

void SnapshotHook::record(const Pending& p) {
    if (p.snapshot.position <= m_lastPosition) { // the same network: the weights now in force
        Snapshot& last = m_pending.empty() ? m_series.snapshots.back() : m_pending.back().snapshot;
        last.alpha = p.snapshot.alpha;
        last.beta = p.snapshot.beta;
        return;
    }
    m_lastPosition = p.snapshot.position;
    m_pending.push_back(p);
    const double bytes = double(m_pending.size()) * double(p.weights.size()) * sizeof(double);
    if (bytes > maxPendingBytes)
        evaluatePending();
}

template <typename Scalar> void SnapshotHook::evaluate(Mlp<Scalar>& net, Pending& p) const {
    using RowVector = typename Mlp<Scalar>::RowVector;
    const auto count = Eigen::Index(m_series.x.size());
    const RowVector x =
        Eigen::Map<const Eigen::RowVectorXd>(m_series.x.data(), count).template cast<Scalar>();
    RowVector y(count), dy(count);
    net.parameters() = p.weights.template cast<Scalar>();
    net.predict(x, y, dy);
    p.snapshot.fHat.assign(y.begin(), y.end());
    p.snapshot.fprimeHat.assign(dy.begin(), dy.end());
}

void SnapshotHook::evaluatePending() const {
    for (Pending& p : m_pending) {
        if (p.precision == Precision::Float64) {
            if (!m_net64)
                m_net64 = std::make_unique<Mlp<double>>(m_width, m_depth, m_activation);
            evaluate(*m_net64, p);
        } else {
            if (!m_net32)
                m_net32 = std::make_unique<Mlp<float>>(m_width, m_depth, m_activation);
            evaluate(*m_net32, p);
        }
        m_series.snapshots.push_back(std::move(p.snapshot));
    }
    m_pending.clear();
}

const SnapshotSeries& SnapshotHook::series() const {
    evaluatePending();
    return m_series;
}

void SnapshotHook::reset() {
    m_series.snapshots.clear();
    m_pending.clear();
    m_extrasUsed = 0;
    m_lastPosition = -1;
    m_lastLogLoss = m_bestLogLoss = notYet;
    m_alpha = m_beta = m_rate = 0;
    m_knobsSeen = false;
    m_lastRow = {};
}

// numbers: version, extras used, last position, last log loss, alpha, beta, rate, knobs
// seen, the last row's precision, the best log loss, the last row's 6 numbers, the snapshot
// count, then 6 numbers per
// snapshot (appendMeta); vectors: the last row's weights, then f-hat and f-hat' of each.
StateRecord SnapshotHook::saveState() const {
    const SnapshotSeries& all = series();
    StateRecord s;
    s.numbers = {double(stateVersion),
                 double(m_extrasUsed),
                 m_lastPosition,
                 m_lastLogLoss,
                 m_alpha,
                 m_beta,
                 m_rate,
                 double(m_knobsSeen),
                 double(int(m_lastRow.precision)),
                 m_bestLogLoss};
    appendMeta(s.numbers, m_lastRow.snapshot);
    s.numbers.push_back(double(all.snapshots.size()));
    s.vectors.push_back(m_lastRow.weights);
    for (const Snapshot& snap : all.snapshots) {
        appendMeta(s.numbers, snap);
        s.vectors.push_back(
            Eigen::Map<const Eigen::VectorXf>(snap.fHat.data(), Eigen::Index(snap.fHat.size()))
                .cast<double>());
        s.vectors.push_back(Eigen::Map<const Eigen::VectorXf>(snap.fprimeHat.data(),
                                                              Eigen::Index(snap.fprimeHat.size()))
                                .cast<double>());
    }
    return s;
}

void SnapshotHook::restoreState(const StateRecord& s) {
    const auto& n = s.numbers;
    const bool header = n.size() >= headerNumbers && n[0] == stateVersion && n[16] >= 0 &&
                        n[16] <= 1e7 && (n[8] == 0 || n[8] == 1);
    const auto count = header ? std::size_t(n[16]) : 0;
    if (!header || n.size() != headerNumbers + numbersPerSnapshot * count ||
        s.vectors.size() != 1 + 2 * count || !(n[1] >= 0 && n[1] <= m_extraBudget))
        throw std::invalid_argument("the saved snapshot state is not one of this run's");
    reset();
    m_extrasUsed = int(n[1]);
    m_lastPosition = n[2];
    m_lastLogLoss = n[3];
    m_alpha = n[4];
    m_beta = n[5];
    m_rate = n[6];
    m_knobsSeen = n[7] != 0;
    m_lastRow.precision = Precision(int(n[8]));
    m_bestLogLoss = n[9];
    m_lastRow.snapshot = metaFrom(&n[10]);
    m_lastRow.weights = s.vectors[0];
    if (m_lastRow.weights.size() != 0 && m_lastRow.weights.size() != m_parameterCount)
        throw std::invalid_argument("the saved last row's weights are not this network's");
    double previous = -1;
    for (std::size_t i = 0; i < count; ++i) {
        Snapshot snap = metaFrom(&n[headerNumbers + numbersPerSnapshot * i]);
        const Eigen::VectorXd& f = s.vectors[1 + 2 * i];
        const Eigen::VectorXd& fprime = s.vectors[2 + 2 * i];
        if (f.size() != Eigen::Index(m_series.x.size()) || fprime.size() != f.size())
            throw std::invalid_argument("the saved snapshots are not on this run's grid");
        if (!(snap.position > previous))
            throw std::invalid_argument("the saved snapshots are not in training order");
        previous = snap.position;
        for (Eigen::Index k = 0; k < f.size(); ++k) {
            snap.fHat.push_back(float(f[k]));
            snap.fprimeHat.push_back(float(fprime[k]));
        }
        m_series.snapshots.push_back(std::move(snap));
    }
    if (!sameBits(previous, m_lastPosition)) {
        reset();
        throw std::invalid_argument("the saved snapshot state does not agree with itself");
    }
}

} // namespace sobolev
