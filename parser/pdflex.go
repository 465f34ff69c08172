package parser

import (
	"bytes"
	"strconv"
)

// A content stream (and a ToUnicode CMap) is a flat sequence of operands
// followed by an operator. pdfLexer reads one token at a time from the
// decoded stream bytes; it never fails: malformed bytes become keywords
// that the interpreter ignores, so one bad operator costs one operator.

type pdfTokKind uint8

const (
	tokEOF pdfTokKind = iota
	tokNum
	tokName
	tokString
	tokArray // a complete [ … ] array, in arr
	tokDict  // a complete << … >> dictionary, in arr as key, value pairs
	tokKeyword
)

type pdfTok struct {
	kind pdfTokKind
	num  float64
	s    string // name (without /), string bytes, keyword
	arr  []pdfTok
}

type pdfLexer struct {
	b   []byte
	pos int
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (lx *pdfLexer) skipSpace() {
	for lx.pos < len(lx.b) {
		c := lx.b[lx.pos]
		if isPDFSpace(c) {
			lx.pos++
			continue
		}
		if c == '%' {
			for lx.pos < len(lx.b) && lx.b[lx.pos] != '\n' && lx.b[lx.pos] != '\r' {
				lx.pos++
			}
			continue
		}
		return
	}
}

// next returns the next token; arrays and dictionaries come back whole,
// nested at most maxDepth deep (deeper ones are flattened away).
func (lx *pdfLexer) next() pdfTok { return lx.nextDepth(0) }

const pdfMaxNesting = 32

func (lx *pdfLexer) nextDepth(depth int) pdfTok {
	lx.skipSpace()
	if lx.pos >= len(lx.b) {
		return pdfTok{kind: tokEOF}
	}
	c := lx.b[lx.pos]
	switch {
	case c == '/':
		lx.pos++
		start := lx.pos
		for lx.pos < len(lx.b) && !isPDFSpace(lx.b[lx.pos]) && !isPDFDelim(lx.b[lx.pos]) {
			lx.pos++
		}
		n := lx.b[start:lx.pos]
		if bytes.IndexByte(n, '#') >= 0 {
			n = unescapeName(n)
		}
		return pdfTok{kind: tokName, s: string(n)}
	case c == '(':
		return pdfTok{kind: tokString, s: lx.literal()}
	case c == '<':
		if lx.pos+1 < len(lx.b) && lx.b[lx.pos+1] == '<' {
			lx.pos += 2
			return lx.collect(tokDict, ">>", depth)
		}
		return pdfTok{kind: tokString, s: lx.hex()}
	case c == '[':
		lx.pos++
		return lx.collect(tokArray, "]", depth)
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := lx.pos
		lx.pos++
		for lx.pos < len(lx.b) {
			d := lx.b[lx.pos]
			if (d >= '0' && d <= '9') || d == '.' {
				lx.pos++
				continue
			}
			break
		}
		if f, err := strconv.ParseFloat(string(lx.b[start:lx.pos]), 64); err == nil {
			return pdfTok{kind: tokNum, num: f}
		}
		// "-" alone, "1.2.3", "--5": producers write such things; read as 0
		// the way viewers do rather than lose the operator.
		return pdfTok{kind: tokNum}
	}
	start := lx.pos
	if isPDFDelim(c) {
		// ")", ">", "]", "{", "}" out of place: a one-byte keyword.
		lx.pos++
		if c == '>' && lx.pos < len(lx.b) && lx.b[lx.pos] == '>' {
			lx.pos++
		}
		return pdfTok{kind: tokKeyword, s: string(lx.b[start:lx.pos])}
	}
	for lx.pos < len(lx.b) && !isPDFSpace(lx.b[lx.pos]) && !isPDFDelim(lx.b[lx.pos]) {
		lx.pos++
	}
	return pdfTok{kind: tokKeyword, s: string(lx.b[start:lx.pos])}
}

// collect reads tokens up to the closing delimiter end ("]" or ">>").
func (lx *pdfLexer) collect(kind pdfTokKind, end string, depth int) pdfTok {
	t := pdfTok{kind: kind}
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.b) {
			return t
		}
		if bytes.HasPrefix(lx.b[lx.pos:], []byte(end)) {
			lx.pos += len(end)
			return t
		}
		var sub pdfTok
		if depth >= pdfMaxNesting {
			// Too deep: skip one byte at a time rather than recurse.
			lx.pos++
			continue
		}
		sub = lx.nextDepth(depth + 1)
		if sub.kind == tokEOF {
			return t
		}
		if sub.kind == tokKeyword && (sub.s == "]" || sub.s == ">>") {
			// The wrong closer: end here.
			return t
		}
		t.arr = append(t.arr, sub)
	}
}

func (lx *pdfLexer) literal() string {
	lx.pos++ // (
	var out []byte
	depth := 1
	for lx.pos < len(lx.b) {
		c := lx.b[lx.pos]
		lx.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
		case '\\':
			if lx.pos >= len(lx.b) {
				return string(out)
			}
			e := lx.b[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if lx.pos < len(lx.b) && lx.b[lx.pos] == '\n' {
					lx.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && lx.pos < len(lx.b) && lx.b[lx.pos] >= '0' && lx.b[lx.pos] <= '7'; k++ {
						v = v*8 + int(lx.b[lx.pos]-'0')
						lx.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return string(out)
}

func (lx *pdfLexer) hex() string {
	lx.pos++ // <
	var out []byte
	hi, have := byte(0), false
	for lx.pos < len(lx.b) {
		c := lx.b[lx.pos]
		lx.pos++
		if c == '>' {
			break
		}
		v, ok := unhexByte(c)
		if !ok {
			continue
		}
		if have {
			out = append(out, hi<<4|v)
			have = false
		} else {
			hi, have = v, true
		}
	}
	if have {
		out = append(out, hi<<4)
	}
	return string(out)
}

func unhexByte(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unescapeName(n []byte) []byte {
	out := make([]byte, 0, len(n))
	for i := 0; i < len(n); i++ {
		if n[i] == '#' && i+2 < len(n) {
			h, ok1 := unhexByte(n[i+1])
			l, ok2 := unhexByte(n[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|l)
				i += 2
				continue
			}
		}
		out = append(out, n[i])
	}
	return out
}

// skipInlineImage moves past the binary data of an inline image (after
// its ID operator) to just after the EI that ends it.
func (lx *pdfLexer) skipInlineImage() {
	if lx.pos < len(lx.b) && isPDFSpace(lx.b[lx.pos]) {
		lx.pos++
	}
	for lx.pos < len(lx.b) {
		i := bytes.Index(lx.b[lx.pos:], []byte("EI"))
		if i < 0 {
			lx.pos = len(lx.b)
			return
		}
		at := lx.pos + i
		lx.pos = at + 2
		before := at == 0 || isPDFSpace(lx.b[at-1])
		after := lx.pos >= len(lx.b) || isPDFSpace(lx.b[lx.pos]) || isPDFDelim(lx.b[lx.pos])
		if before && after {
			return
		}
	}
}
