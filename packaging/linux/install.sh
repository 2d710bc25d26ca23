#!/bin/sh
# Install Infusion Planner for the current user: no administrator rights, no Python needed.
#
#   ./install.sh              the program into ~/.local/opt/infusion-planner, a menu entry and
#                             its icon into the desktop menu, the command infusion-planner
#                             into ~/.local/bin
#   ./install.sh --prefix DIR the same under DIR instead of ~/.local
#
# Installing again replaces the program (an update); the clinic's data is never touched.
# ~/.local/opt/infusion-planner/uninstall.sh removes everything this script put in place.
set -eu

APP_ID=org.infusionplanner.InfusionPlanner
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?"--prefix needs a folder"}; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac

if [ ! -x "$HERE/infusion-planner" ] || [ ! -d "$HERE/share" ]; then
  echo "install.sh: run me from the unpacked Infusion Planner folder (infusion-planner is missing next to me)" >&2
  exit 1
fi

APP_DIR="$PREFIX/opt/infusion-planner"
BIN_DIR="$PREFIX/bin"
# Menu entries and icons go where the desktop looks for the user's own (XDG base directories).
if [ "$PREFIX" = "$HOME/.local" ]; then
  SHARE="${XDG_DATA_HOME:-$HOME/.local/share}"
else
  SHARE="$PREFIX/share"
fi

echo "Installing Infusion Planner into $APP_DIR"
mkdir -p "$PREFIX/opt" "$BIN_DIR" "$SHARE/applications" "$SHARE/metainfo"
# Copy next to the old copy first, then swap, so an interrupted update leaves a working program.
rm -rf "$APP_DIR.new"
cp -a "$HERE/." "$APP_DIR.new"
rm -rf "$APP_DIR.old"
if [ -e "$APP_DIR" ]; then mv "$APP_DIR" "$APP_DIR.old"; fi
mv "$APP_DIR.new" "$APP_DIR"
rm -rf "$APP_DIR.old"

MANIFEST="$APP_DIR/installed-files.txt"
: > "$MANIFEST"

ln -sfn "$APP_DIR/infusion-planner" "$BIN_DIR/infusion-planner"
echo "$BIN_DIR/infusion-planner" >> "$MANIFEST"

DESKTOP="$SHARE/applications/$APP_ID.desktop"
# The menu entry starts the program by its full path: ~/.local/bin may not be on the
# desktop session's PATH.
sed "s|@EXEC@|\"$APP_DIR/infusion-planner\"|" "$APP_DIR/share/applications/$APP_ID.desktop" > "$DESKTOP"
chmod 644 "$DESKTOP"
echo "$DESKTOP" >> "$MANIFEST"

cp "$APP_DIR/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
echo "$SHARE/metainfo/$APP_ID.metainfo.xml" >> "$MANIFEST"

for icon in "$APP_DIR"/share/icons/hicolor/*/apps/*; do
  size_dir=$(basename "$(dirname "$(dirname "$icon")")")
  target="$SHARE/icons/hicolor/$size_dir/apps/$(basename "$icon")"
  mkdir -p "$(dirname "$target")"
  cp "$icon" "$target"
  echo "$target" >> "$MANIFEST"
done

# Let the menu and the icon theme notice now rather than at the next log-in (when available).
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$SHARE/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
fi
touch "$SHARE/icons/hicolor" 2>/dev/null || true

echo "Done. Open \"Infusion Planner\" from the applications menu."
echo "  Command line: $BIN_DIR/infusion-planner --help"
echo "  To remove it: $APP_DIR/uninstall.sh"
