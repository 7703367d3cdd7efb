#!/usr/bin/env bash
# Installs venuekiosk as the appliance runs it (`make install`): the binary, its user and data
# folder, a starting configuration, the systemd units, the card-reader udev rule, and the venue
# network's files rendered from the configuration (scripts/venuekiosk-network).
#   scripts/install.sh BUILD_DIR
# Environment: DESTDIR stages everything into a directory (packaging, tests): no packages,
# users or services are touched then. VK_NO_ENABLE=1 installs without enabling services.
# Running it again upgrades the binary and units and keeps /etc/venuekiosk/venuekiosk.toml.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: scripts/install.sh BUILD_DIR}
root=${DESTDIR:-}
say() { echo "install: $*"; }

for f in venuekiosk venuekiosk-raw-reader; do
  [ -x "$build/$f" ] || { echo "install: $build/$f is missing; run make first" >&2; exit 1; }
done
if [ -z "$root" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "install: run as root (sudo make install)" >&2; exit 1; }
  "$here/scripts/ensure-packages.sh" install
fi

install -D -m 755 "$build/venuekiosk" "$root/usr/bin/venuekiosk"
# venuekiosk starts it for every RAW file it reads, from ../lib/venuekiosk/ beside its own path.
install -D -m 755 "$build/venuekiosk-raw-reader" "$root/usr/lib/venuekiosk/venuekiosk-raw-reader"
install -D -m 755 "$here/scripts/venuekiosk-network" "$root/usr/sbin/venuekiosk-network"
for t in "$here"/systemd/*.in; do install -D -m 644 "$t" "$root/usr/share/venuekiosk/$(basename "$t")"; done
install -D -m 644 "$here/systemd/venuekiosk.service" "$root/etc/systemd/system/venuekiosk.service"
install -D -m 644 "$here/systemd/venuekiosk-show.service" "$root/etc/systemd/system/venuekiosk-show.service"
install -D -m 644 "$here/systemd/80-venuekiosk-cards.rules" "$root/etc/udev/rules.d/80-venuekiosk-cards.rules"
install -D -m 644 "$here/systemd/venuekiosk-cards.conf" "$root/usr/lib/tmpfiles.d/venuekiosk-cards.conf"

config=$root/etc/venuekiosk/venuekiosk.toml
if [ ! -e "$config" ]; then
  install -d -m 755 "$(dirname "$config")"
  # 0640: the organizer password may go in here; the daemon's group reads it.
  install -m 640 /dev/null "$config"
  cat >"$config" <<'TOML'
# venuekiosk on this box. Every option: /usr/share/doc or `venuekiosk config --reference`.
# After changing [wifi], run `venuekiosk-network --restart`; after anything else,
# `systemctl restart venuekiosk venuekiosk-show` (the screen also reloads on `systemctl reload`).
[event]
title = "Our event"

[data]
dir = "/var/lib/venuekiosk"

[web]
listen = "0.0.0.0:80"
host = "photos.venue"

[screen]
gallery_url = "http://photos.venue/"
qr_mode = "both"

[wifi]
ssid = "Photos"
password = ""
interface = "wlan0"
address = "10.42.0.1"
channel = 6
country = ""
TOML
  say "wrote /etc/venuekiosk/venuekiosk.toml (edit the event title and the Wi-Fi there)"
else
  say "kept /etc/venuekiosk/venuekiosk.toml"
fi
# A configuration the daemon would refuse stops the install here, with the daemon's own words.
"$root/usr/bin/venuekiosk" --config "$config" config --json >/dev/null

DESTDIR=$root VENUEKIOSK="$root/usr/bin/venuekiosk" "$root/usr/sbin/venuekiosk-network"

if [ -n "$root" ]; then
  say "staged into $root (no user, packages or services touched)"
  exit 0
fi
if ! getent passwd venuekiosk >/dev/null; then
  useradd --system --home-dir /var/lib/venuekiosk --shell /usr/sbin/nologin venuekiosk
  say "created the system user venuekiosk"
fi
for group in video render input; do
  getent group "$group" >/dev/null && usermod -a -G "$group" venuekiosk
done
chgrp venuekiosk "$config"
install -d -m 750 -o venuekiosk -g venuekiosk /var/lib/venuekiosk

if [ ! -d /run/systemd/system ] || [ "${VK_NO_ENABLE:-}" = 1 ]; then
  say "installed. To start it on every boot:"
  say "  systemctl daemon-reload && venuekiosk-network --restart && systemctl enable --now venuekiosk venuekiosk-show"
  exit 0
fi
systemctl daemon-reload
udevadm control --reload 2>/dev/null || true
systemd-tmpfiles --create /usr/lib/tmpfiles.d/venuekiosk-cards.conf
/usr/sbin/venuekiosk-network --restart
systemctl enable --now venuekiosk.service venuekiosk-show.service
say "installed and running: the guest Wi-Fi, the gallery and the big screen start on every boot"
