#!/usr/bin/env bash
# End-to-end throughput and peak memory: generates N reports per format
# with `ogi gen`, then times `ogi extract` and `ogi ingest` over them with
# /usr/bin/time -v (peak resident memory as the kernel reports it).
# Usage: scripts/bench-corpus.sh [N]   (ELASTICSEARCH_URL set: also ingest into it)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
bin=./bin/ogi
work="${BENCH_DIR:-${TMPDIR:-/tmp}/ogi-bench}"
[ -x "$bin" ] || go build -o "$bin" ./cmd/ogi
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench-corpus: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

measure() { # label bytes files -- command...
  local label="$1" bytes="$2" files="$3"; shift 4
  local log; log=$(mktemp)
  "$timer" -v "$@" >/dev/null 2>"$log" || true
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  grep -E '^ogi: [0-9]+ files' "$log" | tail -n 1 || true
  awk -v l="$label" -v s="$secs" -v b="$bytes" -v f="$files" -v r="$rss" 'BEGIN {
    printf "%-22s %6d files  %7.2f s  %8.1f docs/s  %7.1f MB/s  peak RSS %6.1f MB\n", l, f, s, f/s, b/1048576/s, r/1024 }'
  rm -f "$log"
}

for fmt in docx html; do
  dir="$work/$fmt-$n"
  if [ ! -f "$dir/truth.jsonl" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    "$bin" gen --out "$dir" --n "$n" --format "$fmt" --seed 7 2>/dev/null
  fi
  bytes=$(du -sb "$dir" | cut -f1)
  files=$(find "$dir" -type f ! -name truth.jsonl | wc -l)
  measure "extract $fmt" "$bytes" "$files" -- "$bin" extract --quiet --format jsonl "$dir"
  rm -f "$work/bench.db"*
  measure "ingest sqlite $fmt" "$bytes" "$files" -- "$bin" ingest --quiet --db "$work/bench.db" "$dir"
  if [ -n "${ELASTICSEARCH_URL:-}" ]; then
    measure "ingest es $fmt" "$bytes" "$files" -- "$bin" ingest --quiet --force --es "$ELASTICSEARCH_URL" --index "ogi-bench-$fmt" "$dir"
  fi
done

# --- SQLite ingest against extract -----------------------------------------
# Both read the same files; ingest also writes the store. Runs alternate
# (extract, ingest, extract, ...) and the best of BENCH_ROUNDS each is
# kept, so a busy shared machine slows both alike. Target: ingest at
# >= 70% of extract's throughput.
secs_of() { # command... : prints wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

bench_ingest_ratio() { # dir...
  local rounds="${BENCH_ROUNDS:-3}" files=0 d best_x=0 best_i=0 s i
  for d in "$@"; do files=$((files + $(find "$d" -type f ! -name truth.jsonl | wc -l))); done
  for i in $(seq "$rounds"); do
    s=$(secs_of "$bin" extract --quiet --format jsonl "$@")
    best_x=$(awk -v a="$best_x" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
    rm -f "$work/ratio.db"*
    s=$(secs_of "$bin" ingest --quiet --db "$work/ratio.db" "$@")
    best_i=$(awk -v a="$best_i" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  done
  awk -v f="$files" -v x="$best_x" -v i="$best_i" 'BEGIN {
    printf "sqlite ingest/extract  %6d files  extract %.1f docs/s  ingest %.1f docs/s  ratio %.0f%% (target >= 70%%, best of runs)\n", f, f/x, f/i, 100*x/i }'
  rm -f "$work/ratio.db"*
}

# --- Elasticsearch: loading records against the plain bulk ceiling ---------
# The same records (ES_N of them, default 2000) are indexed into fresh
# indices with ogi's mapping twice over: as pre-built bulk NDJSON posted by
# two plain HTTP clients (curl, 4 MB requests: the ceiling of the node),
# and by `ogi load`. Best of BENCH_ES_ROUNDS (default 2) each; both include
# the final refresh. Target: load at >= 80% of the ceiling.
es_drop_alias() { # alias
  local idx
  for idx in $(curl -s "$ELASTICSEARCH_URL/_alias/$1" | jq -r 'select(type == "object" and (has("error") | not)) | keys[]' 2>/dev/null); do
    curl -s -o /dev/null -X DELETE "$ELASTICSEARCH_URL/$idx"
  done
  curl -s -o /dev/null -X DELETE "$ELASTICSEARCH_URL/_index_template/$1"
}

bench_es_load() { # dir...
  local n="${ES_N:-2000}" rounds="${BENCH_ES_ROUNDS:-2}" recs="$work/es-records.jsonl" chunks="$work/es-bulk"
  local best_c=0 best_l=0 s i count
  command -v curl >/dev/null && command -v jq >/dev/null || { echo "es load: needs curl and jq; skipped"; return; }
  "$bin" extract --quiet --format jsonl "$@" 2>/dev/null | head -n "$n" > "$recs"
  n=$(wc -l < "$recs")
  rm -rf "$chunks"; mkdir -p "$chunks"
  # Action line + record, 4 MB per request, as a plain client would send.
  awk -v dir="$chunks" -v lim=$((4 << 20)) '
    BEGIN { k = 0; size = 0; f = sprintf("%s/%05d.ndjson", dir, k) }
    { id = substr($0, 8, 64)
      line = "{\"index\":{\"_id\":\"" id "\"}}"
      if (size > 0 && size + length($0) + length(line) + 2 > lim) { close(f); k++; size = 0; f = sprintf("%s/%05d.ndjson", dir, k) }
      print line > f; print $0 > f; size += length($0) + length(line) + 2 }' "$recs"
  : > "$work/empty.jsonl"
  for i in $(seq "$rounds"); do
    es_drop_alias ogi-bench-ceiling
    "$bin" load --quiet --es "$ELASTICSEARCH_URL" --index ogi-bench-ceiling "$work/empty.jsonl" >/dev/null 2>&1
    s=$(secs_of sh -c "ls '$chunks'/*.ndjson | xargs -P 2 -I{} curl -s -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary @{} '$ELASTICSEARCH_URL/ogi-bench-ceiling/_bulk' && curl -s -o /dev/null -X POST '$ELASTICSEARCH_URL/ogi-bench-ceiling/_refresh'")
    count=$(curl -s "$ELASTICSEARCH_URL/ogi-bench-ceiling/_count" | jq -r .count)
    [ "$count" = "$n" ] || echo "es ceiling: $count of $n documents indexed"
    best_c=$(awk -v a="$best_c" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
    es_drop_alias ogi-bench-load
    s=$(secs_of "$bin" load --quiet --es "$ELASTICSEARCH_URL" --index ogi-bench-load "$recs")
    count=$(curl -s "$ELASTICSEARCH_URL/ogi-bench-load/_count" | jq -r .count)
    [ "$count" = "$n" ] || echo "es load: $count of $n documents indexed"
    best_l=$(awk -v a="$best_l" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  done
  es_drop_alias ogi-bench-ceiling
  es_drop_alias ogi-bench-load
  rm -rf "$chunks" "$recs" "$work/empty.jsonl"
  awk -v n="$n" -v c="$best_c" -v l="$best_l" -v ld="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "es load/bulk ceiling   %6d docs   ceiling %.1f docs/s  ogi load %.1f docs/s  ratio %.0f%% (target >= 80%%; load average %s)\n", n, n/c, n/l, 100*c/l, ld }'
}

bench_ingest_ratio "$work/docx-$n" "$work/html-$n"
if [ -n "${ELASTICSEARCH_URL:-}" ]; then
  bench_es_load "$work/docx-$n" "$work/html-$n"
else
  echo "es load/bulk ceiling: ELASTICSEARCH_URL not set; skipped"
fi
