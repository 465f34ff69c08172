package parser

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/text/width"
)

// Span caps: HTML itself clamps colspan to 1000 and rowspan to 65534.
const (
	maxColSpan = 1000
	maxRowSpan = 65534
)

// slotsPerCell bounds the grid area of a document (the sum of each cell's
// row span × column span, clipped to its table section) to this multiple
// of Limits.MaxCells, so that a few hostile spans cannot make the grid huge.
const slotsPerCell = 10

// contentSelectors name the main content containers of common government
// CMS templates (TRS, UCAP and the like).
const contentSelectors = ".TRS_Editor, #zoom, .article-content, #UCAP-CONTENT, div.view, .Custom_UnionStyle"

// metaNames maps lower-cased <meta name> values to the Document.Meta key.
var metaNames = map[string]string{
	"articletitle":  "ArticleTitle",
	"pubdate":       "PubDate",
	"columnname":    "ColumnName",
	"contentsource": "ContentSource",
	"sitename":      "SiteName",
}

// isSkippedTag reports whether elements named tag never hold report text.
func isSkippedTag(tag string) bool {
	switch tag {
	case "script", "style", "noscript", "template",
		"head", "title", "meta", "link",
		"iframe", "object", "embed", "svg", "math",
		"canvas", "select", "textarea", "button",
		"input", "audio", "video", "map":
		return true
	}
	return false
}

// isBlockTag reports whether elements named tag end the paragraph before
// them and start a new one after.
func isBlockTag(tag string) bool {
	switch tag {
	case "address", "article", "aside", "blockquote",
		"center", "dd", "details", "dialog", "dir",
		"div", "dl", "dt", "fieldset", "figcaption",
		"figure", "footer", "form", "h1", "h2",
		"h3", "h4", "h5", "h6", "header",
		"hgroup", "hr", "legend", "li", "main",
		"menu", "nav", "ol", "p", "pre",
		"section", "summary", "ul", "caption",
		"tr", "td", "th", "thead", "tbody", "tfoot":
		return true
	}
	return false
}

// chromeWords in an id or class mark site chrome (navigation, footers…).
var chromeWords = map[string]bool{
	"nav": true, "navs": true, "navbar": true, "navigation": true, "menu": true,
	"menus": true, "header": true, "footer": true, "breadcrumb": true,
	"breadcrumbs": true, "sidebar": true, "share": true, "copyright": true,
	"crumb": true, "crumbs": true, "topnav": true, "subnav": true,
	"mainnav": true, "topmenu": true, "mainmenu": true, "leftmenu": true,
}

// contentWords in the same id or class veto chromeWords: "article-header"
// holds the title, not navigation.
var contentWords = map[string]bool{
	"title": true, "article": true, "content": true, "detail": true,
	"main": true, "body": true, "text": true, "zoom": true,
}

// readHTMLDOM reads a decoded page through x/net/html's DOM: the reader
// for pages that need tree-construction rules the flat tree leaves out
// (see errTreeFallback), and the reference the flat reader is tested
// against. doc holds what ReadHTML decided before parsing.
func readHTMLDOM(ctx context.Context, path string, text []byte, lim Limits, doc *Document) (*Document, error) {
	// Cells are counted while tokenizing, before any DOM is built (it
	// costs tens of times the page): a page with more cells than the limit
	// is parsed only up to the first cell past it, so the walk below meets
	// the limit where it is, with the blocks before it, and memory stays
	// bounded by the part of the page within the limit.
	cut := cellLimitCut(text, lim.MaxCells)
	if cut >= 0 {
		text = text[:cut]
	}
	root, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		// x/net/html refuses pages nested deeper than its open-element stack
		// allows; that is the only error an in-memory reader can produce.
		return nil, &Error{Path: path, Where: "parse", Err: fmt.Errorf("%v: %w", err, ErrTooLarge)}
	}
	pg := scanPage(root)
	readHTMLMeta(pg, doc.Meta)
	if len(doc.Meta) == 0 {
		doc.Meta = nil
	}

	bodyNode, candidates := pg.body, pg.containers
	if bodyNode == nil {
		return doc, nil
	}
	r := &htmlReader{ctx: ctx, path: path, lim: lim, containers: make(map[*html.Node]bool, len(candidates))}
	for _, n := range candidates {
		r.containers[n] = true
	}
	r.markChrome(bodyNode)
	scope := bodyNode
	var titles []string
	if c := r.pickContainer(candidates, bodyNode); c != nil {
		scope = c
		titles = r.titlesBefore(bodyNode, c)
	}
	s := &htmlSink{blocks: &doc.Blocks}
	r.walk(scope, s)
	s.boundary()
	doc.Blocks = prependTitles(titles, doc.Blocks)
	if r.err != nil {
		return doc, r.err
	}
	if cut >= 0 {
		// The cells past the limit were hidden or outside the content the
		// walk reads; the page is still over the limit, never truncated.
		return doc, &Error{Path: path, Where: fmt.Sprintf("byte %d", cut), Err: fmt.Errorf("more than %d table cells in the page: %w", lim.MaxCells, ErrTooLarge)}
	}
	return doc, nil
}

// cellSlack is how many cells past the limit the tokenizer lets through
// before cutting the page: hidden and chrome tables count here but not
// in the walk, which should still meet the limit where it is and name
// the table and row.
func cellSlack(maxCells int) int { return maxCells/8 + 64 }

// cellLimitCut returns an offset in text just past the first td or th
// beyond maxCells (and cellSlack more) and its content (up to the next cell, row or table
// tag), so that a walk of the text up to there meets the cell that
// breaks the limit; or -1 when the page has no more cells than that. It
// runs the tokenizer only, which allocates almost nothing.
func cellLimitCut(text []byte, maxCells int) int {
	if maxCells <= 0 || bytes.Count(text, []byte("<")) <= maxCells {
		return -1 // too few tags to hold that many cells
	}
	z := html.NewTokenizer(bytes.NewReader(text))
	off, cells := 0, 0
	over := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if over {
				return off
			}
			return -1
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken || tt == html.EndTagToken {
			name, _ := z.TagName()
			cell := len(name) == 2 && name[0]|0x20 == 't' && (name[1]|0x20 == 'd' || name[1]|0x20 == 'h')
			row := len(name) == 2 && name[0]|0x20 == 't' && name[1]|0x20 == 'r'
			table := len(name) == 5 && bytes.EqualFold(name, []byte("table"))
			if over && (tt != html.EndTagToken && (cell || row || table) || tt == html.EndTagToken && (row || table)) {
				return off
			}
			if cell && tt != html.EndTagToken {
				cells++
				over = cells > maxCells+cellSlack(maxCells)
			}
		}
		off += len(z.Raw())
	}
}

// pageNodes are the elements of a parsed page that selectors pick, each
// as goquery's Find on the document would return it: title is the first
// "title", body the first "body", metas match "meta[name]" and containers
// match contentSelectors, in document order.
type pageNodes struct {
	title, body *html.Node
	metas       []*html.Node
	containers  []*html.Node
}

// pageSelector picks, in one goquery search, every element pageNodes
// needs.
const pageSelector = "body, title, meta[name], " + contentSelectors

// scanPage finds the pageNodes with a single goquery search of the page,
// whose matches come back once each in document order.
func scanPage(root *html.Node) pageNodes {
	var pg pageNodes
	for _, n := range goquery.NewDocumentFromNode(root).Find(pageSelector).Nodes {
		switch n.Data {
		case "body":
			if pg.body == nil {
				pg.body = n
			}
		case "title":
			if pg.title == nil {
				pg.title = n
			}
		case "meta":
			if _, ok := anyAttr(n, "name"); ok {
				pg.metas = append(pg.metas, n)
			}
		}
		if isContentContainer(n) {
			pg.containers = append(pg.containers, n)
		}
	}
	return pg
}

// anyAttr returns the first attribute named key in any namespace, as CSS
// selectors and goquery's Attr see attributes.
func anyAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// nodeText is the text of every text node inside n, in document order.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return b.String()
}

// isContentContainer reports whether element n matches contentSelectors
// under CSS rules: class words split on ASCII whitespace, exact case.
func isContentContainer(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			if a.Val == "zoom" || a.Val == "UCAP-CONTENT" {
				return true
			}
		case "class":
			if classHasContentWord(a.Val, n.Data == "div") {
				return true
			}
		}
	}
	return false
}

func classHasContentWord(v string, div bool) bool {
	for v != "" {
		i := strings.IndexAny(v, " \t\r\n\f")
		w := v
		if i >= 0 {
			w, v = v[:i], v[i+1:]
		} else {
			v = ""
		}
		switch w {
		case "TRS_Editor", "article-content", "Custom_UnionStyle":
			return true
		case "view":
			if div {
				return true
			}
		}
	}
	return false
}

// readHTMLMeta fills meta from <title> and the CMS <meta name> tags.
func readHTMLMeta(pg pageNodes, meta map[string]string) {
	if pg.title != nil {
		if t := normalizeHTMLText(nodeText(pg.title)); t != "" {
			meta["title"] = t
		}
	}
	for _, n := range pg.metas {
		name, _ := anyAttr(n, "name")
		key, ok := metaNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			continue
		}
		if _, seen := meta[key]; seen {
			continue
		}
		content, _ := anyAttr(n, "content")
		if v := normalizeHTMLText(content); v != "" {
			meta[key] = v
		}
	}
}

// htmlReader walks one parsed page.
type htmlReader struct {
	ctx        context.Context
	path       string
	steps      int // nodes walked, for cancellation checks
	lim        Limits
	containers map[*html.Node]bool // content containers found by selector
	chrome     map[*html.Node]bool // chrome elements that are safe to skip
	unhidden   map[*html.Node]bool // hidden elements that hold most of the page's text
	hid        map[*html.Node]bool // hidden elements of the body, by isHidden
	styles     map[string]bool     // styleHides by style attribute
	classes    map[string]uint8    // chromeWordsOf by class attribute, packed
	cells      int                 // cells read so far, nested tables included
	slots      int                 // grid slots covered so far
	tables     int                 // top-level tables read so far
	err        error               // the first limit hit; stops the walk
}

// htmlSink receives what a walk finds: paragraphs and tables at the top level,
// or the text and nested tables of one cell.
type htmlSink struct {
	tb     htmlText
	blocks *[]Block // top level; nil inside a cell
	cell   *Cell    // inside a cell
	depth  int      // tables enclosing this htmlSink
}

// boundary ends the current paragraph (top level) or line (cell).
func (s *htmlSink) boundary() {
	if s.blocks == nil {
		s.tb.soft()
		return
	}
	if t := s.tb.finish(); strings.TrimFunc(t, unicode.IsSpace) != "" {
		*s.blocks = append(*s.blocks, Block{Para: &Paragraph{Text: t}})
	}
}

// walk visits the children of n in document order.
func (r *htmlReader) walk(n *html.Node, s *htmlSink) {
	for c := n.FirstChild; c != nil && r.err == nil; c = c.NextSibling {
		if r.steps++; r.steps&1023 == 0 {
			if err := r.ctx.Err(); err != nil {
				r.err = &Error{Path: r.path, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
				return
			}
		}
		switch c.Type {
		case html.TextNode:
			s.tb.write(c.Data)
		case html.ElementNode:
			if isSkippedTag(c.Data) || r.hidden(c) {
				continue
			}
			if s.blocks != nil && r.chrome[c] {
				continue
			}
			switch {
			case c.Data == "br":
				s.tb.hard()
			case c.Data == "table":
				s.boundary()
				r.table(c, s)
				s.boundary()
			case isBlockTag(c.Data):
				s.boundary()
				r.walk(c, s)
				s.boundary()
			default:
				r.walk(c, s)
			}
		}
	}
}

// table reads the table element t found by htmlSink s: at the top level it
// becomes a block (its caption a paragraph before it); inside a cell it
// goes into the cell's Tables.
func (r *htmlReader) table(t *html.Node, s *htmlSink) {
	depth := s.depth + 1
	if s.blocks != nil {
		r.tables++
	}
	where := fmt.Sprintf("table %d", r.tables)
	if depth > 1 {
		where += fmt.Sprintf(" (nested %d deep)", depth)
	}
	if depth > r.lim.MaxDepth {
		r.err = &Error{Path: r.path, Table: r.tables, Where: where, Err: fmt.Errorf("tables nested %d deep, limit %d: %w", depth, r.lim.MaxDepth, ErrTooLarge)}
		return
	}
	var caption *html.Node
	var groups [][]*html.Node
	var head, foot []*html.Node
	var loose []*html.Node // <tr> directly under <table>
	flushLoose := func() {
		if loose != nil {
			groups = append(groups, loose)
			loose = nil
		}
	}
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || r.hidden(c) {
			continue
		}
		switch c.Data {
		case "caption":
			if caption == nil {
				caption = c
			}
		case "thead", "tbody", "tfoot":
			flushLoose()
			rows := r.childRows(c)
			switch {
			case c.Data == "thead" && head == nil:
				head = rows
			case c.Data == "tfoot" && foot == nil:
				foot = rows
			default:
				groups = append(groups, rows)
			}
		case "tr":
			if !isSpacerRow(c) {
				loose = append(loose, c)
			}
		}
	}
	flushLoose()
	if head != nil {
		groups = append([][]*html.Node{head}, groups...)
	}
	if foot != nil {
		groups = append(groups, foot)
	}

	if caption != nil {
		cs := &htmlSink{cell: &Cell{}, depth: depth} // tables inside a caption are dropped
		r.walk(caption, cs)
		if text := cs.tb.finish(); text != "" {
			if s.blocks != nil {
				*s.blocks = append(*s.blocks, Block{Para: &Paragraph{Text: text}})
			} else {
				s.tb.soft()
				s.tb.write(text)
				s.tb.soft()
			}
		}
	}

	b := NewBuilder()
	ncells := 0
	cs := &htmlSink{depth: depth} // reused for every cell of this table
groups:
	for _, rows := range groups {
		for i, tr := range rows {
			b.StartRow()
			for td := tr.FirstChild; td != nil; td = td.NextSibling {
				if td.Type != html.ElementNode || (td.Data != "td" && td.Data != "th") || r.hidden(td) {
					continue
				}
				r.cells++
				if r.cells > r.lim.MaxCells {
					r.err = &Error{Path: r.path, Table: r.tables, Row: b.row + 1, Where: fmt.Sprintf("%s row %d", where, b.row+1), Err: fmt.Errorf("more than %d table cells: %w", r.lim.MaxCells, ErrTooLarge)}
					return
				}
				cell := &Cell{
					ColSpan: parseHTMLSpan(nodeAttr(td, "colspan"), maxColSpan),
					RowSpan: parseHTMLSpan(nodeAttr(td, "rowspan"), maxRowSpan),
				}
				// A row span ends with its row group; rowspan="0" reaches
				// exactly to that end.
				if left := len(rows) - i; cell.RowSpan == 0 || cell.RowSpan > left {
					cell.RowSpan = left
				}
				if cell.ColSpan == 0 {
					cell.ColSpan = 1
				}
				r.slots += cell.RowSpan * cell.ColSpan
				if r.slots > slotsPerCell*r.lim.MaxCells {
					r.err = &Error{Path: r.path, Table: r.tables, Row: b.row + 1, Where: fmt.Sprintf("%s row %d", where, b.row+1), Err: fmt.Errorf("merged cells cover more than %d grid slots: %w", slotsPerCell*r.lim.MaxCells, ErrTooLarge)}
					return
				}
				cs.cell = cell
				r.walk(td, cs)
				cell.Text = cs.tb.finish()
				b.Add(cell)
				ncells++
				if r.err != nil {
					break groups
				}
			}
		}
	}
	if ncells == 0 {
		return
	}
	tbl := b.Table()
	if s.blocks != nil {
		*s.blocks = append(*s.blocks, Block{Table: tbl})
	} else {
		s.cell.Tables = append(s.cell.Tables, tbl)
	}
}

// childRows returns the visible <tr> children of a row group.
func (r *htmlReader) childRows(g *html.Node) []*html.Node {
	rows := []*html.Node{}
	for c := g.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "tr" && !r.hidden(c) && !isSpacerRow(c) {
			rows = append(rows, c)
		}
	}
	return rows
}

// isSpacerRow reports whether tr is the zero-height row of empty cells that
// Word appends to a table with misaligned columns (inside <![if
// !supportMisalignedColumns]>) to fix the column widths. It is not part of
// the table as written, and it may hold more cells than the grid has columns.
func isSpacerRow(tr *html.Node) bool {
	if strings.TrimSpace(nodeAttr(tr, "height")) != "0" {
		return false
	}
	for n := range tr.Descendants() {
		switch {
		case n.Type == html.TextNode && strings.TrimSpace(n.Data) != "":
			return false
		case n.Type == html.ElementNode && n.Data == "table":
			return false
		}
	}
	return true
}

// parseHTMLSpan reads a colspan or rowspan value the tolerant way browsers do:
// leading digits count ("2 ", "2px" → 2), anything else is 1; 0 stays 0
// (rowspan="0"), and values are capped at max.
func parseHTMLSpan(v string, max int) int {
	v = strings.TrimLeft(v, " \t\n\r\f")
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 {
		return 1
	}
	if end > 9 {
		return max
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil {
		return 1
	}
	if n > max {
		return max
	}
	return n
}

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hidden is isHidden, except for an element holding more than half of the
// page's text: pages that reveal their content by script hide a wrapper
// around all of it, and that is report text, not chrome.
// Only elements markChrome scanned may be asked: it records them all.
func (r *htmlReader) hidden(n *html.Node) bool {
	return r.hid[n] && !r.unhidden[n]
}

// isHidden reports whether an element is hidden from readers: the hidden
// attribute, aria-hidden="true", or an inline style display:none or
// visibility:hidden. The first aria-hidden and style attributes count.
func isHidden(n *html.Node) bool { return (*htmlReader)(nil).isHidden(n) }

// isHidden is the function isHidden; a non-nil r remembers the verdict on
// each distinct style attribute: Word pages repeat a few long ones often.
func (r *htmlReader) isHidden(n *html.Node) bool {
	var aria, style bool
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if !aria {
				aria = true
				if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
					return true
				}
			}
		case "style":
			if !style {
				style = true
				var hides bool
				if r == nil {
					hides = styleHides(a.Val)
				} else if h, ok := r.styles[a.Val]; ok {
					hides = h
				} else {
					hides = styleHides(a.Val)
					if r.styles == nil {
						r.styles = map[string]bool{}
					}
					r.styles[a.Val] = hides
				}
				if hides {
					return true
				}
			}
		}
	}
	return false
}

// styleHides reports whether an inline style declares display:none or
// visibility:hidden (or collapse). Names and values compare as
// strings.ToLower has them; ASCII declarations take a path that does not
// allocate.
func styleHides(style string) bool {
	if !mayHide(style) {
		return false
	}
	for style != "" {
		var decl string
		decl, style, _ = strings.Cut(style, ";")
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		if !isASCII(k) || !isASCII(v) {
			k, v = strings.ToLower(k), strings.ToLower(v)
			switch {
			case k == "display" && v == "none":
				return true
			case k == "visibility" && (v == "hidden" || v == "collapse"):
				return true
			}
			continue
		}
		switch {
		case equalFoldASCII(k, "display") && equalFoldASCII(v, "none"):
			return true
		case equalFoldASCII(k, "visibility") && (equalFoldASCII(v, "hidden") || equalFoldASCII(v, "collapse")):
			return true
		}
	}
	return false
}

// mayHide reports whether style holds, in any ASCII case, "none",
// "collapse" or "dden": every value styleHides accepts does, since only
// U+0130 and U+212A lower-case to ASCII letters (to i and k).
func mayHide(style string) bool {
	for i := 0; i < len(style); i++ {
		switch style[i] | 0x20 {
		case 'n':
			if hasFoldASCIIAt(style, i, "none") {
				return true
			}
		case 'c':
			if hasFoldASCIIAt(style, i, "collapse") {
				return true
			}
		case 'd':
			if hasFoldASCIIAt(style, i, "dden") {
				return true
			}
		}
	}
	return false
}

// hasFoldASCIIAt reports whether s[i:] starts with lower in any ASCII case.
func hasFoldASCIIAt(s string, i int, lower string) bool {
	return len(s)-i >= len(lower) && equalFoldASCII(s[i:i+len(lower)], lower)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// equalFoldASCII reports whether ASCII s lower-cases to lower.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// chromeCandidate reports whether an element looks like site chrome by its
// tag or by the words of its id and class: a chrome word and no content word.
func chromeCandidate(n *html.Node) bool { return (*htmlReader)(nil).chromeCandidate(n) }

// chromeCandidate is the function chromeCandidate; a non-nil r remembers
// the words of each distinct class attribute.
func (r *htmlReader) chromeCandidate(n *html.Node) bool {
	switch n.Data {
	case "header", "nav", "footer":
		return true
	case "body", "html", "table", "tbody", "thead", "tfoot", "tr", "td", "th":
		return false
	}
	idChrome, idContent := chromeWordsOf(nodeAttr(n, "id"))
	if idContent {
		return false
	}
	class := nodeAttr(n, "class")
	var w uint8
	if r == nil {
		w = packWords(chromeWordsOf(class))
	} else if c, ok := r.classes[class]; ok {
		w = c
	} else {
		w = packWords(chromeWordsOf(class))
		if r.classes == nil {
			r.classes = map[string]uint8{}
		}
		r.classes[class] = w
	}
	if w&2 != 0 {
		return false
	}
	return idChrome || w&1 != 0
}

func packWords(chrome, content bool) uint8 {
	var w uint8
	if chrome {
		w |= 1
	}
	if content {
		w |= 2
	}
	return w
}

// chromeWordsOf reports whether the names of an id or class attribute
// value hold a chrome word and a content word.
func chromeWordsOf(v string) (chrome, content bool) {
	for name := range strings.FieldsSeq(v) {
		ch, co, _ := nameParts(name, isChromeSep)
		chrome = chrome || ch
		content = content || co
	}
	return chrome, content
}

func isChromeSep(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ':' }

func isTitleSep(r rune) bool { return r == '-' || r == '_' }

// nameParts reports whether the parts of strings.ToLower(name) between
// runs of sep (ASCII separators only) include a chrome word, a content
// word, or "title". ASCII names are lower-cased in a buffer on the stack.
func nameParts(name string, sep func(rune) bool) (chrome, content, title bool) {
	check := func(part string) {
		switch {
		case contentWords[part]:
			content = true
		case chromeWords[part]:
			chrome = true
		}
		if part == "title" {
			title = true
		}
	}
	if !isASCII(name) || len(name) > 64 {
		for part := range strings.FieldsFuncSeq(strings.ToLower(name), sep) {
			check(part)
		}
		return
	}
	var arr [64]byte
	buf := arr[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	start := -1
	for i := 0; i <= len(buf); i++ {
		if i < len(buf) && !sep(rune(buf[i])) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			part := buf[start:i]
			switch {
			case contentWords[string(part)]:
				content = true
			case chromeWords[string(part)]:
				chrome = true
			}
			if string(part) == "title" {
				title = true
			}
			start = -1
		}
	}
	return
}

// markChrome decides, in one pass over body, which chrome candidates may be
// skipped: those that hold no table, no content container, and less than
// half of the page's text. Chrome skipping must never lose report text.
// The same pass finds hidden elements that hold most of the text.
func (r *htmlReader) markChrome(body *html.Node) {
	var found []chromeInfo
	total := r.scanChrome(body, &found).text
	r.chrome = map[*html.Node]bool{}
	r.unhidden = map[*html.Node]bool{}
	r.hid = map[*html.Node]bool{}
	for _, in := range found {
		switch {
		case in.hidden:
			r.hid[in.n] = true
			if in.text*2 > total {
				r.unhidden[in.n] = true
			}
		case !in.table && !in.container && in.text*2 <= total:
			r.chrome[in.n] = true
		}
	}
}

// chromeInfo is what markChrome learns of one subtree.
type chromeInfo struct {
	n                        *html.Node
	text                     int // characters of text, skipped tags left out
	table, container, hidden bool
}

// scanChrome sums up the subtree of n, appending hidden elements and chrome
// candidates to found.
func (r *htmlReader) scanChrome(n *html.Node, found *[]chromeInfo) chromeInfo {
	var in chromeInfo
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			in.text += utf8.RuneCountInString(c.Data)
		case html.ElementNode:
			if isSkippedTag(c.Data) {
				continue
			}
			ci := r.scanChrome(c, found)
			in.text += ci.text
			in.table = in.table || ci.table
			in.container = in.container || ci.container
		}
	}
	if n.Type == html.ElementNode {
		if n.Data == "table" {
			in.table = true
		}
		if len(r.containers) > 0 && r.containers[n] {
			in.container = true
		}
		if r.isHidden(n) {
			in.hidden = true
			in.n = n
			*found = append(*found, in)
			in.hidden, in.n = false, nil
		} else if r.chromeCandidate(n) {
			in.n = n
			*found = append(*found, in)
			in.n = nil
		}
	}
	return in
}

// pickContainer returns the first content container (in document order)
// that holds every table a reader of the page would see, other than layout
// tables around the container itself; nil when there is none. A container
// qualifies when the tables inside it and the tables around it are all the
// tables: one pass counts the tables inside every container, so the choice
// takes time linear in the page, not containers × tables.
func (r *htmlReader) pickContainer(candidates []*html.Node, body *html.Node) *html.Node {
	if len(candidates) == 0 {
		return nil
	}
	var tables []*html.Node
	r.visibleTables(body, &tables)
	isTable := make(map[*html.Node]bool, len(tables))
	for _, t := range tables {
		isTable[t] = true
	}
	inside := make(map[*html.Node]int, len(candidates))
	for _, c := range candidates {
		inside[c] = 0
	}
	root := body
	for root.Parent != nil {
		root = root.Parent
	}
	var count func(n *html.Node) int
	count = func(n *html.Node) int {
		k := 0
		if isTable[n] {
			k++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			k += count(c)
		}
		if _, ok := inside[n]; ok {
			inside[n] = k
		}
		return k
	}
	count(root)
	for _, c := range candidates {
		if !r.visible(c, body) {
			continue
		}
		around := 0
		for p := c.Parent; p != nil; p = p.Parent {
			if isTable[p] {
				around++
			}
		}
		if inside[c]+around == len(tables) {
			return c
		}
	}
	return nil
}

// visibleTables collects the tables walk would reach from n.
func (r *htmlReader) visibleTables(n *html.Node, out *[]*html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || isSkippedTag(c.Data) || r.hidden(c) || r.chrome[c] {
			continue
		}
		if c.Data == "table" {
			*out = append(*out, c)
		}
		r.visibleTables(c, out)
	}
}

// visible reports whether n and its ancestors up to body are neither hidden
// nor skipped chrome.
func (r *htmlReader) visible(n, body *html.Node) bool {
	for p := n; p != nil && p != body; p = p.Parent {
		// n may lie outside the body, or below a skipped element, where
		// markChrome did not look: isHidden itself decides there.
		if p.Type == html.ElementNode && (isSkippedTag(p.Data) || isHidden(p) && !r.unhidden[p] || r.chrome[p]) {
			return false
		}
	}
	return true
}

// contains reports whether d is a or lies inside a.
func nodeContains(a, d *html.Node) bool {
	for p := d; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// titlesBefore returns the text of headings (h1–h3, or elements whose id
// or class says title) that precede the content container c: CMS templates
// print the report's title above the container, not in it.
func (r *htmlReader) titlesBefore(body, c *html.Node) []string {
	var out []string
	done := false
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for k := n.FirstChild; k != nil && !done; k = k.NextSibling {
			if k == c {
				done = true
				return
			}
			if k.Type != html.ElementNode || isSkippedTag(k.Data) || r.hidden(k) || r.chrome[k] {
				continue
			}
			if isTitleElement(k) && !nodeContains(k, c) {
				s := &htmlSink{cell: &Cell{}}
				r.walk(k, s)
				if t := s.tb.finish(); t != "" && utf8.RuneCountInString(t) <= 200 {
					out = append(out, strings.ReplaceAll(t, "\n", ""))
				}
				continue
			}
			visit(k)
		}
	}
	visit(body)
	return out
}

// prependTitles puts the titles found above a content container before its
// blocks, leaving out one the container repeats in its first paragraphs.
func prependTitles(titles []string, blocks []Block) []Block {
	if len(titles) == 0 {
		return blocks
	}
	trim := func(s string) string { return strings.Trim(s, " \u3000\u00a0") }
	var out []Block
next:
	for _, t := range titles {
		for i := 0; i < len(blocks) && i < 3; i++ {
			if p := blocks[i].Para; p != nil && trim(strings.ReplaceAll(p.Text, "\n", "")) == trim(t) {
				continue next
			}
		}
		out = append(out, Block{Para: &Paragraph{Text: t}})
	}
	return append(out, blocks...)
}

func isTitleElement(n *html.Node) bool {
	switch n.Data {
	case "h1", "h2", "h3":
		return true
	case "table", "tbody", "tr":
		return false
	}
	for _, key := range [2]string{"id", "class"} {
		for name := range strings.FieldsSeq(nodeAttr(n, key)) {
			if _, _, title := nameParts(name, isTitleSep); title {
				return true
			}
		}
	}
	return false
}

// htmlText collects the text of a paragraph or cell. Raw text accumulates in
// cur; hard breaks (<br>) always end a line, soft ones (block boundaries)
// only a non-empty line. The lines go normalized into out as they end,
// joined by "\n", the empty ones at either end left out: out holds the
// lines up to the last non-empty one, and empty counts the empty lines
// after it, written only if another non-empty line follows.
type htmlText struct {
	out   []byte
	empty int
	cur   []byte
}

func (t *htmlText) write(s string) { t.cur = append(t.cur, s...) }

func (t *htmlText) writeBytes(s []byte) { t.cur = append(t.cur, s...) }

func (t *htmlText) hard() {
	if !t.endLine() && len(t.out) > 0 {
		t.empty++
	}
}

func (t *htmlText) soft() { t.endLine() }

// endLine moves cur, normalized, into out and reports whether the line
// was non-empty.
func (t *htmlText) endLine() bool {
	if len(t.cur) == 0 {
		return false
	}
	p := len(t.out)
	if p > 0 {
		for range t.empty + 1 {
			t.out = append(t.out, '\n')
		}
	}
	q := len(t.out)
	t.out = appendHTMLLineAt(t.out, q, t.cur)
	t.cur = t.cur[:0]
	if len(t.out) == q {
		t.out = t.out[:p]
		return false
	}
	t.empty = 0
	return true
}

// finish returns the collected text and resets the buffer.
func (t *htmlText) finish() string {
	t.soft()
	s := string(t.out)
	t.out, t.empty = t.out[:0], 0
	return s
}

func isHTMLSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

// normalizeHTMLLine collapses each run of ASCII whitespace to one space and
// trims the ends; U+3000 and U+00A0 are kept. A run holding a line break
// between two East Asian wide characters is dropped, as CSS does, because
// Word's HTML export wraps its source lines in the middle of Chinese text.
func normalizeHTMLLine(raw []byte) string { return string(appendHTMLLine(nil, raw)) }

// appendHTMLLine appends normalizeHTMLLine(raw) to out, which must be empty
// (the wide-character test looks back into it).
func appendHTMLLine(out, raw []byte) []byte { return appendHTMLLineAt(out, len(out), raw) }

// appendHTMLLineAt appends normalizeHTMLLine(raw) to out, where out[start:]
// is what was appended of the line so far (empty when it begins).
func appendHTMLLineAt(out []byte, start int, raw []byte) []byte {
	i := 0
	for i < len(raw) {
		if !isHTMLSpace(raw[i]) {
			j := i + 1
			for j < len(raw) && !isHTMLSpace(raw[j]) {
				j++
			}
			out = append(out, raw[i:j]...)
			i = j
			continue
		}
		j := i
		brk := false
		for j < len(raw) && isHTMLSpace(raw[j]) {
			if raw[j] == '\n' || raw[j] == '\r' {
				brk = true
			}
			j++
		}
		if len(out) > start && j < len(raw) {
			if !(brk && wideBefore(out[start:]) && wideAfter(raw[j:])) {
				out = append(out, ' ')
			}
		}
		i = j
	}
	return out
}

func wideBefore(b []byte) bool {
	r, _ := utf8.DecodeLastRune(b)
	return isEastAsianWide(r)
}

func wideAfter(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return isEastAsianWide(r)
}

func isEastAsianWide(r rune) bool {
	if r < 0x1100 {
		return false
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return !unicode.Is(unicode.Hangul, r)
	}
	return false
}

// normalizeHTMLText is normalizeHTMLLine over a whole string, line breaks included.
func normalizeHTMLText(s string) string { return normalizeHTMLLine([]byte(s)) }
