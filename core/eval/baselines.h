// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/trainconfig.h"
#include "core/eval/metrics.h"
#include "core/problem/target.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// The classical fits a network is measured against. Each gives f_hat and f_hat' on
// the run's test grid; the formulas and their sources are in baselines.cpp.
enum class BaselineKind {
    Equispaced,   // polynomial interpolation of degree n at n + 1 equispaced nodes
    Chebyshev,    // ... at the n + 1 Chebyshev nodes of the first kind (zeros of T_{n+1})
    LeastSquares, // least-squares polynomial of degree n through the training points
    Spline,       // natural cubic spline through n + 1 equispaced nodes (n intervals)
    Hermite,      // piecewise cubic Hermite with f and f' at n + 1 equispaced nodes
};

struct BaselineSpec {
    BaselineKind kind = BaselineKind::Chebyshev;
    int n = 10; // degree, or number of intervals for spline and hermite
    bool operator==(const BaselineSpec&) const = default;
};

const std::vector<BaselineKind>& allBaselineKinds();
std::string_view baselineKey(BaselineKind kind); // "equi", "cheb", "lsq", "spline", "hermite"
std::optional<BaselineKind> baselineKindFromKey(std::string_view key);
std::string_view baselineTitle(BaselineKind kind); // "equispaced interpolation", ...
// "Chebyshev interpolation, n = 20"
std::string baselineLabel(const BaselineSpec& spec);
// "cheb n=20" (the --baselines key), for a table header or a legend
std::string baselineShortLabel(const BaselineSpec& spec);
// The n a kind allows: a degree 1-100 for the polynomials, 1-10000 intervals for the cubics.
int maxBaselineN(BaselineKind kind);

struct BaselineParse {
    std::vector<BaselineSpec> specs;
    std::vector<std::string> problems; // each names the item and what is allowed
};
// "cheb:20,equi:20,hermite:15,lsq:12,spline:10" (the --baselines flag); empty text: none.
BaselineParse parseBaselines(std::string_view text);
std::string baselinesText(const std::vector<BaselineSpec>& specs); // the inverse

// What a baseline may use. A known target gives f and f' anywhere (the interpolants choose
// their nodes); without one only the data points are there: least squares fits them, Hermite
// interpolates them when f' is given, and the rest are omitted.
struct BaselineData {
    double a = -1, b = 1;
    std::optional<Target> target;
    std::vector<double> x, f, fprime; // the training points; fprime empty: not given
};
// The config's target and its training points (with their noise, as the network sees them).
BaselineData baselineData(const TrainConfig& config);
// The target f and f' on the config's test grid, without a network (fHat, fprimeHat empty):
// the truth a baseline is measured against, at the x the trainer's predictions use.
Predictions targetOnGrid(const TrainConfig& config);

struct BaselineResult {
    BaselineSpec spec;
    bool fitted = false;
    std::string omitted;     // why not, when not fitted
    Predictions predictions; // the grid's x, f, f' with this baseline's f_hat, f_hat'
    FitReport errors;        // compareOnGrid(predictions)
};

// Fits `spec` to `data` and evaluates it at the x of `grid` (whose f and f' are the truth the
// errors are measured against).
BaselineResult fitBaseline(const BaselineSpec& spec, const BaselineData& data,
                           const Predictions& grid);
std::vector<BaselineResult> fitBaselines(const std::vector<BaselineSpec>& specs,
                                         const BaselineData& data, const Predictions& grid);

// The pieces, for tests and for anyone with nodes of their own. Each writes p(x) and p'(x)
// for every x.
struct Barycentric {
    std::vector<double> nodes, values, weights;
    // Nodes and weights for degree n on [a, b].
    static Barycentric equispaced(int n, double a, double b);
    static Barycentric chebyshev(int n, double a, double b);
    void evaluate(const std::vector<double>& x, std::vector<double>& p,
                  std::vector<double>& dp) const;
};
// Coefficients of the Chebyshev series of degree n on [a, b] that fits (x, f) best in the least
// squares sense; empty when there are fewer than n + 1 distinct x.
std::vector<double> leastSquaresChebyshev(const std::vector<double>& x,
                                          const std::vector<double>& f, int n, double a, double b);
void evaluateChebyshevSeries(const std::vector<double>& c, double a, double b,
                             const std::vector<double>& x, std::vector<double>& p,
                             std::vector<double>& dp);
// Natural cubic spline through (nodes, values), nodes increasing.
void evaluateNaturalSpline(const std::vector<double>& nodes, const std::vector<double>& values,
                           const std::vector<double>& x, std::vector<double>& s,
                           std::vector<double>& ds);
// Piecewise cubic Hermite through (nodes, values, slopes), nodes increasing.
void evaluateCubicHermite(const std::vector<double>& nodes, const std::vector<double>& values,
                          const std::vector<double>& slopes, const std::vector<double>& x,
                          std::vector<double>& s, std::vector<double>& ds);

} // namespace sobolev
