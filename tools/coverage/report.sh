#!/usr/bin/env bash
# Line coverage of services/*/src and libs/*/src from the V8 coverage a test run wrote to $1 (NODE_V8_COVERAGE):
# prints `coverage: N% of lines, M% of branches (services and libs src; not a gate)` and deletes $1 (it can reach a gigabyte).
# Never fails the caller: when no figure can be made, it says why and exits 0. Needs `npm run build` first.
set -uo pipefail
cd "$(dirname "$0")/../.."
raw="$1"
out="coverage"
log="$(mktemp)"
trap 'rm -rf "$raw" "$log"' EXIT
if [ ! -d "$raw" ] || [ -z "$(ls -A "$raw" 2>/dev/null)" ]; then
  echo "coverage: no figure (no V8 coverage in $raw)"
  exit 0
fi
if ! node dist/tools/coverage/jest-source-maps.js "$raw" >/dev/null; then
  echo "coverage: no figure (the source maps of the transformed sources could not be written)"
  exit 0
fi
rm -rf "$out"
if ! node_modules/.bin/c8 report --temp-directory "$raw" --reports-dir "$out" --reporter json-summary --merge-async \
  --include 'services/*/src/**/*.ts' --include 'libs/*/src/**/*.ts' \
  --exclude '**/*.spec.ts' --exclude '**/*.int-spec.ts' --exclude '**/*.e2e-spec.ts' --all \
  >/dev/null 2>"$log"; then
  echo "coverage: no figure (c8 report failed: $(tail -n 1 "$log"))"
  exit 0
fi
node -e 'const t = require(process.argv[1]).total; console.log(`coverage: ${t.lines.pct}% of lines, ${t.branches.pct}% of branches (services and libs src; not a gate)`);' \
  "$PWD/$out/coverage-summary.json" || echo "coverage: no figure (no summary in $out/)"
