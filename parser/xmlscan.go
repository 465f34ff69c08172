package parser

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// xmlScanner is a small, allocation-free XML tokenizer for the main part
// of a DOCX, which is far larger than the other parts and is read on every
// document. It yields start tags (with their raw attributes), end tags and
// text; comments, processing instructions and a DOCTYPE are skipped. It
// checks what the reader relies on: tags nest and match, entities are
// known, text holds no control characters, the input is UTF-8. Names are
// matched by local part, so transitional and strict namespaces read alike.
//
// Most of a Word document is formatting the reader ignores (run and
// paragraph properties on every run, borders on every cell), so a subtree
// can also be passed over whole (skipQuick, quick): one jump per tag, no
// attribute parsing, nesting still checked, and the exact tokenizer as the
// fallback whenever that pass meets something it does not handle.
type xmlScanner struct {
	buf     []byte
	pos     int
	stack   []span // open element names, as offsets into buf (no pointers to write)
	pending bool   // a self-closing tag still owes its end token

	kind  tokKind
	name  []byte // qualified name of the current start or end tag
	local []byte // its local part
	attrs []byte // raw attributes of the current start tag
	raw   []byte // raw text of the current text token
	cdata bool   // raw is CDATA: no entities to decode
	tmp   []byte // decoded text or attribute value
	// checked: checkChars has passed over buf, so text need not be
	// checked again token by token.
	checked bool
}

// span is the name of an open element: buf[off:end].
type span struct{ off, end int }

// top returns the name of the innermost open element.
func (s *xmlScanner) top() []byte {
	sp := s.stack[len(s.stack)-1]
	return s.buf[sp.off:sp.end]
}

// push opens an element whose name is the slice name of buf.
func (s *xmlScanner) push(name []byte) {
	off := cap(s.buf) - cap(name)
	s.stack = append(s.stack, span{off, off + len(name)})
}

type tokKind uint8

const (
	tokStart tokKind = iota + 1
	tokEnd
	tokText
)

// maxXMLDepth bounds element nesting so a hostile part cannot make the tag
// stack huge; real documents stay far below.
const maxXMLDepth = 1 << 17

// errXMLDepth is the cause when maxXMLDepth is passed.
var errXMLDepth = errors.New("XML elements nested too deep")

// xmlError is a syntax error at a byte offset.
type xmlError struct {
	off int
	msg string
}

func (e *xmlError) Error() string { return e.msg }

func (s *xmlScanner) reset(buf []byte) {
	if bytes.HasPrefix(buf, []byte("\xEF\xBB\xBF")) {
		buf = buf[3:]
	}
	s.buf, s.pos, s.stack, s.pending, s.checked = buf, 0, s.stack[:0], false, false
}

// line returns the 1-based line of byte offset off.
func (s *xmlScanner) line(off int) int {
	return bytes.Count(s.buf[:min(off, len(s.buf))], []byte("\n")) + 1
}

func (s *xmlScanner) fail(off int, format string, args ...any) error {
	return &xmlError{off: off, msg: fmt.Sprintf(format, args...)}
}

// next advances to the next token, or returns io.EOF after the root
// element has closed and only whitespace or comments remain.
func (s *xmlScanner) next() (tokKind, error) {
	if s.pending {
		s.pending = false
		s.stack = s.stack[:len(s.stack)-1]
		s.kind = tokEnd
		return tokEnd, nil
	}
	b := s.buf
	for {
		if s.pos >= len(b) {
			if len(s.stack) > 0 {
				return 0, s.fail(len(b), "unexpected end of XML inside <%s>", s.top())
			}
			return 0, io.EOF
		}
		if b[s.pos] != '<' {
			start := s.pos
			end := bytes.IndexByte(b[start:], '<')
			if end < 0 {
				end = len(b)
			} else {
				end += start
			}
			s.pos = end
			s.raw, s.cdata = b[start:end], false
			if !s.checked {
				if err := s.checkText(start, s.raw); err != nil {
					return 0, err
				}
			}
			if len(s.stack) == 0 {
				if len(bytes.TrimSpace(s.raw)) > 0 {
					return 0, s.fail(start, "text outside the root element")
				}
				continue
			}
			s.kind = tokText
			return tokText, nil
		}
		rest := b[s.pos:]
		var c1 byte
		if len(rest) > 1 {
			c1 = rest[1]
		}
		switch c1 {
		case '?', '!':
			n, cdata, err := s.markup(rest)
			if err != nil {
				return 0, err
			}
			if cdata == nil {
				s.pos += n
				continue
			}
			s.raw, s.cdata = cdata, true
			if err := s.checkText(s.pos, s.raw); err != nil {
				return 0, err
			}
			s.pos += n
			if len(s.stack) == 0 {
				return 0, s.fail(s.pos, "CDATA outside the root element")
			}
			s.kind = tokText
			return tokText, nil
		case '/':
			n, name, err := s.endTag(rest)
			if err != nil {
				return 0, err
			}
			s.pos += n
			s.setName(name)
			s.kind = tokEnd
			return tokEnd, nil
		}
		// A start tag: the name, then attributes up to the '>' outside quotes.
		i, colon := 1, 0
		for i < len(rest) {
			c := rest[i]
			if c == ':' {
				colon = i
			} else if isXMLSpace(c) || c == '>' || c == '/' || c == '<' {
				break
			}
			i++
		}
		name := rest[1:i]
		if len(name) == 0 {
			return 0, s.fail(s.pos, "invalid tag")
		}
		gt, err := s.tagEnd(rest, i, name)
		if err != nil {
			return 0, err
		}
		attrs := rest[i:gt]
		self := len(attrs) > 0 && attrs[len(attrs)-1] == '/'
		if self {
			attrs = attrs[:len(attrs)-1]
		}
		if len(s.stack) >= maxXMLDepth {
			return 0, errXMLDepth
		}
		s.push(name)
		s.pending = self
		s.pos += gt + 1
		s.name, s.local = name, rest[colon+1:i]
		s.attrs = attrs
		s.kind = tokStart
		return tokStart, nil
	}
}

// markup reads the comment, processing instruction, declaration or CDATA
// section at the start of rest and returns its length; for CDATA it also
// returns the content (non-nil, possibly empty).
func (s *xmlScanner) markup(rest []byte) (int, []byte, error) {
	switch {
	case rest[1] == '?':
		i := bytes.Index(rest, []byte("?>"))
		if i < 0 {
			return 0, nil, s.fail(s.pos, "unterminated processing instruction")
		}
		return i + 2, nil, nil
	case bytes.HasPrefix(rest, []byte("<!--")):
		i := bytes.Index(rest[4:], []byte("-->"))
		if i < 0 {
			return 0, nil, s.fail(s.pos, "unterminated comment")
		}
		return 4 + i + 3, nil, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		i := bytes.Index(rest[9:], []byte("]]>"))
		if i < 0 {
			return 0, nil, s.fail(s.pos, "unterminated CDATA section")
		}
		return 9 + i + 3, rest[9 : 9+i : 9+i], nil
	}
	// DOCTYPE, possibly with an internal subset in brackets. Its entity
	// declarations are not honoured: OOXML has none.
	depth := 0
	i := 2
	for ; i < len(rest); i++ {
		c := rest[i]
		if c == '[' {
			depth++
		} else if c == ']' {
			depth--
		} else if c == '>' && depth <= 0 {
			return i + 1, nil, nil
		}
	}
	return 0, nil, s.fail(s.pos, "unterminated declaration")
}

// endTag reads the end tag at the start of rest, checks that it closes the
// open element and pops it. It returns the tag's length and name.
func (s *xmlScanner) endTag(rest []byte) (int, []byte, error) {
	if n := len(s.stack); n > 0 {
		// Fast path: the open element's name, optional space, '>'.
		open := s.top()
		k := 2 + len(open)
		if len(rest) > k && bytes.Equal(rest[2:k], open) {
			for k < len(rest) && isXMLSpace(rest[k]) {
				k++
			}
			if k < len(rest) && rest[k] == '>' {
				s.stack = s.stack[:n-1]
				return k + 1, open, nil
			}
		}
	}
	i := bytes.IndexByte(rest, '>')
	if i < 0 {
		return 0, nil, s.fail(s.pos, "unterminated end tag")
	}
	name := rest[2:i]
	for len(name) > 0 && isXMLSpace(name[len(name)-1]) {
		name = name[:len(name)-1]
	}
	if len(s.stack) == 0 {
		return 0, nil, s.fail(s.pos, "end tag </%s> without a start tag", name)
	}
	open := s.top()
	if !bytes.Equal(open, name) {
		return 0, nil, s.fail(s.pos, "element <%s> closed by </%s>", open, name)
	}
	s.stack = s.stack[:len(s.stack)-1]
	return i + 1, name, nil
}

// tagEnd returns the index in rest of the '>' that ends the start tag
// whose attributes begin at i, skipping quoted values in one pass.
func (s *xmlScanner) tagEnd(rest []byte, i int, name []byte) (int, error) {
	for i < len(rest) {
		c := rest[i]
		if c > '>' {
			i++
			continue
		}
		switch c {
		case '>':
			return i, nil
		case '"', '\'':
			j := i + 1
			for j < len(rest) && rest[j] != c {
				j++
			}
			if j >= len(rest) {
				return 0, s.fail(s.pos, "unterminated attribute value in <%s>", name)
			}
			i = j + 1
			continue
		case '<':
			return 0, s.fail(s.pos, "'<' inside tag <%s>", name)
		}
		i++
	}
	return 0, s.fail(s.pos, "unterminated start tag <%s>", name)
}

// errNotUTF8 is checkChars' cause for bytes that are not UTF-8.
var errNotUTF8 = errors.New("XML is not valid UTF-8")

// checkChars checks the whole buffer in one pass: it must be UTF-8 and
// hold none of the control characters XML 1.0 forbids anywhere, so that
// quick need not look at text. Markup is ASCII, which goes sixteen bytes
// at a time.
func (s *xmlScanner) checkChars() error {
	b := s.buf
	const ones, highs = 0x2020202020202020, 0x8080808080808080
	i := 0
	for i < len(b) {
		for len(b)-i >= 16 {
			p := (*[16]byte)(b[i:])
			x := binary.LittleEndian.Uint64(p[0:])
			y := binary.LittleEndian.Uint64(p[8:])
			// Flags every byte below 0x20 or above 0x7F (and maybe a byte
			// above one).
			if ((x-ones)|x|(y-ones)|y)&highs != 0 {
				break
			}
			i += 16
		}
		// Byte by byte through the block that held something.
		for end := min(i+16, len(b)); i < end; {
			c := b[i]
			if c < utf8.RuneSelf {
				if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
					return s.fail(i, "illegal character %#02x in text", c)
				}
				i++
				continue
			}
			// Most Chinese text is three bytes a character whose lead
			// byte allows any continuation bytes; the rest is decoded.
			if (c >= 0xE1 && c <= 0xEC || c >= 0xEE) && c <= 0xEF && i+2 < len(b) &&
				b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
				i += 3
				continue
			}
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return errNotUTF8
			}
			i += n
		}
	}
	s.checked = true
	return nil
}

// visitResult is what quick does with a start tag.
type visitResult uint8

const (
	visitRefuse visitResult = iota // give up
	visitRead                      // go on into the element
	visitSkip                      // pass over its content unseen
)

// skipQuick passes over the element whose start tag next returned last,
// like skip, but with quick: the exact tokenizer runs only when quick
// gives up.
func (s *xmlScanner) skipQuick() error {
	if s.pending {
		s.pending = false
		s.stack = s.stack[:len(s.stack)-1]
		return nil
	}
	if s.quick(nil) {
		return nil
	}
	return s.skip()
}

// quick passes over the content and end tag of the element whose start
// tag next returned last (not self-closing), one jump per tag: a tag is
// found by its '<' and ended by the next '>', its attributes are not
// read, and text is passed over (checkChars must have refused control
// characters over the whole buffer beforehand). Tags must still nest and
// match. When visit is not nil it sees every start tag inside (the offset
// of its name in buf, the name and its local part) and may refuse it, or
// have its content passed over unseen.
// quick reports false and leaves the scanner as it was when visit
// refuses, or when the subtree holds anything it does not handle: a
// comment, CDATA or processing instruction, a tag that does not match,
// the end of the input. The caller then tokenizes, which reads the
// subtree exactly or reports the error.
func (s *xmlScanner) quick(visit func(i int, name, local []byte) visitResult) bool {
	b := s.buf
	pos0, n0 := s.pos, len(s.stack)
	i := pos0
	for {
		// Word writes tags back to back: look before searching.
		if i < len(b) && b[i] == '<' {
			i++
		} else {
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				break
			}
			i += j + 1
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '!', '?':
			s.pos, s.stack = pos0, s.stack[:n0]
			return false
		case '/':
			open := s.top()
			k := i + 1 + len(open)
			if k >= len(b) || !bytes.Equal(b[i+1:k], open) {
				s.pos, s.stack = pos0, s.stack[:n0]
				return false
			}
			for k < len(b) && isXMLSpace(b[k]) {
				k++
			}
			if k >= len(b) || b[k] != '>' {
				s.pos, s.stack = pos0, s.stack[:n0]
				return false
			}
			s.stack = s.stack[:len(s.stack)-1]
			i = k + 1
			if len(s.stack) < n0 {
				s.pos = i
				return true
			}
			continue
		}
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 1 || len(s.stack) >= maxXMLDepth {
			break
		}
		gt += i
		// A '>' inside a quoted value could make this misjudge a tag as
		// open; the end tags then fail to match and the tokenizer decides.
		self := b[gt-1] == '/'
		if !self || visit != nil {
			k, colon := i, i-1
			for k < gt {
				c := b[k]
				if c == ':' {
					colon = k
				} else if isXMLSpace(c) || c == '/' || c == '<' {
					break
				}
				k++
			}
			if k == i {
				break
			}
			res := visitRead
			if visit != nil {
				if res = visit(i, b[i:k], b[colon+1:k]); res == visitRefuse {
					break
				}
			}
			if !self {
				s.push(b[i:k])
				if res == visitSkip {
					s.pos = gt + 1
					if !s.quick(nil) {
						break
					}
					i = s.pos
					continue
				}
			}
		} else if c := b[i]; isXMLSpace(c) || c == '/' || c == '<' {
			break // no name
		}
		i = gt + 1
	}
	s.pos, s.stack = pos0, s.stack[:n0]
	return false
}

// skip consumes the content and the end tag of the element whose start
// tag next returned last, without yielding tokens but checking the same
// syntax: a subtree the reader has no use for (run and paragraph
// properties make up most of a Word document) costs one pass over its
// bytes.
func (s *xmlScanner) skip() error {
	if s.pending {
		s.pending = false
		s.stack = s.stack[:len(s.stack)-1]
		return nil
	}
	base := len(s.stack) - 1
	b := s.buf
	i := s.pos
	for {
		for i < len(b) && b[i] != '<' {
			if c := b[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.fail(i, "illegal character %#02x in text", c)
			}
			i++
		}
		s.pos = i
		if i >= len(b) {
			return s.fail(len(b), "unexpected end of XML inside <%s>", s.top())
		}
		rest := b[i:]
		var c1 byte
		if len(rest) > 1 {
			c1 = rest[1]
		}
		switch c1 {
		case '/':
			n, _, err := s.endTag(rest)
			if err != nil {
				return err
			}
			i += n
			if len(s.stack) == base {
				s.pos = i
				return nil
			}
			continue
		case '?', '!':
			n, cdata, err := s.markup(rest)
			if err != nil {
				return err
			}
			if cdata != nil {
				if err := s.checkText(i, cdata); err != nil {
					return err
				}
			}
			i += n
			continue
		}
		k := 1
		for k < len(rest) {
			if c := rest[k]; isXMLSpace(c) || c == '>' || c == '/' || c == '<' {
				break
			}
			k++
		}
		name := rest[1:k]
		if len(name) == 0 {
			return s.fail(i, "invalid tag")
		}
		gt, err := s.tagEnd(rest, k, name)
		if err != nil {
			return err
		}
		if len(s.stack) >= maxXMLDepth {
			return errXMLDepth
		}
		if gt == k || rest[gt-1] != '/' {
			s.push(name)
		}
		i += gt + 1
	}
}

func (s *xmlScanner) setName(name []byte) {
	s.name = name
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		s.local = name[i+1:]
	} else {
		s.local = name
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// checkText rejects control characters, which XML 1.0 forbids.
func (s *xmlScanner) checkText(off int, t []byte) error {
	for i, c := range t {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return s.fail(off+i, "illegal character %#02x in text", c)
		}
	}
	return nil
}

// text returns the current text token with entities decoded. The result
// is valid until the next call.
func (s *xmlScanner) text() ([]byte, error) {
	if s.cdata || bytes.IndexByte(s.raw, '&') < 0 {
		return s.raw, nil
	}
	var err error
	s.tmp, err = s.unescape(s.tmp[:0], s.raw)
	return s.tmp, err
}

// attr returns the value of the current start tag's attribute whose local
// name is local, with entities decoded, valid until the next call.
func (s *xmlScanner) attr(local string) ([]byte, bool) {
	a := s.attrs
	for len(a) > 0 {
		i := 0
		for i < len(a) && isXMLSpace(a[i]) {
			i++
		}
		a = a[i:]
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimRight(a[:eq], " \t\r\n")
		a = a[eq+1:]
		i = 0
		for i < len(a) && isXMLSpace(a[i]) {
			i++
		}
		a = a[i:]
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return nil, false
		}
		q := a[0]
		end := bytes.IndexByte(a[1:], q)
		if end < 0 {
			return nil, false
		}
		val := a[1 : 1+end]
		a = a[end+2:]
		if k := bytes.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		if string(name) != local {
			continue
		}
		if bytes.IndexByte(val, '&') < 0 {
			return val, true
		}
		v, err := s.unescape(s.tmp[:0], val)
		if err != nil {
			return nil, false
		}
		s.tmp = v
		return v, true
	}
	return nil, false
}

// unescape appends raw to dst with the five predefined entities and
// character references decoded.
func (s *xmlScanner) unescape(dst, raw []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 12 {
			return dst, s.fail(s.pos, "invalid character entity")
		}
		ent := raw[1:semi]
		raw = raw[semi+1:]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "apos":
			dst = append(dst, '\'')
		case "quot":
			dst = append(dst, '"')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return dst, s.fail(s.pos, "invalid character entity &%s;", ent)
			}
			var n uint64
			digits, base := ent[1:], uint64(10)
			if digits[0] == 'x' {
				digits, base = digits[1:], 16
			}
			if len(digits) == 0 {
				return dst, s.fail(s.pos, "invalid character entity &%s;", ent)
			}
			for _, c := range digits {
				var d uint64
				switch {
				case c >= '0' && c <= '9':
					d = uint64(c - '0')
				case base == 16 && c >= 'a' && c <= 'f':
					d = uint64(c-'a') + 10
				case base == 16 && c >= 'A' && c <= 'F':
					d = uint64(c-'A') + 10
				default:
					return dst, s.fail(s.pos, "invalid character entity &%s;", ent)
				}
				n = n*base + d
				if n > utf8.MaxRune {
					return dst, s.fail(s.pos, "invalid character entity &%s;", ent)
				}
			}
			r := rune(n)
			if !utf8.ValidRune(r) || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
				return dst, s.fail(s.pos, "invalid character entity &%s;", ent)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
}
