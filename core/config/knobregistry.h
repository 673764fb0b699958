// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knob.h"
#include "core/config/trainconfig.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sobolev {

// What kind of value a knob holds, which decides how JSON, the command line and the panel
// read and write it.
enum class KnobKind {
    Int,          // a whole number in [min, max]
    Real,         // a number in [min, max] (or open at an end)
    Choice,       // one of a few names; as a number, the index of the name
    Bool,         // true or false
    Text,         // a string: the target, the data file, its hash
    Seed,         // a 64-bit whole number (JSON: a string beyond 2^53)
    OptionalReal, // a number or none (target_param: none is the preset's default)
    Interval,     // [a, b] (the domain)
};

// One row of the knob registry: everything the program knows about a knob, so that adding a
// knob is one row plus the code that uses it.
struct KnobInfo {
    Knob knob;
    const char* key;              // JSON key, --sweep name and validate()'s field: "learning_rate"
    const char* alias = nullptr;  // another accepted name, used by --change and `changes`: "lr"
    const char* flag = nullptr;   // the command-line flag without "--"; nullptr: none
    const char* label = nullptr;  // the panel's and the report's name: "Learning rate"
    const char* symbol = nullptr; // axes, legends and change markers: "β", "learning rate"
    const char* help = nullptr;   // one or two sentences for --help and the panel's tooltip
    // How a run's name shows a value that differs from the reference experiment, %1 the
    // value: "α=%1", "seed %1", "%1 epochs"; nullptr: not part of run names.
    const char* runName = nullptr;
    KnobKind kind = KnobKind::Real;
    double min = 0, max = 0;                   // Int and Real: the limits:: range
    bool openBelow = false, openAbove = false; // min / max themselves are refused
    const char* noun = nullptr;  // how the range names the value: "a fraction"; or the allowed
                                 // text of a Text, OptionalReal or Interval knob
    const char* note = nullptr;  // after the range, in brackets: "0: off"
    const char* unit = nullptr;  // "epochs", "points"; nullptr: none
    bool logScale = false;       // spans decades: steps multiply
    bool sweepable = false;      // --sweep and the Sweep window may vary it
    bool live = false;           // may change while a run trains (--change)
    bool switches = false;       // its own value says whether it is used: always editable
    bool stored = true;          // a config key (false: beta_over_alpha, derived for sweeps)
    bool required = false;       // every saved experiment has it (keys added later are optional)
    bool omitWhenUnused = false; // JSON leaves it out while unused and at its default
    // When the knob is used by a run of `config`; a report lists only these.
    bool (*appliesTo)(const TrainConfig& config) = nullptr;
    // Where it lives in TrainConfig: one of these members, or get/set.
    int TrainConfig::*intField = nullptr;
    double TrainConfig::*realField = nullptr;
    double TrainConfig::*upperField = nullptr; // Interval: the upper end
    bool TrainConfig::*boolField = nullptr;
    std::string TrainConfig::*textField = nullptr;
    double (*get)(const TrainConfig& config) = nullptr;
    void (*set)(TrainConfig& config, double value) = nullptr;
    std::vector<std::string> (*choices)() = nullptr;      // Choice: the names in value order
    std::vector<std::string> (*choiceLabels)() = nullptr; // Choice: as a menu shows them
};

// Every knob, in the order of the config's keys (the report's table, --help).
const std::vector<KnobInfo>& knobRegistry();
const KnobInfo& knobInfo(Knob knob);
// By key or alias ("learning_rate" or "lr").
std::optional<Knob> knobFromName(std::string_view name);
// The name --change and a config's `changes` write: the alias when there is one ("lr").
std::string_view knobShortName(Knob knob);

std::vector<Knob> sweepableKnobs();
std::vector<Knob> liveKnobs();
// "alpha, beta, lr": names for messages.
std::string knobNameList(const std::vector<Knob>& knobs, bool shortNames = false);

bool knobApplies(Knob knob, const TrainConfig& config);
// The knob's value as a number: an Int or Real as it is, a Choice as the index of its name,
// a Bool as 0 or 1, target_param as NaN for none, the domain as its lower end.
// beta_over_alpha is beta / alpha (NaN when alpha is 0).
double knobValue(const TrainConfig& config, Knob knob);
// Sets a numeric, Choice or Bool knob; beta_over_alpha sets beta = value x alpha. An Int is
// clamped into the int range first (validate() then names the knob).
void setKnob(TrainConfig& config, Knob knob, double value);
// The value as a person reads it: "cosine" for a Choice, else the shortest exact number.
std::string knobValueText(Knob knob, double value);

bool isIntegerKnob(Knob knob); // Int, Seed and Choice: values must be whole numbers
bool isChoiceKnob(Knob knob);

// What is allowed, for messages and tooltips: "an integer from 1 to 1024", "a number greater
// than 0 and at most 1", "one of tanh, sin, softplus".
std::string knobRangeText(Knob knob);
// "must be an integer from 1 to 8; got 9" when `value` is outside the knob's range, else
// empty. Text, Seed, OptionalReal and Interval knobs are checked by validate()'s own rules.
std::string knobRangeProblem(Knob knob, double value);

} // namespace sobolev
