// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
QT_END_NAMESPACE

namespace sobolev {

// Large text in a corner of a chart's plot area, on a translucent white box, readable from
// the back of a room: presentation mode's epoch, α, β and errors. It follows the plot as the
// chart is resized.
class ChartReadout : public QObject {
    Q_OBJECT
  public:
    explicit ChartReadout(QObject* parent = nullptr);
    ~ChartReadout() override;

    // Shows the readout on `chart` in `corner` of its plot area (nullptr: on none).
    void attach(QChart* chart, Qt::Corner corner);
    QChart* chart() const;
    void setText(const QString& text);
    QString text() const;
    // Where it is drawn, in the chart's coordinates; empty when it is on no chart.
    QRectF rect() const;
    // The text's size relative to the chart's title font (bold, and already 1.5-2x larger).
    static constexpr double fontScale = 1.0;

  private:
    void place();
    void removeItems();

    QPointer<QChart> m_chart;
    Qt::Corner m_corner = Qt::TopLeftCorner;
    QString m_text;
    // Children of m_chart, so deleted with it.
    QGraphicsRectItem* m_box = nullptr;
    QGraphicsSimpleTextItem* m_label = nullptr;
    QMetaObject::Connection m_follow;
};

} // namespace sobolev
