// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What external programs make of exported files: pdflatex of a LaTeX table, poppler-utils of
// a PDF. A test skips, naming what is missing, where they are not installed.

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace sobolev::testutil {

// The LaTeX packages a table export needs; its first line names them.
inline QStringList latexTablePackages() {
    return {QStringLiteral("booktabs"), QStringLiteral("graphicx")};
}

// What is missing for pdflatexProblems(), in words for a skip message: pdflatex, or a
// package's .sty file that kpsewhich (TeX Live's file finder, beside pdflatex) does not find.
// Debian's texlive-latex-base has pdflatex and graphicx but not booktabs. Empty when nothing
// is missing; asked once per test program.
inline QString missingLatexTools() {
    static const QString missing = [] {
        if (QStandardPaths::findExecutable(QStringLiteral("pdflatex")).isEmpty())
            return QStringLiteral("pdflatex is not on the PATH");
        if (QStandardPaths::findExecutable(QStringLiteral("kpsewhich")).isEmpty())
            return QStringLiteral("pdflatex is on the PATH but kpsewhich, which finds LaTeX "
                                  "packages, is not");
        QStringList notFound;
        for (const QString& package : latexTablePackages()) {
            QProcess kpsewhich;
            kpsewhich.start(QStringLiteral("kpsewhich"), {package + QStringLiteral(".sty")});
            if (!kpsewhich.waitForFinished(60000) || kpsewhich.exitCode() != 0 ||
                kpsewhich.readAllStandardOutput().trimmed().isEmpty())
                notFound << package + QStringLiteral(".sty");
        }
        if (notFound.isEmpty())
            return QString();
        return QStringLiteral("pdflatex is installed, but LaTeX has no %1 (kpsewhich finds "
                              "none; on Debian booktabs is in texlive-latex-recommended)")
            .arg(notFound.join(QStringLiteral(", ")));
    }();
    return missing;
}

// What pdflatex finds wrong with `tex`, a LaTeX table export, \input into an article with the
// packages its first line names: an error (a raw Unicode character is one), an overfull line
// (a table wider than the text) or a missing character; empty when it compiles cleanly. Sets
// `*missing` instead to what is not installed (missingLatexTools()), for the test to skip.
inline QString pdflatexProblems(const QByteArray& tex, QString* missing) {
    *missing = missingLatexTools();
    if (!missing->isEmpty())
        return {};
    QTemporaryDir dir;
    QFile table(dir.filePath(QStringLiteral("table.tex")));
    QFile document(dir.filePath(QStringLiteral("document.tex")));
    if (!table.open(QIODevice::WriteOnly) || !document.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write into %1").arg(dir.path());
    table.write(tex);
    table.close();
    document.write("\\documentclass{article}\n\\usepackage{" +
                   latexTablePackages().join(QLatin1Char(',')).toLatin1() +
                   "}\n\\begin{document}\n\\input{table.tex}\n\\end{document}\n");
    document.close();
    QProcess pdflatex;
    pdflatex.setWorkingDirectory(dir.path());
    pdflatex.start(QStringLiteral("pdflatex"),
                   {QStringLiteral("-interaction=nonstopmode"), QStringLiteral("-halt-on-error"),
                    QStringLiteral("-no-shell-escape"), QStringLiteral("document.tex")});
    if (!pdflatex.waitForFinished(120000))
        return QStringLiteral("pdflatex did not finish");
    QFile logFile(dir.filePath(QStringLiteral("document.log")));
    const QString log =
        logFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(logFile.readAll()) : QString();
    QStringList problems;
    if (pdflatex.exitCode() != 0 || !QFile::exists(dir.filePath(QStringLiteral("document.pdf"))))
        problems << QStringLiteral("pdflatex failed");
    for (const QString& line : log.split(QLatin1Char('\n')))
        if (line.startsWith(QLatin1String("! ")) || line.startsWith(QLatin1String("Overfull")) ||
            line.contains(QLatin1String("Missing character")))
            problems << line;
    return problems.join(QLatin1Char('\n'));
}

// The standard output of a poppler-utils tool (pdftotext, pdfinfo, pdfimages) run with
// `arguments`; sets `*skipped` instead when the tool is not on the PATH.
inline QString popplerOutput(const QString& tool, const QStringList& arguments, bool* skipped) {
    *skipped = QStandardPaths::findExecutable(tool).isEmpty();
    if (*skipped)
        return {};
    QProcess process;
    process.start(tool, arguments);
    if (!process.waitForFinished(-1) || process.exitCode() != 0)
        return QStringLiteral("%1 failed: %2")
            .arg(tool, QString::fromLocal8Bit(process.readAllStandardError()));
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace sobolev::testutil
