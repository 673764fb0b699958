// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/vectortanh.h"

#include <algorithm>
#include <cstdint>

namespace sobolev {

namespace {

using Packet = Eigen::internal::packet_traits<double>::type;
constexpr Eigen::Index packetSize = Eigen::internal::packet_traits<double>::size;
static_assert(packetSize > 1, "the double tanh needs SIMD packets (every x86-64 has SSE2)");

// 2^n for whole numbers 0 <= n < 2^52 held in doubles: n + 2^52 has n in its low bits, which
// shifted to the exponent's place and biased give 2^n. (Eigen's packets are GCC vectors.)
Packet powerOfTwo(const Packet& n) {
    using Bits = std::int64_t __attribute__((vector_size(sizeof(Packet))));
    const Bits low = Bits(Eigen::internal::padd(n, Eigen::internal::pset1<Packet>(0x1p52)));
    return Packet((low << 52) + (std::int64_t(1023) << 52));
}

// The magnitude tanh a of a = |x| >= 0.
Packet tanhMagnitude(const Packet& a) {
    using namespace Eigen::internal;
    const Packet one = pset1<Packet>(1.0);
    // a < 0.625: tanh a = a + a z P(z) / Q(z), z = a^2 (Cephes; the form of Cody and Waite)
    const Packet z = pmul(a, a);
    Packet p = pmadd(pset1<Packet>(-9.64399179425052238628e-1), z,
                     pset1<Packet>(-9.92877231001918586564e1));
    p = pmadd(p, z, pset1<Packet>(-1.61468768441708447952e3));
    Packet q = padd(z, pset1<Packet>(1.12811678491632931402e2));
    q = pmadd(q, z, pset1<Packet>(2.23548839060100448583e3));
    q = pmadd(q, z, pset1<Packet>(4.84406305325125486048e3));
    // Above: tanh a = 1 - 2 / (e^y + 1), y = 2a, with e^y as Cephes' exp has it: y = n ln 2 + g,
    // |g| <= ln 2 / 2, e^g = (R + gS) / (R - gS) for polynomials R(g^2), S(g^2), so
    // 2 / (e^y + 1) = 2 (R - gS) / (2^n (R + gS) + R - gS). From y = 40 on 2 / (e^y + 1) is
    // below 1e-17 and tanh a rounds to 1, so y is clamped there (n <= 58).
    const Packet y = pmin(padd(a, a), pset1<Packet>(40.0));
    const Packet n = pfloor(pmadd(pset1<Packet>(1.4426950408889634073599), y, pset1<Packet>(0.5)));
    Packet g = psub(y, pmul(n, pset1<Packet>(0.693145751953125))); // ln 2 in two parts
    g = psub(g, pmul(n, pset1<Packet>(1.42860682030941723212e-6)));
    const Packet g2 = pmul(g, g);
    Packet gS = pmadd(pset1<Packet>(1.26177193074810590878e-4), g2,
                      pset1<Packet>(3.02994407707441961300e-2));
    gS = pmul(g, pmadd(gS, g2, pset1<Packet>(9.99999999999999999910e-1)));
    Packet r = pmadd(pset1<Packet>(3.00198505138664455042e-6), g2,
                     pset1<Packet>(2.52448340349684104192e-3));
    r = pmadd(r, g2, pset1<Packet>(2.27265548208155028766e-1));
    r = pmadd(r, g2, pset1<Packet>(2.00000000000000000009e0));
    const Packet rMinus = psub(r, gS);
    // One division serves both forms: P / Q below 0.625, 2 / (e^y + 1) above.
    const Packet isSmall = pcmp_lt(a, pset1<Packet>(0.625));
    const Packet ratio = pdiv(pselect(isSmall, p, padd(rMinus, rMinus)),
                              pselect(isSmall, q, pmadd(powerOfTwo(n), padd(r, gS), rMinus)));
    return pselect(isSmall, pmadd(pmul(a, z), ratio, a), psub(one, ratio));
}

// h, d1, d2 at n consecutive z.
void tanhSpan(const double* z, double* h, double* d1, double* d2, Eigen::Index n) {
    using namespace Eigen::internal;
    const auto one = [&](const Packet& x, double* hOut, double* d1Out, double* d2Out) {
        // tanh is odd: the magnitude from |x|, then x's sign bit (so tanh(-0) = -0).
        Packet t = por(tanhMagnitude(pabs(x)), pand(x, pset1<Packet>(-0.0)));
        t = pselect(pcmp_eq(x, x), t, x); // NaN stays NaN (it would pass the clamp as 1)
        const Packet slope = psub(pset1<Packet>(1.0), pmul(t, t)); // tanh' = 1 - tanh^2
        pstoreu(hOut, t);
        pstoreu(d1Out, slope);
        pstoreu(d2Out, pmul(pset1<Packet>(-2.0), pmul(t, slope))); // tanh'' = -2 tanh tanh'
    };
    Eigen::Index i = 0;
    for (; i + packetSize <= n; i += packetSize)
        one(ploadu<Packet>(z + i), h + i, d1 + i, d2 + i);
    if (i == n)
        return;
    // The tail through a zero-padded packet, so that every element takes the same path.
    double in[packetSize] = {}, hs[packetSize], d1s[packetSize], d2s[packetSize];
    std::copy(z + i, z + n, in);
    one(ploadu<Packet>(in), hs, d1s, d2s);
    std::copy(hs, hs + (n - i), h + i);
    std::copy(d1s, d1s + (n - i), d1 + i);
    std::copy(d2s, d2s + (n - i), d2 + i);
}

} // namespace

void tanhWithDerivatives(Eigen::Ref<const Eigen::ArrayXXd> z, Eigen::Ref<Eigen::ArrayXXd> h,
                         Eigen::Ref<Eigen::ArrayXXd> d1, Eigen::Ref<Eigen::ArrayXXd> d2) {
    const auto contiguous = [&](const auto& a) {
        return a.rows() == z.rows() && a.cols() == z.cols() && a.outerStride() == a.rows();
    };
    if (contiguous(z) && contiguous(h) && contiguous(d1) && contiguous(d2)) {
        tanhSpan(z.data(), h.data(), d1.data(), d2.data(), z.size());
        return;
    }
    eigen_assert(h.rows() == z.rows() && d1.rows() == z.rows() && d2.rows() == z.rows());
    for (Eigen::Index j = 0; j < z.cols(); ++j)
        tanhSpan(z.data() + j * z.outerStride(), h.data() + j * h.outerStride(),
                 d1.data() + j * d1.outerStride(), d2.data() + j * d2.outerStride(), z.rows());
}

} // namespace sobolev
