// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <utility>

namespace sobolev {

// One value the application keeps between sessions in QSettings (the file that the
// organisation and application names select): its key, and what it reads as while nothing
// is stored under that key. Callers neither spell the key nor convert a QVariant.
template <typename T> class SettingValue {
  public:
    SettingValue(QString key, T fallback = T{})
        : m_key(std::move(key)), m_fallback(std::move(fallback)) {}

    const QString& key() const { return m_key; }
    T get() const { return get(m_fallback); }
    T get(const T& fallback) const {
        return QSettings().value(m_key, QVariant::fromValue(fallback)).template value<T>();
    }
    void set(const T& value) const { QSettings().setValue(m_key, QVariant::fromValue(value)); }
    bool isStored() const { return QSettings().contains(m_key); }

  private:
    QString m_key;
    T m_fallback;
};

// Every setting, one accessor each; the keys are written in settings.cpp only. They are the
// keys earlier versions wrote, so that a user's saved settings still load.
namespace settings {

// The folders the file dialogs open in.
SettingValue<QString> exportFolder();     // exports of every kind; the home folder at first
SettingValue<QString> experimentFolder(); // experiments, run folders and sweep folders
SettingValue<QString> dataFolder();       // measured data files
SettingValue<QStringList> recentPaths();  // File ▸ Open Recent, newest first

// Exports.
SettingValue<double> pngScale();    // pixels per screen pixel, 2 at first
SettingValue<int> tableDigits();    // significant digits in Markdown and LaTeX tables, 3 at first
SettingValue<QString> reportPage(); // a reportPageName()
SettingValue<bool> reportWithMarkdown();

// The baselines drawn beside the network: baselineKey()s, and their degree (10 at first).
SettingValue<QStringList> baselineKinds();
SettingValue<int> baselineDegree();

// Presentation mode: the layout's chart keys joined by '+', and the scale (1.5 at first).
SettingValue<QString> presentationLayout();
SettingValue<double> presentationScale();

// The main window's geometry and its docks' and chart rows' states, as Qt saves them.
SettingValue<QByteArray> windowGeometry();
SettingValue<QByteArray> windowState();
SettingValue<QByteArray> chartRows();
SettingValue<QByteArray> topChartRow();
SettingValue<QByteArray> bottomChartRow();
// The View menu.
SettingValue<bool> showTrainingPoints();
SettingValue<bool> showWeightedTerms();
// The λ(t) chart under the loss chart, for runs whose weights vary.
SettingValue<bool> showLambdaChart();
SettingValue<bool> showBestEpochErrors();
SettingValue<int> epochsPerSecondCap();  // 0: full speed
SettingValue<int> batchesPerSecondCap(); // 0: none; else it replaces the epochs cap
// The run timeline: how long Play takes for the whole run (10 s at first), and log time (on).
SettingValue<int> replaySeconds();
SettingValue<bool> replayLogTime();
// The last valid config of the parameter panel, as compact JSON.
SettingValue<QByteArray> lastConfig();

// The Sweep window's form (axis 0 or 1: a sweepKnobName() or empty, and its values text),
// and the knobs and run ids of the last sweep.
SettingValue<QString> sweepKnob(int axis);
SettingValue<QString> sweepValues(int axis);
SettingValue<QString> sweepSeeds();
SettingValue<int> sweepThreads(); // the number of cores at first
SettingValue<QStringList> lastSweepKnobs();
SettingValue<QStringList> lastSweepRuns();

} // namespace settings

} // namespace sobolev
