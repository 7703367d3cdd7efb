#!/usr/bin/env bash
# Runs `venuekiosk show --output dumb` on a real DRM device under Debian 12's own kernel, in a
# throwaway virtual machine. Then (VM_RUNS) the same show on SDL's offscreen driver in the same
# boot, for comparison.
#
#   run_vm.sh VENUEKIOSK MAKE_FIXTURES OUT_DIR
#
# VM_SCREEN (default bochs): the display device.
#   bochs   QEMU's bochs-display and the kernel's `bochs` module: a plain scan-out with KMS dumb
#           buffers and no GPU, like a console board without one. One fixed mode.
#   virtio  virtio-gpu (2D, no virgl) and `virtio-gpu`: dumb buffers too, and a screen that
#           can change. QEMU's VNC server stands in for the monitor: a viewer asking for
#           another desktop size makes the device report a new preferred mode and the kernel
#           send a DRM hotplug uevent, as a replugged HDMI screen does.
# VM_RESIZE=WxH, VM_RESIZE_AFTER=S (virtio only): the screen becomes WxH S seconds after the
#   show is first seen on it (the first dump in which zbar reads a QR), so that at least one
#   dump before the change shows the show however slow the emulation is that day.
# VM_RUNS (default "dumb offscreen"): the shows to run, in order.
# VM_FADES (default 2): crossfades per run. The emulated screen is dumped every 2 s while the
# dumb run shows (QEMU's `screendump`), so the caller can read the QR off what the device
# scanned out.
#
# This machine has no /dev/kvm, so QEMU emulates the CPU in software (TCG): figures from inside
# the VM are many times those on the host and only mean something against each other.
#
# Writes OUT_DIR: console.log (the VM's serial console), dumb.json and offscreen.json (the
# shows' --stats), screen-N.ppm, and resized-after-shot (the number of dumps taken before the
# resize). Exits non-zero only when the VM could not be built or run; the caller judges the
# results. Needs (packages/debian.txt, tag test): qemu-system-x86,
# busybox-static, cpio, binutils; the kernel package is fetched once with `apt-get download`
# into VK_KERNEL_CACHE (default ~/.cache/venuekiosk/kernel).
set -euo pipefail

die() { echo "run_vm: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $0 VENUEKIOSK MAKE_FIXTURES OUT_DIR"
VK=$1
FIXTURES=$2
OUT=$3
FADES=${VM_FADES:-2}
SCREEN=${VM_SCREEN:-bochs}
RUNS=${VM_RUNS:-dumb offscreen}
RESIZE=${VM_RESIZE:-}
RESIZE_AFTER=${VM_RESIZE_AFTER:-2}
case $SCREEN in
  bochs) MODULES="bochs" DEVICE="-device bochs-display,xres=1920,yres=1080" ;;
  virtio) MODULES="virtio_pci virtio-gpu" DEVICE="-device virtio-gpu-pci,xres=1920,yres=1080" ;;
  *) die "VM_SCREEN is bochs or virtio, not $SCREEN" ;;
esac
RUN_LINES=
for name in $RUNS; do
  case $name in
    dumb) RUN_LINES+="run dumb --output dumb"$'\n' ;;
    offscreen) RUN_LINES+="run offscreen --video-driver offscreen --size 1920x1080"$'\n' ;;
    *) die "VM_RUNS holds dumb and offscreen, not $name" ;;
  esac
done
if [ -n "$RESIZE" ]; then
  [ "$SCREEN" = virtio ] || die "VM_RESIZE needs VM_SCREEN=virtio (bochs-display has one mode)"
  [[ $RESIZE =~ ^([0-9]+)x([0-9]+)$ ]] || die "VM_RESIZE is WIDTHxHEIGHT, not $RESIZE"
fi
[ -x "$VK" ] || die "$VK is not a program"
[ -x "$FIXTURES" ] || die "$FIXTURES is not a program"
for tool in qemu-system-x86_64 cpio strings gzip python3 zbarimg; do
  command -v "$tool" >/dev/null || die "$tool missing (make test-deps)"
done
[ -x /bin/busybox ] || die "busybox missing (make test-deps)"

mkdir -p "$OUT"
rm -f "$OUT"/console.log "$OUT"/*.json "$OUT"/screen-*.ppm "$OUT"/resized-after-shot
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

# The screen's modules and the modules they need (each .ko lists its own in "depends="), in
# load order. Names in "depends=" use '_' where some file names use '-'.
MODDIR=$WORK/kernel/lib/modules/$KVER
: > "$ROOT/modules"
add_module() {
  local path dep
  grep -qx "$1" "$ROOT/modules" && return
  path=$(find "$MODDIR" \( -name "$1.ko" -o -name "${1//_/-}.ko" \) | head -n 1)
  [ -n "$path" ] || die "module $1 not in $KPKG"
  for dep in $(strings -a "$path" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
  cp "$path" "$ROOT/lib/modules/"
  echo "$1" >> "$ROOT/modules"
}
for module in $MODULES; do add_module "$module"; done

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
$RUN_LINES
poweroff -f
INIT
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet) | gzip -1 > "$WORK/initrd.gz"

# No VGA card: the one display device is the only screen, /dev/dri/card0. The VNC server
# listens on a socket in WORK only (no network port) and is what VM_RESIZE talks to.
# shellcheck disable=SC2086  # DEVICE is a list of arguments
qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m 2048 -nographic -no-reboot -vga none -nic none \
  $DEVICE -vnc unix:"$WORK/vnc" \
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
seen=
deadline=$((SECONDS + 600))
while kill -0 "$QEMU" 2>/dev/null && ! grep -q "VK: dumb exit" "$OUT/console.log"; do
  [ $SECONDS -lt $deadline ] || die "the dumb run did not end within 10 minutes (see $OUT/console.log)"
  sleep 2
  if grep -q "VK: dumb started" "$OUT/console.log"; then
    if [ -n "$RESIZE" ] && [ -n "$seen" ] && [ $((SECONDS - seen)) -ge "$RESIZE_AFTER" ]; then
      python3 "$(dirname "$0")/vnc_resize.py" "$WORK/vnc" "${RESIZE%x*}" "${RESIZE#*x}" || die "the screen could not be resized"
      echo "$shot" > "$OUT/resized-after-shot"
      RESIZE=
    fi
    shot=$((shot + 1))
    monitor "screendump $OUT/screen-$shot.ppm" 2>/dev/null || true  # the VM may have just powered off
    if [ -n "$RESIZE" ] && [ -z "$seen" ] && [ -n "$(zbarimg -q --raw "$OUT/screen-$shot.ppm" 2>/dev/null)" ]; then
      seen=$SECONDS
    fi
  fi
done
while kill -0 "$QEMU" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "the VM did not power off within 10 minutes (see $OUT/console.log)"
  sleep 1
done
wait "$QEMU" || true
QEMU=
for name in $RUNS; do
  tr -d '\r' < "$OUT/console.log" | sed -n "/^VK-STATS-BEGIN $name\$/,/^VK-STATS-END $name\$/p" | sed '1d;$d' > "$OUT/$name.json"
done
