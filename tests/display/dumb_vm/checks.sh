# shellcheck shell=bash disable=SC2034  # `failed` is read by the test that sources this
# The checks the VM tests share, on what run_vm.sh wrote to $OUT. Source it after setting OUT.
# A failed check says why on stderr and sets failed=1; the test goes on to its other checks.
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# The screen's modules loaded and the dumb-buffer show exited 0.
check_dumb_run() {
  ! grep -q "^VK: insmod .* failed" "$OUT/console.log" || fail "a DRM module did not load: $(grep '^VK: insmod' "$OUT/console.log")"
  grep -q "^VK: dumb exit 0" "$OUT/console.log" || fail "the dumb run failed: $(grep -a -A 5 '^VK: dumb exit' "$OUT/console.log")"
}

# check_dumb_stats SIZE MIN_FADES MAX_FADES: the show's statistics name the dumb buffers on
# card0 at SIZE (WxH) as its last mode, and between MIN and MAX fades were begun.
check_dumb_stats() {
  python3 - "$OUT/dumb.json" "$@" <<'PY' || failed=1
import json, sys
path, size, least, most = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    stats = json.load(open(path))
except ValueError:
    sys.exit("FAIL: the dumb run wrote no statistics")
problems = []
if not stats["driver"].startswith(f"kms dumb buffers /dev/dri/card0 {size}@"):
    problems.append(f"the show ended on {stats['driver']!r}, expected the dumb buffers on card0 at {size}")
if not least <= stats["fades"] <= most:
    problems.append(f"{stats['fades']} fades begun, expected {least}" + (f" to {most}" if most != least else ""))
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

# scanned_size SHOT: "W H" of a dump of the screen whose QR reads the gallery address; nothing
# when zbar cannot read it there.
scanned_size() {
  if [ "$(zbarimg -q --raw "$1" 2>/dev/null)" = "http://photos.venue/" ]; then head -c 20 "$1" | sed -n 2p; fi
}
