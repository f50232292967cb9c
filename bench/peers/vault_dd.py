#!/usr/bin/python3
"""Reference timing for the vault's array store: a durable sequential write of the same size with dd.

Usage: bench/peers/vault_dd.py OUT_FILE SIZE_MIB RUNS
Runs `dd if=/dev/zero of=OUT_FILE bs=1M count=SIZE_MIB conv=fdatasync` once as a warm-up and then RUNS times, deleting
OUT_FILE before each run and at the end, and prints one JSON line: {"dd_s": [dd's own elapsed seconds per run],
"dd_median_s", "wall_s": [seconds around the dd process], "bytes", "dd_gbs" (bytes / median, GB = 10^9 bytes)}.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

COPIED = re.compile(r"^(\d+) bytes .* copied, ([0-9.eE+-]+) s,", re.MULTILINE)


def main(argv):
    if len(argv) != 4:
        print("usage: vault_dd.py OUT_FILE SIZE_MIB RUNS", file=sys.stderr)
        return 2
    out, mib, runs = argv[1], int(argv[2]), int(argv[3])
    dd_s, wall_s = [], []
    size = 0
    try:
        for i in range(runs + 1):  # the first run is the warm-up
            if os.path.exists(out):
                os.remove(out)
            t0 = time.perf_counter()
            done = subprocess.run(["dd", "if=/dev/zero", f"of={out}", "bs=1M", f"count={mib}", "conv=fdatasync"],
                                  env={**os.environ, "LC_ALL": "C"}, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t0
            match = COPIED.search(done.stderr)
            if done.returncode != 0 or match is None:
                last = done.stderr.strip().splitlines()[-1:] or [""]
                print(f"vault_dd: dd failed ({done.returncode}): {last[0]}", file=sys.stderr)
                return 1
            size = int(match.group(1))
            if i > 0:
                dd_s.append(float(match.group(2)))
                wall_s.append(round(wall, 6))
    finally:
        if os.path.exists(out):
            os.remove(out)
    median = statistics.median(dd_s)
    print(json.dumps({"dd_s": dd_s, "dd_median_s": median, "wall_s": wall_s, "bytes": size,
                      "dd_gbs": round(size / median / 1e9, 4)}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:
        print(f"vault_dd: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
