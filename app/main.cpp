#include "commandline.h"
#include "headless.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const sobolev::CommandLine cl = sobolev::parseCommandLine(arguments);
    if (cl.help) {
        std::fputs(qPrintable(cl.helpText), stdout);
        return 0;
    }
    if (cl.version) {
        std::printf("sobolev-workbench %s\n", SOBOLEV_VERSION);
        return 0;
    }
    if (!cl.errors.isEmpty()) {
        for (const QString& e : cl.errors)
            std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(e));
        return sobolev::ExitUsage;
    }
    if (!cl.headless) {
        std::fprintf(stderr, "sobolev-workbench: the window is not part of this build yet; "
                             "use --headless\n");
        return sobolev::ExitUsage;
    }
    QCoreApplication app(argc, argv);
    return sobolev::runHeadless(cl);
}
