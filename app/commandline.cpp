// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"

#include "configjson.h"
#include "figures.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

#include <cmath>

namespace sobolev {

namespace {

struct ConfigFlag {
    const char* flag;
    const char* key; // the JSON key, as validate() names fields
    const char* help;
};

const ConfigFlag configFlags[] = {
    {"width", "width", "Neurons per hidden layer (1-1024)."},
    {"depth", "depth", "Hidden layers (1-8)."},
    {"activation", "activation", "Hidden activation: tanh, sin or softplus."},
    {"alpha", "alpha", "Weight of MSE(f) in the loss (>= 0)."},
    {"beta", "beta", "Weight of MSE(f') in the loss (>= 0; not both 0)."},
    {"lr", "learning_rate", "Adam learning rate, in (0, 1]."},
    {"seed", "seed", "Random seed, 0-18446744073709551615."},
    {"epochs", "epochs", "Adam epochs to train (1-1000000; 0 with --lbfgs-iterations)."},
    {"batch-size", "batch_size", "Mini-batch size (1-n_train)."},
    {"n-train", "n_train", "Training points (1-1000000)."},
    {"n-val", "n_val", "Validation points (1-1000000)."},
    {"grid-points", "grid_points", "Points of the evaluation grid (2-1000000)."},
    {"schedule", "schedule",
     "Adam learning-rate schedule: constant, cosine, exponential, step or plateau."},
    {"lr-floor", "lr_floor",
     "Lowest rate of a schedule, as a fraction of --lr, in (0, 1] (default 0.01)."},
    {"decay-factor", "decay_factor",
     "step and plateau: multiply the rate by this, in (0, 1) (default 0.5)."},
    {"step-epochs", "step_epochs", "step: epochs between decays (default 250)."},
    {"patience", "patience",
     "plateau: epochs without a validation improvement before a decay (default 50)."},
    {"precision", "precision", "Network precision for Adam: float32 or float64."},
    {"lbfgs-iterations", "lbfgs_iterations",
     "Full-batch L-BFGS iterations after the Adam epochs (0-1000000; with --epochs 0, "
     "L-BFGS alone)."},
    {"lbfgs-history", "lbfgs_history", "L-BFGS correction pairs kept (1-1000, default 10)."},
    {"lbfgs-gradient-tolerance", "lbfgs_gradient_tolerance",
     "Stop L-BFGS when the gradient norm is at most this (>= 0; 0: off)."},
    {"lbfgs-change-tolerance", "lbfgs_change_tolerance",
     "Stop L-BFGS when an iteration changes the loss by at most this, relatively (>= 0; 0: "
     "off)."},
    {"lbfgs-precision", "lbfgs_precision", "Network precision for L-BFGS: float32 or float64."},
    // Target and data (issue #12).
    {"target", "target",
     "The function to fit: a preset (runge, sine, tanh, gaussian, smooth_abs, polynomial, "
     "pinn) or a formula in x, e.g. \"sin(3*x)*exp(-x^2)\" (default: runge)."},
    {"target-param", "target_param",
     "The preset's parameter: k of runge (25) and tanh (10), omega of sine (2 pi), sigma of "
     "gaussian (0.2), eps of smooth_abs (0.01), degree of polynomial (5)."},
    {"domain", "domain", "The interval [a, b] as A,B, e.g. -2,2 (default -1,1)."},
    {"sampling", "sampling",
     "Training points: uniform (random, default), equispaced or chebyshev."},
    {"noise-f", "noise_f", "Gaussian noise sigma on the f labels (>= 0, default 0)."},
    {"noise-fprime", "noise_fprime", "Gaussian noise sigma on the f' labels (>= 0, default 0)."},
    {"data", "data",
     "Train on measured data instead of a target: a CSV of x,f or x,f,f' (header optional; "
     "an empty f' cell: no f' on that row)."},
    {"data-validation", "data_validation",
     "With --data: the fraction of rows held out for validation, 0-0.9 (default 0: the "
     "metrics are then on the training data)."},
};

QString flagForKey(const QString& key) {
    if (key == QLatin1String("changes"))
        return QStringLiteral("--change");
    for (const ConfigFlag& f : configFlags)
        if (key == QLatin1String(f.key))
            return QStringLiteral("--") + QLatin1String(f.flag);
    return key;
}

// Turns a flag's text into the JSON value its key takes, so that the flags and the config
// file share one reader and one set of messages.
QJsonValue flagValue(const QString& key, const QString& text, QString* error) {
    const QLocale c = QLocale::c();
    for (const char* word :
         {"activation", "target", "sampling", "schedule", "precision", "lbfgs_precision", "data"})
        if (key == QLatin1String(word))
            return text;
    if (key == QLatin1String("domain")) {
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
    if (key == QLatin1String("seed")) {
        bool ok = false;
        text.toULongLong(&ok);
        if (!ok || text.startsWith(QLatin1Char('-')))
            *error = QStringLiteral("must be an integer from 0 to 18446744073709551615");
        return text;
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
    const auto knob = liveKnobFromName(m.captured(2).toStdString());
    if (!knob) {
        *error =
            QStringLiteral("unknown knob \"%1\"; the knobs that can change are alpha, beta, lr")
                .arg(m.captured(2));
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

} // namespace

CommandLine parseCommandLine(const QStringList& arguments) {
    CommandLine cl;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sobolev Workbench: train a small network to fit f(x) (by default 1/(1+25x^2)) and its "
        "derivative.\n"
        "Without --headless the window opens; the config flags then preset its knobs."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Show the version."));
    const QCommandLineOption headless(
        QStringLiteral("headless"),
        QStringLiteral("Train without a window and write a run folder."));
    const QCommandLineOption start(QStringLiteral("start"),
                                   QStringLiteral("Window: start training at once."));
    const QCommandLineOption quiet(QStringLiteral("quiet"),
                                   QStringLiteral("Headless: no progress line on stderr."));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Read the config from a JSON file (flags override it)."),
        QStringLiteral("FILE.json"));
    const QCommandLineOption out(QStringLiteral("out"),
                                 QStringLiteral("Headless: the run folder to write (new or empty; "
                                                "default: a new folder under the current one)."),
                                 QStringLiteral("DIR"));
    const QCommandLineOption plots(
        QStringLiteral("plots"),
        QStringLiteral("Headless: also write the four figures (PNG and SVG) "
                       "and metrics.md into the run folder (with --sweep: into "
                       "every run folder, plus the sweep's trade-off and "
                       "error-vs-knob figures)."));
    const QCommandLineOption figureScale(
        QStringLiteral("figure-scale"),
        QStringLiteral("Headless --plots: the figures' size in a document, times 6.25 x 3.9 in "
                       "(0.5-3; default 1); their text stays at least 9 pt."),
        QStringLiteral("FACTOR"));
    const QCommandLineOption report(
        QStringLiteral("report"),
        QStringLiteral("Headless: also write the run's report, report.pdf and the same as "
                       "report.md with its four figures, into the run folder (with --sweep: "
                       "into every run folder)."));
    const QCommandLineOption reportPage(
        QStringLiteral("report-page"),
        QStringLiteral("Headless --report: the paper, a4 or letter (default: the locale's, "
                       "letter in the US, Canada and Mexico, a4 elsewhere)."),
        QStringLiteral("SIZE"));
    const QCommandLineOption sweep(
        QStringLiteral("sweep"),
        QStringLiteral("Headless: train every value of a knob, e.g. beta=0,0.1,1,10 "
                       "or beta=log:1e-3:1e3:7 or schedule=constant,cosine (knobs: alpha, beta, "
                       "beta_over_alpha, learning_rate, width, depth, lbfgs_iterations, "
                       "noise_f, noise_fprime, schedule, precision, lbfgs_precision, "
                       "sampling); give it twice for a grid."),
        QStringLiteral("KNOB=VALUES"));
    const QCommandLineOption seeds(
        QStringLiteral("seeds"),
        QStringLiteral("Headless sweep: the seeds of every point, e.g. 1,2,3 or 1-5; "
                       "without --sweep, a seed ensemble of the config."),
        QStringLiteral("LIST"));
    const QCommandLineOption threads(
        QStringLiteral("threads"),
        QStringLiteral("Headless sweep: runs trained at once (default: every core)."),
        QStringLiteral("N"));
    const QCommandLineOption shard(
        QStringLiteral("shard"),
        QStringLiteral("Headless sweep: train only the K-th of N slices of the runs (K from 1 "
                       "to N, e.g. 2/4; runs K, K+N, K+2N, ... of the sweep), into the --out "
                       "folder the shards share, skipping runs already finished there; slurm: "
                       "K and N from the Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _COUNT)."),
        QStringLiteral("K/N|slurm"));
    const QCommandLineOption merge(
        QStringLiteral("merge"),
        QStringLiteral("Assemble the shards in the sweep folders DIR... into one sweep in --out "
                       "(one of them, or a new folder): summary.csv, missing-runs.txt, and with "
                       "--plots the sweep's figures."));
    const QCommandLineOption restoreBest(
        QStringLiteral("restore-best"),
        QStringLiteral("At the end, restore the weights of the epoch with the lowest "
                       "validation loss."));
    const QCommandLineOption baselines(
        QStringLiteral("baselines"),
        QStringLiteral("Headless: classical fits measured beside the network, into metrics.json "
                       "and metrics.md, e.g. cheb:20,equi:20,hermite:15,lsq:12,spline:10 "
                       "(equi/cheb: interpolation of degree N at equispaced/Chebyshev nodes; "
                       "lsq: least squares of degree N; spline, hermite: N intervals)."),
        QStringLiteral("LIST"));
    const QCommandLineOption change(
        QStringLiteral("change"),
        QStringLiteral("Change alpha, beta or lr (Adam's base rate) from the start of an epoch "
                       "on, e.g. 300:beta=10; give it once per change (it replaces the changes "
                       "of a --config file)."),
        QStringLiteral("EPOCH:KNOB=VALUE"));
    parser.addOptions({help, version, headless, start, quiet, config, out, plots, figureScale,
                       report, reportPage, sweep, seeds, threads, shard, merge, restoreBest, change,
                       baselines});
    parser.addPositionalArgument(QStringLiteral("DIR"),
                                 QStringLiteral("With --merge: the sweep folders of the shards."),
                                 QStringLiteral("[DIR...]"));
    for (const ConfigFlag& f : configFlags)
        parser.addOption(QCommandLineOption(QLatin1String(f.flag), QLatin1String(f.help),
                                            QStringLiteral("value")));
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
    // A flag given twice would silently keep one of its values; only --sweep and --change add up.
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
    cl.merge = parser.isSet(merge);
    if (cl.merge)
        cl.mergeDirs = parser.positionalArguments();
    else if (!parser.positionalArguments().isEmpty())
        cl.errors << QStringLiteral("unexpected argument \"%1\"; every value follows its flag, "
                                    "e.g. --width 64 (see --help)")
                         .arg(parser.positionalArguments().constFirst());
    cl.help = parser.isSet(help);
    cl.version = parser.isSet(version);
    cl.headless = parser.isSet(headless);
    cl.start = parser.isSet(start);
    cl.quiet = parser.isSet(quiet);
    cl.plots = parser.isSet(plots);
    cl.outDir = parser.value(out);
    if (parser.isSet(out) && cl.outDir.isEmpty())
        cl.errors << QStringLiteral("--out: needs a folder name");
    if (cl.start && cl.headless)
        cl.errors << QStringLiteral("--start is for the window; --headless always trains");
    cl.report = parser.isSet(report);
    if (!cl.headless && !cl.merge && (cl.quiet || cl.plots || cl.report || parser.isSet(out)))
        cl.errors << QStringLiteral(
            "--quiet, --out, --plots and --report go with --headless (all but --report also "
            "with --merge)");
    if (parser.isSet(reportPage)) {
        if (const auto page = reportPageFromName(parser.value(reportPage)))
            cl.reportPage = *page;
        else
            cl.errors << QStringLiteral("--report-page: must be a4 or letter; got \"%1\"")
                             .arg(parser.value(reportPage));
        if (!cl.report)
            cl.errors << QStringLiteral("--report-page goes with --report");
    }
    if (cl.merge) {
        if (cl.mergeDirs.isEmpty())
            cl.errors << QStringLiteral("--merge: name the sweep folders to merge, e.g. --merge "
                                        "shard1 shard2 --out sweep");
        if (!parser.isSet(out))
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
    if (parser.isSet(figureScale)) {
        bool ok = false;
        cl.figureScale = QLocale::c().toDouble(parser.value(figureScale), &ok);
        if (!ok || !(cl.figureScale >= 0.5 && cl.figureScale <= 3))
            cl.errors << QStringLiteral(
                             "--figure-scale: must be a number from 0.5 to 3; got \"%1\"")
                             .arg(parser.value(figureScale));
        if (!cl.plots)
            cl.errors << QStringLiteral("--figure-scale goes with --plots");
    }
    if (cl.plots && !figuresAvailable())
        cl.errors << QStringLiteral(
            "--plots: this build has no figures; it was built without the window "
            "(-DSOBOLEV_BUILD_UI=OFF)");
    if (cl.report && !figuresAvailable())
        cl.errors << QStringLiteral(
            "--report: this build has no figures; it was built without the window "
            "(-DSOBOLEV_BUILD_UI=OFF)");
    if (!cl.headless && !cl.merge &&
        (parser.isSet(sweep) || parser.isSet(seeds) || parser.isSet(threads) ||
         parser.isSet(shard)))
        cl.errors << QStringLiteral("--sweep, --seeds, --threads and --shard go with --headless");
    for (const QString& text : parser.values(sweep)) {
        std::string error;
        if (const auto axis = parseSweepAxis(text.toStdString(), &error))
            cl.sweeps.push_back(*axis);
        else
            cl.errors << QStringLiteral("--sweep: ") + QString::fromStdString(error);
    }
    if (cl.sweeps.size() > 2)
        cl.errors << QStringLiteral("--sweep: at most two knobs; got %1").arg(cl.sweeps.size());
    if (parser.isSet(seeds)) {
        std::string error;
        if (const auto list = parseSeedList(parser.value(seeds).toStdString(), &error))
            cl.seeds = *list;
        else
            cl.errors << QStringLiteral("--") + QString::fromStdString(error);
    }
    if (parser.isSet(threads)) {
        bool ok = false;
        cl.threads = parser.value(threads).toInt(&ok);
        if (!ok || cl.threads < 1 || cl.threads > 256)
            cl.errors << QStringLiteral("--threads: must be an integer from 1 to 256; got \"%1\"")
                             .arg(parser.value(threads));
    }
    if (parser.isSet(threads) && !parser.isSet(sweep) && !parser.isSet(seeds))
        cl.errors << QStringLiteral("--threads goes with --sweep or --seeds");
    if (parser.isSet(shard)) {
        std::string error;
        const QString text = parser.value(shard);
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
        if (!parser.isSet(sweep) && !parser.isSet(seeds))
            cl.errors << QStringLiteral("--shard goes with --sweep or --seeds");
        if (!parser.isSet(out))
            cl.errors << QStringLiteral("--shard needs --out DIR: the sweep folder the shards "
                                        "share (or one per shard)");
    }
    if (parser.isSet(baselines)) {
        const BaselineParse parsed = parseBaselines(parser.value(baselines).toStdString());
        cl.baselines = parsed.specs;
        for (const std::string& problem : parsed.problems)
            cl.errors << QStringLiteral("--baselines: ") + QString::fromStdString(problem);
        if (parsed.problems.empty() && parsed.specs.empty())
            cl.errors << QStringLiteral("--baselines: needs at least one KIND:N, e.g. cheb:20");
        if (!cl.headless)
            cl.errors << QStringLiteral("--baselines goes with --headless (in the window: "
                                        "View > Baselines)");
    }

    // Defaults, then the file, then the flags; range checks once at the end.
    TrainConfig base;
    if (parser.isSet(config)) {
        cl.configFile = parser.value(config);
        const ConfigReadResult file = readConfigFile(cl.configFile, base, RangeCheck::Skip);
        if (!file.errors.isEmpty()) {
            cl.errors << file.errors;
            return cl;
        }
        base = file.config;
    }
    QJsonObject overrides;
    for (const ConfigFlag& f : configFlags) {
        if (!parser.isSet(QLatin1String(f.flag)))
            continue;
        const QString text = parser.values(QLatin1String(f.flag)).constLast();
        QString error;
        const QJsonValue v = flagValue(QLatin1String(f.key), text, &error);
        if (!error.isEmpty())
            cl.errors
                << QStringLiteral("--%1: %2; got \"%3\"").arg(QLatin1String(f.flag), error, text);
        else
            overrides.insert(QLatin1String(f.key), v);
    }
    if (parser.isSet(restoreBest))
        overrides.insert(QStringLiteral("restore_best"), true);
    if (parser.isSet(change)) {
        std::vector<KnobChange> changes;
        for (const QString& text : parser.values(change)) {
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
    if (!cl.errors.isEmpty())
        return cl;
    cl.configGiven = parser.isSet(config) || !overrides.isEmpty();
    const ConfigReadResult merged = configFromJson(overrides, base, RangeCheck::Skip);
    cl.config = merged.config;
    cl.errors << merged.errors;
    const bool dataRefused = !merged.errors.filter(QStringLiteral("data: ")).isEmpty();
    for (const ConfigProblem& p : validate(cl.config)) {
        if (dataRefused && p.field == "data")
            continue; // the file's own problems are listed already
        // Name where the value came from: "--lr (learning_rate): ..." or "cfg.json: alpha: ...".
        const QString key = QString::fromStdString(p.field);
        const QString message = QString::fromStdString(p.message);
        if (overrides.contains(key) || cl.configFile.isEmpty())
            cl.errors << QStringLiteral("%1 (%2): %3").arg(flagForKey(key), key, message);
        else
            cl.errors << QStringLiteral("%1: %2: %3").arg(cl.configFile, key, message);
    }
    return cl;
}

} // namespace sobolev
