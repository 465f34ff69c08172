# ogi — see README.md. `make help` lists the targets.
GO      ?= go
BIN     := bin/ogi
SAMPLES := fixtures/samples fixtures/real fixtures/seed-report.docx fixtures/seed-report.html
# Fuzz budget per target: short in `make test`, longer in `make fuzz`.
FUZZTIME_TEST ?= 5s
FUZZTIME      ?= 2m
BENCH_N       ?= 300

.PHONY: help build run test unit fuzz fuzz-short bench bench-corpus lint es-start es-stop clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/ogi
	$(GO) build -o $(BIN) ./cmd/ogi

run: build ## the main job on the embedded store: ingest the sample reports into a fresh ogi.db and write reports.csv
	rm -f ogi.db ogi.db-wal ogi.db-shm
	./$(BIN) ingest --db ogi.db --problems problems.csv --summary summary.json $(SAMPLES) || [ $$? -eq 3 ]
	./$(BIN) export --db ogi.db --format csv --bom --out reports.csv
	@echo "wrote ogi.db, reports.csv (problems.csv, summary.json)"

test: ## all tests, with a real Elasticsearch started when ELASTICSEARCH_URL is unset
	./scripts/test.sh

unit: ## tests without starting Elasticsearch (its integration tests skip loudly)
	$(GO) test -count=1 ./...

fuzz-short: ## the reader, numeral and extractor fuzz targets for $(FUZZTIME_TEST) each (as in make test)
	./scripts/fuzz.sh $(FUZZTIME_TEST) ./parser ./numeral ./extract

fuzz: ## every fuzz target for $(FUZZTIME); crashers land in testdata/fuzz and stay as regression cases
	./scripts/fuzz.sh $(FUZZTIME)

bench: ## Go benchmarks for every stage (read, grid, match, numerals, stores)
	$(GO) test -run '^$$' -bench . -benchmem ./...

bench-corpus: build ## end-to-end throughput and peak memory over $(BENCH_N) generated reports
	./scripts/bench-corpus.sh $(BENCH_N)

lint: ## go vet, gofmt, and the direction of imports between packages (scripts/layers.sh)
	$(GO) vet ./...
	./scripts/layers.sh
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt: files above need formatting" && exit 1)

es-start: ## start the local Elasticsearch test node and print its URL
	./scripts/elasticsearch.sh start

es-stop: ## stop the local Elasticsearch test node
	./scripts/elasticsearch.sh stop

clean: ## remove build outputs and the sample store
	rm -rf bin ogi.db ogi.db-wal ogi.db-shm reports.csv problems.csv summary.json
