// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"
#include "headless.h"
#include "mergerun.h"
#include "sweeprun.h"
#include "translations.h"

#include "core/model/kernellevel.h"

#include <QCoreApplication>

#ifdef SOBOLEV_WITH_WINDOW
#include "mainwindow.h"

#include <QApplication>
#include <QTimer>
#endif

#include <cstdio>

namespace {

QtMessageHandler g_defaultHandler = nullptr;

// Warnings about the environment of a desktop session, which a headless run does not use:
// the offscreen platform warns once per chart widget that it cannot size windows, and Qt that
// XDG_RUNTIME_DIR is unset (as under cron or ssh) when it looks for its platform files. They
// would bury the progress lines and real warnings.
void quietHeadlessHandler(QtMsgType type, const QMessageLogContext& context,
                          const QString& message) {
    if (type == QtWarningMsg &&
        (message.contains(QLatin1String("does not support propagateSizeHints")) ||
         message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set"))))
        return;
    g_defaultHandler(type, context, message);
}

} // namespace

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
        std::printf("sobolev-workbench %s, kernels %s\n", SOBOLEV_VERSION,
                    sobolev::kernelLevel().c_str());
        return 0;
    }
    if (!cl.errors.isEmpty()) {
        for (const QString& e : cl.errors)
            std::fprintf(stderr, "sobolev-workbench: %s\n", qPrintable(e));
        return sobolev::ExitUsage;
    }
    // The headless modes: one run, a sweep or a shard of one, a merge of shards, or a resumed
    // run.
    const bool resume = !cl.resumeDir.isEmpty();
    auto runHeadlessMode = [&cl, resume] {
        if (resume)
            return sobolev::runResume(cl);
        if (cl.merge)
            return sobolev::runMerge(cl);
        return cl.isSweep() ? sobolev::runHeadlessSweep(cl) : sobolev::runHeadless(cl);
    };
#ifdef SOBOLEV_WITH_WINDOW
    // A resumed run may draw figures: its folder says so.
    if (((cl.headless || cl.merge) && (cl.plots || cl.report || cl.animate.wanted())) || resume) {
        // The figures are drawn by the window's chart classes, offscreen: no display needed.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        g_defaultHandler = qInstallMessageHandler(quietHeadlessHandler);
        QApplication app(argc, argv);
        return runHeadlessMode();
    }
#endif
    if (cl.headless || cl.merge || resume) {
        g_defaultHandler = qInstallMessageHandler(quietHeadlessHandler);
        QCoreApplication app(argc, argv);
        return runHeadlessMode();
    }

#ifdef SOBOLEV_WITH_WINDOW
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SobolevWorkbench"));
    QApplication::setApplicationName(QStringLiteral("Sobolev Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(SOBOLEV_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("sobolev-workbench"));
    sobolev::installTranslations(&app);
    sobolev::MainWindow window;
    if (cl.configGiven)
        window.setConfig(cl.config);
    window.show();
    if (cl.start)
        QTimer::singleShot(0, &window, &sobolev::MainWindow::train);
    return app.exec();
#else
    std::fputs(
        "sobolev-workbench: this build has no window (it was built with -DSOBOLEV_BUILD_UI=OFF); "
        "use --headless\n",
        stderr);
    return sobolev::ExitUsage;
#endif
}
