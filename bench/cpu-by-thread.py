#!/usr/bin/env python3
"""CPU seconds of a command's threads, grouped by thread name (digits folded), e.g.

    bench/cpu-by-thread.py bin/flowtap backfill --pcap big.pcap --out /tmp/o --quiet

Samples /proc/<pid>/task/*/stat every 100 ms while the command runs and prints, at its end, the
last user+system time seen for each thread, summed by name: JIT compiler threads, GC threads and
the task threads of the Flink job apart. Threads that end between two samples lose at most their
last 100 ms. Linux only; the command's own output is discarded (its stderr goes to stderr).
"""
import collections
import os
import re
import subprocess
import sys
import time

if len(sys.argv) < 2:
    sys.exit(__doc__)
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
ticks = os.sysconf("SC_CLK_TCK")
seen = {}
while proc.poll() is None:
    try:
        tids = os.listdir(f"/proc/{proc.pid}/task")
    except OSError:
        tids = []
    for tid in tids:
        try:
            with open(f"/proc/{proc.pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seen[tid] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    time.sleep(0.1)
by_name = collections.Counter()
for name, cpu in seen.values():
    by_name[re.sub(r"[0-9]+", "#", name)] += cpu
print(f"{sum(by_name.values()):8.2f}  all threads")
for name, cpu in by_name.most_common():
    if cpu >= 0.01:
        print(f"{cpu:8.2f}  {name}")
sys.exit(proc.returncode)
