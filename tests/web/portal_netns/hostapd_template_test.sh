#!/usr/bin/env bash
# The shipped hostapd template renders to a complete config: every placeholder filled, every
# setting a key=value line with a value, and the settings the venue network depends on present.
# (`hostapd -t` cannot parse it here: hostapd wants a real Wi-Fi device for driver=nl80211.)
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../../.." && pwd)
template=$source_dir/systemd/hostapd-venuekiosk.conf.in
render=$source_dir/tests/web/portal_netns/render_template.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A placeholder left out must stop the render, or a half-filled file could ship.
if "$render" "$template" "$work/partial.conf" IFACE=wlan0 SSID=Photos 2>"$work/err"; then
  fail "rendering without CHANNEL succeeded"
fi
grep -q '@CHANNEL@' "$work/err" || fail "the render error does not name the missing placeholder: $(cat "$work/err")"

conf=$work/hostapd.conf
"$render" "$template" "$conf" IFACE=wlan0 SSID="Anna & Ben's wedding" CHANNEL=6
! grep -n '@' "$conf" || fail "an at-sign is left in the rendered config"
settings=$(grep -v -e '^#' -e '^$' "$conf")
bad=$(grep -v -E '^[a-z0-9_]+=.+$' <<<"$settings" || true)
[ -z "$bad" ] || fail "lines that are not key=value: $bad"
dups=$(cut -d= -f1 <<<"$settings" | sort | uniq -d)
[ -z "$dups" ] || fail "settings given twice: $dups"
for want in "interface=wlan0" "ssid=Anna & Ben's wedding" "channel=6" "driver=nl80211" "ap_isolate=1" \
  "utf8_ssid=1"; do
  grep -qxF "$want" <<<"$settings" || fail "missing '$want' in the rendered config"
done
echo "PASS: hostapd template renders completely ($(wc -l <<<"$settings") settings)"
