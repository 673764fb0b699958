// libFuzzer target: the command-line parser. The input is the arguments separated by NUL bytes.
#include "commandline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    QStringList arguments{QStringLiteral("sobolev-workbench")};
    const QList<QByteArray> parts = QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\0');
    for (const QByteArray& part : parts.mid(0, 64))
        arguments << QString::fromUtf8(part);
    sobolev::parseCommandLine(arguments);
    return 0;
}
