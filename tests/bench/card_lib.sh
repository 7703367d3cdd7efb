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
