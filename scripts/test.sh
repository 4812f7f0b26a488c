#!/usr/bin/env bash
# Runs the whole test suite (needs ../shared beside the checkout for the recorded AWS cases).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
if [ ! -f ../shared/data/aws-validated-patterns.json ]; then
  echo "error: ../shared/data/aws-validated-patterns.json not found; the tests read the shared reference data from ../shared" >&2
  exit 1
fi
swift build --build-tests
swift test --skip-build "$@"
