#!/usr/bin/env bash
# The slow suite (Category=Slow: multi-GiB inputs, long soaks): the same as scripts/test.sh with the other filter,
# closing with "N passed, N failed, N skipped". TRX files in artifacts/test-results/slow.
# Usage: bash scripts/test-slow.sh [extra `dotnet test` arguments]
set -euo pipefail
LARDER_TEST_SUITE=slow exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" "$@"
