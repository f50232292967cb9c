#!/usr/bin/python3
"""Reference memory bandwidth: numpy copy of one preallocated array into another (Debian's python3-numpy).

Usage: bench/peers/memcpy.py SIZE_MIB
Copies SIZE_MIB MiB (np.copyto) best of 5 and prints one JSON line {"memcpy_gbs": GB/s} (GB = 10^9 bytes;
the bytes copied, not read + written).
"""
import json
import sys
import time

import numpy as np

RUNS = 5


def main(argv):
    if len(argv) != 2:
        print("usage: memcpy.py SIZE_MIB", file=sys.stderr)
        return 2
    size = int(float(argv[1]) * 1024 * 1024)
    if size <= 0:
        print("memcpy: SIZE_MIB must be positive", file=sys.stderr)
        return 2
    src = np.random.default_rng(42).integers(0, 256, size=size, dtype=np.uint8)
    dst = np.empty_like(src)
    np.copyto(dst, src)  # touch every page of dst before timing
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - t0)
    if not np.array_equal(dst[:: max(1, size // 4096)], src[:: max(1, size // 4096)]):
        print("memcpy: copy check failed", file=sys.stderr)
        return 1
    print(json.dumps({"memcpy_gbs": round(size / best / 1e9, 3), "bytes": size, "best_s": round(best, 6)}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:
        print(f"memcpy: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
