package parser

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

func gbkBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q as GB18030: %v", s, err)
	}
	return b
}

func utf16Bytes(t testing.TB, s string, e xunicode.Endianness) []byte {
	t.Helper()
	b, err := xunicode.UTF16(e, xunicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q as UTF-16: %v", s, err)
	}
	return b
}

func TestDecodeHTMLRules(t *testing.T) {
	const zh = "<p>政府信息公开工作年度报告</p>"
	chrome := "<head><script>" + strings.Repeat("var nav = 'x';\n", 120) + "</script>"
	tests := []struct {
		name     string
		data     []byte
		caller   string
		rule     string
		charset  string
		declared string // what was refused, if anything
		want     string // must appear in the decoded text
	}{
		{"utf-8 BOM", append([]byte("\xEF\xBB\xBF"), zh...), "", RuleBOM, "utf-8", "", "年度报告"},
		{"utf-16le BOM", utf16Bytes(t, zh, xunicode.LittleEndian), "", RuleBOM, "utf-16le", "", "年度报告"},
		{"utf-16be BOM", utf16Bytes(t, zh, xunicode.BigEndian), "", RuleBOM, "utf-16be", "", "年度报告"},
		{"BOM beats caller and meta", append([]byte("\xEF\xBB\xBF<meta charset=gbk>"), zh...), "gb2312", RuleBOM, "utf-8", "", "年度报告"},
		{"caller gbk, bytes GBK", gbkBytes(t, zh), "GBK", RuleCaller, "gbk", "", "年度报告"},
		{"caller beats meta", gbkBytes(t, "<meta charset=gbk>"+zh), "gb2312", RuleCaller, "gb2312", "", "年度报告"},
		{"caller utf-8 but bytes GBK", gbkBytes(t, zh), "utf-8", RuleGB18030, "gb18030", "utf-8", "年度报告"},
		{"caller gbk but bytes UTF-8", []byte(zh), "gbk", RuleUTF8, "utf-8", "gbk", "年度报告"},
		{"caller unknown name", []byte(zh), "x-no-such", RuleUTF8, "utf-8", "x-no-such", "年度报告"},
		{"meta charset", gbkBytes(t, `<meta charset="gb2312">`+zh), "", RuleMeta, "gb2312", "", "年度报告"},
		{"meta http-equiv", gbkBytes(t, `<meta http-equiv="Content-Type" content="text/html; charset=GBK">`+zh), "", RuleMeta, "gbk", "", "年度报告"},
		{"meta http-equiv quoted", gbkBytes(t, `<META HTTP-EQUIV=content-type CONTENT='text/html;charset="gb2312"'>`+zh), "", RuleMeta, "gb2312", "", "年度报告"},
		{"meta after the first 1 KB", gbkBytes(t, chrome+`<meta charset="gbk"></head><body>`+zh), "", RuleMeta, "gbk", "", "年度报告"},
		{"meta gbk decodes GB18030 four-byte", gbkBytes(t, `<meta charset="gbk"><p>𠀀€</p>`), "", RuleMeta, "gbk", "", "𠀀€"},
		{"meta utf-8 but bytes GBK", gbkBytes(t, `<meta charset="utf-8">`+zh), "", RuleGB18030, "gb18030", "utf-8", "年度报告"},
		{"meta gbk but bytes UTF-8", []byte(`<meta charset="gbk">` + zh), "", RuleUTF8, "utf-8", "gbk", "年度报告"},
		{"meta gbk, ASCII only", []byte(`<meta charset="gbk"><p>2024</p>`), "", RuleMeta, "gbk", "", "2024"},
		{"meta windows-1252 but bytes GBK", gbkBytes(t, `<meta charset="windows-1252">`+zh), "", RuleGB18030, "gb18030", "windows-1252", "年度报告"},
		{"meta iso-8859-1 Latin text", []byte("<meta charset=iso-8859-1><p>caf\xe9</p>"), "", RuleMeta, "iso-8859-1", "", "café"},
		{"meta utf-16 means utf-8", []byte(`<meta charset="utf-16">` + zh), "", RuleMeta, "utf-16", "", "年度报告"},
		{"meta in body ignored", gbkBytes(t, `<html><body><meta charset="big5">`+zh), "", RuleGB18030, "gb18030", "", "年度报告"},
		{"meta inside a script ignored", gbkBytes(t, `<script>var s = '<meta charset="big5">';</script>`+zh), "", RuleGB18030, "gb18030", "", "年度报告"},
		{"no declaration, UTF-8", []byte(zh), "", RuleUTF8, "utf-8", "", "年度报告"},
		{"no declaration, ASCII", []byte("<p>0</p>"), "", RuleUTF8, "utf-8", "", "<p>0</p>"},
		{"no declaration, GBK", gbkBytes(t, zh), "", RuleGB18030, "gb18030", "", "年度报告"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decodeHTML(tt.data, tt.caller)
			if p.rule != tt.rule || p.charset != tt.charset || p.declared != tt.declared {
				t.Errorf("decodeHTML() = rule %q charset %q declared %q, want %q %q %q",
					p.rule, p.charset, p.declared, tt.rule, tt.charset, tt.declared)
			}
			if !bytes.Contains(p.text, []byte(tt.want)) {
				t.Errorf("decodeHTML() text = %q, want it to contain %q", p.text, tt.want)
			}
		})
	}
}

func TestReadHTMLRecordsCharset(t *testing.T) {
	data := gbkBytes(t, `<html><head><meta charset="utf-8"><title>年报</title></head><body><p>内容</p></body></html>`)
	doc, err := ReadHTML(context.Background(), "wrong.html", data, Options{})
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	if doc.Charset != "gb18030" || doc.CharsetRule != RuleGB18030 {
		t.Errorf("Charset, CharsetRule = %q, %q, want gb18030, gb18030", doc.Charset, doc.CharsetRule)
	}
	if got := doc.Meta[MetaCharsetDeclared]; got != "utf-8" {
		t.Errorf("Meta[%q] = %q, want utf-8", MetaCharsetDeclared, got)
	}
	if got := doc.Meta["title"]; got != "年报" {
		t.Errorf("Meta[title] = %q, want 年报", got)
	}
	doc, err = ReadHTML(context.Background(), "caller.html", data, Options{Charset: "gb2312"})
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	if doc.Charset != "gb2312" || doc.CharsetRule != RuleCaller {
		t.Errorf("with Options.Charset: Charset, CharsetRule = %q, %q, want gb2312, caller", doc.Charset, doc.CharsetRule)
	}
}

func TestCharsetFromContent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"text/html; charset=gb2312", "gb2312"},
		{"text/html;charset=GBK", "GBK"},
		{`text/html; charset="utf-8"`, "utf-8"},
		{"text/html; charset='gb18030'; foo=bar", "gb18030"},
		{"text/html; charset = gbk ", "gbk"},
		{"text/html", ""},
		{"text/html; charset=", ""},
		{`text/html; charset="gbk`, ""},
		{"charsetx; charset=big5", "big5"},
		{"text/html; \xc4\xe3 CHARSET=gbk", "gbk"},
	}
	for _, tt := range tests {
		if got := charsetFromContent(tt.in); got != tt.want {
			t.Errorf("charsetFromContent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindMetaCharsetStopsAtBody(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<html><head><title>t</title><meta charset=gbk></head>`, "gbk"},
		{`<meta http-equiv="content-type" content="text/html; charset=gb2312"><meta charset=utf-8>`, "gb2312"},
		{`<head></head><meta charset=gbk>`, ""},
		{`<body><meta charset=gbk>`, ""},
		{`<head><meta name="keywords" content="charset=gbk"></head>`, ""},
		{`<!-- <meta charset=gbk> --><p>`, ""},
	}
	for _, tt := range tests {
		if got := findMetaCharset([]byte(tt.in)); got != tt.want {
			t.Errorf("findMetaCharset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooksBinary(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"html", []byte("<html><body>年报</body></html>"), false},
		{"gbk", gbkBytes(t, "<p>年度报告</p>"), false},
		{"NUL", []byte("<html>\x00</html>"), true},
		{"controls", bytes.Repeat([]byte{0x01, 0x02, 'a', 0x03}, 100), true},
		{"escape sequences", []byte("\x1b$B<p>abc</p>"), false},
	}
	for _, tt := range tests {
		if got := looksBinary(tt.in); got != tt.want {
			t.Errorf("looksBinary(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLooksBinaryCountsEveryControl checks the word-at-a-time scan against
// counting byte by byte, with control bytes at every offset of a word and
// around the threshold.
func TestLooksBinaryCountsEveryControl(t *testing.T) {
	naive := func(data []byte) bool {
		if bytes.IndexByte(data, 0) >= 0 {
			return true
		}
		sample := data[:min(len(data), 64<<10)]
		ctl := 0
		for _, b := range sample {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B {
				ctl++
			}
		}
		return ctl > len(sample)/100+2
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		b := make([]byte, rng.IntN(700))
		for i := range b {
			switch rng.IntN(40) {
			case 0:
				b[i] = byte(rng.IntN(0x20)) // NUL too
			case 1:
				b[i] = byte(0x80 + rng.IntN(128))
			default:
				b[i] = byte(0x20 + rng.IntN(0x60))
			}
		}
		if got, want := looksBinary(b), naive(b); got != want {
			t.Fatalf("looksBinary(%q) = %v, want %v (byte by byte)", b, got, want)
		}
	}
	long := bytes.Repeat([]byte("<p>年度报告</p>\n"), 8000)
	if looksBinary(long) {
		t.Errorf("looksBinary(%d bytes of text) = true, want false", len(long))
	}
	long[len(long)-3] = 0
	if !looksBinary(long) {
		t.Errorf("looksBinary(%d bytes of text, a NUL past the sample) = false, want true", len(long))
	}
}
