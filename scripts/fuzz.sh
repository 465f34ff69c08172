#!/usr/bin/env bash
# Runs the fuzz targets for a fixed time each: of the packages named after
# the budget, or of every package. A crasher is written to the package's
# testdata/fuzz/<Target>/ by go test and stays as a regression case that
# plain `go test` replays.
# Usage: scripts/fuzz.sh BUDGET [PACKAGE...]
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-5s}"
shift || true
pkgs="${*:-./...}"
for pkg in $(go list $pkgs); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz: $pkg $target ($budget)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg" >/tmp/ogi-fuzz.log 2>&1 || { cat /tmp/ogi-fuzz.log; exit 1; }
    tail -n 1 /tmp/ogi-fuzz.log
  done
done
