// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

// "codec,width,height,frames" of an animation as ffprobe reads it, decoding every frame.
inline QString probe(const QString& path) {
    QProcess ffprobe;
    ffprobe.start(QStringLiteral("ffprobe"),
                  {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                   QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                   QStringLiteral("-show_entries"),
                   QStringLiteral("stream=codec_name,width,height,nb_read_frames"),
                   QStringLiteral("-of"), QStringLiteral("csv=p=0"), path});
    if (!ffprobe.waitForFinished(-1))
        return QStringLiteral("ffprobe did not run");
    return QString::fromUtf8(ffprobe.readAllStandardOutput()).trimmed();
}

// The data rows of a test over the three formats: the file suffix and the codec ffprobe names.
inline void addAnimationFormatRows() {
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("codec");
    QTest::addRow("gif") << "gif"
                         << "gif";
    QTest::addRow("mp4") << "mp4"
                         << "h264";
    QTest::addRow("webm") << "webm"
                          << "vp9";
}
