// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace sobolev {

// The instructions the numeric kernels (this library) were compiled for. A native build
// (-march=native) has one level, this machine's. A portable build has three, in separate
// libraries that the loader picks by CPU (core/CMakeLists.txt):
//   x86-64     SSE2, any 64-bit x86 CPU;
//   x86-64-v3  AVX2 and FMA (Haswell, Zen and later);
//   x86-64-v4  AVX-512 (Skylake-X, Zen 4 and later).
// Each level is deterministic (the same level gives the same bits); levels differ in the last
// bits, since wider vectors sum in another order and FMA rounds once.
//
// SOBOLEV_KERNELS=v1|v3|v4 in the environment forces a level in a portable build: the
// library, on loading, runs the program again with that level's library first on the path.
// An unknown value or a level this CPU lacks ends the program with exit code 2 and a message.
std::string kernelLevel(); // "x86-64-v4 (AVX-512)", "native (AVX-512)", ...
// "v1", "v3", "v4" or "native".
std::string kernelLevelName();

} // namespace sobolev
