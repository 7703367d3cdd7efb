#!/usr/bin/env bash
# The dumb-buffer driver on a real DRM device (run_vm.sh: QEMU's bochs-display under Debian's
# kernel): the show sets the screen's 1920x1080 mode, completes three fades with page flips, and
# the picture the device scans out carries the QR with the configured gallery address.
#
#   dumb_vm_test.sh VENUEKIOSK MAKE_FIXTURES OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 3 ] || { echo "usage: $0 VENUEKIOSK MAKE_FIXTURES OUT_DIR" >&2; exit 2; }
OUT=$3
# shellcheck source-path=SCRIPTDIR source=checks.sh
. "$here/checks.sh"

VM_FADES=3 "$here/run_vm.sh" "$1" "$2" "$OUT"

check_dumb_run
check_dumb_stats 1920x1080 3 3
# What the device scanned out: at least one dump at the mode's size whose QR reads right.
scanned=0
for shot in "$OUT"/screen-*.ppm; do
  [ -f "$shot" ] || continue
  if [ "$(scanned_size "$shot")" = "1920 1080" ]; then scanned=1; break; fi
done
[ $scanned = 1 ] || fail "no dump of the emulated screen holds a QR reading http://photos.venue/ ($(ls "$OUT"/screen-*.ppm 2>/dev/null | wc -l) dumps)"

[ "$failed" = 0 ] && echo "dumb-buffer driver on bochs-display: mode set, 3 fades flipped, QR scanned from the screen"
exit "$failed"
