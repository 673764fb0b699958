// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/measuredrows.h"

#include <algorithm>
#include <cmath>

namespace sobolev {

int MeasuredData::rowsWithFprime() const {
    return int(
        std::count_if(fprime.begin(), fprime.end(), [](double v) { return !std::isnan(v); }));
}

double MeasuredData::minX() const {
    return x.empty() ? 0.0 : *std::min_element(x.begin(), x.end());
}

double MeasuredData::maxX() const {
    return x.empty() ? 0.0 : *std::max_element(x.begin(), x.end());
}

bool operator==(const MeasuredData& a, const MeasuredData& b) {
    if (a.x != b.x || a.f != b.f || a.fprime.size() != b.fprime.size() ||
        a.hasHeader != b.hasHeader)
        return false;
    for (std::size_t i = 0; i < a.fprime.size(); ++i)
        if (!(a.fprime[i] == b.fprime[i] || (std::isnan(a.fprime[i]) && std::isnan(b.fprime[i]))))
            return false;
    return true;
}

int validationRowCount(int rows, double fraction) {
    if (!(fraction > 0) || rows < 2)
        return 0;
    const long long n = std::llround(fraction * double(rows));
    return int(std::clamp<long long>(n, 1, rows - 1));
}

} // namespace sobolev
