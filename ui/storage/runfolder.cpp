// SPDX-License-Identifier: GPL-3.0-or-later
#include "runfolder.h"

#include "configjson.h"
#include "fileio.h"
#include "snapshotfile.h"
#include "textformat.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace sobolev {

namespace {
const QString curveFileName = QStringLiteral("curve.csv");
// Until version 0.4, history.csv ended at "seconds"; such files still read.
constexpr const char* historyHeaderWithoutOptimiser =
    "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds";
// Until version 0.9, history.csv ended at "phase".
constexpr const char* historyHeaderWithoutWeights =
    "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,val_mse_fprime,seconds,learning_rate,phase";
constexpr const char* historyHeader = "epoch,loss,mse_f,mse_fprime,val_loss,val_mse_f,"
                                      "val_mse_fprime,seconds,learning_rate,phase,alpha,beta";
} // namespace

QByteArray historyCsv(const std::vector<EpochMetrics>& history) {
    QByteArray out = QByteArray(historyHeader) + '\n';
    out.reserve(out.size() + qsizetype(history.size()) * 180);
    for (const EpochMetrics& m : history) {
        const QString line =
            QString::number(m.epoch) + QLatin1Char(',') + formatNumber(m.loss) + QLatin1Char(',') +
            formatNumber(m.mseF) + QLatin1Char(',') + formatNumber(m.mseFprime) + QLatin1Char(',') +
            formatNumber(m.valLoss) + QLatin1Char(',') + formatNumber(m.valMseF) +
            QLatin1Char(',') + formatNumber(m.valMseFprime) + QLatin1Char(',') +
            formatNumber(m.seconds) + QLatin1Char(',') + formatNumber(m.learningRate) +
            QLatin1Char(',') + toQString(phaseName(m.phase)) + QLatin1Char(',') +
            formatNumber(m.alpha) + QLatin1Char(',') + formatNumber(m.beta) + QLatin1Char('\n');
        out += line.toLatin1();
    }
    return out;
}

namespace {
// A network output as the network computed it: a float32 network's as a float.
QString outputText(double v, Precision precision) {
    return precision == Precision::Float64 ? formatNumber(v) : formatNumber(float(v));
}
} // namespace

QByteArray predictionsCsv(const Predictions& p, Precision precision, bool measured) {
    QByteArray out = "x,f,f_hat,fprime,fprime_hat\n";
    auto output = [precision](double v) { return outputText(v, precision); };
    // x is a float. A target's true values are doubles; measured ones were read into floats,
    // and written as those they read back as the file's own text ("0.126").
    auto truth = [measured](double v) {
        return measured ? formatNumber(float(v)) : formatNumber(v);
    };
    for (std::size_t i = 0; i < p.x.size(); ++i) {
        const QString line = formatNumber(float(p.x[i])) + QLatin1Char(',') + truth(p.f[i]) +
                             QLatin1Char(',') + output(p.fHat[i]) + QLatin1Char(',') +
                             truth(p.fprime[i]) + QLatin1Char(',') + output(p.fprimeHat[i]) +
                             QLatin1Char('\n');
        out += line.toLatin1();
    }
    return out;
}

QByteArray curveCsv(const Predictions& p, Precision precision) {
    QByteArray out = "x,f_hat,fprime_hat\n";
    for (std::size_t i = 0; i < p.curveX.size(); ++i) {
        const QString line = formatNumber(float(p.curveX[i])) + QLatin1Char(',') +
                             outputText(p.curveFHat[i], precision) + QLatin1Char(',') +
                             outputText(p.curveFprimeHat[i], precision) + QLatin1Char('\n');
        out += line.toLatin1();
    }
    return out;
}

namespace {

// A metric in metrics.json. JSON has neither NaN nor infinity: NaN is null (jsonNumber), and
// an infinity, which a diverged run's errors can be, is the string "inf" or "-inf" so that it
// does not read back as NaN.
QJsonValue metricNumber(double value) {
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return jsonNumber(value);
}

} // namespace

namespace {

// The test-grid errors that the final network, the best epoch and every baseline share.
template <class Errors> void insertErrors(QJsonObject& o, const Errors& e) {
    o.insert(QStringLiteral("mse_f"), metricNumber(e.mseF));
    o.insert(QStringLiteral("mse_fprime"), metricNumber(e.mseFprime));
    o.insert(QStringLiteral("max_err_f"), metricNumber(e.maxErrF));
    o.insert(QStringLiteral("max_err_fprime"), metricNumber(e.maxErrFprime));
    o.insert(QStringLiteral("x_max_err_f"), metricNumber(e.xMaxErrF));
    o.insert(QStringLiteral("x_max_err_fprime"), metricNumber(e.xMaxErrFprime));
    o.insert(QStringLiteral("rel_l2_f"), metricNumber(e.relL2F));
    o.insert(QStringLiteral("rel_l2_fprime"), metricNumber(e.relL2Fprime));
    o.insert(QStringLiteral("h1_error"), metricNumber(e.h1())); // derived; not read back
}

} // namespace

QJsonObject metricsToJson(const FitReport& r, const std::vector<BaselineResult>& baselines) {
    QJsonObject o;
    // Where the errors were measured: the known target's test grid, or measured data's
    // validation (or, without a split, training) rows.
    o.insert(QStringLiteral("metrics_on"), toQString(metricsSetName(r.metricsOn)));
    insertErrors(o, r);
    o.insert(QStringLiteral("epochs_run"), r.epochsRun);
    o.insert(QStringLiteral("train_seconds"), metricNumber(r.trainSeconds));
    o.insert(QStringLiteral("stop_reason"), toQString(stopReasonName(r.stopReason)));
    o.insert(QStringLiteral("stop_message"), QString::fromStdString(r.stopMessage));
    o.insert(QStringLiteral("precision"), toQString(precisionName(r.precision)));
    // The epoch with the lowest validation loss, and its test-grid errors.
    QJsonObject best;
    best.insert(QStringLiteral("epoch"), r.best.epoch);
    best.insert(QStringLiteral("val_loss"), metricNumber(r.best.valLoss));
    insertErrors(best, r.best);
    o.insert(QStringLiteral("best"), best);
    // The classical fits asked for (--baselines), each on the same test grid; none: no key.
    if (!baselines.empty()) {
        QJsonArray list;
        for (const BaselineResult& b : baselines) {
            QJsonObject entry;
            entry.insert(QStringLiteral("kind"), toQString(baselineKey(b.spec.kind)));
            entry.insert(QStringLiteral("n"), b.spec.n);
            entry.insert(QStringLiteral("label"), QString::fromStdString(baselineLabel(b.spec)));
            if (b.fitted)
                insertErrors(entry, b.errors);
            else
                entry.insert(QStringLiteral("omitted"), QString::fromStdString(b.omitted));
            list.append(entry);
        }
        o.insert(QStringLiteral("baselines"), list);
    }
    return o;
}

bool writeRunFolder(const QString& dir, const RunRecord& run, QString* error,
                    const std::vector<BaselineResult>& baselines) {
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("%1: cannot create the folder").arg(dir);
        return false;
    }
    const QDir d(dir);
    auto json = [](const QJsonObject& o) {
        return QJsonDocument(o).toJson(QJsonDocument::Indented);
    };
    // Only measured data's predictions have a dense curve; a folder written over keeps no
    // stale one.
    const QString curve = d.filePath(curveFileName);
    if (run.predictions.curveX.empty())
        QFile::remove(curve);
    else if (!writeFileAtomically(curve, curveCsv(run.predictions, run.report.precision), error))
        return false;
    const QString snapshots = d.filePath(QLatin1String(snapshotFileName));
    if (run.snapshots.empty())
        QFile::remove(snapshots);
    else if (!writeSnapshotFile(snapshots, run.snapshots, error))
        return false;
    return writeFileAtomically(d.filePath(QStringLiteral("config.json")),
                               json(configToJson(run.config)), error) &&
           writeFileAtomically(d.filePath(QStringLiteral("history.csv")), historyCsv(run.history),
                               error) &&
           writeFileAtomically(
               d.filePath(QStringLiteral("predictions.csv")),
               predictionsCsv(run.predictions, run.report.precision, !run.config.data.empty()),
               error) &&
           writeFileAtomically(d.filePath(QStringLiteral("metrics.json")),
                               json(metricsToJson(run.report, baselines)), error);
}

namespace {

constexpr qint64 maxRunFileBytes = qint64(1) << 30; // a 1,000,000-epoch history is ~150 MB
// metrics.json is a few kB (its baselines are at most one of each kind), as config.json, which
// readConfigFile bounds the same way; a larger one is not a run's.
constexpr qint64 maxMetricsBytes = qint64(1) << 20;
// The most rows the knobs' limits make: an epoch a row and an L-BFGS iteration a row in
// history.csv; a grid point or a measured row a row in predictions.csv.
constexpr std::size_t maxHistoryRows = limits::maxEpochs + limits::maxLbfgsIterations;
constexpr std::size_t maxPredictionRows = std::max(limits::maxGridPoints, limits::maxSamples);

// A cell of a float column (x and the network's outputs in predictions.csv). Rounding the text
// to a double and then to a float is not always the float it was written from: float
// 0x15ae43fd is written "7.038531e-26" and would read back as its neighbour 0x15ae43fe. So the
// text is rounded to a float once; what counts as a number stays QByteArray::toDouble's choice.
double toFloatValue(QByteArrayView cell, bool* ok) {
    const double d = cell.toDouble(ok);
    if (!*ok || !std::isfinite(d))
        return float(d);
    const char* begin = cell.data();
    const char* end = begin + cell.size();
    if (begin != end && *begin == '+') // toDouble takes a plus sign, from_chars does not
        ++begin;
    float f = 0;
    const auto [stop, error] = std::from_chars(begin, end, f);
    return error == std::errc() && stop == end ? f : float(d);
}

// A column of words, read as the index of the word in `words`.
struct WordColumn {
    int column = -1;
    QList<QByteArray> words;
};

// The rows of a table of numbers, row after row.
struct NumberTable {
    int columns = 0;
    std::vector<double> values;
    std::size_t rows() const { return columns ? values.size() / std::size_t(columns) : 0; }
    const double* row(std::size_t i) const { return values.data() + i * std::size_t(columns); }
};

// Reads one line's cells into `row`, or returns the problem. A line is looked at in place,
// never split into copies, and its commas are counted before anything is read, so that a
// line of a hundred million commas costs no memory.
QString readNumberRow(QByteArrayView line, unsigned floatColumns, const WordColumn& wordColumn,
                      int columns, double* row) {
    if (line.count(',') != columns - 1)
        return QStringLiteral("expected %1 values; got %2").arg(columns).arg(line.count(',') + 1);
    qsizetype start = 0;
    for (int c = 0; c < columns; ++c) {
        const qsizetype comma = c + 1 < columns ? line.indexOf(',', start) : line.size();
        const QByteArrayView cell = line.sliced(start, comma - start).trimmed();
        start = comma + 1;
        if (c == wordColumn.column) {
            row[c] = double(wordColumn.words.indexOf(cell));
            if (row[c] < 0)
                return QStringLiteral("\"%1\" is not one of %2")
                    .arg(QString::fromUtf8(cell.first(std::min<qsizetype>(cell.size(), 40))),
                         QString::fromLatin1(wordColumn.words.join(", ")));
            continue;
        }
        bool ok = cell == "nan";
        if (ok)
            row[c] = std::nan("");
        else
            row[c] = floatColumns & (1u << c) ? toFloatValue(cell, &ok) : cell.toDouble(&ok);
        if (!ok)
            return QStringLiteral("\"%1\" is not a number")
                .arg(QString::fromUtf8(cell.first(std::min<qsizetype>(cell.size(), 40))));
    }
    return {};
}

// Reads CSV text into rows of numbers after checking the header; NaN is "nan". Columns set
// in `floatColumns` (bit c for column c) hold floats. More than `maxRows` rows are refused
// (a run file holds at most what the knobs' limits make), `rowsAre` naming what they are.
QStringList parseNumberTable(QByteArrayView csv, const QString& source, const QByteArray& header,
                             unsigned floatColumns, NumberTable* table, std::size_t maxRows,
                             const QString& rowsAre, const WordColumn& wordColumn = {}) {
    const qsizetype firstEnd = csv.indexOf('\n');
    const QByteArrayView first = csv.first(firstEnd < 0 ? csv.size() : firstEnd);
    if (first.trimmed() != header)
        return {QStringLiteral("%1: line 1: expected the header \"%2\"; got \"%3\"")
                    .arg(source, QString::fromLatin1(header),
                         QString::fromUtf8(
                             first.first(std::min<qsizetype>(first.size(), 200)).trimmed()))};
    table->columns = int(header.count(',')) + 1;
    table->values.clear();
    qsizetype start = firstEnd < 0 ? csv.size() : firstEnd + 1;
    for (qsizetype lineNo = 2; start < csv.size(); ++lineNo) {
        qsizetype end = csv.indexOf('\n', start);
        if (end < 0)
            end = csv.size();
        const QByteArrayView line = csv.sliced(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        if (table->rows() == maxRows)
            return {QStringLiteral("%1: line %2: more than %3 rows; %4")
                        .arg(source)
                        .arg(lineNo)
                        .arg(maxRows)
                        .arg(rowsAre)};
        table->values.resize(table->values.size() + std::size_t(table->columns));
        double* row = table->values.data() + table->values.size() - std::size_t(table->columns);
        const QString problem = readNumberRow(line, floatColumns, wordColumn, table->columns, row);
        if (!problem.isEmpty()) {
            table->values.resize(table->values.size() - std::size_t(table->columns));
            return {QStringLiteral("%1: line %2: %3").arg(source).arg(lineNo).arg(problem)};
        }
    }
    return {};
}

// Reads a run file of at most `limit` bytes (1 MiB, or 1 GiB for the CSV files).
QByteArray readSmallFile(const QString& path, QStringList* errors, qint64 limit) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errors << QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        return {};
    }
    bool tooLarge = false;
    QByteArray content = readBounded(file, limit, &tooLarge);
    if (tooLarge) {
        *errors << QStringLiteral("%1: is larger than %2; not a run file")
                       .arg(path, limit >= maxRunFileBytes ? QStringLiteral("1 GiB")
                                                           : QStringLiteral("1 MiB"));
        return {};
    }
    return content;
}

} // namespace

QStringList parseHistoryCsv(const QByteArray& csv, const QString& source,
                            std::vector<EpochMetrics>* out) {
    NumberTable rows;
    const QByteArrayView all(csv);
    const qsizetype firstEnd = all.indexOf('\n');
    const QByteArrayView header = all.first(firstEnd < 0 ? all.size() : firstEnd).trimmed();
    const bool withOptimiser = header != historyHeaderWithoutOptimiser;
    const bool withWeights = withOptimiser && header != historyHeaderWithoutWeights;
    const WordColumn phases{9, {"adam", "lbfgs"}};
    const QString rowsAre = QStringLiteral("a run has at most %1 Adam epochs and %2 L-BFGS "
                                           "iterations")
                                .arg(limits::maxEpochs)
                                .arg(limits::maxLbfgsIterations);
    const char* expected = withWeights     ? historyHeader
                           : withOptimiser ? historyHeaderWithoutWeights
                                           : historyHeaderWithoutOptimiser;
    QStringList errors =
        withOptimiser
            ? parseNumberTable(all, source, expected, 0, &rows, maxHistoryRows, rowsAre, phases)
            : parseNumberTable(all, source, expected, 0, &rows, maxHistoryRows, rowsAre);
    out->clear();
    out->reserve(errors.isEmpty() ? rows.rows() : 0);
    for (std::size_t i = 0; i < rows.rows() && errors.isEmpty(); ++i) {
        const double* r = rows.row(i);
        if (r[0] != double(i + 1)) {
            errors << QStringLiteral("%1: line %2: epoch should be %3; got %4")
                          .arg(source)
                          .arg(i + 2)
                          .arg(i + 1)
                          .arg(r[0]);
            break;
        }
        const double nan = std::nan("");
        out->push_back({int(i + 1), r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                        withOptimiser ? r[8] : nan,
                        withOptimiser && r[9] == 1 ? Phase::Lbfgs : Phase::Adam,
                        withWeights ? r[10] : nan, withWeights ? r[11] : nan});
    }
    return errors;
}

QStringList parsePredictionsCsv(const QByteArray& csv, const QString& source, Predictions* out,
                                Precision precision, bool measured) {
    NumberTable rows;
    // x, the outputs of a float32 network and measured f and f' were written as floats (see
    // predictionsCsv).
    const unsigned floatColumns = 1u << 0 |
                                  (precision == Precision::Float32 ? (1u << 2 | 1u << 4) : 0u) |
                                  (measured ? (1u << 1 | 1u << 3) : 0u);
    const QString rowsAre =
        QStringLiteral("a run predicts at most %1 grid points or %2 measured rows")
            .arg(limits::maxGridPoints)
            .arg(limits::maxSamples);
    QStringList errors = parseNumberTable(csv, source, "x,f,f_hat,fprime,fprime_hat", floatColumns,
                                          &rows, maxPredictionRows, rowsAre);
    *out = {};
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        const double* r = rows.row(i);
        out->x.push_back(float(r[0]));
        out->f.push_back(r[1]);
        out->fHat.push_back(r[2]);
        out->fprime.push_back(r[3]);
        out->fprimeHat.push_back(r[4]);
    }
    return errors;
}

QStringList parseCurveCsv(const QByteArray& csv, const QString& source, Predictions* out,
                          Precision precision) {
    NumberTable rows;
    // x, and a float32 network's outputs, were written as floats (see curveCsv).
    const unsigned floatColumns =
        1u << 0 | (precision == Precision::Float32 ? (1u << 1 | 1u << 2) : 0u);
    const QString rowsAre =
        QStringLiteral("a curve has at most %1 points").arg(limits::maxGridPoints);
    QStringList errors = parseNumberTable(csv, source, "x,f_hat,fprime_hat", floatColumns, &rows,
                                          limits::maxGridPoints, rowsAre);
    out->curveX.clear();
    out->curveFHat.clear();
    out->curveFprimeHat.clear();
    for (std::size_t i = 0; i < rows.rows() && errors.isEmpty(); ++i) {
        const double* r = rows.row(i);
        out->curveX.push_back(float(r[0]));
        out->curveFHat.push_back(r[1]);
        out->curveFprimeHat.push_back(r[2]);
    }
    return errors;
}

namespace {

// Whether an errors object of metrics.json has f' errors: null for MSE f' beside a number for
// MSE f is how errors without f' (hasFprime false) are written. A diverged network's NaN
// errors are null for f too.
bool fprimeWritten(const QJsonObject& o) {
    return !(o.value(QLatin1String("mse_fprime")).isNull() &&
             o.value(QLatin1String("mse_f")).isDouble());
}

// Marks every f' error of `e` as not available.
template <class Errors> void forgetFprimeErrors(Errors& e) {
    const double unknown = std::nan("");
    e.mseFprime = e.maxErrFprime = e.relL2Fprime = e.xMaxErrFprime = unknown;
    e.hasFprime = false;
}

} // namespace

QStringList parseMetricsJson(const QByteArray& json, const QString& source, FitReport* out) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {QStringLiteral("%1: not valid JSON at byte %2: %3")
                    .arg(source)
                    .arg(parseError.offset)
                    .arg(parseError.errorString())};
    if (!doc.isObject())
        return {QStringLiteral("%1: must hold a JSON object").arg(source)};
    const QJsonObject o = doc.object();
    QStringList errors;
    auto numberIn = [&](const QJsonObject& o, const char* key, double& value) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isNull())
            value = std::nan(""); // how a NaN metric is written
        else if (v.isDouble())
            value = v.toDouble();
        else if (v == QJsonValue(QStringLiteral("inf"))) // see metricNumber
            value = std::numeric_limits<double>::infinity();
        else if (v == QJsonValue(QStringLiteral("-inf")))
            value = -std::numeric_limits<double>::infinity();
        else
            errors << QStringLiteral(
                          "%1: \"%2\" must be a number, null, \"inf\" or \"-inf\"; got %3")
                          .arg(source, QLatin1String(key),
                               v.isUndefined() ? QStringLiteral("nothing") : jsonTypeName(v));
    };
    auto number = [&](const char* key, double& value) { numberIn(o, key, value); };
    const QJsonValue on = o.value(QLatin1String("metrics_on"));
    if (!on.isUndefined()) { // absent in runs written before measured data: the test grid
        if (const auto set = metricsSetFromName(on.toString().toStdString()); on.isString() && set)
            out->metricsOn = *set;
        else
            errors << QStringLiteral("%1: \"metrics_on\" must be test_grid, validation_data or "
                                     "training_data; got %2")
                          .arg(source, on.isString()
                                           ? QLatin1Char('"') + on.toString() + QLatin1Char('"')
                                           : jsonTypeName(on));
    }
    // The measures added in version 0.5: absent from older files, then NaN.
    auto newerErrorsIn = [&](const QJsonObject& o, auto& e) {
        for (auto [key, value] :
             {std::pair{"x_max_err_f", &e.xMaxErrF},
              std::pair{"x_max_err_fprime", &e.xMaxErrFprime}, std::pair{"rel_l2_f", &e.relL2F},
              std::pair{"rel_l2_fprime", &e.relL2Fprime}}) {
            if (o.contains(QLatin1String(key)))
                numberIn(o, key, *value);
            else
                *value = std::nan("");
        }
    };
    number("mse_f", out->mseF);
    number("mse_fprime", out->mseFprime);
    out->hasFprime = fprimeWritten(o);
    number("max_err_f", out->maxErrF);
    number("max_err_fprime", out->maxErrFprime);
    newerErrorsIn(o, *out);
    double epochs = 0;
    number("epochs_run", epochs);
    if (!(epochs >= 0 && epochs <= maxHistoryRows && epochs == std::floor(epochs)))
        errors << QStringLiteral("%1: \"epochs_run\" must be an integer from 0 to %2")
                      .arg(source)
                      .arg(maxHistoryRows);
    out->epochsRun = errors.isEmpty() ? int(epochs) : 0;
    number("train_seconds", out->trainSeconds);
    const QString reason = o.value(QLatin1String("stop_reason")).toString();
    out->stopReason = StopReason::None;
    for (StopReason r : {StopReason::Completed, StopReason::Stopped, StopReason::Diverged})
        if (reason == QLatin1String(stopReasonName(r).data()))
            out->stopReason = r;
    if (out->stopReason == StopReason::None)
        errors << QStringLiteral(
                      "%1: \"stop_reason\" must be completed, stopped or diverged; got \"%2\"")
                      .arg(source, reason);
    out->stopMessage = o.value(QLatin1String("stop_message")).toString().toStdString();
    const QJsonValue precision = o.value(QLatin1String("precision"));
    const auto parsedPrecision = precisionFromName(precision.toString().toStdString());
    if (precision.isUndefined()) // written before version 0.4
        out->precision = Precision::Float32;
    else if (parsedPrecision)
        out->precision = *parsedPrecision;
    else
        errors << QStringLiteral("%1: \"precision\" must be float32 or float64").arg(source);
    // Runs written before version 0.4 have no "best".
    out->best = {};
    const QJsonValue best = o.value(QLatin1String("best"));
    if (best.isObject()) {
        const QJsonObject b = best.toObject();
        double epoch = 0;
        numberIn(b, "epoch", epoch);
        if (!(epoch >= 0 && epoch <= out->epochsRun && epoch == std::floor(epoch)))
            errors << QStringLiteral("%1: \"best\": \"epoch\" must be an integer from 0 to "
                                     "epochs_run")
                          .arg(source);
        else
            out->best.epoch = int(epoch);
        numberIn(b, "val_loss", out->best.valLoss);
        numberIn(b, "mse_f", out->best.mseF);
        numberIn(b, "mse_fprime", out->best.mseFprime);
        out->best.hasFprime = fprimeWritten(b);
        numberIn(b, "max_err_f", out->best.maxErrF);
        numberIn(b, "max_err_fprime", out->best.maxErrFprime);
        newerErrorsIn(b, out->best);
    } else if (!best.isUndefined()) {
        errors << QStringLiteral("%1: \"best\" must be an object; got %2")
                      .arg(source, jsonTypeName(best));
    }
    return errors;
}

RunReadResult readRunFolder(const QString& dir) {
    RunReadResult r;
    const QDir d(dir);
    if (!d.exists())
        return {{}, {QStringLiteral("%1: no such folder").arg(dir)}};
    // A run on measured data opens even when its data file has moved or changed since.
    const ConfigReadResult config =
        readExperimentFile(d.filePath(QStringLiteral("config.json")), DataFile::IfReadable);
    r.errors << config.errors;
    r.run.config = config.config;
    const QString history = d.filePath(QStringLiteral("history.csv"));
    const QString predictions = d.filePath(QStringLiteral("predictions.csv"));
    const QString metrics = d.filePath(QStringLiteral("metrics.json"));
    QStringList readErrors;
    const QByteArray historyText = readSmallFile(history, &readErrors, maxRunFileBytes);
    const QByteArray predictionsText = readSmallFile(predictions, &readErrors, maxRunFileBytes);
    const QByteArray metricsText = readSmallFile(metrics, &readErrors, maxMetricsBytes);
    r.errors << readErrors;
    if (!readErrors.isEmpty())
        return r;
    r.errors << parseHistoryCsv(historyText, history, &r.run.history);
    r.errors << parseMetricsJson(metricsText, metrics, &r.run.report);
    r.errors << parsePredictionsCsv(predictionsText, predictions, &r.run.predictions,
                                    r.run.report.precision, !r.run.config.data.empty());
    // Measured data's dense curve: absent from runs on a target and from runs written before
    // it existed, which draw the network at the data's rows instead.
    const QString curve = d.filePath(curveFileName);
    if (r.errors.isEmpty() && QFile::exists(curve)) {
        const QByteArray curveText = readSmallFile(curve, &r.errors, maxRunFileBytes);
        if (r.errors.isEmpty())
            r.errors << parseCurveCsv(curveText, curve, &r.run.predictions, r.run.report.precision);
    }
    // Absent with snapshots = 0 and from runs written before snapshots existed.
    const QString snapshots = d.filePath(QLatin1String(snapshotFileName));
    if (r.errors.isEmpty() && QFile::exists(snapshots))
        if (const QString bad = readSnapshotFile(snapshots, &r.run.snapshots); !bad.isEmpty())
            r.errors << bad;
    const FitReport& report = r.run.report;
    if (r.errors.isEmpty() && std::isnan(report.xMaxErrF) && std::isnan(report.relL2F) &&
        !r.run.predictions.x.empty()) {
        // Written before the relative errors and the x of the maxima existed: computed from
        // the predictions, which hold every number they need.
        const FitReport fromPredictions = compareOnGrid(r.run.predictions);
        r.run.report.xMaxErrF = fromPredictions.xMaxErrF;
        r.run.report.xMaxErrFprime = fromPredictions.xMaxErrFprime;
        r.run.report.relL2F = fromPredictions.relL2F;
        r.run.report.relL2Fprime = fromPredictions.relL2Fprime;
    }
    const std::vector<double>& fprime = r.run.predictions.fprime;
    if (r.errors.isEmpty() && !fprime.empty() &&
        std::all_of(fprime.begin(), fprime.end(), [](double v) { return std::isnan(v); })) {
        // Measured data without f', written when their f' errors were still 0: not available.
        forgetFprimeErrors(r.run.report);
        forgetFprimeErrors(r.run.report.best);
    }
    if (r.errors.isEmpty() && int(r.run.history.size()) != r.run.report.epochsRun)
        r.errors << QStringLiteral("%1: epochs_run is %2 but history.csv has %3 epochs")
                        .arg(metrics)
                        .arg(r.run.report.epochsRun)
                        .arg(r.run.history.size());
    return r;
}

} // namespace sobolev
