#!/usr/bin/env bash
# Renders one of systemd/*.conf.in: render_template.sh TEMPLATE OUT KEY=VALUE...
# Fails when a placeholder (@NAME@) is left unfilled, so a template that grows a new one
# cannot ship half-rendered.
set -euo pipefail
template=$1 out=$2
shift 2
text=$(cat "$template")
for pair in "$@"; do
  key=${pair%%=*} value=${pair#*=}
  text=${text//"@$key@"/"$value"}  # quoted: bash 5.2 reads a bare & in the value as the match
done
if stray=$(grep -o '@[A-Z_][A-Z0-9_]*@' <<<"$text"); then
  echo "render_template: $template: placeholders left unfilled: $(sort -u <<<"$stray" | tr '\n' ' ')" >&2
  exit 1
fi
printf '%s\n' "$text" >"$out"
