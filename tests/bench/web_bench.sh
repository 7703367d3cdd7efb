#!/usr/bin/env bash
# Guest web server vs nginx on the same machine, in the same run (issue 6):
#   wrk, 200 keep-alive connections, 10 s, thumbnails fetched through a gallery token (access
#   rules and tracking included) vs nginx serving the same files as plain static files.
# Prints requests/s, MB/s, p50/p99, CPU per request, the ratios, the server's private memory
# (RssAnon) under load, and the gallery page's p50.
#   tests/bench/web_bench.sh BUILD_DIR        (PHOTOS=N to change the gallery size, default 2000)
set -euo pipefail
build=$(cd "$1" && pwd)
photos=${PHOTOS:-2000}
duration=${DURATION:-10}
conns=${CONNS:-200}
work=$(mktemp -d /tmp/vk-web-bench.XXXXXX)
chmod 755 "$work"  # nginx workers (www-data) read the same files
server_pid=""; nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk nginx curl; do command -v $tool >/dev/null || { echo "web_bench: $tool is missing (make bench installs it)"; exit 1; }; done

echo "web_bench: making $photos photos and importing them ..."
"$build/tests/fixtures/make_fixtures" bench-card "$work/card" --photos "$photos" --width 1600 --height 1200 >/dev/null
"$build/venuekiosk" --data-dir "$work/data" import --json "$work/card" > "$work/import.json"
chmod -R a+rX "$work/data"
token=$("$build/venuekiosk" --data-dir "$work/data" gallery create Bench --preset media --json | sed 's/.*"token":"\([^"]*\)".*/\1/')
"$build/venuekiosk" --data-dir "$work/data" gallery set 1 --views unlimited >/dev/null
cat > "$work/venuekiosk.toml" <<TOML
[web]
listen = "127.0.0.1:18480"
max_connections_per_client = 4096
TOML
"$build/venuekiosk" --config "$work/venuekiosk.toml" --data-dir "$work/data" serve 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18480/healthz >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:18480/g/$token/" -o /dev/null   # the open: wrk (also 127.0.0.1) rides this session

ids=$(sqlite3 "$work/data/catalog.db" "SELECT id FROM photos ORDER BY id LIMIT 1000")
: > "$work/ours.txt"; : > "$work/nginx.txt"
for id in $ids; do echo "/g/$token/t/$id.jpg" >> "$work/ours.txt"; done
sqlite3 "$work/data/catalog.db" "SELECT '/' || relative_path FROM photo_files WHERE role='thumb' ORDER BY photo_id LIMIT 1000" > "$work/nginx.txt"
cat > "$work/urls.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("URLS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { image/jpeg jpg; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:18481; root $work/data; }
}
NGINX
nginx -c "$work/nginx/nginx.conf" &
nginx_pid=$!
sleep 0.5

cpu_ticks() {  # utime+stime of a process and its children threads (and nginx's workers)
  local total=0
  for p in "$@"; do
    [ -r /proc/$p/stat ] || continue
    total=$((total + $(awk '{print $14 + $15}' /proc/$p/stat)))
  done
  echo $total
}
run() {  # name url-file port pids...
  local name=$1 urls=$2 port=$3; shift 3
  local before after
  before=$(cpu_ticks "$@")
  URLS=$urls wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/urls.lua" "http://127.0.0.1:$port" > "$work/$name.wrk"
  after=$(cpu_ticks "$@")
  local rps mbs p50 p99 reqs
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  mbs=$(awk '/Transfer\/sec/ {v=$2; if (v ~ /GB/) {sub("GB","",v); v*=1024} else if (v ~ /MB/) sub("MB","",v); else if (v ~ /KB/) {sub("KB","",v); v/=1024}; print v}' "$work/$name.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$name.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.wrk")
  reqs=$(awk '/requests in/ {print $1}' "$work/$name.wrk")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $4}' "$work/$name.wrk"); non2xx=${non2xx:-0}
  local cpu_us; cpu_us=$(awk -v t=$((after - before)) -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / r}')
  echo "$name $rps $mbs $p50 $p99 $cpu_us $reqs $non2xx"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub("us","",v); print v/1000} else if (v ~ /ms$/) {sub("ms","",v); print v} else {sub("s","",v); print v*1000} }'; }

nginx_pids=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
echo "web_bench: warm-up ..."
URLS=$work/ours.txt wrk -t2 -c50 -d3s -s "$work/urls.lua" http://127.0.0.1:18480 >/dev/null
URLS=$work/nginx.txt wrk -t2 -c50 -d3s -s "$work/urls.lua" http://127.0.0.1:18481 >/dev/null
ours=$(run ours "$work/ours.txt" 18480 "$server_pid")
rss_anon=$(awk '/RssAnon/ {print $2}' /proc/$server_pid/status)
theirs=$(run nginx "$work/nginx.txt" 18481 $nginx_pid $nginx_pids)
read -r _ o_rps o_mbs o_p50 o_p99 o_cpu o_reqs o_bad <<<"$ours"
read -r _ n_rps n_mbs n_p50 n_p99 n_cpu n_reqs n_bad <<<"$theirs"

# The gallery page (first page of $photos photos), one connection.
echo "/g/$token/" > "$work/page.txt"
URLS=$work/page.txt wrk -t1 -c1 -d5s --latency -s "$work/urls.lua" http://127.0.0.1:18480 > "$work/page.wrk"
page_p50=$(awk '$1=="50%" {print $2}' "$work/page.wrk")
page_bytes=$(curl -s "http://127.0.0.1:18480/g/$token/" | wc -c)

printf '\n%-28s %12s %12s %8s\n' "thumbnails, $conns conns, ${duration}s" venuekiosk nginx ratio
printf '%-28s %12s %12s %8.2f\n' "requests/s" "$o_rps" "$n_rps" "$(awk -v a="$o_rps" -v b="$n_rps" 'BEGIN {print a/b}')"
printf '%-28s %12s %12s %8.2f\n' "MB/s" "$o_mbs" "$n_mbs" "$(awk -v a="$o_mbs" -v b="$n_mbs" 'BEGIN {print a/b}')"
printf '%-28s %12s %12s %8.2f\n' "p50 latency" "$o_p50" "$n_p50" "$(awk -v a="$(to_ms "$o_p50")" -v b="$(to_ms "$n_p50")" 'BEGIN {print a/b}')"
printf '%-28s %12s %12s %8.2f\n' "p99 latency" "$o_p99" "$n_p99" "$(awk -v a="$(to_ms "$o_p99")" -v b="$(to_ms "$n_p99")" 'BEGIN {print a/b}')"
printf '%-28s %12s %12s %8.2f\n' "CPU per request (us)" "$o_cpu" "$n_cpu" "$(awk -v a="$o_cpu" -v b="$n_cpu" 'BEGIN {print a/b}')"
printf '%-28s %12s %12s\n' "non-2xx answers" "$o_bad" "$n_bad"
echo "server private memory (RssAnon) under load: $((rss_anon / 1024)) MB with $photos photos (goal <= 64 MB)"
echo "gallery page ($photos photos, first page $page_bytes bytes): p50 $page_p50 (goal < 5 ms)"
echo "goals: requests/s >= 1.2x nginx, p99 <= nginx, CPU per request <= 0.75x nginx"
