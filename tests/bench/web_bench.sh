#!/usr/bin/env bash
# Guest web server vs nginx on the same machine, in the same run (issue 6):
#   wrk, 200 keep-alive connections, 10 s, thumbnails fetched through a gallery token of a
#   gallery of 5,000 photos (access rules and tracking included) vs nginx serving the same
#   files as plain static files; ROUNDS alternating rounds, medians printed.
# Prints requests/s, MB/s, p50/p99, CPU per request (utime+stime of each server's processes
# from /proc/<pid>/stat), the ratios, the server's private memory (RssAnon) under that load,
# and the p50 of a gallery page of 1,000 photos with 5,000 and then 100,000 photos in the catalog.
#   tests/bench/web_bench.sh BUILD_DIR   (PHOTOS, CATALOG, ROUNDS, DURATION, CONNS to change)
#
# The catalog is made fast: a few real photos are imported, then a generator inserts rows that
# reuse their screen copies and originals, each with a thumbnail file of its own (so 5,000
# distinct files are served, as at an event).
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
photos=${PHOTOS:-5000}
catalog=${CATALOG:-100000}
rounds=${ROUNDS:-3}
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
for tool in wrk nginx curl python3; do command -v $tool >/dev/null || { echo "web_bench: $tool is missing (make bench installs it)"; exit 1; }; done
vk() { "$build/venuekiosk" --data-dir "$work/data" "$@"; }

# grow DB COUNT: adds generated photos until the catalog holds COUNT (grow_catalog.py).
grow() { THUMBS=${THUMBS:-0} python3 "$here/grow_catalog.py" "$1" "$2"; }

echo "web_bench: a catalog of $photos photos ..."
"$build/tests/fixtures/make_fixtures" bench-card "$work/card" --photos 24 --width 1600 --height 1200 >/dev/null
vk import --json "$work/card" > "$work/import.json"
THUMBS=1 grow "$work/data/catalog.db" "$photos"
chmod -R a+rX "$work/data"
token=$(vk gallery create Bench --preset media --json | sed 's/.*"token":"\([^"]*\)".*/\1/')
vk gallery set 1 --views unlimited >/dev/null
page_token=$(vk gallery create Page --preset media --json | sed 's/.*"token":"\([^"]*\)".*/\1/')
vk gallery set 2 --views unlimited >/dev/null
python3 - "$work/data/catalog.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with db:  # gallery 2: the first 1,000 photos in two chapters, as `gallery add` would put them
    for i, (pid,) in enumerate(db.execute("SELECT id FROM photos ORDER BY id LIMIT 1000").fetchall()):
        db.execute("INSERT INTO gallery_photos (gallery_id, photo_id, section) VALUES (2, ?, ?)",
                   (pid, "Ceremony" if i < 400 else "Reception"))
    db.execute("UPDATE galleries SET all_photos = 0 WHERE id = 2")
    db.execute("UPDATE gallery_generation SET n = n + 1")
PY

cat > "$work/venuekiosk.toml" <<TOML
[web]
listen = "127.0.0.1:18480"
max_connections_per_client = 4096
TOML
"$build/venuekiosk" --config "$work/venuekiosk.toml" --data-dir "$work/data" serve 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18480/healthz >/dev/null && break; sleep 0.1; done
# The opens: wrk (also 127.0.0.1) rides these sessions.
curl -sf "http://127.0.0.1:18480/g/$token/" -o /dev/null
curl -sf "http://127.0.0.1:18480/g/$page_token/" -o /dev/null

python3 - "$work/data/catalog.db" "$token" "$work" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
token, work = sys.argv[2], sys.argv[3]
rows = db.execute("SELECT photo_id, relative_path FROM photo_files WHERE role='thumb' ORDER BY photo_id").fetchall()
with open(f"{work}/ours.txt", "w") as ours, open(f"{work}/nginx.txt", "w") as nginx:
    for pid, rel in rows:
        ours.write(f"/g/{token}/t/{pid}.jpg\n")
        nginx.write(f"/{rel}\n")
PY
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

cpu_ticks() {  # utime+stime of each process (all its threads)
  local total=0
  for p in "$@"; do
    [ -r /proc/$p/stat ] || continue
    total=$((total + $(awk '{print $14 + $15}' /proc/$p/stat)))
  done
  echo $total
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub("us","",v); print v/1000} else if (v ~ /ms$/) {sub("ms","",v); print v} else {sub("s","",v); print v*1000} }'; }
run() {  # name url-file port pids... -> "rps MB/s p50ms p99ms cpu_us reqs non2xx"
  local name=$1 urls=$2 port=$3; shift 3
  local before after
  before=$(cpu_ticks "$@")
  URLS=$urls ${WRK_PREFIX:-} wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/urls.lua" "http://127.0.0.1:$port" > "$work/$name.wrk"
  after=$(cpu_ticks "$@")
  local rps mbs p50 p99 reqs non2xx cpu_us
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  mbs=$(awk '/Transfer\/sec/ {v=$2; if (v ~ /GB/) {sub("GB","",v); v*=1024} else if (v ~ /MB/) sub("MB","",v); else if (v ~ /KB/) {sub("KB","",v); v/=1024}; print v}' "$work/$name.wrk")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$work/$name.wrk")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$work/$name.wrk")")
  reqs=$(awk '/requests in/ {print $1}' "$work/$name.wrk")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$work/$name.wrk"); non2xx=${non2xx:-0}
  cpu_us=$(awk -v t=$((after - before)) -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / r}')
  echo "$rps $mbs $p50 $p99 $cpu_us $reqs $non2xx"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
page_p50() {  # token -> p50 in ms of the gallery page, one connection, 5 s
  echo "/g/$1/" > "$work/page.txt"
  URLS=$work/page.txt wrk -t1 -c1 -d5s --latency -s "$work/urls.lua" http://127.0.0.1:18480 > "$work/page.wrk"
  to_ms "$(awk '$1=="50%" {print $2}' "$work/page.wrk")"
}

nginx_pids=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
echo "web_bench: warm-up ..."
URLS=$work/ours.txt wrk -t2 -c50 -d3s -s "$work/urls.lua" http://127.0.0.1:18480 >/dev/null
URLS=$work/nginx.txt wrk -t2 -c50 -d3s -s "$work/urls.lua" http://127.0.0.1:18481 >/dev/null
: > "$work/ours.rounds"; : > "$work/nginx.rounds"; rss_max=0
for round in $(seq "$rounds"); do
  run ours "$work/ours.txt" 18480 "$server_pid" >> "$work/ours.rounds" &
  sleep $((duration - 1))  # RssAnon near the end of the load, while 200 connections are open
  rss=$(awk '/RssAnon/ {print $2}' /proc/$server_pid/status)
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  wait $!
  run nginx "$work/nginx.txt" 18481 $nginx_pid $nginx_pids >> "$work/nginx.rounds"
  echo "web_bench: round $round: ours $(tail -1 "$work/ours.rounds") | nginx $(tail -1 "$work/nginx.rounds")   (rps MB/s p50ms p99ms cpu_us reqs non2xx)"
done
col() { awk -v c="$2" '{print $c}' "$1" | median; }

# The same load with wrk at SCHED_IDLE, for both servers: wrk shares the two cores with the
# server, and when the server answers faster than wrk can ask, wrk never sleeps and keeps its
# core until the next scheduler tick (4 ms here) while a woken loop waits - which sets the p99
# above. With wrk idle-class no server thread ever waits for it: this p99 is the server's own.
# Printed beside the goal row, not instead of it.
: > "$work/ours.idle"; : > "$work/nginx.idle"
for round in $(seq $((rounds < 3 ? rounds : 3))); do
  WRK_PREFIX="chrt --idle 0" run ours "$work/ours.txt" 18480 "$server_pid" >> "$work/ours.idle"
  WRK_PREFIX="chrt --idle 0" run nginx "$work/nginx.txt" 18481 $nginx_pid $nginx_pids >> "$work/nginx.idle"
  echo "web_bench: wrk at SCHED_IDLE, round $round: ours $(tail -1 "$work/ours.idle") | nginx $(tail -1 "$work/nginx.idle")"
done

page_5k=$(page_p50 "$page_token")
page_bytes=$(curl -s "http://127.0.0.1:18480/g/$page_token/" | wc -c)
echo "web_bench: growing the catalog to $catalog photos ..."
grow "$work/data/catalog.db" "$catalog"
before=$(curl -s "http://127.0.0.1:18480/g/$token/?p=100000" | grep -o '?p=[0-9]*' | tail -1 || true)
for _ in $(seq 300); do  # the server's refresher picks the new photos up on its own
  now=$(curl -s "http://127.0.0.1:18480/g/$token/?p=100000" | grep -o '?p=[0-9]*' | tail -1 || true)
  [ "$now" != "$before" ] && break; sleep 0.2
done
page_100k=$(page_p50 "$page_token")
rss_100k=$(awk '/RssAnon/ {print $2}' /proc/$server_pid/status)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
row() {  # label column
  local o n; o=$(col "$work/ours.rounds" "$2"); n=$(col "$work/nginx.rounds" "$2")
  printf '%-30s %12s %12s %8s\n' "$1" "$o" "$n" "$(ratio "$o" "$n")"
}
printf '\nthumbnails of %d photos, %d conns, %ss, median of %d rounds; load average %s\n' "$photos" "$conns" "$duration" "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-30s %12s %12s %8s\n' "" venuekiosk nginx ratio
row "requests/s" 1
row "MB/s" 2
row "p50 latency (ms)" 3
row "p99 latency (ms)" 4
row "CPU per request (us)" 5
idle_p99_ours=$(col "$work/ours.idle" 4); idle_p99_nginx=$(col "$work/nginx.idle" 4)
printf '%-30s %12s %12s %8s\n' "p99, wrk at SCHED_IDLE (ms)" "$idle_p99_ours" "$idle_p99_nginx" "$(ratio "$idle_p99_ours" "$idle_p99_nginx")"
printf '%-30s %12s %12s\n' "non-2xx answers (all rounds)" "$(awk '{s+=$7} END {print s}' "$work/ours.rounds")" "$(awk '{s+=$7} END {print s}' "$work/nginx.rounds")"
echo "server private memory (RssAnon) under that load: $((rss_max / 1024)) MB with $photos photos (goal <= 64 MB)"
echo "gallery page of 1,000 photos ($page_bytes bytes): p50 ${page_5k} ms with $photos photos in the catalog, ${page_100k} ms with $catalog (goal < 5 ms)"
echo "server private memory with $catalog photos in the catalog (idle): $((rss_100k / 1024)) MB"
echo "goals: requests/s >= 1.2x nginx, p99 <= nginx, CPU per request <= 0.75x nginx"
