// Copyright 2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file of golang.org/x/net.

package parser

// This is x/net/html's Tokenizer (token.go and the unescaping of
// escape.go, x/net v0.62.0), changed for a page held whole in memory:
// readByte does not refill a buffer and inlines, text, raw text and quoted
// attribute values are scanned with bytes.IndexByte, duplicate attributes
// are found without a map and a copy per attribute, the page is only read
// (a token that x/net/html would change in its buffer is copied to scratch
// space first), the searches for NUL and CR bytes are skipped on a page
// without any, and a start tag repeating one read before is taken whole
// (seenStartTag). Tokens are the same as x/net/html's, and the page is
// left as it was; TestTokenizerMatchesXNet and FuzzTokenizerMatchesXNet
// check it. Entities are looked up through x/net/html's own table
// (lookupEntity).

import (
	"bytes"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// A start tag whose bytes are those of a start tag read before is the same
// token: reading one looks at nothing past its '>'. Pages repeat a few
// tags thousands of times ("<span style=…>", "<td class=…>"), so the
// tokenizer keeps the last ones it read, by a hash of their first bytes,
// and takes a tag that starts with one of them whole instead of reading
// its attributes again.
type seenStartTag struct {
	raw    []byte // "<" to ">"; empty for none
	tt     html.TokenType
	name   tokSpan // from the start of raw
	attr   [][2]tokSpan
	rawTag string
}

// seenStartSlot hashes the bytes of b up to its first '>' (at most 512):
// a tag and the page after a copy of it hash the same.
func seenStartSlot(b []byte) int {
	b = b[:min(len(b), 512)]
	if k := bytes.IndexByte(b, '>'); k >= 0 {
		b = b[:k+1]
	}
	return int(maphash.Bytes(seenStartSeed, b) % uint64(len(seenStarts{})))
}

var seenStartSeed = maphash.MakeSeed()

type seenStarts [256]seenStartTag

// seenStart returns the tag read before that the page repeats at pos, or nil.
func (z *htmlTokenizer) seenStart(pos int) *seenStartTag {
	if z.starts == nil {
		return nil
	}
	e := &z.starts[seenStartSlot(z.buf[pos:])]
	if len(e.raw) == 0 || len(z.buf)-pos < len(e.raw) || !bytes.Equal(z.buf[pos:pos+len(e.raw)], e.raw) {
		return nil
	}
	return e
}

// reuse makes the token at pos the copy of e.
func (e *seenStartTag) reuse(z *htmlTokenizer, pos int) html.TokenType {
	z.raw.end = pos + len(e.raw)
	z.data = tokSpan{pos + e.name.start, pos + e.name.end}
	z.attr = z.attr[:0]
	for _, at := range e.attr {
		z.attr = append(z.attr, [2]tokSpan{{pos + at[0].start, pos + at[0].end}, {pos + at[1].start, pos + at[1].end}})
	}
	z.nAttrReturned = 0
	z.rawTag = e.rawTag
	return e.tt
}

// rememberStart keeps the start tag just read at pos.
func (z *htmlTokenizer) rememberStart(pos int) {
	if z.starts == nil || z.err != nil || z.raw.end-pos > 512 || (z.tt != html.StartTagToken && z.tt != html.SelfClosingTagToken) {
		return
	}
	e := &z.starts[seenStartSlot(z.buf[pos:z.raw.end])]
	e.raw = append(e.raw[:0], z.buf[pos:z.raw.end]...)
	e.tt = z.tt
	e.name = tokSpan{z.data.start - pos, z.data.end - pos}
	e.attr = e.attr[:0]
	for _, at := range z.attr {
		e.attr = append(e.attr, [2]tokSpan{{at[0].start - pos, at[0].end - pos}, {at[1].start - pos, at[1].end - pos}})
	}
	e.rawTag = z.rawTag
}

// newHTMLTokenizer tokenizes page, which it only reads: what x/net/html
// changes in place in its own buffer (lower-casing, newlines, unescaping)
// is done on a copy in the tokenizer's scratch space, and only for tokens
// that need it.
func newHTMLTokenizer(page []byte) *htmlTokenizer {
	return newHTMLTokenizerWith(page, new(seenStarts))
}

// newHTMLTokenizerWith is newHTMLTokenizer keeping the start tags it reads
// in starts, which may hold those of other pages.
func newHTMLTokenizerWith(page []byte, starts *seenStarts) *htmlTokenizer {
	return &htmlTokenizer{buf: page, hasNUL: bytes.IndexByte(page, 0) >= 0, hasCR: bytes.IndexByte(page, '\r') >= 0, starts: starts}
}

// lookupEntity returns the character(s) the named character reference
// name (with or without its ';') stands for in x/net/html's table, or
// zeros. x/net/html does not export the table; UnescapeString reveals an
// entry: "&"+name unescapes to the entry alone when name is one, while a
// shorter legacy entity matched as a prefix leaves the rest of name
// behind it, ending in name's ';' if it has one.
func lookupEntity(name string) [2]rune {
	if v, ok := entityCache.Load(name); ok {
		return v.([2]rune)
	}
	var x [2]rune
	if out := html.UnescapeString("&" + name); out != "&"+name {
		r1, n1 := utf8.DecodeRuneInString(out)
		switch rest := out[n1:]; {
		case rest == "":
			x[0] = r1
		case utf8.RuneCountInString(rest) == 1 && strings.HasSuffix(name, ";") && rest != ";":
			// Two-character entries all end in ';'; a prefix match
			// would leave the ';' behind.
			r2, _ := utf8.DecodeRuneInString(rest)
			x = [2]rune{r1, r2}
		}
	}
	entityCache.Store(name, x)
	return x
}

// longestEntityWithoutSemicolon is x/net/html's.
const longestEntityWithoutSemicolon = 6

var entityCache sync.Map

// span is a range of bytes in a Tokenizer's buffer. The start is inclusive,
// the end is exclusive.
type tokSpan struct {
	start, end int
}

// A Tokenizer returns a stream of HTML Tokens.
type htmlTokenizer struct {
	// tt is the html.TokenType of the current token.
	tt html.TokenType
	// err is the first error encountered during tokenization. It is possible
	// for tt != Error && err != nil to hold: this means that Next returned a
	// valid token but the subsequent Next call will return an error token.
	// For example, if the HTML text input was just "plain", then the first
	// Next call would set z.err to io.EOF but return a html.TextToken, and all
	// subsequent Next calls would return an html.ErrorToken.
	// err is never reset. Once it becomes non-nil, it stays non-nil.
	err error
	// buf[raw.start:raw.end] holds the raw bytes of the current token.
	// buf[raw.end:] is buffered input that will yield future tokens.
	raw tokSpan
	buf []byte
	// buf[data.start:data.end] holds the raw bytes of the current token's data:
	// a text token's text, a tag token's tag name, etc.
	data tokSpan
	// pendingAttr is the attribute key and value currently being tokenized.
	// When complete, pendingAttr is pushed onto attr. nAttrReturned is
	// incremented on each call to TagAttr.
	pendingAttr   [2]tokSpan
	attr          [][2]tokSpan
	nAttrReturned int
	// rawTag is the "script" in "</script>" that closes the next token. If
	// non-empty, the subsequent call to Next will return a raw or RCDATA text
	// token: one that treats "<p>" as text instead of an element.
	// rawTag's contents are lower-cased.
	rawTag string
	// textIsRaw is whether the current text token's data is not escaped.
	textIsRaw bool
	// convertNUL is whether NUL bytes in the current token's data should
	// be converted into \ufffd replacement characters.
	convertNUL bool
	// allowCDATA is whether CDATA sections are allowed in the current context.
	allowCDATA bool
	// hasNUL is whether the page holds a NUL byte at all: a page read by
	// ReadHTML never does (it is refused as binary), so the per-token
	// searches for one are skipped.
	hasNUL bool
	// hasCR is whether the page holds a carriage return, without which
	// there are no newlines to convert.
	hasCR bool
	// scratch holds the current token's changed copies (see own).
	scratch []byte
	// starts are start tags read before (see seenStartTag); nil
	// reads every tag.
	starts *seenStarts
}

// own copies b into the current token's scratch space, where it may be
// changed; the copy is valid until the next call to Next.
func (z *htmlTokenizer) own(b []byte) []byte {
	n := len(z.scratch)
	z.scratch = append(z.scratch, b...)
	return z.scratch[n:len(z.scratch):len(z.scratch)]
}

// name is b (a tag name or attribute key) with NULs replaced and A-Z
// lower-cased, without changing the page.
func (z *htmlTokenizer) name(b []byte) []byte {
	if z.hasNUL && bytes.IndexByte(b, 0) >= 0 {
		return lower(bytes.ReplaceAll(b, nul, replacement))
	}
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			return lower(z.own(b))
		}
	}
	return b
}

// attrVal is an attribute value b with NULs replaced, newlines converted
// and entities unescaped, without changing the page.
func (z *htmlTokenizer) attrVal(b []byte) []byte {
	owned := false
	if z.hasNUL && bytes.IndexByte(b, 0) >= 0 {
		b, owned = bytes.ReplaceAll(b, nul, replacement), true
	}
	if z.hasCR && bytes.IndexByte(b, '\r') >= 0 {
		if !owned {
			b, owned = z.own(b), true
		}
		b = convertNewlines(b)
	}
	if bytes.IndexByte(b, '&') >= 0 {
		if !owned {
			b = z.own(b)
		}
		b = unescape(b, true)
	}
	return b
}

// AllowCDATA sets whether or not the tokenizer recognizes <![CDATA[foo]]> as
// the text "foo". The default value is false, which means to recognize it as
// a bogus comment "<!-- [CDATA[foo]] -->" instead.
//
// Strictly speaking, an HTML5 compliant tokenizer should allow CDATA if and
// only if tokenizing foreign content, such as MathML and SVG. However,
// tracking foreign-contentness is difficult to do purely in the tokenizer,
// as opposed to the parser, due to HTML integration points: an <svg> element
// can contain a <foreignObject> that is foreign-to-SVG but not foreign-to-
// HTML. For strict compliance with the HTML5 tokenization algorithm, it is the
// responsibility of the user of a tokenizer to call AllowCDATA as appropriate.
// In practice, if using the tokenizer without caring whether MathML or SVG
// CDATA is text or comments, such as tokenizing HTML to find all the anchor
// text, it is acceptable to ignore this responsibility.
func (z *htmlTokenizer) AllowCDATA(allowCDATA bool) {
	z.allowCDATA = allowCDATA
}

// NextIsNotRawText instructs the tokenizer that the next token should not be
// considered as 'raw text'. Some elements, such as script and title elements,
// normally require the next token after the opening tag to be 'raw text' that
// has no child elements. For example, tokenizing "<title>a<b>c</b>d</title>"
// yields a start tag token for "<title>", a text token for "a<b>c</b>d", and
// an end tag token for "</title>". There are no distinct start tag or end tag
// tokens for the "<b>" and "</b>".
//
// This tokenizer implementation will generally look for raw text at the right
// times. Strictly speaking, an HTML5 compliant tokenizer should not look for
// raw text if in foreign content: <title> generally needs raw text, but a
// <title> inside an <svg> does not. Another example is that a <textarea>
// generally needs raw text, but a <textarea> is not allowed as an immediate
// child of a <select>; in normal parsing, a <textarea> implies </select>, but
// one cannot close the implicit element when parsing a <select>'s InnerHTML.
// Similarly to AllowCDATA, tracking the correct moment to override raw-text-
// ness is difficult to do purely in the tokenizer, as opposed to the parser.
// For strict compliance with the HTML5 tokenization algorithm, it is the
// responsibility of the user of a tokenizer to call NextIsNotRawText as
// appropriate. In practice, like AllowCDATA, it is acceptable to ignore this
// responsibility for basic usage.
//
// Note that this 'raw text' concept is different from the one offered by the
// Tokenizer.Raw method.
func (z *htmlTokenizer) NextIsNotRawText() {
	z.rawTag = ""
}

// Err returns the error associated with the most recent html.ErrorToken token.
// This is typically io.EOF, meaning the end of tokenization.
func (z *htmlTokenizer) Err() error {
	if z.tt != html.ErrorToken {
		return nil
	}
	return z.err
}

// readByte returns the next byte of the page; at its end it sets z.err
// to io.EOF and returns 0. The whole page is in z.buf, so there is nothing
// to refill and the function inlines.
func (z *htmlTokenizer) readByte() byte {
	if z.raw.end >= len(z.buf) {
		z.err = io.EOF
		return 0
	}
	x := z.buf[z.raw.end]
	z.raw.end++
	return x
}

// skipWhiteSpace skips past any white space.
func (z *htmlTokenizer) skipWhiteSpace() {
	if z.err != nil {
		return
	}
	buf, i := z.buf, z.raw.end
	for ; i < len(buf); i++ {
		switch buf[i] {
		case ' ', '\n', '\r', '\t', '\f':
			// No-op.
		default:
			z.raw.end = i
			return
		}
	}
	z.raw.end = i
	z.err = io.EOF
}

// readRawOrRCDATA reads until the next "</foo>", where "foo" is z.rawTag and
// is typically something like "script" or "textarea".
func (z *htmlTokenizer) readRawOrRCDATA() {
	if z.rawTag == "script" {
		z.readScript()
		z.textIsRaw = true
		z.rawTag = ""
		return
	}
loop:
	for {
		k := bytes.IndexByte(z.buf[z.raw.end:], '<')
		if k < 0 {
			z.raw.end = len(z.buf)
			z.err = io.EOF
			break loop
		}
		z.raw.end += k + 1
		c := z.readByte()
		if z.err != nil {
			break loop
		}
		if c != '/' {
			z.raw.end--
			continue loop
		}
		if z.readRawEndTag() || z.err != nil {
			break loop
		}
	}
	z.data.end = z.raw.end
	// A textarea's or title's RCDATA can contain escaped entities.
	z.textIsRaw = z.rawTag != "textarea" && z.rawTag != "title"
	z.rawTag = ""
}

// readRawEndTag attempts to read a tag like "</foo>", where "foo" is z.rawTag.
// If it succeeds, it backs up the input position to reconsume the tag and
// returns true. Otherwise it returns false. The opening "</" has already been
// consumed.
func (z *htmlTokenizer) readRawEndTag() bool {
	for i := 0; i < len(z.rawTag); i++ {
		c := z.readByte()
		if z.err != nil {
			return false
		}
		if c != z.rawTag[i] && c != z.rawTag[i]-('a'-'A') {
			z.raw.end--
			return false
		}
	}
	c := z.readByte()
	if z.err != nil {
		return false
	}
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		// The 3 is 2 for the leading "</" plus 1 for the trailing character c.
		z.raw.end -= 3 + len(z.rawTag)
		return true
	}
	z.raw.end--
	return false
}

// readScript reads until the next </script> tag, following the byzantine
// rules for escaping/hiding the closing tag.
func (z *htmlTokenizer) readScript() {
	defer func() {
		z.data.end = z.raw.end
	}()
	var c byte

scriptData:
	c = z.readByte()
	if z.err != nil {
		return
	}
	if c == '<' {
		goto scriptDataLessThanSign
	}
	goto scriptData

scriptDataLessThanSign:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '/':
		goto scriptDataEndTagOpen
	case '!':
		goto scriptDataEscapeStart
	}
	z.raw.end--
	goto scriptData

scriptDataEndTagOpen:
	if z.readRawEndTag() || z.err != nil {
		return
	}
	goto scriptData

scriptDataEscapeStart:
	c = z.readByte()
	if z.err != nil {
		return
	}
	if c == '-' {
		goto scriptDataEscapeStartDash
	}
	z.raw.end--
	goto scriptData

scriptDataEscapeStartDash:
	c = z.readByte()
	if z.err != nil {
		return
	}
	if c == '-' {
		goto scriptDataEscapedDashDash
	}
	z.raw.end--
	goto scriptData

scriptDataEscaped:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDash:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDashDash:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataEscaped

scriptDataEscapedLessThanSign:
	c = z.readByte()
	if z.err != nil {
		return
	}
	if c == '/' {
		goto scriptDataEscapedEndTagOpen
	}
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		goto scriptDataDoubleEscapeStart
	}
	z.raw.end--
	goto scriptData

scriptDataEscapedEndTagOpen:
	if z.readRawEndTag() || z.err != nil {
		return
	}
	goto scriptDataEscaped

scriptDataDoubleEscapeStart:
	z.raw.end--
	for i := 0; i < len("script"); i++ {
		c = z.readByte()
		if z.err != nil {
			return
		}
		if c != "script"[i] && c != "SCRIPT"[i] {
			z.raw.end--
			goto scriptDataEscaped
		}
	}
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		goto scriptDataDoubleEscaped
	}
	z.raw.end--
	goto scriptDataEscaped

scriptDataDoubleEscaped:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDash:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDashDash:
	c = z.readByte()
	if z.err != nil {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedLessThanSign:
	c = z.readByte()
	if z.err != nil {
		return
	}
	if c == '/' {
		goto scriptDataDoubleEscapeEnd
	}
	z.raw.end--
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapeEnd:
	if z.readRawEndTag() {
		z.raw.end += len("</script>")
		goto scriptDataEscaped
	}
	if z.err != nil {
		return
	}
	goto scriptDataDoubleEscaped
}

// readComment reads the next comment token starting with "<!--". The opening
// "<!--" has already been consumed.
func (z *htmlTokenizer) readComment() {
	// When modifying this function, consider manually increasing the
	// maxSuffixLen constant in func TestComments, from 6 to e.g. 9 or more.
	// That increase should only be temporary, not committed, as it
	// exponentially affects the test running time.

	z.data.start = z.raw.end
	defer func() {
		if z.data.end < z.data.start {
			// It's a comment with no data, like <!-->.
			z.data.end = z.data.start
		}
	}()

	var dashCount int
	beginning := true
	for {
		c := z.readByte()
		if z.err != nil {
			z.data.end = z.calculateAbruptCommentDataEnd()
			return
		}
		switch c {
		case '-':
			dashCount++
			continue
		case '>':
			if dashCount >= 2 || beginning {
				z.data.end = z.raw.end - len("-->")
				return
			}
		case '!':
			if dashCount >= 2 {
				c = z.readByte()
				if z.err != nil {
					z.data.end = z.calculateAbruptCommentDataEnd()
					return
				} else if c == '>' {
					z.data.end = z.raw.end - len("--!>")
					return
				} else if c == '-' {
					dashCount = 1
					beginning = false
					continue
				}
			}
		}
		dashCount = 0
		beginning = false
	}
}

func (z *htmlTokenizer) calculateAbruptCommentDataEnd() int {
	raw := z.Raw()
	const prefixLen = len("<!--")
	if len(raw) >= prefixLen {
		raw = raw[prefixLen:]
		if hasSuffix(raw, "--!") {
			return z.raw.end - 3
		} else if hasSuffix(raw, "--") {
			return z.raw.end - 2
		} else if hasSuffix(raw, "-") {
			return z.raw.end - 1
		}
	}
	return z.raw.end
}

func hasSuffix(b []byte, suffix string) bool {
	if len(b) < len(suffix) {
		return false
	}
	b = b[len(b)-len(suffix):]
	for i := range b {
		if b[i] != suffix[i] {
			return false
		}
	}
	return true
}

// readUntilCloseAngle reads until the next ">".
func (z *htmlTokenizer) readUntilCloseAngle() {
	z.data.start = z.raw.end
	for {
		c := z.readByte()
		if z.err != nil {
			z.data.end = z.raw.end
			return
		}
		if c == '>' {
			z.data.end = z.raw.end - len(">")
			return
		}
	}
}

// readMarkupDeclaration reads the next token starting with "<!". It might be
// a "<!--comment-->", a "<!DOCTYPE foo>", a "<![CDATA[section]]>" or
// "<!a bogus comment". The opening "<!" has already been consumed.
func (z *htmlTokenizer) readMarkupDeclaration() html.TokenType {
	z.data.start = z.raw.end
	var c [2]byte
	for i := 0; i < 2; i++ {
		c[i] = z.readByte()
		if z.err != nil {
			// bogus comment
			z.data.end = z.raw.end
			if i == 1 && c[0] == '>' {
				z.data.end--
			}
			return html.CommentToken
		}
	}
	if c[0] == '-' && c[1] == '-' {
		z.readComment()
		return html.CommentToken
	}
	z.raw.end -= 2
	if z.readDoctype() {
		return html.DoctypeToken
	}
	if z.allowCDATA && z.readCDATA() {
		z.convertNUL = true
		return html.TextToken
	}
	// It's a bogus comment.
	z.readUntilCloseAngle()
	return html.CommentToken
}

// readDoctype attempts to read a doctype declaration and returns true if
// successful. The opening "<!" has already been consumed.
func (z *htmlTokenizer) readDoctype() bool {
	const s = "DOCTYPE"
	for i := 0; i < len(s); i++ {
		c := z.readByte()
		if z.err != nil {
			if z.err == io.EOF {
				// Back up to read the fragment of "DOCTYPE" again, reset
				// z.err to signal EOF on the next call
				z.raw.end = z.data.start
				z.err = nil
				return false
			}
			z.data.end = z.raw.end
			return false
		}
		if c != s[i] && c != s[i]+('a'-'A') {
			// Back up to read the fragment of "DOCTYPE" again.
			z.raw.end = z.data.start
			return false
		}
	}
	if z.skipWhiteSpace(); z.err != nil {
		z.data.start = z.raw.end
		z.data.end = z.raw.end
		return true
	}
	z.readUntilCloseAngle()
	return true
}

// readCDATA attempts to read a CDATA section and returns true if
// successful. The opening "<!" has already been consumed.
func (z *htmlTokenizer) readCDATA() bool {
	const s = "[CDATA["
	for i := 0; i < len(s); i++ {
		c := z.readByte()
		if z.err != nil {
			if z.err == io.EOF {
				// Back up to read the fragment of "[CDATA[" again, reset
				// z.err to signal EOF on the next call
				z.raw.end = z.data.start
				z.err = nil
				return false
			}
			z.data.end = z.raw.end
			return false
		}
		if c != s[i] {
			// Back up to read the fragment of "[CDATA[" again.
			z.raw.end = z.data.start
			return false
		}
	}
	z.data.start = z.raw.end
	brackets := 0
	for {
		c := z.readByte()
		if z.err != nil {
			z.data.end = z.raw.end
			return true
		}
		switch c {
		case ']':
			brackets++
		case '>':
			if brackets >= 2 {
				z.data.end = z.raw.end - len("]]>")
				return true
			}
			brackets = 0
		default:
			brackets = 0
		}
	}
}

// startTagIn returns whether the start tag in z.buf[z.data.start:z.data.end]
// case-insensitively matches any element of ss.
func (z *htmlTokenizer) startTagIn(ss ...string) bool {
loop:
	for _, s := range ss {
		if z.data.end-z.data.start != len(s) {
			continue loop
		}
		for i := 0; i < len(s); i++ {
			c := z.buf[z.data.start+i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != s[i] {
				continue loop
			}
		}
		return true
	}
	return false
}

// readStartTag reads the next start tag token. The opening "<a" has already
// been consumed, where 'a' means anything in [A-Za-z].
func (z *htmlTokenizer) readStartTag() html.TokenType {
	z.readTag(true)
	if z.err != nil {
		return html.ErrorToken
	}
	// Several tags flag the tokenizer's next token as raw.
	c, raw := z.buf[z.data.start], false
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	switch c {
	case 'i':
		raw = z.startTagIn("iframe")
	case 'n':
		raw = z.startTagIn("noembed", "noframes", "noscript")
	case 'p':
		raw = z.startTagIn("plaintext")
	case 's':
		raw = z.startTagIn("script", "style")
	case 't':
		raw = z.startTagIn("textarea", "title")
	case 'x':
		raw = z.startTagIn("xmp")
	}
	if raw {
		z.rawTag = strings.ToLower(string(z.buf[z.data.start:z.data.end]))
	}
	// Look for a self-closing token (e.g. <br/>).
	//
	// Originally, we did this by just checking that the last character of the
	// tag (ignoring the closing bracket) was a solidus (/) character, but this
	// is not always accurate.
	//
	// We need to be careful that we don't misinterpret a non-self-closing tag
	// as self-closing, as can happen if the tag contains unquoted attribute
	// values (i.e. <p a=/>).
	//
	// To avoid this, we check that the last non-bracket character of the tag
	// (z.raw.end-2) isn't the same character as the last non-quote character of
	// the last attribute of the tag (z.pendingAttr[1].end-1), if the tag has
	// attributes.
	nAttrs := len(z.attr)
	if z.err == nil && z.buf[z.raw.end-2] == '/' && (nAttrs == 0 || z.raw.end-2 != z.attr[nAttrs-1][1].end-1) {
		return html.SelfClosingTagToken
	}
	return html.StartTagToken
}

// readTag reads the next tag token and its attributes. If saveAttr, those
// attributes are saved in z.attr, otherwise z.attr is set to an empty slice.
// The opening "<a" or "</a" has already been consumed, where 'a' means anything
// in [A-Za-z].
func (z *htmlTokenizer) readTag(saveAttr bool) {
	z.attr = z.attr[:0]
	z.nAttrReturned = 0
	// Read the tag name and attribute key/value pairs.
	z.readTagName()
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	for {
		c := z.readByte()
		if z.err != nil || c == '>' {
			break
		}
		z.raw.end--
		z.readTagAttrKey()
		z.readTagAttrVal()
		// Save pendingAttr if saveAttr and that attribute has a non-empty key, and the key hasn't been seen before.
		if saveAttr && z.pendingAttr[0].start != z.pendingAttr[0].end && !z.seenAttr() {
			z.attr = append(z.attr, z.pendingAttr)
		}
		if z.skipWhiteSpace(); z.err != nil {
			break
		}
	}
}

// readTagName sets z.data to the "div" in "<div k=v>". The reader (z.raw.end)
// is positioned such that the first byte of the tag name (the "d" in "<div")
// has already been consumed.
// seenAttr reports whether the pending attribute's key, lower-cased, is
// the key of an attribute already kept: x/net/html keeps the first of
// duplicate attributes. Keys compare in place, without a map or a copy.
func (z *htmlTokenizer) seenAttr() bool {
	k := z.buf[z.pendingAttr[0].start:z.pendingAttr[0].end]
	for _, at := range z.attr {
		if equalLowerASCII(z.buf[at[0].start:at[0].end], k) {
			return true
		}
	}
	return false
}

// equalLowerASCII reports whether x and y are equal once A-Z are lower-cased.
func equalLowerASCII(x, y []byte) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		c, d := x[i], y[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

func (z *htmlTokenizer) readTagName() {
	z.data.start = z.raw.end - 1
	buf, i := z.buf, z.raw.end
	for i < len(buf) {
		c := buf[i]
		i++
		switch c {
		case ' ', '\n', '\r', '\t', '\f':
			z.raw.end = i
			z.data.end = i - 1
			return
		case '/', '>':
			z.raw.end = i - 1
			z.data.end = i - 1
			return
		}
	}
	z.raw.end = i
	z.err = io.EOF
	z.data.end = i
}

// readTagAttrKey sets z.pendingAttr[0] to the "k" in "<div k=v>".
// Precondition: z.err == nil.
func (z *htmlTokenizer) readTagAttrKey() {
	start := z.raw.end
	z.pendingAttr[0].start = start
	buf, i := z.buf, start
	for i < len(buf) {
		c := buf[i]
		i++
		switch c {
		case '=':
			if start+1 == i {
				// WHATWG 13.2.5.32, if we see an equals sign before the attribute name
				// begins, we treat it as a character in the attribute name and continue.
				continue
			}
			fallthrough
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			// WHATWG 13.2.5.33 Attribute name state
			// We need to reconsume the char in the after attribute name state to support the / character
			z.raw.end = i - 1
			z.pendingAttr[0].end = i - 1
			return
		}
	}
	z.raw.end = i
	z.err = io.EOF
	z.pendingAttr[0].end = i
}

// readTagAttrVal sets z.pendingAttr[1] to the "v" in "<div k=v>".
func (z *htmlTokenizer) readTagAttrVal() {
	z.pendingAttr[1].start = z.raw.end
	z.pendingAttr[1].end = z.raw.end
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	c := z.readByte()
	if z.err != nil {
		return
	}
	if c == '/' {
		// WHATWG 13.2.5.34 After attribute name state
		// U+002F SOLIDUS (/) - Switch to the self-closing start tag state.
		return
	}
	if c != '=' {
		z.raw.end--
		return
	}
	if z.skipWhiteSpace(); z.err != nil {
		return
	}
	quote := z.readByte()
	if z.err != nil {
		return
	}
	switch quote {
	case '>':
		z.raw.end--
		return

	case '\'', '"':
		z.pendingAttr[1].start = z.raw.end
		k := bytes.IndexByte(z.buf[z.raw.end:], quote)
		if k < 0 {
			z.raw.end = len(z.buf)
			z.err = io.EOF
			z.pendingAttr[1].end = z.raw.end
			return
		}
		z.raw.end += k + 1
		z.pendingAttr[1].end = z.raw.end - 1
		return

	default:
		z.pendingAttr[1].start = z.raw.end - 1
		buf, i := z.buf, z.raw.end
		for i < len(buf) {
			c := buf[i]
			i++
			switch c {
			case ' ', '\n', '\r', '\t', '\f':
				z.raw.end = i
				z.pendingAttr[1].end = i - 1
				return
			case '>':
				z.raw.end = i - 1
				z.pendingAttr[1].end = i - 1
				return
			}
		}
		z.raw.end = i
		z.err = io.EOF
		z.pendingAttr[1].end = i
	}
}

// Next scans the next token and returns its type.
func (z *htmlTokenizer) Next() html.TokenType {
	z.scratch = z.scratch[:0]
	z.raw.start = z.raw.end
	z.data.start = z.raw.end
	z.data.end = z.raw.end
	if z.err != nil {
		z.tt = html.ErrorToken
		return z.tt
	}
	if z.rawTag != "" {
		if z.rawTag == "plaintext" {
			// Read everything up to EOF.
			for z.err == nil {
				z.readByte()
			}
			z.data.end = z.raw.end
			z.textIsRaw = true
		} else {
			z.readRawOrRCDATA()
		}
		if z.data.end > z.data.start {
			z.tt = html.TextToken
			z.convertNUL = true
			return z.tt
		}
	}
	z.textIsRaw = false
	z.convertNUL = false

loop:
	for {
		// Text runs to the next '<'; tags often follow each other
		// directly.
		k := 0
		if rest := z.buf[z.raw.end:]; len(rest) == 0 || rest[0] != '<' {
			k = bytes.IndexByte(rest, '<')
		}
		if k < 0 {
			z.raw.end = len(z.buf)
			z.err = io.EOF
			break loop
		}
		z.raw.end += k + 1
		var c byte

		// Check if the '<' we have just read is part of a tag, comment
		// or doctype. If not, it's part of the accumulated text token.
		c = z.readByte()
		if z.err != nil {
			break loop
		}
		var tokenType html.TokenType
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			tokenType = html.StartTagToken
		case c == '/':
			tokenType = html.EndTagToken
		case c == '!' || c == '?':
			// We use html.CommentToken to mean any of "<!--actual comments-->",
			// "<!DOCTYPE declarations>" and "<?xml processing instructions?>".
			tokenType = html.CommentToken
		default:
			// Reconsume the current character.
			z.raw.end--
			continue
		}

		// We have a non-text token, but we might have accumulated some text
		// before that. If so, we return the text first, and return the non-
		// text token on the subsequent call to Next.
		if x := z.raw.end - len("<a"); z.raw.start < x {
			z.raw.end = x
			z.data.end = x
			z.tt = html.TextToken
			return z.tt
		}
		switch tokenType {
		case html.StartTagToken:
			pos := z.raw.end - len("<a")
			if e := z.seenStart(pos); e != nil {
				z.tt = e.reuse(z, pos)
				return z.tt
			}
			z.tt = z.readStartTag()
			z.rememberStart(pos)
			return z.tt
		case html.EndTagToken:
			c = z.readByte()
			if z.err != nil {
				break loop
			}
			if c == '>' {
				// "</>" does not generate a token at all. Generate an empty comment
				// to allow passthrough clients to pick up the data using Raw.
				// Reset the tokenizer state and start again.
				z.tt = html.CommentToken
				return z.tt
			}
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				z.readTag(false)
				if z.err != nil {
					z.tt = html.ErrorToken
				} else {
					z.tt = html.EndTagToken
				}
				return z.tt
			}
			z.raw.end--
			z.readUntilCloseAngle()
			z.tt = html.CommentToken
			return z.tt
		case html.CommentToken:
			if c == '!' {
				z.tt = z.readMarkupDeclaration()
				return z.tt
			}
			z.raw.end--
			z.readUntilCloseAngle()
			z.tt = html.CommentToken
			return z.tt
		}
	}
	if z.raw.start < z.raw.end {
		z.data.end = z.raw.end
		z.tt = html.TextToken
		return z.tt
	}
	z.tt = html.ErrorToken
	return z.tt
}

// Raw returns the unmodified text of the current token. Calling Next, Token,
// Text, TagName or TagAttr may change the contents of the returned slice.
//
// The token stream's raw bytes partition the byte stream (up until an
// html.ErrorToken). There are no overlaps or gaps between two consecutive token's
// raw bytes. One implication is that the byte offset of the current token is
// the sum of the lengths of all previous tokens' raw bytes.
func (z *htmlTokenizer) Raw() []byte {
	return z.buf[z.raw.start:z.raw.end]
}

// convertNewlines converts "\r" and "\r\n" in s to "\n".
// The conversion happens in place, but the resulting slice may be shorter.
func convertNewlines(s []byte) []byte {
	k := bytes.IndexByte(s, '\r')
	if k < 0 {
		return s
	}
	for i, c := range s[k:] {
		i += k
		if c != '\r' {
			continue
		}

		src := i + 1
		if src >= len(s) || s[src] != '\n' {
			s[i] = '\n'
			continue
		}

		dst := i
		for src < len(s) {
			if s[src] == '\r' {
				if src+1 < len(s) && s[src+1] == '\n' {
					src++
				}
				s[dst] = '\n'
			} else {
				s[dst] = s[src]
			}
			src++
			dst++
		}
		return s[:dst]
	}
	return s
}

var (
	nul         = []byte("\x00")
	replacement = []byte("\ufffd")
)

// Text returns the unescaped text of a text, comment or doctype token. The
// contents of the returned slice may change on the next call to Next.
func (z *htmlTokenizer) Text() []byte {
	switch z.tt {
	case html.TextToken, html.CommentToken, html.DoctypeToken:
		s := z.buf[z.data.start:z.data.end]
		z.data.start = z.raw.end
		z.data.end = z.raw.end
		owned := false
		if z.hasCR && bytes.IndexByte(s, '\r') >= 0 {
			s, owned = convertNewlines(z.own(s)), true
		}
		if z.hasNUL && (z.convertNUL || z.tt == html.CommentToken) && bytes.Contains(s, nul) {
			s, owned = bytes.Replace(s, nul, replacement, -1), true
		}
		if !z.textIsRaw && bytes.IndexByte(s, '&') >= 0 {
			if !owned {
				s = z.own(s)
			}
			s = unescape(s, false)
		}
		return s
	}
	return nil
}

// TagName returns the lower-cased name of a tag token (the `img` out of
// `<IMG SRC="foo">`) and whether the tag has attributes.
// The contents of the returned slice may change on the next call to Next.
// tagAttrIf is TagAttr, but decodes the value only of an attribute whose
// lower-cased key want accepts (val is nil otherwise): most attributes of a
// page are of no interest to the reader.
func (z *htmlTokenizer) tagAttrIf(want func([]byte) bool) (key, val []byte, kept, moreAttr bool) {
	if z.nAttrReturned < len(z.attr) {
		switch z.tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			x := z.attr[z.nAttrReturned]
			z.nAttrReturned++
			key = z.name(z.buf[x[0].start:x[0].end])
			if !want(key) {
				return key, nil, false, z.nAttrReturned < len(z.attr)
			}
			return key, z.attrVal(z.buf[x[1].start:x[1].end]), true, z.nAttrReturned < len(z.attr)
		}
	}
	return nil, nil, false, false
}

func (z *htmlTokenizer) TagName() (name []byte, hasAttr bool) {
	if z.data.start < z.data.end {
		switch z.tt {
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			s := z.name(z.buf[z.data.start:z.data.end])
			z.data.start = z.raw.end
			z.data.end = z.raw.end
			return s, z.nAttrReturned < len(z.attr)
		}
	}
	return nil, false
}

// TagAttr returns the lower-cased key and unescaped value of the next unparsed
// attribute for the current tag token and whether there are more attributes.
// The contents of the returned slices may change on the next call to Next.
func (z *htmlTokenizer) TagAttr() (key, val []byte, moreAttr bool) {
	if z.nAttrReturned < len(z.attr) {
		switch z.tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			x := z.attr[z.nAttrReturned]
			z.nAttrReturned++
			key = z.name(z.buf[x[0].start:x[0].end])
			return key, z.attrVal(z.buf[x[1].start:x[1].end]), z.nAttrReturned < len(z.attr)
		}
	}
	return nil, nil, false
}

// These replacements permit compatibility with old numeric entities that
// assumed Windows-1252 encoding.
// https://html.spec.whatwg.org/multipage/syntax.html#consume-a-character-reference
var replacementTable = [...]rune{
	'\u20AC', // First entry is what 0x80 should be replaced with.
	'\u0081',
	'\u201A',
	'\u0192',
	'\u201E',
	'\u2026',
	'\u2020',
	'\u2021',
	'\u02C6',
	'\u2030',
	'\u0160',
	'\u2039',
	'\u0152',
	'\u008D',
	'\u017D',
	'\u008F',
	'\u0090',
	'\u2018',
	'\u2019',
	'\u201C',
	'\u201D',
	'\u2022',
	'\u2013',
	'\u2014',
	'\u02DC',
	'\u2122',
	'\u0161',
	'\u203A',
	'\u0153',
	'\u009D',
	'\u017E',
	'\u0178', // Last entry is 0x9F.
	// 0x00->'\uFFFD' is handled programmatically.
	// 0x0D->'\u000D' is a no-op.
}

// unescapeEntity attempts to consume a character reference from s[src:],
// returning the rune, potential second rune, and number of bytes consumed
// (which indicates the length of the character reference). It is assumed that
// the first byte of s is '&'. attribute should be true if parsing an attribute
// value.
func unescapeEntity(s []byte, attribute bool) (rune, rune, int) {
	// https://html.spec.whatwg.org/multipage/syntax.html#consume-a-character-reference

	// i starts at 1 because we already know that s[0] == '&'.
	i := 1

	if len(s) <= 1 {
		return '&', 0, 1
	}

	if s[i] == '#' {
		if len(s) <= 2 { // We need to have at least "&#".
			return '&', 0, 1
		}
		i++
		c := s[i]
		hex := false
		if c == 'x' || c == 'X' {
			hex = true
			i++
		}

		i0 := i
		x := '\x00'
		for i < len(s) {
			c = s[i]
			var d rune
			var mult rune
			if hex {
				mult = 16
				if '0' <= c && c <= '9' {
					d = rune(c) - '0'
				} else if 'a' <= c && c <= 'f' {
					d = rune(c) - 'a' + 10
				} else if 'A' <= c && c <= 'F' {
					d = rune(c) - 'A' + 10
				} else {
					break
				}
			} else {
				mult = 10
				if '0' <= c && c <= '9' {
					d = rune(c) - '0'
				} else {
					break
				}
			}
			if x <= 0x10FFFF {
				x = mult*x + d
			}
			i++
		}

		if i == i0 { // No characters matched.
			return '&', 0, 1
		}

		if i < len(s) && s[i] == ';' {
			i++
		}

		if 0x80 <= x && x <= 0x9F {
			// Replace characters from Windows-1252 with UTF-8 equivalents.
			x = replacementTable[x-0x80]
		} else if x == 0 || (0xD800 <= x && x <= 0xDFFF) || x > 0x10FFFF {
			// Replace invalid characters with the replacement character.
			x = '\uFFFD'
		}

		return x, 0, i
	}

	// Consume the maximum number of characters possible, with the
	// consumed characters matching one of the named references.

	for i < len(s) {
		c := s[i]
		i++
		// Lower-cased characters are more common in entities, so we check for them first.
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if c != ';' {
			i--
		}
		break
	}

	entityName := string(s[1:i])
	if entityName == "" {
		// No-op.
	} else if attribute && entityName[len(entityName)-1] != ';' && len(s) > i && s[i] == '=' {
		// No-op.
	} else if x := lookupEntity(entityName); x[0] != 0 {
		return x[0], x[1], i
	} else if !attribute {
		maxLen := min(len(entityName)-1, longestEntityWithoutSemicolon)
		for j := maxLen; j > 1; j-- {
			if x := lookupEntity(entityName[:j]); x[0] != 0 && x[1] == 0 {
				return x[0], 0, j + 1
			}
		}
	}

	return '&', 0, 1
}

// unescape unescapes b's entites, so that "a&lt;b" becomes "a<b". It attempts
// to do so in place, but if the unescaped value is longer than the input it
// allocates a new slice. attribute should be true if parsing an attribute
// value.
func unescape(b []byte, attribute bool) []byte {
	firstAmp := bytes.IndexByte(b, '&')
	if firstAmp == -1 {
		return b
	}

	out := b[:firstAmp]
	src := firstAmp
	reusingB := true
	for src < len(b) {
		if b[src] != '&' {
			// Copy up to the next '&' at once (out may overlap b, behind
			// src: append moves the bytes forward correctly).
			k := bytes.IndexByte(b[src:], '&')
			if k < 0 {
				k = len(b) - src
			}
			out = append(out, b[src:src+k]...)
			src += k
			continue
		}

		r1, r2, entityNameLen := unescapeEntity(b[src:], attribute)
		if entityNameLen == 1 && r1 == '&' {
			// Not an entity
			out = append(out, '&')
			src++
			continue
		}

		// Compute replacement length
		replLen := utf8.RuneLen(r1)
		if r2 != 0 {
			replLen += utf8.RuneLen(r2)
		}

		// If the name of the entity is shorter than the width of the
		// replacement runes then we need to expand the output slice to
		// fit the replacement.
		if replLen > entityNameLen {
			if reusingB {
				out = slices.Clone(out)
				reusingB = false
			}
			out = slices.Grow(out, replLen)
		}
		out = utf8.AppendRune(out, r1)
		if r2 != 0 {
			out = utf8.AppendRune(out, r2)
		}

		src += entityNameLen
	}

	return out
}

// lower lower-cases the A-Z bytes in b in-place, so that "aBc" becomes "abc".
func lower(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}
