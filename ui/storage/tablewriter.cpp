// SPDX-License-Identifier: GPL-3.0-or-later
#include "tablewriter.h"

#include "configjson.h"
#include "core/problem/formula/expression.h"
#include "core/problem/target.h"
#include "fileio.h"
#include "textformat.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace sobolev {

namespace {

bool isNumber(const QVariant& v) {
    return v.typeId() == QMetaType::Double || v.typeId() == QMetaType::Float ||
           v.typeId() == QMetaType::Int || v.typeId() == QMetaType::LongLong ||
           v.typeId() == QMetaType::UInt || v.typeId() == QMetaType::ULongLong;
}

// A cell of a measure the run cannot have (fprimeCell).
bool isNotAvailable(const QVariant& v) {
    return v.typeId() == QMetaType::QString && v.toString() == notAvailableText();
}

bool isInteger(const QVariant& v) {
    return isNumber(v) && v.typeId() != QMetaType::Double && v.typeId() != QMetaType::Float;
}

// Every digit: a float cell (x, which the workbench holds in float) as the shortest text that
// reads back to that float, "0.126" rather than its double's "0.12600000202655792".
QString fullText(const QVariant& v) {
    if (isInteger(v))
        return v.toString();
    if (v.typeId() == QMetaType::Float)
        return formatNumber(v.toFloat());
    if (isNumber(v))
        return formatNumber(v.toDouble());
    return v.toString();
}

// `d` in scientific notation with at most `digits` significant digits, trailing zeros dropped
// as the 'g' form drops them: "4.56e-08", "2.5e-05", "1e-03".
QString scientificText(double d, int digits) {
    const QString text = QString::number(d, 'e', digits - 1);
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    QString mantissa = text.left(e);
    if (mantissa.contains(QLatin1Char('.'))) {
        while (mantissa.endsWith(QLatin1Char('0')))
            mantissa.chop(1);
        if (mantissa.endsWith(QLatin1Char('.')))
            mantissa.chop(1);
    }
    return mantissa + text.mid(e);
}

bool isFiniteFraction(const QVariant& v) {
    return isNumber(v) && !isInteger(v) && std::isfinite(v.toDouble());
}

} // namespace

QVariant xCell(double x) {
    return double(float(x)) == x ? QVariant(float(x)) : QVariant(x);
}

QVariant fprimeCell(bool hasFprime, const QVariant& value) {
    return hasFprime ? value : QVariant(notAvailableText());
}

QString tableCellText(const QVariant& v, int digits, bool scientific) {
    if (!isNumber(v) || isInteger(v))
        return fullText(v);
    const double d = v.toDouble();
    if (std::isnan(d))
        return QStringLiteral("NaN");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return scientific ? scientificText(d, digits) : QString::number(d, 'g', digits);
}

QList<bool> scientificColumns(const DataTable& t, int digits) {
    QList<bool> scientific(t.columns.size(), false);
    for (const auto& row : t.rows)
        for (qsizetype c = 0; c < std::min(row.size(), scientific.size()); ++c)
            if (isFiniteFraction(row[c]) &&
                QString::number(row[c].toDouble(), 'g', digits).contains(QLatin1Char('e')))
                scientific[c] = true;
    return scientific;
}

QList<QStringList> tableCellTexts(const DataTable& t, int digits) {
    const QList<bool> scientific = scientificColumns(t, digits);
    QList<QStringList> texts;
    texts.reserve(t.rows.size());
    for (const auto& row : t.rows) {
        QStringList cells;
        for (qsizetype c = 0; c < row.size(); ++c)
            cells << tableCellText(row[c], digits, scientific.value(c));
        texts << cells;
    }
    return texts;
}

namespace {

QString csvCell(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString markdownCell(QString text) {
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

// pdflatex reads ASCII whatever the document's encoding, and its default font has no |, < or
// >: the characters our tables use are written as commands; any other is spelled without its
// accents or, failing that, as "?".
QString latexSymbol(char32_t c) {
    switch (c) {
    case U'α':
        return QStringLiteral("$\\alpha$");
    case U'β':
        return QStringLiteral("$\\beta$");
    case U'θ':
        return QStringLiteral("$\\theta$");
    case U'′':
        return QStringLiteral("$'$");
    case U'″':
        return QStringLiteral("$''$");
    case U'±':
        return QStringLiteral("$\\pm$");
    case U'×':
        return QStringLiteral("$\\times$");
    case U'·':
        return QStringLiteral("$\\cdot$");
    case U'∂':
        return QStringLiteral("$\\partial$");
    case U'ₓ':
        return QStringLiteral("$_x$");
    case U'²':
        return QStringLiteral("$^2$");
    case U'−':
        return QStringLiteral("$-$");
    case U'≤':
        return QStringLiteral("$\\le$");
    case U'≥':
        return QStringLiteral("$\\ge$");
    case U'→':
        return QStringLiteral("$\\to$");
    case U'–':
        return QStringLiteral("--");
    case U'—':
        return QStringLiteral("---");
    case U'…':
        return QStringLiteral("\\ldots{}");
    case U'“':
        return QStringLiteral("``");
    case U'”':
        return QStringLiteral("''");
    case U'’':
        return QStringLiteral("'");
    case U'\u00a0':
        return QStringLiteral("~");
    default:
        break;
    }
    QString plain;
    for (const QChar d : QString::fromUcs4(&c, 1).normalized(QString::NormalizationForm_KD))
        if (d.unicode() >= 0x20 && d.unicode() < 0x7f)
            plain += d;
    return plain.isEmpty() ? QStringLiteral("?") : plain;
}

// `text` in pdflatex's ASCII; with `escape`, also its special characters as commands, for a
// cell (a comment line keeps them as they are).
QString latexText(const QString& text, bool escape = true) {
    QString out;
    for (const char32_t c : text.toUcs4()) {
        if (c >= 0x80) {
            out += latexSymbol(c);
            continue;
        }
        if (!escape) {
            out += QChar(c);
            continue;
        }
        switch (c) {
        case '\\':
            out += QStringLiteral("\\textbackslash{}");
            break;
        case '~':
            out += QStringLiteral("\\textasciitilde{}");
            break;
        case '^':
            out += QStringLiteral("\\textasciicircum{}");
            break;
        case '|':
            out += QStringLiteral("\\textbar{}");
            break;
        case '<':
            out += QStringLiteral("\\textless{}");
            break;
        case '>':
            out += QStringLiteral("\\textgreater{}");
            break;
        case '\n':
            out += QLatin1Char(' ');
            break;
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            out += QLatin1Char('\\');
            out += QChar(c);
            break;
        default:
            out += QChar(c);
        }
    }
    return out;
}

// A number cell's text in math mode, one form for all: $42$, $0.333$, $4.56\times10^{-8}$,
// $\infty$.
QString latexNumber(const QString& text) {
    if (text == QLatin1String("NaN"))
        return QStringLiteral("$\\mathrm{NaN}$");
    if (text == QLatin1String("inf"))
        return QStringLiteral("$\\infty$");
    if (text == QLatin1String("-inf"))
        return QStringLiteral("$-\\infty$");
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    if (e < 0)
        return QStringLiteral("$%1$").arg(text);
    const int exponent = text.mid(e + 1).toInt();
    return QStringLiteral("$%1\\times10^{%2}$").arg(text.left(e)).arg(exponent);
}

bool numericColumn(const DataTable& t, int column) {
    bool any = false;
    for (const auto& row : t.rows) {
        const QVariant v = row.value(column);
        if (!v.isValid())
            continue;
        if (!isNumber(v) && !isNotAvailable(v)) // "—" is a number the run cannot have
            return false;
        any = true;
    }
    return any;
}

QByteArray renderCsv(const DataTable& t) {
    QString out;
    QStringList header;
    for (const QString& c : t.columns)
        header << csvCell(c);
    out += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const auto& row : t.rows) {
        QStringList cells;
        for (const QVariant& v : row)
            cells << csvCell(fullText(v));
        out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

QByteArray renderJson(const DataTable& t) {
    QJsonArray rows;
    for (const auto& row : t.rows) {
        QJsonArray cells;
        for (const QVariant& v : row) {
            // JSON readers hold numbers as doubles: larger integers (a 64-bit seed) would
            // come back altered, so they are written as text.
            constexpr qulonglong exactInDouble = 1ull << 53;
            if (!v.isValid() || isNotAvailable(v)) // blank (a best epoch the run does not know)
                cells.append(QJsonValue());
            else if (isInteger(v) && (v.typeId() == QMetaType::ULongLong
                                          ? v.toULongLong() <= exactInDouble
                                          : qAbs(v.toLongLong()) <= qint64(exactInDouble)))
                cells.append(v.toLongLong());
            else if (isInteger(v))
                cells.append(v.toString());
            else if (isNumber(v))
                cells.append(std::isfinite(v.toDouble()) ? QJsonValue(v.toDouble()) : QJsonValue());
            else
                cells.append(v.toString());
        }
        rows.append(cells);
    }
    return QJsonDocument(
               QJsonObject{{QStringLiteral("title"), t.title},
                           {QStringLiteral("columns"), QJsonArray::fromStringList(t.columns)},
                           {QStringLiteral("rows"), rows}})
        .toJson(QJsonDocument::Indented);
}

QByteArray renderMarkdown(const DataTable& t, int digits) {
    QString out;
    if (!t.title.isEmpty())
        out += QStringLiteral("### ") + markdownCell(t.title) + QStringLiteral("\n\n");
    QStringList header, rule;
    for (int c = 0; c < t.columns.size(); ++c) {
        header << markdownCell(t.columns[c]);
        rule << (numericColumn(t, c) ? QStringLiteral("---:") : QStringLiteral("---"));
    }
    out += QStringLiteral("| ") + header.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    out += QLatin1Char('|') + rule.join(QLatin1Char('|')) + QStringLiteral("|\n");
    for (QStringList cells : tableCellTexts(t, digits)) {
        for (QString& cell : cells)
            cell = markdownCell(cell);
        out += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    }
    return out.toUtf8();
}

QByteArray renderLatex(const DataTable& t, int digits) {
    QString spec;
    for (int c = 0; c < t.columns.size(); ++c)
        spec += numericColumn(t, c) ? QLatin1Char('r') : QLatin1Char('l');
    QString out =
        QStringLiteral("%% %1 (Sobolev Workbench); needs \\usepackage{booktabs,graphicx}\n")
            .arg(latexText(t.title, false));
    // A table wider than the text is scaled down to fit it (no paragraph indent before it);
    // a narrower one keeps its size.
    out += QStringLiteral(
        "\\noindent\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}"
        "{%\n");
    out += QStringLiteral("\\begin{tabular}{%1}\n\\toprule\n").arg(spec);
    QStringList header;
    for (const QString& c : t.columns)
        header << latexText(c);
    out += header.join(QStringLiteral(" & ")) + QStringLiteral(" \\\\\n\\midrule\n");
    const QList<QStringList> texts = tableCellTexts(t, digits);
    for (qsizetype r = 0; r < t.rows.size(); ++r) {
        QStringList cells;
        for (qsizetype c = 0; c < t.rows[r].size(); ++c)
            cells << (isNumber(t.rows[r][c]) ? latexNumber(texts[r][c]) : latexText(texts[r][c]));
        out += cells.join(QStringLiteral(" & ")) + QStringLiteral(" \\\\\n");
    }
    out += QStringLiteral("\\bottomrule\n\\end{tabular}}%\n"); // no space after the box
    return out.toUtf8();
}

} // namespace

std::optional<TableFormat> tableFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return TableFormat::Csv;
    if (suffix == QLatin1String("json"))
        return TableFormat::Json;
    if (suffix == QLatin1String("md"))
        return TableFormat::Markdown;
    if (suffix == QLatin1String("tex"))
        return TableFormat::Latex;
    return std::nullopt;
}

QByteArray renderTable(const DataTable& table, TableFormat format, int significantDigits) {
    switch (format) {
    case TableFormat::Csv:
        return renderCsv(table);
    case TableFormat::Json:
        return renderJson(table);
    case TableFormat::Markdown:
        return renderMarkdown(table, significantDigits);
    case TableFormat::Latex:
        return renderLatex(table, significantDigits);
    }
    return {};
}

bool exportTable(const DataTable& table, const QString& path, int significantDigits,
                 QString* error) {
    const auto format = tableFormatForPath(path);
    if (!format) {
        if (error)
            *error =
                QStringLiteral("%1: unknown table format; use .csv, .json, .md or .tex").arg(path);
        return false;
    }
    if (significantDigits < 1 || significantDigits > 17) {
        if (error)
            *error = QStringLiteral("%1: significant digits must be from 1 to 17; got %2")
                         .arg(path)
                         .arg(significantDigits);
        return false;
    }
    return writeFileAtomically(path, renderTable(table, *format, significantDigits), error);
}

DataTable metricsTable(const FitReport& r) {
    // The set the errors are on: the test grid, or measured data's validation/training rows.
    const QString set = r.metricsOn == MetricsSet::TestGrid ? QStringLiteral("test grid")
                        : r.metricsOn == MetricsSet::ValidationData
                            ? QStringLiteral("validation data")
                            : QStringLiteral("training data");
    // As the window's metrics table: the final network's errors, then the best epoch's
    // (blank for a run that does not know it), whose "epochs run" is the best epoch.
    DataTable t{QStringLiteral("Metrics (%1)").arg(set),
                {QStringLiteral("metric"), QStringLiteral("final"), QStringLiteral("best epoch")},
                {}};
    const BestEpoch& b = r.best;
    const bool known = b.epoch > 0;
    auto best = [known](const QVariant& v) { return known ? v : QVariant(); };
    // Measured data without f' have no f' errors: "—" rather than a 0 that looks perfect.
    auto finalFprime = [&r](const QVariant& v) { return fprimeCell(r.hasFprime, v); };
    auto bestFprime = [&](const QVariant& v) { return best(fprimeCell(b.hasFprime, v)); };
    t.rows = {
        {QStringLiteral("MSE f"), r.mseF, best(b.mseF)},
        {QStringLiteral("MSE f'"), finalFprime(r.mseFprime), bestFprime(b.mseFprime)},
        {QStringLiteral("H1 error"), finalFprime(r.h1()), bestFprime(b.h1())},
        {QStringLiteral("max |err| f"), r.maxErrF, best(b.maxErrF)},
        {QStringLiteral("x of max |err| f"), xCell(r.xMaxErrF), best(xCell(b.xMaxErrF))},
        {QStringLiteral("max |err| f'"), finalFprime(r.maxErrFprime), bestFprime(b.maxErrFprime)},
        {QStringLiteral("x of max |err| f'"), finalFprime(xCell(r.xMaxErrFprime)),
         bestFprime(xCell(b.xMaxErrFprime))},
        {QStringLiteral("relative L2 f"), r.relL2F, best(b.relL2F)},
        {QStringLiteral("relative L2 f'"), finalFprime(r.relL2Fprime), bestFprime(b.relL2Fprime)},
        {QStringLiteral("epochs run"), r.epochsRun, best(b.epoch)},
        {QStringLiteral("training seconds"), r.trainSeconds, QVariant()},
        {QStringLiteral("stop reason"), toQString(stopReasonName(r.stopReason)), QVariant()},
    };
    return t;
}

namespace {
template <class Errors> void appendErrors(QList<QVariant>& row, const Errors& e) {
    const auto fprime = [&e](const QVariant& v) { return fprimeCell(e.hasFprime, v); };
    row << e.mseF << fprime(e.mseFprime) << fprime(e.h1()) << e.maxErrF << xCell(e.xMaxErrF)
        << fprime(e.maxErrFprime) << fprime(xCell(e.xMaxErrFprime)) << e.relL2F
        << fprime(e.relL2Fprime);
}
} // namespace

DataTable errorComparisonTable(const FitReport& network,
                               const std::vector<BaselineResult>& baselines) {
    DataTable t{QStringLiteral("Network and baselines (test grid)"),
                {QStringLiteral("fit"), QStringLiteral("MSE f"), QStringLiteral("MSE f'"),
                 QStringLiteral("H1 error"), QStringLiteral("max |err| f"), QStringLiteral("at x"),
                 QStringLiteral("max |err| f'"), QStringLiteral("at x"),
                 QStringLiteral("rel. L2 f"), QStringLiteral("rel. L2 f'")},
                {}};
    QList<QVariant> row{QStringLiteral("network")};
    appendErrors(row, network);
    t.rows.append(row);
    for (const BaselineResult& b : baselines) {
        const QString label = QString::fromStdString(baselineLabel(b.spec));
        row = {
            b.fitted
                ? label
                : QStringLiteral("%1 (omitted: %2)").arg(label, QString::fromStdString(b.omitted))};
        if (b.fitted)
            appendErrors(row, b.errors);
        else
            while (row.size() < t.columns.size())
                row << std::nan("");
        t.rows.append(row);
    }
    return t;
}

DataTable sweepSummaryTable(const std::vector<Knob>& knobs, const QString& whereColumn) {
    DataTable t{QStringLiteral("Sweep summary"), {}, {}};
    for (Knob k : knobs)
        t.columns << toQString(knobInfo(k).key);
    t.columns << QStringLiteral("seed") << QStringLiteral("mse_f") << QStringLiteral("mse_fprime")
              << QStringLiteral("max_err_f") << QStringLiteral("max_err_fprime")
              << QStringLiteral("h1_error") << QStringLiteral("rel_l2_f")
              << QStringLiteral("rel_l2_fprime") << QStringLiteral("x_max_err_f")
              << QStringLiteral("x_max_err_fprime") << QStringLiteral("epochs_run")
              << QStringLiteral("train_seconds") << QStringLiteral("stop_reason")
              << QStringLiteral("best_epoch") << QStringLiteral("best_mse_f")
              << QStringLiteral("best_mse_fprime") << QStringLiteral("best_max_err_f")
              << QStringLiteral("best_max_err_fprime") << QStringLiteral("best_h1_error")
              << QStringLiteral("best_rel_l2_f") << QStringLiteral("best_rel_l2_fprime")
              << QStringLiteral("best_x_max_err_f") << QStringLiteral("best_x_max_err_fprime")
              << QStringLiteral("final_alpha") << QStringLiteral("final_beta") << whereColumn;
    return t;
}

void appendSweepRow(DataTable& table, const std::vector<Knob>& knobs,
                    const std::vector<double>& knobValues, std::uint64_t seed, const FitReport& r,
                    const QString& where, std::optional<LossWeights> finalWeights) {
    QList<QVariant> row;
    for (std::size_t i = 0; i < knobValues.size(); ++i)
        if (i < knobs.size() && isChoiceKnob(knobs[i]))
            row << toQString(knobValueText(knobs[i], knobValues[i]));
        else
            row << knobValues[i];
    const BestEpoch& b = r.best;
    const auto fr = [&r](const QVariant& v) { return fprimeCell(r.hasFprime, v); };
    const auto fb = [&b](const QVariant& v) { return fprimeCell(b.hasFprime, v); };
    row << QVariant::fromValue(qulonglong(seed)) << r.mseF << fr(r.mseFprime) << r.maxErrF
        << fr(r.maxErrFprime) << fr(r.h1()) << r.relL2F << fr(r.relL2Fprime) << xCell(r.xMaxErrF)
        << fr(xCell(r.xMaxErrFprime)) << r.epochsRun << r.trainSeconds
        << toQString(stopReasonName(r.stopReason)) << b.epoch << b.mseF << fb(b.mseFprime)
        << b.maxErrF << fb(b.maxErrFprime) << fb(b.h1()) << b.relL2F << fb(b.relL2Fprime)
        << xCell(b.xMaxErrF) << fb(xCell(b.xMaxErrFprime))
        << (finalWeights ? finalWeights->alpha : std::nan(""))
        << (finalWeights ? finalWeights->beta : std::nan("")) << where;
    table.rows.append(row);
}

DataTable historyTable(const std::vector<EpochMetrics>& history) {
    DataTable t{QStringLiteral("Per-epoch history"),
                {QStringLiteral("epoch"), QStringLiteral("loss"), QStringLiteral("mse_f"),
                 QStringLiteral("mse_fprime"), QStringLiteral("val_loss"),
                 QStringLiteral("val_mse_f"), QStringLiteral("val_mse_fprime"),
                 QStringLiteral("seconds")},
                {}};
    // An f' column without a number beside an f column with one: the set has no f'
    // (EpochMetrics), not a diverged network.
    const auto hasFprime = [&history](double EpochMetrics::*f, double EpochMetrics::*fprime) {
        const auto number = [](double EpochMetrics::*field) {
            return [field](const EpochMetrics& m) { return !std::isnan(m.*field); };
        };
        return std::any_of(history.begin(), history.end(), number(fprime)) ||
               std::none_of(history.begin(), history.end(), number(f));
    };
    const bool train = hasFprime(&EpochMetrics::mseF, &EpochMetrics::mseFprime);
    const bool val = hasFprime(&EpochMetrics::valMseF, &EpochMetrics::valMseFprime);
    t.rows.reserve(qsizetype(history.size()));
    for (const EpochMetrics& m : history)
        t.rows.append({m.epoch, m.loss, m.mseF, fprimeCell(train, m.mseFprime), m.valLoss,
                       m.valMseF, fprimeCell(val, m.valMseFprime), m.seconds});
    return t;
}

namespace {

// A knob's value as its own text, not as a number of a column: "64", "0.001", "1e-07", "cosine".
// The value column mixes whole numbers, rates and names, so no column notation fits it.
QString configValueText(const KnobInfo& k, const TrainConfig& c, const QJsonValue& json) {
    switch (k.kind) {
    case KnobKind::Interval: // the domain [a, b]
        return QStringLiteral("[%1, %2]")
            .arg(formatNumber(c.*k.realField), formatNumber(c.*k.upperField));
    case KnobKind::Seed:
        return QString::number(c.seed);
    case KnobKind::Int:
        return QString::number(qint64(knobValue(c, k.knob)));
    case KnobKind::Bool:
        return json.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case KnobKind::Text:
        return json.toString();
    case KnobKind::OptionalReal:
        if (json.isNull())
            return QStringLiteral("default");
        break;
    default:
        break;
    }
    return QString::fromStdString(knobValueText(k.knob, knobValue(c, k.knob)));
}

} // namespace

QString configValueText(Knob knob, const TrainConfig& c) {
    const KnobInfo& k = knobInfo(knob);
    return configValueText(k, c, configToJson(c).value(QLatin1String(k.key)));
}

DataTable configTable(const TrainConfig& c, bool withFormulas) {
    DataTable t{QStringLiteral("Config"), {QStringLiteral("knob"), QStringLiteral("value")}, {}};
    const QJsonObject json = configToJson(c);
    // Only the knobs the run used: no L-BFGS rows without L-BFGS, no data rows without data.
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.stored || !k.appliesTo(c))
            continue;
        const QString key = QLatin1String(k.key);
        t.rows.append({key, configValueText(k, c, json.value(key))});
        if (k.knob == Knob::LearningRate && !c.changes.empty()) // "β 1→10 @300, …"
            t.rows.append(
                {QStringLiteral("changes"), changeSummaries(c).join(QStringLiteral(", "))});
    }
    if (!withFormulas)
        return t;
    // The target and its derivative as formulas (LaTeX for a report); measured data have none.
    const bool preset = presetByName(c.target) != nullptr;
    std::string error;
    if (c.data.empty() && (preset || CompiledFormula::compile(c.target, &error))) {
        const Target target = Target::fromConfig(c);
        t.rows.append({QStringLiteral("f(x)"), QString::fromStdString(target.formula())});
        t.rows.append(
            {QStringLiteral("f'(x)"), QString::fromStdString(target.derivativeFormula())});
        t.rows.append(
            {QStringLiteral("f'(x) LaTeX"),
             QStringLiteral("$%1$").arg(QString::fromStdString(target.derivativeLatex()))});
    }
    return t;
}

QByteArray metricsMarkdown(const FitReport& report, const TrainConfig& config,
                           const std::vector<BaselineResult>& baselines) {
    QByteArray out = "# Sobolev Workbench run\n\n";
    out += QStringLiteral("%1\n\n").arg(QString::fromStdString(report.stopMessage)).toUtf8();
    // Knob values are typed numbers: every digit, not 3 significant ones.
    out += renderTable(configTable(config), TableFormat::Markdown, 17);
    out += "\n";
    out += renderTable(metricsTable(report), TableFormat::Markdown, 3);
    if (!baselines.empty()) {
        out += "\n";
        out += renderTable(errorComparisonTable(report, baselines), TableFormat::Markdown, 3);
    }
    return out;
}

} // namespace sobolev
