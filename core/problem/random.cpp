// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/random.h"

#include <sstream>
#include <utility>

namespace sobolev {

namespace {
// splitmix64: decorrelates nearby seeds before they reach the Mersenne Twister.
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
} // namespace

Rng::Rng(std::uint64_t seed) : m_engine(seed) {}

Rng Rng::forStream(std::uint64_t seed, std::uint64_t stream) {
    return Rng(splitmix64(seed ^ splitmix64(stream)));
}

double Rng::uniform01() {
    return double(next() >> 11) * 0x1.0p-53;
}

double Rng::uniform(double lo, double hi) {
    return lo + (hi - lo) * uniform01();
}

std::uint64_t Rng::below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n; // 2^64 mod n: reject the biased tail
    std::uint64_t r;
    do {
        r = next();
    } while (r < threshold);
    return r % n;
}

void Rng::shuffle(std::vector<int>& items) {
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[below(i)]);
}

std::string Rng::state() const {
    std::ostringstream out;
    out << m_engine;
    return out.str();
}

bool Rng::setState(const std::string& text) {
    std::istringstream in(text);
    std::mt19937_64 engine;
    in >> engine;
    if (in.fail())
        return false;
    m_engine = engine;
    return true;
}

} // namespace sobolev
