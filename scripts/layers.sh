#!/usr/bin/env bash
# Checks that imports between ogi's packages go one way (make lint):
#   parser, numeral, synth and region import no other ogi package;
#   extract imports no store (index, index/*, export) and no batch;
#   index (the interface) imports only the domain (extract and below);
#   index/sqlite and index/elastic do not import each other, and export
#   imports neither;
#   nothing imports cmd/..., tests included.
# Exits 1 naming each import that breaks the direction.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0

# deps P: the ogi packages P depends on, directly or not (tests excluded).
deps() {
  go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$mod/$1" | grep -E "^$mod/" | grep -vx "$mod/$1" || true
}

# forbid P REGEX WHY: fail if P depends on a package matching REGEX.
forbid() {
  local bad
  bad=$(deps "$1" | grep -E "^$mod/($2)\$" || true)
  if [ -n "$bad" ]; then
    echo "layers: $mod/$1 depends on $(echo $bad): $3" >&2
    fail=1
  fi
}

for p in parser numeral synth region; do
  forbid "$p" '.*' "it may import no other ogi package"
done
forbid extract 'index|index/.*|export|batch|cmd/.*' "extract knows the template, not stores or the batch"
forbid index 'index/.*|export|batch|cmd/.*' "index is the interface; backends import it, not the reverse"
forbid index/sqlite 'index/elastic|export|batch' "a backend wraps one dependency"
forbid index/elastic 'index/sqlite|export|batch' "a backend wraps one dependency"
forbid export 'index/sqlite|index/elastic|batch' "export writes records, whatever store they came from"
forbid batch 'index/.*|export' "batch takes a store through its small interface"

# Nothing imports cmd, not even a test.
bad=$(go list -f '{{.ImportPath}}: {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
  awk -v cmd="$mod/cmd/" '{ for (i = 2; i <= NF; i++) if (index($i, cmd) == 1) print $1 " " $i }')
if [ -n "$bad" ]; then
  echo "layers: imports of cmd: $bad" >&2
  fail=1
fi

[ "$fail" -eq 0 ] && echo "layers: imports go one way"
exit "$fail"
