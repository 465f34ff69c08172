package parser

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/net/html"
	a "golang.org/x/net/html/atom"
)

// The HTML reader does not build x/net/html's DOM. It tokenizes the page
// once (htmlTokenizer, x/net/html's Tokenizer tuned for a page in memory)
// and applies the HTML tree-construction
// rules itself, the way x/net/html's parser does (insertion modes, implied
// html/head/body/tbody/tr, implied end tags, unclosed cells and rows, the
// list of active formatting elements), writing a flat tree: one htmlNode per
// element or text run, in document order, each knowing where its subtree
// ends. Only what the reader needs is kept: a tag, a few flags decided from
// the attributes when the element is made, spans for cells, and text in one
// arena. The reader then walks that tree as it walked the DOM.
//
// The rules that move nodes already made (foster parenting of text or
// elements misplaced inside a table, the adoption agency's reparenting of
// misnested formatting elements, </form> closing a form that is not the
// current node) and the content kinds that follow rules of their own
// (<template>, <frameset>, SVG and MathML) are not repeated here: when a page
// needs one, errTreeFallback sends it to the DOM reader, which gives the
// same Document more slowly.

// errTreeFallback says a page needs a tree-construction rule the flat tree
// does not implement.
var errTreeFallback = errors.New("page needs the full HTML tree builder")

// htmlNode flags.
const (
	nText      uint16 = 1 << iota // a text run, not an element
	nHidden                       // isHidden by its attributes
	nChrome                       // chromeCandidate by tag, id and class
	nContainer                    // isContentContainer
	nTitle                        // isTitleElement
	nSpacerH                      // a <tr> with height="0"
	nSkip                         // a tag that never holds report text (isSkippedTag)
	// decisions of the reader
	nBlock      // isBlockTag
	nChromeSkip // chrome that may be left out
	nHid        // hidden, and left out
	nUnhidden   // hidden, but holding most of the page's text
	// a text run inside an element that never holds report text, kept
	// without its bytes: it has some other than white space
	nInk
)

// htmlNode is one element or text run of the flat tree.
type htmlNode struct {
	end    int32 // index past the last node of this subtree
	tag    a.Atom
	a0, a1 int32 // text: arena range; td/th: colspan and rowspan; tag 0: the index of the name in htmlTree.names
	flags  uint16
}

// afeEntry is an entry of the list of active formatting elements; node < 0
// is a scope marker.
type afeEntry struct {
	node  int32
	attrs []html.Attribute // sorted, for the Noah's Ark clause and clones
}

type insertionMode uint8

const (
	imInitial insertionMode = iota
	imBeforeHTML
	imBeforeHead
	imInHead
	imAfterHead
	imInBody
	imText
	imInTable
	imInCaption
	imInColumnGroup
	imInTableBody
	imInRow
	imInCell
	imAfterBody
	imAfterAfterBody
)

// htmlToken is the token being processed.
type htmlToken struct {
	typ         html.TokenType
	tag         a.Atom
	name        string
	attrs       []html.Attribute // only the attributes the reader looks at, unless keepAll
	selfClosing bool
	text        []byte
	info        elemInfo // decided from the attributes, when known
	haveInfo    bool
	cacheable   bool // a token read from the page: t.key describes it
}

// elemInfo is what an element's tag and attributes decide.
type elemInfo struct {
	flags  uint16
	a0, a1 int32
}

// htmlTree builds the flat tree of one page.
type htmlTree struct {
	buf       *treeBuf // where the buffers go back for the next page
	ctx       context.Context
	path      string
	lim       Limits
	z         *htmlTokenizer
	nodes     []htmlNode
	text      []byte
	oe        []int32 // stack of open elements
	afe       []afeEntry
	im, orig  insertionMode
	quirks    bool
	form      int32 // the form element pointer, or -1
	skipOpen  int   // open elements whose text is dropped (dropsText)
	textOpen  int   // open elements when the last text run was made
	head      int32
	body      int32
	htmlEl    int32
	title     int32 // first title element, or -1
	metas     []metaTag
	bodyAttr  []html.Attribute // attributes of body and html, for copyAttributes
	htmlAttr  []html.Attribute
	tok       htmlToken
	scratch   html.Node
	cache     htmlReader // verdicts on style and class attributes seen before
	strs      map[string]string
	fostering bool                 // a table mode hands the token to inBodyIM
	key       []byte               // tag name and kept attributes of the current token
	rawAttrs  [][2][]byte          // kept attributes of the current token, in the tokenizer's buffer
	infos     map[string]elemInfo  // elemInfo by key: pages repeat a few attribute sets
	tags      map[string]cachedTag // tag tokens by their raw bytes
	rawTag    []byte               // the raw bytes of the current tag token, in the page
	implAttrs []html.Attribute     // empty attributes of implied tokens
	names     []string             // tag names without an atom
	nameIdx   map[string]int32
	cells     int // td and th elements made
	topTables int // tables outside tables made
	topRows   int // rows of the last of those
	known     int // start tags of known HTML elements
	unknown   int // start tags of other names
	err       error
}

type metaTag struct{ name, content string }

// maxOpenElements is x/net/html's limit on the stack of open elements.
const maxOpenElements = 512

// buildHTMLTree tokenizes page (UTF-8) into a flat tree.
func buildHTMLTree(ctx context.Context, path string, page []byte, lim Limits) (*htmlTree, error) {
	b, _ := treeBuffers.Get().(*treeBuf)
	if b == nil {
		b = &treeBuf{strs: map[string]string{}}
	}
	if len(b.tags) >= maxCachedTags {
		clear(b.tags)
	}
	if len(b.infos) >= maxCachedInfos {
		clear(b.infos)
	}
	clear(b.strs)
	t := &htmlTree{
		buf: b,
		ctx: ctx, path: path, lim: lim,
		z:    newHTMLTokenizerWith(page, &b.starts),
		form: -1, head: -1, body: -1, htmlEl: -1, title: -1,
		nodes: b.nodes[:0],
		text:  b.text[:0],
		tags:  b.tags,
		infos: b.infos,
		strs:  b.strs,
	}
	t.scratch.Type = html.ElementNode
	for steps := 1; ; steps++ {
		if steps&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return t, &Error{Path: path, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
			}
		}
		tt := t.z.Next()
		t.readToken(tt)
		t.process()
		if t.err != nil || tt == html.ErrorToken {
			break
		}
	}
	for len(t.oe) > 0 {
		t.pop()
	}
	return t, t.err
}

// treeBuf holds the large buffers of one page's tree (the nodes, the text
// arena), kept for the next page: nothing of the Document points into
// them. The page itself is only read.
type treeBuf struct {
	nodes []htmlNode
	text  []byte
	// What pages repeat, decided from a tag's bytes alone and so valid
	// for any page.
	tags  map[string]cachedTag
	infos map[string]elemInfo
	strs  map[string]string // emptied for each page
	// recent is a direct-mapped cache in front of tags, cheaper to
	// probe than the map.
	recent [256]cachedTag
	starts seenStarts // the tokenizer's
}

// Bounds of the caches kept from page to page.
const (
	maxCachedTags  = 4096
	maxCachedInfos = 4096
)

var treeBuffers sync.Pool

// release returns t's buffers for reuse; t must not be read afterwards
// except for its counters.
func (t *htmlTree) release() {
	const keep = 16 << 20 // do not hold on to what a hostile page needed
	if cap(t.text) > keep || cap(t.nodes)*int(unsafe.Sizeof(htmlNode{})) > keep {
		return
	}
	b := t.buf
	b.nodes, b.text, b.tags, b.infos = t.nodes[:0], t.text[:0], t.tags, t.infos
	treeBuffers.Put(b)
	t.nodes, t.text = nil, nil
}

// readToken fills t.tok from the tokenizer.
func (t *htmlTree) readToken(tt html.TokenType) {
	t.tok = htmlToken{typ: tt, attrs: t.tok.attrs[:0]}
	switch tt {
	case html.TextToken:
		t.tok.text = t.z.Text()
	case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		raw := t.z.Raw()
		slot := &t.buf.recent[recentSlot(raw)]
		e, ok := *slot, slot.raw == string(raw)
		if !ok {
			if e, ok = t.tags[string(raw)]; ok {
				*slot = e
			}
		}
		if ok {
			t.tok.typ, t.tok.tag, t.tok.name, t.tok.selfClosing = e.typ, e.tag, e.name, e.selfClosing
			t.tok.info, t.tok.haveInfo = e.info, e.typ == html.StartTagToken
			if e.typ == html.StartTagToken {
				if e.tag != 0 {
					t.known++
				} else {
					t.unknown++
				}
			}
			return
		}
		t.rawTag = raw
		defer t.rememberTag()
		name, hasAttr := t.z.TagName()
		t.tok.tag = a.Lookup(name)
		if t.tok.tag != 0 {
			t.tok.name = t.tok.tag.String()
		} else {
			t.tok.name = t.intern(name)
		}
		if tt == html.SelfClosingTagToken {
			t.tok.typ = html.StartTagToken
			t.tok.selfClosing = true
		}
		if t.tok.typ == html.StartTagToken {
			if t.tok.tag != 0 {
				t.known++
			} else {
				t.unknown++
			}
		}
		if t.tok.typ != html.StartTagToken {
			for hasAttr {
				_, _, hasAttr = t.z.TagAttr()
			}
			break
		}
		// Flags depend on the tag and the kept attributes only (the
		// tokenizer drops duplicate attributes, so order does not
		// matter): look them up by those bytes, and make strings of the
		// attributes only for the elements that keep them.
		all := isFormattingTag(t.tok.tag)
		keep := all
		switch t.tok.tag {
		case a.Meta, a.Body, a.Html, a.Input:
			keep = true
		}
		t.key = append(t.key[:0], t.tok.name...)
		t.rawAttrs = t.rawAttrs[:0]
		want := keptAttr
		if all {
			want = anyAttrKey
		}
		for hasAttr {
			var k, v []byte
			var kept bool
			k, v, kept, hasAttr = t.z.tagAttrIf(want)
			if !kept {
				continue
			}
			if !keptAttr(k) {
				t.tok.attrs = append(t.tok.attrs, html.Attribute{Key: t.intern(k), Val: t.intern(v)})
				continue
			}
			t.key = append(t.key, 0)
			t.key = append(t.key, k...)
			t.key = append(t.key, 1)
			t.key = append(t.key, v...)
			if keep {
				t.tok.attrs = append(t.tok.attrs, html.Attribute{Key: t.intern(k), Val: t.intern(v)})
			} else {
				t.rawAttrs = append(t.rawAttrs, [2][]byte{k, v})
			}
		}
		if len(t.key) == len(t.tok.name) {
			// No kept attribute: the tag alone decides, cheaply.
			break
		}
		t.tok.cacheable = true
		if info, ok := t.infos[string(t.key)]; ok {
			t.tok.info, t.tok.haveInfo = info, true
		} else if !keep {
			for _, kv := range t.rawAttrs {
				t.tok.attrs = append(t.tok.attrs, html.Attribute{Key: t.intern(kv[0]), Val: t.intern(kv[1])})
			}
		}
	case html.DoctypeToken:
		t.tok.text = t.z.Text()
	}
}

// A tag token (its raw bytes, "<span style=…>" or "</td>") read before
// reads the same again: pages repeat a few tags thousands of times. Only
// tags whose token needs no attributes once its flags are known are kept.
type cachedTag struct {
	raw         string // the key in htmlTree.tags
	typ         html.TokenType
	tag         a.Atom
	name        string
	selfClosing bool
	info        elemInfo
}

// rememberTag keeps the tag token just read in t.tags.
func (t *htmlTree) rememberTag() {
	tok := &t.tok
	if len(t.tags) >= maxCachedTags || len(t.rawTag) > 512 {
		return
	}
	if tok.typ == html.StartTagToken {
		switch tok.tag {
		case a.Meta, a.Body, a.Html, a.Input:
			return
		}
		if isFormattingTag(tok.tag) {
			return
		}
	}
	e := cachedTag{typ: tok.typ, tag: tok.tag, name: tok.name, selfClosing: tok.selfClosing}
	if tok.typ == html.StartTagToken {
		e.info = t.tokInfo()
	}
	if t.tags == nil {
		t.tags = map[string]cachedTag{}
	}
	e.raw = string(t.rawTag)
	t.tags[e.raw] = e
}

// recentSlot picks the entry of treeBuf.recent for a tag's raw bytes.
func recentSlot(raw []byte) int {
	n := len(raw)
	h := uint(n)*131 + uint(raw[n/2])*31 + uint(raw[n-2])*7 + uint(raw[1])
	return int(h % uint(len(treeBuf{}.recent)))
}

func (t *htmlTree) intern(b []byte) string {
	if s, ok := t.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(t.strs) < 1<<16 {
		t.strs[s] = s
	}
	return s
}

func anyAttrKey([]byte) bool { return true }

// keptAttr names the attributes the reader looks at.
func keptAttr(k []byte) bool {
	switch string(k) {
	case "id", "class", "style", "hidden", "aria-hidden", "name", "content",
		"colspan", "rowspan", "height", "type":
		return true
	}
	return false
}

func isFormattingTag(t a.Atom) bool {
	switch t {
	case a.A, a.B, a.Big, a.Code, a.Em, a.Font, a.I, a.Nobr, a.S, a.Small, a.Strike, a.Strong, a.Tt, a.U:
		return true
	}
	return false
}

func (t *htmlTree) fallback(what string) {
	if t.err == nil {
		t.err = fmt.Errorf("%s: %w", what, errTreeFallback)
	}
}

// process runs the current token through the insertion modes.
func (t *htmlTree) process() {
	for i := 0; t.err == nil; i++ {
		if t.step() {
			return
		}
		if i > 64 {
			t.fallback("token reprocessed too often")
			return
		}
	}
}

// implied processes an implied token, as parseImpliedToken does.
func (t *htmlTree) implied(tt html.TokenType, tag a.Atom) {
	real := t.tok
	t.tok = htmlToken{typ: tt, tag: tag, name: tag.String(), attrs: t.implAttrs[:0]}
	t.process()
	t.tok = real
}

func (t *htmlTree) step() bool {
	switch t.im {
	case imInitial:
		return t.initialIM()
	case imBeforeHTML:
		return t.beforeHTMLIM()
	case imBeforeHead:
		return t.beforeHeadIM()
	case imInHead:
		return t.inHeadIM()
	case imAfterHead:
		return t.afterHeadIM()
	case imInBody:
		return t.inBodyIM()
	case imText:
		return t.textIM()
	case imInTable:
		return t.inTableIM()
	case imInCaption:
		return t.inCaptionIM()
	case imInColumnGroup:
		return t.inColumnGroupIM()
	case imInTableBody:
		return t.inTableBodyIM()
	case imInRow:
		return t.inRowIM()
	case imInCell:
		return t.inCellIM()
	case imAfterBody:
		return t.afterBodyIM()
	case imAfterAfterBody:
		return t.afterAfterBodyIM()
	}
	t.fallback("unknown insertion mode")
	return true
}

// --- the stack and the tree ---

func (t *htmlTree) top() int32 {
	if len(t.oe) == 0 {
		return -1
	}
	return t.oe[len(t.oe)-1]
}

func (t *htmlTree) topTag() a.Atom {
	if n := t.top(); n >= 0 {
		return t.nodes[n].tag
	}
	return 0
}

func (t *htmlTree) pop() int32 {
	n := t.oe[len(t.oe)-1]
	t.oe = t.oe[:len(t.oe)-1]
	if dropsText(&t.nodes[n]) {
		t.skipOpen--
	}
	t.nodes[n].end = int32(len(t.nodes))
	return n
}

// truncate pops the stack down to length i.
func (t *htmlTree) truncate(i int) {
	for len(t.oe) > i {
		t.pop()
	}
}

func (t *htmlTree) oeIndex(n int32) int {
	for i := len(t.oe) - 1; i >= 0; i-- {
		if t.oe[i] == n {
			return i
		}
	}
	return -1
}

func (t *htmlTree) shouldFoster() bool {
	if !t.fostering {
		return false
	}
	switch t.topTag() {
	case a.Table, a.Tbody, a.Tfoot, a.Thead, a.Tr:
		return true
	}
	return false
}

// addElement makes an element of the current token (or of tag with attrs)
// as the last child of the current node and pushes it.
func (t *htmlTree) addElement() int32 {
	return t.addNode(t.tok.tag, t.tok.name, t.tok.attrs, t.tokInfo())
}

// tokInfo is the elemInfo of the current token, from the cache if it can.
func (t *htmlTree) tokInfo() elemInfo {
	tok := &t.tok
	if !tok.haveInfo {
		tok.info = t.elemInfo(tok.tag, tok.name, tok.attrs)
		tok.haveInfo = true
		if tok.cacheable && len(t.infos) < maxCachedInfos {
			if t.infos == nil {
				t.infos = map[string]elemInfo{}
			}
			t.infos[string(t.key)] = tok.info
		}
	}
	return tok.info
}

func (t *htmlTree) addElementOf(tag a.Atom, name string, attrs []html.Attribute) int32 {
	return t.addNode(tag, name, attrs, t.elemInfo(tag, name, attrs))
}

// elemInfo decides the flags and spans of an element.
func (t *htmlTree) elemInfo(tag a.Atom, name string, attrs []html.Attribute) elemInfo {
	info := elemInfo{flags: t.attrFlags(tag, name, attrs)}
	switch tag {
	case a.Td, a.Th:
		info.a0 = int32(parseHTMLSpan(attrVal(attrs, "colspan"), maxColSpan))
		info.a1 = int32(parseHTMLSpan(attrVal(attrs, "rowspan"), maxRowSpan))
	case a.Tr:
		if strings.TrimSpace(attrVal(attrs, "height")) == "0" {
			info.flags |= nSpacerH
		}
	}
	return info
}

// addNode makes an element as the last child of the current node and
// pushes it. attrs matter here only for meta, body and html.
func (t *htmlTree) addNode(tag a.Atom, name string, attrs []html.Attribute, info elemInfo) int32 {
	if t.shouldFoster() {
		t.fallback("element inside a table outside its cells")
		return -1
	}
	n := htmlNode{tag: tag, end: -1, flags: info.flags, a0: info.a0, a1: info.a1}
	if tag == 0 {
		n.a0 = t.nameIndex(name)
	}
	switch tag {
	case a.Td, a.Th:
		t.cells++
	case a.Table, a.Tr:
		depth := 0
		for _, e := range t.oe {
			if t.nodes[e].tag == a.Table {
				depth++
			}
		}
		switch {
		case tag == a.Table && depth == 0:
			t.topTables++
			t.topRows = 0
		case tag == a.Tr && depth == 1:
			t.topRows++
		}
	case a.Title:
		if t.title < 0 {
			t.title = int32(len(t.nodes))
		}
	case a.Meta:
		if name, ok := anyAttrOf(attrs, "name"); ok {
			content, _ := anyAttrOf(attrs, "content")
			t.metas = append(t.metas, metaTag{name, content})
		}
	case a.Body:
		if t.body < 0 {
			t.body = int32(len(t.nodes))
			t.bodyAttr = slices.Clone(attrs)
		}
	case a.Html:
		if t.htmlEl < 0 {
			t.htmlEl = int32(len(t.nodes))
			t.htmlAttr = slices.Clone(attrs)
		}
	}
	idx := int32(len(t.nodes))
	t.nodes = growNodes(t.nodes)
	t.nodes = append(t.nodes, n)
	t.oe = append(t.oe, idx)
	if dropsText(&n) {
		t.skipOpen++
	}
	if len(t.oe) > maxOpenElements {
		t.err = errOpenStack
	}
	return idx
}

// nameOf is the tag name of element n.
func (t *htmlTree) nameOf(n *htmlNode) string {
	if n.tag != 0 {
		return n.tag.String()
	}
	return t.names[n.a0]
}

// nameIndex is the index of an unknown tag name in t.names.
func (t *htmlTree) nameIndex(name string) int32 {
	if i, ok := t.nameIdx[name]; ok {
		return i
	}
	if t.nameIdx == nil {
		t.nameIdx = map[string]int32{}
	}
	i := int32(len(t.names))
	t.names = append(t.names, name)
	t.nameIdx[name] = i
	return i
}

// growNodes makes room for one more node, doubling the array: append's
// gentler growth of large slices would allocate five times the final
// array on the way, where doubling allocates two.
func growNodes(nodes []htmlNode) []htmlNode {
	if len(nodes) < cap(nodes) {
		return nodes
	}
	grown := make([]htmlNode, len(nodes), 2*cap(nodes)+64)
	copy(grown, nodes)
	return grown
}

// errOpenStack is x/net/html's refusal of a page nested too deep.
var errOpenStack = errors.New("html: open stack of elements exceeds 512 nodes")

// attrFlags decides an element's flags from its tag and attributes.
func (t *htmlTree) attrFlags(tag a.Atom, name string, attrs []html.Attribute) uint16 {
	var f uint16
	if isSkippedTag(name) {
		f |= nSkip
	}
	if isBlockTag(name) {
		f |= nBlock
	}
	if len(attrs) == 0 {
		switch tag {
		case a.Header, a.Nav, a.Footer:
			f |= nChrome
		case a.H1, a.H2, a.H3:
			f |= nTitle
		}
		return f
	}
	n := &t.scratch
	n.Data, n.Attr = name, attrs
	if t.cache.isHidden(n) {
		f |= nHidden
	}
	if t.cache.chromeCandidate(n) {
		f |= nChrome
	}
	if isContentContainer(n) {
		f |= nContainer
	}
	if isTitleElement(n) {
		f |= nTitle
	}
	n.Attr = nil
	return f
}

func attrVal(attrs []html.Attribute, key string) string {
	for _, at := range attrs {
		if at.Namespace == "" && at.Key == key {
			return at.Val
		}
	}
	return ""
}

func anyAttrOf(attrs []html.Attribute, key string) (string, bool) {
	for _, at := range attrs {
		if at.Key == key {
			return at.Val, true
		}
	}
	return "", false
}

// addText appends text to the current node, merging it with a text run
// that is the current node's last child.
func (t *htmlTree) addText(s []byte) {
	if len(s) == 0 {
		return
	}
	if t.shouldFoster() {
		t.fallback("text inside a table outside its cells")
		return
	}
	top := t.top()
	var ink uint16
	if t.skipOpen > 0 && t.nodes[top].tag != a.Title {
		// Nothing reads this text but isSpacerRow, which only asks
		// whether there is any: the page's scripts and styles stay out
		// of the arena. (A title is read for Meta wherever it is.)
		if len(bytes.TrimSpace(s)) != 0 {
			ink = nInk
		}
		s = nil
	}
	// The last node is a text run child of the current node when no
	// element was closed since it was made (opening one adds a node).
	if k := len(t.nodes) - 1; k >= 0 && t.nodes[k].flags&nText != 0 && t.textOpen == len(t.oe) {
		t.text = append(t.text, s...)
		t.nodes[k].a1 = int32(len(t.text))
		t.nodes[k].flags |= ink
		return
	}
	start := int32(len(t.text))
	t.text = append(t.text, s...)
	t.nodes = growNodes(t.nodes)
	t.nodes = append(t.nodes, htmlNode{end: int32(len(t.nodes) + 1), a0: start, a1: int32(len(t.text)), flags: nText | ink})
	t.textOpen = len(t.oe)
}

// dropsText reports whether the text inside element n is left out of the
// arena: n is an element that never holds report text (the title, read
// for Meta, and the head around it excepted).
func dropsText(n *htmlNode) bool {
	return n.flags&(nSkip|nText) == nSkip && n.tag != a.Title && n.tag != a.Head
}

// hasChildren reports whether node n has a child yet.
func (t *htmlTree) hasChildren(n int32) bool { return int(n) < len(t.nodes)-1 }

// --- scopes ---

type scope int

const (
	defaultScope scope = iota
	listItemScope
	buttonScope
	tableScope
	tableRowScope
	tableBodyScope
)

func (t *htmlTree) indexInScope(s scope, tags ...a.Atom) int {
	for i := len(t.oe) - 1; i >= 0; i-- {
		tag := t.nodes[t.oe[i]].tag
		if slices.Contains(tags, tag) {
			return i
		}
		switch s {
		case listItemScope:
			if tag == a.Ol || tag == a.Ul {
				return -1
			}
		case buttonScope:
			if tag == a.Button {
				return -1
			}
		case tableScope:
			if tag == a.Html || tag == a.Table || tag == a.Template {
				return -1
			}
		}
		switch s {
		case defaultScope, listItemScope, buttonScope:
			switch tag {
			case a.Applet, a.Caption, a.Html, a.Table, a.Td, a.Th, a.Marquee, a.Object, a.Template, a.Select:
				return -1
			}
		}
	}
	return -1
}

func (t *htmlTree) inScope(s scope, tags ...a.Atom) bool { return t.indexInScope(s, tags...) != -1 }

func (t *htmlTree) popUntil(s scope, tags ...a.Atom) bool {
	if i := t.indexInScope(s, tags...); i != -1 {
		t.truncate(i)
		return true
	}
	return false
}

func (t *htmlTree) clearStackToContext(s scope) {
	for i := len(t.oe) - 1; i >= 0; i-- {
		tag := t.nodes[t.oe[i]].tag
		switch s {
		case tableScope:
			if tag == a.Html || tag == a.Table || tag == a.Template {
				t.truncate(i + 1)
				return
			}
		case tableRowScope:
			if tag == a.Html || tag == a.Tr || tag == a.Template {
				t.truncate(i + 1)
				return
			}
		case tableBodyScope:
			if tag == a.Html || tag == a.Tbody || tag == a.Tfoot || tag == a.Thead || tag == a.Template {
				t.truncate(i + 1)
				return
			}
		}
	}
}

func (t *htmlTree) generateImpliedEndTags(except a.Atom) {
	i := len(t.oe) - 1
	for ; i >= 0; i-- {
		tag := t.nodes[t.oe[i]].tag
		switch tag {
		case a.Dd, a.Dt, a.Li, a.Optgroup, a.Option, a.P, a.Rb, a.Rp, a.Rt, a.Rtc:
			if tag == except {
				break
			}
			continue
		}
		break
	}
	t.truncate(i + 1)
}

func (t *htmlTree) oeContains(tag a.Atom) bool {
	for _, n := range t.oe {
		if t.nodes[n].tag == tag {
			return true
		}
	}
	return false
}

// --- active formatting elements ---

func (t *htmlTree) afeIndex(n int32) int {
	for i := len(t.afe) - 1; i >= 0; i-- {
		if t.afe[i].node == n {
			return i
		}
	}
	return -1
}

func (t *htmlTree) afeRemove(i int) { t.afe = slices.Delete(t.afe, i, i+1) }

func attrCompare(x, y html.Attribute) int {
	return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Key, y.Key), cmp.Compare(x.Val, y.Val))
}

func (t *htmlTree) addFormattingElement() {
	attrs := slices.Clone(t.tok.attrs)
	slices.SortFunc(attrs, attrCompare)
	n := t.addNode(t.tok.tag, t.tok.name, attrs, t.tokInfo())
	if n < 0 {
		return
	}
	identical := 0
	for i := len(t.afe) - 1; i >= 0; i-- {
		e := t.afe[i]
		if e.node < 0 {
			break
		}
		if t.nodes[e.node].tag != t.tok.tag || !slices.Equal(e.attrs, attrs) {
			continue
		}
		identical++
		if identical >= 3 {
			t.afeRemove(i)
		}
	}
	t.afe = append(t.afe, afeEntry{node: n, attrs: attrs})
}

func (t *htmlTree) clearActiveFormattingElements() {
	for len(t.afe) > 0 {
		e := t.afe[len(t.afe)-1]
		t.afe = t.afe[:len(t.afe)-1]
		if len(t.afe) == 0 || e.node < 0 {
			return
		}
	}
}

func (t *htmlTree) reconstructActiveFormattingElements() {
	if len(t.afe) == 0 {
		return
	}
	e := t.afe[len(t.afe)-1]
	if e.node < 0 || t.oeIndex(e.node) != -1 {
		return
	}
	i := len(t.afe) - 1
	for e.node >= 0 && t.oeIndex(e.node) == -1 {
		if i == 0 {
			i = -1
			break
		}
		i--
		e = t.afe[i]
	}
	for {
		i++
		old := t.nodes[t.afe[i].node]
		clone := t.addElementOf(old.tag, t.nameOf(&old), t.afe[i].attrs)
		if clone < 0 {
			return
		}
		t.afe[i].node = clone
		if i == len(t.afe)-1 {
			break
		}
	}
}

func (t *htmlTree) pushMarker() { t.afe = append(t.afe, afeEntry{node: -1}) }

// --- insertion modes (x/net/html's parse.go, section numbers of the HTML
// standard's tree construction) ---

const whitespace = " \t\r\n\f"

func trimLeftSpace(b []byte) []byte { return bytes.TrimLeft(b, whitespace) }

func (t *htmlTree) initialIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		t.tok.text = trimLeftSpace(t.tok.text)
		if len(t.tok.text) == 0 {
			return true
		}
	case html.CommentToken:
		return true
	case html.DoctypeToken:
		t.quirks = doctypeQuirks(string(t.tok.text))
		t.im = imBeforeHTML
		return true
	}
	t.quirks = true
	t.im = imBeforeHTML
	return false
}

func (t *htmlTree) beforeHTMLIM() bool {
	switch t.tok.typ {
	case html.DoctypeToken, html.CommentToken:
		return true
	case html.TextToken:
		t.tok.text = trimLeftSpace(t.tok.text)
		if len(t.tok.text) == 0 {
			return true
		}
	case html.StartTagToken:
		if t.tok.tag == a.Html {
			t.addElement()
			t.im = imBeforeHead
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Head, a.Body, a.Html, a.Br:
			t.implied(html.StartTagToken, a.Html)
			return false
		default:
			return true
		}
	}
	t.implied(html.StartTagToken, a.Html)
	return false
}

func (t *htmlTree) beforeHeadIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		t.tok.text = trimLeftSpace(t.tok.text)
		if len(t.tok.text) == 0 {
			return true
		}
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Head:
			t.head = t.addElement()
			t.im = imInHead
			return true
		case a.Html:
			return t.inBodyIM()
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Head, a.Body, a.Html, a.Br:
			t.implied(html.StartTagToken, a.Head)
			return false
		default:
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	t.implied(html.StartTagToken, a.Head)
	return false
}

func (t *htmlTree) inHeadIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		s := trimLeftSpace(t.tok.text)
		if len(s) < len(t.tok.text) {
			t.addText(t.tok.text[:len(t.tok.text)-len(s)])
			if len(s) == 0 {
				return true
			}
			t.tok.text = s
		}
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Html:
			return t.inBodyIM()
		case a.Base, a.Basefont, a.Bgsound, a.Link, a.Meta:
			t.addElement()
			t.pop()
			return true
		case a.Noscript, a.Noframes, a.Style, a.Script, a.Title:
			t.addElement()
			t.orig = t.im
			t.im = imText
			return true
		case a.Head:
			return true
		case a.Template:
			t.fallback("<template>")
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Head:
			t.pop()
			t.im = imAfterHead
			return true
		case a.Body, a.Html, a.Br:
			t.implied(html.EndTagToken, a.Head)
			return false
		case a.Template:
			return true // no template is open: they fall back
		default:
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	t.implied(html.EndTagToken, a.Head)
	return false
}

func (t *htmlTree) afterHeadIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		s := trimLeftSpace(t.tok.text)
		if len(s) < len(t.tok.text) {
			t.addText(t.tok.text[:len(t.tok.text)-len(s)])
			if len(s) == 0 {
				return true
			}
			t.tok.text = s
		}
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Html:
			return t.inBodyIM()
		case a.Body:
			t.addElement()
			t.im = imInBody
			return true
		case a.Frameset:
			t.fallback("<frameset>")
			return true
		case a.Base, a.Basefont, a.Bgsound, a.Link, a.Meta, a.Noframes, a.Script, a.Style, a.Template, a.Title:
			// x/net/html puts these back into the head; they hold no
			// report text wherever they sit, and document order is the
			// same since the body does not exist yet.
			return t.inHeadIM()
		case a.Head:
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Body, a.Html, a.Br:
		case a.Template:
			return t.inHeadIM()
		default:
			return true
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	}
	t.implied(html.StartTagToken, a.Body)
	if t.tok.typ == html.ErrorToken {
		return true
	}
	return false
}

func isHeading(tag a.Atom) bool {
	switch tag {
	case a.H1, a.H2, a.H3, a.H4, a.H5, a.H6:
		return true
	}
	return false
}

func (t *htmlTree) copyAttributes(dst int32, own *[]html.Attribute) {
	if len(t.tok.attrs) == 0 || dst < 0 {
		return
	}
	for _, at := range t.tok.attrs {
		if _, ok := anyAttrOf(*own, at.Key); !ok {
			*own = append(*own, at)
		}
	}
	n := &t.nodes[dst]
	n.flags = n.flags&^(nHidden|nChrome|nContainer|nTitle) | t.attrFlags(n.tag, t.nameOf(n), *own)
}

func (t *htmlTree) inBodyIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		d := t.tok.text
		if top := t.top(); top >= 0 {
			switch t.nodes[top].tag {
			case a.Pre, a.Listing:
				if !t.hasChildren(top) {
					if len(d) > 0 && d[0] == '\r' {
						d = d[1:]
					}
					if len(d) > 0 && d[0] == '\n' {
						d = d[1:]
					}
				}
			}
		}
		if t.z.hasNUL && bytes.IndexByte(d, 0) >= 0 {
			d = bytes.ReplaceAll(d, []byte{0}, nil)
		}
		if len(d) == 0 {
			return true
		}
		t.reconstructActiveFormattingElements()
		t.addText(d)
	case html.StartTagToken:
		switch tag := t.tok.tag; tag {
		case a.Html:
			if len(t.oe) > 0 && t.oe[0] == t.htmlEl {
				t.copyAttributes(t.htmlEl, &t.htmlAttr)
			}
		case a.Base, a.Basefont, a.Bgsound, a.Link, a.Meta, a.Noframes, a.Script, a.Style, a.Template, a.Title:
			return t.inHeadIM()
		case a.Body:
			if len(t.oe) >= 2 && t.nodes[t.oe[1]].tag == a.Body {
				if t.oe[1] == t.body {
					t.copyAttributes(t.body, &t.bodyAttr)
				}
			}
		case a.Frameset:
			t.fallback("<frameset>")
		case a.Address, a.Article, a.Aside, a.Blockquote, a.Center, a.Details, a.Dialog, a.Dir, a.Div, a.Dl, a.Fieldset, a.Figcaption, a.Figure, a.Footer, a.Header, a.Hgroup, a.Main, a.Menu, a.Nav, a.Ol, a.P, a.Search, a.Section, a.Summary, a.Ul:
			t.popUntil(buttonScope, a.P)
			t.addElement()
		case a.H1, a.H2, a.H3, a.H4, a.H5, a.H6:
			t.popUntil(buttonScope, a.P)
			if isHeading(t.topTag()) {
				t.pop()
			}
			t.addElement()
		case a.Pre, a.Listing:
			t.popUntil(buttonScope, a.P)
			t.addElement()
		case a.Form:
			if t.form >= 0 {
				return true
			}
			t.popUntil(buttonScope, a.P)
			t.form = t.addElement()
		case a.Li, a.Dd, a.Dt:
			for i := len(t.oe) - 1; i >= 0; i-- {
				nt := t.nodes[t.oe[i]].tag
				if nt == tag || tag != a.Li && (nt == a.Dd || nt == a.Dt) {
					t.truncate(i)
					break
				}
				if nt == a.Address || nt == a.Div || nt == a.P || !isSpecialTag(nt) {
					continue
				}
				break
			}
			t.popUntil(buttonScope, a.P)
			t.addElement()
		case a.Plaintext:
			t.popUntil(buttonScope, a.P)
			t.addElement()
		case a.Button:
			if t.inScope(defaultScope, a.Button) {
				t.generateImpliedEndTags(0)
				t.popUntil(defaultScope, a.Button)
			}
			t.reconstructActiveFormattingElements()
			t.addElement()
		case a.A:
			for i := len(t.afe) - 1; i >= 0 && t.afe[i].node >= 0; i-- {
				if n := t.afe[i].node; t.nodes[n].tag == a.A {
					t.endTagFormatting(a.A, "a")
					if k := t.oeIndex(n); k >= 0 {
						if k != len(t.oe)-1 {
							t.fallback("misnested <a>")
							return true
						}
						t.pop()
					}
					if k := t.afeIndex(n); k >= 0 {
						t.afeRemove(k)
					}
					break
				}
			}
			t.reconstructActiveFormattingElements()
			t.addFormattingElement()
		case a.B, a.Big, a.Code, a.Em, a.Font, a.I, a.S, a.Small, a.Strike, a.Strong, a.Tt, a.U:
			t.reconstructActiveFormattingElements()
			t.addFormattingElement()
		case a.Nobr:
			t.reconstructActiveFormattingElements()
			if t.inScope(defaultScope, a.Nobr) {
				t.endTagFormatting(a.Nobr, "nobr")
				t.reconstructActiveFormattingElements()
			}
			t.addFormattingElement()
		case a.Applet, a.Marquee, a.Object:
			t.reconstructActiveFormattingElements()
			t.addElement()
			t.pushMarker()
		case a.Table:
			if !t.quirks {
				t.popUntil(buttonScope, a.P)
			}
			t.addElement()
			t.im = imInTable
			return true
		case a.Area, a.Br, a.Embed, a.Img, a.Keygen, a.Wbr:
			t.reconstructActiveFormattingElements()
			if t.addElement() >= 0 {
				t.pop()
			}
		case a.Input:
			t.popUntil(defaultScope, a.Select)
			t.reconstructActiveFormattingElements()
			if t.addElement() >= 0 {
				t.pop()
			}
		case a.Param, a.Source, a.Track:
			if t.addElement() >= 0 {
				t.pop()
			}
		case a.Hr:
			if t.inScope(buttonScope, a.P) {
				t.generateImpliedEndTags(a.P)
				t.popUntil(defaultScope, a.P)
			}
			if t.inScope(defaultScope, a.Select) {
				t.generateImpliedEndTags(0)
			}
			if t.addElement() >= 0 {
				t.pop()
			}
		case a.Image:
			t.tok.tag, t.tok.name = a.Img, "img"
			t.tok.haveInfo, t.tok.cacheable = false, false
			return false
		case a.Textarea:
			t.addElement()
			t.orig = t.im
			t.im = imText
		case a.Xmp:
			t.popUntil(buttonScope, a.P)
			t.reconstructActiveFormattingElements()
			t.addElement()
			t.orig = t.im
			t.im = imText
		case a.Iframe, a.Noembed, a.Noscript:
			t.addElement()
			t.orig = t.im
			t.im = imText
		case a.Select:
			if t.popUntil(defaultScope, a.Select) {
				return true
			}
			t.reconstructActiveFormattingElements()
			t.addElement()
			return true
		case a.Option:
			if t.inScope(defaultScope, a.Select) {
				t.generateImpliedEndTags(a.Optgroup)
			} else if t.topTag() == a.Option {
				t.pop()
			}
			t.reconstructActiveFormattingElements()
			t.addElement()
		case a.Optgroup:
			if t.inScope(defaultScope, a.Select) {
				t.generateImpliedEndTags(0)
			} else if t.topTag() == a.Option {
				t.pop()
			}
			t.reconstructActiveFormattingElements()
			t.addElement()
		case a.Rb, a.Rtc:
			if t.inScope(defaultScope, a.Ruby) {
				t.generateImpliedEndTags(0)
			}
			t.addElement()
		case a.Rp, a.Rt:
			if t.inScope(defaultScope, a.Ruby) {
				t.generateImpliedEndTags(a.Rtc)
			}
			t.addElement()
		case a.Math, a.Svg:
			t.fallback("SVG or MathML")
		case a.Caption, a.Col, a.Colgroup, a.Frame, a.Head, a.Tbody, a.Td, a.Tfoot, a.Th, a.Thead, a.Tr:
			// Ignore the token.
		default:
			t.reconstructActiveFormattingElements()
			t.addElement()
		}
	case html.EndTagToken:
		switch tag := t.tok.tag; tag {
		case a.Body:
			if t.inScope(defaultScope, a.Body) {
				t.im = imAfterBody
			}
		case a.Html:
			if t.inScope(defaultScope, a.Body) {
				t.implied(html.EndTagToken, a.Body)
				return false
			}
			return true
		case a.Address, a.Article, a.Aside, a.Blockquote, a.Button, a.Center, a.Details, a.Dialog, a.Dir, a.Div, a.Dl, a.Fieldset, a.Figcaption, a.Figure, a.Footer, a.Header, a.Hgroup, a.Listing, a.Main, a.Menu, a.Nav, a.Ol, a.Pre, a.Search, a.Section, a.Select, a.Summary, a.Ul:
			if !t.inScope(defaultScope, tag) {
				return true
			}
			t.generateImpliedEndTags(0)
			t.popUntil(defaultScope, tag)
		case a.Form:
			node := t.form
			t.form = -1
			i := t.indexInScope(defaultScope, a.Form)
			if node < 0 || i == -1 || t.oe[i] != node {
				return true
			}
			t.generateImpliedEndTags(0)
			if t.top() != node {
				t.fallback("</form> closing a form that is not the current node")
				return true
			}
			t.pop()
		case a.P:
			if !t.inScope(buttonScope, a.P) {
				t.implied(html.StartTagToken, a.P)
			}
			t.popUntil(buttonScope, a.P)
		case a.Li:
			t.popUntil(listItemScope, a.Li)
		case a.Dd, a.Dt:
			t.popUntil(defaultScope, tag)
		case a.H1, a.H2, a.H3, a.H4, a.H5, a.H6:
			t.popUntil(defaultScope, a.H1, a.H2, a.H3, a.H4, a.H5, a.H6)
		case a.A, a.B, a.Big, a.Code, a.Em, a.Font, a.I, a.Nobr, a.S, a.Small, a.Strike, a.Strong, a.Tt, a.U:
			t.endTagFormatting(tag, t.tok.name)
		case a.Applet, a.Marquee, a.Object:
			if t.popUntil(defaultScope, tag) {
				t.clearActiveFormattingElements()
			}
		case a.Br:
			t.tok.typ = html.StartTagToken
			return false
		case a.Template:
			return t.inHeadIM()
		default:
			t.endTagOther(tag, t.tok.name)
		}
	}
	return true
}

// endTagFormatting is the adoption agency algorithm, up to the point
// where it would move nodes already made.
func (t *htmlTree) endTagFormatting(tag a.Atom, name string) {
	if cur := t.top(); cur >= 0 && t.nameOf(&t.nodes[cur]) == name && t.afeIndex(cur) == -1 {
		t.pop()
		return
	}
	fe := -1
	for j := len(t.afe) - 1; j >= 0; j-- {
		if t.afe[j].node < 0 {
			break
		}
		if t.nodes[t.afe[j].node].tag == tag {
			fe = j
			break
		}
	}
	if fe == -1 {
		t.endTagOther(tag, name)
		return
	}
	feNode := t.afe[fe].node
	feIndex := t.oeIndex(feNode)
	if feIndex == -1 {
		t.afeRemove(fe)
		return
	}
	if !t.inScope(defaultScope, tag) {
		return
	}
	for _, e := range t.oe[feIndex:] {
		if isSpecialTag(t.nodes[e].tag) {
			t.fallback("misnested formatting element")
			return
		}
	}
	t.truncate(feIndex)
	t.afeRemove(fe)
}

func (t *htmlTree) endTagOther(tag a.Atom, name string) {
	for i := len(t.oe) - 1; i >= 0; i-- {
		n := &t.nodes[t.oe[i]]
		if n.tag == tag && (tag != 0 || t.nameOf(n) == name) {
			t.truncate(i)
			return
		}
		if isSpecialTag(n.tag) {
			return
		}
	}
}

func (t *htmlTree) textIM() bool {
	switch t.tok.typ {
	case html.ErrorToken:
		t.pop()
	case html.TextToken:
		d := t.tok.text
		if top := t.top(); t.nodes[top].tag == a.Textarea && !t.hasChildren(top) {
			if len(d) > 0 && d[0] == '\r' {
				d = d[1:]
			}
			if len(d) > 0 && d[0] == '\n' {
				d = d[1:]
			}
		}
		t.addText(d)
		return true
	case html.EndTagToken:
		t.pop()
	}
	t.im = t.orig
	return t.tok.typ == html.EndTagToken
}

func (t *htmlTree) inTableIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		switch t.topTag() {
		case a.Table, a.Tbody, a.Tfoot, a.Thead, a.Tr:
			d := t.tok.text
			if t.z.hasNUL && bytes.IndexByte(d, 0) >= 0 {
				d = bytes.ReplaceAll(d, []byte{0}, nil)
				t.tok.text = d
			}
			if len(bytes.Trim(d, whitespace)) == 0 {
				t.addText(d)
				return true
			}
		}
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Caption:
			t.clearStackToContext(tableScope)
			t.pushMarker()
			t.addElement()
			t.im = imInCaption
			return true
		case a.Colgroup:
			t.clearStackToContext(tableScope)
			t.addElement()
			t.im = imInColumnGroup
			return true
		case a.Col:
			t.implied(html.StartTagToken, a.Colgroup)
			return false
		case a.Tbody, a.Tfoot, a.Thead:
			t.clearStackToContext(tableScope)
			t.addElement()
			t.im = imInTableBody
			return true
		case a.Td, a.Th, a.Tr:
			t.implied(html.StartTagToken, a.Tbody)
			return false
		case a.Table:
			if t.popUntil(tableScope, a.Table) {
				t.resetInsertionMode()
				return false
			}
			return true
		case a.Style, a.Script, a.Template:
			return t.inHeadIM()
		case a.Input:
			for _, at := range t.tok.attrs {
				if at.Key == "type" && strings.EqualFold(at.Val, "hidden") {
					if t.addElement() >= 0 {
						t.pop()
					}
					return true
				}
			}
		case a.Form:
			if t.form >= 0 {
				return true
			}
			if n := t.addElement(); n >= 0 {
				t.form = t.pop()
			}
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Table:
			if t.popUntil(tableScope, a.Table) {
				t.resetInsertionMode()
			}
			return true
		case a.Body, a.Caption, a.Col, a.Colgroup, a.Html, a.Tbody, a.Td, a.Tfoot, a.Th, a.Thead, a.Tr:
			return true
		case a.Template:
			return t.inHeadIM()
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	case html.ErrorToken:
		return t.inBodyIM()
	}
	t.fostering = true
	defer func() { t.fostering = false }()
	return t.inBodyIM()
}

func (t *htmlTree) inCaptionIM() bool {
	switch t.tok.typ {
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Caption, a.Col, a.Colgroup, a.Tbody, a.Td, a.Tfoot, a.Thead, a.Tr:
			if !t.popUntil(tableScope, a.Caption) {
				return true
			}
			t.clearActiveFormattingElements()
			t.im = imInTable
			return false
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Caption:
			if t.popUntil(tableScope, a.Caption) {
				t.clearActiveFormattingElements()
				t.im = imInTable
			}
			return true
		case a.Table:
			if !t.popUntil(tableScope, a.Caption) {
				return true
			}
			t.clearActiveFormattingElements()
			t.im = imInTable
			return false
		case a.Body, a.Col, a.Colgroup, a.Html, a.Tbody, a.Td, a.Tfoot, a.Th, a.Thead, a.Tr:
			return true
		}
	}
	return t.inBodyIM()
}

func (t *htmlTree) inColumnGroupIM() bool {
	switch t.tok.typ {
	case html.TextToken:
		s := trimLeftSpace(t.tok.text)
		if len(s) < len(t.tok.text) {
			t.addText(t.tok.text[:len(t.tok.text)-len(s)])
			if len(s) == 0 {
				return true
			}
			t.tok.text = s
		}
	case html.CommentToken, html.DoctypeToken:
		return true
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Html:
			return t.inBodyIM()
		case a.Col:
			if t.addElement() >= 0 {
				t.pop()
			}
			return true
		case a.Template:
			return t.inHeadIM()
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Colgroup:
			if t.topTag() == a.Colgroup {
				t.pop()
				t.im = imInTable
			}
			return true
		case a.Col:
			return true
		case a.Template:
			return t.inHeadIM()
		}
	case html.ErrorToken:
		return t.inBodyIM()
	}
	if t.topTag() != a.Colgroup {
		return true
	}
	t.pop()
	t.im = imInTable
	return false
}

func (t *htmlTree) inTableBodyIM() bool {
	switch t.tok.typ {
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Tr:
			t.clearStackToContext(tableBodyScope)
			t.addElement()
			t.im = imInRow
			return true
		case a.Td, a.Th:
			t.implied(html.StartTagToken, a.Tr)
			return false
		case a.Caption, a.Col, a.Colgroup, a.Tbody, a.Tfoot, a.Thead:
			if t.popUntil(tableScope, a.Tbody, a.Thead, a.Tfoot) {
				t.im = imInTable
				return false
			}
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Tbody, a.Tfoot, a.Thead:
			if t.inScope(tableScope, t.tok.tag) {
				t.clearStackToContext(tableBodyScope)
				t.pop()
				t.im = imInTable
			}
			return true
		case a.Table:
			if t.popUntil(tableScope, a.Tbody, a.Thead, a.Tfoot) {
				t.im = imInTable
				return false
			}
			return true
		case a.Body, a.Caption, a.Col, a.Colgroup, a.Html, a.Td, a.Th, a.Tr:
			return true
		}
	case html.CommentToken:
		return true
	}
	return t.inTableIM()
}

func (t *htmlTree) inRowIM() bool {
	switch t.tok.typ {
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Td, a.Th:
			t.clearStackToContext(tableRowScope)
			t.addElement()
			t.pushMarker()
			t.im = imInCell
			if t.cells > t.lim.MaxCells+cellSlack(t.lim.MaxCells) && t.err == nil {
				t.err = errTooManyCells
			}
			return true
		case a.Caption, a.Col, a.Colgroup, a.Tbody, a.Tfoot, a.Thead, a.Tr:
			if t.inScope(tableScope, a.Tr) {
				t.clearStackToContext(tableRowScope)
				t.pop()
				t.im = imInTableBody
				return false
			}
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Tr:
			if t.inScope(tableScope, a.Tr) {
				t.clearStackToContext(tableRowScope)
				t.pop()
				t.im = imInTableBody
			}
			return true
		case a.Table:
			if t.inScope(tableScope, a.Tr) {
				t.clearStackToContext(tableRowScope)
				t.pop()
				t.im = imInTableBody
				return false
			}
			return true
		case a.Tbody, a.Tfoot, a.Thead:
			if t.inScope(tableScope, t.tok.tag) && t.inScope(tableScope, a.Tr) {
				t.clearStackToContext(tableRowScope)
				t.pop()
				t.im = imInTableBody
				return false
			}
			return true
		case a.Body, a.Caption, a.Col, a.Colgroup, a.Html, a.Td, a.Th:
			return true
		}
	}
	return t.inTableIM()
}

// errTooManyCells stops tokenizing a page with more than Limits.MaxCells
// (and cellSlack more) cells, so that memory stays bounded by the limit,
// not the page. The reader then reads what was tokenized, counting only the
// cells it reads (not Word's spacer rows, hidden tables or cells outside
// the content container) against MaxCells, which usually stops it at the
// same cell; if not, the error names the table and row where tokenizing
// stopped.
var errTooManyCells = errors.New("too many cells")

func (t *htmlTree) inCellIM() bool {
	switch t.tok.typ {
	case html.StartTagToken:
		switch t.tok.tag {
		case a.Caption, a.Col, a.Colgroup, a.Tbody, a.Td, a.Tfoot, a.Th, a.Thead, a.Tr:
			if t.popUntil(tableScope, a.Td, a.Th) {
				t.clearActiveFormattingElements()
				t.im = imInRow
				return false
			}
			return true
		}
	case html.EndTagToken:
		switch t.tok.tag {
		case a.Td, a.Th:
			if !t.popUntil(tableScope, t.tok.tag) {
				return true
			}
			t.clearActiveFormattingElements()
			t.im = imInRow
			return true
		case a.Body, a.Caption, a.Col, a.Colgroup, a.Html:
			return true
		case a.Table, a.Tbody, a.Tfoot, a.Thead, a.Tr:
			if !t.inScope(tableScope, t.tok.tag) {
				return true
			}
			if t.popUntil(tableScope, a.Td, a.Th) {
				t.clearActiveFormattingElements()
			}
			t.im = imInRow
			return false
		}
	}
	return t.inBodyIM()
}

func (t *htmlTree) afterBodyIM() bool {
	switch t.tok.typ {
	case html.ErrorToken:
		return true
	case html.TextToken:
		if len(trimLeftSpace(t.tok.text)) == 0 {
			return t.inBodyIM()
		}
	case html.StartTagToken:
		if t.tok.tag == a.Html {
			return t.inBodyIM()
		}
	case html.EndTagToken:
		if t.tok.tag == a.Html {
			t.im = imAfterAfterBody
			return true
		}
	case html.CommentToken:
		return true
	}
	t.im = imInBody
	return false
}

func (t *htmlTree) afterAfterBodyIM() bool {
	switch t.tok.typ {
	case html.ErrorToken, html.CommentToken:
		return true
	case html.TextToken:
		if len(trimLeftSpace(t.tok.text)) == 0 {
			return t.inBodyIM()
		}
	case html.StartTagToken:
		if t.tok.tag == a.Html {
			return t.inBodyIM()
		}
	case html.DoctypeToken:
		return t.inBodyIM()
	}
	t.im = imInBody
	return false
}

func (t *htmlTree) resetInsertionMode() {
	for i := len(t.oe) - 1; i >= 0; i-- {
		last := i == 0
		switch t.nodes[t.oe[i]].tag {
		case a.Td, a.Th:
			t.im = imInCell
		case a.Tr:
			t.im = imInRow
		case a.Tbody, a.Thead, a.Tfoot:
			t.im = imInTableBody
		case a.Caption:
			t.im = imInCaption
		case a.Colgroup:
			t.im = imInColumnGroup
		case a.Table:
			t.im = imInTable
		case a.Template, a.Frameset:
			t.fallback("<template> or <frameset>")
		case a.Head:
			t.im = imInHead
		case a.Body:
			t.im = imInBody
		case a.Html:
			if t.head < 0 {
				t.im = imBeforeHead
			} else {
				t.im = imAfterHead
			}
		default:
			if last {
				t.im = imInBody
				return
			}
			continue
		}
		return
	}
}

// specialTags are the HTML standard's special category as x/net/html has it.
var specialTags = func() map[a.Atom]bool {
	m := map[a.Atom]bool{}
	for _, s := range strings.Fields(`address applet area article aside base basefont bgsound blockquote body br button
		caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame
		frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee
		menu meta nav noembed noframes noscript object ol p param plaintext pre script section select source style
		summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp`) {
		m[a.Lookup([]byte(s))] = true
	}
	delete(m, 0)
	return m
}()

func isSpecialTag(tag a.Atom) bool { return tag != 0 && specialTags[tag] }

// doctypeQuirks reports whether a doctype puts the page in quirks mode, as
// x/net/html's parseDoctype decides it.
func doctypeQuirks(s string) bool {
	quirks := false
	space := strings.IndexAny(s, whitespace)
	if space == -1 {
		space = len(s)
	}
	if s[:space] != "html" {
		quirks = true
	}
	s = strings.TrimLeft(s[space:], whitespace)
	if len(s) < 6 {
		return quirks || s != ""
	}
	key := strings.ToLower(s[:6])
	s = s[6:]
	var ids []html.Attribute
	for key == "public" || key == "system" {
		s = strings.TrimLeft(s, whitespace)
		if s == "" {
			break
		}
		quote := s[0]
		if quote != '"' && quote != '\'' {
			break
		}
		s = s[1:]
		q := strings.IndexRune(s, rune(quote))
		var id string
		if q == -1 {
			id, s = s, ""
		} else {
			id, s = s[:q], s[q+1:]
		}
		ids = append(ids, html.Attribute{Key: key, Val: id})
		if key == "public" {
			key = "system"
		} else {
			key = ""
		}
	}
	if key != "" || s != "" {
		return true
	}
	if len(ids) > 0 {
		if ids[0].Key == "public" {
			public := strings.ToLower(ids[0].Val)
			switch public {
			case "-//w3o//dtd w3 html strict 3.0//en//", "-/w3d/dtd html 4.0 transitional/en", "html":
				quirks = true
			default:
				for _, q := range quirkyDoctypeIDs {
					if strings.HasPrefix(public, q) {
						quirks = true
						break
					}
				}
			}
			if len(ids) == 1 && (strings.HasPrefix(public, "-//w3c//dtd html 4.01 frameset//") ||
				strings.HasPrefix(public, "-//w3c//dtd html 4.01 transitional//")) {
				quirks = true
			}
		}
		if last := ids[len(ids)-1]; last.Key == "system" &&
			strings.EqualFold(last.Val, "http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd") {
			quirks = true
		}
	}
	return quirks
}

var quirkyDoctypeIDs = strings.Split(`+//silmaril//dtd html pro v0r11 19970101//
-//advasoft ltd//dtd html 3.0 aswedit + extensions//
-//as//dtd html 3.0 aswedit + extensions//
-//ietf//dtd html 2.0 level 1//
-//ietf//dtd html 2.0 level 2//
-//ietf//dtd html 2.0 strict level 1//
-//ietf//dtd html 2.0 strict level 2//
-//ietf//dtd html 2.0 strict//
-//ietf//dtd html 2.0//
-//ietf//dtd html 2.1e//
-//ietf//dtd html 3.0//
-//ietf//dtd html 3.2 final//
-//ietf//dtd html 3.2//
-//ietf//dtd html 3//
-//ietf//dtd html level 0//
-//ietf//dtd html level 1//
-//ietf//dtd html level 2//
-//ietf//dtd html level 3//
-//ietf//dtd html strict level 0//
-//ietf//dtd html strict level 1//
-//ietf//dtd html strict level 2//
-//ietf//dtd html strict level 3//
-//ietf//dtd html strict//
-//ietf//dtd html//
-//metrius//dtd metrius presentational//
-//microsoft//dtd internet explorer 2.0 html strict//
-//microsoft//dtd internet explorer 2.0 html//
-//microsoft//dtd internet explorer 2.0 tables//
-//microsoft//dtd internet explorer 3.0 html strict//
-//microsoft//dtd internet explorer 3.0 html//
-//microsoft//dtd internet explorer 3.0 tables//
-//netscape comm. corp.//dtd html//
-//netscape comm. corp.//dtd strict html//
-//o'reilly and associates//dtd html 2.0//
-//o'reilly and associates//dtd html extended 1.0//
-//o'reilly and associates//dtd html extended relaxed 1.0//
-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//
-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//
-//spyglass//dtd html 2.0 extended//
-//sq//dtd html 2.0 hotmetal + extensions//
-//sun microsystems corp.//dtd hotjava html//
-//sun microsystems corp.//dtd hotjava strict html//
-//w3c//dtd html 3 1995-03-24//
-//w3c//dtd html 3.2 draft//
-//w3c//dtd html 3.2 final//
-//w3c//dtd html 3.2//
-//w3c//dtd html 3.2s draft//
-//w3c//dtd html 4.0 frameset//
-//w3c//dtd html 4.0 transitional//
-//w3c//dtd html experimental 19960712//
-//w3c//dtd html experimental 970421//
-//w3c//dtd w3 html//
-//w3o//dtd w3 html 3.0//
-//webtechs//dtd mozilla html 2.0//
-//webtechs//dtd mozilla html//`, "\n")
