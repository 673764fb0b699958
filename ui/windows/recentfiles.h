// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace sobolev {

// The most recently opened experiments and run folders, kept in QSettings, shown as a menu.
class RecentFiles : public QObject {
    Q_OBJECT
  public:
    static constexpr int maxEntries = 8;

    RecentFiles(QMenu* menu, QObject* parent = nullptr);

    QStringList paths() const;
    void add(const QString& path);
    void remove(const QString& path);

  signals:
    void openRequested(const QString& path);

  private:
    void rebuildMenu();
    void store(const QStringList& paths);

    QMenu* m_menu;
};

} // namespace sobolev
