#!/usr/bin/env bash
# THE test command: sets up (scripts/setup.sh), runs the default test suite (everything but Category=Slow) and
# closes with one line "N passed, N failed, N skipped" summed over every test project's TRX file.
# Exits non-zero when a test failed, when `dotnet test` failed, or when no test ran at all.
# Usage: bash scripts/test.sh [extra `dotnet test` arguments]
# The slow suite: bash scripts/test-slow.sh (the same script with LARDER_TEST_SUITE=slow).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

suite="${LARDER_TEST_SUITE:-default}"
case "$suite" in
  default) filter='Category!=Slow' ;;
  slow) filter='Category=Slow' ;;
  *) echo "test: unknown LARDER_TEST_SUITE '$suite' (default or slow)" >&2; exit 2 ;;
esac

bash "$root/scripts/setup.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# What the tests read (see tests/Larder.TestKit): the repo root and the read-only conformance data beside it.
export LARDER_REPO_ROOT="$root"
LARDER_TESTDATA="$(cd "$root/.." && pwd)/shared/testdata"
export LARDER_TESTDATA
[ -d "$LARDER_TESTDATA" ] || echo "test: warning: $LARDER_TESTDATA does not exist (tests that need ../shared/testdata will fail)" >&2

results="$root/artifacts/test-results/$suite"
rm -rf "$results"
mkdir -p "$results"

echo "test: dotnet test ($suite suite, --filter \"$filter\"), TRX files in ${results#"$root"/}"
rc=0
dotnet test Larder.slnx -c Release --no-build --nologo \
  --filter "$filter" \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m --blame-hang-dump-type mini \
  "$@" || rc=$?

# Sum the outcomes over every TRX file; print failures by name; the totals line comes last.
summary_rc=0
/usr/bin/python3 - "$results" "$rc" <<'PY' || summary_rc=$?
import glob, os, sys
import xml.etree.ElementTree as ET

results, dotnet_rc = sys.argv[1], int(sys.argv[2])
passed = failed = skipped = 0
failures = []
files = sorted(glob.glob(os.path.join(results, "**", "*.trx"), recursive=True))
for path in files:
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        print(f"test: cannot parse {path}: {e}")
        failed += 1
        continue
    for el in tree.iter():
        if not el.tag.endswith("}UnitTestResult") and el.tag != "UnitTestResult":
            continue
        outcome = el.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending", "NotRunnable"):
            skipped += 1
        else:  # Failed, Error, Timeout, Aborted, ...
            failed += 1
            failures.append(f"{el.get('testName', '?')} [{outcome}]")

status = 0
if failures:
    print(f"test: {len(failures)} failed:")
    for name in failures[:100]:
        print(f"  FAILED {name}")
    if len(failures) > 100:
        print(f"  ... and {len(failures) - 100} more (see the TRX files)")
    status = 1
if dotnet_rc != 0:
    print(f"test: dotnet test exited with code {dotnet_rc}")
    status = 1
if passed + failed == 0:
    print(f"test: ERROR: no test ran ({len(files)} TRX file(s) in {results}); "
          "a suite that runs nothing is a failure")
    status = 1
sys.stdout.flush()
print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
sys.exit(status)
PY
exit "$summary_rc"
