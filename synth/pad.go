package synth

import (
	"bytes"
	"unicode/utf8"
)

// Real files owe their bulk to markup, not to text: a paragraph that went
// through a few rounds of editing is cut into dozens of runs, each with
// its full formatting. Padding does the same: it cuts the narrative
// paragraphs into more runs until the file reaches its target size, and
// only when the prose is too short for that adds paragraphs where the
// overview ends.

// renderFunc writes one block into buf; splits asks for that many extra
// cuts in a paragraph's text.
type renderFunc func(buf *bytes.Buffer, b block, splits int)

// layout renders prefix, the blocks and suffix into a pooled buffer,
// padded to g.target; runCost is what one extra cut adds, in bytes.
func (g *gen) layout(prefix, suffix []byte, render renderFunc, runCost int) *bytes.Buffer {
	first := bufPool.Get().(*bytes.Buffer)
	first.Reset()
	first.Grow(max(g.target, 128<<10) + 64<<10)
	first.Write(prefix)
	type span struct {
		start, end int
		b          block
	}
	var paras []span
	padAt := -1
	runes := 0
	for _, b := range g.blocks {
		if b.kind == bPad {
			padAt = len(paras)
			paras = append(paras, span{first.Len(), first.Len(), b})
			continue
		}
		start := first.Len()
		render(first, b, 0)
		if b.kind == bPara {
			paras = append(paras, span{start, first.Len(), b})
			runes += utf8.RuneCountInString(b.text)
		}
	}
	first.Write(suffix)
	deficit := g.target - first.Len()
	if g.target == 0 || deficit <= 0 || runCost <= 0 {
		return first
	}
	cuts := deficit/runCost + 1
	extra := 0 // prose to add beyond what cutting can give
	if maxCuts := runes / 2; cuts > maxCuts {
		extra = (cuts - maxCuts) * runCost
		cuts = maxCuts
	}
	out := bufPool.Get().(*bytes.Buffer)
	out.Reset()
	out.Grow(g.target + 64<<10)
	src := first.Bytes()
	last := 0
	for i, p := range paras {
		out.Write(src[last:p.start])
		last = p.end
		if i == padAt {
			for mark := out.Len(); out.Len()-mark < extra; {
				text := g.narr.pad(0)
				render(out, block{kind: bPara, text: text}, utf8.RuneCountInString(text)/2)
			}
			continue
		}
		n := utf8.RuneCountInString(p.b.text)
		k := 0
		if runes > 0 {
			k = min(cuts*n/runes, n/2)
		}
		render(out, p.b, k)
	}
	out.Write(src[last:])
	bufPool.Put(first)
	return out
}

// cut splits s into k+1 pieces at random rune positions (fewer when s is
// short).
func (g *gen) cut(s string, k int) []string {
	if k <= 0 {
		return []string{s}
	}
	n := utf8.RuneCountInString(s)
	if k > n-1 {
		k = n - 1
	}
	if k <= 0 {
		return []string{s}
	}
	rs := []rune(s)
	out := make([]string, 0, k+1)
	avg := n / (k + 1)
	start := 0
	for piece := 0; piece < k && start < n-1; piece++ {
		l := 1
		if avg > 1 {
			l = 1 + g.r.Intn(2*avg-1)
		}
		end := min(start+l, n-1)
		out = append(out, string(rs[start:end]))
		start = end
	}
	return append(out, string(rs[start:]))
}
