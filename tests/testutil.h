// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the test executables: the small configs that train in milliseconds and
// the comparisons the tests make over and over.

#include "core/config/trainconfig.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#ifdef QT_GUI_LIB
#include <QColor>
#include <QImage>
#endif
#ifdef QT_CHARTS_LIB
#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#endif

namespace sobolev::testutil {

// Trains in about a millisecond per epoch: 6 wide, 64 training points.
inline TrainConfig tinyConfig(int epochs = 4) {
    TrainConfig c;
    c.width = 6;
    c.nTrain = 64;
    c.batchSize = 16;
    c.nVal = 16;
    c.epochs = epochs;
    c.gridPoints = 21;
    return c;
}

// Large enough to learn something in a few dozen epochs: 16 wide, 256 training points.
inline TrainConfig smallConfig(int epochs = 30) {
    TrainConfig c;
    c.width = 16;
    c.nTrain = 256;
    c.nVal = 64;
    c.batchSize = 32;
    c.epochs = epochs;
    c.gridPoints = 101;
    return c;
}

// Equal to the bit: NaN equals NaN, and 0.0 differs from -0.0.
template <typename T> bool sameBits(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// Every field of every epoch equal to the bit, `seconds` (wall-clock time) aside.
inline bool sameHistory(const std::vector<EpochMetrics>& a, const std::vector<EpochMetrics>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const EpochMetrics& x = a[i];
        const EpochMetrics& y = b[i];
        if (x.epoch != y.epoch || !sameBits(x.loss, y.loss) || !sameBits(x.mseF, y.mseF) ||
            !sameBits(x.mseFprime, y.mseFprime) || !sameBits(x.valLoss, y.valLoss) ||
            !sameBits(x.valMseF, y.valMseF) || !sameBits(x.valMseFprime, y.valMseFprime) ||
            !sameBits(x.learningRate, y.learningRate) || x.phase != y.phase)
            return false;
    }
    return true;
}

// Pictures a test writes go to a QTemporaryDir of the test's own, since ctest -j runs the
// tests side by side. With SOBOLEV_KEEP_TEST_IMAGES set the folder is kept and named, for a
// person to look at the pictures.
inline void keepImagesIfAsked(QTemporaryDir& dir) {
    if (qEnvironmentVariableIsSet("SOBOLEV_KEEP_TEST_IMAGES")) {
        dir.setAutoRemove(false);
        qInfo("pictures kept in %s", qPrintable(dir.path()));
    }
}

// What pdflatex finds wrong with `tex`, a LaTeX table export, \input into an article with the
// packages its first line names: an error (a raw Unicode character is one), an overfull line
// (a table wider than the text) or a missing character; empty when it compiles cleanly. Sets
// `*skipped` instead when pdflatex is not on the PATH.
inline QString pdflatexProblems(const QByteArray& tex, bool* skipped) {
    *skipped = QStandardPaths::findExecutable(QStringLiteral("pdflatex")).isEmpty();
    if (*skipped)
        return {};
    QTemporaryDir dir;
    QFile table(dir.filePath(QStringLiteral("table.tex")));
    QFile document(dir.filePath(QStringLiteral("document.tex")));
    if (!table.open(QIODevice::WriteOnly) || !document.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write into %1").arg(dir.path());
    table.write(tex);
    table.close();
    document.write("\\documentclass{article}\n\\usepackage{booktabs,graphicx}\n"
                   "\\begin{document}\n\\input{table.tex}\n\\end{document}\n");
    document.close();
    QProcess pdflatex;
    pdflatex.setWorkingDirectory(dir.path());
    pdflatex.start(QStringLiteral("pdflatex"),
                   {QStringLiteral("-interaction=nonstopmode"), QStringLiteral("-halt-on-error"),
                    QStringLiteral("-no-shell-escape"), QStringLiteral("document.tex")});
    if (!pdflatex.waitForFinished(120000))
        return QStringLiteral("pdflatex did not finish");
    QFile logFile(dir.filePath(QStringLiteral("document.log")));
    const QString log =
        logFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(logFile.readAll()) : QString();
    QStringList problems;
    if (pdflatex.exitCode() != 0 || !QFile::exists(dir.filePath(QStringLiteral("document.pdf"))))
        problems << QStringLiteral("pdflatex failed");
    for (const QString& line : log.split(QLatin1Char('\n')))
        if (line.startsWith(QLatin1String("! ")) || line.startsWith(QLatin1String("Overfull")) ||
            line.contains(QLatin1String("Missing character")))
            problems << line;
    return problems.join(QLatin1Char('\n'));
}

// The standard output of a poppler-utils tool (pdftotext, pdfinfo, pdfimages) run with
// `arguments`; sets `*skipped` instead when the tool is not on the PATH.
inline QString popplerOutput(const QString& tool, const QStringList& arguments, bool* skipped) {
    *skipped = QStandardPaths::findExecutable(tool).isEmpty();
    if (*skipped)
        return {};
    QProcess process;
    process.start(tool, arguments);
    if (!process.waitForFinished(-1) || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2")
            .arg(tool, QString::fromLocal8Bit(process.readAllStandardError()));
    return QString::fromUtf8(process.readAllStandardOutput());
}

#ifdef QT_GUI_LIB
// Pixel checks for pictures of charts and panels, which a blank or empty picture fails.
// `area` is in the image's pixels; an empty one means the whole image.

template <typename Test> int countPixels(const QImage& image, QRect area, Test test) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    area = area.isEmpty() ? rgb.rect() : area.intersected(rgb.rect());
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = area.left(); x <= area.right(); ++x)
            n += test(line[x]) ? 1 : 0;
    }
    return n;
}

// Pixels whose red, green and blue are each within `tolerance` of `colour`'s: the cores of
// a curve's strokes, a marker's fill.
inline int pixelsNear(const QImage& image, const QColor& colour, QRect area = {},
                      int tolerance = 24) {
    return countPixels(image, area, [&](QRgb p) {
        return std::abs(qRed(p) - colour.red()) <= tolerance &&
               std::abs(qGreen(p) - colour.green()) <= tolerance &&
               std::abs(qBlue(p) - colour.blue()) <= tolerance;
    });
}

// Pixels with red, green and blue all at most `maxLevel`: text and dark lines on white.
inline int darkPixels(const QImage& image, QRect area = {}, int maxLevel = 110) {
    return countPixels(image, area, [&](QRgb p) {
        return qRed(p) <= maxLevel && qGreen(p) <= maxLevel && qBlue(p) <= maxLevel;
    });
}

// How many different colours `area` has, counted up to `cap`: 1 for a blank picture.
inline int distinctColours(const QImage& image, QRect area = {}, int cap = 256) {
    std::vector<QRgb> seen;
    countPixels(image, area, [&](QRgb p) {
        if (int(seen.size()) < cap && std::find(seen.begin(), seen.end(), p) == seen.end())
            seen.push_back(p);
        return false;
    });
    return int(seen.size());
}

// A part of `image` given as fractions of its width and height, for pictures (such as
// exported files) whose layout is only roughly known.
inline QRect imagePart(const QImage& image, double left, double top, double right, double bottom) {
    return QRect(QPoint(int(left * image.width()), int(top * image.height())),
                 QPoint(int(right * image.width()) - 1, int(bottom * image.height()) - 1));
}
#endif

#ifdef QT_CHARTS_LIB
// Where a scene rectangle of a chart is in a picture: in a grab of the widget that is the
// chart's view or holds it, or in an exported picture of the chart (its scene bounding rect
// scaled by `scale`, as exportChart writes it).
struct ChartPicture {
    const QChart* chart;
    std::function<QRect(const QRectF&)> fromScene;

    static ChartPicture grabOf(const QWidget* widget, const QChart* chart) {
        return {chart, [widget, chart](const QRectF& sceneRect) {
                    const QGraphicsView* view = chart->scene()->views().constFirst();
                    const QRect inViewport = view->mapFromScene(sceneRect).boundingRect();
                    return QRect(view->viewport()->mapTo(widget, inViewport.topLeft()),
                                 inViewport.size());
                }};
    }
    static ChartPicture exportOf(const QChart* chart, double scale) {
        return {chart, [chart, scale](const QRectF& sceneRect) {
                    const QRectF r = sceneRect.translated(-chart->sceneBoundingRect().topLeft());
                    return QRectF(r.topLeft() * scale, r.size() * scale).toAlignedRect();
                }};
    }

    // The plot area (inside the axes), the legend, and the band above the plot area that
    // holds the title.
    QRect plotArea() const { return fromScene(chart->mapRectToScene(chart->plotArea())); }
    QRect legend() const { return fromScene(chart->legend()->sceneBoundingRect()); }
    QRect titleArea() const {
        const QRectF whole = chart->rect(), plot = chart->plotArea();
        return fromScene(chart->mapRectToScene(
            QRectF(whole.left(), whole.top(), whole.width(), plot.top() - whole.top())));
    }
};

inline QRect plotAreaIn(const QWidget* widget, const QChart* chart) {
    return ChartPicture::grabOf(widget, chart).plotArea();
}

// What is wrong with `image`, a picture of `where.chart`; empty if nothing. The colour of
// every visible, opaque line or scatter series is in the plot area (at least `minPixels`
// pixels, so a chart that lost its data fails) and in the legend; the legend and the title
// have dark text pixels; the plot area is not one flat colour. Where curves may lie on top
// of each other, `everySeries` false asks only for `minPixels` of their colours together.
inline QStringList chartPictureProblems(const QImage& image, const ChartPicture& where,
                                        int minPixels = 10, bool everySeries = true) {
    const QChart* chart = where.chart;
    QStringList problems;
    const QRect plot = where.plotArea(), legend = where.legend();
    if (plot.width() < 20 || plot.height() < 20 || !image.rect().contains(plot))
        return {QStringLiteral("the plot area %1,%2 %3x%4 is not inside the %5x%6 picture")
                    .arg(plot.x())
                    .arg(plot.y())
                    .arg(plot.width())
                    .arg(plot.height())
                    .arg(image.width())
                    .arg(image.height())};
    if (distinctColours(image, plot) < 8)
        problems << QStringLiteral("the plot area is nearly one flat colour");
    QList<QRgb> checked;
    QStringList hidden;
    int shown = 0;
    for (const QAbstractSeries* series : chart->series()) {
        QColor colour;
        if (auto* line = qobject_cast<const QLineSeries*>(series))
            colour = line->color();
        else if (auto* dots = qobject_cast<const QScatterSeries*>(series))
            colour = dots->color();
        if (!series->isVisible() || !colour.isValid() || colour.alpha() < 255 ||
            checked.contains(colour.rgb()))
            continue;
        checked << colour.rgb();
        const int inPlot = pixelsNear(image, colour, plot);
        shown += inPlot;
        if (inPlot < minPixels)
            hidden << QStringLiteral("%1 (%2): %3 pixels of its colour in the plot area")
                          .arg(series->name(), colour.name())
                          .arg(inPlot);
        if (chart->legend()->isVisible() && pixelsNear(image, colour, legend) == 0)
            problems
                << QStringLiteral("%1 (%2): not in the legend").arg(series->name(), colour.name());
    }
    if (checked.isEmpty())
        problems << QStringLiteral("no visible opaque series to look for");
    else if (everySeries || shown < minPixels)
        problems << hidden;
    if (chart->legend()->isVisible() && darkPixels(image, legend) < 20)
        problems << QStringLiteral("the legend has no text");
    if (!chart->title().isEmpty() && darkPixels(image, where.titleArea()) < 20)
        problems << QStringLiteral("the title \"%1\" is not drawn").arg(chart->title());
    return problems;
}

// The same for a grab of `widget`, the chart's view or a widget that holds it.
inline QStringList chartPictureProblems(const QImage& image, const QWidget* widget,
                                        const QChart* chart, int minPixels = 10,
                                        bool everySeries = true) {
    return chartPictureProblems(image, ChartPicture::grabOf(widget, chart), minPixels, everySeries);
}
#endif

// Every metric of two reports equal to the bit (mseF, mseFprime, maxErrF, maxErrFprime), and the
// same epochs run and stop reason and message; `trainSeconds` (wall-clock time) aside.
inline bool sameReport(const FitReport& a, const FitReport& b) {
    // The measures added for issue #13 are NaN when unknown (a NaN's bits need not survive JSON).
    const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
    return sameBits(a.mseF, b.mseF) && sameBits(a.mseFprime, b.mseFprime) &&
           sameBits(a.maxErrF, b.maxErrF) && sameBits(a.maxErrFprime, b.maxErrFprime) &&
           same(a.relL2F, b.relL2F) && same(a.relL2Fprime, b.relL2Fprime) &&
           same(a.xMaxErrF, b.xMaxErrF) && same(a.xMaxErrFprime, b.xMaxErrFprime) &&
           a.epochsRun == b.epochsRun && a.stopReason == b.stopReason &&
           a.stopMessage == b.stopMessage && a.metricsOn == b.metricsOn;
}

// Two parameter vectors (or any Eigen vectors) of one size, every element equal to the bit.
template <typename V> bool sameParameters(const V& a, const V& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), sizeof(typename V::Scalar) * std::size_t(a.size())) == 0;
}

// Every element of two vectors equal to the bit.
inline bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0);
}

// For a diverged run, whether its stop message and its history agree; empty when they do.
// "... at epoch K (batch b of m)": a batch of epoch K failed, so K - 1 epochs are recorded.
// "validation loss became ... at epoch K": epoch K is recorded, with its non-finite validation
// loss. Every epoch recorded before the fault is finite.
inline std::string divergenceProblem(const Trainer& t) {
    const std::string& msg = t.stopMessage();
    if (t.stopReason() != StopReason::Diverged)
        return "not diverged: " + msg;
    std::smatch where;
    if (!std::regex_search(msg, where, std::regex(R"(at epoch (\d+)( \(batch (\d+) of (\d+)\))?)")))
        return "no epoch in: " + msg;
    const int epoch = std::stoi(where[1]);
    const bool inBatch = where[2].matched;
    const auto& h = t.history();
    const TrainConfig& c = t.config();
    if (inBatch) {
        const int batch = std::stoi(where[3]), batches = std::stoi(where[4]);
        if (t.epochsDone() != epoch - 1)
            return std::to_string(t.epochsDone()) + " epochs recorded for: " + msg;
        if (batches != (c.nTrain + c.batchSize - 1) / c.batchSize || batch < 1 || batch > batches)
            return "wrong batch numbers in: " + msg;
    } else {
        if (msg.rfind("validation loss became", 0) != 0)
            return "neither a batch nor the validation named in: " + msg;
        if (t.epochsDone() != epoch || std::isfinite(h.back().valLoss))
            return std::to_string(t.epochsDone()) + " epochs recorded for: " + msg;
    }
    for (std::size_t i = 0; i + (inBatch ? 0 : 1) < h.size(); ++i)
        if (!std::isfinite(h[i].loss) || !std::isfinite(h[i].valLoss))
            return "non-finite epoch " + std::to_string(i + 1) + " before the fault: " + msg;
    return {};
}

// The network's values and derivatives on the test grid, and the grid and targets, equal to the
// bit: where the parameters are not at hand (a sweep result, the controller), equal outputs on
// every grid point stand in for them.
inline bool samePredictions(const Predictions& a, const Predictions& b) {
    return sameValues(a.x, b.x) && sameValues(a.f, b.f) && sameValues(a.fHat, b.fHat) &&
           sameValues(a.fprime, b.fprime) && sameValues(a.fprimeHat, b.fprimeHat);
}

} // namespace sobolev::testutil

#if __has_include("runfolder.h")
#include "runfolder.h"

namespace sobolev::testutil {

// A run as the trainer leaves it after `epochs` epochs, marked stopped if `stop`.
inline RunRecord trainRecord(const TrainConfig& config, int epochs, bool stop = false) {
    Trainer trainer(config);
    trainer.train(epochs);
    if (stop)
        trainer.markStopped();
    return {config, trainer.history(), trainer.predictions(), trainer.report()};
}

// Three runs as the run history keeps them: completed (β 1, seed 12345), stopped after 2 of
// 3 epochs (β 5, seed 3), and diverged (NaN in its last epoch and its errors).
inline QList<RunRecord> sampleRuns() {
    auto config = [](double beta, std::uint64_t seed) {
        TrainConfig c = tinyConfig(3);
        c.beta = beta;
        c.seed = seed;
        return c;
    };
    QList<RunRecord> runs{trainRecord(config(1, 12345), 3), trainRecord(config(5, 3), 2, true)};
    RunRecord diverged = trainRecord(config(0.5, 7), 3);
    diverged.config.learningRate = 0.5;
    diverged.history.back().loss = std::nan("");
    diverged.history.back().valMseF = std::nan("");
    diverged.report.mseF = diverged.report.mseFprime = std::nan("");
    diverged.report.stopReason = StopReason::Diverged;
    diverged.report.stopMessage =
        "loss became NaN in epoch 3, batch 1; try a smaller learning rate";
    runs << diverged;
    return runs;
}

} // namespace sobolev::testutil
#endif

#if __has_include("runhistory.h")
#include "runhistory.h"

namespace sobolev::testutil {

// Adds `runs` to `history` and returns their ids (an empty id where one was refused).
inline QStringList addRuns(RunHistory& history, const QList<RunRecord>& runs) {
    QStringList ids;
    for (const RunRecord& run : runs) {
        QString error;
        const QString id = history.add(run, {}, &error);
        if (id.isEmpty())
            qWarning() << error;
        ids << id;
    }
    return ids;
}

} // namespace sobolev::testutil
#endif
