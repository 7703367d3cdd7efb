#!/usr/bin/env bash
# Runs `venuekiosk show --output dumb` on a real DRM device: QEMU's bochs-display (a plain
# scan-out with KMS dumb buffers and no GPU, like a console board without one) under Debian
# 12's own kernel and its `bochs` module, in a throwaway virtual machine. Then the same show on
# SDL's offscreen driver in the same boot, for comparison.
#
#   run_vm.sh VENUEKIOSK MAKE_FIXTURES OUT_DIR
#
# VM_FADES (default 2): crossfades per run. The emulated screen is dumped every 2 s while the
# dumb run shows (QEMU's `screendump`), so the caller can read the QR off what the device
# scanned out.
#
# This machine has no /dev/kvm, so QEMU emulates the CPU in software (TCG): figures from inside
# the VM are many times those on the host and only mean something against each other.
#
# Writes OUT_DIR: console.log (the VM's serial console), dumb.json and offscreen.json (the
# shows' --stats), screen-N.ppm. Exits non-zero only when the VM could not be built or run;
# the caller judges the results. Needs (packages/debian.txt, tag test): qemu-system-x86,
# busybox-static, cpio, binutils; the kernel package is fetched once with `apt-get download`
# into VK_KERNEL_CACHE (default ~/.cache/venuekiosk/kernel).
set -euo pipefail

die() { echo "run_vm: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $0 VENUEKIOSK MAKE_FIXTURES OUT_DIR"
VK=$1
FIXTURES=$2
OUT=$3
FADES=${VM_FADES:-2}
[ -x "$VK" ] || die "$VK is not a program"
[ -x "$FIXTURES" ] || die "$FIXTURES is not a program"
for tool in qemu-system-x86_64 cpio strings gzip python3; do
  command -v "$tool" >/dev/null || die "$tool missing (make test-deps)"
done
[ -x /bin/busybox ] || die "busybox missing (make test-deps)"

mkdir -p "$OUT"
rm -f "$OUT"/console.log "$OUT"/*.json "$OUT"/screen-*.ppm
WORK=$(mktemp -d)
QEMU=
cleanup() {
  [ -n "$QEMU" ] && kill "$QEMU" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Debian 12's kernel, as a board running Debian has it (not the host's): the package
# linux-image-amd64 points at.
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$KPKG" ] || die "apt knows no linux-image-amd64 (run apt-get update)"
CACHE=${VK_KERNEL_CACHE:-$HOME/.cache/venuekiosk/kernel}
mkdir -p "$CACHE"
if ! ls "$CACHE/$KPKG"_*.deb >/dev/null 2>&1; then
  (cd "$CACHE" && apt-get download -q "$KPKG" >/dev/null 2>&1) || die "apt-get download $KPKG failed"
fi
dpkg-deb -x "$(ls "$CACHE/$KPKG"_*.deb | head -n 1)" "$WORK/kernel"
KVER=${KPKG#linux-image-}
KERNEL=$WORK/kernel/boot/vmlinuz-$KVER
[ -f "$KERNEL" ] || die "$KPKG holds no vmlinuz-$KVER"

ROOT=$WORK/root
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/modules,lib64}
cp /bin/busybox "$ROOT/bin/"
for applet in sh mount insmod cat echo ls poweroff; do ln -s busybox "$ROOT/bin/$applet"; done

# The bochs module and the modules it needs (each .ko lists its own in "depends="), in load order.
MODDIR=$WORK/kernel/lib/modules/$KVER
: > "$ROOT/modules"
add_module() {
  local path dep
  grep -qx "$1" "$ROOT/modules" && return
  path=$(find "$MODDIR" -name "$1.ko" | head -n 1)
  [ -n "$path" ] || die "module $1 not in $KPKG"
  for dep in $(strings -a "$path" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
  cp "$path" "$ROOT/lib/modules/"
  echo "$1" >> "$ROOT/modules"
}
add_module bochs

# venuekiosk and every library it loads, at the same paths; the caption font.
cp "$VK" "$ROOT/bin/venuekiosk"
for lib in $(ldd "$VK" | awk '/=> \// { print $3 }'); do
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/"
mkdir -p "$ROOT/usr/share/fonts/truetype"
cp -r /usr/share/fonts/truetype/dejavu "$ROOT/usr/share/fonts/truetype/"

# An event with 24 screen-size photos, imported here; the VM only shows them.
"$FIXTURES" bench-card "$WORK/card" --photos 24 --width 1920 --height 1280 >/dev/null
"$VK" --data-dir "$ROOT/data" import --quiet "$WORK/card" >/dev/null
cat > "$ROOT/show.toml" <<'TOML'
[event]
title = "Dumb buffer check"
[screen]
dwell_seconds = 1
fade_seconds = 1
TOML

# A frame cap three times what the fades need, so a stuck show still ends.
FRAMES=$(( (FADES * 2 * 3 + 10) * 60 ))
cat > "$ROOT/init" <<INIT
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
for m in \$(cat /modules); do insmod /lib/modules/\$m.ko || echo "VK: insmod \$m failed"; done
run() {  # name, show arguments...
  name=\$1; shift
  echo "VK: \$name started"
  /bin/venuekiosk --config /show.toml --data-dir /data show --frames $FRAMES --fades $FADES \\
    --no-preview --realtime --stats /tmp/\$name.json "\$@" > /tmp/\$name.log 2>&1
  echo "VK: \$name exit \$?"
  cat /tmp/\$name.log
  echo "VK-STATS-BEGIN \$name"
  cat /tmp/\$name.json
  echo "VK-STATS-END \$name"
}
run dumb --output dumb
run offscreen --video-driver offscreen --size 1920x1080
poweroff -f
INIT
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.gz"

# No VGA card: the bochs-display is the only screen, /dev/dri/card0.
qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m 2048 -nographic -no-reboot -vga none -nic none \
  -device bochs-display,xres=1920,yres=1080 \
  -kernel "$KERNEL" -initrd "$WORK/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
  -monitor unix:"$WORK/monitor",server,nowait > "$OUT/console.log" 2>&1 &
QEMU=$!
monitor() {  # one command to QEMU's human monitor
  python3 - "$WORK/monitor" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
time.sleep(0.5)
PY
}
shot=0
deadline=$((SECONDS + 600))
while kill -0 "$QEMU" 2>/dev/null && ! grep -q "VK: dumb exit" "$OUT/console.log"; do
  [ $SECONDS -lt $deadline ] || die "the dumb run did not end within 10 minutes (see $OUT/console.log)"
  sleep 2
  if grep -q "VK: dumb started" "$OUT/console.log"; then
    shot=$((shot + 1))
    monitor "screendump $OUT/screen-$shot.ppm" || true
  fi
done
while kill -0 "$QEMU" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "the VM did not power off within 10 minutes (see $OUT/console.log)"
  sleep 1
done
wait "$QEMU" || true
QEMU=
for name in dumb offscreen; do
  tr -d '\r' < "$OUT/console.log" | sed -n "/^VK-STATS-BEGIN $name\$/,/^VK-STATS-END $name\$/p" | sed '1d;$d' > "$OUT/$name.json"
done
