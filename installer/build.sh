#!/usr/bin/env bash
# Build the desktop bundle: dist/plugin-monitor/ (one folder; start dist/plugin-monitor/plugin-monitor).
# Installs the project and PyInstaller into a build venv of its own (build/venv), so the
# development venv is left as it is. About 3 minutes; not part of the test suite.
#   installer/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=build/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q . "pyinstaller>=6.10"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/pyinstaller/plugin-monitor.spec
cp installer/install-desktop.sh dist/plugin-monitor/
echo "built dist/plugin-monitor: start dist/plugin-monitor/plugin-monitor," \
  "or dist/plugin-monitor/install-desktop.sh to add it to the application menu"
