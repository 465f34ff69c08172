package parser

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// refHTMLText is the line collector as first written, a list of lines
// joined at the end: the reference htmlText is checked against.
type refHTMLText struct {
	lines []string
	cur   []byte
}

func (t *refHTMLText) line() string { return normalizeHTMLLine(t.cur) }

func (t *refHTMLText) hard() {
	t.lines = append(t.lines, t.line())
	t.cur = t.cur[:0]
}

func (t *refHTMLText) soft() {
	if l := t.line(); l != "" {
		t.lines = append(t.lines, l)
	}
	t.cur = t.cur[:0]
}

func (t *refHTMLText) finish() string {
	t.soft()
	lines := t.lines
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	t.lines = t.lines[:0]
	return strings.Join(lines, "\n")
}

// TestHTMLTextMatchesLineList runs random writes and breaks through
// htmlText and the reference, comparing every finished text.
func TestHTMLTextMatchesLineList(t *testing.T) {
	pieces := []string{"", " ", "\n", "  \r\n ", "年度", "报告", "a", "b c", "\u3000", "\u00a0", "，", "x\n", "\n政府", "2024 "}
	rng := rand.New(rand.NewPCG(5, 6))
	var got htmlText
	var want refHTMLText
	var ops []string
	for i := range 20000 {
		switch rng.IntN(6) {
		case 0:
			got.hard()
			want.hard()
			ops = append(ops, "hard")
		case 1:
			got.soft()
			want.soft()
			ops = append(ops, "soft")
		case 2:
			g, w := got.finish(), want.finish()
			if g != w {
				t.Fatalf("op %d: after %q: finish() = %q, want %q", i, ops, g, w)
			}
			ops = ops[:0]
		default:
			p := pieces[rng.IntN(len(pieces))]
			got.write(p)
			want.cur = append(want.cur, p...)
			ops = append(ops, p)
		}
	}
}
