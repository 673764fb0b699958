// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// One of `count` disjoint slices of a sweep's run list (--shard K/N). `index` is 1-based, as
// "shard 1 of 4" reads: K runs from 1 to N.
struct Shard {
    int index = 1;
    int count = 1;
};

// At most this many shards: a sweep has at most maxSweepRuns runs, so more would all be empty.
inline constexpr int maxShards = 10'000;

// "K/N" with 1 <= K <= N <= maxShards. On failure returns nullopt and says in `error` what is
// wrong and what is allowed.
std::optional<Shard> parseShard(std::string_view text, std::string* error);

// The shard of a Slurm array task: K = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
// SLURM_ARRAY_TASK_STEP + 1 (a step of 1 when unset) and N = SLURM_ARRAY_TASK_COUNT. So
// --array=0-3 and --array=1-4 both make shards 1/4 ... 4/4. A missing variable, one that is not
// a whole number, or an ID that is not one of the array's (e.g. --array=0,5,9, whose IDs are
// not evenly spaced) is an error naming the variables. `environment` returns a variable's value
// or nullopt when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<Shard> shardFromSlurm(const EnvironmentLookup& environment, std::string* error);

// The indices of the runs in `shard` out of `total`: every N-th run, starting at run K-1
// (0-based). Round robin rather than blocks, so that each shard gets a like share of the slow
// points (wide networks, many epochs) of a grid. The N shards together hold every index once.
std::vector<std::size_t> shardRuns(std::size_t total, Shard shard);

} // namespace sobolev
