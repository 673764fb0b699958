// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "animationframes.h"

#include <QSize>
#include <QString>

#include <optional>

namespace sobolev {

// A slide is a full-HD picture for a projector: the charts drawn twice as large as on screen
// (text, lines, markers), as View ▸ Presentation draws them, with the caption below.
inline constexpr QSize slideSize{1920, 1080};
inline constexpr double slideChartScale = 2;

// The run as it ended, as one snapshot of its final network: a slide of a run recorded
// without snapshots.
SnapshotSeries finalSnapshot(const RunRecord& run);

// `runs` (several: a comparison) at `position` on the loss chart's axis (nothing: where they
// end) as a slide, PNG or SVG by `path`'s suffix, written atomically. False with *error naming
// the file and what is wrong.
bool exportSlide(const QString& path, const QList<AnimatedRun>& runs,
                 const QList<AnimationChart>& charts, std::optional<double> position,
                 QString* error);

} // namespace sobolev
