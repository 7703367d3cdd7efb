# Shared by the card benches (card_bench.sh, import_bench.sh); sourced, not run.
# The bench card: N camera-like JPEGs (6000x4000, ~8 MB each, DCIM/100CANON/IMG_%04d.JPG) on a
# FAT32 image labelled BENCH, made by the fixture builder; plus the knobs and a median.

# bench_knobs NAME: reads BENCH_PHOTOS (default 40) and BENCH_ROUNDS (default 3) into PHOTOS
# and ROUNDS, refusing anything but positive integers.
bench_knobs() {
  PHOTOS=${BENCH_PHOTOS:-40}
  ROUNDS=${BENCH_ROUNDS:-3}
  [[ "$PHOTOS" =~ ^[1-9][0-9]*$ ]] || { echo "$1: BENCH_PHOTOS must be a positive integer" >&2; exit 1; }
  [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "$1: BENCH_ROUNDS must be a positive integer" >&2; exit 1; }
}

# make_bench_card_image FIXTURES IMAGE PHOTOS: writes the card image (the source tree is made
# next to it and removed again).
make_bench_card_image() {
  local fixtures=$1 image=$2 photos=$3
  echo "Preparing a card of $photos photos (6000x4000, ~8 MB each) ..."
  "$fixtures" bench-card "$image.src" --photos "$photos" >/dev/null
  "$fixtures" card-image "$image" "$image.src" BENCH >/dev/null
  rm -rf "$image.src"
}

# median: of the numbers on stdin, one a line.
median() {
  sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# remove_work NAME MNT WORK BUILD: the end of a bench's cleanup. Removes the scratch folder,
# unless the card is somehow still mounted inside it (then it says where it was left).
remove_work() {
  local name=$1 mnt=$2 work=$3 build=$4
  if mountpoint -q "$mnt" 2>/dev/null; then
    echo "$name: $mnt is still mounted; left $work in place" >&2
  else
    rm -rf "$work"
  fi
  rmdir "$build/bench-work" 2>/dev/null || true
}

# on_exit_run FUNCTION: runs FUNCTION when the bench ends, also on Ctrl-C or TERM.
on_exit_run() {
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
