#!/usr/bin/env bash
# Installs the Debian packages listed in packages/debian.txt for the given tags
# (build, test, bench) that are not installed yet. As root it runs apt-get; otherwise it
# prints the one command to run and fails, so a build never half-works.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tags=("$@")
[ ${#tags[@]} -gt 0 ] || tags=(build)

wanted=()
while read -r pkg pkgtags; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  for t in "${tags[@]}"; do
    if [[ " $pkgtags " == *" $t "* ]]; then wanted+=("$pkg"); break; fi
  done
done <"$here/packages/debian.txt"

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "venuekiosk needs these Debian packages. Run this once, then try again:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
