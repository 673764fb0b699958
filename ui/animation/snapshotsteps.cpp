// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshotsteps.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::RunTimeline", text);
}

QString weightText(double value) {
    return QString::number(value, 'g', 4);
}

} // namespace

QString snapshotCaption(const Snapshot& s, bool withWeights) {
    QString text;
    if (s.epoch == 0)
        text = tr("initial network");
    else if (s.phase == Phase::Lbfgs)
        text = tr("epoch %1 (L-BFGS)").arg(s.epoch);
    else if (s.batch > 0)
        text = tr("epoch %1, batch %2").arg(s.epoch).arg(s.batch);
    else
        text = tr("epoch %1").arg(s.epoch);
    if (withWeights)
        text += tr(" · α %1 · β %2").arg(weightText(s.alpha), weightText(s.beta));
    return text;
}

QString snapshotWhen(const Snapshot& s) {
    if (s.epoch == 0)
        return tr("at the start");
    return tr("at %1").arg(snapshotCaption(s, false));
}

int snapshotAt(const SnapshotSeries& series, double position) {
    const std::vector<Snapshot>& all = series.snapshots;
    if (all.empty())
        return -1;
    const auto after = std::upper_bound(all.cbegin(), all.cend(), position,
                                        [](double p, const Snapshot& s) { return p < s.position; });
    return std::max(0, int(after - all.cbegin()) - 1);
}

Predictions predictionsAt(const SnapshotSeries& series, const Snapshot& snapshot,
                          const Predictions& run) {
    Predictions p;
    p.x = series.x;
    p.fHat.assign(snapshot.fHat.cbegin(), snapshot.fHat.cend());
    p.fprimeHat.assign(snapshot.fprimeHat.cbegin(), snapshot.fprimeHat.cend());
    // The truth is known on the run's own points; without them only the network is drawn.
    if (run.x == series.x) {
        p.f = run.f;
        p.fprime = run.fprime;
    }
    return p;
}

double logReplayFraction(double position, double lastPosition) {
    if (!(lastPosition > 0))
        return 1;
    return std::log1p(std::clamp(position, 0.0, lastPosition)) / std::log1p(lastPosition);
}

double logReplayPosition(double fraction, double lastPosition) {
    return std::expm1(std::clamp(fraction, 0.0, 1.0) * std::log1p(std::max(lastPosition, 0.0)));
}

} // namespace sobolev
