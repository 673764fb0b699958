// SPDX-License-Identifier: GPL-3.0-or-later
#include "mergerun.h"

#include "figures.h"
#include "headless.h"
#include "sweepmerge.h"

#include <QDir>

#include <cstdio>

namespace sobolev {

int runMerge(const CommandLine& cl) {
    const SweepMergeResult r = mergeSweepShards(cl.mergeDirs, cl.outDir);
    if (!r.refusals.isEmpty()) {
        for (const QString& e : r.refusals)
            std::fprintf(stderr, "sobolev-workbench: --merge: %s\n", qPrintable(e));
        std::fputs("sobolev-workbench: --merge: nothing was written\n", stderr);
        return ExitUsage;
    }
    QStringList errors = r.errors;
    if (cl.plots && errors.isEmpty()) {
        QString error;
        if (!writeSweepFiguresInto(cl.outDir, r.view, &error))
            errors << error;
    }
    for (const QString& e : errors)
        std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(e));
    const QDir out(cl.outDir);
    // The missing runs are printed even with --quiet: a merge that lacks runs is not the sweep.
    for (const QString& m : r.missing)
        std::fprintf(stderr, "sobolev-workbench: missing run: %s\n", qPrintable(m));
    if (!r.missing.isEmpty())
        std::fprintf(stderr, "sobolev-workbench: %lld of %zu runs missing; listed in %s\n",
                     qlonglong(r.missing.size()), r.spec.points().size(),
                     qPrintable(QDir::toNativeSeparators(out.filePath(missingRunsFile))));
    if (!cl.quiet)
        std::fprintf(
            stderr, "merged %lld of %zu runs (%d copied) from %d folder%s; summary: %s\n",
            qlonglong(r.view.runs.size()), r.spec.points().size(), r.copied, r.folders,
            r.folders == 1 ? "" : "s",
            qPrintable(QDir::toNativeSeparators(out.filePath(QStringLiteral("summary.csv")))));
    return errors.isEmpty() && r.missing.isEmpty() ? ExitOk : ExitFailure;
}

} // namespace sobolev
