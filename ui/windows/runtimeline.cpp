// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtimeline.h"

#include "settings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <map>

namespace sobolev {

namespace {

constexpr int frameIntervalMs = 33; // the replay draws at most ~30 frames a second

QList<int> timelineKeys() {
    return {Qt::Key_Space, Qt::Key_Home, Qt::Key_End, Qt::Key_Left, Qt::Key_Right};
}

} // namespace

QList<TimelineStep> timelineSteps(const SnapshotSeries& series) {
    QList<TimelineStep> steps;
    steps.reserve(qsizetype(series.snapshots.size()));
    for (const Snapshot& s : series.snapshots)
        steps.append({s.position, snapshotCaption(s)});
    return steps;
}

QList<TimelineStep> timelineSteps(const QList<const SnapshotSeries*>& runs) {
    std::map<double, QString> captions; // by position, so in order and each once
    for (const SnapshotSeries* series : runs)
        for (const Snapshot& s : series->snapshots)
            captions.try_emplace(s.position, snapshotCaption(s, false));
    QList<TimelineStep> steps;
    for (const auto& [position, caption] : captions)
        steps.append({position, caption});
    return steps;
}

RunTimeline::RunTimeline(QWidget* parent) : QWidget(parent) {
    m_playButton = new QToolButton;
    m_playButton->setAutoRaise(true);
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_slider->setFocusPolicy(Qt::StrongFocus);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("timelineCaption"));
    // Wide enough for the longest caption, so that the slider does not jump as it plays.
    m_caption->setMinimumWidth(
        m_caption->fontMetrics().horizontalAdvance(QStringLiteral("epoch 8888, batch 888 · α "
                                                                  "0.0001 · β 0.0001")));
    m_speed = new QComboBox;
    for (int seconds : replaySeconds())
        m_speed->addItem(tr("whole run in %n s", nullptr, seconds), seconds);
    m_speed->setToolTip(tr("How long Play takes from the first recorded step to the last"));
    m_logTime = new QCheckBox(tr("Log time"));
    m_logTime->setToolTip(tr("Give each tenfold stretch of epochs the same time: of 1000 epochs "
                             "the first 30, where most of the fit forms, take four tenths of "
                             "the replay"));

    const int storedSeconds = settings::replaySeconds().get();
    m_speed->setCurrentIndex(std::max(0, m_speed->findData(storedSeconds)));
    m_logTime->setChecked(settings::replayLogTime().get());
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        settings::replaySeconds().set(m_speed->currentData().toInt());
        restartClock(); // the replay goes on from where it is, at the new speed
    });
    connect(m_logTime, &QCheckBox::toggled, this, [this](bool on) {
        settings::replayLogTime().set(on);
        restartClock();
    });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_playButton);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_caption);
    layout->addWidget(m_speed);
    layout->addWidget(m_logTime);

    connect(m_playButton, &QToolButton::clicked, this, &RunTimeline::togglePlaying);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        updateCaption();
        emit stepChanged(value);
    });
    connect(m_slider, &QSlider::sliderPressed, this, &RunTimeline::pause);
    m_frames.setInterval(frameIntervalMs);
    connect(&m_frames, &QTimer::timeout, this, &RunTimeline::advance);
    // The keys work while the focus is in the timeline, whichever control has it.
    for (QWidget* control : {static_cast<QWidget*>(m_playButton), static_cast<QWidget*>(m_slider),
                             static_cast<QWidget*>(m_speed), static_cast<QWidget*>(m_logTime)})
        control->installEventFilter(this);
    setUnavailable(tr("No run to replay"));
}

bool RunTimeline::pressKey(int key) {
    if (!isAvailable())
        return false;
    switch (key) {
    case Qt::Key_Space:
        togglePlaying();
        return true;
    case Qt::Key_Home:
    case Qt::Key_End:
    case Qt::Key_Left:
    case Qt::Key_Right: {
        pause();
        const int last = stepCount() - 1;
        setStep(key == Qt::Key_Home   ? 0
                : key == Qt::Key_End  ? last
                : key == Qt::Key_Left ? step() - 1
                                      : step() + 1);
        return true;
    }
    default:
        return false;
    }
}

bool RunTimeline::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type type = event->type();
    if (type != QEvent::ShortcutOverride && type != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & ~Qt::KeypadModifier || !timelineKeys().contains(key->key()) ||
        !isAvailable())
        return QWidget::eventFilter(watched, event);
    if (type == QEvent::ShortcutOverride) {
        // The timeline's: not a window shortcut's (Space pauses a run there), nor the
        // slider's or a button's own meaning of the key.
        event->accept();
        return true;
    }
    return pressKey(key->key());
}

void RunTimeline::setWindowShortcuts(bool on) {
    qDeleteAll(m_keys);
    m_keys.clear();
    if (!on)
        return;
    // A field takes the keys it types or moves its cursor with before any shortcut sees them
    // (QLineEdit, and the spin boxes' editors, claim them in ShortcutOverride).
    for (int key : timelineKeys()) {
        auto* action = new QAction(this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WindowShortcut);
        action->setEnabled(isAvailable());
        connect(action, &QAction::triggered, this, [this, key] { pressKey(key); });
        addAction(action);
        m_keys.append(action);
    }
}

void RunTimeline::setSteps(const QList<TimelineStep>& steps) {
    pause();
    if (steps.isEmpty()) {
        setUnavailable(tr("The run recorded no snapshots"));
        return;
    }
    m_steps = steps;
    m_reason.clear();
    const QSignalBlocker quiet(m_slider);
    m_slider->setRange(0, int(steps.size()) - 1);
    m_slider->setValue(m_slider->maximum());
    m_slider->setPageStep(std::max(1, int(steps.size()) / 10));
    updateCaption();
    updateControls();
}

void RunTimeline::setUnavailable(const QString& reason) {
    pause();
    m_steps.clear();
    m_reason = reason;
    const QSignalBlocker quiet(m_slider);
    m_slider->setRange(0, 0);
    updateCaption();
    updateControls();
}

void RunTimeline::updateControls() {
    const bool available = isAvailable();
    for (QWidget* control : {static_cast<QWidget*>(m_playButton), static_cast<QWidget*>(m_slider),
                             static_cast<QWidget*>(m_speed), static_cast<QWidget*>(m_logTime)})
        control->setEnabled(available);
    for (QAction* action : std::as_const(m_keys))
        action->setEnabled(available);
    setToolTip(available ? tr("Replay the run: drag, or Play (Space); Home, End, ← and → step")
                         : m_reason);
    m_slider->setToolTip(toolTip());
    const bool playing = isPlaying();
    m_playButton->setIcon(
        style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playButton->setText(playing ? tr("Pause") : tr("Play"));
    m_playButton->setToolTip(playing ? tr("Pause the replay (Space)")
                                     : tr("Replay the run from here (Space)"));
}

void RunTimeline::updateCaption() {
    if (!isAvailable()) {
        m_caption->setText(m_reason);
        return;
    }
    m_caption->setText(m_steps[step()].caption);
}

bool RunTimeline::isAvailable() const {
    return !m_steps.isEmpty();
}

QString RunTimeline::unavailableReason() const {
    return m_reason;
}

int RunTimeline::step() const {
    return m_slider->value();
}

int RunTimeline::stepCount() const {
    return int(m_steps.size());
}

double RunTimeline::position() const {
    return isAvailable() ? m_steps[step()].position : 0;
}

bool RunTimeline::atLastStep() const {
    return step() == stepCount() - 1;
}

bool RunTimeline::isPlaying() const {
    return m_frames.isActive();
}

QString RunTimeline::caption() const {
    return m_caption->text();
}

void RunTimeline::setStep(int step) {
    if (isAvailable())
        m_slider->setValue(std::clamp(step, 0, stepCount() - 1));
}

double RunTimeline::timeFraction(double position) const {
    if (!isAvailable())
        return 0;
    const double first = m_steps.constFirst().position;
    const double total = m_steps.constLast().position - first;
    const double t = std::clamp(position - first, 0.0, total);
    if (!(total > 0))
        return 1;
    return m_logTime->isChecked() ? logReplayFraction(t, total) : t / total;
}

void RunTimeline::play() {
    if (!isAvailable() || isPlaying())
        return;
    if (atLastStep())
        setStep(0); // Play at the end replays the run
    m_frames.start();
    restartClock();
    updateControls();
    emit playingChanged(true);
}

void RunTimeline::pause() {
    if (!isPlaying())
        return;
    m_frames.stop();
    updateControls();
    emit playingChanged(false);
}

void RunTimeline::togglePlaying() {
    if (isPlaying())
        pause();
    else
        play();
}

void RunTimeline::restartClock() {
    m_playedFrom = timeFraction(position());
    m_clock.start();
}

void RunTimeline::advance() {
    const double seconds = m_speed->currentData().toDouble();
    const double u = m_playedFrom + double(m_clock.elapsed()) / 1000 / seconds;
    // The last step whose time has come: a frame may pass several (a dense first epoch).
    int next = step();
    while (next + 1 < stepCount() && timeFraction(m_steps[next + 1].position) <= u)
        ++next;
    if (u >= 1)
        next = stepCount() - 1;
    setStep(next);
    if (atLastStep())
        pause();
}

} // namespace sobolev
