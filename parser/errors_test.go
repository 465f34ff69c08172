package parser

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorPosition: a reader error carries its position as fields (part,
// table, row) as well as in the text it prints.
func TestErrorPosition(t *testing.T) {
	for _, tc := range []struct {
		file, part string
	}{
		{"seed-report.docx", "word/document.xml"},
		{"seed-report.html", ""},
	} {
		_, err := ReadFile(context.Background(), filepath.Join("..", "fixtures", tc.file), Options{Limits: Limits{MaxCells: 50}})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s with MaxCells 50: %v, want a *Error wrapping ErrTooLarge", tc.file, err)
		}
		if e.Part != tc.part || e.Table < 1 || e.Row < 1 {
			t.Errorf("%s: Part %q Table %d Row %d, want part %q and a table and row", tc.file, e.Part, e.Table, e.Row, tc.part)
		}
		if want := fmt.Sprintf("table %d row %d", e.Table, e.Row); !strings.Contains(e.Where, want) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Where %q, error %q: want them to say %q", tc.file, e.Where, err, want)
		}
	}
}
