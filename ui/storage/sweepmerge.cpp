// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepmerge.h"

#include "fileio.h"
#include "textformat.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <cmath>

namespace sobolev {

namespace {

// The results a run's summary row holds, by column name; the seconds (and the stop message,
// which may quote them) differ between two trainings of one config and are left out.
QList<QPair<QString, double>> resultFields(const FitReport& r) {
    return {{QStringLiteral("mse_f"), r.mseF},
            {QStringLiteral("mse_fprime"), r.mseFprime},
            {QStringLiteral("max_err_f"), r.maxErrF},
            {QStringLiteral("max_err_fprime"), r.maxErrFprime},
            {QStringLiteral("epochs_run"), double(r.epochsRun)},
            {QStringLiteral("stop_reason"), double(int(r.stopReason))},
            {QStringLiteral("best_epoch"), double(r.best.epoch)},
            {QStringLiteral("best_mse_f"), r.best.mseF},
            {QStringLiteral("best_mse_fprime"), r.best.mseFprime},
            {QStringLiteral("best_max_err_f"), r.best.maxErrF},
            {QStringLiteral("best_max_err_fprime"), r.best.maxErrFprime}};
}

// The first result in which `a` and `b` differ (NaN equals NaN), or an empty string.
QString differingResult(const FitReport& a, const FitReport& b) {
    const auto fa = resultFields(a), fb = resultFields(b);
    for (qsizetype i = 0; i < fa.size(); ++i)
        if (fa[i].second != fb[i].second && !(std::isnan(fa[i].second) && std::isnan(fb[i].second)))
            return QStringLiteral("%1 %2 vs %3")
                .arg(fa[i].first, formatNumber(fa[i].second), formatNumber(fb[i].second));
    return {};
}

// Copies the run folder `from` to `to` through a temporary folder renamed into place, so that
// `to` is either absent or complete.
bool copyRunFolder(const QString& from, const QString& to, QString* error) {
    const QString partial = to + QStringLiteral(".partial");
    QDir(partial).removeRecursively();
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(partial).filePath(QDir(from).relativeFilePath(file));
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(file, target)) {
            *error = QStringLiteral("%1: cannot copy to %2").arg(file, target);
            return false;
        }
    }
    QDir(to).removeRecursively(); // an unfinished run of the same point
    if (!QDir().rename(partial, to)) {
        *error = QStringLiteral("%1: cannot rename to %2").arg(partial, to);
        return false;
    }
    return true;
}

struct Found {
    QString dir; // the sweep folder
    FitReport report;
};

} // namespace

SweepMergeResult mergeSweepShards(const QStringList& givenDirs, const QString& out) {
    SweepMergeResult r;
    QStringList dirs, canonical;
    for (const QString& d : givenDirs) {
        const QFileInfo info(d);
        if (!info.isDir()) {
            r.refusals << QStringLiteral("%1: no such folder").arg(d);
            continue;
        }
        if (!canonical.contains(info.canonicalFilePath())) {
            canonical << info.canonicalFilePath();
            dirs << d;
        }
    }
    QList<SweepSpec> specs;
    for (const QString& d : dirs) {
        const SweepSpecReadResult spec = readSweepSpec(d);
        r.refusals << spec.errors;
        specs << spec.spec;
    }
    if (!r.refusals.isEmpty())
        return r;
    for (qsizetype i = 1; i < dirs.size(); ++i)
        for (const QString& line : sweepDifferences(specs[0], specs[i]))
            r.refusals << QStringLiteral("%1 and %2 are shards of different sweeps: %3")
                              .arg(dirs[0], dirs[i], line);
    const QFileInfo outInfo(out);
    const bool outIsShard = outInfo.exists() && canonical.contains(outInfo.canonicalFilePath());
    QString error;
    if (!outIsShard && !isFreshFolder(out, &error))
        r.refusals << QStringLiteral("--out ") + error +
                          QStringLiteral(" (or one of the merged folders, to merge in place)");
    if (!r.refusals.isEmpty())
        return r;
    r.spec = specs[0];
    r.folders = int(dirs.size());

    const std::vector<SweepPoint> points = r.spec.points();
    std::vector<std::optional<Found>> found(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const QString folder = sweepRunFolder(r.spec.axes, points[i]);
        for (const QString& d : dirs) {
            QString mismatch;
            const auto report =
                finishedRunReport(QDir(d).filePath(folder), points[i].config, &mismatch);
            if (!mismatch.isEmpty())
                r.refusals << QStringLiteral("%1: its config.json is not this sweep's run: %2 "
                                             "differs")
                                  .arg(QDir(d).filePath(folder), mismatch);
            if (!report)
                continue;
            if (!found[i]) {
                found[i] = Found{d, *report};
                continue;
            }
            const QString difference = differingResult(found[i]->report, *report);
            if (!difference.isEmpty())
                r.refusals << QStringLiteral("run %1 is in %2 and %3 with different results: %4")
                                  .arg(folder, found[i]->dir, d, difference);
            else if (QFileInfo(d).canonicalFilePath() == outInfo.canonicalFilePath())
                found[i]->dir = d; // already in place: nothing to copy
        }
    }
    if (!r.refusals.isEmpty())
        return r;

    if (!QDir().mkpath(out)) {
        r.errors << QStringLiteral("--out %1: cannot create the folder").arg(out);
        return r;
    }
    for (const SweepAxis& a : r.spec.axes)
        r.view.knobs.push_back(a.knob);
    r.summary = sweepSummaryTable(r.view.knobs, QStringLiteral("folder"));
    const QFileInfo outCanonical(out);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const QString folder = sweepRunFolder(r.spec.axes, points[i]);
        if (!found[i]) {
            r.missing << folder;
            continue;
        }
        if (QFileInfo(found[i]->dir).canonicalFilePath() != outCanonical.canonicalFilePath()) {
            if (!copyRunFolder(QDir(found[i]->dir).filePath(folder), QDir(out).filePath(folder),
                               &error)) {
                r.errors << error;
                continue;
            }
            ++r.copied;
        }
        const std::optional<LossWeights> finalWeights =
            finalWeightsInFolder(QDir(out).filePath(folder));
        appendSweepRow(r.summary, r.view.knobs, points[i].knobValues, points[i].seed,
                       found[i]->report, folder, finalWeights);
        r.view.runs.append(
            {folder, points[i].knobValues, points[i].seed, found[i]->report, finalWeights});
    }
    const QDir o(out);
    QByteArray missing;
    for (const QString& m : r.missing)
        missing += m.toUtf8() + '\n';
    for (const auto& [name, data] :
         {std::pair{QStringLiteral("summary.csv"), renderTable(r.summary, TableFormat::Csv)},
          std::pair{missingRunsFile, missing}})
        if (!writeFileAtomically(o.filePath(name), data, &error))
            r.errors << error;
    if (!writeSweepSpec(out, r.spec, &error))
        r.errors << error;
    return r;
}

} // namespace sobolev
