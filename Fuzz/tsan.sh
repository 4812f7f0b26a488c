#!/usr/bin/env bash
# Runs the matcher's concurrency tests (Tests/EventPatternsTests/ConcurrencyTests.swift and
# MatcherTests.swift) under ThreadSanitizer; fails on any report. Extra arguments go to
# `swift test` (for example `--filter`).
set -euo pipefail
cd "$(dirname "$0")/ThreadSanitizer"
swift build --build-tests --sanitize=thread
# halt_on_error: the first report fails the run instead of only being printed.
TSAN_OPTIONS="halt_on_error=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}" swift test --skip-build --sanitize=thread "$@"
