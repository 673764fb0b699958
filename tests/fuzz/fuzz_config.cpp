// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the config JSON reader (experiment files, --config, run folders).
// Besides crashes it checks the round trip: a config that reads without errors, written as
// JSON text (as experiment files and run folders hold it) and read again, is the same config,
// bit for bit, and passes or fails the range check with the same messages.
#include "configjson.h"
#include "fuzzcheck.h"

#include <QJsonDocument>

namespace {

void checkSameConfig(const sobolev::TrainConfig& a, const sobolev::TrainConfig& b) {
    FUZZ_CHECK_SAME_DOUBLE("alpha", a.alpha, b.alpha);
    FUZZ_CHECK_SAME_DOUBLE("beta", a.beta, b.beta);
    FUZZ_CHECK_SAME_DOUBLE("learning_rate", a.learningRate, b.learningRate);
    FUZZ_CHECK(a == b);
}

// Every key differs from the defaults, so that a key the JSON lacks would show.
sobolev::TrainConfig otherBase() {
    sobolev::TrainConfig c;
    c.width = 3;
    c.depth = 5;
    c.activation = sobolev::Activation::Sin;
    c.alpha = 0.25;
    c.beta = 7;
    c.learningRate = 0.5;
    c.seed = 99;
    c.target = "sine";
    c.targetParam = 3;
    c.domainMin = 0;
    c.domainMax = 2;
    c.sampling = sobolev::Sampling::Chebyshev;
    c.noiseF = 0.125;
    c.noiseFprime = 0.25;
    c.epochs = 11;
    c.batchSize = 13;
    c.nTrain = 17;
    c.nVal = 19;
    c.gridPoints = 23;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sobolev;
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        return 0;
    const QJsonObject json = doc.object();
    const ConfigReadResult checked = configFromJson(json, {}, RangeCheck::Check);
    const ConfigReadResult read = configFromJson(json, {}, RangeCheck::Skip);
    missingConfigKeys(json);
    // The range check only adds errors.
    FUZZ_CHECK(read.errors.isEmpty() || checked.errors == read.errors);
    if (!read.errors.isEmpty())
        return 0;
    if (checked.errors.isEmpty())
        checkSameConfig(checked.config, read.config);

    for (const auto format : {QJsonDocument::Indented, QJsonDocument::Compact}) {
        const QByteArray text = QJsonDocument(configToJson(read.config)).toJson(format);
        QJsonParseError parseError;
        const QJsonDocument back = QJsonDocument::fromJson(text, &parseError);
        FUZZ_CHECK(parseError.error == QJsonParseError::NoError && back.isObject());
        FUZZ_CHECK(missingConfigKeys(back.object()).isEmpty());
        const ConfigReadResult again = configFromJson(back.object(), otherBase(), RangeCheck::Skip);
        FUZZ_CHECK(again.errors.isEmpty());
        checkSameConfig(read.config, again.config);
        FUZZ_CHECK(configFromJson(back.object(), {}, RangeCheck::Check).errors == checked.errors);
    }
    return 0;
}
