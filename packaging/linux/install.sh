#!/bin/sh
# Install Lantern from this folder for the current user (no root needed), or
# system-wide with --system (run as root). Nothing is downloaded.
#   ./install.sh            -> ~/.local/opt/lantern, ~/.local/bin/lantern, menu entry
#   sudo ./install.sh --system -> /opt/lantern, /usr/local/bin/lantern, menu entry for all
#   ./install.sh --uninstall [--system]   removes the program (never the patient data)
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
MODE=user; ACTION=install
for arg in "$@"; do
  case "$arg" in
    --system) MODE=system ;;
    --uninstall) ACTION=uninstall ;;
    *) echo "usage: $0 [--system] [--uninstall]"; exit 2 ;;
  esac
done
if [ "$MODE" = system ]; then
  PREFIX=/opt/lantern; BIN=/usr/local/bin; APPS=/usr/share/applications; ICONS=/usr/share/icons/hicolor
else
  PREFIX="$HOME/.local/opt/lantern"; BIN="$HOME/.local/bin"
  APPS="${XDG_DATA_HOME:-$HOME/.local/share}/applications"; ICONS="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
fi
if [ "$ACTION" = uninstall ]; then
  rm -rf "$PREFIX"
  rm -f "$BIN/lantern" "$BIN/lantern-gui" "$APPS/lantern.desktop" \
        "$ICONS/256x256/apps/lantern.png" "$ICONS/scalable/apps/lantern.svg"
  echo "Lantern removed. Patient data (~/.local/share/Lantern) was kept."
  exit 0
fi
mkdir -p "$PREFIX" "$BIN" "$APPS" "$ICONS/256x256/apps" "$ICONS/scalable/apps"
# Replace the program files only; the vault lives in the user's data folder and is untouched.
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
cp -a "$HERE"/. "$PREFIX.new"/
rm -rf "$PREFIX.old"
[ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"
ln -sf "$PREFIX/lantern" "$BIN/lantern"
ln -sf "$PREFIX/lantern" "$BIN/lantern-gui"
sed "s|^Exec=.*|Exec=\"$PREFIX/lantern\" gui|; s|^TryExec=.*|TryExec=$PREFIX/lantern|" \
  "$HERE/lantern.desktop" > "$APPS/lantern.desktop"
cp "$HERE/lantern.png" "$ICONS/256x256/apps/lantern.png"
cp "$HERE/lantern.svg" "$ICONS/scalable/apps/lantern.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" || true
echo "Lantern installed in $PREFIX."
"$PREFIX/lantern" --version || { echo "warning: Lantern did not start; see INSTALL.md (system libraries)"; exit 1; }
echo "Start it from the applications menu, or run: $BIN/lantern gui"
