// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentfiles.h"

#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace sobolev {

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu) {
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
    rebuildMenu();
}

QStringList RecentFiles::paths() const {
    return settings::recentPaths().get();
}

void RecentFiles::store(const QStringList& paths) {
    settings::recentPaths().set(paths.mid(0, maxEntries));
    rebuildMenu();
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    store(list);
}

void RecentFiles::remove(const QString& path) {
    QStringList list = paths();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    store(list);
}

void RecentFiles::rebuildMenu() {
    m_menu->clear();
    const QStringList list = paths();
    for (int i = 0; i < list.size(); ++i) {
        const QString& path = list[i];
        // &1 ... &8 give each entry a keyboard accelerator.
        QAction* action = m_menu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(path)));
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (list.isEmpty())
        m_menu->addAction(tr("No recent files"))->setEnabled(false);
    else {
        m_menu->addSeparator();
        m_menu->addAction(tr("&Clear Menu"), this, [this] { store({}); });
    }
}

} // namespace sobolev
