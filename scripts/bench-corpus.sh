#!/usr/bin/env bash
# End-to-end throughput and peak memory: generates N reports per format
# (DOCX, HTML, and PDF of 5–8 pages when this ogi reads PDF) with `ogi gen`,
# then times `ogi extract` (all cores, and one job: the per-core figure) and
# `ogi ingest` over them with /usr/bin/time -v (peak resident memory as the
# kernel reports it), then the alternatives a user could pick instead, on
# the same files:
#   python-docx (DOCX) and lxml.html (HTML), each reaching every table cell,
#     installed from PyPI into a virtual environment ($BENCH_DIR/venv);
#   Apache Tika's batch mode (tika-app from Maven Central), when java and
#     mvn are present;
#   pdftotext -bbox-layout, when poppler-utils is installed (apt-get installs
#     it when run as root on Debian) and ogi reads PDF
#     (as many processes at once as ogi uses cores);
#   and, for HTML, ogi's reader alone (the Go benchmark BenchmarkReadHTMLDir
#     on the same pages), the fair match for lxml, which only parses.
# Then two memory sections (see hostile_mix and flat_memory below): a
# hostile mix at the default settings, and runs of 1,000 and 100,000 small
# files.
# An alternative that cannot be installed is skipped, saying so. The last
# lines are a table: tool, files/s, MB/s, peak memory, and the ratio of the
# tool's rate to ogi's (all cores by wall clock, and per core: files per
# CPU second against ogi with one job).
#
# Usage: scripts/bench-corpus.sh [N]   (default 300: a few minutes on 2 cores)
# Environment: BENCH_DIR (work directory), OGI_BIN (measure another build),
# BENCH_ALT=0 (ogi only), TIKA_VERSION (default 3.2.2), ELASTICSEARCH_URL
# (also ingest into it), BENCH_HOSTILE=0 / BENCH_FLAT=0 (skip the memory
# sections; they take longer than the rest), BENCH_FLAT="1000 100000" (the
# file counts compared), BENCH_FLAT_ROUNDS=3 (runs of each, alternating),
# BENCH_ONLY=es-load (the Elasticsearch load section alone; ES_RECORDS,
# BENCH_ES_ALIAS, ES_N, BENCH_ES_ROUNDS below), BENCH_RATIO_N (reports per
# format for the SQLite ingest/extract ratio, default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
bin="${OGI_BIN:-./bin/ogi}"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/ogi-bench}"
alt="${BENCH_ALT:-1}"
tika_version="${TIKA_VERSION:-3.2.2}"
[ -n "${OGI_BIN:-}" ] || go build -o "$bin" ./cmd/ogi
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench-corpus: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"
results="$work/results.tsv"
: >"$results"

# measure LABEL FORMAT BYTES FILES -- COMMAND...: one line of figures, and a
# row of the final table.
measure() {
  local label="$1" fmt="$2" bytes="$3" files="$4"; shift 5
  local log; log=$(mktemp)
  "$timer" -v "$@" >/dev/null 2>"$log" || echo "bench-corpus: $label exited with an error (figures kept)" >&2
  local secs cpu rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s+=$2} END {print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  grep -E '^ogi: [0-9]+ files?:|^(docx|html): [0-9]+ files' "$log" | tail -n 1 || true
  awk -v l="$label" -v s="$secs" -v c="$cpu" -v b="$bytes" -v f="$files" -v r="$rss" 'BEGIN {
    printf "%-30s %6d files  %7.2f s (CPU %7.2f s)  %8.1f files/s  %7.1f MB/s  peak RSS %6.1f MB\n", l, f, s, c, f/s, b/1048576/s, r/1024 }'
  awk -v l="$label" -v t="$fmt" -v s="$secs" -v c="$cpu" -v b="$bytes" -v f="$files" -v r="$rss" 'BEGIN {
    printf "%s\t%s\t%.2f\t%.2f\t%.1f\t%.2f\n", l, t, f/s, b/1048576/s, r/1024, (c > 0 ? f/c : 0) }' >>"$results"
  rm -f "$log"
}

corpus() { # FORMAT [N]: generate N (default n) reports once, print the directory
  local k="${2:-$n}"
  local dir="$work/$1-$k"
  if [ ! -f "$dir/truth.jsonl" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    "$bin" gen --out "$dir" --n "$k" --format "$1" --seed 7 >/dev/null 2>&1
  fi
  echo "$dir"
}
# The store ratios run on corpora of their own size: BENCH_RATIO_N reports
# per format for SQLite (default 1000, 2,000 files: a run short enough for
# the store's set-up and its last batch to weigh as in a crawl's night),
# ES_N records for Elasticsearch, half from each format (the same reports
# in both: a report's files are versions of one another).
ratio_n="${BENCH_RATIO_N:-1000}"
es_half=$(( (${ES_N:-2000} + 1) / 2 ))

sizes() { # DIR: bytes and files of the reports (truth.jsonl left out)
  echo "$(find "$1" -type f ! -name truth.jsonl -printf '%s\n' | awk '{s+=$1} END {print s+0}') $(find "$1" -type f ! -name truth.jsonl | wc -l)"
}

secs_of() { # command... : prints wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# --- SQLite ingest against extract -----------------------------------------
# Both read the same files; ingest also writes the store. Runs alternate
# (extract, ingest, extract, ...) and the best of BENCH_ROUNDS each is
# kept, so a busy shared machine slows both alike. Target: ingest at
# >= 70% of extract's throughput.
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
# and by `ogi load`. The index is made before the clock starts for both.
# Best of BENCH_ES_ROUNDS (default 5: the rounds are short and swing the
# most) each; both include the final refresh. Target: load at >= 80% of
# the ceiling. ES_RECORDS=FILE takes the records from FILE instead of
# extracting them; the indices are
# $BENCH_ES_ALIAS-ceiling and $BENCH_ES_ALIAS-load (default ogi-bench), so
# runs sharing a cluster can keep apart.
es_drop_alias() { # alias
  local idx
  for idx in $(curl -s "$ELASTICSEARCH_URL/_alias/$1" | jq -r 'select(type == "object" and (has("error") | not)) | keys[]' 2>/dev/null); do
    curl -s -o /dev/null -X DELETE "$ELASTICSEARCH_URL/$idx"
  done
  curl -s -o /dev/null -X DELETE "$ELASTICSEARCH_URL/_index_template/$1"
}

bench_es_load() { # dir...
  local n="${ES_N:-2000}" rounds="${BENCH_ES_ROUNDS:-5}" recs="$work/es-records.jsonl" chunks="$work/es-bulk"
  local best_c=0 best_l=0 s i count ceil="${BENCH_ES_ALIAS:-ogi-bench}-ceiling" load="${BENCH_ES_ALIAS:-ogi-bench}-load"
  command -v curl >/dev/null && command -v jq >/dev/null || { echo "es load: needs curl and jq; skipped"; return; }
  if [ -n "${ES_RECORDS:-}" ]; then
    head -n "$n" "$ES_RECORDS" > "$recs"
  else
    "$bin" extract --quiet --format jsonl "$@" 2>/dev/null | head -n "$n" > "$recs"
  fi
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
    es_drop_alias "$ceil"
    "$bin" load --quiet --es "$ELASTICSEARCH_URL" --index "$ceil" "$work/empty.jsonl" >/dev/null 2>&1
    s=$(secs_of sh -c "ls '$chunks'/*.ndjson | xargs -P 2 -I{} curl -s -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary @{} '$ELASTICSEARCH_URL/$ceil/_bulk' && curl -s -o /dev/null -X POST '$ELASTICSEARCH_URL/$ceil/_refresh'")
    count=$(curl -s "$ELASTICSEARCH_URL/$ceil/_count" | jq -r .count)
    [ "$count" = "$n" ] || echo "es ceiling: $count of $n documents indexed"
    best_c=$(awk -v a="$best_c" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
    es_drop_alias "$load"
    "$bin" load --quiet --es "$ELASTICSEARCH_URL" --index "$load" "$work/empty.jsonl" >/dev/null 2>&1
    s=$(secs_of "$bin" load --quiet --es "$ELASTICSEARCH_URL" --index "$load" "$recs")
    count=$(curl -s "$ELASTICSEARCH_URL/$load/_count" | jq -r .count)
    [ "$count" = "$n" ] || echo "es load: $count of $n documents indexed"
    best_l=$(awk -v a="$best_l" -v b="$s" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  done
  es_drop_alias "$ceil"
  es_drop_alias "$load"
  rm -rf "$chunks" "$recs" "$work/empty.jsonl"
  awk -v n="$n" -v c="$best_c" -v l="$best_l" -v ld="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "es load/bulk ceiling   %6d docs   ceiling %.1f docs/s  ogi load %.1f docs/s  ratio %.0f%% (target >= 80%%; load average %s)\n", n, n/c, n/l, 100*c/l, ld }'
}

# BENCH_ONLY=es-load runs the Elasticsearch section alone (on ES_RECORDS
# when given, else on the generated DOCX and HTML corpora).
if [ "${BENCH_ONLY:-}" = es-load ]; then
  [ -n "${ELASTICSEARCH_URL:-}" ] || { echo "bench-corpus: BENCH_ONLY=es-load needs ELASTICSEARCH_URL" >&2; exit 1; }
  if [ -n "${ES_RECORDS:-}" ]; then bench_es_load; else bench_es_load "$(corpus docx "$es_half")" "$(corpus html "$es_half")"; fi
  exit
fi

# PDF joins DOCX and HTML once this ogi reads PDF: a one-report probe
# must come back as a record, not as "not supported".
formats="docx html"
probe="$work/pdf-probe"
rm -rf "$probe"; mkdir -p "$probe"
if "$bin" gen --out "$probe" --n 1 --format pdf --seed 7 >/dev/null 2>&1 &&
  "$bin" extract --quiet --format jsonl "$probe" 2>/dev/null | grep -q '"format":"pdf"'; then
  formats="$formats pdf"
else
  echo "bench-corpus: this ogi does not read PDF yet; measuring DOCX and HTML only" >&2
fi
rm -rf "$probe"

for fmt in $formats; do
  dir=$(corpus "$fmt")
  read -r bytes files < <(sizes "$dir")
  measure "ogi extract $fmt" "$fmt" "$bytes" "$files" -- "$bin" extract --quiet --format jsonl "$dir"
  measure "ogi extract $fmt (1 job)" "$fmt" "$bytes" "$files" -- "$bin" extract --quiet --jobs 1 --format jsonl "$dir"
  if [ "$fmt" = pdf ]; then
    if ! command -v pdftotext >/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "bench-corpus: installing poppler-utils for pdftotext" >&2
      apt-get install -y -q poppler-utils >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q poppler-utils >/dev/null 2>&1; } || true
    fi
    if command -v pdftotext >/dev/null; then
      # The yardstick of the PDF reader: poppler's word boxes for the same
      # files, as many processes at once as ogi uses cores.
      measure "pdftotext -bbox-layout" pdf "$bytes" "$files" -- sh -c \
        'find "$1" -name "*.pdf" -print0 | xargs -0 -n 1 -P "$(nproc)" sh -c '"'"'pdftotext -q -bbox-layout "$0" /dev/null'"'"'' _ "$dir"
    else
      echo "bench-corpus: skipping pdftotext: poppler-utils not installed (and not installable here)" >&2
    fi
  fi
  rm -f "$work/bench.db"*
  measure "ogi ingest sqlite $fmt" "$fmt" "$bytes" "$files" -- "$bin" ingest --quiet --db "$work/bench.db" "$dir"
  if [ -n "${ELASTICSEARCH_URL:-}" ]; then
    measure "ogi ingest es $fmt" "$fmt" "$bytes" "$files" -- "$bin" ingest --quiet --force --es "$ELASTICSEARCH_URL" --index "ogi-bench-$fmt" "$dir"
  fi
done

if [ "$alt" != 0 ]; then
  # Python: python-docx and lxml.html from PyPI, in a virtual environment.
  venv="$work/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import docx, lxml.html' 2>/dev/null; then
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q python-docx lxml; } >"$work/pip.log" 2>&1; then
      echo "bench-corpus: skipping python-docx and lxml.html: could not install them (see $work/pip.log)" >&2
      venv=""
    fi
  fi
  if [ -n "$venv" ]; then
    dir=$(corpus docx); read -r bytes files < <(sizes "$dir")
    measure "python-docx (1 process)" docx "$bytes" "$files" -- "$venv/bin/python" scripts/bench_alt.py docx "$dir"
    dir=$(corpus html); read -r bytes files < <(sizes "$dir")
    measure "lxml.html (1 process)" html "$bytes" "$files" -- "$venv/bin/python" scripts/bench_alt.py html "$dir"
  fi

  # Apache Tika's batch mode: tika-app from Maven Central.
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    jar="$work/tika/tika-app-$tika_version.jar"
    if [ ! -f "$jar" ] && ! mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
        -Dartifact="org.apache.tika:tika-app:$tika_version" -DoutputDirectory="$work/tika" >"$work/mvn.log" 2>&1; then
      echo "bench-corpus: skipping Apache Tika: could not fetch tika-app $tika_version (see $work/mvn.log)" >&2
      jar=""
    fi
    if [ -n "$jar" ]; then
      for fmt in docx html; do
        dir=$(corpus "$fmt"); read -r bytes files < <(sizes "$dir")
        rm -rf "$work/tika-out"; mkdir -p "$work/tika-out"
        measure "tika batch -t" "$fmt" "$bytes" "$files" -- java -jar "$jar" -t -i "$dir" -o "$work/tika-out"
      done
    fi
  else
    echo "bench-corpus: skipping Apache Tika: needs java and mvn" >&2
  fi

  # ogi's HTML reader alone, as lxml.html is measured: the Go benchmark
  # over the same pages, one core, pages per CPU second.
  if command -v go >/dev/null; then
    dir=$(corpus html); read -r bytes files < <(sizes "$dir")
    line=$(OGI_BENCH_HTML_DIR="$dir" go test ./parser -run '^$' -bench '^BenchmarkReadHTMLDir$' -benchtime "$((3 * files))x" 2>/dev/null | grep '^BenchmarkReadHTMLDir' || true)
    if [ -n "$line" ]; then
      echo "ogi HTML reader (Go bench)   $line"
      echo "$line" | awk -v b="$bytes" -v f="$files" '{
        for (i = 1; i <= NF; i++) { if ($(i+1) == "ns/op") ns = $i; if ($(i+1) == "pages/cpu-s") pc = $i }
        printf "ogi HTML reader only\thtml\t%.2f\t%.2f\t-\t%.2f\n", 1e9/ns, b/f/1048576*1e9/ns, pc }' >>"$results"
    fi
  fi
fi

# --- Hostile mix: peak memory at the default settings -------------------
# Pages and DOCX files built to cost as much as the limits allow or more
# (million-cell pages, 400 nested containers around 400,000 tables,
# 200,000 nested elements, pages near the size and cell limits, a DOCX
# main part near the part limit, zip bombs, tables nested 5,000 deep, too
# many zip entries, random printable bytes, a sparse file over the size
# limit, a FIFO), generated by scripts/hostilegen, never committed. The
# promise: peak resident memory under 200 MB with --jobs at its default.
hostile_mix() {
  local dir="$work/hostile"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir"
    go run ./scripts/hostilegen "$dir" 4 && touch "$dir/.done"
  fi
  local bytes files
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  files=$(find "$dir" ! -type d ! -name .done | wc -l)
  local line
  for cmd in extract ingest; do
    rm -f "$work/hostile.db"*
    if [ "$cmd" = extract ]; then
      line=$(measure "hostile extract" - "$bytes" "$files" -- "$bin" extract --quiet --format jsonl "$dir")
    else
      line=$(measure "hostile ingest sqlite" - "$bytes" "$files" -- "$bin" ingest --quiet --db "$work/hostile.db" "$dir")
    fi
    echo "$line"
    echo "$line" | awk '/peak RSS/ { if ($(NF-1) + 0 >= 200) print "bench-corpus: hostile mix over 200 MB" > "/dev/stderr" }'
  done
}

# --- Memory that stays flat with the number of files ---------------------
# The same kind of file at 1,000 and at 100,000 files: small distinct
# pages (hostilegen -small: no report tables, so the cheapest file to
# read), so what could grow is only what a run keeps per file: the input
# list, the duplicate check, the summary (spooled to disk) and the
# problems report (streamed). Distinct bytes, so the duplicate check sees
# every file. Measured with --summary and --problems, into SQLite.
flat_memory() {
  local counts="${BENCH_FLAT:-1000 100000}" rounds="${BENCH_FLAT_ROUNDS:-3}" k r first=""
  local -A best=()
  for k in $counts; do
    local dir="$work/flat-$k"
    if [ ! -f "$dir/.done" ]; then
      rm -rf "$dir"
      go run ./scripts/hostilegen -small "$k" "$dir" && touch "$dir/.done"
    fi
  done
  # The counts alternate, round after round, and the lowest peak of each
  # is kept: on a shared machine one run can be pushed up by the others.
  for ((r = 1; r <= rounds; r++)); do
    for k in $counts; do
      local dir="$work/flat-$k" line rss
      rm -f "$work/flat.db"*
      line=$(measure "flat ingest $k ($r/$rounds)" - "$(du -sb "$dir" | cut -f1)" "$k" -- \
        "$bin" ingest --quiet --db "$work/flat.db" --summary "$work/flat-summary.json" --problems "$work/flat-problems.csv" "$dir")
      echo "$line"
      rss=$(echo "$line" | awk '/peak RSS/ { print $(NF-1) }')
      if [ -z "${best[$k]:-}" ] || awk -v a="$rss" -v b="${best[$k]}" 'BEGIN { exit !(a < b) }'; then
        best[$k]=$rss
      fi
    done
  done
  for k in $counts; do
    if [ -z "$first" ]; then
      first=${best[$k]}
      echo "flat: lowest peak RSS at $k files: $first MB"
    else
      awk -v a="$first" -v b="${best[$k]}" -v k="$k" 'BEGIN { printf "flat: lowest peak RSS at %d files: %.1f MB, %.0f%% of the first count'"'"'s\n", k, b, 100*b/a }'
    fi
  done
}

[ "${BENCH_HOSTILE:-1}" = 0 ] || hostile_mix
[ "${BENCH_FLAT:-}" = 0 ] || flat_memory

# The table: each tool's rate against ogi extract of the same format on
# all cores (files/s, wall clock), and per core: files per CPU second
# against ogi extract with one job (on a machine shared with other work,
# CPU time is the steadier measure).
echo
awk -F'\t' '
  $1 ~ /^ogi extract/ && $1 !~ /1 job/ { all[$2] = $3 }
  $1 ~ /^ogi extract/ && $1 ~ /1 job/ { one[$2] = $6 }
  { row[NR] = $0 }
  END {
    printf "%-26s %-5s %8s %7s %10s %8s %8s %9s\n", "tool", "fmt", "files/s", "MB/s", "files/CPUs", "peak MB", "vs ogi", "per core"
    for (i = 1; i <= NR; i++) {
      split(row[i], f, "\t")
      if (f[1] ~ /ingest/ || f[2] == "-") continue
      printf "%-26s %-5s %8.1f %7.1f %10.1f %8s %8s %9s\n", f[1], f[2], f[3], f[4], f[6], (f[5] == "-" ? "-" : sprintf("%.1f", f[5])), \
        (all[f[2]] > 0 ? sprintf("%.3f", f[3] / all[f[2]]) : "-"), (one[f[2]] > 0 ? sprintf("%.3f", f[6] / one[f[2]]) : "-")
    }
  }' "$results"
echo "($(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $n files per format, $(date -u +%Y-%m-%d))"

bench_ingest_ratio "$(corpus docx "$ratio_n")" "$(corpus html "$ratio_n")"
if [ -n "${ELASTICSEARCH_URL:-}" ]; then
  bench_es_load "$(corpus docx "$es_half")" "$(corpus html "$es_half")"
else
  echo "es load/bulk ceiling: ELASTICSEARCH_URL not set; skipped"
fi
