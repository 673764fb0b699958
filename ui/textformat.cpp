#include "textformat.h"

#include <cmath>

namespace sobolev {

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    if (seconds < 60)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const qint64 s = qint64(seconds);
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString compactNumber(double value) {
    const double magnitude = std::abs(value);
    if (value == 0 || !std::isfinite(value) || (magnitude >= 1e-2 && magnitude < 1e5))
        return QString::number(value, 'g', 5);
    const QString text = QString::number(value, 'e', 4);
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    QString mantissa = text.left(e);
    while (mantissa.endsWith(QLatin1Char('0')))
        mantissa.chop(1);
    if (mantissa.endsWith(QLatin1Char('.')))
        mantissa.chop(1);
    return mantissa + QLatin1Char('e') + QString::number(text.mid(e + 1).toInt());
}

} // namespace sobolev
