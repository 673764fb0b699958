#pragma once

#include <QString>

namespace sobolev {

// "12.3 s", "4:05", "1:02:03"; "–" for a negative or non-finite time (an unknown ETA).
QString formatDuration(double seconds);

// A knob's value as people write it: "0.1", "64", and "1e-3" or "2.5e5" rather than "0.001"
// or "250000", since learning rates and loss weights span decades. Five significant digits.
QString compactNumber(double value);

} // namespace sobolev
