// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/kernellevel.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

#ifndef SOBOLEV_KERNEL_LEVEL
#error "SOBOLEV_KERNEL_LEVEL is set by core/CMakeLists.txt"
#endif

namespace sobolev {

namespace {

std::string widestVectors() {
#if defined(__AVX512F__)
    return "AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
    return "AVX2, FMA";
#elif defined(__AVX__)
    return "AVX";
#else
    return "SSE2";
#endif
}

} // namespace

std::string kernelLevelName() {
    return SOBOLEV_KERNEL_LEVEL;
}

std::string kernelLevel() {
    const std::string name = kernelLevelName();
    const std::string level = name == "native" ? "native"
                              : name == "v1"   ? "x86-64"
                                               : "x86-64-" + name;
    return level + " (" + widestVectors() + ")";
}

#if SOBOLEV_KERNEL_SWITCHABLE
namespace {

[[noreturn]] void refuse(const std::string& message) {
    std::fprintf(stderr, "sobolev-workbench: %s\n", message.c_str());
    std::fflush(stderr);
    _exit(2);
}

bool cpuRuns(std::string_view level) {
    __builtin_cpu_init();
    if (level == "v3")
        return __builtin_cpu_supports("x86-64-v3");
    if (level == "v4")
        return __builtin_cpu_supports("x86-64-v4");
    return true;
}

// The folder of the loaded library whose glibc-hwcaps/ holds the other levels.
std::string baseLibraryFolder() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&kernelLevelName), &info) == 0 || !info.dli_fname)
        return {};
    std::string dir = info.dli_fname;
    dir.erase(dir.find_last_of('/') == std::string::npos ? 0 : dir.find_last_of('/'));
    for (std::string_view tail :
         {"/glibc-hwcaps/x86-64-v3", "/glibc-hwcaps/x86-64-v4", "/x86-64-v1"})
        if (dir.size() > tail.size() &&
            dir.compare(dir.size() - tail.size(), tail.size(), tail) == 0)
            return dir.substr(0, dir.size() - tail.size());
    return dir;
}

std::vector<std::string> ownArguments() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::string> arguments;
    for (std::size_t start = 0; start < all.size();) {
        const std::size_t end = all.find('\0', start);
        arguments.push_back(all.substr(start, end - start));
        start = end == std::string::npos ? all.size() : end + 1;
    }
    return arguments;
}

// Runs the program again with `level`'s library first on the library path.
[[noreturn]] void runAgainWith(const std::string& level) {
    const std::string base = baseLibraryFolder();
    const std::string folder =
        base + (level == "v1" ? "/x86-64-v1" : "/glibc-hwcaps/x86-64-" + level);
    const char* old = std::getenv("LD_LIBRARY_PATH");
    const std::string path = old && *old ? folder + ":" + old : folder;
    setenv("LD_LIBRARY_PATH", path.c_str(), 1);
    setenv("SOBOLEV_KERNELS_LOADED", level.c_str(), 1);
    std::vector<std::string> arguments = ownArguments();
    std::vector<char*> argv;
    for (std::string& a : arguments)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    refuse("SOBOLEV_KERNELS=" + level + ": could not run the program again with " + folder);
}

} // namespace

// SOBOLEV_KERNELS, honoured before main() in any program linked with a portable core.
[[gnu::constructor]] static void honourForcedKernelLevel() {
    const std::string name = kernelLevelName();
    if (name == "native")
        return;
    const char* wanted = std::getenv("SOBOLEV_KERNELS");
    if (!wanted || !*wanted)
        return;
    const std::string level = wanted;
    if (level != "v1" && level != "v3" && level != "v4")
        refuse("SOBOLEV_KERNELS=" + level +
               " is not a kernel level: use v1 (any x86-64), v3 (AVX2 and FMA) or v4 "
               "(AVX-512), or unset it to let the CPU choose");
    if (!cpuRuns(level))
        refuse("SOBOLEV_KERNELS=" + level + ": this CPU lacks the instructions of x86-64-" + level +
               "; use v1" + (cpuRuns("v3") ? " or v3" : ""));
    if (level == name) {
        unsetenv("SOBOLEV_KERNELS_LOADED");
        return;
    }
    if (const char* tried = std::getenv("SOBOLEV_KERNELS_LOADED"); tried && level == tried)
        refuse("SOBOLEV_KERNELS=" + level + ": its library was not found beside " +
               baseLibraryFolder() + " (the " + name + " one was loaded)");
    runAgainWith(level);
}
#endif

} // namespace sobolev
