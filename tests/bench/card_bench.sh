#!/usr/bin/env bash
# Card reader benchmark: `venuekiosk serve` running, a FAT32 card of N photos (fusefat,
# read-only) mounted under its watch root with no command typed. Measures
#   - mount -> first photo in the catalog   (goal < 1 s)
#   - mount -> every photo imported
#   - the daemon's whole-card throughput against `cp -r` of the same card to the same disk
#     (the I/O floor: reading the card and writing the bytes, nothing else), as a ratio.
#
#   tests/bench/card_bench.sh BUILD_DIR
#
# Knobs: BENCH_PHOTOS (default 40), BENCH_ROUNDS (default 3). Writes BUILD_DIR/bench/card.txt.
# A missed goal is reported as MISS, never a failure; the script fails only when something broke.
set -euo pipefail

die() { echo "card_bench: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 BUILD_DIR"
[ -d "$1" ] || die "no build directory $1"
BUILD=$(cd "$1" && pwd)
. "$(dirname "$0")/card_lib.sh"
bench_knobs card_bench
VK=$BUILD/venuekiosk
FIXTURES=$BUILD/tests/fixtures/make_fixtures
[ -x "$VK" ] || die "$VK not built"
[ -x "$FIXTURES" ] || die "$FIXTURES not built"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
for tool in fusefat fusermount mountpoint sqlite3 python3 awk; do
  command -v "$tool" >/dev/null || die "$tool missing (scripts/ensure-packages.sh test bench)"
done

# Scratch on the build's disk, not tmpfs, so writes and fsyncs are real.
mkdir -p "$BUILD/bench-work" "$BUILD/bench"
WORK=$(mktemp -d "$BUILD/bench-work/card.XXXXXX")
MEDIA=$WORK/media
MNT=$MEDIA/BENCH
SERVE_PID=

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
unmount_card() {
  if mountpoint -q "$MNT" 2>/dev/null; then
    fusermount -u "$MNT" 2>/dev/null || fusermount -uz "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true
  fi
}
stop_serve() {
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" 2>/dev/null || true
    wait "$SERVE_PID" 2>/dev/null || true
  fi
  SERVE_PID=
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_serve
  unmount_card
  remove_work card_bench "$MNT" "$WORK" "$BUILD"
  exit "$rc"
}
on_exit_run cleanup

make_bench_card_image "$FIXTURES" "$WORK/card.img" "$PHOTOS"
mkdir -p "$MEDIA"
printf '[cards]\nwatch_roots = ["%s"]\n[import]\nfree_space_reserve_mb = 0\n' "$MEDIA" >"$WORK/venuekiosk.toml"

mount_card() {
  mkdir -p "$MNT"
  # It prints the FAT geometry on stdout and stderr; kept for when a mount fails.
  fusefat -o ro "$WORK/card.img" "$MNT" >>"$WORK/fusefat.log" 2>&1 || die "fusefat failed: $(tail -3 "$WORK/fusefat.log")"
}
count_photos() { sqlite3 "file:$1/catalog.db?mode=ro" "SELECT COUNT(*) FROM photos" 2>/dev/null || echo 0; }
run_state() { sqlite3 "file:$1/catalog.db?mode=ro" "SELECT state FROM import_runs ORDER BY id DESC LIMIT 1" 2>/dev/null || true; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
first_s=(); all_s=(); cp_s=(); vk_cpu=(); cp_cpu=()
for round in $(seq "$ROUNDS"); do
  # --- the daemon: mount -> first photo, mount -> all --------------------------------------
  DATA=$WORK/data-$round
  mkdir -p "$DATA"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$VK" --config "$WORK/venuekiosk.toml" --data-dir "$DATA" serve --listen "127.0.0.1:$port" 2>"$WORK/serve-$round.log" &
  SERVE_PID=$!
  for _ in $(seq 200); do grep -q "card reader started" "$WORK/serve-$round.log" && break; sleep 0.05; done
  grep -q "card reader started" "$WORK/serve-$round.log" || die "serve did not start: $(tail -3 "$WORK/serve-$round.log")"
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  c0=$(cpu_ticks "$SERVE_PID")
  t0=$(now)
  mount_card
  first=
  while :; do
    n=$(count_photos "$DATA")
    if [ -z "$first" ] && [ "${n:-0}" -ge 1 ]; then first=$(now); fi
    if [ "${n:-0}" -ge "$PHOTOS" ] && [ "$(run_state "$DATA")" = done ]; then break; fi
    kill -0 "$SERVE_PID" 2>/dev/null || die "serve exited: $(tail -3 "$WORK/serve-$round.log")"
    sleep 0.02
  done
  t_all=$(now)
  vk_cpu+=("$(calc "($(cpu_ticks "$SERVE_PID") - $c0) / $TICK")")
  first_s+=("$(calc "$first - $t0")")
  all_s+=("$(calc "$t_all - $t0")")
  stop_serve
  unmount_card
  rm -rf "$DATA"

  # --- the floor: cp -r of the same card to the same disk, fsynced -------------------------
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  mount_card
  t0=$(now)
  /usr/bin/time -o "$WORK/cp-time" -f '%U %S' sh -c 'cp -r "$1" "$2" && sync -f "$2"' _ "$MNT" "$WORK/copy-$round"
  t1=$(now)
  cp_s+=("$(calc "$t1 - $t0")")
  cp_cpu+=("$(awk '{print $1 + $2}' "$WORK/cp-time")")
  unmount_card
  rm -rf "$WORK/copy-$round"
done

med() { printf '%s\n' "$@" | median; }
FIRST=$(med "${first_s[@]}")
ALL=$(med "${all_s[@]}")
CP=$(med "${cp_s[@]}")
VK_CPU_MS=$(calc "$(med "${vk_cpu[@]}") * 1000 / $PHOTOS")
CP_CPU_MS=$(calc "$(med "${cp_cpu[@]}") * 1000 / $PHOTOS")
MB=$(du -sm "$WORK/card.img" | cut -f1)
RATIO=$(calc "$ALL / $CP")
goal=$( [ "$(calc "($FIRST < 1) ? 1 : 0")" = 1 ] && echo PASS || echo MISS)
{
  printf 'card bench: %d photos (6000x4000 JPEG), %d rounds alternating with cp -r, medians, %d cores, load %s\n' \
    "$PHOTOS" "$ROUNDS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '  mount -> first photo in catalog   %7.2f s   goal < 1 s: %s\n' "$FIRST" "$goal"
  printf '  mount -> all %3d imported          %7.2f s   (%.1f photos/s)\n' "$PHOTOS" "$ALL" "$(calc "$PHOTOS / $ALL")"
  printf '  cp -r card + sync (I/O floor)      %7.2f s\n' "$CP"
  printf '  daemon / cp -r                     %7.2f x   (the daemon also hashes, decodes, derives, fsyncs each file)\n' "$RATIO"
  printf '  CPU per photo: daemon %.0f ms, cp -r %.0f ms  (%.1f x; less disturbed by load than wall time)\n' \
    "$VK_CPU_MS" "$CP_CPU_MS" "$(calc "$VK_CPU_MS / ($CP_CPU_MS > 0 ? $CP_CPU_MS : 1)")"
  printf '  rounds: first %s | all %s | cp %s | daemon cpu s %s | cp cpu s %s\n' "${first_s[*]}" "${all_s[*]}" \
    "${cp_s[*]}" "${vk_cpu[*]}" "${cp_cpu[*]}"
} | tee "$BUILD/bench/card.txt"
