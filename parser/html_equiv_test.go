package parser

import (
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// The fast paths of the HTML reader must decide exactly as the plain
// definitions below do; these tests compare them on tricky and random input.

func refStyleHides(style string) bool {
	for _, decl := range strings.Split(style, ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important")))
		switch {
		case k == "display" && v == "none":
			return true
		case k == "visibility" && (v == "hidden" || v == "collapse"):
			return true
		}
	}
	return false
}

func refNameHas(n *html.Node, seps string, words func(string) (stop, hit bool)) bool {
	var hit bool
	for _, key := range []string{"id", "class"} {
		for _, name := range strings.Fields(nodeAttr(n, key)) {
			for _, part := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
				return strings.ContainsRune(seps, r)
			}) {
				stop, h := words(part)
				if stop {
					return false
				}
				hit = hit || h
			}
		}
	}
	return hit
}

func refChromeCandidate(n *html.Node) bool {
	switch n.Data {
	case "header", "nav", "footer":
		return true
	case "body", "html", "table", "tbody", "thead", "tfoot", "tr", "td", "th":
		return false
	}
	return refNameHas(n, "-_.:", func(p string) (bool, bool) { return contentWords[p], chromeWords[p] })
}

func refIsTitleElement(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3":
		return true
	case "table", "tbody", "tr":
		return false
	}
	return refNameHas(n, "-_", func(p string) (bool, bool) { return false, p == "title" })
}

var trickyStyles = []string{
	"", "display:none", "DISPLAY : NONE", "display:none !important", "display:none!IMPORTANT",
	"display:\u3000none", "display:\u00a0none;", "visibility:hidden", "visibility:h\u0130dden",
	"VISIB\u0130LITY:Collapse", "d\u0130splay:none", "display:n\u006fne", "display:nonee",
	"color:red;display:none", "display:block;;visibility : hidden ;", "font-family:宋体;display:none",
	"border:none", "mso-hide:all", "display:none;", ":none", "display", "display:", "visibility:hiddenx",
	"font-family:\"宋体\";visibility:\u212aollapse", "display:NONE\t", " display : none ; ",
	"width:hidden;display:inline", "visibility:\u0130hidden", "border-top:none;padding:0cm 5.4pt",
}

func TestStyleHidesMatchesDefinition(t *testing.T) {
	styles := slices.Clone(trickyStyles)
	pieces := []string{"display", "DISPLAY", "visibility", "Visib\u0130lity", "none", "NoNe", "hidden", "h\u0130dden",
		"collapse", "COLLAPSE", ":", ";", " ", "\u3000", "!important", "宋体", "border", "dden", "x"}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.Intn(8) {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		styles = append(styles, b.String())
	}
	var r htmlReader
	for _, s := range styles {
		want := refStyleHides(s)
		if got := styleHides(s); got != want {
			t.Errorf("styleHides(%q) = %v, want %v", s, got, want)
		}
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "style", Val: s}}}
		if got := r.isHidden(n); got != want {
			t.Errorf("isHidden(style=%q) = %v, want %v", s, got, want)
		}
		if got := r.isHidden(n); got != want { // cached
			t.Errorf("isHidden(style=%q) again = %v, want %v", s, got, want)
		}
	}
}

func TestNamePartsMatchDefinition(t *testing.T) {
	names := []string{"", "nav", "NAV", "top-nav", "article-header", "Header_Title", "main.menu", "foo:footer",
		"MsoNormal", "breadcrumbs", "n\u0130v", "\u212aeep-nav", "title", "sub-TITLE", "x-title.y",
		"a--b__c", "navigation content", "share-box", strings.Repeat("nav-", 20) + "x", "页眉 nav", "crumb\u00a0main", "T\u0130TLE", "x-MA\u0130N", "S\u0130DEBAR", "menu-t\u0130tle"}
	words := []string{"nav", "menu", "header", "footer", "title", "content", "main", "Sidebar", "x", "-", "_", ".", ":", " ", "\u0130", "\u212a", "页", "T\u0130TLE", "S\u0130DEBAR"}
	rng := rand.New(rand.NewSource(2))
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.Intn(6) {
			b.WriteString(words[rng.Intn(len(words))])
		}
		names = append(names, b.String())
	}
	var r htmlReader
	for _, tag := range []string{"div", "span", "header", "table", "h2"} {
		for _, id := range names[:12] {
			for _, class := range names {
				n := &html.Node{Type: html.ElementNode, Data: tag, Attr: []html.Attribute{{Key: "id", Val: id}, {Key: "class", Val: class}}}
				want := refChromeCandidate(n)
				if got := r.chromeCandidate(n); got != want {
					t.Fatalf("cached chromeCandidate(<%s id=%q class=%q>) = %v, want %v", tag, id, class, got, want)
				}
				if got := chromeCandidate(n); got != want {
					t.Fatalf("chromeCandidate(<%s id=%q class=%q>) = %v, want %v", tag, id, class, got, want)
				}
				if got, want := isTitleElement(n), refIsTitleElement(n); got != want {
					t.Fatalf("isTitleElement(<%s id=%q class=%q>) = %v, want %v", tag, id, class, got, want)
				}
			}
		}
	}
}

func TestScanPageMatchesSelectors(t *testing.T) {
	pages := []string{
		`<div class="TRS_Editor">a</div><div id="zoom"><p class=" article-content x">b</p></div>`,
		`<span class="view">no</span><div class="a view">yes</div><DIV CLASS="VIEW">no</DIV>`,
		`<div id="UCAP-CONTENT"></div><div id="ucap-content"></div><div class="Custom_UnionStyle\tz"></div>`,
		`<template><div id="zoom"></div></template><svg><div class="TRS_Editor"></div></svg>`,
		`<html id="zoom"><head><noscript><div class="view"></div></noscript></head><body class="TRS_Editor"></body></html>`,
		`<div class="TRS_Editor\u00a0x"></div><div class="x\fTRS_Editor"></div><div id=" zoom"></div>`,
		`<frameset><frame></frameset>`,
		`<p>no containers</p><body id="zoom">`,
		`<title>a<b>c</b></title><meta name=x content=y><meta NAME=PubDate name=other><svg><title>s<g>t</g></title></svg>`,
		`<body><svg><title>svg <tspan>title</tspan></title><meta name="SiteName" content="v"></svg><meta name="" content></body>`,
		`<head><meta content="c1" name="ColumnName"><title>  t\n 1 </title><title>t2</title></head>`,
	}
	for _, f := range []string{"../fixtures/seed-report.html", "../fixtures/spans.html", "../fixtures/late-charset.html"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(decodeHTML(data, "").text))
	}
	for _, p := range pages {
		root, err := html.Parse(strings.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		gq := goquery.NewDocumentFromNode(root)
		pg := scanPage(root)
		for _, c := range []struct {
			sel string
			got *html.Node
		}{{"body", pg.body}, {"title", pg.title}} {
			want := gq.Find(c.sel).First()
			if want.Length() == 0 && c.got != nil || want.Length() > 0 && want.Get(0) != c.got {
				t.Errorf("%s: %s differs from goquery's", p, c.sel)
			}
			if c.got != nil && nodeText(c.got) != want.Text() {
				t.Errorf("%s: %s text %q, goquery has %q", p, c.sel, nodeText(c.got), want.Text())
			}
		}
		if want := gq.Find("meta[name]").Nodes; !slices.Equal(pg.metas, want) {
			t.Errorf("%s: %d meta[name], goquery finds %d", p, len(pg.metas), len(want))
		}
		for _, n := range pg.metas {
			for _, k := range []string{"name", "content"} {
				got, gok := anyAttr(n, k)
				want, wok := goquery.NewDocumentFromNode(n).Attr(k)
				if got != want || gok != wok {
					t.Errorf("%s: meta %s = %q, goquery has %q", p, k, got, want)
				}
			}
		}
		if want := gq.Find(contentSelectors).Nodes; !slices.Equal(pg.containers, want) {
			t.Errorf("%s: %d containers, goquery finds %d", p, len(pg.containers), len(want))
		}
	}
}
