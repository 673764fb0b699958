// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

#include <utility>

class QAction;
class QActionGroup;
class QComboBox;
class QMainWindow;
class QMenu;
class QSplitter;
class QToolBar;
class QWidget;

namespace sobolev {

class ChartReadout;
class ChartView;
class ParameterPanel;
class TrainingController;

// View ▸ Presentation: the window as a projector shows it. One or two charts, chosen by the
// presenter, fill the window, drawn 1.5–2× larger (fonts, lines, markers); the docks and
// toolbars give way to one strip with the run controls, α, β, the learning rate and slow
// motion. Leaving restores the window exactly as it was. The chosen charts and size are kept
// in QSettings.
class PresentationMode : public QObject {
    Q_OBJECT
  public:
    enum class Chart { F, Fprime, Error, Loss, Lambda };
    struct Parts {
        QMainWindow* window = nullptr;
        QSplitter* rows = nullptr; // the central widget, holding the charts' splitters
        QList<std::pair<Chart, QWidget*>> charts;
        QList<QAction*> runActions;      // shown on the strip, in this order
        QAction* pauseAction = nullptr;  // its Space is kept out of the strip's fields
        QComboBox* slowMotion = nullptr; // mirrored on the strip
        ParameterPanel* panel = nullptr; // its α, β and learning rate are mirrored on the strip
        TrainingController* controller = nullptr; // the run the readout follows
    };

    PresentationMode(const Parts& parts, QObject* parent);
    ~PresentationMode() override;

    // View ▸ Presentation (F5), checkable.
    QAction* toggleAction() const;
    // Which chart or pair of charts, and how large.
    QMenu* layoutMenu() const;
    QToolBar* strip() const;

    bool isActive() const;
    // The choices: every chart alone and the useful pairs, left to right.
    static QList<QList<Chart>> layouts();
    QList<Chart> layout() const;
    void setLayout(const QList<Chart>& charts);
    static QList<double> scales();
    // The strip's fonts and icons grow by this when the charts grow by `chartScale`.
    static double stripScale(double chartScale);
    double scale() const;
    void setScale(double scale);
    // The large on-chart readout of the run shown: epoch, α, β and the validation errors,
    // on the first fit chart shown (else on the loss or error chart); live while training.
    const ChartReadout* readout() const;
    QString readoutText() const;

  public slots:
    void setActive(bool active);

  signals:
    void activeChanged(bool active);

  private:
    struct Place {
        QPointer<QWidget> chart;
        QPointer<QSplitter> splitter;
        int index = 0;
        bool hidden = false;
    };

    void buildStrip();
    void buildMenu();
    void enter();
    void leave();
    // Moves the chosen charts into the presentation area and the others back home.
    void arrangeCharts();
    void returnCharts();
    void applyScale();
    void placeReadout();
    void updateReadout();
    QWidget* chartWidget(Chart chart) const;
    QList<ChartView*> chartViews() const;
    void writeSettings() const;

    Parts m_parts;
    QAction* m_toggle = nullptr;
    QMenu* m_menu = nullptr;
    QActionGroup* m_layoutGroup = nullptr;
    QActionGroup* m_scaleGroup = nullptr;
    QToolBar* m_strip = nullptr;
    ChartReadout* m_readout = nullptr;
    QPointer<QSplitter> m_area; // in the central splitter while active, else without parent
    QList<Chart> m_layout;
    double m_scale = 1.5;
    bool m_active = false;

    // What leaving restores.
    QByteArray m_windowState;
    QList<std::pair<QPointer<QSplitter>, QByteArray>> m_splitterStates;
    QList<std::pair<QPointer<QWidget>, bool>> m_rowsHidden;
    QList<Place> m_homes;
};

} // namespace sobolev
