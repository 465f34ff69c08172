package parser

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// readMainStd is the reference for the main part reader: the same reading
// rules (docxReader's start and end), fed by encoding/xml, with every
// subtree the reader ignores still tokenized and checked, and no cellProps
// or skipQuick shortcut. It reads body as the main part of a package that
// holds nothing else.
func readMainStd(body []byte) (*Document, error) {
	if bytes.HasPrefix(body, []byte{0xFF, 0xFE}) || bytes.HasPrefix(body, []byte{0xFE, 0xFF}) {
		return nil, errors.New("UTF-16")
	}
	if !utf8.Valid(body) {
		return nil, errors.New("not UTF-8")
	}
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	for i, c := range body {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, fmt.Errorf("control character at %d", i)
		}
	}
	lim := Limits{}.WithDefaults()
	k := &ooxmlPackage{path: "ref.docx", zr: &zip.Reader{}, lim: lim, budget: lim.MaxTotalBytes}
	doc := &Document{Path: "ref.docx", Format: FormatDOCX, Blocks: []Block{}}
	d := &docxReader{k: k, lim: lim, part: "word/document.xml", doc: doc}
	d.begin()
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []string
	s := new(xmlScanner)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if t.Name.Space != "" {
				name = t.Name.Space + ":" + name
			}
			open = append(open, name)
			var attrs bytes.Buffer
			for _, a := range t.Attr {
				attrs.WriteByte(' ')
				if a.Name.Space != "" {
					attrs.WriteString(a.Name.Space + ":")
				}
				attrs.WriteString(a.Name.Local + `="`)
				xml.EscapeText(&attrs, []byte(a.Value))
				attrs.WriteByte('"')
			}
			s.name, s.attrs, s.pending = []byte(name), attrs.Bytes(), false
			s.local = s.name[strings.LastIndexByte(name, ':')+1:]
			if err := d.onStart(s); err != nil {
				return nil, err
			}
			d.props = false
		case xml.EndElement:
			name := t.Name.Local
			if t.Name.Space != "" {
				name = t.Name.Space + ":" + name
			}
			if len(open) == 0 || open[len(open)-1] != name {
				return nil, fmt.Errorf("unmatched </%s>", name)
			}
			open = open[:len(open)-1]
			if err := d.onEnd([]byte(name[strings.LastIndexByte(name, ':')+1:])); err != nil {
				return nil, err
			}
		case xml.CharData:
			if len(open) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, errors.New("text outside the root element")
				}
				continue
			}
			if d.wantText() {
				d.stack[d.para].text = append(d.stack[d.para].text, t...)
			}
		}
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return doc, nil
}

// FuzzDOCXScannerMatchesStd reads arbitrary main parts with ReadDOCX and
// with readMainStd. When the reference reads a part, ReadDOCX must read
// the same blocks. ReadDOCX may refuse what encoding/xml accepts only over
// a limit; it may accept what encoding/xml refuses only where the damage
// lies in markup it does not read (attribute syntax, entities in ignored
// text, tag nesting inside skipped formatting), never a truncated part.
func FuzzDOCXScannerMatchesStd(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixturesDir, "*.docx"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		// Large parts make slow mutation; TestStdReferenceMatchesFixtures
		// covers them.
		if body := mainPart(data); body != nil && len(body) < 32<<10 {
			f.Add(body)
		}
	}
	for _, s := range []string{
		`<w:document xmlns:w="u"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:tcPrChange><w:tcPr><w:gridSpan w:val="3"/></w:tcPr></w:tcPrChange><w:vMerge/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
		`<w:document xmlns:w="u"><w:body><w:p><w:pPr><w:rPr><w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`,
		`<w:document xmlns:w="u"><w:body><w:p><w:rPr><!-- </w:rPr> --></w:rPr><w:r><w:t>y</w:t></w:r></w:p></w:body></w:document>`,
		`<w:document xmlns:w="u"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:p><w:r><w:t>in props</w:t></w:r></w:p></w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if msg := compareWithStd(body); msg != "" {
			t.Error(msg)
		}
	})
}

// compareWithStd reads body with ReadDOCX and readMainStd and says how
// they disagree, or "".
func compareWithStd(body []byte) string {
	want, refErr := readMainStd(body)
	got, err := ReadDOCX(context.Background(), "fast.docx", wrapMain(body), Options{})
	switch {
	case refErr == nil && err == nil:
		if g, w := dumpText(got), dumpText(want); g != w {
			return fmt.Sprintf("ReadDOCX read\n%s\nencoding/xml reference read\n%s", g, w)
		}
	case refErr == nil:
		if !errors.Is(err, ErrTooLarge) {
			return fmt.Sprintf("ReadDOCX = %v, but the reference reads the part", err)
		}
	case err == nil:
		// Leniency is allowed in what the reader does not look at
		// (attribute syntax, names, entities in ignored text), never in
		// structure.
		for _, structural := range []string{"unexpected EOF", "unmatched", "outside the root", "control character", "UTF"} {
			if strings.Contains(refErr.Error(), structural) {
				return fmt.Sprintf("ReadDOCX read a part the reference refuses: %v", refErr)
			}
		}
	}
	return ""
}

func dumpText(doc *Document) string {
	doc.Path = ""
	var b strings.Builder
	if err := Dump(&b, doc); err != nil {
		return "dump: " + err.Error()
	}
	return b.String()
}

// TestMutatedPartsMatchStd runs compareWithStd over deterministic
// mutations of the small fixtures' main parts: bytes that matter to XML
// replaced, runs cut out, and spans between tags duplicated or moved,
// which makes misnested and truncated subtrees of every kind.
func TestMutatedPartsMatchStd(t *testing.T) {
	seeds, _ := filepath.Glob(filepath.Join(fixturesDir, "ooxml-*.docx"))
	var bodies [][]byte
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if body := mainPart(data); body != nil && !strings.Contains(s, "altchunk") {
			bodies = append(bodies, body)
		}
	}
	n := 1500
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewSource(1))
	agree := 0
	for range n {
		b := append([]byte(nil), bodies[r.Intn(len(bodies))]...)
		for range 1 + r.Intn(3) {
			switch r.Intn(4) {
			case 0:
				b[r.Intn(len(b))] = "<>/\"' a:=!?&;"[r.Intn(13)]
			case 1:
				i := r.Intn(len(b))
				b = append(b[:i], b[min(len(b), i+1+r.Intn(20)):]...)
			default:
				i, j := r.Intn(len(b)), r.Intn(len(b))
				for i < len(b)-1 && b[i] != '<' {
					i++
				}
				for j < len(b)-1 && b[j] != '<' {
					j++
				}
				if i > j {
					i, j = j, i
				}
				b = append(b[:j:j], b[i:]...)
			}
		}
		if msg := compareWithStd(b); msg != "" {
			t.Fatalf("mutation of %.200q...: %s", b, msg)
		}
		if _, err := readMainStd(b); err == nil {
			agree++
		}
	}
	if agree < n/50 {
		t.Errorf("only %d of %d mutations were readable; the test compares too little", agree, n)
	}
}

// TestSkipQuick: skipping a subtree by searching for its end tag ends
// where the tokenizer would, and falls back to it around markup that could
// hide an end tag.
func TestSkipQuick(t *testing.T) {
	tests := []struct{ name, in, after, err string }{
		{"flat", `<a><w:rPr><w:b/><w:sz w:val="2"/></w:rPr><c/></a>`, "<c", ""},
		{"self-closing", `<a><w:rPr/><c/></a>`, "<c", ""},
		{"nested same name", `<a><w:rPr><w:rPrChange><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><c/></a>`, "<c", ""},
		{"longer name", `<a><w:rPr><w:rPrX></w:rPrX></w:rPr ><c/></a>`, "<c", ""},
		{"end tag in a comment", `<a><w:rPr><!-- </w:rPr> --></w:rPr><c/></a>`, "<c", ""},
		{"end tag in CDATA", `<a><w:rPr><x><![CDATA[</w:rPr>]]></x></w:rPr><c/></a>`, "<c", ""},
		{"truncated", `<a><w:rPr><w:b/>`, "", "unexpected end of XML inside <w:rPr>"},
		{"misnested inside a comment", `<a><w:rPr><!-- --><x></w:rPr></a>`, "", "element <x> closed by </w:rPr>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s xmlScanner
			s.reset([]byte(tt.in))
			var err error
			for err == nil && string(s.local) != "rPr" {
				_, err = s.next()
			}
			if err == nil {
				err = s.skipQuick()
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("skipQuick = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("skipQuick = %v", err)
			}
			if rest := string(s.buf[s.pos:]); !strings.HasPrefix(rest, tt.after) || len(s.stack) != 1 {
				t.Errorf("after skipQuick: %q with %d open, want %q with 1 open", rest, len(s.stack), tt.after)
			}
		})
	}
}

// TestStdReferenceMatchesFixtures: the fixtures' main parts read the same
// through the reference, so the fuzz target starts from agreement.
func TestStdReferenceMatchesFixtures(t *testing.T) {
	seeds, _ := filepath.Glob(filepath.Join(fixturesDir, "*.docx"))
	for _, s := range seeds {
		if strings.Contains(s, "altchunk") {
			continue // its chunks live in other parts
		}
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		body := mainPart(data)
		want, err := readMainStd(body)
		if err != nil {
			t.Errorf("%s: reference: %v", s, err)
			continue
		}
		got, err := ReadDOCX(context.Background(), "fast.docx", wrapMain(body), Options{})
		if err != nil {
			t.Errorf("%s: ReadDOCX: %v", s, err)
			continue
		}
		if len(got.Blocks) == 0 {
			t.Errorf("%s: no blocks", s)
		}
		if g, w := dumpText(got), dumpText(want); g != w {
			t.Errorf("%s: ReadDOCX read\n%s\nreference read\n%s", s, g, w)
		}
	}
}

// TestCheckChars: the one-pass check agrees with utf8.Valid and with the
// XML 1.0 character range on control characters, wherever they fall in
// the sixteen-byte blocks.
func TestCheckChars(t *testing.T) {
	pad := strings.Repeat("<w:b/>", 5)
	tests := []struct {
		name, in, err string
	}{
		{"ascii", pad + "<a>x\ty\r\nz</a>" + pad, ""},
		{"chinese", pad + "<a>政府信息公开</a>" + pad, ""},
		{"chinese at a block edge", "<a>" + strings.Repeat("x", 12) + "政府" + strings.Repeat("y", 15) + "</a>", ""},
		{"four-byte rune", pad + "<a>\U0001F600</a>", ""},
		{"DEL is allowed", pad + "<a>\x7f</a>", ""},
		{"control in a block", pad + "<a>\x01</a>" + pad, "illegal character 0x01"},
		{"control in the tail", "<a>\x1f</a>", "illegal character 0x1f"},
		{"control after chinese", pad + "政\x0b", "illegal character 0x0b"},
		{"cut rune", pad + "<a>\xe6\x94</a>" + pad, "not valid UTF-8"},
		{"cut rune at the end", pad + "\xe6\x94", "not valid UTF-8"},
		{"lone continuation", pad + "\x80" + pad, "not valid UTF-8"},
		{"overlong", pad + "\xc0\xaf" + pad, "not valid UTF-8"},
		{"surrogate", pad + "\xed\xa0\x80" + pad, "not valid UTF-8"},
		{"overlong three bytes", pad + "\xe0\x80\xaf" + pad, "not valid UTF-8"},
		{"three-byte lead, ASCII after", pad + "\xe6\x94a" + pad, "not valid UTF-8"},
		{"U+FFFD itself", pad + "\uFFFD" + pad, ""},
		{"private use, U+E000", pad + "\uE000\uF8FF" + pad, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s xmlScanner
			s.reset([]byte(tt.in))
			err := s.checkChars()
			if tt.err == "" {
				if err != nil {
					t.Errorf("checkChars = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("checkChars = %v, want %q", err, tt.err)
			}
		})
	}
}
