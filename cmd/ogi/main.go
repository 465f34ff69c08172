// Command ogi reads government information disclosure annual reports
// (DOCX and HTML), extracts their three statistical tables into checked
// records, and indexes them in Elasticsearch or a local SQLite file.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	tuneGC(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}
