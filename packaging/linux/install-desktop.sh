#!/usr/bin/env bash
# Add Briefer to this user's application menu, with its icon and the
# *.briefing.json file type, or take it out again.  Nothing needs root.
#
#   install-desktop.sh install     (also: make install-desktop)
#   install-desktop.sh uninstall   (also: make uninstall-desktop)
#   install-desktop.sh status
#
# Works from the unpacked bundle (run ./install-desktop.sh next to the
# `briefer` program) and from a source checkout (uses .venv/bin/briefer, else
# a `briefer` on PATH, e.g. from `pip install`).  Set BRIEFER_EXEC to choose
# the program yourself.  Files go to the XDG folders of this user
# ($XDG_DATA_HOME, default ~/.local/share); uninstall removes exactly those.
set -euo pipefail

APP_ID=io.briefer.Briefer
MIME_TYPE=application/x-briefer-briefing
MIME_ICON=application-x-briefer-briefing

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}
apps_dir=$data_home/applications
icons_dir=$data_home/icons/hicolor
mime_dir=$data_home/mime
metainfo_dir=$data_home/metainfo

die() { echo "install-desktop: $*" >&2; exit 2; }
say() { echo "install-desktop: $*"; }

# Where the desktop files and icons are, and which program the menu entry starts.
locate() {
  if [ -x "$here/briefer" ] && [ -d "$here/_internal/resources/icons" ]; then
    # the bundle: dist/briefer/{briefer,install-desktop.sh,_internal/...}
    linux_dir=$here/_internal/packaging/linux
    icon_src=$here/_internal/resources/icons
    default_exec=$here/briefer
  elif [ -f "$here/io.briefer.Briefer.desktop" ] && [ -d "$here/../../resources/icons" ]; then
    # a source checkout: packaging/linux/
    repo=$(cd "$here/../.." && pwd)
    linux_dir=$here
    icon_src=$repo/resources/icons
    if [ -x "$repo/.venv/bin/briefer" ]; then
      default_exec=$repo/.venv/bin/briefer
    else
      default_exec=$(command -v briefer || true)
    fi
  else
    die "cannot find Briefer's desktop files next to $here"
  fi
  exec_path=${BRIEFER_EXEC:-$default_exec}
}

# A path as the Exec key wants it: quoted when it holds anything beyond a plain path.
# Inside quotes ", `, $ and \ take a backslash, and the value's own escaping doubles it.
exec_quote() {
  local p=$1 out="" c i
  if [[ $p =~ ^[A-Za-z0-9_./+-]+$ ]]; then
    printf '%s' "$p"
    return
  fi
  for ((i = 0; i < ${#p}; i++)); do
    c=${p:i:1}
    case $c in
      '"' | '`' | '$') out+='\\'"$c" ;;
      '\') out+='\\\\' ;;
      *) out+=$c ;;
    esac
  done
  printf '"%s"' "$out"
}

refresh() {
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$mime_dir/packages" ]; then
    update-mime-database "$mime_dir" >/dev/null 2>&1 || say "note: update-mime-database failed"
  fi
  if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$apps_dir" ]; then
    update-desktop-database -q "$apps_dir" >/dev/null 2>&1 || say "note: update-desktop-database failed"
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$icons_dir" ]; then
    # only where a cache already exists or an index.theme lets one be built
    if [ -f "$icons_dir/index.theme" ] || [ -f "$icons_dir/icon-theme.cache" ]; then
      gtk-update-icon-cache -q -f -t "$icons_dir" >/dev/null 2>&1 || true
    fi
  fi
  touch "$data_home/icons/hicolor" 2>/dev/null || true  # desktops re-read a theme folder whose time changed
}

# The default application for our own file type, in mimeapps.list (what xdg-mime default writes).
set_default() {
  local list=$config_home/mimeapps.list
  if command -v xdg-mime >/dev/null 2>&1; then
    XDG_CONFIG_HOME=$config_home xdg-mime default "$APP_ID.desktop" "$MIME_TYPE" 2>/dev/null && return 0
  fi
  mkdir -p "$config_home"
  [ -f "$list" ] || printf '[Default Applications]\n' >"$list"
  if grep -q "^$MIME_TYPE=" "$list"; then
    return 0
  fi
  if grep -q '^\[Default Applications\]' "$list"; then
    awk -v line="$MIME_TYPE=$APP_ID.desktop" \
      '{print} /^\[Default Applications\]/ && !done {print line; done=1}' "$list" >"$list.tmp" && mv "$list.tmp" "$list"
  else
    printf '\n[Default Applications]\n%s=%s.desktop\n' "$MIME_TYPE" "$APP_ID" >>"$list"
  fi
}

unset_default() {
  local list=$config_home/mimeapps.list
  [ -f "$list" ] || return 0
  grep -v "^$MIME_TYPE=$APP_ID.desktop;\?$" "$list" >"$list.tmp" || true
  mv "$list.tmp" "$list"
}

install_files() {
  locate
  [ -n "$exec_path" ] || die "no 'briefer' program found: install Briefer first (pip install, or use the bundle)"
  [ -x "$exec_path" ] || die "$exec_path is not an executable program"
  mkdir -p "$apps_dir" "$mime_dir/packages" "$metainfo_dir"

  local exec_q
  exec_q=$(exec_quote "$exec_path")
  local line
  while IFS= read -r line; do
    case $line in
      "Exec=briefer "*) printf 'Exec=%s %s\n' "$exec_q" "${line#Exec=briefer }" ;;
      "TryExec=briefer") printf 'TryExec=%s\n' "${exec_path//\\/\\\\}" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$linux_dir/$APP_ID.desktop" >"$apps_dir/.$APP_ID.desktop.part"
  mv -f "$apps_dir/.$APP_ID.desktop.part" "$apps_dir/$APP_ID.desktop"
  install -m 644 "$linux_dir/$APP_ID.xml" "$mime_dir/packages/$APP_ID.xml"
  install -m 644 "$linux_dir/$APP_ID.metainfo.xml" "$metainfo_dir/$APP_ID.metainfo.xml"

  local n=0 d size
  for d in "$icon_src"/hicolor/*/apps; do
    size=$(basename "$(dirname "$d")")
    for ext in png svg; do
      if [ -f "$d/$APP_ID.$ext" ]; then
        install -D -m 644 "$d/$APP_ID.$ext" "$icons_dir/$size/apps/$APP_ID.$ext"
        install -D -m 644 "$d/$APP_ID.$ext" "$icons_dir/$size/mimetypes/$MIME_ICON.$ext"
        n=$((n + 1))
      fi
    done
  done
  [ "$n" -gt 0 ] || die "no icons found in $icon_src/hicolor (run 'make icons')"

  set_default
  refresh
  say "installed Briefer in the application menu (starts $exec_path), $n icon sizes and the $MIME_TYPE file type (*.briefing.json) under $data_home"
}

uninstall_files() {
  local removed=0 f
  for f in "$apps_dir/$APP_ID.desktop" "$mime_dir/packages/$APP_ID.xml" "$metainfo_dir/$APP_ID.metainfo.xml" \
           "$icons_dir"/*/apps/"$APP_ID".png "$icons_dir"/*/apps/"$APP_ID".svg \
           "$icons_dir"/*/mimetypes/"$MIME_ICON".png "$icons_dir"/*/mimetypes/"$MIME_ICON".svg; do
    if [ -e "$f" ]; then
      rm -f "$f"
      removed=$((removed + 1))
    fi
  done
  unset_default
  refresh
  say "removed $removed files of Briefer's desktop integration from $data_home (your fact store and templates are untouched)"
}

status() {
  if [ -f "$apps_dir/$APP_ID.desktop" ]; then
    say "installed: $(grep '^Exec=' "$apps_dir/$APP_ID.desktop")"
  else
    say "not installed for this user"
  fi
}

case "${1:-}" in
  install) install_files ;;
  uninstall) uninstall_files ;;
  status) status ;;
  *) echo "usage: $0 install|uninstall|status" >&2; exit 2 ;;
esac
