#!/usr/bin/env bash
# Runs the whole test suite. Starts the local Elasticsearch node when
# ELASTICSEARCH_URL is not set, and stops it afterwards if it started it; under CI=true a
# node that cannot start fails the run instead of skipping its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  # A node that was already running (a developer's) is used and left
  # running; only a node started here is stopped afterwards.
  ours=true
  if ./scripts/elasticsearch.sh url >/dev/null 2>&1; then ours=false; fi
  if url=$(./scripts/elasticsearch.sh start | tail -n 1) && [ -n "$url" ]; then
    export ELASTICSEARCH_URL="$url"
    if $ours; then
      trap './scripts/elasticsearch.sh stop >/dev/null 2>&1 || true' EXIT
    fi
    echo "test: Elasticsearch at $ELASTICSEARCH_URL"
  elif [ "${CI:-}" = "true" ]; then
    echo "test: could not start Elasticsearch, and CI=true: failing" >&2
    exit 1
  else
    echo "test: WARNING: could not start Elasticsearch; its integration tests will be SKIPPED" >&2
  fi
fi

go vet ./...
./scripts/layers.sh
go test -count=1 -timeout 30m ./...
# A short fuzz run of the readers, the normalizer and the extractor. The
# store and export targets (index/sqlite, export) are left to `make fuzz`:
# instrumenting the pure-Go SQLite for fuzzing takes minutes.
./scripts/fuzz.sh "${FUZZTIME_TEST:-5s}" ./parser ./numeral ./extract
