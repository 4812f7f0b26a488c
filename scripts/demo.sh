#!/usr/bin/env bash
# The main job: build the CLI and match the example events against the example rules.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product eventflow
echo "== eventflow check --rules Examples/Patterns/rules.json"
.build/release/eventflow check --rules Examples/Patterns/rules.json
echo "== eventflow match --rules Examples/Patterns/rules.json Examples/Patterns/events.jsonl"
# The last example line is deliberately not JSON, so match exits 1 after reporting it.
.build/release/eventflow match --rules Examples/Patterns/rules.json Examples/Patterns/events.jsonl || [ $? -eq 1 ]
