package synth

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// docStyle is how the word processor that saved the file writes its XML:
// WPS Office is very verbose (as the real blank template), Microsoft Word
// a little less, with rsid attributes.
type docStyle struct {
	wps      bool
	font     string
	vmShort  bool // write a continued merge as <w:vMerge/>
	rsid     string
	rprBody  string
	rprBold  string
	rprTitle string
	rprCell  string
	rprHead  string
	pprBody  string
	pprHead  string
	pprTitle string
	pprCellC string // centred cell paragraph
	pprCellL string
	tcTail   string // tcBorders, shd, vAlign
	tcTailV  string // the same for value cells
	trPr     string
	tblPrEx  string
}

func (g *gen) pickStyle() docStyle {
	r := g.r
	s := docStyle{wps: r.Intn(2) == 0, vmShort: r.Intn(2) == 0}
	s.font = []string{"宋体", "仿宋_GB2312", "仿宋", "方正仿宋_GBK", "宋体"}[r.Intn(5)]
	s.rsid = fmt.Sprintf("%08X", r.Uint32()&0x00FFFFFF)
	rpr := func(font string, bold bool, sz int, color bool) string {
		var b strings.Builder
		b.WriteString("<w:rPr>")
		if s.wps {
			b.WriteString(`<w:rFonts w:hint="eastAsia" w:ascii="` + font + `" w:hAnsi="` + font + `" w:eastAsia="` + font + `" w:cs="` + font + `"/>`)
		} else {
			b.WriteString(`<w:rFonts w:ascii="` + font + `" w:eastAsia="` + font + `" w:hAnsi="` + font + `" w:hint="eastAsia"/>`)
		}
		if bold {
			b.WriteString("<w:b/><w:bCs/>")
		}
		if s.wps && color {
			b.WriteString(`<w:color w:val="000000"/><w:kern w:val="0"/>`)
		}
		b.WriteString(`<w:sz w:val="` + strconv.Itoa(sz) + `"/><w:szCs w:val="` + strconv.Itoa(sz) + `"/>`)
		if s.wps {
			b.WriteString(`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar"/>`)
		} else {
			b.WriteString(`<w:lang w:eastAsia="zh-CN"/>`)
		}
		b.WriteString("</w:rPr>")
		return b.String()
	}
	heading := []string{"黑体", "方正黑体_GBK", s.font}[r.Intn(3)]
	s.rprBody = rpr(s.font, false, 32, true)
	s.rprBold = rpr(heading, r.Intn(2) == 0, 32, true)
	s.rprTitle = rpr([]string{"方正小标宋简体", "方正小标宋_GBK", "宋体"}[r.Intn(3)], true, 44, true)
	s.rprCell = rpr("宋体", false, 20, false)
	s.rprHead = rpr("宋体", r.Intn(3) == 0, 20, true)
	ppr := func(jc string, ind string) string {
		if s.wps {
			return `<w:pPr><w:pStyle w:val="2"/><w:keepNext w:val="0"/><w:keepLines w:val="0"/><w:widowControl/><w:suppressLineNumbers w:val="0"/><w:spacing w:before="0" w:beforeAutospacing="0" w:after="0" w:afterAutospacing="0" w:line="560" w:lineRule="exact"/>` + ind + `<w:jc w:val="` + jc + `"/><w:rPr><w:rFonts w:hint="eastAsia" w:ascii="` + s.font + `" w:hAnsi="` + s.font + `" w:eastAsia="` + s.font + `" w:cs="` + s.font + `"/></w:rPr></w:pPr>`
		}
		return `<w:pPr><w:widowControl/><w:spacing w:line="560" w:lineRule="exact"/>` + ind + `<w:jc w:val="` + jc + `"/><w:rPr><w:rFonts w:ascii="` + s.font + `" w:eastAsia="` + s.font + `"/></w:rPr></w:pPr>`
	}
	s.pprBody = ppr("both", `<w:ind w:left="0" w:firstLine="640"/>`)
	s.pprHead = ppr("left", `<w:ind w:left="0" w:firstLine="640"/>`)
	s.pprTitle = ppr("center", "")
	cellP := func(jc string) string {
		if s.wps {
			return `<w:pPr><w:widowControl/><w:spacing w:before="0" w:beforeAutospacing="1" w:after="0" w:afterAutospacing="0"/><w:jc w:val="` + jc + `"/></w:pPr>`
		}
		return `<w:pPr><w:widowControl/><w:jc w:val="` + jc + `"/></w:pPr>`
	}
	s.pprCellC = cellP("center")
	s.pprCellL = cellP("left")
	if s.wps {
		single := `w:val="single" w:color="auto" w:sz="8" w:space="0"`
		s.tcTail = `<w:tcBorders><w:top ` + single + `/><w:left ` + single + `/><w:bottom ` + single + `/><w:right ` + single + `/></w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="auto"/><w:vAlign w:val="center"/></w:tcPr>`
		s.tcTailV = `<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom ` + single + `/><w:right ` + single + `/></w:tcBorders><w:vAlign w:val="center"/></w:tcPr>`
		s.trPr = `<w:trPr><w:trHeight w:val="340" w:hRule="atLeast"/><w:jc w:val="center"/></w:trPr>`
		s.tblPrEx = `<w:tblPrEx><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPrEx>`
	} else {
		s.tcTail = `<w:tcBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tcBorders><w:vAlign w:val="center"/></w:tcPr>`
		s.tcTailV = `<w:vAlign w:val="center"/></w:tcPr>`
		s.trPr = `<w:trPr><w:trHeight w:val="454"/><w:jc w:val="center"/></w:trPr>`
	}
	return s
}

// xmlw accumulates XML text.
type xmlw struct {
	*bytes.Buffer
	g *gen
}

func (w *xmlw) text(s string) { writeEscaped(w.Buffer, s, "") }

// writeEscaped writes s with the markup characters escaped, and each line
// break as br (empty: kept as is).
func writeEscaped(b *bytes.Buffer, s, br string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\n':
			if br == "" {
				continue
			}
			esc = br
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

const hexDigits = "0123456789ABCDEF"

func (w *xmlw) hex8(v uint32) {
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = hexDigits[v&15]
		v >>= 4
	}
	w.Write(b[:])
}

// pOpen starts a paragraph with Word's or WPS's identity attributes.
func (w *xmlw) pOpen() {
	w.WriteString(`<w:p w14:paraId="`)
	w.hex8(w.g.r.Uint32() & 0x7FFFFFFF)
	if !w.g.style.wps {
		w.WriteString(`" w14:textId="`)
		w.hex8(w.g.r.Uint32() & 0x7FFFFFFF)
		w.WriteString(`" w:rsidR="`)
		w.WriteString(w.g.style.rsid)
		w.WriteString(`" w:rsidRDefault="`)
		w.WriteString(w.g.style.rsid)
	}
	w.WriteString(`">`)
}

// runs writes text as runs: line breaks become <w:br/>, and the text is
// sometimes cut into several runs the way editing history leaves it,
// digits included (20|23).
// cellPOpen starts a paragraph inside a table cell.
func (w *xmlw) cellPOpen() {
	w.WriteString(`<w:p w14:paraId="`)
	w.hex8(w.g.r.Uint32() & 0x7FFFFFFF)
	w.WriteString(`">`)
}

func (w *xmlw) runs(s, rpr string, splitOdds, cuts int) {
	if s == "" {
		return
	}
	r := w.g.r
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.WriteString("<w:r>")
			w.WriteString(rpr)
			w.WriteString("<w:br/></w:r>")
		}
		if line == "" {
			continue
		}
		pieces := []string{line}
		if cuts > 0 {
			pieces = w.g.cut(line, cuts)
		} else if n := utf8.RuneCountInString(line); n >= 2 && r.Intn(splitOdds) == 0 {
			rs := []rune(line)
			at := 1 + r.Intn(n-1)
			pieces = []string{string(rs[:at]), string(rs[at:])}
		}
		for _, p := range pieces {
			proof := cuts > 0 && !w.g.style.wps && r.Intn(25) == 0
			if proof {
				w.WriteString(`<w:proofErr w:type="gramStart"/>`)
			}
			w.WriteString("<w:r>")
			w.WriteString(rpr)
			if p[0] == ' ' || p[len(p)-1] == ' ' || strings.HasPrefix(p, "\u3000") || strings.HasSuffix(p, "\u3000") {
				w.WriteString(`<w:t xml:space="preserve">`)
			} else {
				w.WriteString("<w:t>")
			}
			w.text(p)
			w.WriteString("</w:t></w:r>")
			if proof {
				w.WriteString(`<w:proofErr w:type="gramEnd"/>`)
			}
		}
	}
}

func (w *xmlw) para(ppr, rpr, text string, cuts int) {
	w.pOpen()
	w.WriteString(ppr)
	if text != "" && w.g.r.Intn(40) == 0 {
		w.g.bookmarks++
		id := strconv.Itoa(w.g.bookmarks)
		w.WriteString(`<w:bookmarkStart w:id="` + id + `" w:name="OLE_LINK` + id + `"/>`)
		w.runs(text, rpr, 3, cuts)
		w.WriteString(`<w:bookmarkEnd w:id="` + id + `"/>`)
	} else {
		w.runs(text, rpr, 3, cuts)
	}
	w.WriteString("</w:p>")
}

func (w *xmlw) block(b block, cuts int) {
	s := &w.g.style
	switch b.kind {
	case bTitle:
		w.para(s.pprTitle, s.rprTitle, b.text, 0)
	case bHeading:
		w.para(s.pprHead, s.rprBold, b.text, 0)
	case bPara:
		w.para(s.pprBody, s.rprBody, b.text, cuts)
	case bBlank:
		w.para(s.pprBody, s.rprBody, "", 0)
	case bSignature:
		w.para(strings.Replace(s.pprBody, `w:val="both"`, `w:val="right"`, 1), s.rprBody, b.text, 0)
	case bPageBreak:
		w.pOpen()
		w.WriteString(s.pprBody)
		w.WriteString(`<w:r>` + s.rprBody + `<w:br w:type="page"/></w:r></w:p>`)
	case bTable:
		w.table(b.tbl)
	}
}

func (w *xmlw) table(t *table) {
	s := &w.g.style
	total := 0
	for _, x := range t.grid {
		total += x
	}
	w.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="3"/><w:tblW w:w="`)
	w.WriteString(strconv.Itoa(total))
	w.WriteString(`" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:left w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:bottom w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:right w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:insideH w:val="single" w:color="auto" w:sz="4" w:space="0"/><w:insideV w:val="single" w:color="auto" w:sz="4" w:space="0"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, x := range t.grid {
		w.WriteString(`<w:gridCol w:w="`)
		w.WriteString(strconv.Itoa(x))
		w.WriteString(`"/>`)
	}
	w.WriteString("</w:tblGrid>")
	for _, row := range t.rows {
		w.WriteString(`<w:tr w14:paraId="`)
		w.hex8(w.g.r.Uint32() & 0x7FFFFFFF)
		w.WriteString(`">`)
		w.WriteString(s.tblPrEx)
		w.WriteString(s.trPr)
		col := 0
		for _, c := range row {
			width := 0
			for k := col; k < col+c.span && k < len(t.grid); k++ {
				width += t.grid[k]
			}
			col += c.span
			w.WriteString(`<w:tc><w:tcPr><w:tcW w:w="`)
			w.WriteString(strconv.Itoa(width))
			w.WriteString(`" w:type="dxa"/>`)
			if c.span > 1 {
				w.WriteString(`<w:gridSpan w:val="`)
				w.WriteString(strconv.Itoa(c.span))
				w.WriteString(`"/>`)
			}
			switch c.vm {
			case vmRestart:
				w.WriteString(`<w:vMerge w:val="restart"/>`)
			case vmContinue:
				if s.vmShort {
					w.WriteString(`<w:vMerge/>`)
				} else {
					w.WriteString(`<w:vMerge w:val="continue"/>`)
				}
			}
			switch {
			case c.shade && s.wps:
				w.WriteString(strings.Replace(s.tcTail, `w:fill="auto"`, `w:fill="C6D9F1"`, 1))
			case c.shade:
				w.WriteString(strings.Replace(s.tcTail, `</w:tcBorders>`, `</w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="C6D9F1"/>`, 1))
			case c.num:
				w.WriteString(s.tcTailV)
			default:
				w.WriteString(s.tcTail)
			}
			ppr, rpr := s.pprCellC, s.rprCell
			if c.head {
				rpr = s.rprHead
			}
			if c.head && t.no == 3 && col > 1 && col <= 3 && c.vm == vmNone && c.span == 1 {
				ppr = s.pprCellL // sub-row labels are left-aligned
			}
			paras := c.paras
			if len(paras) == 0 {
				paras = []string{""}
			}
			for _, p := range paras {
				w.cellPOpen()
				w.WriteString(ppr)
				w.runs(p, rpr, 10, 0)
				w.WriteString("</w:p>")
			}
			w.WriteString("</w:tc>")
		}
		w.WriteString("</w:tr>")
	}
	w.WriteString("</w:tbl>")
}

const docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 w15 wp14"><w:body>`

const docxTail = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425" w:num="1"/><w:docGrid w:type="lines" w:linePitch="312" w:charSpace="0"/></w:sectPr></w:body></w:document>`

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// documentXML renders word/document.xml, padded to the target size, into
// a pooled buffer the caller returns with bufPool.Put.
func (g *gen) documentXML() *bytes.Buffer {
	render := func(buf *bytes.Buffer, b block, cuts int) {
		w := xmlw{buf, g}
		w.block(b, cuts)
	}
	return g.layout([]byte(docxHead), []byte(docxTail), render, len(g.style.rprBody)+len("<w:r><w:t></w:t></w:r>"))
}

var flatePool sync.Pool

type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	flatePool.Put(p.Writer)
	return err
}

func fastDeflate(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := flatePool.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return pooledFlate{fw}, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	return pooledFlate{fw}, nil
}

func (g *gen) docx() ([]byte, error) {
	docBuf := g.documentXML()
	defer bufPool.Put(docBuf)
	doc := docBuf.Bytes()
	mod := time.Date(g.year+1, time.Month(g.pm), g.pd, 9, 30, 0, 0, time.UTC)
	var out bytes.Buffer
	out.Grow(len(doc)/6 + 16<<10)
	z := zip.NewWriter(&out)
	z.RegisterCompressor(zip.Deflate, fastDeflate)
	styles := stylesWord
	if g.style.wps {
		styles = stylesWPS
	}
	parts := []struct {
		name string
		data []byte
		pre  *precompressed
	}{
		{"[Content_Types].xml", nil, staticPart(contentTypes)},
		{"_rels/.rels", nil, staticPart(rootRels)},
		{"docProps/app.xml", []byte(g.appXML()), nil},
		{"docProps/core.xml", []byte(g.coreXML(mod)), nil},
		{"word/document.xml", doc, nil},
		{"word/_rels/document.xml.rels", nil, staticPart(documentRels)},
		{"word/styles.xml", nil, staticPart(styles)},
		{"word/settings.xml", nil, staticPart(settingsXML)},
		{"word/fontTable.xml", nil, staticPart(fontTableXML)},
	}
	for _, p := range parts {
		if p.pre != nil {
			f, err := z.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: mod,
				CRC32: p.pre.crc, CompressedSize64: uint64(len(p.pre.data)), UncompressedSize64: uint64(p.pre.size)})
			if err == nil {
				_, err = f.Write(p.pre.data)
			}
			if err != nil {
				return nil, fmt.Errorf("docx %s: %w", p.name, err)
			}
			continue
		}
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return nil, fmt.Errorf("docx %s: %w", p.name, err)
		}
		if _, err := f.Write(p.data); err != nil {
			return nil, fmt.Errorf("docx %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return out.Bytes(), nil
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:bordersDoNotSurroundHeader w:val="0"/><w:bordersDoNotSurroundFooter w:val="0"/><w:defaultTabStop w:val="420"/><w:drawingGridVerticalSpacing w:val="156"/><w:displayHorizontalDrawingGridEvery w:val="1"/><w:displayVerticalDrawingGridEvery w:val="1"/><w:noPunctuationKerning w:val="1"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="14"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`

const fontTableXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="宋体"><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font><w:font w:name="黑体"><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="仿宋_GB2312"><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font></w:fonts>`

// precompressed is a constant part, deflated once.
type precompressed struct {
	data []byte
	crc  uint32
	size int
}

var (
	staticMu    sync.Mutex
	staticParts = map[string]*precompressed{}
)

func staticPart(s string) *precompressed {
	staticMu.Lock()
	defer staticMu.Unlock()
	if p, ok := staticParts[s]; ok {
		return p
	}
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write([]byte(s))
	fw.Close()
	p := &precompressed{data: b.Bytes(), crc: crc32.ChecksumIEEE([]byte(s)), size: len(s)}
	staticParts[s] = p
	return p
}

var (
	stylesWPS  = stylesXML("1", "3")
	stylesWord = stylesXML("a", "3")
)

func stylesXML(normal, table string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="` + normal + `"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="2"><w:name w:val="Normal (Web)"/><w:basedOn w:val="` + normal + `"/><w:qFormat/><w:pPr><w:spacing w:before="100" w:beforeAutospacing="1" w:after="100" w:afterAutospacing="1"/><w:jc w:val="left"/></w:pPr><w:rPr><w:rFonts w:cs="Times New Roman"/><w:kern w:val="0"/><w:sz w:val="24"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:default="1" w:styleId="4"><w:name w:val="Default Paragraph Font"/><w:semiHidden/></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="` + table + `"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>`
}

func (g *gen) appXML() string {
	app := "WPS Office_12.1.0.16929_F1E327BC-269C-435d-A152-05C5408002CA"
	if !g.style.wps {
		app = "Microsoft Office Word"
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><Pages>5</Pages><TotalTime>` + strconv.Itoa(g.r.Intn(300)) + `</TotalTime><Application>` + app + `</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate></Properties>`
}

func (g *gen) coreXML(mod time.Time) string {
	created := mod.Add(-time.Duration(1+g.r.Intn(240)) * time.Hour).Format("2006-01-02T15:04:05Z")
	title := ""
	switch g.r.Intn(3) {
	case 0:
		title = "<dc:title>" + escapeXML(g.title) + "</dc:title>"
	case 1:
		title = "<dc:title>政府信息公开工作年度报告</dc:title>"
	}
	creator := []string{"Administrator", "admin", "USER", "dell", "政务公开办"}[g.r.Intn(5)]
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` + title +
		`<dc:creator>` + creator + `</dc:creator><cp:lastModifiedBy>` + creator + `</cp:lastModifiedBy><cp:revision>` + strconv.Itoa(1+g.r.Intn(9)) + `</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">` + created +
		`</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + mod.Format("2006-01-02T15:04:05Z") + `</dcterms:modified></cp:coreProperties>`
}

func escapeXML(s string) string {
	w := xmlw{Buffer: new(bytes.Buffer)}
	w.text(s)
	return w.String()
}
