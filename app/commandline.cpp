// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"

#include "configjson.h"
#include "core/config/knobregistry.h"
#include "core/problem/validate.h"
#include "figures.h"
#include "textformat.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <optional>

#include <cmath>

namespace sobolev {

namespace {

// The text of a knob's default, for --help: "64", "runge", "-1,1".
QString defaultText(const KnobInfo& k) {
    const TrainConfig reference;
    switch (k.kind) {
    case KnobKind::Text:
        return reference.*k.textField == "" ? QStringLiteral("none")
                                            : QString::fromStdString(reference.*k.textField);
    case KnobKind::Int:
        return QString::number(reference.*k.intField);
    case KnobKind::OptionalReal:
        return QStringLiteral("the preset's");
    case KnobKind::Interval:
        return QStringLiteral("%1,%2").arg(reference.*k.realField).arg(reference.*k.upperField);
    case KnobKind::Seed:
        return QString::number(qulonglong(reference.seed));
    default:
        return QString::fromStdString(knobValueText(k.knob, knobValue(reference, k.knob)));
    }
}

// A knob's --help line from its registry row: what it does, what is allowed, its default.
QString flagHelp(const KnobInfo& k) {
    if (k.kind == KnobKind::Bool)
        return QString::fromUtf8(k.help);
    const QString allowed = k.kind == KnobKind::Interval
                                ? QStringLiteral("A,B with A < B")
                                : QString::fromStdString(knobRangeText(k.knob));
    return QStringLiteral("%1 Allowed: %2; default %3.")
        .arg(QString::fromUtf8(k.help), allowed, defaultText(k));
}

QString flagForKey(const QString& key) {
    if (key == QLatin1String("changes"))
        return QStringLiteral("--change");
    const auto knob = knobFromName(key.toStdString());
    if (knob && knobInfo(*knob).flag)
        return QStringLiteral("--") + QLatin1String(knobInfo(*knob).flag);
    return key;
}

// Turns a flag's text into the JSON value its key takes, so that the flags and the config
// file share one reader and one set of messages.
QJsonValue flagValue(const KnobInfo& k, const QString& text, QString* error) {
    const QLocale c = QLocale::c();
    switch (k.kind) {
    case KnobKind::Text:
    case KnobKind::Choice:
        return text;
    case KnobKind::Bool:
        return true;
    case KnobKind::Interval: {
        const QStringList ab = text.split(QLatin1Char(','));
        bool okA = false, okB = false;
        const double a = ab.size() == 2 ? c.toDouble(ab[0].trimmed(), &okA) : 0;
        const double b = ab.size() == 2 ? c.toDouble(ab[1].trimmed(), &okB) : 0;
        if (!okA || !okB || !std::isfinite(a) || !std::isfinite(b)) {
            *error = QStringLiteral("must be two numbers A,B, e.g. -2,2");
            return {};
        }
        return QJsonArray{a, b};
    }
    case KnobKind::Seed: {
        bool ok = false;
        text.toULongLong(&ok);
        if (!ok || text.startsWith(QLatin1Char('-')))
            *error = QString::fromStdString("must be " + knobRangeText(k.knob));
        return text;
    }
    default:
        break;
    }
    bool ok = false;
    const double d = c.toDouble(text, &ok);
    if (!ok || !std::isfinite(d)) {
        *error = QStringLiteral("must be a number");
        return {};
    }
    return d;
}

// "300:beta=10" as a change at the start of epoch 300; its range is checked by validate().
std::optional<KnobChange> parseChange(const QString& text, QString* error) {
    static const QRegularExpression form(
        QStringLiteral("^\\s*(\\d+)\\s*:\\s*([A-Za-z_]+)\\s*=\\s*(\\S+)\\s*$"));
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch()) {
        *error = QStringLiteral("must be EPOCH:KNOB=VALUE, e.g. 300:beta=10");
        return std::nullopt;
    }
    KnobChange change;
    bool ok = false;
    change.epoch = m.captured(1).toInt(&ok);
    if (!ok) {
        *error = QStringLiteral("the epoch must be a whole number");
        return std::nullopt;
    }
    const auto knob = knobFromName(m.captured(2).toStdString());
    if (!knob || !knobInfo(*knob).live) {
        *error = QStringLiteral("unknown knob \"%1\"; the knobs that can change are %2")
                     .arg(m.captured(2), toQString(knobNameList(liveKnobs(), true)));
        return std::nullopt;
    }
    change.knob = *knob;
    change.value = QLocale::c().toDouble(m.captured(3), &ok);
    if (!ok) {
        *error = QStringLiteral("the value must be a number");
        return std::nullopt;
    }
    return change;
}

// --- Option declarations ---------------------------------------------------------------------

// The flags that choose what to do; the knobs' flags come from the registry.
struct ModeOptions {
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")},
                            QStringLiteral("Show this help.")};
    QCommandLineOption version{QStringLiteral("version"), QStringLiteral("Show the version.")};
    QCommandLineOption headless{QStringLiteral("headless"),
                                QStringLiteral("Train without a window and write a run folder.")};
    QCommandLineOption start{QStringLiteral("start"),
                             QStringLiteral("Window: start training at once.")};
    QCommandLineOption quiet{QStringLiteral("quiet"),
                             QStringLiteral("Headless: no progress line on stderr.")};
    QCommandLineOption config{
        QStringLiteral("config"),
        QStringLiteral("Read the config from a JSON file (flags override it)."),
        QStringLiteral("FILE.json")};
    QCommandLineOption out{QStringLiteral("out"),
                           QStringLiteral("Headless: the run folder to write (new or empty; "
                                          "default: a new folder under the current one)."),
                           QStringLiteral("DIR")};
    QCommandLineOption plots{
        QStringLiteral("plots"),
        QStringLiteral("Headless: also write the four figures (PNG and SVG) and metrics.md into "
                       "the run folder (with --sweep: into every run folder, plus the sweep's "
                       "trade-off and error-vs-knob figures).")};
    QCommandLineOption figureScale{
        QStringLiteral("figure-scale"),
        QStringLiteral("Headless --plots: the figures' size in a document, times 6.25 x 3.9 in "
                       "(0.5-3; default 1); their text stays at least 9 pt."),
        QStringLiteral("FACTOR")};
    QCommandLineOption report{
        QStringLiteral("report"),
        QStringLiteral("Headless: also write the run's report, report.pdf and the same as "
                       "report.md with its four figures, into the run folder (with --sweep: "
                       "into every run folder).")};
    QCommandLineOption reportPage{
        QStringLiteral("report-page"),
        QStringLiteral("Headless --report: the paper, a4 or letter (default: the locale's, "
                       "letter in the US, Canada and Mexico, a4 elsewhere)."),
        QStringLiteral("SIZE")};
    QCommandLineOption sweep{
        QStringLiteral("sweep"),
        QStringLiteral("Headless: train every value of a knob, e.g. beta=0,0.1,1,10 or "
                       "beta=log:1e-3:1e3:7 or schedule=constant,cosine (knobs: %1); give it "
                       "twice for a grid.")
            .arg(toQString(knobNameList(sweepableKnobs()))),
        QStringLiteral("KNOB=VALUES")};
    QCommandLineOption seeds{
        QStringLiteral("seeds"),
        QStringLiteral("Headless sweep: the seeds of every point, e.g. 1,2,3 or 1-5; "
                       "without --sweep, a seed ensemble of the config."),
        QStringLiteral("LIST")};
    QCommandLineOption threads{
        QStringLiteral("threads"),
        QStringLiteral("Headless sweep: runs trained at once (default: every core)."),
        QStringLiteral("N")};
    QCommandLineOption shard{
        QStringLiteral("shard"),
        QStringLiteral("Headless sweep: train only the K-th of N slices of the runs (K from 1 "
                       "to N, e.g. 2/4; runs K, K+N, K+2N, ... of the sweep), into the --out "
                       "folder the shards share, skipping runs already finished there; slurm: "
                       "K and N from the Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _COUNT)."),
        QStringLiteral("K/N|slurm")};
    QCommandLineOption merge{
        QStringLiteral("merge"),
        QStringLiteral("Assemble the shards in the sweep folders DIR... into one sweep in --out "
                       "(one of them, or a new folder): summary.csv, missing-runs.txt, and with "
                       "--plots the sweep's figures.")};
    QCommandLineOption resume{
        QStringLiteral("resume"),
        QStringLiteral("Continue the run in DIR, a run folder the headless mode was writing when "
                       "it was killed, from its last checkpoint to its end, bit-identically to "
                       "a run never stopped (without a window; only --quiet goes with it)."),
        QStringLiteral("DIR")};
    QCommandLineOption baselines{
        QStringLiteral("baselines"),
        QStringLiteral("Headless: classical fits measured beside the network, into metrics.json "
                       "and metrics.md, e.g. cheb:20,equi:20,hermite:15,lsq:12,spline:10 "
                       "(equi/cheb: interpolation of degree N at equispaced/Chebyshev nodes; "
                       "lsq: least squares of degree N; spline, hermite: N intervals)."),
        QStringLiteral("LIST")};
    QCommandLineOption change{
        QStringLiteral("change"),
        QStringLiteral("Change %1 from the start of an epoch on (lr: Adam's base rate), e.g. "
                       "300:beta=10; give it once per change (it replaces the changes of a "
                       "--config file).")
            .arg(toQString(knobNameList(liveKnobs(), true))),
        QStringLiteral("EPOCH:KNOB=VALUE")};
    QCommandLineOption animate{
        QStringLiteral("animate"),
        QStringLiteral("Headless: also write an animation of the run from its snapshots, the fit "
                       "forming, as .gif, .mp4 (H.264) or .webm (VP9) by FILE's suffix (with "
                       "--sweep or --seeds: every run in one comparison)."),
        QStringLiteral("FILE")};
    QCommandLineOption animateSize{
        QStringLiteral("animate-size"),
        QStringLiteral("--animate: the frame size in pixels (default 800x450)."),
        QStringLiteral("WxH")};
    QCommandLineOption animateFps{QStringLiteral("animate-fps"),
                                  QStringLiteral("--animate: frames per second (default 15)."),
                                  QStringLiteral("N")};
    QCommandLineOption animateSeconds{
        QStringLiteral("animate-seconds"),
        QStringLiteral("--animate: the animation's length in seconds (default 10)."),
        QStringLiteral("S")};
    QCommandLineOption animateCharts{
        QStringLiteral("animate-charts"),
        QStringLiteral("--animate: the charts side by side, from f, fprime, error and loss "
                       "(default f,fprime)."),
        QStringLiteral("LIST")};
};

// Every option on `parser`: the mode flags, then one per knob of the registry with a flag.
void declareOptions(QCommandLineParser& parser, const ModeOptions& o) {
    parser.setApplicationDescription(QStringLiteral(
        "Sobolev Workbench: train a small network to fit f(x) (by default 1/(1+25x^2)) and its "
        "derivative.\n"
        "Without --headless the window opens; the config flags then preset its knobs."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({o.help,        o.version,    o.headless,       o.start,        o.quiet,
                       o.config,      o.out,        o.plots,          o.figureScale,  o.report,
                       o.reportPage,  o.sweep,      o.seeds,          o.threads,      o.shard,
                       o.merge,       o.resume,     o.change,         o.baselines,    o.animate,
                       o.animateSize, o.animateFps, o.animateSeconds, o.animateCharts});
    parser.addPositionalArgument(QStringLiteral("DIR"),
                                 QStringLiteral("With --merge: the sweep folders of the shards."),
                                 QStringLiteral("[DIR...]"));
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.flag)
            continue;
        if (k.kind == KnobKind::Bool) // a switch: given means true
            parser.addOption(QCommandLineOption(QLatin1String(k.flag), flagHelp(k)));
        else
            parser.addOption(
                QCommandLineOption(QLatin1String(k.flag), flagHelp(k), QStringLiteral("value")));
    }
}

// --- Mode checks -------------------------------------------------------------------------------

// A flag given twice would silently keep one of its values; only --sweep and --change add up.
void checkRepeats(const QCommandLineParser& parser, CommandLine& cl) {
    QStringList seen, repeated;
    for (QString name : parser.optionNames()) {
        if (name == QLatin1String("h"))
            name = QStringLiteral("help");
        const bool adds = name == QLatin1String("sweep") || name == QLatin1String("change");
        if (!adds && seen.contains(name) && !repeated.contains(name))
            repeated << name;
        seen << name;
    }
    for (const QString& name : repeated)
        cl.errors << QStringLiteral("--%1: given more than once; give each flag once").arg(name);
}

// --resume DIR: the run folder says everything else, so only --quiet may join it.
void readResume(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    cl.resumeDir = parser.value(o.resume);
    if (cl.resumeDir.isEmpty())
        cl.errors << QStringLiteral("--resume: needs the run folder to continue");
    cl.quiet = parser.isSet(o.quiet);
    QStringList others;
    for (const QString& name : parser.optionNames())
        if (name != QLatin1String("resume") && name != QLatin1String("quiet") &&
            !others.contains(QStringLiteral("--") + name))
            others << QStringLiteral("--") + name;
    if (!others.isEmpty())
        cl.errors << QStringLiteral("--resume goes with --quiet only; got %1 (the run folder "
                                    "holds the config and the outputs it writes)")
                         .arg(others.join(QStringLiteral(", ")));
    if (!parser.positionalArguments().isEmpty())
        cl.errors << QStringLiteral("unexpected argument \"%1\"; --resume takes one folder")
                         .arg(parser.positionalArguments().constFirst());
}

// What to do and where to write: window or headless, merge, plots, report.
void readModes(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    cl.merge = parser.isSet(o.merge);
    if (cl.merge)
        cl.mergeDirs = parser.positionalArguments();
    else if (!parser.positionalArguments().isEmpty())
        cl.errors << QStringLiteral("unexpected argument \"%1\"; every value follows its flag, "
                                    "e.g. --width 64 (see --help)")
                         .arg(parser.positionalArguments().constFirst());
    cl.help = parser.isSet(o.help);
    cl.version = parser.isSet(o.version);
    cl.headless = parser.isSet(o.headless);
    cl.start = parser.isSet(o.start);
    cl.quiet = parser.isSet(o.quiet);
    cl.plots = parser.isSet(o.plots);
    cl.report = parser.isSet(o.report);
    cl.outDir = parser.value(o.out);
    if (parser.isSet(o.out) && cl.outDir.isEmpty())
        cl.errors << QStringLiteral("--out: needs a folder name");
    if (cl.start && cl.headless)
        cl.errors << QStringLiteral("--start is for the window; --headless always trains");
    if (!cl.headless && !cl.merge && (cl.quiet || cl.plots || cl.report || parser.isSet(o.out)))
        cl.errors << QStringLiteral(
            "--quiet, --out, --plots and --report go with --headless (all but --report also "
            "with --merge)");
    if (!cl.merge)
        return;
    if (cl.mergeDirs.isEmpty())
        cl.errors << QStringLiteral("--merge: name the sweep folders to merge, e.g. --merge "
                                    "shard1 shard2 --out sweep");
    if (!parser.isSet(o.out))
        cl.errors << QStringLiteral("--merge needs --out DIR, the folder of the merged sweep");
    QStringList others;
    for (const QString& name : parser.optionNames())
        if (!QStringList{"merge", "out", "plots", "quiet", "figure-scale"}.contains(name) &&
            !others.contains(QStringLiteral("--") + name))
            others << QStringLiteral("--") + name;
    if (!others.isEmpty())
        cl.errors << QStringLiteral("--merge goes with --out, --plots, --figure-scale and "
                                    "--quiet only; got %1 (the sweep is in the shards' "
                                    "sweep.json)")
                         .arg(others.join(QStringLiteral(", ")));
}

// --report-page, --figure-scale, and whether this build can draw figures at all.
void readOutputOptions(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    if (parser.isSet(o.reportPage)) {
        if (const auto page = reportPageFromName(parser.value(o.reportPage)))
            cl.reportPage = *page;
        else
            cl.errors << QStringLiteral("--report-page: must be a4 or letter; got \"%1\"")
                             .arg(parser.value(o.reportPage));
        if (!cl.report)
            cl.errors << QStringLiteral("--report-page goes with --report");
    }
    if (parser.isSet(o.figureScale)) {
        bool ok = false;
        cl.figureScale = QLocale::c().toDouble(parser.value(o.figureScale), &ok);
        if (!ok || !(cl.figureScale >= 0.5 && cl.figureScale <= 3))
            cl.errors << QStringLiteral(
                             "--figure-scale: must be a number from 0.5 to 3; got \"%1\"")
                             .arg(parser.value(o.figureScale));
        if (!cl.plots)
            cl.errors << QStringLiteral("--figure-scale goes with --plots");
    }
    for (const auto& [wanted, flag] :
         {std::pair{cl.plots, "--plots"}, std::pair{cl.report, "--report"}})
        if (wanted && !figuresAvailable())
            cl.errors << QStringLiteral("%1: this build has no figures; it was built without "
                                        "the window (-DSOBOLEV_BUILD_UI=OFF)")
                             .arg(QLatin1String(flag));
}

// --shard K/N or --shard slurm.
void readShard(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    std::string error;
    const QString text = parser.value(o.shard);
    cl.shard = text == QLatin1String("slurm")
                   ? shardFromSlurm(
                         [](const char* name) -> std::optional<std::string> {
                             if (!qEnvironmentVariableIsSet(name))
                                 return std::nullopt;
                             return qEnvironmentVariable(name).toStdString();
                         },
                         &error)
                   : parseShard(text.toStdString(), &error);
    if (!cl.shard)
        cl.errors << QStringLiteral("--shard: ") + QString::fromStdString(error);
    if (!parser.isSet(o.sweep) && !parser.isSet(o.seeds))
        cl.errors << QStringLiteral("--shard goes with --sweep or --seeds");
    if (!parser.isSet(o.out))
        cl.errors << QStringLiteral("--shard needs --out DIR: the sweep folder the shards "
                                    "share (or one per shard)");
}

// --sweep, --seeds, --threads and --shard: the headless sweep.
void readSweepOptions(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    if (!cl.headless && !cl.merge &&
        (parser.isSet(o.sweep) || parser.isSet(o.seeds) || parser.isSet(o.threads) ||
         parser.isSet(o.shard)))
        cl.errors << QStringLiteral("--sweep, --seeds, --threads and --shard go with --headless");
    for (const QString& text : parser.values(o.sweep)) {
        std::string error;
        if (const auto axis = parseSweepAxis(text.toStdString(), &error))
            cl.sweeps.push_back(*axis);
        else
            cl.errors << QStringLiteral("--sweep: ") + QString::fromStdString(error);
    }
    if (cl.sweeps.size() > 2)
        cl.errors << QStringLiteral("--sweep: at most two knobs; got %1").arg(cl.sweeps.size());
    if (parser.isSet(o.seeds)) {
        std::string error;
        if (const auto list = parseSeedList(parser.value(o.seeds).toStdString(), &error))
            cl.seeds = *list;
        else
            cl.errors << QStringLiteral("--") + QString::fromStdString(error);
    }
    if (parser.isSet(o.threads)) {
        bool ok = false;
        cl.threads = parser.value(o.threads).toInt(&ok);
        if (!ok || cl.threads < 1 || cl.threads > 256)
            cl.errors << QStringLiteral("--threads: must be an integer from 1 to 256; got \"%1\"")
                             .arg(parser.value(o.threads));
        if (!parser.isSet(o.sweep) && !parser.isSet(o.seeds))
            cl.errors << QStringLiteral("--threads goes with --sweep or --seeds");
    }
    if (parser.isSet(o.shard))
        readShard(parser, o, cl);
}

void readBaselines(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    if (!parser.isSet(o.baselines))
        return;
    const BaselineParse parsed = parseBaselines(parser.value(o.baselines).toStdString());
    cl.baselines = parsed.specs;
    for (const std::string& problem : parsed.problems)
        cl.errors << QStringLiteral("--baselines: ") + QString::fromStdString(problem);
    if (parsed.problems.empty() && parsed.specs.empty())
        cl.errors << QStringLiteral("--baselines: needs at least one KIND:N, e.g. cheb:20");
    if (!cl.headless)
        cl.errors << QStringLiteral("--baselines goes with --headless (in the window: "
                                    "View > Baselines)");
}

// --animate and its settings: their numbers here, the rest in animationProblems().
void readAnimate(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    const std::array settings{&o.animateSize, &o.animateFps, &o.animateSeconds, &o.animateCharts};
    const bool anySetting = std::any_of(settings.begin(), settings.end(),
                                        [&](const auto* option) { return parser.isSet(*option); });
    if (!parser.isSet(o.animate)) {
        if (anySetting)
            cl.errors << QStringLiteral("--animate-size, --animate-fps, --animate-seconds and "
                                        "--animate-charts go with --animate FILE");
        return;
    }
    AnimateOptions& a = cl.animate;
    a.path = parser.value(o.animate);
    if (a.path.isEmpty())
        cl.errors << QStringLiteral("--animate: needs a file name ending in .gif, .mp4 or .webm");
    if (!cl.headless)
        cl.errors << QStringLiteral("--animate goes with --headless (in the window: File > Export "
                                    "Animation)");
    if (parser.isSet(o.shard))
        cl.errors << QStringLiteral("--animate does not go with --shard: a shard holds only some "
                                    "of the sweep's runs, and the animation shows them all");
    if (parser.isSet(o.animateSize))
        a.size = parser.value(o.animateSize);
    if (parser.isSet(o.animateFps)) {
        bool ok = false;
        a.fps = parser.value(o.animateFps).toInt(&ok);
        if (!ok)
            cl.errors << QStringLiteral("--animate-fps: must be a whole number of frames per "
                                        "second, e.g. 15; got \"%1\"")
                             .arg(parser.value(o.animateFps));
    }
    if (parser.isSet(o.animateSeconds)) {
        bool ok = false;
        a.seconds = QLocale::c().toDouble(parser.value(o.animateSeconds), &ok);
        if (!ok || !std::isfinite(a.seconds))
            cl.errors << QStringLiteral("--animate-seconds: must be a number of seconds, e.g. "
                                        "10; got \"%1\"")
                             .arg(parser.value(o.animateSeconds));
    }
    if (parser.isSet(o.animateCharts))
        a.charts = parser.value(o.animateCharts);
}

// --- The config read ---------------------------------------------------------------------------

// The knob flags and --change as the JSON a config file would hold.
QJsonObject flagOverrides(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    QJsonObject overrides;
    for (const KnobInfo& k : knobRegistry()) {
        if (!k.flag || !parser.isSet(QLatin1String(k.flag)))
            continue;
        const QString text =
            k.kind == KnobKind::Bool ? QString() : parser.values(QLatin1String(k.flag)).constLast();
        QString error;
        const QJsonValue v = flagValue(k, text, &error);
        if (!error.isEmpty())
            cl.errors
                << QStringLiteral("--%1: %2; got \"%3\"").arg(QLatin1String(k.flag), error, text);
        else
            overrides.insert(QLatin1String(k.key), v);
    }
    if (parser.isSet(o.change)) {
        std::vector<KnobChange> changes;
        for (const QString& text : parser.values(o.change)) {
            QString error;
            if (const auto parsed = parseChange(text, &error))
                changes.push_back(*parsed);
            else
                cl.errors << QStringLiteral("--change: %1; got \"%2\"").arg(error, text);
        }
        // In the order of the run: the flags may come in any order.
        std::stable_sort(changes.begin(), changes.end(), changeComesBefore);
        overrides.insert(QStringLiteral("changes"), changesToJson(changes));
    }
    return overrides;
}

// Defaults, then the --config file, then the flags; range checks once at the end, each
// problem naming where its value came from.
void readConfig(const QCommandLineParser& parser, const ModeOptions& o, CommandLine& cl) {
    TrainConfig base;
    if (parser.isSet(o.config)) {
        cl.configFile = parser.value(o.config);
        const ConfigReadResult file = readConfigFile(cl.configFile, base, RangeCheck::Skip);
        if (!file.errors.isEmpty()) {
            cl.errors << file.errors;
            return;
        }
        base = file.config;
    }
    const QJsonObject overrides = flagOverrides(parser, o, cl);
    if (!cl.errors.isEmpty())
        return;
    cl.configGiven = parser.isSet(o.config) || !overrides.isEmpty();
    const ConfigReadResult merged = configFromJson(overrides, base, RangeCheck::Skip);
    cl.config = merged.config;
    cl.errors << merged.errors;
    const bool dataRefused = !merged.errors.filter(QStringLiteral("data: ")).isEmpty();
    for (const ConfigProblem& p : validate(cl.config)) {
        if (dataRefused && p.field == "data")
            continue; // the file's own problems are listed already
        // "--lr (learning_rate): ..." or "cfg.json: alpha: ...".
        const QString key = QString::fromStdString(p.field);
        const QString message = QString::fromStdString(p.message);
        if (overrides.contains(key) || cl.configFile.isEmpty())
            cl.errors << QStringLiteral("%1 (%2): %3").arg(flagForKey(key), key, message);
        else
            cl.errors << QStringLiteral("%1: %2: %3").arg(cl.configFile, key, message);
    }
}

} // namespace

CommandLine parseCommandLine(const QStringList& arguments) {
    CommandLine cl;
    QCommandLineParser parser;
    const ModeOptions options;
    declareOptions(parser, options);
    // QCommandLineParser names the program from the QCoreApplication, which does not exist
    // yet: it would print "<executable_name>".
    cl.helpText = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                            arguments.isEmpty()
                                                ? QStringLiteral("sobolev-workbench")
                                                : QFileInfo(arguments.constFirst()).fileName());
    if (!parser.parse(arguments)) {
        cl.errors << parser.errorText() + QStringLiteral(" (see --help for the allowed flags)");
        return cl;
    }
    checkRepeats(parser, cl);
    if (parser.isSet(options.resume)) {
        readResume(parser, options, cl);
        return cl;
    }
    readModes(parser, options, cl);
    readOutputOptions(parser, options, cl);
    readSweepOptions(parser, options, cl);
    readBaselines(parser, options, cl);
    readAnimate(parser, options, cl);
    readConfig(parser, options, cl);
    return cl;
}

} // namespace sobolev
