#!/usr/bin/python3
"""Reference timing for the vault's table workloads: data_vault's way of storing and importing a pandas DataFrame.

Usage: bench/peers/vault_pandas.py CSV_IN WORK_DIR RUNS
Loads CSV_IN (header id,value,city,ts) into a DataFrame before anything is timed (float_precision='round_trip' so the
floats are the file's exact values, ts parsed to datetime64[ns]). Then, RUNS times each after one warm-up run:
  store:  a fresh zipfile.ZipFile(WORK_DIR/pandas_vault.zip, 'w', ZIP_DEFLATED) (zlib's default level 6) and
          df.to_csv(f, sep='\\t') into the entry bench/table opened with ZipFile.open(name, 'w');
  import: zipfile + pd.read_csv(f, sep='\\t', index_col=0, parse_dates=True), then optimize_memory below.
Prints one JSON line: {"store_s": [...], "import_s": [...], "store_median_s", "import_median_s", "crc32" (hex of the
entry's CRC-32), "entry_bytes", "compressed_bytes", "rows", "dtypes" (after the import), "memory_before",
"memory_after", "pandas"}. The archive is deleted at the end.
"""
import gc
import json
import os
import statistics
import sys
import time
import zipfile

import pandas as pd

ENTRY = "bench/table"


def optimize_memory(df, categorical_threshold=0.2):
    """data_vault's optimisation: small integers to int8, few-valued strings to ordered categoricals (sorted values)."""
    before = df.memory_usage(index=True, deep=True).sum()
    for column in df.columns:
        s = df[column]
        if pd.api.types.is_integer_dtype(s.dtype) and len(s) and s.min() >= -125 and s.max() < 125:
            df[column] = s.astype("int8")
        elif s.dtype == object and len(s) and s.nunique() / len(s) < categorical_threshold:
            df[column] = pd.Categorical(s, categories=sorted(s.dropna().unique()), ordered=True)
    after = df.memory_usage(index=True, deep=True).sum()
    return int(before), int(after)


def store(df, path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(ENTRY, "w") as f:
            df.to_csv(f, sep="\t")


def load(path):
    with zipfile.ZipFile(path) as archive:
        with archive.open(ENTRY) as f:
            df = pd.read_csv(f, sep="\t", index_col=0, parse_dates=True)
    before, after = optimize_memory(df)
    return df, before, after


def timed(runs, fn, between=None):
    samples = []
    result = None
    for i in range(runs + 1):  # the first run is the warm-up
        if between is not None:
            between()
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        if i > 0:
            samples.append(round(elapsed, 6))
    return samples, result


def main(argv):
    if len(argv) != 4:
        print("usage: vault_pandas.py CSV_IN WORK_DIR RUNS", file=sys.stderr)
        return 2
    csv_in, work_dir, runs = argv[1], argv[2], int(argv[3])
    path = os.path.join(work_dir, "pandas_vault.zip")

    def remove():
        if os.path.exists(path):
            os.remove(path)

    df = pd.read_csv(csv_in, parse_dates=["ts"], float_precision="round_trip")
    try:
        store_s, _ = timed(runs, lambda: store(df, path), between=remove)
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(ENTRY)
        import_s, (imported, before, after) = timed(runs, lambda: load(path))
    finally:
        remove()
    if len(imported) != len(df):
        print(f"vault_pandas: imported {len(imported)} rows, stored {len(df)}", file=sys.stderr)
        return 1
    print(json.dumps({
        "store_s": store_s,
        "import_s": import_s,
        "store_median_s": statistics.median(store_s),
        "import_median_s": statistics.median(import_s),
        "crc32": f"{info.CRC:08X}",
        "entry_bytes": info.file_size,
        "compressed_bytes": info.compress_size,
        "rows": int(len(df)),
        "dtypes": {str(k): str(v) for k, v in imported.dtypes.items()},
        "memory_before": before,
        "memory_after": after,
        "pandas": pd.__version__,
    }))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # one line on stderr, no stack trace
        print(f"vault_pandas: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
