// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

namespace sobolev {

// Measured samples of f and, on some or all rows, f': the user's own data in
// place of a known target. A row without f' holds NaN there; the loss's beta term then
// averages over the rows that have it (Mlp::lossTerms).
struct MeasuredData {
    std::vector<double> x, f, fprime;
    bool hasHeader = false;

    int rows() const { return int(x.size()); }
    int rowsWithFprime() const;
    double minX() const;
    double maxX() const;
};
// Row by row; a missing f' equals a missing f'.
bool operator==(const MeasuredData& a, const MeasuredData& b);

// The rows of a config's measured data, shared by the config's copies (they are immutable);
// two are equal when their rows are.
class MeasuredRows {
  public:
    MeasuredRows() = default;
    explicit MeasuredRows(MeasuredData data)
        : m_data(std::make_shared<const MeasuredData>(std::move(data))) {}
    explicit operator bool() const { return bool(m_data); }
    const MeasuredData& operator*() const { return *m_data; }
    const MeasuredData* operator->() const { return m_data.get(); }
    bool operator==(const MeasuredRows& o) const {
        return m_data == o.m_data || (m_data && o.m_data && *m_data == *o.m_data);
    }

  private:
    std::shared_ptr<const MeasuredData> m_data;
};

// The rows held out for validation: none for fraction 0, otherwise round(fraction x rows)
// kept within 1 .. rows - 1 so that both sets have a row.
int validationRowCount(int rows, double fraction);

} // namespace sobolev
