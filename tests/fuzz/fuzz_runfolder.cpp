// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the run-folder readers and writers. Every input is used twice:
//  1. as history.csv, predictions.csv and metrics.json separated by NUL bytes: each file that
//     reads without errors is written again and read back, and must give the same values;
//  2. as raw bytes that make up a run record (a few epochs, grid points and the metrics, any
//     bit pattern for a double, a float where the network gives one), which is written and
//     read back and must be the same;
//  3. as snapshots.bin: a series that reads is written again, and must give the same bytes.
// "The same" is bit for bit, except that every NaN equals every NaN (the files have one
// "nan"), and that metrics.json, being JSON as Qt writes it, has no negative zero.
#include "fuzzcheck.h"
#include "runfolder.h"
#include "snapshotfile.h"

#include <QJsonDocument>

#include <algorithm>
#include <cstring>

namespace {

using namespace sobolev;

void checkSameHistory(const std::vector<EpochMetrics>& a, const std::vector<EpochMetrics>& b) {
    FUZZ_CHECK(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        FUZZ_CHECK(a[i].epoch == b[i].epoch);
        FUZZ_CHECK_SAME_DOUBLE("history loss", a[i].loss, b[i].loss);
        FUZZ_CHECK_SAME_DOUBLE("history mse_f", a[i].mseF, b[i].mseF);
        FUZZ_CHECK_SAME_DOUBLE("history mse_fprime", a[i].mseFprime, b[i].mseFprime);
        FUZZ_CHECK_SAME_DOUBLE("history val_loss", a[i].valLoss, b[i].valLoss);
        FUZZ_CHECK_SAME_DOUBLE("history val_mse_f", a[i].valMseF, b[i].valMseF);
        FUZZ_CHECK_SAME_DOUBLE("history val_mse_fprime", a[i].valMseFprime, b[i].valMseFprime);
        FUZZ_CHECK_SAME_DOUBLE("history seconds", a[i].seconds, b[i].seconds);
    }
}

void checkSameColumn(const char* what, const std::vector<double>& a, const std::vector<double>& b) {
    FUZZ_CHECK(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        FUZZ_CHECK_SAME_DOUBLE(what, a[i], b[i]);
}

void checkSamePredictions(const Predictions& a, const Predictions& b) {
    checkSameColumn("predictions x", a.x, b.x);
    checkSameColumn("predictions f", a.f, b.f);
    checkSameColumn("predictions f_hat", a.fHat, b.fHat);
    checkSameColumn("predictions fprime", a.fprime, b.fprime);
    checkSameColumn("predictions fprime_hat", a.fprimeHat, b.fprimeHat);
}

void checkSameMetric(const char* what, double written, double read) {
    if (written == 0 && read == 0)
        return; // 0 and -0: JSON as Qt writes and reads it has no negative zero
    FUZZ_CHECK_SAME_DOUBLE(what, written, read);
}

void checkSameReport(const FitReport& a, const FitReport& b) {
    checkSameMetric("metrics mse_f", a.mseF, b.mseF);
    checkSameMetric("metrics mse_fprime", a.mseFprime, b.mseFprime);
    checkSameMetric("metrics max_err_f", a.maxErrF, b.maxErrF);
    checkSameMetric("metrics max_err_fprime", a.maxErrFprime, b.maxErrFprime);
    checkSameMetric("metrics train_seconds", a.trainSeconds, b.trainSeconds);
    FUZZ_CHECK(a.epochsRun == b.epochsRun);
    FUZZ_CHECK(a.stopReason == b.stopReason);
    FUZZ_CHECK(a.stopMessage == b.stopMessage);
}

// Writes and reads back as writeRunFolder and readRunFolder do, and compares.
void checkRoundTrip(const std::vector<EpochMetrics>* history, const Predictions* predictions,
                    const FitReport* report) {
    if (history) {
        std::vector<EpochMetrics> back;
        FUZZ_CHECK(
            parseHistoryCsv(historyCsv(*history), QStringLiteral("history.csv"), &back).isEmpty());
        checkSameHistory(*history, back);
    }
    if (predictions) {
        Predictions back;
        FUZZ_CHECK(parsePredictionsCsv(predictionsCsv(*predictions),
                                       QStringLiteral("predictions.csv"), &back)
                       .isEmpty());
        checkSamePredictions(*predictions, back);
    }
    if (report) {
        FitReport back;
        const QByteArray json =
            QJsonDocument(metricsToJson(*report)).toJson(QJsonDocument::Indented);
        FUZZ_CHECK(parseMetricsJson(json, QStringLiteral("metrics.json"), &back).isEmpty());
        checkSameReport(*report, back);
    }
}

// Takes values off the front of the input; zeros once it runs out.
class Bytes {
  public:
    Bytes(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}
    template <typename T> T take() {
        T value{};
        const size_t n = std::min(sizeof value, m_size);
        if (n > 0) // memcpy from a null pointer is undefined even for no bytes
            std::memcpy(&value, m_data, n);
        m_data += n;
        m_size -= n;
        return value;
    }
    std::string rest() {
        std::string s(reinterpret_cast<const char*>(m_data), m_size);
        m_size = 0;
        return s;
    }

  private:
    const uint8_t* m_data;
    size_t m_size;
};

// A run record from raw bytes: up to 7 epochs and 7 grid points, then the metrics; the stop
// message is the rest, as UTF-8 text (what a QString gives).
void checkRecordFromBytes(const uint8_t* data, size_t size) {
    Bytes in(data, size);
    const int epochs = in.take<uint8_t>() % 8;
    const int points = in.take<uint8_t>() % 8;
    std::vector<EpochMetrics> history;
    for (int i = 0; i < epochs; ++i) {
        EpochMetrics m;
        m.epoch = i + 1;
        for (double* v :
             {&m.loss, &m.mseF, &m.mseFprime, &m.valLoss, &m.valMseF, &m.valMseFprime, &m.seconds})
            *v = in.take<double>();
        history.push_back(m);
    }
    Predictions predictions;
    for (int i = 0; i < points; ++i) {
        // x and the network's outputs are floats, the true values doubles (see Predictions).
        predictions.x.push_back(in.take<float>());
        predictions.f.push_back(in.take<double>());
        predictions.fHat.push_back(in.take<float>());
        predictions.fprime.push_back(in.take<double>());
        predictions.fprimeHat.push_back(in.take<float>());
    }
    FitReport report;
    for (double* v : {&report.mseF, &report.mseFprime, &report.maxErrF, &report.maxErrFprime,
                      &report.trainSeconds})
        *v = in.take<double>();
    report.epochsRun = int(in.take<uint32_t>() % uint32_t(limits::maxEpochs + 1));
    const StopReason reasons[] = {StopReason::Completed, StopReason::Stopped, StopReason::Diverged};
    report.stopReason = reasons[in.take<uint8_t>() % 3];
    report.stopMessage = QString::fromStdString(in.rest()).toStdString();
    checkRoundTrip(&history, &predictions, &report);
}

void checkSnapshotFile(const QByteArray& bytes) {
    SnapshotSeries series;
    if (!parseSnapshotBytes(bytes, QStringLiteral("snapshots.bin"), &series).isEmpty())
        return;
    const QByteArray plain = snapshotBytes(series, false);
    SnapshotSeries back;
    FUZZ_CHECK(parseSnapshotBytes(plain, QStringLiteral("snapshots.bin"), &back).isEmpty());
    FUZZ_CHECK(snapshotBytes(back, false) == plain);
    FUZZ_CHECK(bytes[12] != 0 || plain == bytes); // an uncompressed file is written as read
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QList<QByteArray> parts =
        QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\0');
    std::vector<EpochMetrics> history;
    Predictions predictions;
    FitReport report;
    const bool historyOk =
        parseHistoryCsv(parts.value(0), QStringLiteral("history.csv"), &history).isEmpty();
    const bool predictionsOk =
        parsePredictionsCsv(parts.value(1), QStringLiteral("predictions.csv"), &predictions)
            .isEmpty();
    const bool reportOk =
        parseMetricsJson(parts.value(2), QStringLiteral("metrics.json"), &report).isEmpty();
    checkRoundTrip(historyOk ? &history : nullptr, predictionsOk ? &predictions : nullptr,
                   reportOk ? &report : nullptr);
    checkRecordFromBytes(data, size);
    checkSnapshotFile(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    return 0;
}
