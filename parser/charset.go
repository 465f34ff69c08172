package parser

import (
	"bytes"
	"encoding/binary"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// The rules that decide an HTML page's character set, in the order they are
// tried; Document.CharsetRule holds the one that decided.
const (
	RuleBOM     = "bom"     // a byte order mark
	RuleCaller  = "caller"  // Options.Charset, and the bytes decode cleanly under it
	RuleMeta    = "meta"    // a <meta> declaration in the head, and the bytes decode cleanly under it
	RuleUTF8    = "utf-8"   // the bytes are valid UTF-8
	RuleGB18030 = "gb18030" // none of the above: GB18030, the superset of GBK and GB2312
)

// MetaCharsetDeclared is the Document.Meta key that records a declared
// character set (caller's or meta) which the bytes did not bear out.
const MetaCharsetDeclared = "charset_declared"

// metaScanLimit bounds how far into a page the head is searched for a
// charset declaration when no <body> or </head> ends the search first.
const metaScanLimit = 1 << 20

// decodedPage is an HTML page turned into UTF-8.
type decodedPage struct {
	text     []byte
	charset  string  // the name the page was decoded under
	rule     string  // one of the Rule* constants
	declared string  // a declaration that was tried and refused, if any
	invalid  int     // byte sequences the declared charset could not decode, now U+FFFD
	pooled   *[]byte // text's storage, from decodeBuffers
}

// release gives the page's storage back for another page's decoding; p.text
// must not be used afterwards.
func (p *decodedPage) release() {
	if p.pooled != nil {
		putDecodeBuffer(p.pooled)
		p.pooled, p.text = nil, nil
	}
}

// decodeBuffers holds buffers that pages were decoded into (*[]byte).
var decodeBuffers sync.Pool

func getDecodeBuffer() *[]byte {
	if b, ok := decodeBuffers.Get().(*[]byte); ok {
		return b
	}
	return new([]byte)
}

func putDecodeBuffer(b *[]byte) {
	if cap(*b) <= 16<<20 { // do not hold on to what a hostile page needed
		*b = (*b)[:0]
		decodeBuffers.Put(b)
	}
}

// decodeGB18030Pooled is decodeGB18030 into a buffer of decodeBuffers.
func decodeGB18030Pooled(src []byte) ([]byte, *[]byte) {
	buf := getDecodeBuffer()
	out, ok := decodeGB18030Fast((*buf)[:0], src)
	*buf = out
	if ok {
		return out, buf
	}
	putDecodeBuffer(buf)
	out, _ = simplifiedchinese.GB18030.NewDecoder().Bytes(src)
	return out, nil
}

// decodeHTML decides the character set of an HTML page and returns its text
// as UTF-8. charset.DetermineEncoding is not used: it reads only 1024 bytes
// and falls back to windows-1252, which garbles Chinese pages.
func decodeHTML(data []byte, caller string) decodedPage {
	if p, ok := decodeBOM(data); ok {
		return p
	}
	var refused string
	if name := normalizeCharsetName(caller); name != "" {
		out, pooled, verdict, invalid := tryCharset(name, data, false)
		if verdict == charsetClean {
			return decodedPage{text: out, charset: name, rule: RuleCaller, invalid: invalid, pooled: pooled}
		}
		refused = name
	}
	if name := normalizeCharsetName(findMetaCharset(data)); name != "" {
		out, pooled, verdict, invalid := tryCharset(name, data, true)
		if verdict == charsetClean {
			return decodedPage{text: out, charset: name, rule: RuleMeta, declared: refused, invalid: invalid, pooled: pooled}
		}
		if refused == "" {
			refused = name
		}
	}
	if utf8.Valid(data) {
		return decodedPage{text: data, charset: "utf-8", rule: RuleUTF8, declared: refused}
	}
	out, pooled := decodeGB18030Pooled(data)
	return decodedPage{text: out, charset: "gb18030", rule: RuleGB18030, declared: refused, pooled: pooled}
}

// decodeBOM decodes a page that starts with a UTF-8 or UTF-16 byte order mark.
func decodeBOM(data []byte) (decodedPage, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		text := data[3:]
		if !utf8.Valid(text) {
			text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
		}
		return decodedPage{text: text, charset: "utf-8", rule: RuleBOM}, true
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		out, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder().Bytes(data[2:])
		return decodedPage{text: out, charset: "utf-16le", rule: RuleBOM}, true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, _ := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder().Bytes(data[2:])
		return decodedPage{text: out, charset: "utf-16be", rule: RuleBOM}, true
	}
	return decodedPage{}, false
}

type charsetVerdict int

const (
	charsetClean   charsetVerdict = iota // decodes without a single invalid sequence
	charsetUnknown                       // not a name the Encoding Standard knows
	charsetDirty                         // invalid sequences, or the declaration is implausible
	charsetIsUTF8                        // declared legacy, but the bytes are multi-byte UTF-8
)

// maxStrayPercent is how many of a page's non-ASCII bytes may be stray
// (undecodable under the declared charset) for the declaration to stand:
// one bad byte in a UTF-8 page is damage, not a sign of another charset,
// while text in another charset fails on nearly every non-ASCII byte.
const maxStrayPercent = 1

// tryCharset decodes data under the named character set and says whether it
// did so cleanly, or with so few invalid sequences (returned, each now
// U+FFFD) that the declaration still holds. fromMeta applies the HTML rule
// that a meta declaration of UTF-16 means UTF-8. The decoded text may sit
// in a buffer of decodeBuffers, returned beside it.
func tryCharset(name string, data []byte, fromMeta bool) ([]byte, *[]byte, charsetVerdict, int) {
	if fromMeta && strings.HasPrefix(name, "utf-16") {
		name = "utf-8"
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, nil, charsetUnknown, 0
	}
	if enc == xunicode.UTF8 {
		if utf8.Valid(data) {
			return data, nil, charsetClean, 0
		}
		if bad := invalidUTF8(data); bad*100 <= maxStrayPercent*highBytes(data) {
			return bytes.ToValidUTF8(data, []byte("\uFFFD")), nil, charsetClean, bad
		}
		return nil, nil, charsetDirty, 0
	}
	// A legacy declaration over bytes that are valid UTF-8 with multi-byte
	// sequences is almost always a stale template: GBK decoding of UTF-8
	// "succeeds" and produces mojibake.
	if hasHighByte(data) && utf8.Valid(data) {
		return nil, nil, charsetIsUTF8, 0
	}
	if enc == simplifiedchinese.GBK || enc == simplifiedchinese.GB18030 {
		enc = simplifiedchinese.GB18030
		buf := getDecodeBuffer()
		out, ok := decodeGB18030Fast((*buf)[:0], data)
		*buf = out
		if ok {
			// Every sequence decoded to a character: no U+FFFD was made.
			return out, buf, charsetClean, 0
		}
		putDecodeBuffer(buf)
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, nil, charsetDirty, 0
	}
	bad := 0
	if bytes.ContainsRune(out, utf8.RuneError) {
		bad = bytes.Count(out, []byte("\uFFFD")) - bytes.Count(data, []byte("\uFFFD"))
		if bad <= 0 || bad*100 > maxStrayPercent*highBytes(data) {
			return nil, nil, charsetDirty, 0
		}
	}
	if isSingleByte(enc) && looksGB18030(data) {
		// windows-1252 or ISO-8859-x decode anything; Chinese text under such a
		// declaration is a wrong declaration, not Latin mojibake.
		return nil, nil, charsetDirty, 0
	}
	return out, nil, charsetClean, bad
}

// invalidUTF8 counts the runs of bytes that are not UTF-8 (each becomes
// one U+FFFD under bytes.ToValidUTF8).
func invalidUTF8(data []byte) int {
	n, inBad := 0, false
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			if !inBad {
				n++
			}
			inBad = true
		} else {
			inBad = false
		}
		data = data[size:]
	}
	return n
}

func highBytes(data []byte) int {
	n := 0
	for _, b := range data {
		if b >= utf8.RuneSelf {
			n++
		}
	}
	return n
}

// isSingleByte reports whether enc is one of the single-byte charmaps, which
// accept (nearly) every byte sequence.
func isSingleByte(enc encoding.Encoding) bool {
	_, ok := enc.(*charmap.Charmap)
	return ok
}

// looksGB18030 reports whether the non-ASCII bytes of data decode cleanly as
// GB18030 into mostly Han characters and CJK punctuation.
func looksGB18030(data []byte) bool {
	if !hasHighByte(data) {
		return false
	}
	buf := getDecodeBuffer()
	defer putDecodeBuffer(buf)
	out, ok := decodeGB18030Fast((*buf)[:0], data)
	*buf = out
	if !ok {
		var err error
		out, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return false
		}
	}
	var cjk, other int
	for _, r := range string(out) {
		switch {
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF:
			cjk++
		default:
			other++
		}
	}
	return cjk >= 4 && cjk >= 2*other
}

func hasHighByte(data []byte) bool {
	for _, b := range data {
		if b >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// normalizeCharsetName lower-cases a declared name and strips quotes and
// spaces around it.
func normalizeCharsetName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Trim(s, "\"' \t\r\n")
	return s
}

// findMetaCharset returns the first character set declared by a <meta
// charset> or <meta http-equiv="Content-Type" content="…charset=…"> in the
// head of a page, wherever it sits in the head (not only in the first 1024
// bytes). The raw bytes are tokenized: tag names and attribute names are
// ASCII in every encoding a page may declare here.
func findMetaCharset(data []byte) string {
	if len(data) > metaScanLimit {
		data = data[:metaScanLimit]
	}
	// htmlTokenizer gives x/net/html's tokens without copying the page
	// into a buffer of its own; not knowing whether the page holds NUL or
	// CR bytes, it looks for them in each token it reads.
	z := &htmlTokenizer{buf: data, hasNUL: true, hasCR: true}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) == "head" {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				if cs := metaTagCharset(z, hasAttr); cs != "" {
					return cs
				}
			}
		}
	}
}

// metaTagCharset reads the attributes of the current <meta> token.
func metaTagCharset(z *htmlTokenizer, hasAttr bool) string {
	var charset, httpEquiv, content string
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "charset":
			charset = string(v)
		case "http-equiv":
			httpEquiv = strings.ToLower(strings.TrimSpace(string(v)))
		case "content":
			content = string(v)
		}
	}
	if charset != "" {
		return charset
	}
	if httpEquiv == "content-type" {
		return charsetFromContent(content)
	}
	return ""
}

// charsetFromContent extracts the charset parameter of a Content-Type value
// the way the HTML standard does: leniently, quoted or not.
func charsetFromContent(s string) string {
	for {
		i := indexFoldASCII(s, "charset")
		if i < 0 {
			return ""
		}
		s = s[i+len("charset"):]
		rest := strings.TrimLeft(s, " \t\r\n\f")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n\f")
		if rest == "" {
			return ""
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if j := strings.IndexByte(rest[1:], q); j >= 0 {
				return rest[1 : 1+j]
			}
			return ""
		}
		if j := strings.IndexAny(rest, "; \t\r\n\f"); j >= 0 {
			return rest[:j]
		}
		return rest
	}
}

// indexFoldASCII is strings.Index ignoring ASCII case; unlike ToLower it
// keeps byte offsets of non-UTF-8 input intact. sub must be lower case.
func indexFoldASCII(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
			j++
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

// looksBinary reports whether data is not text: it holds NUL bytes or many
// other control characters. Pages with a UTF-16 BOM are checked after
// decoding.
func looksBinary(data []byte) bool {
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
		if bytes.IndexByte(data[len(sample):], 0) >= 0 {
			return true
		}
	}
	var ctl int
	i := 0
	for i < len(sample) {
		// Skip eight bytes at a time while none is below 0x20 (the
		// classic test for a zero byte, on each byte minus 0x20).
		for i+8 <= len(sample) {
			x := binary.LittleEndian.Uint64(sample[i:])
			if (x-0x2020202020202020)&^x&0x8080808080808080 != 0 {
				break
			}
			i += 8
		}
		end := min(i+8, len(sample))
		for _, b := range sample[i:end] {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B {
				if b == 0 {
					return true
				}
				ctl++
			}
		}
		i = end
	}
	return ctl > len(sample)/100+2
}
