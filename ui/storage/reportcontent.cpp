// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportcontent.h"

#include "buildinfo.h"
#include "core/config/knobchange.h"
#include "core/problem/formula/expression.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"
#include "measuredfile.h"
#include "textformat.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::ReportContent", text);
}

// The section headings, in order; reportSectionHeadings() and reportContent() share them.
enum Section { Experiment, TargetSection, Knobs, Figures, Metrics, History, Changes, Software };
QString heading(Section section) {
    switch (section) {
    case Experiment:
        return tr("Experiment");
    case TargetSection:
        return tr("Target");
    case Knobs:
        return tr("Knobs");
    case Figures:
        return tr("Figures");
    case Metrics:
        return tr("Metrics");
    case History:
        return tr("History");
    case Changes:
        return tr("Live knob changes");
    case Software:
        return tr("Software");
    }
    return {};
}

ReportBlock paragraph(const QString& text) {
    ReportBlock b;
    b.text = text;
    return b;
}

ReportBlock formula(const QString& text, const QString& latex) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Formula;
    b.text = text;
    b.latex = latex;
    return b;
}

ReportBlock table(const DataTable& t, int significantDigits) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Table;
    b.table = t;
    b.significantDigits = significantDigits;
    return b;
}

ReportBlock figure(const QString& name, const QString& caption) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Figure;
    b.figure = name;
    b.text = caption;
    return b;
}

QString targetName(const TrainConfig& c) {
    if (const PresetInfo* preset = presetByName(c.target))
        return preset->paramName
                   ? tr("%1 with %2 = %3")
                         .arg(QString::fromUtf8(preset->title),
                              QString::fromUtf8(preset->paramName),
                              formatNumber(c.targetParam.value_or(preset->defaultParam)))
                   : QString::fromUtf8(preset->title);
    return tr("the formula %1").arg(toQString(c.target));
}

// The data file of a run on measured data, as the panel describes it once read.
QString dataFileText(const TrainConfig& c) {
    const QString summary = measuredSummary(c);
    return summary.isEmpty() ? QFileInfo(toQString(c.data)).fileName() : summary;
}

QString measuredExperimentText(const TrainConfig& c) {
    QString text =
        tr("A fully connected network of %1 hidden layers of %2 %3 units learns measured values "
           "of f and, where given, its derivative f′ (%4), with the loss α·MSE(f_θ, f) + "
           "β·MSE(∂ₓf_θ, f′), α = %5, β = %6, the f′ term averaged over the rows that have f′. ")
            .arg(c.depth)
            .arg(c.width)
            .arg(toQString(activationName(c.activation)), dataFileText(c), formatNumber(c.alpha),
                 formatNumber(c.beta));
    text += c.dataValidation > 0
                ? tr("A share of %1 of the rows, drawn from seed %2, is held out for validation, "
                     "and the errors are measured on it.")
                      .arg(formatNumber(c.dataValidation))
                      .arg(qulonglong(c.seed))
                : tr("No rows are held out, so the errors are measured on the training rows.");
    text += tr(" Adam with learning rate %1 (%2 schedule), batch %3, %4 epochs, in %5.")
                .arg(formatNumber(c.learningRate), toQString(scheduleName(c.schedule)))
                .arg(c.batchSize)
                .arg(c.epochs)
                .arg(toQString(precisionName(c.precision)));
    return text;
}

QString experimentText(const TrainConfig& c) {
    QString text = c.data.empty() ? QString() : measuredExperimentText(c);
    if (c.data.empty())
        text =
            tr("A fully connected network of %1 hidden layers of %2 %3 units learns the target f "
               "and its derivative f′ at once, with the loss α·MSE(f_θ, f) + β·MSE(∂ₓf_θ, f′), "
               "α = %4, β = %5. Target: %6 on [%7, %8]. %9 training points (%10) and %11 "
               "validation points (uniform), seed %12. Adam with learning rate %13 (%14 schedule), "
               "batch %15, %16 epochs, in %17. The errors are measured on a test grid of %18 "
               "evenly "
               "spaced points.")
                .arg(c.depth)
                .arg(c.width)
                .arg(toQString(activationName(c.activation)), formatNumber(c.alpha),
                     formatNumber(c.beta), targetName(c), formatNumber(c.domainMin),
                     formatNumber(c.domainMax))
                .arg(c.nTrain)
                .arg(toQString(samplingName(c.sampling)))
                .arg(c.nVal)
                .arg(qulonglong(c.seed))
                .arg(formatNumber(c.learningRate), toQString(scheduleName(c.schedule)))
                .arg(c.batchSize)
                .arg(c.epochs)
                .arg(toQString(precisionName(c.precision)))
                .arg(c.gridPoints);
    if (c.data.empty() && (c.noiseF > 0 || c.noiseFprime > 0))
        text += tr(" The training and validation values carry Gaussian noise, σ_f = %1 and "
                   "σ_f′ = %2; the test grid is clean.")
                    .arg(formatNumber(c.noiseF), formatNumber(c.noiseFprime));
    if (c.lbfgsIterations > 0)
        text += tr(" Then up to %1 full-batch L-BFGS iterations in %2.")
                    .arg(c.lbfgsIterations)
                    .arg(toQString(precisionName(c.lbfgsPrecision)));
    if (c.restoreBest)
        text += tr(" At the end the weights of the best validation epoch are put back.");
    return text;
}

// f and f′ as formulas, when the config names a target that can be built.
QList<ReportBlock> targetBlocks(const TrainConfig& c) {
    if (!c.data.empty())
        return {paragraph(tr("Measured data, without a formula: %1, SHA-256 %2.")
                              .arg(dataFileText(c), toQString(c.dataSha256)))};
    std::string error;
    if (!presetByName(c.target) && !CompiledFormula::compile(c.target, &error))
        return {paragraph(tr("The target \"%1\" cannot be read: %2")
                              .arg(toQString(c.target), QString::fromStdString(error)))};
    const Target target = Target::fromConfig(c);
    // A typed formula as GiNaC writes it may look other than typed: show both.
    const QString intro =
        presetByName(c.target)
            ? targetName(c) + QLatin1Char('.')
            : tr("As typed: %1. As built and differentiated by GiNaC:").arg(toQString(c.target));
    return {
        paragraph(intro),
        formula(QStringLiteral("f(x) = %1").arg(QString::fromStdString(target.formula())),
                QStringLiteral("f(x) = %1").arg(QString::fromStdString(target.latex()))),
        formula(
            QStringLiteral("f′(x) = %1").arg(QString::fromStdString(target.derivativeFormula())),
            QStringLiteral("f'(x) = %1").arg(QString::fromStdString(target.derivativeLatex())))};
}

DataTable historySummary(const RunRecord& run) {
    const FitReport& r = run.report;
    DataTable t{tr("History"), {tr("item"), tr("value")}, {}};
    int adamRows = 0, lbfgsRows = 0;
    for (const EpochMetrics& m : run.history)
        (m.phase == Phase::Adam ? adamRows : lbfgsRows)++;
    t.rows.append({tr("epochs run"),
                   lbfgsRows > 0
                       ? tr("%1 Adam epochs and %2 L-BFGS iterations").arg(adamRows).arg(lbfgsRows)
                       : tr("%1 of %2").arg(r.epochsRun).arg(run.config.epochs)});
    if (!run.history.empty()) {
        const EpochMetrics& last = run.history.back();
        t.rows.append({tr("final epoch"), tr("%1: loss %2, validation loss %3")
                                              .arg(last.epoch)
                                              .arg(errorText(last.loss), errorText(last.valLoss))});
    }
    if (r.best.epoch > 0)
        t.rows.append(
            {tr("best epoch"), tr("%1: validation loss %2 (lowest); test grid MSE f %3, MSE f′ %4")
                                   .arg(r.best.epoch)
                                   .arg(errorText(r.best.valLoss), errorText(r.best.mseF),
                                        fprimeErrorText(r.best.hasFprime, r.best.mseFprime))});
    t.rows.append(
        {tr("training time"),
         run.history.empty()
             ? formatDuration(r.trainSeconds)
             : (lbfgsRows > 0 ? tr("%1, %2 ms per epoch or iteration") : tr("%1, %2 ms per epoch"))
                   .arg(formatDuration(r.trainSeconds))
                   .arg(1000 * r.trainSeconds / double(run.history.size()), 0, 'f', 2)});
    // The message starts with the reason ("completed 1000 epochs") unless it says more.
    const QString reason = stopReasonText(r.stopReason), message = toQString(r.stopMessage);
    t.rows.append({tr("stop reason"), message.isEmpty() ? reason
                                      : message.startsWith(reason)
                                          ? message
                                          : tr("%1: %2").arg(reason, message)});
    return t;
}

DataTable softwareTable(const QDateTime& written) {
    return {tr("Software"),
            {tr("item"), tr("value")},
            {{tr("program"), tr("Sobolev Workbench %1").arg(applicationVersion())},
             {tr("build"), buildDescription()},
             {tr("libraries"), libraryVersions()},
             {tr("written"), written.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))}}};
}

} // namespace

std::optional<ReportPage> reportPageFromName(const QString& name) {
    if (name.compare(QLatin1String("a4"), Qt::CaseInsensitive) == 0)
        return ReportPage::A4;
    if (name.compare(QLatin1String("letter"), Qt::CaseInsensitive) == 0)
        return ReportPage::Letter;
    return std::nullopt;
}

QString reportPageName(ReportPage page) {
    return page == ReportPage::Letter ? QStringLiteral("letter") : QStringLiteral("a4");
}

ReportPage defaultReportPage(const QLocale& locale) {
    // CLDR supplementalData.xml: <paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX
    // NI PA PH PR SV US VE"/>.
    static const QList<QLocale::Territory> letter = {
        QLocale::Belize,       QLocale::Canada,      QLocale::Chile,      QLocale::Colombia,
        QLocale::CostaRica,    QLocale::Guatemala,   QLocale::Mexico,     QLocale::Nicaragua,
        QLocale::Panama,       QLocale::Philippines, QLocale::PuertoRico, QLocale::ElSalvador,
        QLocale::UnitedStates, QLocale::Venezuela};
    return letter.contains(locale.territory()) ? ReportPage::Letter : ReportPage::A4;
}

QStringList reportSectionHeadings() {
    QStringList headings;
    for (Section s :
         {Experiment, TargetSection, Knobs, Figures, Metrics, History, Changes, Software})
        headings << heading(s);
    return headings;
}

namespace {

// A row per fit: the network at the end and at its best validation epoch, then every
// baseline (an omitted one says why and has no numbers), each with `values` of its errors.
template <class Values>
DataTable fitsTable(const RunRecord& run, const std::vector<BaselineResult>& baselines,
                    const QString& title, const QStringList& columns, Values values) {
    const FitReport& r = run.report;
    DataTable t{title, QStringList{tr("fit")} + columns, {}};
    t.rows.append(QList<QVariant>{tr("network, final (epoch %1)").arg(r.epochsRun)} + values(r));
    if (r.best.epoch > 0)
        t.rows.append(QList<QVariant>{tr("network, best validation epoch (%1)").arg(r.best.epoch)} +
                      values(r.best));
    for (const BaselineResult& b : baselines) {
        const QString label = QString::fromStdString(baselineLabel(b.spec));
        if (b.fitted) {
            t.rows.append(QList<QVariant>{label} + values(b.errors));
        } else {
            QList<QVariant> row{
                tr("%1 (omitted: %2)").arg(label, QString::fromStdString(b.omitted))};
            while (row.size() < t.columns.size())
                row << QString();
            t.rows.append(row);
        }
    }
    return t;
}

} // namespace

DataTable reportMetricsTable(const RunRecord& run, const std::vector<BaselineResult>& baselines) {
    return fitsTable(
        run, baselines, tr("Metrics"),
        {tr("MSE f"), tr("MSE f′"), tr("H¹ error"), tr("max |err| f"), tr("max |err| f′")},
        [](const auto& e) {
            const auto fprime = [&e](double v) { return fprimeCell(e.hasFprime, v); };
            return QList<QVariant>{e.mseF, fprime(e.mseFprime), fprime(e.h1()), e.maxErrF,
                                   fprime(e.maxErrFprime)};
        });
}

DataTable reportWhereTable(const RunRecord& run, const std::vector<BaselineResult>& baselines) {
    return fitsTable(
        run, baselines, tr("Where the errors are largest, and relative errors"),
        {tr("x of max |err| f"), tr("x of max |err| f′"), tr("rel. L2 f"), tr("rel. L2 f′")},
        [](const auto& e) {
            const auto fprime = [&e](double v) { return fprimeCell(e.hasFprime, v); };
            return QList<QVariant>{e.xMaxErrF, fprime(e.xMaxErrFprime), e.relL2F,
                                   fprime(e.relL2Fprime)};
        });
}

DataTable knobChangesTable(const TrainConfig& config) {
    DataTable t{
        tr("Live knob changes"), {tr("epoch"), tr("batch"), tr("knob"), tr("from"), tr("to")}, {}};
    for (std::size_t i = 0; i < config.changes.size(); ++i) {
        const KnobChange& c = config.changes[i];
        t.rows.append({c.epoch, c.batch, liveKnobLabel(c.knob), previousValue(config, i), c.value});
    }
    return t;
}

ReportContent reportContent(const RunRecord& run, const std::vector<BaselineResult>& baselines,
                            const QDateTime& written) {
    const TrainConfig& c = run.config;
    ReportContent content;
    content.title = tr("Sobolev Workbench report");
    content.subtitle = tr("%1, %2 — written %3")
                           .arg(knobsSummary(c), stopReasonText(run.report.stopReason),
                                written.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    content.sections = {
        {heading(Experiment), {paragraph(experimentText(c))}},
        {heading(TargetSection), targetBlocks(c)},
        // Knob values are typed numbers: every digit.
        {heading(Knobs), {table(configTable(c, false), 17)}},
        {heading(Figures),
         {figure(QStringLiteral("training"),
                 tr("Figure 1. Training and validation loss per epoch (log scale).")),
          figure(QStringLiteral("f"), tr("Figure 2. The target f and the network's f_θ.")),
          figure(QStringLiteral("fprime"),
                 tr("Figure 3. The derivative f′ and the network's ∂ₓf_θ.")),
          figure(QStringLiteral("error"),
                 tr("Figure 4. Pointwise errors |f − f_θ| and |f′ − ∂ₓf_θ| on the test grid."))}},
        {heading(Metrics),
         {paragraph(run.report.metricsOn == MetricsSet::TestGrid
                        ? tr("Errors on the test grid of %1 points.").arg(c.gridPoints)
                    : run.report.metricsOn == MetricsSet::ValidationData
                        ? tr("Errors on the data's validation rows.")
                        : tr("Errors on the data's training rows (there is no validation split).")),
          table(reportMetricsTable(run, baselines), 3),
          table(reportWhereTable(run, baselines), 3)}},
        {heading(History), {table(historySummary(run), 3)}},
        {heading(Changes),
         {c.changes.empty() ? paragraph(tr("None: the knobs kept their values for the whole run."))
                            : table(knobChangesTable(c), 6)}},
        {heading(Software), {table(softwareTable(written), 3)}},
    };
    return content;
}

QByteArray reportMarkdown(const ReportContent& content, const QString& figureDir) {
    const QString prefix = figureDir.isEmpty() ? QString() : figureDir + QLatin1Char('/');
    QString out = QStringLiteral("# %1\n\n%2\n").arg(content.title, content.subtitle);
    for (const ReportSection& section : content.sections) {
        out += QStringLiteral("\n## %1\n").arg(section.heading);
        for (const ReportBlock& b : section.blocks) {
            out += QLatin1Char('\n');
            switch (b.kind) {
            case ReportBlock::Kind::Paragraph:
                out += b.text + QLatin1Char('\n');
                break;
            case ReportBlock::Kind::Formula:
                out += QStringLiteral("`%1`\n\n$$%2$$\n").arg(b.text, b.latex);
                break;
            case ReportBlock::Kind::Table:
                // Without the table's title line: the section heading names it.
                out += QString::fromUtf8(renderTable(DataTable{{}, b.table.columns, b.table.rows},
                                                     TableFormat::Markdown, b.significantDigits));
                break;
            case ReportBlock::Kind::Figure:
                out += QStringLiteral("![%1](%2%3.png)\n\n%1 Vector: [%3.svg](%2%3.svg).\n")
                           .arg(b.text, prefix, b.figure);
                break;
            }
        }
    }
    return out.toUtf8();
}

} // namespace sobolev
