package region

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes bounds the names looked up (the longest in the table is
// under 32 runes; lens has one bit per length).
const maxNameRunes = 31

// step is one division name of a chain, as printed, with the divisions it
// can be (current divisions, narrowed by the steps before it).
type step struct {
	start, end int // byte offsets in the text
	cands      []int32
	former     []int32 // former divisions the printed name matched, if any
}

// chain is a run of division names each inside the one before it
// (江苏省淮安市洪泽区), found in a text.
type chain struct {
	steps      []step
	start, end int // byte offsets of the run
	// notIn is a division name printed right after the run that is not
	// inside it (南京市朝阳区): a sign the printed name is wrong.
	notIn string
}

func (c *chain) last() *step { return &c.steps[len(c.steps)-1] }

// namesAt returns the division names starting at byte offset p of s,
// longest first, as (end offset, divisions) pairs; minRunes is the
// shortest name taken.
func (t *table) namesAt(s string, p, minRunes int, buf []hit) []hit {
	buf = buf[:0]
	n := 0
	for e := p; e < len(s) && n < maxNameRunes; {
		r, size := utf8.DecodeRuneInString(s[e:])
		e += size
		n++
		if n < minRunes {
			continue
		}
		if t.lensOf(r)&(1<<n) == 0 {
			continue
		}
		if ids, ok := t.byName(s[p:e]); ok {
			buf = append(buf, hit{e, ids})
		}
	}
	// Longest first.
	for i, j := 0, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf
}

type hit struct {
	end int
	ids []int32
}

// current maps matched divisions to the current ones, without repeats.
func (t *table) current(ids []int32) (cur, former []int32) {
	for _, i := range ids {
		c := t.divs[i].cur
		if c != i {
			former = append(former, i)
		}
		if !containsID(cur, c) {
			cur = append(cur, c)
		}
	}
	return cur, former
}

func containsID(s []int32, x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// under keeps the divisions of cands that lie strictly inside one of parents.
func (t *table) under(cands, parents []int32) []int32 {
	var out []int32
	for _, c := range cands {
		for _, p := range parents {
			if p != c && t.isAncestor(p, c) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// findChain returns the first chain in s at or after byte offset from.
// At the very start of s a name may be two runes (城区) or a province's
// short name (江苏); elsewhere a chain starts only at a name of three
// runes or more, so short names inside words (矿区, 东区) do not count.
func (t *table) findChain(s string, from int) (chain, bool) {
	var buf [8]hit
	for p := from; p < len(s); {
		minRunes := 3
		if p == 0 {
			minRunes = 2
		}
		hits := t.namesAt(s, p, minRunes, buf[:0])
		var first step
		found := false
		if len(hits) > 0 {
			cur, former := t.current(hits[0].ids)
			first, found = step{start: p, end: hits[0].end, cands: cur, former: former}, true
		}
		if p == 0 {
			// A province's short name, unless a longer full name starts here.
			for n, e := 0, 0; e < len(s) && n < 3; {
				_, size := utf8.DecodeRuneInString(s[e:])
				e += size
				n++
				if i, ok := t.alias[s[:e]]; ok && (!found || e > first.end) {
					first, found = step{start: 0, end: e, cands: []int32{i}}, true
				}
			}
		}
		if found {
			c := chain{steps: []step{first}, start: p, end: first.end}
			t.extend(s, &c)
			return c, true
		}
		_, size := utf8.DecodeRuneInString(s[p:])
		p += size
	}
	return chain{}, false
}

// extend adds the names that follow a chain's end and lie inside its last
// division. 人民政府 between two names is skipped (洪泽区人民政府高良涧街道办事处).
func (t *table) extend(s string, c *chain) {
	var buf [8]hit
	for c.end < len(s) {
		p := c.end
		if rest := s[p:]; strings.HasPrefix(rest, "人民政府") && len(rest) > len("人民政府") {
			p += len("人民政府")
		}
		parents := c.last().cands
		hits := t.namesAt(s, p, 2, buf[:0])
		var next step
		ok := false
		for _, h := range hits {
			cur, former := t.current(h.ids)
			if in := t.under(cur, parents); len(in) > 0 {
				next, ok = step{start: p, end: h.end, cands: in, former: t.formerIn(former, in)}, true
				break
			}
		}
		if !ok {
			if p == c.end && len(hits) > 0 {
				c.notIn = s[p:hits[0].end]
			}
			return
		}
		// The chain's earlier steps keep only the divisions above the new one.
		for i := range c.steps {
			c.steps[i].cands = t.above(c.steps[i].cands, next.cands)
		}
		c.steps = append(c.steps, next)
		c.end = next.end
	}
}

// formerIn keeps the former divisions that became one of cands.
func (t *table) formerIn(former, cands []int32) []int32 {
	var out []int32
	for _, f := range former {
		if containsID(cands, t.divs[f].cur) {
			out = append(out, f)
		}
	}
	return out
}

// above keeps the divisions of cands that are above one of below.
func (t *table) above(cands, below []int32) []int32 {
	var out []int32
	for _, c := range cands {
		for _, b := range below {
			if t.isAncestor(c, b) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// clean removes the spaces a printed name may carry (洪泽区 人民政府).
func clean(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
