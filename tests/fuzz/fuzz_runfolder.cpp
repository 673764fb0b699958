// libFuzzer target: the run-folder readers. The input is history.csv, predictions.csv and
// metrics.json separated by NUL bytes.
#include "runfolder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QList<QByteArray> parts = QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\0');
    std::vector<sobolev::EpochMetrics> history;
    sobolev::Predictions predictions;
    sobolev::FitReport report;
    sobolev::parseHistoryCsv(parts.value(0), QStringLiteral("history.csv"), &history);
    sobolev::parsePredictionsCsv(parts.value(1), QStringLiteral("predictions.csv"), &predictions);
    sobolev::parseMetricsJson(parts.value(2), QStringLiteral("metrics.json"), &report);
    return 0;
}
