#!/usr/bin/env bash
# THE benchmark command: sets up (scripts/setup.sh, idempotent), builds the benchmarks in Release, and runs the compare
# mode, which times Larder's Arrow IPC, CSV, codec, Parquet and vault workloads next to their references (memcpy, pandas,
# the zstd/lz4 tools, DuckDB, data_vault's pandas + zipfile, dd) and prints one table: workload, ours, reference,
# ratio, target, met?. The same goes to DIR/results.json.
#
# Usage: bash bench/run.sh [--quick] [--no-setup] [extra compare options, e.g. --no-cold, --only parquet]
#   (default)      1 GiB IPC table, 1,000,000 CSV rows, 10,000,000 Parquet rows, vault: 1,000,000 rows and a 1 GiB array;
#                  DIR = artifacts/bench
#   --quick        smoke run: 64 MiB IPC table, 100,000 CSV rows, 1,000,000 Parquet rows, vault: 100,000 rows and a
#                  64 MiB array; DIR = artifacts/bench/quick
#   --no-setup     skip scripts/setup.sh (when it already ran)
#   --only GROUPS  run only these of ipc,csv,codecs,parquet,vault (comma-separated), e.g. --only vault
# Generated inputs are kept in DIR and reused (they are deterministic). Exit code 0 unless something failed to run:
# missed targets are reported, not errors. See bench/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

quick=0
setup=1
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-setup) setup=0 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) extra+=("$arg") ;;
  esac
done

if [ "$quick" -eq 1 ]; then
  data="$root/artifacts/bench/quick"
  sizes=(--ipc-gib 0.0625 --csv-rows 100000 --pq-rows 1000000 --vault-rows 100000 --vault-array-mib 64)
else
  data="$root/artifacts/bench"
  sizes=(--ipc-gib 1 --csv-rows 1000000 --pq-rows 10000000 --vault-rows 1000000 --vault-array-mib 1024)
fi

if [ "$setup" -eq 1 ]; then
  bash "$root/scripts/setup.sh"
fi

project="$root/bench/Larder.Benchmarks/Larder.Benchmarks.csproj"
log="$root/artifacts/bench-build.log"
mkdir -p "$root/artifacts" "$data"
echo "bench: dotnet build bench/Larder.Benchmarks -c Release"
if ! dotnet build "$project" -c Release --nologo -v q -clp:ErrorsOnly >"$log" 2>&1; then
  echo "bench: build FAILED; its output ($log):" >&2
  cat "$log" >&2
  exit 1
fi

echo "bench: compare --data ${data#"$root/"} ${sizes[*]} ${extra[*]:-}"
exec dotnet run -c Release --no-build --project "$project" -- compare --data "$data" --repo "$root" "${sizes[@]}" "${extra[@]}"
