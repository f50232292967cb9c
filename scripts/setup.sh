#!/usr/bin/env bash
# Installs what Larder's build and tests need, then restores and builds the solution (Release).
# Idempotent and non-interactive: each step does nothing when its work is already done.
# Usage: bash scripts/setup.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

logdir="$root/artifacts/setup"
mkdir -p "$logdir"

say() { printf 'setup: %s\n' "$*"; }

# Runs "$@" with its output in $logdir/$1.log; on failure shows the log and stops.
logged() {
  local name=$1; shift
  local log="$logdir/$name.log"
  if ! "$@" >"$log" 2>&1; then
    say "$name FAILED; its output ($log):"
    cat "$log" >&2
    exit 1
  fi
}

# --- 1. Debian packages (DESIGN §14) -------------------------------------------------------------
apt_packages=(zstd lz4 libsnappy1v5 bzip2 gzip python3-numpy python3-pandas p7zip-full unzip)
missing=()
for p in "${apt_packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" != "installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt: all ${#apt_packages[@]} packages present"
else
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    say "apt: missing ${missing[*]}, and this is neither root nor has sudo: install them, then rerun" >&2
    exit 1
  fi
  say "apt: installing ${missing[*]}"
  logged apt-update "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
  logged apt-install "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. npm peers (tests/peers) -----------------------------------------------------------------
peers="$root/tests/peers"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "npm: node/npm not found on PATH (Node 20+ is needed for the interop peers)" >&2
  exit 1
fi
stamp="$peers/node_modules/.larder-setup-stamp"
want="$(cat "$peers/package.json" "$peers/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [ -d "$peers/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "npm: tests/peers up to date"
else
  if [ -f "$peers/package-lock.json" ]; then
    say "npm: npm ci in tests/peers"
    logged npm npm --prefix "$peers" ci --ignore-scripts --no-audit --no-fund
  else
    say "npm: npm install in tests/peers (no lock file)"
    logged npm npm --prefix "$peers" install --ignore-scripts --no-audit --no-fund
    want="$(cat "$peers/package.json" "$peers/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1) node-$(node --version)"
  fi
  printf '%s\n' "$want" >"$stamp"
fi

# --- 2b. libduckdb.so (DESIGN §12) ----------------------------------------------------------------
# The npm package @duckdb/node-bindings-linux-x64 (a dependency of @duckdb/node-api in tests/peers) ships the DuckDB
# C library. It is copied to a stable place, artifacts/native/libduckdb.so, which Larder's C# code and tests use
# when LARDER_DUCKDB_LIBRARY (the path of another copy) is not set. Copied only when missing or different.
duckdb_src="$peers/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so"
duckdb_dst="$root/artifacts/native/libduckdb.so"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  say "duckdb: not linux-x64, libduckdb.so not copied (set LARDER_DUCKDB_LIBRARY to a DuckDB 1.5 C library)"
elif [ ! -f "$duckdb_src" ]; then
  say "duckdb: $duckdb_src is missing (is @duckdb/node-api in tests/peers/package.json?)" >&2
  exit 1
elif [ -f "$duckdb_dst" ] && cmp -s "$duckdb_src" "$duckdb_dst"; then
  say "duckdb: artifacts/native/libduckdb.so up to date"
else
  mkdir -p "$(dirname "$duckdb_dst")"
  cp "$duckdb_src" "$duckdb_dst.tmp.$$"
  mv -f "$duckdb_dst.tmp.$$" "$duckdb_dst"
  say "duckdb: copied libduckdb.so to artifacts/native/libduckdb.so"
fi
export LARDER_DUCKDB_LIBRARY="${LARDER_DUCKDB_LIBRARY:-$duckdb_dst}"

# --- 3. .NET restore and build (Release) --------------------------------------------------------
# In CI (CI=true) no build server outlives the run.
server_flags=()
[ "${CI:-}" = "true" ] && server_flags=(--disable-build-servers)
say "dotnet: restore Larder.slnx"
logged dotnet-restore dotnet restore Larder.slnx --nologo -v q "${server_flags[@]}"
say "dotnet: build Larder.slnx -c Release"
logged dotnet-build dotnet build Larder.slnx -c Release --no-restore --nologo -v q -clp:ErrorsOnly "${server_flags[@]}"
say "done"
