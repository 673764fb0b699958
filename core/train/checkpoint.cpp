// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/checkpoint.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace sobolev {

namespace {

constexpr std::string_view magic = "sobolev-workbench checkpoint\n";
// Version 2 rows carry the weights in force; version 1 rows read with them unknown (NaN).
constexpr std::uint64_t version = 2;
constexpr std::uint64_t firstVersionWithRowWeights = 2;

// Little-endian fields, one kind of value per function.
class Writer {
  public:
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i)
            m_out.push_back(char((v >> (8 * i)) & 0xff));
    }
    void i64(std::int64_t v) { u64(std::uint64_t(v)); }
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    void flag(bool v) { u64(v ? 1 : 0); }
    void text(std::string_view s) {
        u64(s.size());
        m_out.append(s);
    }
    void vector(const Eigen::VectorXd& v) {
        u64(std::uint64_t(v.size()));
        for (Eigen::Index i = 0; i < v.size(); ++i)
            f64(v[i]);
    }
    void record(const StateRecord& r) {
        u64(r.numbers.size());
        for (double d : r.numbers)
            f64(d);
        u64(r.vectors.size());
        for (const Eigen::VectorXd& v : r.vectors)
            vector(v);
    }
    std::string bytes() { return std::move(m_out); }
    void raw(std::string_view s) { m_out.append(s); }

  private:
    std::string m_out;
};

class Reader {
  public:
    explicit Reader(std::string_view bytes) : m_in(bytes) {}

    std::uint64_t u64() {
        need(8, "a number");
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= std::uint64_t(static_cast<unsigned char>(m_in[m_pos + i])) << (8 * i);
        m_pos += 8;
        return v;
    }
    std::int64_t i64() { return std::int64_t(u64()); }
    double f64() { return std::bit_cast<double>(u64()); }
    bool flag() { return small(1, "a yes/no field") != 0; }
    // A count or index of at most `max`.
    std::uint64_t small(std::uint64_t max, const char* what) {
        const std::uint64_t v = u64();
        if (v > max)
            fail(std::string(what) + " is out of range");
        return v;
    }
    int integer(const char* what) { return int(small(std::numeric_limits<int>::max(), what)); }
    // A count of items of at least `itemBytes` each: never more than the bytes left.
    std::size_t count(std::size_t itemBytes, const char* what) {
        const std::uint64_t n = u64(); // the bytes left are those after the count
        if (n > (m_in.size() - m_pos) / itemBytes)
            fail(std::string(what) + " is more than the bytes left hold");
        return std::size_t(n);
    }
    std::string text() {
        const std::size_t n = count(1, "a text's length");
        std::string s(m_in.substr(m_pos, n));
        m_pos += n;
        return s;
    }
    Eigen::VectorXd vector() {
        Eigen::VectorXd v(Eigen::Index(count(8, "a vector's length")));
        for (Eigen::Index i = 0; i < v.size(); ++i)
            v[i] = f64();
        return v;
    }
    StateRecord record() {
        StateRecord r;
        r.numbers.resize(count(8, "a state's numbers"));
        for (double& d : r.numbers)
            d = f64();
        r.vectors.resize(count(8, "a state's vectors"));
        for (Eigen::VectorXd& v : r.vectors)
            v = vector();
        return r;
    }
    bool startsWith(std::string_view s) {
        if (m_in.substr(0, s.size()) != s)
            return false;
        m_pos = s.size();
        return true;
    }
    bool atEnd() const { return m_pos == m_in.size(); }
    [[noreturn]] static void fail(const std::string& what) {
        throw std::runtime_error("not a valid checkpoint: " + what);
    }

  private:
    void need(std::size_t n, const char* what) {
        if (m_in.size() - m_pos < n)
            fail(std::string("it ends where ") + what + " should be (cut short?)");
    }
    std::string_view m_in;
    std::size_t m_pos = 0;
};

void writeRow(Writer& w, const EpochMetrics& m) {
    w.i64(m.epoch);
    for (double d : {m.loss, m.mseF, m.mseFprime, m.valLoss, m.valMseF, m.valMseFprime, m.seconds,
                     m.learningRate})
        w.f64(d);
    w.u64(std::uint64_t(m.phase));
    w.f64(m.alpha);
    w.f64(m.beta);
}

EpochMetrics readRow(Reader& r, std::uint64_t fileVersion) {
    EpochMetrics m;
    m.epoch = r.integer("a row's epoch");
    for (double* d : {&m.loss, &m.mseF, &m.mseFprime, &m.valLoss, &m.valMseF, &m.valMseFprime,
                      &m.seconds, &m.learningRate})
        *d = r.f64();
    m.phase = Phase(r.small(std::uint64_t(Phase::Lbfgs), "a row's phase"));
    if (fileVersion >= firstVersionWithRowWeights) {
        m.alpha = r.f64();
        m.beta = r.f64();
    }
    return m;
}

// The knobs a change or a hook's action can name: the live ones.
Knob readLiveKnob(Reader& r) {
    const auto k = Knob(r.small(std::uint64_t(Knob::LearningRate), "a knob"));
    if (k != Knob::Alpha && k != Knob::Beta && k != Knob::LearningRate)
        Reader::fail("a change names a knob that cannot change during a run");
    return k;
}

void writeRunSoFar(Writer& w, const TrainerCheckpoint& c) {
    w.u64(c.history.size());
    for (const EpochMetrics& m : c.history)
        writeRow(w, m);
    w.f64(c.seconds);
    w.u64(std::uint64_t(c.stopReason));
    w.text(c.stopMessage);
    w.u64(c.changes.size());
    for (const KnobChange& k : c.changes) {
        w.i64(k.epoch);
        w.i64(k.batch);
        w.u64(std::uint64_t(k.knob));
        w.f64(k.value);
    }
    w.u64(c.hookActions.size());
    for (const HookAction& a : c.hookActions) {
        w.i64(a.epoch);
        w.i64(a.batch);
        w.text(a.hook);
        w.u64(std::uint64_t(a.kind));
        w.u64(std::uint64_t(a.knob));
        w.f64(a.from);
        w.f64(a.to);
    }
    w.flag(c.restored);
}

void readRunSoFar(Reader& r, TrainerCheckpoint& c, std::uint64_t fileVersion) {
    c.history.resize(r.count(80, "the history's length"));
    for (EpochMetrics& m : c.history)
        m = readRow(r, fileVersion);
    c.seconds = r.f64();
    c.stopReason = StopReason(r.small(std::uint64_t(StopReason::Diverged), "the stop reason"));
    c.stopMessage = r.text();
    c.changes.resize(r.count(32, "the changes' count"));
    for (KnobChange& k : c.changes) {
        k.epoch = r.integer("a change's epoch");
        k.batch = r.integer("a change's batch");
        k.knob = readLiveKnob(r);
        k.value = r.f64();
    }
    c.hookActions.resize(r.count(56, "the hook actions' count"));
    for (HookAction& a : c.hookActions) {
        a.epoch = r.integer("a hook action's epoch");
        a.batch = r.integer("a hook action's batch");
        a.hook = r.text();
        a.kind = HookAction::Kind(
            r.small(std::uint64_t(HookAction::Kind::BalanceOverridden), "a hook action's kind"));
        a.knob = readLiveKnob(r);
        a.from = r.f64();
        a.to = r.f64();
    }
    c.restored = r.flag();
}

} // namespace

std::string checkpointBytes(const TrainerCheckpoint& c) {
    Writer w;
    w.raw(magic);
    w.u64(version);
    w.i64(c.parameterCount);
    w.i64(c.trainingRows);
    w.i64(c.plannedRows);
    writeRunSoFar(w, c);
    w.f64(c.alpha);
    w.f64(c.beta);
    w.record(c.schedule);
    w.text(c.shuffleRng);
    w.i64(c.phaseIndex);
    w.flag(c.phaseStarted);
    w.u64(c.phaseRows.size());
    for (int rows : c.phaseRows)
        w.i64(rows);
    w.u64(c.phaseNames.size());
    for (const std::string& name : c.phaseNames)
        w.text(name);
    w.u64(std::uint64_t(c.phaseEndOutcome));
    w.text(c.phaseEndWhy);
    w.u64(std::uint64_t(c.precision));
    w.vector(c.weights);
    w.record(c.optimiser);
    w.u64(c.hooks.size());
    for (const StateRecord& h : c.hooks)
        w.record(h);
    w.flag(c.epochOpen);
    w.u64(c.order.size());
    for (int i : c.order)
        w.i64(i);
    w.i64(c.nextBatch);
    for (double d : {c.sumLoss, c.sumF, c.sumFprime, c.epochRate})
        w.f64(d);
    return w.bytes();
}

TrainerCheckpoint checkpointFromBytes(std::string_view bytes) {
    Reader r(bytes);
    if (!r.startsWith(magic))
        Reader::fail("it does not start with \"" + std::string(magic.substr(0, magic.size() - 1)) +
                     "\"");
    const std::uint64_t fileVersion = r.u64();
    if (fileVersion < 1 || fileVersion > version)
        Reader::fail("it is of version " + std::to_string(fileVersion) +
                     "; this build reads versions 1 to " + std::to_string(version));
    TrainerCheckpoint c;
    c.parameterCount = std::int64_t(r.small(std::uint64_t(1) << 40, "the parameter count"));
    c.trainingRows = r.integer("the training rows");
    c.plannedRows = r.integer("the planned rows");
    readRunSoFar(r, c, fileVersion);
    c.alpha = r.f64();
    c.beta = r.f64();
    c.schedule = r.record();
    c.shuffleRng = r.text();
    c.phaseIndex = r.integer("the phase");
    c.phaseStarted = r.flag();
    c.phaseRows.resize(r.count(8, "the phases' count"));
    for (int& rows : c.phaseRows)
        rows = r.integer("a phase's rows");
    c.phaseNames.resize(r.count(8, "the phase names' count"));
    for (std::string& name : c.phaseNames)
        name = r.text();
    c.phaseEndOutcome = StepOutcome(r.small(std::uint64_t(StepOutcome::NonFinite), "an outcome"));
    c.phaseEndWhy = r.text();
    c.precision = Precision(r.small(std::uint64_t(Precision::Float64), "the precision"));
    c.weights = r.vector();
    c.optimiser = r.record();
    c.hooks.resize(r.count(16, "the hooks' count"));
    for (StateRecord& h : c.hooks)
        h = r.record();
    c.epochOpen = r.flag();
    c.order.resize(r.count(8, "the epoch's row order"));
    for (int& i : c.order)
        i = r.integer("a row index");
    c.nextBatch = r.integer("the next batch");
    for (double* d : {&c.sumLoss, &c.sumF, &c.sumFprime, &c.epochRate})
        *d = r.f64();
    if (!r.atEnd())
        Reader::fail("it has bytes after its last field");
    return c;
}

} // namespace sobolev
