#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages the build, the tests and the window need, if any is missing.
set -euo pipefail
packages=(
    cmake make g++ pkg-config
    qt6-base-dev libqt6sql6-sqlite qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libqt6svg6
    qt6-tools-dev qt6-l10n-tools   # lrelease for the English plural forms
    libxkbcommon-dev libgl-dev libeigen3-dev
    liblbfgspp-dev         # L-BFGS (header-only, on Eigen)
    libgif-dev             # GIF animations
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev   # MP4 and WebM animations
    libginac-dev           # typed targets: parsed and differentiated symbolically
    fonts-dejavu-core      # text for offscreen rendering and exported figures
    qt6-qpa-plugins        # the xcb and offscreen platform plugins
    poppler-utils          # pdftotext, pdfinfo, pdfimages: the report tests read the PDF back
    ffmpeg                 # ffprobe: the animation tests read the videos back
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
