// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/baselines.h"

#include "core/problem/dataset.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace sobolev {

const std::vector<BaselineKind>& allBaselineKinds() {
    static const std::vector<BaselineKind> all{BaselineKind::Equispaced, BaselineKind::Chebyshev,
                                               BaselineKind::LeastSquares, BaselineKind::Spline,
                                               BaselineKind::Hermite};
    return all;
}

std::string_view baselineKey(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::Equispaced:
        return "equi";
    case BaselineKind::Chebyshev:
        return "cheb";
    case BaselineKind::LeastSquares:
        return "lsq";
    case BaselineKind::Spline:
        return "spline";
    case BaselineKind::Hermite:
        return "hermite";
    }
    return "unknown";
}

std::optional<BaselineKind> baselineKindFromKey(std::string_view key) {
    for (BaselineKind k : allBaselineKinds())
        if (baselineKey(k) == key)
            return k;
    return std::nullopt;
}

std::string_view baselineTitle(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::Equispaced:
        return "equispaced interpolation";
    case BaselineKind::Chebyshev:
        return "Chebyshev interpolation";
    case BaselineKind::LeastSquares:
        return "least squares";
    case BaselineKind::Spline:
        return "natural cubic spline";
    case BaselineKind::Hermite:
        return "cubic Hermite";
    }
    return "unknown";
}

std::string baselineLabel(const BaselineSpec& spec) {
    return std::string(baselineTitle(spec.kind)) + ", n = " + std::to_string(spec.n);
}

std::string baselineShortLabel(const BaselineSpec& spec) {
    return std::string(baselineKey(spec.kind)) + " n=" + std::to_string(spec.n);
}

int maxBaselineN(BaselineKind kind) {
    return (kind == BaselineKind::Spline || kind == BaselineKind::Hermite)
               ? limits::maxBaselineIntervals
               : limits::maxBaselineDegree;
}

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string allowedKeys() {
    std::string keys;
    for (BaselineKind k : allBaselineKinds()) {
        if (!keys.empty())
            keys += ", ";
        keys.append(baselineKey(k));
    }
    return keys;
}

std::string allowedN(BaselineKind kind) {
    const bool cubic = kind == BaselineKind::Spline || kind == BaselineKind::Hermite;
    return std::string(cubic ? "a number of intervals" : "a degree") + " from " +
           std::to_string(limits::minBaselineDegree) + " to " + std::to_string(maxBaselineN(kind));
}

} // namespace

BaselineParse parseBaselines(std::string_view text) {
    BaselineParse out;
    if (trimmed(text).empty())
        return out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = trimmed(text.substr(start, comma - start));
        start = comma + 1;
        std::string quoted(1, '\'');
        quoted.append(item).push_back('\'');
        if (item.empty()) {
            out.problems.push_back("an empty item; write KIND:N items separated by commas, "
                                   "KIND one of " +
                                   allowedKeys());
            continue;
        }
        const std::size_t colon = item.find(':');
        const std::string_view key = trimmed(item.substr(0, colon));
        const auto kind = baselineKindFromKey(key);
        if (!kind) {
            out.problems.push_back(quoted + ": unknown baseline '" + std::string(key) +
                                   "'; allowed: " + allowedKeys());
            continue;
        }
        if (colon == std::string_view::npos) {
            out.problems.push_back(quoted + ": no n; write " + std::string(key) + ":N with N " +
                                   allowedN(*kind));
            continue;
        }
        const std::string number(trimmed(item.substr(colon + 1)));
        const bool digits =
            !number.empty() && number.size() <= 9 &&
            std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
        const int n = digits ? std::stoi(number) : -1;
        if (n < limits::minBaselineDegree || n > maxBaselineN(*kind)) {
            out.problems.push_back(quoted + ": n must be " + allowedN(*kind) + "; got '" + number +
                                   "'");
            continue;
        }
        const BaselineSpec spec{*kind, n};
        if (std::find(out.specs.begin(), out.specs.end(), spec) != out.specs.end()) {
            out.problems.push_back(quoted + ": given twice");
            continue;
        }
        out.specs.push_back(spec);
    }
    return out;
}

std::string baselinesText(const std::vector<BaselineSpec>& specs) {
    std::string text;
    for (const BaselineSpec& s : specs) {
        if (!text.empty())
            text += ',';
        text.append(baselineKey(s.kind)).append(":").append(std::to_string(s.n));
    }
    return text;
}

BaselineData baselineData(const TrainConfig& config) {
    BaselineData data;
    const Dataset train = Dataset::trainAndValidation(config).first;
    bool fprimeEverywhere = true;
    for (int i = 0; i < train.size(); ++i) {
        data.x.push_back(double(train.x[i]));
        data.f.push_back(double(train.f[i]));
        data.fprime.push_back(double(train.fprime[i]));
        fprimeEverywhere = fprimeEverywhere && !std::isnan(data.fprime.back());
    }
    if (!config.measured) {
        data.a = config.domainMin;
        data.b = config.domainMax;
        data.target = Target::fromConfig(config);
    } else {
        // Measured data: no target, the data's own range, and f' only when every row has it.
        const auto [lo, hi] = std::minmax_element(data.x.begin(), data.x.end());
        if (lo != data.x.end()) {
            data.a = *lo;
            data.b = *hi;
        }
        if (!fprimeEverywhere)
            data.fprime.clear();
    }
    return data;
}

Predictions targetOnGrid(const TrainConfig& config) {
    // Measured data: the rows in order of x (Dataset::testGrid), f' NaN where a row lacks it.
    const Dataset grid = Dataset::testGrid(config);
    const std::optional<Target> target =
        config.measured ? std::nullopt : std::optional<Target>(Target::fromConfig(config));
    Predictions p;
    for (int i = 0; i < grid.size(); ++i) {
        const double x = grid.x[i];
        p.x.push_back(x);
        p.f.push_back(target ? target->f(x) : double(grid.f[i]));
        p.fprime.push_back(target ? target->fprime(x) : double(grid.fprime[i]));
    }
    return p;
}

// --- Barycentric interpolation -------------------------------------------------------------
// J.-P. Berrut and L. N. Trefethen, "Barycentric Lagrange interpolation", SIAM Review 46(3),
// 2004, pp. 501-517. The second (true) barycentric formula, their eq. (4.2):
//     p(x) = sum_j w_j f_j / (x - x_j)  /  sum_j w_j / (x - x_j),
// with weights (any common factor cancels) for equispaced nodes, eq. (5.1),
//     w_j = (-1)^j binom(n, j),
// and for the Chebyshev nodes of the first kind x_j = cos((2j + 1) pi / (2n + 2)), eq. (5.3),
//     w_j = (-1)^j sin((2j + 1) pi / (2n + 2)).

Barycentric Barycentric::equispaced(int n, double a, double b) {
    Barycentric p;
    double binomial = 1; // binom(n, j), built up as binom(n, j) = binom(n, j-1) (n-j+1) / j
    for (int j = 0; j <= n; ++j) {
        if (j > 0)
            binomial = binomial * double(n - j + 1) / double(j);
        p.nodes.push_back(a + (b - a) * double(j) / double(n));
        p.weights.push_back(j % 2 == 0 ? binomial : -binomial);
    }
    return p;
}

Barycentric Barycentric::chebyshev(int n, double a, double b) {
    Barycentric p;
    for (int j = 0; j <= n; ++j) {
        const double theta = (2.0 * j + 1.0) * std::numbers::pi / (2.0 * n + 2.0);
        p.nodes.push_back(0.5 * (a + b) + 0.5 * (b - a) * std::cos(theta));
        p.weights.push_back(j % 2 == 0 ? std::sin(theta) : -std::sin(theta));
    }
    return p;
}

void Barycentric::evaluate(const std::vector<double>& xs, std::vector<double>& p,
                           std::vector<double>& dp) const {
    const std::size_t m = nodes.size();
    p.assign(xs.size(), 0.0);
    dp.assign(xs.size(), 0.0);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        std::size_t k = 0; // the nearest node
        for (std::size_t j = 1; j < m; ++j)
            if (std::abs(x - nodes[j]) < std::abs(x - nodes[k]))
                k = j;
        const double dk = x - nodes[k];
        // The derivative by the Schneider-Werner formula (Berrut & Trefethen §9, from
        // C. Schneider and W. Werner, Math. Comp. 47, 1986): with the divided difference
        // p[x, x_j] = (p(x) - f_j) / (x - x_j),
        //     p'(x) = sum_j w_j p[x, x_j] / (x - x_j)  /  sum_j w_j / (x - x_j).
        // Near the node x_k the term j = k is a difference quotient of nearly equal numbers, so
        // numerator and denominator are multiplied by (x - x_k) and p[x, x_k] is written without
        // the cancellation: p(x) - f_k = sum_{j != k} w_j (f_j - f_k) / (x - x_j) / sum_j w_j /
        // (x - x_j), hence
        //     p[x, x_k] = S1 / (w_k + (x - x_k) S0),  S1 = sum_{j != k} w_j (f_j - f_k) / (x -
        //     x_j),
        //                                            S0 = sum_{j != k} w_j / (x - x_j).
        // At x = x_k this is row k of the differentiation matrix, D_kj = (w_j / w_k) / (x_k - x_j)
        // (their eq. 9.4), applied to f. The value itself is p(x) = f_k + (x - x_k) p[x, x_k]: the
        // barycentric formula applied to f - f_k, exact at x_k.
        double s0 = 0, s1 = 0;
        for (std::size_t j = 0; j < m; ++j) {
            if (j == k)
                continue;
            const double c = weights[j] / (x - nodes[j]);
            s0 += c;
            s1 += c * (values[j] - values[k]);
        }
        const double denominator = weights[k] + dk * s0;
        const double slopeAtK = s1 / denominator; // p[x, x_k]
        const double px = values[k] + dk * slopeAtK;
        double t = 0; // sum_{j != k} w_j p[x, x_j] / (x - x_j)
        for (std::size_t j = 0; j < m; ++j) {
            if (j == k)
                continue;
            const double d = x - nodes[j];
            t += weights[j] * (px - values[j]) / (d * d);
        }
        p[i] = px;
        dp[i] = (weights[k] * slopeAtK + dk * t) / denominator;
    }
}

// --- Least squares in the Chebyshev basis --------------------------------------------------
// The monomials 1, x, ..., x^n make an exponentially ill-conditioned Vandermonde matrix; the
// Chebyshev polynomials T_k(t), t = (2x - a - b) / (b - a), are well conditioned on [a, b]
// (Trefethen, Approximation Theory and Approximation Practice, ch. 3-4). The system V c ~ f is
// solved by Householder QR (Golub & Van Loan, Matrix Computations, §5.3), not by the normal
// equations, which would square its condition number. Rows come in blocks: the R of the rows so
// far, stacked on the next block and factored again, is the R of all of them (the
// "tall-skinny QR" idea), so a million points never need a million-row matrix.

namespace {

// T_0..T_n at t into `row` (recurrence T_{k+1} = 2 t T_k - T_{k-1}).
void chebyshevRow(double t, int n, double* row, Eigen::Index stride) {
    double previous = 1, current = t;
    row[0] = 1;
    if (n >= 1)
        row[stride] = t;
    for (int k = 2; k <= n; ++k) {
        const double next = 2 * t * current - previous;
        previous = current;
        current = next;
        row[k * stride] = next;
    }
}

} // namespace

std::vector<double> leastSquaresChebyshev(const std::vector<double>& x,
                                          const std::vector<double>& f, int n, double a, double b) {
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    const auto distinct = std::unique(sorted.begin(), sorted.end()) - sorted.begin();
    if (distinct < n + 1)
        return {};
    const int cols = n + 2; // the basis and the right-hand side
    constexpr std::size_t blockRows = 4096;
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(cols, cols);
    for (std::size_t begin = 0; begin < x.size(); begin += blockRows) {
        const std::size_t rows = std::min(blockRows, x.size() - begin);
        Eigen::MatrixXd stacked(Eigen::Index(rows) + cols, cols);
        stacked.topRows(cols) = r;
        for (std::size_t i = 0; i < rows; ++i) {
            const Eigen::Index row = cols + Eigen::Index(i);
            const double t = (2 * x[begin + i] - a - b) / (b - a);
            chebyshevRow(t, n, &stacked(row, 0), stacked.outerStride());
            stacked(row, cols - 1) = f[begin + i];
        }
        Eigen::HouseholderQR<Eigen::MatrixXd> qr(stacked);
        r = qr.matrixQR().topRows(cols).triangularView<Eigen::Upper>();
    }
    // [R z; 0 rho]: the coefficients solve R c = z.
    const Eigen::MatrixXd rBasis = r.topLeftCorner(n + 1, n + 1);
    const double largest = rBasis.diagonal().cwiseAbs().maxCoeff();
    if (!(rBasis.diagonal().cwiseAbs().minCoeff() > 1e-13 * largest))
        return {}; // numerically rank deficient
    const Eigen::VectorXd c =
        rBasis.triangularView<Eigen::Upper>().solve(Eigen::VectorXd(r.col(cols - 1).head(n + 1)));
    return {c.data(), c.data() + c.size()};
}

void evaluateChebyshevSeries(const std::vector<double>& c, double a, double b,
                             const std::vector<double>& xs, std::vector<double>& p,
                             std::vector<double>& dp) {
    p.assign(xs.size(), 0.0);
    dp.assign(xs.size(), 0.0);
    const double scale = 2.0 / (b - a); // dt/dx
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double t = (2 * xs[i] - a - b) / (b - a);
        // T_{k+1} = 2t T_k - T_{k-1} and, differentiated, T'_{k+1} = 2 T_k + 2t T'_k - T'_{k-1}.
        double tPrev = 1, tCur = t, dPrev = 0, dCur = 1;
        double sum = c[0], dsum = 0;
        for (std::size_t k = 1; k < c.size(); ++k) {
            if (k >= 2) {
                const double tNext = 2 * t * tCur - tPrev;
                const double dNext = 2 * tCur + 2 * t * dCur - dPrev;
                tPrev = tCur;
                tCur = tNext;
                dPrev = dCur;
                dCur = dNext;
            }
            sum += c[k] * tCur;
            dsum += c[k] * dCur;
        }
        p[i] = sum;
        dp[i] = dsum * scale;
    }
}

// --- Piecewise cubics ----------------------------------------------------------------------

namespace {

// The interval [x_i, x_{i+1}] holding x (the first or last one outside the nodes).
std::size_t intervalOf(const std::vector<double>& nodes, double x) {
    const auto it = std::upper_bound(nodes.begin(), nodes.end(), x);
    const std::size_t i = it == nodes.begin() ? 0 : std::size_t(it - nodes.begin()) - 1;
    return std::min(i, nodes.size() - 2);
}

} // namespace

// The natural cubic spline (s'' = 0 at both ends) in terms of its second derivatives M_i at the
// nodes (Burden & Faires, Numerical Analysis, §3.5; Press et al., Numerical Recipes, §3.3):
//     h_{i-1} M_{i-1} + 2 (h_{i-1} + h_i) M_i + h_i M_{i+1}
//         = 6 ((y_{i+1} - y_i) / h_i - (y_i - y_{i-1}) / h_{i-1}),  M_0 = M_n = 0,
// a diagonally dominant tridiagonal system solved by the Thomas algorithm; on [x_i, x_{i+1}]
// with A = (x_{i+1} - x) / h_i, B = 1 - A,
//     s  = A y_i + B y_{i+1} + ((A^3 - A) M_i + (B^3 - B) M_{i+1}) h_i^2 / 6,
//     s' = (y_{i+1} - y_i) / h_i - (3A^2 - 1) h_i M_i / 6 + (3B^2 - 1) h_i M_{i+1} / 6.
void evaluateNaturalSpline(const std::vector<double>& nodes, const std::vector<double>& y,
                           const std::vector<double>& xs, std::vector<double>& s,
                           std::vector<double>& ds) {
    const std::size_t n = nodes.size() - 1;
    std::vector<double> h(n), m(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        h[i] = nodes[i + 1] - nodes[i];
    if (n >= 2) {
        // Forward elimination on the interior rows 1..n-1, then back substitution.
        std::vector<double> diag(n), rhs(n);
        for (std::size_t i = 1; i < n; ++i) {
            diag[i] = 2 * (h[i - 1] + h[i]);
            rhs[i] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1]);
            if (i > 1) {
                const double factor = h[i - 1] / diag[i - 1];
                diag[i] -= factor * h[i - 1];
                rhs[i] -= factor * rhs[i - 1];
            }
        }
        for (std::size_t i = n - 1; i >= 1; --i)
            m[i] = (rhs[i] - h[i] * m[i + 1]) / diag[i];
    }
    s.assign(xs.size(), 0.0);
    ds.assign(xs.size(), 0.0);
    for (std::size_t j = 0; j < xs.size(); ++j) {
        const std::size_t i = intervalOf(nodes, xs[j]);
        const double a = (nodes[i + 1] - xs[j]) / h[i], b = 1 - a;
        s[j] = a * y[i] + b * y[i + 1] +
               ((a * a * a - a) * m[i] + (b * b * b - b) * m[i + 1]) * h[i] * h[i] / 6;
        ds[j] = (y[i + 1] - y[i]) / h[i] - (3 * a * a - 1) * h[i] * m[i] / 6 +
                (3 * b * b - 1) * h[i] * m[i + 1] / 6;
    }
}

// Cubic Hermite interpolation on each [x_i, x_{i+1}] (Burden & Faires §3.4): with h = x_{i+1} -
// x_i and t = (x - x_i) / h,
//     s = h00 f_i + h h10 f'_i + h01 f_{i+1} + h h11 f'_{i+1},
//     h00 = 2t^3 - 3t^2 + 1, h10 = t^3 - 2t^2 + t, h01 = -2t^3 + 3t^2, h11 = t^3 - t^2;
// its error is at most h^4 max|f''''| / 384, so it falls as h^4.
void evaluateCubicHermite(const std::vector<double>& nodes, const std::vector<double>& f,
                          const std::vector<double>& fp, const std::vector<double>& xs,
                          std::vector<double>& s, std::vector<double>& ds) {
    s.assign(xs.size(), 0.0);
    ds.assign(xs.size(), 0.0);
    for (std::size_t j = 0; j < xs.size(); ++j) {
        const std::size_t i = intervalOf(nodes, xs[j]);
        const double h = nodes[i + 1] - nodes[i];
        const double t = (xs[j] - nodes[i]) / h, t2 = t * t, t3 = t2 * t;
        s[j] = (2 * t3 - 3 * t2 + 1) * f[i] + h * (t3 - 2 * t2 + t) * fp[i] +
               (-2 * t3 + 3 * t2) * f[i + 1] + h * (t3 - t2) * fp[i + 1];
        // d/dx = (1/h) d/dt.
        ds[j] = (6 * t2 - 6 * t) * (f[i] - f[i + 1]) / h + (3 * t2 - 4 * t + 1) * fp[i] +
                (3 * t2 - 2 * t) * fp[i + 1];
    }
}

// --- Fitting a spec ------------------------------------------------------------------------

namespace {

std::vector<double> equispacedNodes(int n, double a, double b) {
    std::vector<double> x(std::size_t(n) + 1);
    for (int j = 0; j <= n; ++j)
        x[std::size_t(j)] = a + (b - a) * double(j) / double(n);
    return x;
}

// The data points sorted by x, one per distinct x (the first given).
void sortedDistinct(const BaselineData& data, std::vector<double>& x, std::vector<double>& f,
                    std::vector<double>& fp) {
    std::vector<std::size_t> order(data.x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t l, std::size_t r) { return data.x[l] < data.x[r]; });
    for (std::size_t i : order) {
        if (!x.empty() && x.back() == data.x[i])
            continue;
        x.push_back(data.x[i]);
        f.push_back(data.f[i]);
        fp.push_back(data.fprime[i]);
    }
}

} // namespace

BaselineResult fitBaseline(const BaselineSpec& spec, const BaselineData& data,
                           const Predictions& grid) {
    BaselineResult result;
    result.spec = spec;
    result.predictions = grid;
    const std::vector<double>& x = grid.x;
    std::vector<double>& p = result.predictions.fHat;
    std::vector<double>& dp = result.predictions.fprimeHat;
    const int n = spec.n;
    if (n < limits::minBaselineDegree || n > maxBaselineN(spec.kind)) {
        result.omitted = "n must be " + allowedN(spec.kind);
        return result;
    }
    const bool needsTarget = spec.kind == BaselineKind::Equispaced ||
                             spec.kind == BaselineKind::Chebyshev ||
                             spec.kind == BaselineKind::Spline;
    if (needsTarget && !data.target) {
        result.omitted = "needs f at nodes of its own, and this run has only data points";
        return result;
    }
    auto valuesAt = [&](const std::vector<double>& nodes, std::vector<double>& f,
                        std::vector<double>& fp) {
        f.resize(nodes.size());
        fp.resize(nodes.size());
        data.target->evaluate(nodes.data(), f.data(), fp.data(), nodes.size());
    };
    switch (spec.kind) {
    case BaselineKind::Equispaced:
    case BaselineKind::Chebyshev: {
        Barycentric b = spec.kind == BaselineKind::Equispaced
                            ? Barycentric::equispaced(n, data.a, data.b)
                            : Barycentric::chebyshev(n, data.a, data.b);
        std::vector<double> unused;
        valuesAt(b.nodes, b.values, unused);
        b.evaluate(x, p, dp);
        break;
    }
    case BaselineKind::LeastSquares: {
        const std::vector<double> c = leastSquaresChebyshev(data.x, data.f, n, data.a, data.b);
        if (c.empty()) {
            result.omitted = "needs at least " + std::to_string(n + 1) +
                             " training points at distinct x; the run has " +
                             std::to_string(data.x.size());
            return result;
        }
        evaluateChebyshevSeries(c, data.a, data.b, x, p, dp);
        break;
    }
    case BaselineKind::Spline: {
        const std::vector<double> nodes = equispacedNodes(n, data.a, data.b);
        std::vector<double> f, fp;
        valuesAt(nodes, f, fp);
        evaluateNaturalSpline(nodes, f, x, p, dp);
        break;
    }
    case BaselineKind::Hermite: {
        std::vector<double> nodes, f, fp;
        if (data.target) {
            nodes = equispacedNodes(n, data.a, data.b);
            valuesAt(nodes, f, fp);
        } else if (data.fprime.size() == data.x.size()) {
            sortedDistinct(data, nodes, f, fp); // the data points are the nodes
        }
        if (nodes.size() < 2) {
            result.omitted = data.fprime.size() == data.x.size()
                                 ? "needs two data points at distinct x"
                                 : "needs f' at the data points, and this run has f only";
            return result;
        }
        evaluateCubicHermite(nodes, f, fp, x, p, dp);
        break;
    }
    }
    result.fitted = true;
    result.errors = compareOnGrid(result.predictions);
    return result;
}

std::vector<BaselineResult> fitBaselines(const std::vector<BaselineSpec>& specs,
                                         const BaselineData& data, const Predictions& grid) {
    std::vector<BaselineResult> results;
    for (const BaselineSpec& spec : specs)
        results.push_back(fitBaseline(spec, data, grid));
    return results;
}

} // namespace sobolev
