#pragma once

#include <QString>

namespace sobolev {

// "12.3 s", "4:05", "1:02:03"; "–" for a negative or non-finite time (an unknown ETA).
QString formatDuration(double seconds);

} // namespace sobolev
