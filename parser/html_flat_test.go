package parser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"ogi/synth"
)

// The flat reader (htmltree.go, html.go) must give the Document the DOM
// reader (html_dom.go, x/net/html's parser) gives. These tests read the
// same bytes both ways and compare whole Documents.

// flatVersusDOM reads data both ways and says how they differ, or "".
// fellBack reports that the page needs the DOM (no comparison is made).
func flatVersusDOM(data []byte, opts Options) (diff string, fellBack bool) {
	ctx := context.Background()
	flat, ferr := readHTML(ctx, "cmp.html", data, opts, readFlatOnly)
	if errors.Is(ferr, errTreeFallback) {
		return "", true
	}
	dom, derr := readHTML(ctx, "cmp.html", data, opts, readDOMOnly)
	if knownDifference(ferr, derr) {
		return "", false
	}
	if fmt.Sprint(ferr) != fmt.Sprint(derr) {
		return fmt.Sprintf("error %v, DOM reader %v", ferr, derr), false
	}
	if !reflect.DeepEqual(flat, dom) {
		return firstDifference(flat, dom), false
	}
	return "", false
}

// knownDifference reports the deliberate differences between the readers:
//   - random printable bytes (tags, but all or most of them unknown names)
//     are ErrFormat, where the DOM reader read them as text or, past 512
//     open elements, called them over a limit;
//   - a page with more cells than Limits.MaxCells (and a slack), most of
//     them hidden or outside the content container, is over the limit for
//     both, but the flat reader names the table and row where tokenizing
//     stopped, the DOM reader the byte where it cut the page.
func knownDifference(ferr, derr error) bool {
	if ferr == nil {
		return false
	}
	msg := ferr.Error()
	if errors.Is(ferr, ErrFormat) && strings.Contains(msg, "not HTML:") {
		return derr == nil || errors.Is(derr, ErrTooLarge)
	}
	if errors.Is(ferr, ErrTooLarge) && strings.HasSuffix(msg, "table cells in the page: over a configured limit") {
		return true
	}
	return false
}

func firstDifference(x, y *Document) string {
	switch {
	case x == nil || y == nil:
		return fmt.Sprintf("document %v, DOM reader %v", x != nil, y != nil)
	case !reflect.DeepEqual(x.Meta, y.Meta):
		return fmt.Sprintf("meta %q, DOM reader %q", x.Meta, y.Meta)
	case len(x.Blocks) != len(y.Blocks):
		for i := range min(len(x.Blocks), len(y.Blocks)) {
			if !reflect.DeepEqual(x.Blocks[i], y.Blocks[i]) {
				return fmt.Sprintf("%d blocks, DOM reader %d; block %d: %s, DOM reader %s", len(x.Blocks), len(y.Blocks), i, blockString(x.Blocks[i]), blockString(y.Blocks[i]))
			}
		}
		return fmt.Sprintf("%d blocks, DOM reader %d", len(x.Blocks), len(y.Blocks))
	}
	for i := range x.Blocks {
		if !reflect.DeepEqual(x.Blocks[i], y.Blocks[i]) {
			return fmt.Sprintf("block %d: %s, DOM reader %s", i, blockString(x.Blocks[i]), blockString(y.Blocks[i]))
		}
	}
	return fmt.Sprintf("documents differ: %+v, DOM reader %+v", x, y)
}

func blockString(b Block) string {
	if b.Para != nil {
		return fmt.Sprintf("para %q", b.Para.Text)
	}
	var sb strings.Builder
	Dump(&sb, &Document{Blocks: []Block{b}})
	return sb.String()
}

func htmlFixtureFiles(t testing.TB) []string {
	var files []string
	for _, pat := range []string{"*.html", "real/*.html", "samples/*.htm*"} {
		m, err := filepath.Glob(filepath.Join(fixturesDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d HTML fixtures", len(files))
	}
	return files
}

func TestFlatReaderMatchesDOMOnFixtures(t *testing.T) {
	for _, f := range htmlFixtureFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ReadHTML(context.Background(), f, data, Options{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		diff, fell := flatVersusDOM(data, Options{})
		if fell {
			t.Errorf("%s: needs the DOM reader; every fixture must take the flat path", f)
		}
		if diff != "" {
			t.Errorf("%s: %s", f, diff)
		}
	}
	// The HTML parts of the MHT fixtures, under their part charset.
	for _, f := range []string{"invalid/mht-named.doc"} {
		data, err := os.ReadFile(filepath.Join(fixturesDir, f))
		if err != nil {
			t.Fatal(err)
		}
		body, charset, _, err := mhtHTMLPart(data, Limits{}.WithDefaults())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if diff, fell := flatVersusDOM(body, Options{Charset: charset}); fell || diff != "" {
			t.Errorf("%s: fell back %v, %s", f, fell, diff)
		}
	}
}

func TestFlatReaderMatchesDOMOnSynth(t *testing.T) {
	n := 120
	if testing.Short() {
		n = 30
	}
	reps, err := synth.Corpus(11, n, []string{"html"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if _, err := ReadHTML(context.Background(), r.Name, r.Data, Options{}); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
		diff, fell := flatVersusDOM(r.Data, Options{})
		if fell {
			t.Errorf("%s: needs the DOM reader; generated pages must take the flat path", r.Name)
		}
		if diff != "" {
			t.Errorf("%s: %s", r.Name, diff)
		}
	}
}

// treeCases reach the tree-construction rules the flat tree implements.
var treeCases = []string{
	// text inside skipped elements is kept only as "has ink"
	`<table><tr height="0"><td><script>var x = 1;</script></td></tr><tr><td>a</td></tr></table>`,
	`<table><tr height="0"><td><select><option> </option></select></td></tr><tr><td>a</td></tr></table>`,
	`<table><tr height="0"><td><button>  </button></td></tr><tr><td>a</td></tr></table>`,
	"<body><button><title>t in a button</title></button><p>x</p>",
	"<head><style>p{}</style><title>t</title><script>s</script></head><body><p>x<style>q</style>y</p>",
	// the same tag bytes, read from the cache, in other places
	`<span class="nav">n</span><div id="content"><span class="nav">x</span><table><tr><td><span class="nav">c</span></td></tr></table></div>`,
	`<td style="display:none">a</td><table><tr><td style="display:none">h</td><td>v</td></tr></table>`,
	"<p>a<p>b<div>c</div>d",
	"<table><tr><td>1<td>2<tr><td>3</table>",
	"<table><td>implied tbody and tr</td></table>",
	"<table><tbody><tr><td>a</tbody><tfoot><tr><td>f</tfoot><thead><tr><th>h</thead></table>",
	"<table><caption>c</caption><tr><td>x</td></tr><caption>second</caption></table>",
	"<table><tr><td>a<table><tr><td>n</td></tr></table>b</td></tr></table>",
	"<table><tr><td>1</tr></table>after",
	"<table><tr><td><p>unclosed<td>next</table>",
	"<p>quirks<table><tr><td>in p</td></tr></table>",
	"<!DOCTYPE html><p>standards<table><tr><td>closes p</td></tr></table>",
	"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><p>x<table><tr><td>y</table>",
	"<ul><li>a<li>b<ul><li>c</ul></ul><dl><dt>t<dd>d<dt>u</dl>",
	"<b>bold<p>in p</b> after",
	"<p><b>x</p><p>y</b>z</p>",
	"<p><b class=nav>chrome</p><p>reconstructed</p>",
	"<p><b style='display:none'>hid</p><p>also hidden</p>z</p>",
	"<a href=1>one<a href=2>two</a>",
	"<b><b><b><b>deep</b></b></b></b>x",
	"<div>a</span>b</div>",
	"<div><span>a</div>b",
	"<h1>a<h2>b</h1>c",
	"</p>x<br/>y</br>z",
	"<table><tr><td>a</td><td style=display:none>h</td><td>b</td></tr></table>",
	"<table style='display:none'><tr><td>hidden table</td></tr></table><p>text</p>",
	"<div hidden><p>" + strings.Repeat("most of the text ", 10) + "</p></div><p>x</p>",
	"<div class=nav>menu</div><div class=TRS_Editor><p>body</p><table><tr><td>1</td></tr></table></div>",
	"<div id=zoom><p>a</p></div><table><tr><td>outside</td></tr></table>",
	"<table><tr><td><div class=TRS_Editor><table><tr><td>in</td></tr></table></div></td></tr></table>",
	"<h1>标题</h1><div class=TRS_Editor><p>正文</p></div>",
	"<body><p>a</p><body id=zoom class=x><p>b</p>",
	"<html><head><title>t</title><meta name=PubDate content=2024></head><body>x</body></html><p>after</p>",
	"<head></head> <meta name=ArticleTitle content=a><title>late</title><body>b",
	"<select><option>a<option>b</select>text<select><div>x</div></select>",
	"<form><table><form><tr><td>f</td></tr></table></form>",
	"<table><tr><td><form>x</form></td></tr></table>",
	"<pre>\nfirst line\nsecond</pre><textarea>\nt</textarea>",
	"<table><tr height=0><td></td><td></td></tr><tr><td>1</td><td>2</td></tr></table>",
	"<table><tr><td colspan=2 rowspan=3>a</td></tr><tr><td>b</td></tr></table>",
	"<table><colgroup><col><col></colgroup><tr><td>c</td></tr></table>",
	"<table><tr><td>a<caption>closes cell</caption></table>",
	"<object><p>in object</object><applet>x</applet>",
	"<nobr>a<nobr>b</nobr>",
	"<button><button>x</button>",
	"<ruby>a<rt>b</rt></ruby>",
	"<image src=x><p>i</p>",
	"<table><input type=hidden><tr><td>x</td></tr></table>",
	"<script>var a='</p>';</script><style>p{}</style><noscript><p>no</p></noscript>text",
	"<p>1<br>2<br><br>3</p>",
	"<div>a<b>b<i>c</b>d</i>e</div>",
	"<table><tr><td><b>x</td><td>y</b></td></tr></table>z",
	"<p>" + strings.Repeat("<span>", 600) + "deep",
	"<x>" + strings.Repeat("<y>", 600),
	"<q>random<w>tags",
	"only text",
}

func TestFlatReaderMatchesDOMOnTreeCases(t *testing.T) {
	for _, c := range append(treeCases, htmlFuzzSeeds...) {
		diff, _ := flatVersusDOM([]byte(c), Options{Limits: Limits{MaxCells: 5000, MaxDepth: 8}})
		if diff != "" {
			t.Errorf("%q: %s", c, diff)
		}
	}
}

// TestFlatReaderFallsBack: pages that need rules the flat tree leaves out
// read through the DOM, so ReadHTML gives the DOM reader's Document.
func TestFlatReaderFallsBack(t *testing.T) {
	for _, c := range []string{
		"<table>foster text<tr><td>x</td></tr></table>",
		"<table><div>foster element</div><tr><td>x</td></tr></table>",
		"<b>a<div>misnested</b>b</div>",
		"<template><p>t</p></template><p>x</p>",
		"<svg><title>icon</title></svg><p>x</p>",
		"<frameset><frame></frameset>",
		"<div><form><div>x</form>y</div>",
	} {
		if _, fell := flatVersusDOM([]byte(c), Options{}); !fell {
			t.Errorf("%q: read by the flat tree, want the DOM fallback", c)
		}
		got, gerr := ReadHTML(context.Background(), "f.html", []byte(c), Options{})
		want, werr := readHTML(context.Background(), "f.html", []byte(c), Options{}, readDOMOnly)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: ReadHTML differs from the DOM reader: %s", c, firstDifference(got, want))
		}
	}
}

// FuzzFlatReaderMatchesDOM compares the readers on any input the flat tree
// accepts.
func FuzzFlatReaderMatchesDOM(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*.html"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 32<<10 {
			f.Add(data)
		}
	}
	for _, s := range append(treeCases, htmlFuzzSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if diff, _ := flatVersusDOM(data, Options{Limits: Limits{MaxCells: 5000, MaxDepth: 8}}); diff != "" {
			t.Error(diff)
		}
	})
}
