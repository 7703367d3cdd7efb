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
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

VM_FADES=3 "$here/run_vm.sh" "$1" "$2" "$OUT"

grep -q "^VK: insmod .* failed" "$OUT/console.log" && fail "a DRM module did not load: $(grep '^VK: insmod' "$OUT/console.log")"
grep -q "^VK: dumb exit 0" "$OUT/console.log" || fail "the dumb run failed: $(sed -n '/^VK: dumb exit/,/^VK-STATS dumb/p' "$OUT/console.log" | head -n 5)"
python3 - "$OUT/dumb.json" <<'PY' || failed=1
import json, sys
try:
    stats = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit("FAIL: the dumb run wrote no statistics")
problems = []
if not stats["driver"].startswith("kms dumb buffers /dev/dri/card0 1920x1080"):
    problems.append(f"driver is {stats['driver']!r}, expected the 1920x1080 dumb buffers on card0")
if stats["fades"] != 3:
    problems.append(f"{stats['fades']} fades completed, expected 3")
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# What the device scanned out: at least one dump at the mode's size whose QR reads right.
scanned=0
for shot in "$OUT"/screen-*.ppm; do
  [ -f "$shot" ] || continue
  [ "$(head -c 20 "$shot" | sed -n 2p)" = "1920 1080" ] || continue
  if [ "$(zbarimg -q --raw "$shot" 2>/dev/null)" = "http://photos.venue/" ]; then scanned=1; break; fi
done
[ $scanned = 1 ] || fail "no dump of the emulated screen holds a QR reading http://photos.venue/ ($(ls "$OUT"/screen-*.ppm 2>/dev/null | wc -l) dumps)"

[ $failed = 0 ] && echo "dumb-buffer driver on bochs-display: mode set, 3 fades flipped, QR scanned from the screen"
exit $failed
