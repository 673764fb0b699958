// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace sobolev {

// A seeded generator whose output is fixed by the C++ standard (mt19937_64) and by this file:
// std::uniform_real_distribution and std::shuffle are implementation-defined, so the
// conversions to floats and indices are written out here.
class Rng {
  public:
    explicit Rng(std::uint64_t seed);

    // Independent stream for one purpose (data, weights, shuffling) derived from a run seed,
    // so that changing the width does not change the data, and so on.
    static Rng forStream(std::uint64_t seed, std::uint64_t stream);

    std::uint64_t next() { return m_engine(); }
    double uniform01();                    // [0, 1), 53 random bits
    double uniform(double lo, double hi);  // [lo, hi)
    std::uint64_t below(std::uint64_t n);  // [0, n), unbiased
    void shuffle(std::vector<int>& items); // Fisher-Yates

    // The generator's position as the standard's text form of mt19937_64, for a checkpoint;
    // setState() returns false (and leaves the generator as it was) for text that is not one.
    std::string state() const;
    bool setState(const std::string& text);

  private:
    std::mt19937_64 m_engine;
};

enum RngStream : std::uint64_t {
    DataStream = 1,
    WeightStream = 2,
    ShuffleStream = 3,
    NoiseFStream = 4,      // noise on f labels
    NoiseFprimeStream = 5, // noise on f' labels
    BalanceStream = 6,     // relobralo's Bernoulli draws
};

} // namespace sobolev
