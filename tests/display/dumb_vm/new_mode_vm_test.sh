#!/usr/bin/env bash
# The dumb-buffer driver follows a screen that changes under it (run_vm.sh with virtio-gpu):
# the show starts at 1920x1080; a few seconds in, the screen becomes 1280x720, as when the HDMI
# cable is moved to another screen. The kernel's hotplug uevent must make the driver take the
# new mode with new buffers, say so in the log, and go on with the show: the fades all
# complete, and the picture the device scans out at 1280x720 carries the QR.
#
#   new_mode_vm_test.sh VENUEKIOSK MAKE_FIXTURES OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 3 ] || { echo "usage: $0 VENUEKIOSK MAKE_FIXTURES OUT_DIR" >&2; exit 2; }
OUT=$3
# shellcheck source-path=SCRIPTDIR source=checks.sh
. "$here/checks.sh"

VM_SCREEN=virtio VM_RUNS=dumb VM_FADES=10 VM_RESIZE=1280x720 VM_RESIZE_AFTER=2 \
  "$here/run_vm.sh" "$1" "$2" "$OUT"

check_dumb_run
[ -f "$OUT/resized-after-shot" ] || fail "the show ended before the screen was resized"
tr -d '\r' < "$OUT/console.log" | grep -qx "venuekiosk show: showing on kms dumb buffers /dev/dri/card0 1280x720@[0-9]* XRGB8888" ||
  fail "the log does not say the show moved to 1280x720: $(grep -a 'venuekiosk show:' "$OUT/console.log" | head -n 5)"
# At least 8: a fade under way at the resize is cut short (the show starts again from its
# welcome screen at the new size), and the show ends once 10 have completed.
check_dumb_stats 1280x720 10 11

# What the device scanned out: a QR that reads right at the first size, and at the new one.
before=$(cat "$OUT/resized-after-shot" 2>/dev/null || echo 0)
scanned_before=0 scanned_after=0
for shot in "$OUT"/screen-*.ppm; do
  [ -f "$shot" ] || continue
  n=${shot##*/screen-} && n=${n%.ppm}
  size=$(scanned_size "$shot")
  if [ "$n" -le "$before" ] && [ "$size" = "1920 1080" ]; then scanned_before=1; fi
  if [ "$n" -gt "$before" ] && [ "$size" = "1280 720" ]; then scanned_after=1; fi
done
[ $scanned_before = 1 ] || fail "no dump before the resize is a 1920x1080 screen with a readable QR"
[ $scanned_after = 1 ] || fail "no dump after the resize is a 1280x720 screen with a readable QR"

[ "$failed" = 0 ] && echo "dumb-buffer driver on virtio-gpu: followed 1920x1080 -> 1280x720, 10 fades, QR scanned at both sizes"
exit "$failed"
