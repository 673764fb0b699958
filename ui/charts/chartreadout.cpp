// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartreadout.h"

#include <QBrush>
#include <QChart>
#include <QFont>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>

#include <algorithm>

namespace sobolev {

namespace {

constexpr qreal padding = 6, inset = 6;
// Smaller than this it would no longer be read from the back of the room.
constexpr qreal minScale = 0.6;

} // namespace

ChartReadout::ChartReadout(QObject* parent) : QObject(parent) {}

ChartReadout::~ChartReadout() {
    removeItems();
}

void ChartReadout::removeItems() {
    QObject::disconnect(m_follow);
    if (m_chart) // else the chart took its children with it
        delete m_box;
    m_box = nullptr;
    m_label = nullptr;
}

void ChartReadout::attach(QChart* chart, Qt::Corner corner) {
    if (chart == m_chart && corner == m_corner && (m_box || !chart))
        return;
    removeItems();
    m_chart = chart;
    m_corner = corner;
    if (!chart)
        return;
    m_box = new QGraphicsRectItem(chart);
    // Translucent: a curve that passes beneath still shows, under text that stays readable.
    m_box->setBrush(QColor(255, 255, 255, 170));
    m_box->setPen(QPen(QColor(0xbb, 0xbb, 0xbb), 1));
    // Above the curves and the legend.
    m_box->setZValue(20);
    m_label = new QGraphicsSimpleTextItem(m_box);
    QFont font = chart->titleFont();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * fontScale);
    m_label->setFont(font);
    m_label->setBrush(QColor(0x22, 0x22, 0x22));
    m_follow = connect(chart, &QChart::plotAreaChanged, this, &ChartReadout::place);
    setText(m_text);
}

QChart* ChartReadout::chart() const {
    return m_chart;
}

void ChartReadout::setText(const QString& text) {
    m_text = text;
    if (!m_label)
        return;
    m_label->setText(text);
    place();
}

QString ChartReadout::text() const {
    return m_text;
}

QRectF ChartReadout::rect() const {
    return m_box && m_chart ? m_box->mapRectToParent(m_box->rect()) : QRectF();
}

void ChartReadout::place() {
    if (!m_box || !m_chart)
        return;
    const QRectF text = m_label->boundingRect();
    const QSizeF size(text.width() + 2 * padding, text.height() + 2 * padding);
    const QRectF plot = m_chart->plotArea();
    // A narrow plot (a legend of many baselines beside it) gets a smaller readout, never one
    // that reaches over the axes or the legend.
    const qreal room = std::min((plot.width() - 2 * inset) / size.width(),
                                (plot.height() - 2 * inset) / size.height());
    const qreal scale = std::clamp(room, minScale, 1.0);
    const QSizeF drawn = size * scale;
    const bool left = m_corner == Qt::TopLeftCorner || m_corner == Qt::BottomLeftCorner;
    const bool top = m_corner == Qt::TopLeftCorner || m_corner == Qt::TopRightCorner;
    const QPointF at(left ? plot.left() + inset : plot.right() - inset - drawn.width(),
                     top ? plot.top() + inset : plot.bottom() - inset - drawn.height());
    m_box->setRect(QRectF(QPointF(0, 0), size));
    m_box->setScale(scale);
    m_box->setPos(at);
    m_label->setPos(padding, padding);
    m_box->setVisible(!m_text.isEmpty());
}

} // namespace sobolev
