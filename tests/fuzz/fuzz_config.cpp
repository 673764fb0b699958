// libFuzzer target: the config JSON reader (experiment files, --config, run folders).
#include "configjson.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject()) {
        const QJsonObject json = doc.object();
        sobolev::configFromJson(json, {}, sobolev::RangeCheck::Check);
        const sobolev::ConfigReadResult r = sobolev::configFromJson(json, {}, sobolev::RangeCheck::Skip);
        sobolev::missingConfigKeys(json);
        if (r.errors.isEmpty())
            sobolev::configToJson(r.config);
    }
    return 0;
}
