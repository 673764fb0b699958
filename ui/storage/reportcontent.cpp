// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportcontent.h"

#include "buildinfo.h"
#include "core/config/knobchange.h"
#include "core/config/knobregistry.h"
#include "core/problem/formula/expression.h"
#include "core/problem/sampling.h"
#include "core/problem/target.h"
#include "lossweights.h"
#include "measuredfile.h"
#include "textformat.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace sobolev {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("sobolev::ReportContent", text);
}

// The section headings, in order; reportSectionHeadings() and reportContent() share them.
// What a reader needs first (what was run and how well it did, the figures and the metrics)
// comes first; the full configuration is at the end.
enum Section { Summary, Figures, Metrics, TargetSection, History, Changes, Knobs, Software };
constexpr Section sectionOrder[] = {Summary, Figures, Metrics, TargetSection,
                                    History, Changes, Knobs,   Software};
QString heading(Section section) {
    switch (section) {
    case Summary:
        return tr("Summary");
    case TargetSection:
        return tr("Target");
    case Knobs:
        return tr("Configuration");
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
    // The α and β above are the starting ones: a reader must not take them for the whole run.
    if (const QString changes = changesSentence(c); !changes.isEmpty())
        text += QLatin1Char(' ') + changes;
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
    if (const auto weights = finalWeights(run.history);
        weights && (weightsVary(run.config) || weightsVary(run.history))) {
        const QString ended = tr("α %1, β %2 at the end (β/α %3)")
                                  .arg(compactNumber(weights->alpha), compactNumber(weights->beta),
                                       compactNumber(weights->beta / weights->alpha));
        t.rows.append({tr("loss weights"),
                       run.config.balance == Balance::Off
                           ? ended
                           : tr("balancing rule %1; %2")
                                 .arg(toQString(balanceName(run.config.balance)), ended)});
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

// How well the run did: its final errors, and its best validation epoch's.
QString resultText(const RunRecord& run) {
    const FitReport& r = run.report;
    QString text = tr(" It ended at epoch %1 (%2) with MSE f %3 and MSE f′ %4")
                       .arg(r.epochsRun)
                       .arg(stopReasonText(r.stopReason), errorText(r.mseF),
                            fprimeErrorText(r.hasFprime, r.mseFprime));
    if (r.best.epoch > 0)
        text +=
            tr("; at its best validation epoch, %1, they were %2 and %3")
                .arg(r.best.epoch)
                .arg(errorText(r.best.mseF), fprimeErrorText(r.best.hasFprime, r.best.mseFprime));
    return text + QLatin1Char('.');
}

// A knob's value with its unit, as the panel shows it: "64 neurons", "cosine", "[-2, 2]".
QString valueWithUnit(const KnobInfo& k, const TrainConfig& c) {
    const QString value = configValueText(k.knob, c);
    return k.unit ? tr("%1 %2").arg(value, QCoreApplication::translate("sobolev::Knob", k.unit))
                  : value;
}

// The knobs the run used, by their panel labels: those that differ from the reference
// experiment's value (with it), then the rest.
QList<ReportBlock> configBlocks(const TrainConfig& c) {
    const TrainConfig reference;
    DataTable changed{tr("Knobs that differ from the reference experiment"),
                      {tr("knob"), tr("value"), tr("reference")},
                      {}};
    DataTable same{tr("Knobs at the reference experiment's values"), {tr("knob"), tr("value")}, {}};
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.stored || !k.appliesTo(c))
            continue;
        const QString value = valueWithUnit(k, c);
        const QString label = knobFormLabel(k.knob);
        if (!k.appliesTo(reference) || value != valueWithUnit(k, reference))
            changed.rows.append(
                {label, value,
                 k.appliesTo(reference) ? valueWithUnit(k, reference) : tr("unused")});
        else
            same.rows.append({label, value});
    }
    QList<ReportBlock> blocks;
    if (changed.rows.isEmpty()) {
        blocks << paragraph(tr("Every knob is at the reference experiment's value."));
    } else {
        blocks << paragraph(tr("Knobs that differ from the reference experiment:"))
               << table(changed, 17);
    }
    if (!same.rows.isEmpty())
        blocks << paragraph(tr("At the reference experiment's values:")) << table(same, 17);
    return blocks;
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
    for (Section s : sectionOrder)
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
    const QString metricsOn =
        run.report.metricsOn == MetricsSet::TestGrid
            ? tr("Errors on the test grid of %1 points.").arg(c.gridPoints)
        : run.report.metricsOn == MetricsSet::ValidationData
            ? tr("Errors on the data's validation rows.")
            : tr("Errors on the data's training rows (there is no validation split).");
    content.sections = {
        {heading(Summary), {paragraph(experimentText(c) + resultText(run))}},
        {heading(Figures),
         {figure(QStringLiteral("training"),
                 tr("Figure 1. Training and validation loss per epoch (log scale).")),
          figure(QStringLiteral("f"), tr("Figure 2. The target f and the network's f_θ.")),
          figure(QStringLiteral("fprime"),
                 tr("Figure 3. The derivative f′ and the network's ∂ₓf_θ.")),
          figure(QStringLiteral("error"),
                 tr("Figure 4. Pointwise errors |f − f_θ| and |f′ − ∂ₓf_θ| on the test grid."))}},
        {heading(Metrics),
         {paragraph(metricsOn), table(reportMetricsTable(run, baselines), 3),
          table(reportWhereTable(run, baselines), 3)}},
        {heading(TargetSection), targetBlocks(c)},
        {heading(History), {table(historySummary(run), 3)}},
        {heading(Changes),
         {c.changes.empty() ? paragraph(tr("None: the knobs kept their values for the whole run."))
                            : table(knobChangesTable(c), 6)}},
        // Knob values are typed numbers: every digit.
        {heading(Knobs), configBlocks(c)},
        {heading(Software), {table(softwareTable(written), 3)}},
    };
    return content;
}

namespace {

enum ComparisonSection { NotesSection, ComparisonFigures, TableSection, ComparisonSoftware };
constexpr ComparisonSection comparisonOrder[] = {NotesSection, ComparisonFigures, TableSection,
                                                 ComparisonSoftware};
QString heading(ComparisonSection section) {
    switch (section) {
    case NotesSection:
        return tr("Notes");
    case ComparisonFigures:
        return tr("Figures");
    case TableSection:
        return tr("Table");
    case ComparisonSoftware:
        return tr("Software");
    }
    return {};
}

// The notes' paragraphs, split at blank lines; a line break inside one stays a line break.
QList<ReportBlock> notesBlocks(const QString& notes) {
    static const QRegularExpression blankLine(QStringLiteral("\\n\\s*\\n"));
    QList<ReportBlock> blocks;
    for (const QString& text : notes.trimmed().split(blankLine, Qt::SkipEmptyParts)) {
        ReportBlock b = paragraph(text.trimmed());
        b.typed = true;
        blocks << b;
    }
    return blocks;
}

} // namespace

QStringList comparisonSectionHeadings() {
    QStringList headings;
    for (ComparisonSection s : comparisonOrder)
        headings << heading(s);
    return headings;
}

ReportContent comparisonReportContent(const ComparisonReport& report, const QDateTime& written) {
    ReportContent content;
    content.title = report.title;
    content.subtitle = tr("%1 — written %2")
                           .arg(report.description,
                                written.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    if (const QList<ReportBlock> notes = notesBlocks(report.notes); !notes.isEmpty())
        content.sections.append({heading(NotesSection), notes});
    ReportSection figures{heading(ComparisonFigures), {}};
    for (qsizetype i = 0; i < report.figures.size(); ++i)
        figures.blocks << figure(report.figures[i].first,
                                 tr("Figure %1. %2").arg(i + 1).arg(report.figures[i].second));
    if (!figures.blocks.isEmpty())
        content.sections.append(figures);
    ReportSection table{heading(TableSection), {}};
    if (!report.tableIntro.isEmpty())
        table.blocks << paragraph(report.tableIntro);
    table.blocks << sobolev::table(report.table, 3);
    for (const QString& remark : report.remarks)
        table.blocks << paragraph(remark);
    content.sections.append(table);
    content.sections.append(
        {heading(ComparisonSoftware), {sobolev::table(softwareTable(written), 3)}});
    return content;
}

QString markdownEscaped(const QString& text) {
    QString out;
    out.reserve(text.size() + text.size() / 8);
    bool lineStart = true, leadingNumber = false;
    for (const QChar c : text) {
        // Inline syntax anywhere; list and heading markers where a line starts, and the dot
        // of "1." there, which would start a numbered list.
        if (QStringLiteral("\\`*_[]<>|~#!").contains(c) ||
            (lineStart && QStringLiteral("-+=").contains(c)) ||
            (leadingNumber && (c == QLatin1Char('.') || c == QLatin1Char(')'))))
            out += QLatin1Char('\\');
        out += c;
        leadingNumber = (lineStart || leadingNumber) && c.isDigit();
        lineStart = c == QLatin1Char('\n') || (lineStart && c.isSpace());
    }
    // Line breaks inside a paragraph stay line breaks.
    out.replace(QLatin1Char('\n'), QStringLiteral("  \n"));
    return out;
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
                out += (b.typed ? markdownEscaped(b.text) : b.text) + QLatin1Char('\n');
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
