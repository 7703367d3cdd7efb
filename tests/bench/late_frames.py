#!/usr/bin/env python3
"""Attributes the show's late frames: ours, or the virtual machine not running at all.

    late_frames.py STATS.json PERF.data

PERF.data is `perf record -k CLOCK_MONOTONIC -e sched:sched_switch -e sched:sched_waking -a`
over the show (display_bench.sh does this with BENCH_TRACE=1). A window in which no CPU logs a
single scheduler event while the machine is loaded is a window in which the guest did not run
(the host paused its vCPUs); a late frame inside one is not the show's doing. Also prints how
long the render thread (the real-time one) took from being woken to running.
"""
import json
import re
import subprocess
import sys

SILENCE_S = 0.010  # no scheduler event on any CPU for this long: the VM did not run


def main():
    stats = json.load(open(sys.argv[1]))
    script = subprocess.run(["perf", "script", "-i", sys.argv[2], "-F", "tid,cpu,time,event,trace"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    times, rt_in, rt_wake = [], {}, {}
    stamp = re.compile(r"(\d+\.\d+):")
    for line in script:
        m = stamp.search(line)
        if not m:
            continue
        t = float(m.group(1))
        times.append(t)
        if "next_prio=89" in line:  # SCHED_FIFO 10, the render thread
            tid = re.search(r"next_pid=(\d+)", line).group(1)
            rt_in.setdefault(tid, []).append(t)
        elif "sched_waking" in line and "prio=89" in line:
            tid = re.search(r" pid=(\d+)", line).group(1)
            rt_wake.setdefault(tid, []).append(t)
    times.sort()
    silences = [(a, b - a) for a, b in zip(times, times[1:]) if b - a > SILENCE_S]
    print(f"VM-wide silences over {SILENCE_S * 1000:.0f} ms: {len(silences)}, "
          f"{sum(g for _, g in silences) * 1000:.0f} ms in {times[-1] - times[0]:.1f} s")
    if rt_in:
        render = max(rt_in, key=lambda k: len(rt_in[k]))
        ins, delays, k = rt_in[render], [], 0
        for w in rt_wake.get(render, []):
            while k < len(ins) and ins[k] < w:
                k += 1
            if k < len(ins):
                delays.append((ins[k] - w) * 1000)
        delays.sort()
        if delays:
            n = len(delays)
            print(f"render thread woken -> running: p50 {delays[n // 2]:.3f} ms, p99 {delays[int(n * 0.99)]:.3f} ms, "
                  f"max {delays[-1]:.3f} ms ({n} wake-ups)")
    host = 0
    for f in stats.get("late_detail", []):
        start = f["at"]
        end = start + max(f["shown"], f["compose"], f["woke"]) / 1000
        hit = [g for s, g in silences if s < end and s + g > start]
        host += bool(hit)
        why = f"inside a {max(hit) * 1000:.0f} ms VM-wide silence" if hit else "not explained by the host"
        print(f"  late frame {f['frame']}: {why}")
    late = len(stats.get("late_detail", []))
    print(f"late frames: {late}, during VM-wide silences: {host}, ours: {late - host}")


if __name__ == "__main__":
    main()
