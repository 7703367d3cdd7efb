#!/usr/bin/env bash
# The shipped dnsmasq template, run for real: a "box" and a "phone" network namespace joined by
# a veth pair; dnsmasq in the box serves systemd/dnsmasq-venuekiosk.conf.in, rendered by
# `venuekiosk config --render` from a [wifi] section as the installer does, on the box's end. The phone takes a DHCP lease (which must carry option 114, the captive-portal URI)
# and then resolves arbitrary names with dig and through the C library (getent); every answer
# must be the box. Needs root (CAP_NET_ADMIN) and iproute2, dnsmasq, dig, udhcpc.
#   dnsmasq_netns_test.sh VENUEKIOSK_BINARY
set -euo pipefail
venuekiosk=${1:?usage: dnsmasq_netns_test.sh VENUEKIOSK_BINARY}
source_dir=$(cd "$(dirname "$0")/../../.." && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in ip dnsmasq dig udhcpc getent; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (packages/debian.txt, tag test)"
done

box_ip=192.168.77.1
id=$$$RANDOM
id=${id:0:9}
box_ns=vkbox-$id cli_ns=vkcli-$id
box_if=vkb$id cli_if=vkc$id  # interface names are at most 15 characters
work=$(mktemp -d)
dnsmasq_pid=

cleanup() {
  [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null && wait "$dnsmasq_pid" 2>/dev/null
  ip netns del "$box_ns" 2>/dev/null || true  # deleting a namespace deletes its veth end
  ip netns del "$cli_ns" 2>/dev/null || true
  rm -rf "/etc/netns/$cli_ns" "$work"
}
trap cleanup EXIT

ip netns add "$box_ns" 2>"$work/err" ||
  fail "cannot create a network namespace (needs root or CAP_NET_ADMIN): $(cat "$work/err")"
ip netns add "$cli_ns"
ip link add "$box_if" netns "$box_ns" type veth peer name "$cli_if" netns "$cli_ns"
ip -n "$box_ns" addr add "$box_ip/24" dev "$box_if"
ip -n "$box_ns" link set "$box_if" up
ip -n "$box_ns" link set lo up
ip -n "$cli_ns" link set "$cli_if" up
ip -n "$cli_ns" link set lo up

conf=$work/dnsmasq.conf
cat >"$work/venuekiosk.toml" <<TOML
[wifi]
interface = "$box_if"
address = "$box_ip"
TOML
"$venuekiosk" --config "$work/venuekiosk.toml" config --render "$source_dir/systemd/dnsmasq-venuekiosk.conf.in" >"$conf"
grep -qx "dhcp-range=192.168.77.10,192.168.77.250,255.255.255.0,2h" "$conf" ||
  fail "the DHCP range is not .10-.250 of the box's /24: $(grep dhcp-range "$conf")"
grep -qx "dhcp-option=114,\"http://$box_ip/\"" "$conf" || fail "the template has no DHCP option 114 for the portal"
grep -qx "address=/#/$box_ip" "$conf" || fail "the template does not answer every name with the box"

ip netns exec "$box_ns" dnsmasq --conf-file="$conf" --keep-in-foreground --no-daemon \
  --pid-file="$work/dnsmasq.pid" --dhcp-leasefile="$work/leases" 2>"$work/dnsmasq.log" &
dnsmasq_pid=$!

# The phone's DHCP client: retries on its own until the server answers (5 tries, 1 s apart),
# then its script records what the lease carried. Busybox passes option 114 as hex in $opt114.
cat >"$work/lease.sh" <<'SH'
#!/bin/sh
[ "$1" = bound ] || exit 0
echo "ip=$ip" >"$LEASE_OUT"
echo "dns=$dns" >>"$LEASE_OUT"
echo "opt114=$opt114" >>"$LEASE_OUT"
ip addr add "$ip/${mask:-24}" dev "$interface"
SH
chmod +x "$work/lease.sh"
LEASE_OUT=$work/lease ip netns exec "$cli_ns" udhcpc -i "$cli_if" -f -q -n -t 5 -T 1 -O 114 \
  -s "$work/lease.sh" >"$work/udhcpc.log" 2>&1 ||
  fail "no DHCP lease from the box: $(cat "$work/udhcpc.log" "$work/dnsmasq.log")"
ip='' dns='' opt114=''
# shellcheck source=/dev/null
. "$work/lease"
echo "lease: ip=$ip dns=$dns option114=$opt114"
[[ "$ip" == 192.168.77.* ]] || fail "lease address $ip is outside the box's range"
[ "$dns" = "$box_ip" ] || fail "the lease names DNS server '$dns', not the box"
want114=$(printf 'http://%s/' "$box_ip" | od -An -tx1 | tr -d ' \n')
[ "$opt114" = "$want114" ] || fail "DHCP option 114 is '$opt114', want '$want114' (http://$box_ip/)"

# What a phone looks up first, plus names nobody has ever seen.
names=(captive.apple.com connectivitycheck.gstatic.com www.msftconnecttest.com
  detectportal.firefox.com example.com "random-$RANDOM.invalid" a.b.c.d.venue.test)
for name in "${names[@]}"; do
  got=$(ip netns exec "$cli_ns" dig +short +time=1 +tries=3 @"$box_ip" "$name" A)
  [ "$got" = "$box_ip" ] || fail "dig $name answered '$got', want $box_ip"
done
# The C library's resolver, as apps on the phone use it: `ip netns exec` bind-mounts
# /etc/netns/<ns>/resolv.conf over /etc/resolv.conf.
mkdir -p "/etc/netns/$cli_ns"
echo "nameserver $dns" >"/etc/netns/$cli_ns/resolv.conf"
for name in example.org "photos-$RANDOM.wedding"; do
  got=$(ip netns exec "$cli_ns" getent ahostsv4 "$name" | awk 'NR==1 {print $1}')
  [ "$got" = "$box_ip" ] || fail "getent $name answered '$got', want $box_ip"
done
kill -0 "$dnsmasq_pid" || fail "dnsmasq died: $(cat "$work/dnsmasq.log")"
echo "PASS: DHCP lease with option 114 and ${#names[@]}+2 names resolved to the box"
