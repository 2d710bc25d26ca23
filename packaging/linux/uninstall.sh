#!/bin/sh
# Remove Infusion Planner as install.sh put it in place: the program, its menu entry, its
# icons and the infusion-planner command. The clinic's data (database, backups, log) stays.
set -eu

APP_DIR=$(cd "$(dirname "$0")" && pwd)
MANIFEST="$APP_DIR/installed-files.txt"
if [ ! -f "$MANIFEST" ] || [ ! -x "$APP_DIR/infusion-planner" ]; then
  echo "uninstall.sh: $APP_DIR does not look like an installed Infusion Planner; nothing removed" >&2
  exit 1
fi

echo "Removing Infusion Planner from $APP_DIR"
while IFS= read -r path; do
  case "$path" in
    */bin/infusion-planner)
      # Only our own link: never a command of the same name that something else installed.
      if [ -L "$path" ] && [ "$(readlink "$path")" = "$APP_DIR/infusion-planner" ]; then rm -f "$path"; fi ;;
    "") ;;
    *) rm -f "$path" ;;
  esac
done < "$MANIFEST"

for dir in $(sed -n 's|/applications/[^/]*\.desktop$|/applications|p' "$MANIFEST"); do
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$dir" 2>/dev/null || true
  fi
done

cd /
rm -rf "$APP_DIR"
echo "Done. The clinic's data was kept: the database, its backups and the log are where"
echo "Help → About in the program said (by default ~/.local/share/InfusionPlanner and"
echo "~/.local/state/InfusionPlanner). Delete them yourself only if they are no longer needed."
