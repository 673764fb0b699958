// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include <QDir>
#include <QThread>

#include <algorithm>

namespace sobolev::settings {

SettingValue<QString> exportFolder() {
    return {QStringLiteral("export/lastDir"), QDir::homePath()};
}

SettingValue<QString> experimentFolder() {
    return {QStringLiteral("files/lastDir")};
}

SettingValue<QString> dataFolder() {
    return {QStringLiteral("data/lastFolder")};
}

SettingValue<QStringList> recentPaths() {
    return {QStringLiteral("recent/paths")};
}

SettingValue<double> pngScale() {
    return {QStringLiteral("export/pngScale"), 2.0};
}

SettingValue<int> tableDigits() {
    return {QStringLiteral("export/digits"), 3};
}

SettingValue<QString> reportPage() {
    return {QStringLiteral("report/page")};
}

SettingValue<bool> reportWithMarkdown() {
    return {QStringLiteral("report/markdown"), true};
}

SettingValue<QStringList> baselineKinds() {
    return {QStringLiteral("baselines/kinds")};
}

SettingValue<int> baselineDegree() {
    return {QStringLiteral("baselines/n"), 10};
}

SettingValue<QString> presentationLayout() {
    return {QStringLiteral("presentation/layout")};
}

SettingValue<double> presentationScale() {
    return {QStringLiteral("presentation/scale"), 1.5};
}

SettingValue<QByteArray> windowGeometry() {
    return {QStringLiteral("window/geometry")};
}

SettingValue<QByteArray> windowState() {
    return {QStringLiteral("window/state")};
}

SettingValue<QByteArray> chartRows() {
    return {QStringLiteral("window/rows")};
}

SettingValue<QByteArray> topChartRow() {
    return {QStringLiteral("window/topRow")};
}

SettingValue<QByteArray> bottomChartRow() {
    return {QStringLiteral("window/bottomRow")};
}

SettingValue<bool> showTrainingPoints() {
    return {QStringLiteral("view/trainingPoints"), false};
}

SettingValue<bool> showWeightedTerms() {
    return {QStringLiteral("view/weightedTerms"), false};
}

SettingValue<bool> showLambdaChart() {
    return {QStringLiteral("view/lambdaChart"), true};
}

SettingValue<bool> showBestEpochErrors() {
    return {QStringLiteral("view/bestEpochErrors"), false};
}

SettingValue<int> epochsPerSecondCap() {
    return {QStringLiteral("view/epochsPerSecondCap"), 0};
}

SettingValue<int> batchesPerSecondCap() {
    return {QStringLiteral("view/batchesPerSecondCap"), 0};
}

SettingValue<int> replaySeconds() {
    return {QStringLiteral("view/replaySeconds"), 10};
}

SettingValue<bool> replayLogTime() {
    return {QStringLiteral("view/replayLogTime"), true};
}

SettingValue<QByteArray> lastConfig() {
    return {QStringLiteral("config/last")};
}

// "sweep/knob1" and "sweep/knob2": the axes count from 1 in the file.
SettingValue<QString> sweepKnob(int axis) {
    return {QStringLiteral("sweep/knob%1").arg(axis + 1)};
}

SettingValue<QString> sweepValues(int axis) {
    return {QStringLiteral("sweep/values%1").arg(axis + 1)};
}

SettingValue<QString> sweepSeeds() {
    return {QStringLiteral("sweep/seeds")};
}

SettingValue<int> sweepThreads() {
    return {QStringLiteral("sweep/threads"), std::max(1, QThread::idealThreadCount())};
}

SettingValue<QStringList> lastSweepKnobs() {
    return {QStringLiteral("sweep/lastKnobs")};
}

SettingValue<QStringList> lastSweepRuns() {
    return {QStringLiteral("sweep/lastRuns")};
}

} // namespace sobolev::settings
