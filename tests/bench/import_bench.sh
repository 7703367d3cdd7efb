#!/usr/bin/env bash
# Import-path benchmark: venuekiosk import against the peers a user could reach for, in the
# same run, on the same FAT32 card (fusefat, read-only), alternating round by round.
#
#   tests/bench/import_bench.sh BUILD_DIR
#
# Knobs: BENCH_PHOTOS (default 40), BENCH_ROUNDS (default 3).
# Prints a table of medians and writes the same to BUILD_DIR/bench/import.txt. Goals are
# reported as PASS/MISS but never fail the script; it exits non-zero only when something broke.
set -euo pipefail

die() { echo "import_bench: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 BUILD_DIR"
[ -d "$1" ] || die "no build directory $1"
BUILD=$(cd "$1" && pwd)
. "$(dirname "$0")/card_lib.sh"
bench_knobs import_bench

VK=$BUILD/venuekiosk
FIXTURES=$BUILD/tests/fixtures/make_fixtures
TIME=/usr/bin/time
[ -x "$VK" ] || die "$VK not built"
[ -x "$FIXTURES" ] || die "$FIXTURES not built"
[ -x "$TIME" ] || die "$TIME missing (apt-get install time)"
for tool in fusefat fusermount vipsthumbnail vipsheader djpeg mountpoint; do
  command -v "$tool" >/dev/null || die "$tool missing (scripts/ensure-packages.sh test bench)"
done
[ -e /dev/fuse ] || die "/dev/fuse missing"
CORES=$(nproc)

# Scratch on the same disk as the build, not tmpfs, so writes and fsyncs are real.
mkdir -p "$BUILD/bench-work" "$BUILD/bench"
WORK=$(mktemp -d "$BUILD/bench-work/import.XXXXXX")
MNT=$WORK/mnt
FUSE_PID=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if mountpoint -q "$MNT" 2>/dev/null; then
    fusermount -u "$MNT" 2>/dev/null || fusermount -uz "$MNT" 2>/dev/null || true
  fi
  if [ -n "$FUSE_PID" ] && kill -0 "$FUSE_PID" 2>/dev/null; then
    kill "$FUSE_PID" 2>/dev/null || true
    wait "$FUSE_PID" 2>/dev/null || true
  fi
  remove_work import_bench "$MNT" "$WORK" "$BUILD"
  exit "$rc"
}
on_exit_run cleanup

# ---- input: N camera-like JPEGs on a FAT32 image, mounted read-only -------------------------
make_bench_card_image "$FIXTURES" "$WORK/card.img" "$PHOTOS"
mkdir -p "$MNT"
# Foreground in the background so we own its pid (and can read its CPU time).
fusefat -f -o ro "$WORK/card.img" "$MNT" >"$WORK/fusefat.log" 2>&1 &
FUSE_PID=$!
for _ in $(seq 100); do
  [ -d "$MNT/DCIM/100CANON" ] && break
  kill -0 "$FUSE_PID" 2>/dev/null || die "fusefat exited: $(tail -3 "$WORK/fusefat.log")"
  sleep 0.1
done
mountpoint -q "$MNT" || die "card image did not mount at $MNT"
CARD=$MNT/DCIM/100CANON
shopt -s nullglob
files=("$CARD"/*.JPG)
[ ${#files[@]} -eq "$PHOTOS" ] || die "card shows ${#files[@]} JPEGs, expected $PHOTOS"
card_mb=$(du -cm "${files[@]}" | tail -1 | cut -f1)

# ---- cache policy ---------------------------------------------------------------------------
if { sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
  CACHE_NOTE="page cache dropped before every run (cold reads through fusefat)"
  drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
else
  CACHE_NOTE="could not drop caches (not permitted): ALL runs read a WARM page cache"
  drop_caches() { sync; }
  cat "${files[@]}" >/dev/null # warm it once, so round 1 is not the only cold one
fi

# ---- contestants ----------------------------------------------------------------------------
NAMES=(venuekiosk vipsthumbnail shell-pipeline floor)
LABELS=("venuekiosk import" "vipsthumbnail x2" "cp + vipsthumbnail x2" "floor: djpeg -scale 1/8")

fuse_cpu_ticks() { awk '{print $14 + $15}' "/proc/$FUSE_PID/stat"; }

check_fits() { # DIR GLOB MAXW MAXH WHAT: every file matches and fits, one side touching the box
  local dir=$1 glob=$2 maxw=$3 maxh=$4 what=$5 n=0 f w h
  for f in "$dir"/$glob; do
    w=$(vipsheader -f width "$f") h=$(vipsheader -f height "$f")
    if ((w > maxw || h > maxh || (w != maxw && h != maxh))); then
      die "$what: $f is ${w}x${h}, should fit ${maxw}x${maxh}"
    fi
    n=$((n + 1))
  done
  [ "$n" -eq "$PHOTOS" ] || die "$what: $n files, expected $PHOTOS"
}

# run_contestant NAME ROUND: prepares fresh output dirs (untimed), drops caches, times the
# whole contestant under one /usr/bin/time, appends "NAME ROUND wall user sys rss fuse_ticks".
run_contestant() {
  local name=$1 round=$2 out=$WORK/out
  rm -rf "$out"
  mkdir -p "$out"
  drop_caches
  local t0 t1
  t0=$(fuse_cpu_ticks)
  case $name in
    venuekiosk)
      mkdir -p "$out/data"
      if ! "$TIME" -o "$WORK/time" -f '%e %U %S %M' \
        "$VK" --data-dir "$out/data" import "$MNT" --json --quiet >"$WORK/vk.json" 2>"$WORK/vk.err"; then
        cat "$WORK/vk.err" >&2
        die "venuekiosk import failed (round $round): $(cat "$WORK/vk.json")"
      fi
      local imported
      imported=$(grep -o '"imported": *[0-9]*' "$WORK/vk.json" | grep -o '[0-9]*$' || true)
      [ "$imported" = "$PHOTOS" ] || die "venuekiosk imported '${imported}' of $PHOTOS: $(cat "$WORK/vk.json")"
      if [ "$round" -eq 1 ]; then
        check_fits "$out/data/screen" '*/*.jpg' 1920 1080 "venuekiosk screen"
        check_fits "$out/data/thumb" '*/*.jpg' 400 400 "venuekiosk thumb"
      fi
      ;;
    vipsthumbnail)
      "$TIME" -o "$WORK/time" -f '%e %U %S %M' bash -c '
        set -e
        vipsthumbnail -s 1920x1080 -o "$2/%s_screen.jpg[Q=85]" "$1"/*.JPG
        vipsthumbnail -s 400x400 -o "$2/%s_thumb.jpg[Q=80]" "$1"/*.JPG
      ' _ "$CARD" "$out" || die "vipsthumbnail failed (round $round)"
      if [ "$round" -eq 1 ]; then
        check_fits "$out" '*_screen.jpg' 1920 1080 "vipsthumbnail screen"
        check_fits "$out" '*_thumb.jpg' 400 400 "vipsthumbnail thumb"
      fi
      ;;
    shell-pipeline)
      mkdir -p "$out/copy" "$out/derived"
      "$TIME" -o "$WORK/time" -f '%e %U %S %M' bash -c '
        set -e
        cp -r "$1/DCIM" "$2/"
        vipsthumbnail -s 1920x1080 -o "$3/%s_screen.jpg[Q=85]" "$2"/DCIM/100CANON/*.JPG
        vipsthumbnail -s 400x400 -o "$3/%s_thumb.jpg[Q=80]" "$3"/*_screen.jpg
      ' _ "$MNT" "$out/copy" "$out/derived" || die "shell pipeline failed (round $round)"
      if [ "$round" -eq 1 ]; then
        check_fits "$out/derived" '*_screen.jpg' 1920 1080 "shell pipeline screen"
        check_fits "$out/derived" '*_screen_thumb.jpg' 400 400 "shell pipeline thumb"
      fi
      ;;
    floor)
      # Decode-only lower bound, one djpeg per file, as many at once as there are cores.
      "$TIME" -o "$WORK/time" -f '%e %U %S %M' bash -c '
        printf "%s\0" "$2"/*.JPG | xargs -0 -n 1 -P "$1" sh -c "djpeg -scale 1/8 \"\$0\" >/dev/null"
      ' _ "$CORES" "$CARD" || die "djpeg floor failed (round $round)"
      ;;
  esac
  t1=$(fuse_cpu_ticks)
  # The last line: GNU time prints "Command exited with non-zero status" lines before it.
  echo "$name $round $(tail -1 "$WORK/time") $((t1 - t0))" >>"$WORK/results"
  rm -rf "$out"
}

echo "Input: $PHOTOS JPEGs, ${card_mb} MB, FAT32 image via fusefat -o ro; $ROUNDS rounds, order ${NAMES[*]}"
echo "Cache: $CACHE_NOTE"
: >"$WORK/results"
for ((r = 1; r <= ROUNDS; r++)); do
  for name in "${NAMES[@]}"; do
    printf '  round %d/%d  %-15s' "$r" "$ROUNDS" "$name"
    run_contestant "$name" "$r"
    tail -1 "$WORK/results" | awk '{printf " %6.2f s wall  %6.2f s cpu  %4d MB\n", $3, $4 + $5, $6 / 1024}'
  done
done

# ---- report ---------------------------------------------------------------------------------
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$WORK/results"; }
cpu() { awk -v n="$1" '$1 == n {print $4 + $5}' "$WORK/results"; }
TICK=$(getconf CLK_TCK)

declare -A WALL PPS CPUMS RSSMB FUSEMS
for name in "${NAMES[@]}"; do
  WALL[$name]=$(col "$name" 3 | median)
  PPS[$name]=$(awk -v w="${WALL[$name]}" -v n="$PHOTOS" 'BEGIN {printf "%.2f", (w > 0 ? n / w : 0)}')
  CPUMS[$name]=$(cpu "$name" | median | awk -v n="$PHOTOS" '{printf "%.0f", $1 * 1000 / n}')
  RSSMB[$name]=$(col "$name" 6 | sort -g | tail -1 | awk '{printf "%.0f", $1 / 1024}')
  FUSEMS[$name]=$(col "$name" 7 | median | awk -v n="$PHOTOS" -v t="$TICK" '{printf "%.0f", $1 * 1000 / t / n}')
done

ratio() { awk -v a="${PPS[$1]}" -v b="${PPS[$2]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN {ok = (op == ">=" ? v >= g : v <= g); print (ok ? "PASS" : "MISS")}'; }

r_vips=$(ratio venuekiosk vipsthumbnail)
r_shell=$(ratio venuekiosk shell-pipeline)
r_floor=$(ratio venuekiosk floor)
rss_vk=${RSSMB[venuekiosk]}

{
  echo "import bench  $(date -u '+%Y-%m-%d %H:%M UTC')  $(uname -m), $CORES cores, $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "input: $PHOTOS photos 6000x4000, ${card_mb} MB on a FAT32 image (fusefat -o ro); $ROUNDS rounds alternating; medians"
  echo "cache: $CACHE_NOTE"
  echo
  printf '%-26s %10s %9s %13s %12s %14s\n' contestant "wall s" "photos/s" "CPU ms/photo" "peak RSS MB" "fuse ms/photo"
  printf '%-26s %10s %9s %13s %12s %14s\n' -------------------------- ------ -------- ------------ ----------- -------------
  for i in "${!NAMES[@]}"; do
    n=${NAMES[$i]}
    printf '%-26s %10.2f %9s %13s %12s %14s\n' "${LABELS[$i]}" "${WALL[$n]}" "${PPS[$n]}" "${CPUMS[$n]}" "${RSSMB[$n]}" "${FUSEMS[$n]}"
  done
  echo
  printf '%-36s %6sx   goal >= 2.0x  %s\n' "venuekiosk / vipsthumbnail (photos/s)" "$r_vips" "$(verdict "$r_vips" 2.0 '>=')"
  printf '%-36s %6sx   goal >= 1.5x  %s\n' "venuekiosk / shell pipeline" "$r_shell" "$(verdict "$r_shell" 1.5 '>=')"
  printf '%-36s %6sx   (decode-only bound; 1.0x = as fast as decoding at 1/8)\n' "venuekiosk / floor" "$r_floor"
  printf '%-36s %6s MB  goal <= 200 MB %s\n' "venuekiosk peak RSS" "$rss_vk" "$(verdict "$rss_vk" 200 '<=')"
  echo
  echo "CPU = user+sys of the contestant and its children; peak RSS = largest single process."
  echo "fuse ms/photo = CPU of the fusefat daemon during the run (not in the contestant's CPU)."
  echo "venuekiosk also fsyncs and commits to SQLite; the peers write without fsync."
  echo
  echo "raw: contestant round wall_s user_s sys_s maxrss_kb fuse_ticks"
  sed 's/^/  /' "$WORK/results"
} | tee "$BUILD/bench/import.txt"
