// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison.h"
#include "textformat.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <functional>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::Comparison", text);
}

struct LabelPart {
    std::function<bool(const TrainConfig&, const TrainConfig&)> differs;
    std::function<QString(const TrainConfig&)> text;
    bool isSeed = false; // seed ensembles are labelled without it
};

template <typename Member>
LabelPart knob(Member member, std::function<QString(const TrainConfig&)> text) {
    return {[member](const TrainConfig& a, const TrainConfig& b) { return a.*member != b.*member; },
            std::move(text)};
}

// `c` with only the changes of `knob`.
TrainConfig changesOf(TrainConfig c, Knob knob) {
    std::erase_if(c.changes, [knob](const KnobChange& change) { return change.knob != knob; });
    return c;
}

// A knob that can change during a run, as the run used it: "β=1" when it kept its value,
// else its changes, "β 1→10 @300", so that a label never shows only where a run started.
LabelPart liveKnob(Knob live, const char* format) {
    return {[live](const TrainConfig& a, const TrainConfig& b) {
                return knobValue(a, live) != knobValue(b, live) ||
                       changesOf(a, live).changes != changesOf(b, live).changes;
            },
            [live, format](const TrainConfig& c) {
                const QStringList changes = changeSummaries(changesOf(c, live));
                return changes.isEmpty()
                           ? QString::fromUtf8(format).arg(compactNumber(knobValue(c, live)))
                           : changes.join(QStringLiteral(", "));
            }};
}

// In the order a reader scans a config: the network, the loss, the optimiser, the data. The
// test grid is left out: it changes how a run is measured, not how it was trained.
QList<LabelPart> knobs() {
    using C = const TrainConfig&;
    return {
        knob(&TrainConfig::width, [](C c) { return tr("width %1").arg(c.width); }),
        knob(&TrainConfig::depth, [](C c) { return tr("depth %1").arg(c.depth); }),
        knob(&TrainConfig::activation, [](C c) { return toQString(activationName(c.activation)); }),
        liveKnob(Knob::Alpha, "α=%1"),
        liveKnob(Knob::Beta, "β=%1"),
        knob(&TrainConfig::balance, [](C c) { return toQString(balanceName(c.balance)); }),
        liveKnob(Knob::LearningRate, "lr=%1"),
        [] {
            LabelPart k =
                knob(&TrainConfig::seed, [](C c) { return tr("seed %1").arg(qulonglong(c.seed)); });
            k.isSeed = true;
            return k;
        }(),
        knob(&TrainConfig::epochs, [](C c) { return tr("%1 epochs").arg(c.epochs); }),
        knob(&TrainConfig::schedule, [](C c) { return toQString(scheduleName(c.schedule)); }),
        knob(&TrainConfig::precision, [](C c) { return toQString(precisionName(c.precision)); }),
        knob(&TrainConfig::lbfgsIterations,
             [](C c) { return tr("L-BFGS %1").arg(c.lbfgsIterations); }),
        knob(&TrainConfig::restoreBest,
             [](C c) { return c.restoreBest ? tr("best weights") : tr("final weights"); }),
        knob(&TrainConfig::batchSize, [](C c) { return tr("batch %1").arg(c.batchSize); }),
        knob(&TrainConfig::nTrain, [](C c) { return tr("n_train %1").arg(c.nTrain); }),
        knob(&TrainConfig::nVal, [](C c) { return tr("n_val %1").arg(c.nVal); }),
        // Measured data: the file (by name; a changed file by its hash too) and the split.
        {[](C a, C b) { return a.data != b.data || a.dataSha256 != b.dataSha256; },
         [](C c) {
             return c.data.empty() ? tr("target %1").arg(toQString(c.target))
                                   : QFileInfo(QString::fromStdString(c.data)).fileName();
         }},
        knob(&TrainConfig::dataValidation,
             [](C c) { return tr("val %1").arg(compactNumber(c.dataValidation)); }),
    };
}

// The labels of differenceLabels(); `fallback` and `repeated` take `names[i]`, or the
// (1-based) position when `names` is empty.
QStringList labelsOf(const QList<TrainConfig>& configs, const QStringList& names, bool withSeed,
                     const char* fallback, const char* repeated) {
    const auto nameOf = [&names](qsizetype i) {
        return names.isEmpty() ? QString::number(i + 1) : names.value(i);
    };
    QList<LabelPart> differing;
    for (const LabelPart& k : knobs()) {
        if (k.isSeed && !withSeed)
            continue;
        const bool differs =
            std::any_of(configs.cbegin(), configs.cend(),
                        [&](const TrainConfig& c) { return k.differs(c, configs.constFirst()); });
        if (differs)
            differing << k;
    }

    QStringList labels;
    labels.reserve(configs.size());
    for (qsizetype i = 0; i < configs.size(); ++i) {
        QStringList parts;
        for (const LabelPart& k : differing)
            parts << k.text(configs[i]);
        labels << (parts.isEmpty() ? tr(fallback).arg(nameOf(i))
                                   : parts.join(QStringLiteral(", ")));
    }
    // A repeated config among different ones would otherwise share its legend entry (and
    // colour key) with another run.
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (labels.count(labels[i]) < 2)
            continue;
        const QString shared = labels[i];
        for (qsizetype j = i; j < labels.size(); ++j)
            if (labels[j] == shared)
                labels[j] += tr(repeated).arg(nameOf(j));
    }
    return labels;
}

bool equalButSeed(TrainConfig a, const TrainConfig& b) {
    a.seed = b.seed;
    return a == b;
}

} // namespace

QString ComparedRun::numberText() const {
    return number > 0 ? QString::number(number) : id;
}

QStringList differenceLabels(const QList<TrainConfig>& configs, const QStringList& runNumbers) {
    return labelsOf(configs, runNumbers, true, QT_TRANSLATE_NOOP("sobolev::Comparison", "run %1"),
                    QT_TRANSLATE_NOOP("sobolev::Comparison", " (run %1)"));
}

QList<QList<int>> groupBySeed(const QList<TrainConfig>& configs) {
    QList<QList<int>> groups;
    for (int i = 0; i < int(configs.size()); ++i) {
        auto group = std::find_if(groups.begin(), groups.end(), [&](const QList<int>& g) {
            return equalButSeed(configs[g.constFirst()], configs[i]);
        });
        if (group == groups.end())
            groups.append(QList<int>{i});
        else
            group->append(i);
    }
    // "seeds 1, 2", whatever order the runs came in.
    for (QList<int>& group : groups)
        std::stable_sort(group.begin(), group.end(),
                         [&](int a, int b) { return configs[a].seed < configs[b].seed; });
    return groups;
}

QStringList groupLabels(const QList<TrainConfig>& configs, const QList<QList<int>>& groups) {
    QList<TrainConfig> representatives;
    for (const QList<int>& g : groups)
        representatives << configs[g.constFirst()];
    QStringList labels =
        labelsOf(representatives, {}, false, QT_TRANSLATE_NOOP("sobolev::Comparison", "group %1"),
                 QT_TRANSLATE_NOOP("sobolev::Comparison", " (group %1)"));
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const qsizetype n = groups[i].size();
        labels[i] +=
            QCoreApplication::translate("sobolev::Comparison", " (%n seed(s))", nullptr, int(n));
    }
    return labels;
}

} // namespace sobolev
