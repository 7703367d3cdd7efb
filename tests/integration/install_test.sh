#!/usr/bin/env bash
# `make install`, staged with DESTDIR: every file the appliance needs lands where its units and
# Debian's hostapd@/dnsmasq units look for it, the venue network's files agree with the
# configuration (dnsmasq itself checks its file), a second install keeps the organizer's edited
# configuration and re-renders from it, and a configuration hostapd would refuse stops the
# install with the option named and the files already there untouched.
#   install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
fail() { echo "FAIL: $*" >&2; exit 1; }
mode_of() { stat -c %a "$root$1"; }

DESTDIR=$root "$source_dir/scripts/install.sh" "$build" >"$work/out" 2>&1 || fail "install failed: $(cat "$work/out")"
for f in /usr/bin/venuekiosk /usr/sbin/venuekiosk-network /usr/lib/venuekiosk/venuekiosk-raw-reader; do
  [ -x "$root$f" ] || fail "$f is not installed"
done
# The installed binary finds its RAW reader where the install put it: a RAW file imports.
"$build/tests/fixtures/make_fixtures" demo-card "$work/card" --photos 3 >/dev/null
mkdir "$work/raw" && cp "$work/card/DCIM/100CANON/IMG_0101.DNG" "$work/raw/"
env -u VK_RAW_READER "$root/usr/bin/venuekiosk" --data-dir "$work/data" import "$work/raw" --json \
  >"$work/import.json" 2>&1 || fail "the installed binary could not import a RAW file: $(cat "$work/import.json")"
grep -q '"imported":1' "$work/import.json" || fail "the installed binary did not import the RAW file: $(cat "$work/import.json")"
for f in /etc/systemd/system/venuekiosk.service /etc/systemd/system/venuekiosk-show.service \
  /etc/udev/rules.d/80-venuekiosk-cards.rules /usr/lib/tmpfiles.d/venuekiosk-cards.conf \
  /etc/venuekiosk/venuekiosk.toml /etc/hostapd/wlan0.conf /etc/dnsmasq.d/venuekiosk.conf \
  /etc/systemd/system/venuekiosk-wifi-address.service /etc/NetworkManager/conf.d/venuekiosk.conf; do
  [ -s "$root$f" ] || fail "$f is missing or empty"
done
[ "$(mode_of /etc/hostapd/wlan0.conf)" = 600 ] || fail "the hostapd file (it holds the Wi-Fi password) is not 0600"
[ "$(mode_of /etc/venuekiosk/venuekiosk.toml)" = 640 ] || fail "the configuration is not 0640"
for f in /etc/hostapd/wlan0.conf /etc/dnsmasq.d/venuekiosk.conf /etc/systemd/system/venuekiosk-wifi-address.service \
  /etc/NetworkManager/conf.d/venuekiosk.conf; do
  ! grep -n '@[A-Z_]*@' "$root$f" || fail "$f has a placeholder left"
done
# The units start the binary where it was installed.
grep -q '^ExecStart=/usr/bin/venuekiosk ' "$root/etc/systemd/system/venuekiosk.service" || fail "venuekiosk.service does not start /usr/bin/venuekiosk"
# The starting configuration is what the daemon reads, and the network files say the same.
"$root/usr/bin/venuekiosk" --config "$root/etc/venuekiosk/venuekiosk.toml" config --json >"$work/config.json"
grep -q '"address":"10.42.0.1"' "$work/config.json" || fail "the starting configuration has no Wi-Fi address: $(cat "$work/config.json")"
grep -qx 'address=/#/10.42.0.1' "$root/etc/dnsmasq.d/venuekiosk.conf" || fail "dnsmasq does not answer every name with the box"
grep -qx 'interface=wlan0' "$root/etc/hostapd/wlan0.conf" || fail "hostapd is not on wlan0"
grep -qx 'ExecStart=/usr/sbin/ip address replace 10.42.0.1/24 dev wlan0' \
  "$root/etc/systemd/system/venuekiosk-wifi-address.service" || fail "the address unit does not give the box 10.42.0.1/24"
grep -q '^Before=hostapd@wlan0.service dnsmasq.service' "$root/etc/systemd/system/venuekiosk-wifi-address.service" ||
  fail "the address unit is not ordered before hostapd@wlan0 and dnsmasq"
dnsmasq --test --conf-file="$root/etc/dnsmasq.d/venuekiosk.conf" >"$work/dnsmasq-test" 2>&1 ||
  fail "dnsmasq rejects the rendered file: $(cat "$work/dnsmasq-test")"

# The organizer edits the configuration; installing again keeps it and renders from it.
sed -i -e 's/^password = ""/password = "confetti-2026"/' -e 's/^interface = "wlan0"/interface = "wlan1"/' \
  "$root/etc/venuekiosk/venuekiosk.toml"
DESTDIR=$root "$source_dir/scripts/install.sh" "$build" >"$work/out2" 2>&1 || fail "the second install failed: $(cat "$work/out2")"
grep -q 'kept /etc/venuekiosk/venuekiosk.toml' "$work/out2" || fail "the second install did not say it kept the configuration"
grep -q 'confetti-2026' "$root/etc/venuekiosk/venuekiosk.toml" || fail "the second install overwrote the organizer's configuration"
grep -qx 'wpa_passphrase=confetti-2026' "$root/etc/hostapd/wlan1.conf" || fail "the new Wi-Fi password did not reach hostapd"
[ "$(mode_of /etc/hostapd/wlan1.conf)" = 600 ] || fail "the re-rendered hostapd file is not 0600"

# A password hostapd would refuse: the install stops, names the option, and changes nothing.
before=$(md5sum "$root/etc/hostapd/wlan1.conf" "$root/etc/dnsmasq.d/venuekiosk.conf")
sed -i 's/^password = "confetti-2026"/password = "short"/' "$root/etc/venuekiosk/venuekiosk.toml"
if DESTDIR=$root "$source_dir/scripts/install.sh" "$build" >"$work/out3" 2>&1; then
  fail "an install with a 5-character Wi-Fi password succeeded"
fi
grep -q 'wifi.password' "$work/out3" || fail "the failed install does not name wifi.password: $(cat "$work/out3")"
[ "$(md5sum "$root/etc/hostapd/wlan1.conf" "$root/etc/dnsmasq.d/venuekiosk.conf")" = "$before" ] ||
  fail "a refused configuration changed the network files"
[ -z "$(find "$root/etc" -name '*.??????' -newer "$work/out2")" ] || fail "temporary files were left behind"
echo "PASS: install stages every file, renders the network from the configuration, keeps edits, refuses bad Wi-Fi settings"
