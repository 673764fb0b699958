// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the command-line parser. The input is the arguments separated by NUL bytes.
// Besides crashes it checks that a command line without errors gives a valid config, that
// config survives the trip through JSON (a run folder's config.json), at most two sweeps, a
// shard inside its count, and a merge with folders to merge and an --out.
#include "commandline.h"
#include "configjson.h"
#include "core/problem/validate.h"
#include "fuzzcheck.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sobolev;
    QStringList arguments{QStringLiteral("sobolev-workbench")};
    const QList<QByteArray> parts =
        QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\0');
    for (const QByteArray& part : parts.mid(0, 64))
        arguments << QString::fromUtf8(part);
    const CommandLine cl = parseCommandLine(arguments);
    if (!cl.errors.isEmpty())
        return 0;
    FUZZ_CHECK(validate(cl.config).empty());
    FUZZ_CHECK(cl.sweeps.size() <= 2);
    FUZZ_CHECK(!cl.shard || (cl.shard->index >= 1 && cl.shard->index <= cl.shard->count));
    FUZZ_CHECK(!cl.merge || (!cl.mergeDirs.isEmpty() && !cl.outDir.isEmpty()));
    const QByteArray text = QJsonDocument(configToJson(cl.config)).toJson();
    const ConfigReadResult back = configFromJson(QJsonDocument::fromJson(text).object());
    FUZZ_CHECK(back.errors.isEmpty());
    FUZZ_CHECK_SAME_DOUBLE("alpha", cl.config.alpha, back.config.alpha);
    FUZZ_CHECK_SAME_DOUBLE("beta", cl.config.beta, back.config.beta);
    FUZZ_CHECK_SAME_DOUBLE("learning_rate", cl.config.learningRate, back.config.learningRate);
    FUZZ_CHECK(cl.config == back.config);
    return 0;
}
