<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>sobolev::AnimationExportDialog</name>
    <message numerus="yes">
        <location filename="../../ui/windows/animationexportdialog.cpp" line="187"/>
        <source>Drawing %n frame(s)…</source>
        <translation>
            <numerusform>Drawing %n frame…</numerusform>
            <numerusform>Drawing %n frames…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::Comparison</name>
    <message numerus="yes">
        <location filename="../../ui/storage/comparison.cpp" line="128"/>
        <source> (%n seed(s))</source>
        <translation>
            <numerusform> (%n seed)</numerusform>
            <numerusform> (%n seeds)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::ComparisonWindow</name>
    <message numerus="yes">
        <location filename="../../ui/windows/comparisonwindow.cpp" line="81"/>
        <source>%n run(s): %1</source>
        <translation>
            <numerusform>%n run: %1</numerusform>
            <numerusform>%n runs: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/windows/comparisonwindow.cpp" line="26"/>
        <source>Compare %n Run(s)</source>
        <translation>
            <numerusform>Compare %n Run</numerusform>
            <numerusform>Compare %n Runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::DataFileRow</name>
    <message numerus="yes">
        <location filename="../../ui/panels/datafilerow.cpp" line="142"/>
        <source>%1: %n row(s), %2</source>
        <translation>
            <numerusform>%1: %n row, %2</numerusform>
            <numerusform>%1: %n rows, %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::MainWindow</name>
    <message numerus="yes">
        <location filename="../../ui/windows/mainwindow.cpp" line="199"/>
        <source>%n run(s) stopped by a crash or a kill before finishing: marked &quot;interrupted&quot; in Runs; double-click one to continue it from its last checkpoint</source>
        <translation>
            <numerusform>%n run stopped by a crash or a kill before finishing: marked &quot;interrupted&quot; in Runs; double-click it to continue it from its last checkpoint</numerusform>
            <numerusform>%n runs stopped by a crash or a kill before finishing: marked &quot;interrupted&quot; in Runs; double-click one to continue it from its last checkpoint</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::RunHistoryActions</name>
    <message numerus="yes">
        <location filename="../../ui/windows/runhistoryactions.cpp" line="70"/>
        <source>Left out %n unreadable run(s); %1</source>
        <translation>
            <numerusform>Left out %n unreadable run; %1</numerusform>
            <numerusform>Left out %n unreadable runs; %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/windows/runhistoryactions.cpp" line="200"/>
        <source>Opened the sweep %1: %n run(s)</source>
        <translation>
            <numerusform>Opened the sweep %1: %n run</numerusform>
            <numerusform>Opened the sweep %1: %n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/windows/runhistoryactions.cpp" line="201"/>
        <source>Opened the sweep %1 with %n problem(s); the first: %2</source>
        <translation>
            <numerusform>Opened the sweep %1 with %n problem; the first: %2</numerusform>
            <numerusform>Opened the sweep %1 with %n problems; the first: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::SweepCharts</name>
    <message numerus="yes">
        <location filename="../../ui/charts/sweepcharts.cpp" line="100"/>
        <source>%1 (%n diverged, not drawn)</source>
        <translation>
            <numerusform>%1 (%n diverged, not drawn)</numerusform>
            <numerusform>%1 (%n diverged, not drawn)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sobolev::SweepDialog</name>
    <message numerus="yes">
        <location filename="../../ui/windows/sweepdialog.cpp" line="729"/>
        <source>%n run(s) of one config over seeds</source>
        <translation>
            <numerusform>%n run of one config over seeds</numerusform>
            <numerusform>%n runs of one config over seeds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/windows/sweepdialog.cpp" line="730"/>
        <source>%n run(s) over %1 and seeds</source>
        <translation>
            <numerusform>%n run over %1 and seeds</numerusform>
            <numerusform>%n runs over %1 and seeds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/windows/sweepdialog.cpp" line="309"/>
        <source>%n seed(s)</source>
        <translation>
            <numerusform>%n seed</numerusform>
            <numerusform>%n seeds</numerusform>
        </translation>
    </message>
</context>
</TS>
