package parser

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// tokenStreams tokenizes data with x/net/html's Tokenizer and with
// htmlTokenizer and returns the first token where they differ, or "";
// htmlTokenizer must also leave the page as it was.
func tokenStreams(data []byte) string {
	want := html.NewTokenizer(bytes.NewReader(data))
	page := bytes.Clone(data)
	got := newHTMLTokenizer(page)
	for i := 0; ; i++ {
		wt, gt := want.Next(), got.Next()
		w, g := tokenString(wt, want.Raw(), want.Text, want.TagName, want.TagAttr), tokenString(gt, got.Raw(), got.Text, got.TagName, got.TagAttr)
		if w != g {
			return fmt.Sprintf("token %d: %s, x/net/html %s", i, g, w)
		}
		if wt == html.ErrorToken {
			if !bytes.Equal(page, data) {
				return fmt.Sprintf("the tokenizer changed the page to %q", page)
			}
			return ""
		}
	}
}

func tokenString(tt html.TokenType, raw []byte, text func() []byte, name func() ([]byte, bool), attr func() ([]byte, []byte, bool)) string {
	s := fmt.Sprintf("%v raw %q", tt, raw)
	switch tt {
	case html.TextToken, html.CommentToken, html.DoctypeToken:
		s += fmt.Sprintf(" text %q", text())
	case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
		n, more := name()
		s += fmt.Sprintf(" name %q", n)
		for more {
			var k, v []byte
			k, v, more = attr()
			s += fmt.Sprintf(" %q=%q", k, v)
		}
	}
	return s
}

var tokenCases = []string{
	"", "plain", "a<b", "a < b", "<", "<a", "</", "</>", "<!", "<!-", "<!--", "<!-- x -->", "<!--->", "<?php x ?>",
	"<!DOCTYPE html>", "<!doctype html public \"-//W3C//DTD HTML 4.01//EN\">", "<![CDATA[x]]>", "<![if !supportLists]>1.<![endif]>",
	"<p class=a CLASS=b id='i' style=\"display:none\" hidden>x</p>", "<a href=x&amp;y&copy=1 title='&lt;&notit;&fjlig;'>",
	"<br/><img src=x /><o:p></o:p><st1:chsdate Year=\"2024\">", "<p>&nbsp;&#20013;&#x4e2d;&#128;&#0;&bogus;&amp&ampx&notin;&NotEqualTilde;</p>",
	"<script>if (a<b) { x='</p>'; } <!-- </script>", "<script><!--<script></script>--></script>after", "<style>p{x:y}</style ><title>a&amp;b</title>",
	"<textarea><p>&lt;</textarea>", "<xmp><b></xmp>", "<plaintext><p>all text", "<noscript><p>x</p></noscript>", "<iframe><b></iframe>",
	"<td colspan=\"2\" rowspan='3' width=50%>", "<div\tid\n=\fz>", "<div a='unterminated", "<div a=\"x\x00y\" b\x00=1>\x00text</d\x00iv>",
	"a\r\nb\rc", "<p\r\n class=x>", "<P CLASS=X>", "<div =x>", "<div a=>", "<div a= b>", "<div/a/b>", "</p foo=bar>", "</ p>",
	// the end of the page inside a tag name, a key, an unquoted value and white space
	"<di", "<div cla", "<div a=unq", "<div a=b ", "<div a ", "<div\t", "</di", "<div ==",
	// start tags repeated, taken from those read before
	"<p a=1>x<p a=1>y<P a=1><p a=1 >", "<script>a</script><script>b<p></script><SCRIPT>c</script>",
	"<a b='>'>1<a b='>'>2<a b='>' c>3", "<br/><br/><br /><br/x>", "<div a=x>1</div><div a=x", "<td class=c>1<td class=c>2<td class=c",
	"<title>t</title><title>&amp;</title>", "<span style=\"font-family:仿宋_GB2312;font-size:16pt;\">a</span><span style=\"font-family:仿宋_GB2312;font-size:16pt;\">b</span>",
}

func TestTokenizerMatchesXNet(t *testing.T) {
	cases := append([]string(nil), tokenCases...)
	for _, pat := range []string{"*.html", "real/*.html", "samples/*.htm*"} {
		files, _ := filepath.Glob(filepath.Join(fixturesDir, pat))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, string(data))
		}
	}
	for _, c := range cases {
		if d := tokenStreams([]byte(c)); d != "" {
			name := c
			if len(name) > 60 {
				name = name[:60] + "…"
			}
			t.Errorf("%q: %s", name, d)
		}
	}
}

func TestLookupEntity(t *testing.T) {
	for name, want := range map[string][2]rune{
		"amp;": {'&'}, "amp": {'&'}, "nbsp": {0xA0}, "semi;": {';'}, "fjlig;": {'f', 'j'},
		"NotEqualTilde;": {0x2242, 0x338}, "ampx": {}, "ltx;": {}, "bogus;": {}, "notit;": {}, "not": {0xAC},
	} {
		if got := lookupEntity(name); got != want {
			t.Errorf("lookupEntity(%q) = %q, want %q", name, got, want)
		}
	}
	if s := html.UnescapeString("&notit;"); !strings.HasPrefix(s, "¬") {
		t.Fatalf("x/net/html unescapes &notit; as %q", s)
	}
}

func FuzzTokenizerMatchesXNet(f *testing.F) {
	for _, c := range append(tokenCases, treeCases...) {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := tokenStreams(data); d != "" {
			t.Error(d)
		}
	})
}
