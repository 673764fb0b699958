// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/knobregistry.h"
#include "core/config/trainconfig.h"

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

class QAbstractSpinBox;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace sobolev {

class DataFileRow;
class LogSpinBox;
class TargetChecker;

// The form for one TrainConfig: a widget per field (objectName = the field's JSON key), with
// invalid entries marked at the field and their reasons in a line under it (objectName
// "<key>_message"); a problem of no field (the planned changes) is listed below the form.
class ParameterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ParameterPanel(QWidget* parent = nullptr);
    ~ParameterPanel() override;

    // What the widgets say now. A field whose text does not parse keeps its last good value
    // here; isValid() is false until it is fixed.
    TrainConfig config() const;
    // Shows `config` and emits configChanged() exactly once. Values outside a spin box's range
    // (which is the limits:: range) are clamped to it.
    void setConfig(const TrainConfig& config);

    // What validate(config()) says, and whether every field's text parses. The target's part
    // of it (a typed formula compiled, f and f′ evaluated at every point) is worked out on
    // another thread: Checking until it comes, and then targetChecked().
    enum class Verdict { Valid, Checking, Invalid };
    Verdict verdict() const;
    bool isValid() const { return verdict() == Verdict::Valid; }
    // One readable line per problem, "Field: reason", in the order of the form.
    QStringList problems() const;
    // Brings the first invalid field into view in the scroll area around the panel and gives
    // it the focus, so that its message under it is read; false when nothing is invalid.
    bool revealFirstProblem();

    // While a run trains only α, β and the learning rate can be edited: they change the run;
    // every other field waits for the next run.
    void setLiveOnly(bool liveOnly);

  public slots:
    // The reference experiment, TrainConfig{}.
    void restoreReference();
    // Draws a random seed different from the current one.
    void newSeed();

  signals:
    void configChanged();
    // Whether a problem is known; a target being checked is not one (yet).
    void validityChanged(bool valid);
    // The verdict on the target came: verdict() is Valid or Invalid again.
    void targetChecked();
    // α, β or the learning rate got a finished value: Enter, leaving the field, or a step.
    void liveKnobsEdited();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    struct Field {
        Knob knob;    // its row in the knob registry
        QString key;  // JSON key, also the widget's objectName
        QString name; // as the label reads, for problem lines
        QWidget* widget = nullptr;
        QString help;              // the tooltip while the field is fine
        QString range;             // what is allowed, "a whole number from 1 to 8"
        QLabel* message = nullptr; // under the field: its problems, shown while it has any
    };
    struct Problem {
        QString key;
        QString message;
    };

    QWidget* buildNetworkGroup();
    QWidget* buildLossGroup();
    QWidget* buildOptimiserGroup();
    QWidget* buildDataGroup();
    QWidget* buildSettlingGroup();
    // Enables the fields whose knobs apply to the config shown (the registry's appliesTo).
    void updateEnabledFields();
    // A balancing rule's parameters are shown with their rule only; with analytic, its β/α.
    void updateBalanceRows();
    // None: the rule is not analytic (or the form not valid yet); NaN: no row has f′.
    void showAnalyticRatio(std::optional<double> ratio);
    QWidget* buildTargetGroup();
    void onTargetChosen(int index);
    void refreshTargetInfo();
    std::optional<double> parsedTargetParam(bool* ok) const;
    // Registers the knob's widget: its name, tooltip and allowed range from the registry.
    void addField(Knob knob, QWidget* widget);
    void watchSpinBox(QAbstractSpinBox* spinBox);
    void leaveWheelToScrolling();
    void watchLiveKnob(LogSpinBox* box);

    // Puts each field's message label in the form row under it.
    void addMessageRows();
    void showMessage(const Field& field, const QStringList& reasons);
    const Field* fieldFor(const QString& key) const;
    void onEdited();
    void refreshMarks();
    std::vector<Problem> collectProblems() const;
    // The knobs are in range and the target is in use: validate() would check it.
    bool targetNeedsCheck(const TrainConfig& config) const;
    void onTargetChecked();
    std::optional<std::uint64_t> parsedSeed() const;
    QString fieldName(const QString& key) const;

    QSpinBox* m_width = nullptr;
    QSpinBox* m_depth = nullptr;
    QComboBox* m_activation = nullptr;
    LogSpinBox* m_alpha = nullptr;
    LogSpinBox* m_beta = nullptr;
    LogSpinBox* m_learningRate = nullptr;
    QLineEdit* m_seed = nullptr;
    QToolButton* m_newSeedButton = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_nTrain = nullptr;
    QSpinBox* m_nVal = nullptr;
    QSpinBox* m_gridPoints = nullptr;
    // schedule, L-BFGS, precision, best weights
    QComboBox* m_schedule = nullptr;
    LogSpinBox* m_lrFloor = nullptr;
    QDoubleSpinBox* m_decayFactor = nullptr;
    QSpinBox* m_stepEpochs = nullptr;
    QSpinBox* m_patience = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_lbfgsIterations = nullptr;
    QSpinBox* m_lbfgsHistory = nullptr;
    LogSpinBox* m_lbfgsGradientTolerance = nullptr;
    LogSpinBox* m_lbfgsChangeTolerance = nullptr;
    QComboBox* m_lbfgsPrecision = nullptr;
    QCheckBox* m_restoreBest = nullptr;
    QLabel* m_problemsLabel = nullptr;
    // Target and data.
    DataFileRow* m_dataRow = nullptr; // measured data in place of the target
    QComboBox* m_target = nullptr;    // editable: a preset from the list or a typed formula
    QLabel* m_derivativeLabel = nullptr;
    TargetChecker* m_checker = nullptr;
    QTimer m_checkingNote;              // "working it out" only for a check that takes a while
    QLineEdit* m_targetParam = nullptr; // empty: the preset's default
    QWidget* m_domain = nullptr;
    QDoubleSpinBox* m_domainMin = nullptr;
    QDoubleSpinBox* m_domainMax = nullptr;
    QComboBox* m_sampling = nullptr;
    LogSpinBox* m_noiseF = nullptr;
    LogSpinBox* m_noiseFprime = nullptr;
    QLabel* m_notesLabel = nullptr; // what the trainer adjusts, e.g. the batch size
    QFormLayout* m_lossForm = nullptr;
    QLabel* m_analyticLabel = nullptr; // "β/α = 0.0123 from the training data"
    QList<QWidget*> m_balanceParameters;
    std::uint64_t m_analyticTicket = 0; // the newest request for the analytic β/α
    QPushButton* m_referenceButton = nullptr;

    std::vector<Field> m_fields;       // in the order of the form
    std::uint64_t m_lastGoodSeed = 0;  // what config() reports while the seed text is bad
    TrainConfig m_reported;            // the config as of the last configChanged()
    std::vector<KnobChange> m_changes; // the config's, shown as a note; not editable here
    bool m_liveOnly = false;
    bool m_valid = true;
    bool m_settingConfig = false;
};

} // namespace sobolev
