// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepsummary.h"

#include "fileio.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::SweepFolder", text);
}

// The columns that follow the knobs (tablewriter's sweepSummaryTable); the last one names the
// run's folder.
const QString seedColumn = QStringLiteral("seed");
constexpr qint64 summaryLimit = 64 << 20;

} // namespace

QStringList splitCsvLine(const QString& line) {
    QStringList cells;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            cells << cell;
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells << cell;
    return cells;
}

SweepFolderReadResult readSweepFolder(const QString& dir) {
    SweepFolderReadResult r;
    r.sweep.dir = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    const QString what =
        tr("a sweep folder holds summary.csv and one run folder per row, as --sweep writes it");
    if (!QFileInfo(dir).isDir()) {
        r.errors << tr("%1: not a folder; %2").arg(dir, what);
        return r;
    }
    const QDir root(r.sweep.dir);
    const QString path = root.filePath(QStringLiteral("summary.csv"));
    QFile file(path);
    if (!file.exists()) {
        r.errors << tr("%1: no summary.csv; %2").arg(dir, what);
        return r;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        r.errors << tr("%1: cannot open: %2").arg(path, file.errorString());
        return r;
    }
    bool tooLarge = false;
    const QByteArray bytes = readBounded(file, summaryLimit, &tooLarge);
    if (tooLarge) {
        r.errors << tr("%1: larger than 64 MiB; not a sweep summary").arg(path);
        return r;
    }
    QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'));
    for (QString& line : lines)
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty()) {
        r.errors << tr("%1: empty; %2").arg(path, what);
        return r;
    }
    const QStringList header = splitCsvLine(lines.constFirst());
    const qsizetype seedAt = header.indexOf(seedColumn);
    if (seedAt < 0 || seedAt > 2 || header.size() < seedAt + 2) {
        r.errors << tr("%1: line 1: expected the swept knobs (at most two), then \"seed\", "
                       "the errors and last the run folder; got \"%2\"")
                        .arg(path, lines.constFirst());
        return r;
    }
    for (qsizetype i = 0; i < seedAt; ++i) {
        const auto knob = sweepKnobFromName(header[i].toStdString());
        if (!knob) {
            r.errors << tr("%1: line 1: \"%2\" is not a sweep knob").arg(path, header[i]);
            return r;
        }
        r.sweep.knobs.push_back(*knob);
    }
    for (qsizetype n = 1; n < lines.size(); ++n) {
        const QStringList cells = splitCsvLine(lines[n]);
        if (cells.size() != header.size()) {
            r.errors << tr("%1: line %2: %3 cells, the header has %4")
                            .arg(path)
                            .arg(n + 1)
                            .arg(cells.size())
                            .arg(header.size());
            continue;
        }
        const QString folder = cells.constLast();
        // Only folders inside the sweep folder: a summary cannot point elsewhere.
        if (folder.isEmpty() || folder.contains(QLatin1Char('/')) ||
            folder.contains(QLatin1Char('\\')) || folder.startsWith(QLatin1Char('.'))) {
            r.errors << tr("%1: line %2: \"%3\" is not the name of a run folder in the sweep "
                           "folder")
                            .arg(path)
                            .arg(n + 1)
                            .arg(folder);
            continue;
        }
        if (QFileInfo(root.filePath(folder)).isDir())
            r.sweep.runFolders << root.filePath(folder);
        else
            r.sweep.missing << folder;
    }
    if (r.errors.isEmpty() && r.sweep.runFolders.isEmpty())
        r.errors << (r.sweep.missing.isEmpty()
                         ? tr("%1: lists no runs").arg(path)
                         : tr("%1: none of its %2 run folders is there (first: %3)")
                               .arg(path)
                               .arg(r.sweep.missing.size())
                               .arg(r.sweep.missing.constFirst()));
    return r;
}

} // namespace sobolev
