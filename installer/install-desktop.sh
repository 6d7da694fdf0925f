#!/usr/bin/env bash
# Install Plugin Monitor's desktop entry, AppStream metainfo and icons for this user, so the
# console appears in the application menu with its icon. From a source tree or a desktop
# bundle (build.sh copies this script into it):
#   installer/install-desktop.sh [--exec PROGRAM]     install (PROGRAM: the plugin-monitor to start)
#   installer/install-desktop.sh --uninstall          remove what it installed
# PROGRAM defaults to the bundle's executable beside this script, else the plugin-monitor on
# PATH, else the source tree's .venv. Files go under ${XDG_DATA_HOME:-~/.local/share}.
set -euo pipefail
id=io.github.pluginmonitor.PluginMonitor
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry=$data/applications/$id.desktop
metainfo=$data/metainfo/$id.metainfo.xml

fail() { echo "install-desktop: $*" >&2; exit 2; }

refresh_caches() {
  if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$data/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -f -t "$data/icons/hicolor" || true; fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$entry" "$metainfo" "$data/icons/hicolor/scalable/apps/plugin-monitor.svg" \
    "$data"/icons/hicolor/*x*/apps/plugin-monitor.png
  refresh_caches
  echo "removed the desktop entry, metainfo and icons of Plugin Monitor from $data"
  exit 0
fi

program=""
case "${1:-}" in
  --exec) program=${2:?--exec needs the path of plugin-monitor} ;;
  "") ;;
  *) fail "unknown option $1 (use --exec PROGRAM or --uninstall)" ;;
esac
for resources in "$here/_internal/resources" "$here/../resources"; do
  [ -d "$resources/desktop" ] && break
done
[ -d "$resources/desktop" ] || fail "no resources/desktop folder beside $here"
if [ -z "$program" ]; then
  for candidate in "$here/plugin-monitor" "$(command -v plugin-monitor || true)" "$here/../.venv/bin/plugin-monitor"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ ! -d "$candidate" ]; then program=$candidate; break; fi
  done
fi
[ -n "$program" ] || fail "no plugin-monitor found: install it first, or give --exec PROGRAM"
[ -x "$program" ] || fail "$program is not an executable program"
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")
case "$program" in
  *[\"\`\$\\]*) fail "$program: a path with \" \` \$ or \\ cannot go into a desktop entry" ;;
  *" "*) exec_line="\"$program\"" ;;
  *) exec_line=$program ;;
esac

mkdir -p "$data/applications" "$data/metainfo" "$data/icons"
sed "s|^Exec=.*|Exec=$exec_line|" "$resources/desktop/$id.desktop" >"$entry.partial"
mv "$entry.partial" "$entry"
cp "$resources/desktop/$id.metainfo.xml" "$metainfo"
cp -r "$resources/icons/hicolor" "$data/icons/"
refresh_caches
echo "installed Plugin Monitor in the application menu: $entry (starts $program)"
