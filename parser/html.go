package parser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	a "golang.org/x/net/html/atom"
)

// ReadHTML reads an HTML page (a CMS article page, or a Word/WPS document
// saved or pasted as HTML) into a Document. data is the raw file. Its
// character set is the first of: a byte order mark (RuleBOM); opts.Charset
// (RuleCaller) or a <meta> declaration anywhere in the head (RuleMeta), each
// only if the bytes decode under it cleanly or but for a few stray bytes
// (which become U+FFFD, with a Document warning); UTF-8 if the bytes are
// valid UTF-8 (RuleUTF8); else GB18030 (RuleGB18030). GBK and GB2312 are
// decoded as GB18030, their superset. A declaration the bytes refute is kept
// in Meta[MetaCharsetDeclared].
//
// Blocks come from the page's main content container when a CMS one holds
// every table, else from the whole body; scripts, hidden elements and site
// chrome (navigation, headers, footers) that holds no table are left out.
//
// Errors are *Error naming path: ErrEmpty; ErrFormat for binary data, for
// text whose tags name no HTML element, or for a page of mostly unknown
// tags nested past the HTML parser's 512 open elements (random printable
// bytes); ErrTooLarge for a limit (the
// blocks read so far come back beside it), for more table cells than
// Limits.MaxCells (counted while reading; tokenizing, which counts hidden
// ones too, stops a little past the limit, before anything big is built)
// or for real elements nested deeper than 512; ErrCanceled when ctx ends.
func ReadHTML(ctx context.Context, path string, data []byte, opts Options) (*Document, error) {
	return readHTML(ctx, path, data, opts, readAuto)
}

// How readHTML reads: the flat tree, falling back to the DOM when a page
// needs it; or, for tests, only one of the two.
const (
	readAuto = iota
	readFlatOnly
	readDOMOnly
)

func readHTML(ctx context.Context, path string, data []byte, opts Options, mode int) (*Document, error) {
	lim := opts.Limits.WithDefaults()
	doc, decoded, err := startHTML(path, data, opts.Charset, lim)
	if doc == nil || err != nil {
		return doc, err
	}
	defer decoded.release()
	page := decoded.text
	if mode == readDOMOnly {
		return readHTMLDOM(ctx, path, page, lim, doc)
	}
	t, err := buildHTMLTree(ctx, path, page, lim)
	defer t.release()
	switch {
	case errors.Is(err, errTreeFallback):
		if mode == readFlatOnly {
			return nil, err
		}
		t.countRest()
		if t.notHTML() {
			return nil, notHTMLError(path, t)
		}
		doc, err = readHTMLDOM(ctx, path, page, lim, doc)
		if err != nil && errors.Is(err, ErrTooLarge) && t.unknown > t.known {
			return nil, notHTMLError(path, t)
		}
		return doc, err
	case errors.Is(err, errOpenStack):
		if t.unknown > t.known {
			return nil, notHTMLError(path, t)
		}
		return nil, &Error{Path: path, Where: "parse", Err: fmt.Errorf("%v: %w", err, ErrTooLarge)}
	case errors.Is(err, errTooManyCells):
		// Read what was tokenized: the limit is usually met again, at the
		// same cell, with the blocks before it.
		if _, rerr := readFlat(ctx, path, t, lim, doc); rerr != nil {
			return doc, rerr
		}
		return doc, &Error{Path: path, Table: t.topTables, Row: t.topRows, Where: fmt.Sprintf("table %d row %d", t.topTables, t.topRows),
			Err: fmt.Errorf("more than %d table cells in the page: %w", lim.MaxCells, ErrTooLarge)}
	case err != nil:
		return nil, err
	}
	if t.notHTML() {
		return nil, notHTMLError(path, t)
	}
	return readFlat(ctx, path, t, lim, doc)
}

// notHTML reports whether the start tags of a page name HTML elements too
// rarely for it to be a page: random printable bytes make a "tag" of every
// '<' before a letter, and only by chance a known one. Text with no tags
// at all is still read, as a page of text; Word's pages, the richest in
// tags of their own (o:p, st1:…), have as many HTML elements as others.
func (t *htmlTree) notHTML() bool {
	return t.known == 0 && t.unknown > 0 || t.unknown >= 50 && t.unknown > 20*t.known
}

func notHTMLError(path string, t *htmlTree) error {
	if t.known == 0 {
		return &Error{Path: path, Err: fmt.Errorf("not HTML: %d start tags, none of an HTML element: %w", t.unknown, ErrFormat)}
	}
	return &Error{Path: path, Err: fmt.Errorf("not HTML: %d start tags of unknown elements against %d of HTML ones: %w", t.unknown, t.known, ErrFormat)}
}

// startHTML checks and decodes a page, returning the Document to fill and
// the page as UTF-8 (to release once read); a nil Document comes with an
// error.
func startHTML(path string, data []byte, charset string, lim Limits) (*Document, *decodedPage, error) {
	if max := min(lim.MaxHTMLBytes, lim.MaxFileBytes); int64(len(data)) > max {
		return nil, nil, &Error{Path: path, Err: fmt.Errorf("HTML page of %d bytes, limit %d (max HTML size): %w", len(data), max, ErrTooLarge)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, &Error{Path: path, Err: ErrEmpty}
	}
	utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
	if !utf16 && looksBinary(data) {
		return nil, nil, &Error{Path: path, Err: fmt.Errorf("binary data, not text: %w", ErrFormat)}
	}
	page := decodeHTML(data, charset)
	if utf16 && looksBinary(page.text) {
		page.release()
		return nil, nil, &Error{Path: path, Err: fmt.Errorf("binary data, not text: %w", ErrFormat)}
	}
	if len(bytes.TrimSpace(page.text)) == 0 {
		page.release()
		return nil, nil, &Error{Path: path, Err: ErrEmpty}
	}
	doc := &Document{
		Path:        path,
		Format:      FormatHTML,
		Charset:     page.charset,
		CharsetRule: page.rule,
		Meta:        map[string]string{},
		Blocks:      []Block{},
	}
	if page.declared != "" && page.declared != page.charset {
		doc.Meta[MetaCharsetDeclared] = page.declared
	}
	if page.invalid > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d byte sequences invalid in %s, read as U+FFFD", page.invalid, page.charset))
	}
	return doc, &page, nil
}

// countRest tokenizes the rest of the page only to count start tags.
func (t *htmlTree) countRest() {
	for {
		switch t.z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := t.z.TagName()
			if a.Lookup(name) != 0 {
				t.known++
			} else {
				t.unknown++
			}
		}
	}
}

// flatReader reads the flat tree of one page as htmlReader reads a DOM.
type flatReader struct {
	ctx    context.Context
	path   string
	lim    Limits
	nodes  []htmlNode
	text   []byte
	steps  int
	cells  int
	slots  int
	tables int
	err    error

	cellSlab  []Cell // cells not yet handed out
	cellsLeft int    // td and th elements of the page not yet given a Cell
}

// readFlat fills doc from the flat tree t.
func readFlat(ctx context.Context, path string, t *htmlTree, lim Limits, doc *Document) (*Document, error) {
	r := &flatReader{ctx: ctx, path: path, lim: lim, nodes: t.nodes, text: t.text, cellsLeft: t.cells}
	if t.title >= 0 {
		if s := normalizeHTMLText(r.textOf(t.title)); s != "" {
			doc.Meta["title"] = s
		}
	}
	for _, m := range t.metas {
		key, ok := metaNames[strings.ToLower(strings.TrimSpace(m.name))]
		if !ok {
			continue
		}
		if _, seen := doc.Meta[key]; seen {
			continue
		}
		if v := normalizeHTMLText(m.content); v != "" {
			doc.Meta[key] = v
		}
	}
	if len(doc.Meta) == 0 {
		doc.Meta = nil
	}
	body := t.body
	if body < 0 {
		return doc, nil
	}
	r.markChrome(body)
	scope := body
	var titles []string
	if c := r.pickContainer(body); c >= 0 {
		scope = c
		titles = r.titlesBefore(body, c)
	}
	s := &htmlSink{blocks: &doc.Blocks}
	r.walk(scope, s)
	s.boundary()
	doc.Blocks = prependTitles(titles, doc.Blocks)
	if r.err != nil {
		return doc, r.err
	}
	return doc, nil
}

// textOf is the text of every text run inside node n.
func (r *flatReader) textOf(n int32) string {
	var b []byte
	for i := n + 1; i < r.nodes[n].end; i++ {
		if nd := &r.nodes[i]; nd.flags&nText != 0 {
			b = append(b, r.text[nd.a0:nd.a1]...)
		}
	}
	return string(b)
}

func (r *flatReader) isElem(n int32) bool { return r.nodes[n].flags&nText == 0 }

// markChrome decides, in one pass over body, which chrome candidates may be
// skipped and which hidden elements are left out, as htmlReader.markChrome.
func (r *flatReader) markChrome(body int32) {
	var found []flatInfo
	total := r.scanChrome(body, &found).text
	for _, in := range found {
		nd := &r.nodes[in.n]
		switch {
		case in.hidden:
			if in.text*2 > total {
				nd.flags |= nUnhidden
			} else {
				nd.flags |= nHid
			}
		case !in.table && !in.container && in.text*2 <= total:
			nd.flags |= nChromeSkip
		}
	}
}

type flatInfo struct {
	n                        int32
	text                     int
	table, container, hidden bool
}

// scanChrome returns the text (in characters) of body, and in found the
// hidden and chrome candidates inside it (body included) with their text
// and whether they hold a table or a content container; elements that
// never hold report text are left out with all they hold. One pass in
// document order: a stack holds the candidates open at the current node.
func (r *flatReader) scanChrome(body int32, found *[]flatInfo) flatInfo {
	nodes := r.nodes
	type open struct {
		flatInfo
		end   int32
		start int // text before it
	}
	var stack []open
	cum := 0
	push := func(n int32) {
		nd := &nodes[n]
		if nd.flags&(nHidden|nChrome) == 0 {
			if len(stack) > 0 && (nd.tag == a.Table || nd.flags&nContainer != 0) {
				top := &stack[len(stack)-1]
				top.table = top.table || nd.tag == a.Table
				top.container = top.container || nd.flags&nContainer != 0
			}
			return
		}
		o := open{flatInfo: flatInfo{n: n, hidden: nd.flags&nHidden != 0, table: nd.tag == a.Table, container: nd.flags&nContainer != 0}, end: nd.end, start: cum}
		stack = append(stack, o)
	}
	pop := func() {
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		o.text = cum - o.start
		*found = append(*found, o.flatInfo)
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			top.table = top.table || o.table
			top.container = top.container || o.container
		}
	}
	push(body)
	end := nodes[body].end
	for i := body + 1; i < end; {
		for len(stack) > 0 && stack[len(stack)-1].end <= i {
			pop()
		}
		nd := &nodes[i]
		switch {
		case nd.flags&nText != 0:
			cum += utf8.RuneCount(r.text[nd.a0:nd.a1])
			i++
		case nd.flags&nSkip != 0:
			i = nd.end
		default:
			push(i)
			i++
		}
	}
	for len(stack) > 0 {
		pop()
	}
	return flatInfo{text: cum}
}

// hidden reports whether walk leaves element n out as hidden.
func (r *flatReader) hidden(n int32) bool { return r.nodes[n].flags&nHid != 0 }

// pickContainer returns the first content container (in document order)
// that holds every table a reader of the page would see, other than layout
// tables around the container itself; -1 when there is none. Unlike
// comparing every container with every table, this takes time linear in
// the page: in document order, a container c holds or lies inside every
// table when no table starts at or after c's end, and every table that
// starts before c is still open at c.
func (r *flatReader) pickContainer(body int32) int32 {
	nodes := r.nodes
	var candidates []int32
	for i := range nodes {
		if nodes[i].flags&nContainer != 0 && nodes[i].flags&nText == 0 {
			candidates = append(candidates, int32(i))
		}
	}
	if len(candidates) == 0 {
		return -1
	}
	var tables []int32
	r.visibleTables(body, &tables)
	// minEnd[k] is the least end of tables[0..k].
	minEnd := make([]int32, len(tables))
	for k, t := range tables {
		minEnd[k] = nodes[t].end
		if k > 0 && minEnd[k-1] < minEnd[k] {
			minEnd[k] = minEnd[k-1]
		}
	}
	invisible := r.invisible(body)
	for _, c := range candidates {
		if invisible[c] {
			continue
		}
		if len(tables) > 0 && tables[len(tables)-1] >= nodes[c].end {
			continue
		}
		k := sort.Search(len(tables), func(i int) bool { return tables[i] >= c })
		if k > 0 && minEnd[k-1] <= c {
			continue
		}
		return c
	}
	return -1
}

// invisible marks the nodes that htmlReader.visible refuses: those with
// themselves or an ancestor below body skipped, hidden or skipped chrome.
func (r *flatReader) invisible(body int32) []bool {
	nodes := r.nodes
	inv := make([]bool, len(nodes))
	var open []int32 // the ancestors of node i
	for i := range nodes {
		n := &nodes[i]
		for len(open) > 0 && nodes[open[len(open)-1]].end <= int32(i) {
			open = open[:len(open)-1]
		}
		if n.flags&nText != 0 {
			continue
		}
		parent := int32(-1)
		if len(open) > 0 {
			parent = open[len(open)-1]
		}
		open = append(open, int32(i))
		if int32(i) == body {
			continue
		}
		own := n.flags&nSkip != 0 || n.flags&nHidden != 0 && n.flags&nUnhidden == 0 || n.flags&nChromeSkip != 0
		inv[i] = own || parent >= 0 && parent != body && inv[parent]
	}
	return inv
}

// visibleTables collects the tables walk would reach from n.
func (r *flatReader) visibleTables(n int32, out *[]int32) {
	nodes := r.nodes
	for c := n + 1; c < nodes[n].end; c = nodes[c].end {
		nd := &nodes[c]
		if nd.flags&(nText|nSkip|nHid|nChromeSkip) != 0 {
			continue
		}
		if nd.tag == a.Table {
			*out = append(*out, c)
		}
		r.visibleTables(c, out)
	}
}

func (r *flatReader) contains(x, d int32) bool { return x <= d && d < r.nodes[x].end }

// titlesBefore is htmlReader.titlesBefore.
func (r *flatReader) titlesBefore(body, c int32) []string {
	var out []string
	done := false
	nodes := r.nodes
	var visit func(n int32)
	visit = func(n int32) {
		for k := n + 1; k < nodes[n].end && !done; k = nodes[k].end {
			if k == c {
				done = true
				return
			}
			nd := &nodes[k]
			if nd.flags&(nText|nSkip|nHid|nChromeSkip) != 0 {
				continue
			}
			if nd.flags&nTitle != 0 && !r.contains(k, c) {
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

// walk visits the children of n in document order.
func (r *flatReader) walk(n int32, s *htmlSink) {
	nodes := r.nodes
	for c := n + 1; c < nodes[n].end && r.err == nil; c = nodes[c].end {
		if r.steps++; r.steps&1023 == 0 {
			if err := r.ctx.Err(); err != nil {
				r.err = &Error{Path: r.path, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
				return
			}
		}
		nd := &nodes[c]
		if nd.flags&nText != 0 {
			s.tb.writeBytes(r.text[nd.a0:nd.a1])
			continue
		}
		if nd.flags&(nSkip|nHid) != 0 {
			continue
		}
		if s.blocks != nil && nd.flags&nChromeSkip != 0 {
			continue
		}
		switch {
		case nd.tag == a.Br:
			s.tb.hard()
		case nd.tag == a.Table:
			s.boundary()
			r.table(c, s)
			s.boundary()
		case nd.flags&nBlock != 0:
			s.boundary()
			r.walk(c, s)
			s.boundary()
		default:
			r.walk(c, s)
		}
	}
}

// table is htmlReader.table over the flat tree.
func (r *flatReader) table(t int32, s *htmlSink) {
	nodes := r.nodes
	depth := s.depth + 1
	if s.blocks != nil {
		r.tables++
	}
	tableNo := r.tables
	where := func(row int) string {
		w := fmt.Sprintf("table %d", tableNo)
		if depth > 1 {
			w += fmt.Sprintf(" (nested %d deep)", depth)
		}
		if row > 0 {
			w += fmt.Sprintf(" row %d", row)
		}
		return w
	}
	if depth > r.lim.MaxDepth {
		r.err = &Error{Path: r.path, Table: tableNo, Where: where(0), Err: fmt.Errorf("tables nested %d deep, limit %d: %w", depth, r.lim.MaxDepth, ErrTooLarge)}
		return
	}
	caption := int32(-1)
	var groups [][]int32
	var head, foot []int32
	var loose []int32
	flushLoose := func() {
		if loose != nil {
			groups = append(groups, loose)
			loose = nil
		}
	}
	for c := t + 1; c < nodes[t].end; c = nodes[c].end {
		nd := &nodes[c]
		if nd.flags&nText != 0 || r.hidden(c) {
			continue
		}
		switch nd.tag {
		case a.Caption:
			if caption < 0 {
				caption = c
			}
		case a.Thead, a.Tbody, a.Tfoot:
			flushLoose()
			rows := r.childRows(c)
			switch {
			case nd.tag == a.Thead && head == nil:
				head = rows
			case nd.tag == a.Tfoot && foot == nil:
				foot = rows
			default:
				groups = append(groups, rows)
			}
		case a.Tr:
			if !r.isSpacerRow(c) {
				loose = append(loose, c)
			}
		}
	}
	flushLoose()
	if head != nil {
		groups = append([][]int32{head}, groups...)
	}
	if foot != nil {
		groups = append(groups, foot)
	}

	if caption >= 0 {
		cs := &htmlSink{cell: &Cell{}, depth: depth}
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

	var b *Builder
	ncells := 0
	cs := &htmlSink{depth: depth}
groups:
	for _, rows := range groups {
		for i, tr := range rows {
			if b == nil {
				b = NewBuilder()
			}
			b.StartRow()
			for td := tr + 1; td < nodes[tr].end; td = nodes[td].end {
				nd := &nodes[td]
				if nd.flags&nText != 0 || (nd.tag != a.Td && nd.tag != a.Th) || r.hidden(td) {
					continue
				}
				r.cells++
				if r.cells > r.lim.MaxCells {
					r.err = &Error{Path: r.path, Table: tableNo, Row: b.row + 1, Where: where(b.row + 1), Err: fmt.Errorf("more than %d table cells: %w", r.lim.MaxCells, ErrTooLarge)}
					return
				}
				cell := r.newCell()
				cell.ColSpan, cell.RowSpan = int(nd.a0), int(nd.a1)
				if left := len(rows) - i; cell.RowSpan == 0 || cell.RowSpan > left {
					cell.RowSpan = left
				}
				if cell.ColSpan == 0 {
					cell.ColSpan = 1
				}
				r.slots += cell.RowSpan * cell.ColSpan
				if r.slots > slotsPerCell*r.lim.MaxCells {
					r.err = &Error{Path: r.path, Table: tableNo, Row: b.row + 1, Where: where(b.row + 1), Err: fmt.Errorf("merged cells cover more than %d grid slots: %w", slotsPerCell*r.lim.MaxCells, ErrTooLarge)}
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

// newCell returns a zero Cell, taken from a slab: a page's cells are made
// together and live as long as its Document.
func (r *flatReader) newCell() *Cell {
	if len(r.cellSlab) == 0 {
		// As many as the td and th elements of the page not yet read,
		// so that hardly any go unused.
		r.cellSlab = make([]Cell, min(max(r.cellsLeft, 1), 4096))
	}
	c := &r.cellSlab[0]
	r.cellSlab = r.cellSlab[1:]
	r.cellsLeft--
	return c
}

// childRows returns the visible <tr> children of a row group.
func (r *flatReader) childRows(g int32) []int32 {
	rows := []int32{}
	nodes := r.nodes
	for c := g + 1; c < nodes[g].end; c = nodes[c].end {
		if nd := &nodes[c]; nd.flags&nText == 0 && nd.tag == a.Tr && !r.hidden(c) && !r.isSpacerRow(c) {
			rows = append(rows, c)
		}
	}
	return rows
}

// isSpacerRow is the function isSpacerRow over the flat tree.
func (r *flatReader) isSpacerRow(tr int32) bool {
	nodes := r.nodes
	if nodes[tr].flags&nSpacerH == 0 {
		return false
	}
	for i := tr + 1; i < nodes[tr].end; i++ {
		nd := &nodes[i]
		switch {
		case nd.flags&nText != 0 && (nd.flags&nInk != 0 || len(bytes.TrimSpace(r.text[nd.a0:nd.a1])) != 0):
			return false
		case nd.flags&nText == 0 && nd.tag == a.Table:
			return false
		}
	}
	return true
}
