#!/usr/bin/python3
"""Reference timing for CSV with pandas (Debian's python3-pandas; run with /usr/bin/python3).

Usage: bench/peers/pandas_csv.py CSV_IN CSV_OUT
Times pandas.read_csv(CSV_IN) and df.to_csv(CSV_OUT, index=False), best of 3 each, and prints one JSON line:
{"read_csv_s": s, "to_csv_s": s, "rows": N, "bytes": size of CSV_IN, "pandas": version}
"""
import gc
import json
import os
import sys
import time

import pandas as pd

RUNS = 3


def best_of(runs, fn):
    best = float("inf")
    result = None
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv):
    if len(argv) != 3:
        print("usage: pandas_csv.py CSV_IN CSV_OUT", file=sys.stderr)
        return 2
    csv_in, csv_out = argv[1], argv[2]
    read_s, df = best_of(RUNS, lambda: pd.read_csv(csv_in))
    write_s, _ = best_of(RUNS, lambda: df.to_csv(csv_out, index=False))
    print(json.dumps({
        "read_csv_s": round(read_s, 6),
        "to_csv_s": round(write_s, 6),
        "rows": int(len(df)),
        "bytes": os.path.getsize(csv_in),
        "pandas": pd.__version__,
    }))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # one line on stderr, no stack trace
        print(f"pandas_csv: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
