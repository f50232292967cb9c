#!/usr/bin/env bash
# Reference codec speeds from the Debian command-line tools (zstd, lz4) on one file.
# Usage: bench/peers/codec_cli.sh FILE
# Runs `zstd -b1 -i3 FILE`, `zstd -b3 -i3 FILE` and `lz4 -b1 -i3 FILE` and prints one JSON line:
# {"zstd1":{"c_mbs":..,"d_mbs":..,"ratio":..},"zstd3":{..},"lz4_1":{..}}   (MB = 10^6 bytes, as the tools count)
# The tools redraw their progress line with carriage returns; the final line is the result.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: codec_cli.sh FILE" >&2
  exit 2
fi
file=$1

# bench KEY TOOL ARGS... -> prints "KEY":{...}
bench() {
  local key=$1; shift
  local out line nums c d ratio
  if ! out=$("$@" "$file" 2>&1); then
    echo "codec_cli: '$* $file' failed: $out" >&2
    exit 1
  fi
  # The last redrawn line that carries both speeds: "... (x1.327),  558.1 MB/s, 1343.6 MB/s" (lz4: "(0.996),X MB/s ,Y MB/s").
  line=$(printf '%s\n' "$out" | tr '\r' '\n' | grep -E 'MB/s.*MB/s' | tail -n 1 || true)
  nums=$(grep -oE '[0-9]+(\.[0-9]+)?[[:space:]]*MB/s' <<<"$line" | grep -oE '^[0-9.]+' || true)
  c=$(sed -n 1p <<<"$nums"); d=$(sed -n 2p <<<"$nums")
  ratio=$(grep -oE '\(x?[0-9]+(\.[0-9]+)?\)' <<<"$line" | tail -n 1 | tr -d '()x' || true)
  if [ -z "$c" ] || [ -z "$d" ]; then
    echo "codec_cli: cannot parse the output of '$* $file': $(printf '%s' "$out" | tr '\r' '\n' | tail -n 3)" >&2
    exit 1
  fi
  printf '"%s":{"c_mbs":%s,"d_mbs":%s,"ratio":%s}' "$key" "$c" "$d" "${ratio:-null}"
}

z1=$(bench zstd1 zstd -b1 -i3)
z3=$(bench zstd3 zstd -b3 -i3)
l1=$(bench lz4_1 lz4 -b1 -i3)
printf '{%s,%s,%s}\n' "$z1" "$z3" "$l1"
