package extract

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"ogi/region"
)

// ParseJSON reads a record as AppendJSON and encoding/json write it,
// several times faster than encoding/json: loading a file of records
// spent most of its own time decoding them. It takes only what it can
// read exactly as encoding/json with unknown fields disallowed would:
// every key spelled as the record's and given once, no null where
// encoding/json would keep a zero value, strings of valid UTF-8. For
// anything else ok is false, and the caller decodes the line with
// encoding/json, which says what is wrong with it.
func ParseJSON(b []byte) (r Record, ok bool) {
	r, _, ok = ParseJSONLine(b)
	return r, ok
}

// ParseJSONLine is ParseJSON that also gives the line when b is
// canonical, exactly what AppendJSON writes of the record without HTML
// escaping (extract's JSONL), so a store may send b itself instead of
// encoding the record again; line is nil otherwise. Canonical means no
// white space, every member the encoder writes and no other, in its
// order, map keys in byte order, numbers and escapes as it writes them.
func ParseJSONLine(b []byte) (r Record, line *Line, ok bool) {
	return parseJSONLine(b, false)
}

// ParseJSONLineLean is ParseJSONLine that reads the record's raw cell
// texts and sections without keeping them: Raw and Sections are nil. It
// is for a store that sends the line itself (a load spent a third of its
// decoding making those maps); ok and the line are ParseJSONLine's.
func ParseJSONLineLean(b []byte) (r Record, line *Line, ok bool) {
	return parseJSONLine(b, true)
}

func parseJSONLine(b []byte, lean bool) (r Record, line *Line, ok bool) {
	p := jsonParser{b: b, lean: lean}
	p.record(&r)
	p.ws()
	if p.bad || p.i != len(p.b) {
		return Record{}, nil, false
	}
	if p.nc {
		return r, nil, true
	}
	return r, &Line{JSON: b, checksEnd: p.checksEnd}, true
}

// A Line is a record's JSON exactly as AppendJSON writes it without HTML
// escaping (ParseJSONLine).
type Line struct {
	JSON      []byte
	checksEnd int // where the checks value ends: after its ] or its null
}

// AppendWithChecks appends the JSON AppendJSON writes, without HTML
// escaping, of the line's record with extra checks after its own.
func (l *Line) AppendWithChecks(b []byte, extra []Check) []byte {
	if len(extra) == 0 {
		return append(b, l.JSON...)
	}
	j := l.checksEnd
	if l.JSON[j-1] == ']' {
		b = append(b, l.JSON[:j-1]...)
		if l.JSON[j-2] != '[' {
			b = append(b, ',')
		}
	} else { // null: the record had no checks
		b = append(b, l.JSON[:j-len("null")]...)
		b = append(b, '[')
	}
	e := jsonEncoder{b: b}
	for i, c := range extra {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.check(c)
	}
	b = append(e.b, ']')
	return append(b, l.JSON[j:]...)
}

// RecordKeys reads a record line's report_key and source url and path
// without decoding the record (load groups lines by them). It stops once
// it has read both members (extract writes them first, before the fields
// and the text): a line giving one twice may be grouped by the first,
// which only costs a document written twice. ok is false when the line is
// not a JSON object as far as it was read; the full decoding reports what
// is wrong.
func RecordKeys(line []byte) (report, url, path string, ok bool) {
	p := jsonParser{b: line, loose: true}
	var haveReport, haveSource bool
	p.object(func(key []byte) {
		switch string(key) {
		case "report_key":
			haveReport = true
			if p.peek() != '"' {
				p.skip()
				return
			}
			report = p.str()
		case "source":
			haveSource = true
			if p.peek() != '{' {
				p.skip()
				return
			}
			p.object(func(key []byte) {
				switch {
				case string(key) == "url" && p.peek() == '"':
					url = p.str()
				case string(key) == "path" && p.peek() == '"':
					path = p.str()
				default:
					p.skip()
				}
			})
		default:
			p.skip()
		}
		p.stop = haveReport && haveSource
	})
	return report, url, path, !p.bad
}

type jsonParser struct {
	b   []byte
	i   int
	bad bool
	// loose (RecordKeys) reads any string encoding/json reads, lone
	// surrogates too, through encoding/json; stop ends the object being
	// read after its current member.
	loose, stop bool
	// nc says the text read so far is not what AppendJSON writes
	// (ParseJSONLine).
	nc bool
	// lean reads raw and sections without keeping them
	// (ParseJSONLineLean).
	lean bool
	// Numbers of the record's fields, gathered to be made into one string
	// and one slice of numbers.
	numBuf  []byte
	numKeys []string
	numEnds []int // end of each number in numBuf; -1 for null
	// checksEnd is where the record's checks value ended.
	checksEnd int
}

func (p *jsonParser) fail() { p.bad = true }

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
			p.nc = true
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end.
func (p *jsonParser) peek() byte {
	p.ws()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *jsonParser) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	p.fail()
	return false
}

// null consumes a null if one is next.
func (p *jsonParser) null() bool {
	if p.peek() == 'n' && p.i+4 <= len(p.b) && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// object reads the members of an object, calling member with the scanner
// at each value.
func (p *jsonParser) object(member func(key []byte)) {
	if !p.eat('{') {
		return
	}
	if p.peek() == '}' {
		p.i++
		return
	}
	for !p.bad {
		key, ok := p.rawKey()
		if !ok || !p.eat(':') {
			p.fail()
			return
		}
		member(key)
		if p.bad || p.stop {
			return
		}
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return
		default:
			p.fail()
			return
		}
	}
}

// rawKey reads a key; one with escapes is unescaped into a new slice.
func (p *jsonParser) rawKey() ([]byte, bool) {
	if p.peek() != '"' {
		return nil, false
	}
	start := p.i + 1
	j := p.plainEnd(start)
	switch {
	case j < len(p.b) && p.b[j] == '"':
		p.i = j + 1
		k := p.b[start:j]
		return k, utf8.Valid(k)
	case j < len(p.b) && p.b[j] == '\\':
		if p.loose {
			p.i = start - 1
			k := p.looseStr()
			return []byte(k), !p.bad
		}
		k := p.escaped(start)
		return []byte(k), !p.bad
	}
	return nil, false // a control character, or the end
}

// str reads a string value.
func (p *jsonParser) str() string {
	if p.loose {
		return p.looseStr()
	}
	if p.peek() != '"' {
		p.fail()
		return ""
	}
	start := p.i + 1
	j := p.plainEnd(start)
	switch {
	case j < len(p.b) && p.b[j] == '"':
		s := p.b[start:j]
		p.i = j + 1
		if !utf8.Valid(s) {
			p.fail()
			return ""
		}
		return string(s)
	case j < len(p.b) && p.b[j] == '\\':
		return p.escaped(start)
	}
	p.fail() // a control character, or the end
	return ""
}

// skipStr reads a string value as str does, without making it.
func (p *jsonParser) skipStr() {
	if p.loose || p.peek() != '"' {
		p.str()
		return
	}
	start := p.i + 1
	if j := p.plainEnd(start); j < len(p.b) && p.b[j] == '"' {
		if !utf8.Valid(p.b[start:j]) {
			p.fail()
		}
		p.i = j + 1
		return
	}
	p.str() // from the opening quote again: an escape, or an error
}

// plainEnd returns where the text of a string that begins at start stops
// being plain: at its closing quote, a backslash, a control character or
// the end of the input. A U+2028 or U+2029 passed on the way marks the
// text not canonical.
func (p *jsonParser) plainEnd(start int) int {
	j := start
	for ; j < len(p.b); j++ {
		if c := p.b[j]; strStop[c] {
			if c != 0xE2 {
				break
			}
			p.lineSep(j)
		}
	}
	return j
}

// strStop[c] is whether str stops at byte c: a quote, a backslash, a
// control character, or 0xE2, which may begin U+2028 or U+2029.
var strStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'], t[0xE2] = true, true, true
	return t
}()

// lineSep marks the text not canonical if U+2028 or U+2029 begins at j:
// AppendJSON escapes them.
func (p *jsonParser) lineSep(j int) {
	if j+2 < len(p.b) && p.b[j] == 0xE2 && p.b[j+1] == 0x80 && p.b[j+2]&^1 == 0xA8 {
		p.nc = true
	}
}

// rawString passes over the string at p.i, unchecked, and returns it
// with its quotes.
func (p *jsonParser) rawString() []byte {
	start := p.i
	for j := p.i + 1; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			j++
		case '"':
			p.i = j + 1
			return p.b[start:p.i]
		}
	}
	p.fail()
	return nil
}

// looseStr reads a string as encoding/json does, invalid UTF-8 and lone
// surrogates made U+FFFD, through encoding/json when it holds an escape.
func (p *jsonParser) looseStr() string {
	if p.peek() != '"' {
		p.fail()
		return ""
	}
	raw := p.rawString()
	if p.bad {
		return ""
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		p.fail()
	}
	return v
}

// skip passes over one value of any kind, unchecked but for its brackets.
func (p *jsonParser) skip() {
	switch p.peek() {
	case 0:
		p.fail()
	case '"':
		p.rawString()
	case '{', '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				if p.rawString(); p.bad {
					return
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					return
				}
			}
			p.i++
		}
		p.fail()
	default: // number, true, false, null
		start := p.i
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				if p.i == start {
					p.fail()
				}
				return
			}
			p.i++
		}
	}
}

// escaped reads a string with escapes that began at start.
func (p *jsonParser) escaped(start int) string {
	// The unescaped text is no longer than the quoted one.
	end := start
	for end < len(p.b) && p.b[end] != '"' {
		if p.b[end] == '\\' {
			end++
		}
		end++
	}
	out := make([]byte, 0, end-start)
	j := start
	for j < len(p.b) {
		// Copy up to the next quote, escape or control character at once.
		k := p.plainEnd(j)
		out = append(out, p.b[j:k]...)
		j = k
		if j >= len(p.b) {
			break
		}
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			if !utf8.Valid(out) {
				p.fail()
				return ""
			}
			return string(out)
		case c < 0x20:
			p.fail()
			return ""
		}
		if j+1 >= len(p.b) {
			break
		}
		switch e := p.b[j+1]; e {
		case '"', '\\', '/':
			if e == '/' {
				p.nc = true // AppendJSON writes / as it is
			}
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(p.b, j+2)
			if !ok {
				p.fail()
				return ""
			}
			if !p.nc && !canonicalU(r, p.b[j+2:j+6]) {
				p.nc = true
			}
			j += 6
			if utf16.IsSurrogate(r) {
				// Only a whole pair is taken; encoding/json puts U+FFFD
				// for a lone half, which is left to it.
				r2, ok := rune(0), j+1 < len(p.b) && p.b[j] == '\\' && p.b[j+1] == 'u'
				if ok {
					r2, ok = hex4(p.b, j+2)
				}
				dec := utf16.DecodeRune(r, r2)
				if !ok || dec == utf8.RuneError {
					p.fail()
					return ""
				}
				r = dec
				j += 6
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			p.fail()
			return ""
		}
		j += 2
	}
	p.fail()
	return ""
}

// canonicalU reports whether \u and hex (which reads r) is how AppendJSON
// escapes r: U+2028 and U+2029, or a control character with no short
// escape, as \u00 and two lower-case hex digits.
func canonicalU(r rune, hex []byte) bool {
	switch {
	case r == 0x2028 || r == 0x2029:
		return true
	case r >= 0x20, r == '\b', r == '\f', r == '\n', r == '\r', r == '\t':
		return false
	}
	return string(hex) == "00"+string(hexDigits[r>>4])+string(hexDigits[r&0xF])
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// optStr reads a string or null.
func (p *jsonParser) optStr() *string {
	if p.null() {
		return nil
	}
	s := p.str()
	return &s
}

// number returns the raw text of a JSON number.
func (p *jsonParser) number() []byte {
	p.ws()
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case '0' <= c && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
			continue
		}
		break
	}
	tok := p.b[start:p.i]
	if !validNumber(string(tok)) {
		p.fail()
		return nil
	}
	return tok
}

// integer reads a JSON number that is an integer of bits bits.
func (p *jsonParser) integer(bits int) int64 {
	tok := p.number()
	if p.bad {
		return 0
	}
	n, err := strconv.ParseInt(string(tok), 10, bits)
	if err != nil {
		p.fail()
	}
	var buf [24]byte
	if string(strconv.AppendInt(buf[:0], n, 10)) != string(tok) {
		p.nc = true // -0
	}
	return n
}

func (p *jsonParser) boolean() bool {
	p.ws()
	switch {
	case p.i+4 <= len(p.b) && string(p.b[p.i:p.i+4]) == "true":
		p.i += 4
		return true
	case p.i+5 <= len(p.b) && string(p.b[p.i:p.i+5]) == "false":
		p.i += 5
		return false
	}
	p.fail()
	return false
}

// once marks a member seen; a second time fails, since encoding/json
// would merge maps given twice.
func (p *jsonParser) once(seen *uint32, bit uint32) {
	if *seen&bit != 0 {
		p.fail()
	}
	if *seen > bit {
		p.nc = true // a member AppendJSON writes before one already read
	}
	*seen |= bit
}

func (p *jsonParser) record(r *Record) {
	var seen uint32
	p.object(func(key []byte) {
		switch string(key) {
		case "id":
			p.once(&seen, 1<<0)
			r.ID = p.str()
		case "source":
			p.once(&seen, 1<<1)
			p.source(&r.Source)
		case "agency":
			p.once(&seen, 1<<2)
			r.Agency = p.optStr()
		case "region":
			p.once(&seen, 1<<3)
			if !p.null() {
				r.Region = new(region.Region)
				p.region(r.Region)
			}
		case "agency_kind":
			p.once(&seen, 1<<4)
			r.AgencyKind = p.optStr()
		case "agency_id":
			p.once(&seen, 1<<5)
			r.AgencyID = p.optStr()
		case "year":
			p.once(&seen, 1<<6)
			if !p.null() {
				y := int(p.integer(strconv.IntSize))
				r.Year = &y
			}
		case "published":
			p.once(&seen, 1<<7)
			r.Published = p.optStr()
		case "template":
			p.once(&seen, 1<<8)
			r.Template = p.optStr()
		case "report_key":
			p.once(&seen, 1<<9)
			r.ReportKey = p.optStr()
		case "fields":
			p.once(&seen, 1<<10)
			if !p.null() {
				r.Fields = p.fields()
			}
		case "raw":
			p.once(&seen, 1<<11)
			r.Raw = p.stringMap(!p.lean)
		case "checks":
			p.once(&seen, 1<<12)
			r.Checks = p.checks()
			p.checksEnd = p.i
		case "warnings":
			p.once(&seen, 1<<13)
			r.Warnings = p.strings()
		case "sections":
			p.once(&seen, 1<<14)
			r.Sections = p.stringMap(!p.lean)
		case "extractor":
			p.once(&seen, 1<<15)
			r.Extractor = p.str()
		default:
			p.fail()
		}
	})
	if seen != 1<<16-1 {
		p.nc = true // AppendJSON writes every member
	}
}

func (p *jsonParser) source(s *Source) {
	var seen uint32
	p.object(func(key []byte) {
		switch string(key) {
		case "path":
			p.once(&seen, 1<<0)
			s.Path = p.str()
		case "sha256":
			p.once(&seen, 1<<1)
			s.SHA256 = p.str()
		case "format":
			p.once(&seen, 1<<2)
			s.Format = p.str()
		case "size":
			p.once(&seen, 1<<3)
			s.Size = p.integer(64)
		case "url":
			p.once(&seen, 1<<4)
			s.URL = p.str()
			p.nc = p.nc || s.URL == "" // written only when not empty
		case "fetched_at":
			p.once(&seen, 1<<5)
			s.FetchedAt = p.str()
			p.nc = p.nc || s.FetchedAt == ""
		case "extra":
			p.once(&seen, 1<<6)
			s.Extra = p.stringMap(true)
			p.nc = p.nc || len(s.Extra) == 0
		default:
			p.fail()
		}
	})
	if seen&0xF != 0xF {
		p.nc = true
	}
}

func (p *jsonParser) region(g *region.Region) {
	// AppendJSON writes the members that are not empty, in this order.
	last := 0
	p.object(func(key []byte) {
		var v string
		at := 0
		switch string(key) {
		case "code":
			g.Code, at = p.str(), 1
			v = g.Code
		case "province":
			g.Province, at = p.str(), 2
			v = g.Province
		case "city":
			g.City, at = p.str(), 3
			v = g.City
		case "county":
			g.County, at = p.str(), 4
			v = g.County
		case "town":
			g.Town, at = p.str(), 5
			v = g.Town
		case "level":
			g.Level, at = region.Level(p.str()), 6
			v = string(g.Level)
		default:
			p.fail()
		}
		if at <= last || v == "" {
			p.nc = true
		}
		last = at
	})
}

// fieldKeyStrings holds the contract's keys, so a record's keys are not
// made into strings anew.
var fieldKeyStrings = func() map[string]string {
	m := map[string]string{}
	for _, k := range FieldKeys() {
		m[k] = k
	}
	return m
}()

// fields reads the fields object: its numbers go into one string and its
// values into one slice, not one allocation each.
func (p *jsonParser) fields() map[string]*Number {
	p.numBuf, p.numKeys, p.numEnds = p.numBuf[:0], p.numKeys[:0], p.numEnds[:0]
	p.object(func(key []byte) {
		k, ok := fieldKeyStrings[string(key)]
		if !ok {
			k = string(key)
		}
		if n := len(p.numKeys); n > 0 && p.numKeys[n-1] >= k {
			p.nc = true // AppendJSON writes the keys in byte order
		}
		p.numKeys = append(p.numKeys, k)
		if p.null() {
			p.numEnds = append(p.numEnds, -1)
			return
		}
		p.numBuf = append(p.numBuf, p.number()...)
		p.numEnds = append(p.numEnds, len(p.numBuf))
	})
	if p.bad {
		return nil
	}
	all := string(p.numBuf)
	nums := make([]Number, len(p.numKeys))
	m := make(map[string]*Number, len(p.numKeys))
	start := 0
	for i, k := range p.numKeys {
		end := p.numEnds[i]
		if end < 0 {
			m[k] = nil
			continue
		}
		nums[i] = Number(all[start:end])
		m[k] = &nums[i]
		start = end
	}
	return m
}

// stringMap reads an object of strings, or null; without keep it reads
// it all the same and returns nil (ParseJSONLineLean).
func (p *jsonParser) stringMap(keep bool) map[string]string {
	if p.null() {
		return nil
	}
	var m map[string]string
	if keep {
		m = map[string]string{}
	}
	var last []byte // the key before: a slice of the input, or its unescaped copy
	n := 0
	p.object(func(key []byte) {
		if n > 0 && bytes.Compare(last, key) >= 0 {
			p.nc = true // AppendJSON writes the keys in byte order
		}
		last = key
		n++
		if keep {
			m[string(key)] = p.str()
		} else {
			p.skipStr()
		}
	})
	return m
}

// strings reads an array of strings, or null.
func (p *jsonParser) strings() []string {
	if p.null() {
		return nil
	}
	out := []string{}
	p.array(func() { out = append(out, p.str()) })
	return out
}

func (p *jsonParser) checks() []Check {
	if p.null() {
		return nil
	}
	out := []Check{}
	p.array(func() {
		var c Check
		n := 0 // members read, in AppendJSON's order
		p.object(func(key []byte) {
			switch string(key) {
			case "name":
				c.Name = p.str()
				n = n*4 + 1
			case "ok":
				c.OK = p.boolean()
				n = n*4 + 2
			case "detail":
				c.Detail = p.str()
				n = n*4 + 3
			default:
				p.fail()
			}
		})
		if n != 1*16+2*4+3 {
			p.nc = true
		}
		out = append(out, c)
	})
	return out
}

// array reads the elements of an array, calling elem at each.
func (p *jsonParser) array(elem func()) {
	if !p.eat('[') {
		return
	}
	if p.peek() == ']' {
		p.i++
		return
	}
	for !p.bad {
		elem()
		if p.bad {
			return
		}
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return
		default:
			p.fail()
			return
		}
	}
}
