#!/usr/bin/env bash
# Debian packages the console and its tests use beyond Python:
#   Qt's xcb platform plugin libraries (a real window on X11),
#   Xvfb + trayer (the tray test: a virtual display with a real system tray),
#   a Korean font, curl / sqlite3 / openssl (the guide's commands, TLS tests),
#   logrotate (the installer's logrotate file is run against a test folder),
#   prometheus (a real server scrapes /metrics; promtool checks its text),
#   postgresql (the tests start a throw-away server of their own with its initdb), and
#   desktop-file-utils, appstream, systemd (the validators of the desktop entry, the
#   AppStream metainfo and the service units).
# Needs root; does nothing where apt-get is missing.
set -euo pipefail
command -v apt-get >/dev/null || { echo "no apt-get: install the equivalents by hand" >&2; exit 0; }
packages=(
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0
  xvfb xauth trayer fonts-nanum curl sqlite3 openssl logrotate prometheus postgresql
  desktop-file-utils appstream systemd
)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
