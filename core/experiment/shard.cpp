// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/experiment/shard.h"

#include <charconv>

namespace sobolev {

namespace {

std::optional<long long> wholeNumber(std::string_view text) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace

std::optional<Shard> parseShard(std::string_view text, std::string* error) {
    const std::size_t slash = text.find('/');
    const auto k =
        slash == std::string_view::npos ? std::nullopt : wholeNumber(text.substr(0, slash));
    const auto n =
        slash == std::string_view::npos ? std::nullopt : wholeNumber(text.substr(slash + 1));
    if (!k || !n || *n < 1 || *n > maxShards || *k < 1 || *k > *n) {
        // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) about "..." + string.
        error->assign(1, '"');
        error->append(text);
        error->append("\" must be K/N with 1 <= K <= N <= " + std::to_string(maxShards) +
                      " (K counts from 1, e.g. 1/4 ... 4/4), or slurm");
        return std::nullopt;
    }
    return Shard{int(*k), int(*n)};
}

std::optional<Shard> shardFromSlurm(const EnvironmentLookup& environment, std::string* error) {
    const char* const names[] = {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN",
                                 "SLURM_ARRAY_TASK_COUNT"};
    long long values[3] = {};
    std::string missing, malformed;
    for (int i = 0; i < 3; ++i) {
        const auto text = environment(names[i]);
        const auto value = text ? wholeNumber(*text) : std::nullopt;
        if (!text)
            missing += (missing.empty() ? "" : ", ") + std::string(names[i]);
        else if (!value || *value < 0)
            malformed +=
                (malformed.empty() ? "" : ", ") + std::string(names[i]) + "=\"" + *text + "\"";
        else
            values[i] = *value;
    }
    long long step = 1;
    if (const auto text = environment("SLURM_ARRAY_TASK_STEP")) {
        const auto value = wholeNumber(*text);
        if (!value || *value < 1)
            malformed += (malformed.empty() ? "" : ", ") + std::string("SLURM_ARRAY_TASK_STEP=\"") +
                         *text + "\"";
        else
            step = *value;
    }
    if (!missing.empty()) {
        *error = "slurm: " + missing +
                 " not set; --shard slurm runs inside a Slurm job array (sbatch --array=0-3)";
        return std::nullopt;
    }
    if (!malformed.empty()) {
        *error = "slurm: " + malformed + " must be whole numbers (>= 0; a step >= 1)";
        return std::nullopt;
    }
    const long long id = values[0], min = values[1], count = values[2];
    const long long offset = id - min;
    if (count < 1 || count > maxShards || offset < 0 || offset % step != 0 ||
        offset / step >= count) {
        *error =
            "slurm: SLURM_ARRAY_TASK_ID=" + std::to_string(id) +
            " is not one of the array's tasks given SLURM_ARRAY_TASK_MIN=" + std::to_string(min) +
            ", SLURM_ARRAY_TASK_COUNT=" + std::to_string(count) + " and a step of " +
            std::to_string(step) +
            "; give the array as an evenly spaced range such as --array=0-3 (at most " +
            std::to_string(maxShards) + " tasks)";
        return std::nullopt;
    }
    return Shard{int(offset / step) + 1, int(count)};
}

std::vector<std::size_t> shardRuns(std::size_t total, Shard shard) {
    std::vector<std::size_t> runs;
    for (std::size_t i = std::size_t(shard.index - 1); i < total; i += std::size_t(shard.count))
        runs.push_back(i);
    return runs;
}

} // namespace sobolev
