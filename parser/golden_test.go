package parser

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites golden files instead of comparing against them:
//
//	go test ./parser -run Golden -update
var update = flag.Bool("update", false, "rewrite golden files under fixtures/")

// fixturesDir is the repository's fixtures directory as seen from the
// parser package's tests.
const fixturesDir = "../fixtures"

// compareGolden compares got with the golden file at path (relative to
// the parser directory), or rewrites the file under -update. On a
// mismatch it reports the first differing line.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./parser -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./parser -update if the change is intended)", path, i+1, g, w)
		}
	}
}
