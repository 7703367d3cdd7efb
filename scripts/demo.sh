#!/usr/bin/env bash
# `make demo`: make a demo camera card (photos generated here, no downloads) and import it
# into ./var with the live progress line, exactly as a photographer's card would be.
set -euo pipefail
build=${1:-build}
data=./var
card=$data/demo-card

if [ ! -d "$card/DCIM" ]; then
  echo "Making a demo camera card in $card ..."
  "$build/tests/fixtures/make_fixtures" demo-card "$card" --photos 24
fi

echo "Importing the demo card (as if it had just been pushed into the reader):"
status=0
"$build/venuekiosk" --data-dir "$data" import "$card" || status=$?
# Exit 1 means some files were refused: the demo card carries a few broken files on purpose.
if [ "$status" -gt 1 ]; then exit "$status"; fi

cat <<TXT

The catalog is in $data/catalog.db; screen and thumbnail copies are under $data/screen and $data/thumb.
Run 'make demo' again: the second import finds every photo already there.
TXT

# The big screen: a window when there is a display, else a few frames rendered offscreen.
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "Starting the big screen in a window (Esc or q to close) ..."
  "$build/venuekiosk" --data-dir "$data" show --windowed --size 1280x720
else
  frames=$data/frames
  rm -rf "$frames"
  echo "No display here: rendering the big screen offscreen ..."
  "$build/venuekiosk" --data-dir "$data" show --video-driver offscreen --snapshot "$frames" \
    --frames 600 --snapshot-every 120 --no-preview
  echo "Frames of the big screen (PNG, 1920x1080) are in $frames/"
fi
