#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# core/ is built in rooms, each using only the rooms before it in this list (and itself).
# Fails naming every include that points up the list, or a core include without its room.
set -u
rooms=(config problem model optim eval train experiment)
core=${1:-$(dirname "$0")/../../core}
rank() { local i; for i in "${!rooms[@]}"; do [[ ${rooms[$i]} == "$1" ]] && { echo "$i"; return; }; done; echo -1; }
bad=0
while IFS= read -r file; do
    rel=${file#"$core"/}
    from=$(rank "${rel%%/*}")
    if ((from < 0)); then echo "$rel: not in a room (${rooms[*]})"; bad=1; continue; fi
    while IFS= read -r inc; do
        target=${inc#core/}
        to=$(rank "${target%%/*}")
        if ((to < 0 || to > from)); then echo "$rel includes $inc, a room after ${rel%%/*}/"; bad=1; fi
    done < <(sed -n 's/^#include "\(core\/[^"]*\)".*/\1/p' "$file")
    if grep -qE '^#include "[a-z_]+\.h"' "$file"; then echo "$rel: an include without its room"; bad=1; fi
done < <(find "$core" -mindepth 2 -name '*.h' -o -mindepth 2 -name '*.cpp' | sort)
for file in "$core"/*.h "$core"/*.cpp; do
    [[ -e $file ]] && { echo "${file#"$core"/}: not in a room (${rooms[*]})"; bad=1; }
done
if ((bad)); then exit 1; fi
echo "core rooms: every include points down (${rooms[*]})"
