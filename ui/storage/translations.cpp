// SPDX-License-Identifier: GPL-3.0-or-later
#include "translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace sobolev {

void installTranslations(QCoreApplication* app) {
    auto* english = new QTranslator(app);
    // Embedded by sobolev_add_translations() (CMakeLists.txt) under :/i18n.
    if (english->load(QStringLiteral(":/i18n/sobolev-workbench_en.qm")))
        app->installTranslator(english);
    else
        qWarning("translations: :/i18n/sobolev-workbench_en.qm is missing; plurals read \"(s)\"");
}

} // namespace sobolev
