package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ogi/synth"
)

// TestGenCommand writes a small corpus in every format and checks the
// files against truth.jsonl.
func TestGenCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, errOut, code := runCLI(t, ctx, "", "gen", "--out", dir, "--n", "6", "--format", "docx,html,pdf", "--seed", "4"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	lines, err := synth.ReadTruth(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 6 {
		t.Fatalf("truth.jsonl has %d lines, want 6", len(lines))
	}
	magic := map[string]string{"docx": "PK\x03\x04", "pdf": "%PDF-1.7", "html": ""}
	formats := map[string]int{}
	for _, tl := range lines {
		data, err := os.ReadFile(filepath.Join(dir, tl.Name))
		if err != nil {
			t.Fatal(err)
		}
		formats[tl.Format]++
		if !bytes.HasPrefix(data, []byte(magic[tl.Format])) || !strings.HasPrefix(filepath.Ext(tl.Name), "."+tl.Format[:3]) {
			t.Errorf("%s (%s) starts %q", tl.Name, tl.Format, data[:8])
		}
		if tl.Format == "pdf" && (tl.Options.PadTo != synth.DefaultPDFPages || tl.Options.Mess.WordPaste || tl.Options.Mess.GBK || tl.Options.Mess.CMSChrome) {
			t.Errorf("%s: PDF options %+v", tl.Name, tl.Options)
		}
	}
	if formats["docx"] != 2 || formats["html"] != 2 || formats["pdf"] != 2 {
		t.Errorf("formats %v, want two of each", formats)
	}
	if _, _, code := runCLI(t, ctx, "", "gen", "--out", dir, "--format", "rtf"); code == 0 {
		t.Error("gen --format rtf succeeded")
	}
}
