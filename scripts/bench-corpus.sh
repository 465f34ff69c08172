#!/usr/bin/env bash
# End-to-end throughput and peak memory: generates N reports per format
# (DOCX, HTML, and PDF of 5–8 pages when this ogi reads PDF) with `ogi gen`,
# then times `ogi extract` and `ogi ingest` over them with /usr/bin/time -v
# (peak resident memory as the kernel reports it). With poppler's pdftotext
# installed it also times `pdftotext -bbox-layout` over the PDFs.
# Usage: scripts/bench-corpus.sh [N]   (ELASTICSEARCH_URL set: also ingest into it;
#        BENCH_DIR: where the corpora go; OGI_BIN: the binary to measure)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
bin="${OGI_BIN:-./bin/ogi}"   # OGI_BIN: measure another build
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

# PDF joins DOCX and HTML once this ogi reads PDF: a one-report probe
# must come back as a record, not as "not supported".
formats="docx html"
probe="$work/pdf-probe"
rm -rf "$probe"; mkdir -p "$probe"
if "$bin" gen --out "$probe" --n 1 --format pdf --seed 7 2>/dev/null &&
  "$bin" extract --quiet --format jsonl "$probe" 2>/dev/null | grep -q '"format":"pdf"'; then
  formats="$formats pdf"
else
  echo "bench-corpus: this ogi does not read PDF yet; measuring DOCX and HTML only" >&2
fi

for fmt in $formats; do
  dir="$work/$fmt-$n"
  if [ ! -f "$dir/truth.jsonl" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    "$bin" gen --out "$dir" --n "$n" --format "$fmt" --seed 7 2>/dev/null
  fi
  bytes=$(du -sb "$dir" | cut -f1)
  files=$(find "$dir" -type f ! -name truth.jsonl | wc -l)
  measure "extract $fmt" "$bytes" "$files" -- "$bin" extract --quiet --format jsonl "$dir"
  if [ "$fmt" = pdf ] && command -v pdftotext >/dev/null; then
    # The yardstick of the PDF reader: poppler's word boxes for the same
    # files, as many processes at once as ogi uses cores.
    measure "pdftotext -bbox-layout" "$bytes" "$files" -- sh -c \
      'find "$1" -name "*.pdf" -print0 | xargs -0 -n 1 -P "$(nproc)" sh -c '"'"'pdftotext -q -bbox-layout "$0" /dev/null'"'"'' _ "$dir"
  fi
  rm -f "$work/bench.db"*
  measure "ingest sqlite $fmt" "$bytes" "$files" -- "$bin" ingest --quiet --db "$work/bench.db" "$dir"
  if [ -n "${ELASTICSEARCH_URL:-}" ]; then
    measure "ingest es $fmt" "$bytes" "$files" -- "$bin" ingest --quiet --force --es "$ELASTICSEARCH_URL" --index "ogi-bench-$fmt" "$dir"
  fi
done
