#!/usr/bin/env bash
# The shipped hostapd template, rendered by `venuekiosk config --render` from [wifi] as the
# installer does: every placeholder filled, every setting a key=value line, the settings the
# venue network depends on present, WPA2 and the country only when configured, and a
# configuration hostapd would refuse stopped before anything is written.
# (`hostapd -t` cannot check it here: hostapd wants a real Wi-Fi device for driver=nl80211.)
#   hostapd_template_test.sh VENUEKIOSK_BINARY
set -euo pipefail
venuekiosk=${1:?usage: hostapd_template_test.sh VENUEKIOSK_BINARY}
source_dir=$(cd "$(dirname "$0")/../../.." && pwd)
template=$source_dir/systemd/hostapd-venuekiosk.conf.in
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

render() {  # CONFIG_TEXT -> the rendered hostapd.conf on stdout
  printf '%s\n' "$1" >"$work/venuekiosk.toml"
  "$venuekiosk" --config "$work/venuekiosk.toml" config --render "$template"
}

check_settings() {  # FILE: key=value lines only, none twice
  local settings bad dups
  settings=$(grep -v -e '^#' -e '^$' "$1")
  ! grep -n '@' <<<"$settings" || fail "an at-sign is left in the rendered config"
  bad=$(grep -v -E '^[a-z0-9_]+=.+$' <<<"$settings" || true)
  [ -z "$bad" ] || fail "lines that are not key=value: $bad"
  dups=$(cut -d= -f1 <<<"$settings" | sort | uniq -d)
  [ -z "$dups" ] || fail "settings given twice: $dups"
}

# An open network on the defaults.
render '[wifi]
ssid = "Anna & Ben'"'"'s wedding"' >"$work/open.conf"
check_settings "$work/open.conf"
for want in "interface=wlan0" "ssid=Anna & Ben's wedding" "channel=6" "driver=nl80211" "ap_isolate=1" "utf8_ssid=1"; do
  grep -qxF "$want" "$work/open.conf" || fail "missing '$want' in the open network's config"
done
! grep -q '^wpa' "$work/open.conf" || fail "an open network got WPA settings"
! grep -q '^country_code' "$work/open.conf" || fail "a country code appeared though wifi.country is empty"

# WPA2 with a country and another channel and interface.
render '[wifi]
ssid = "婚礼照片"
password = "confetti-2026"
interface = "wlx00c0ca123456"
channel = 11
country = "DE"' >"$work/wpa.conf"
check_settings "$work/wpa.conf"
for want in "interface=wlx00c0ca123456" "ssid=婚礼照片" "channel=11" "wpa=2" "wpa_key_mgmt=WPA-PSK" \
  "rsn_pairwise=CCMP" "wpa_passphrase=confetti-2026" "country_code=DE" "ieee80211d=1"; do
  grep -qxF "$want" "$work/wpa.conf" || fail "missing '$want' in the WPA2 network's config"
done

# What hostapd would refuse (and bring no network up) is refused when the configuration is read.
for bad in 'password = "short"' 'ssid = ""' 'ssid = "line\nwpa=0"' 'channel = 14' 'country = "germany"' \
  'interface = "wlan0; reboot"' 'address = "10.42.0.77"'; do
  if render "[wifi]
$bad" >"$work/bad.conf" 2>"$work/err"; then
    fail "the configuration [wifi] $bad was accepted"
  fi
  grep -q "option wifi\." "$work/err" || fail "[wifi] $bad: the error does not name the option: $(cat "$work/err")"
done

# A template with a placeholder nothing fills is refused, naming it.
printf 'interface=@IFACE@\nbeacon_int=@BEACON@\n' >"$work/grown.conf.in"
printf '[wifi]\nssid = "Photos"\n' >"$work/venuekiosk.toml"
if "$venuekiosk" --config "$work/venuekiosk.toml" config --render "$work/grown.conf.in" >/dev/null 2>"$work/err"; then
  fail "a template with an unknown placeholder rendered"
fi
grep -q '@BEACON@' "$work/err" || fail "the render error does not name the placeholder: $(cat "$work/err")"
echo "PASS: hostapd template renders open and WPA2 networks, and refuses what hostapd would"
