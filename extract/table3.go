package extract

import (
	"fmt"
	"slices"
	"strings"

	"ogi/parser"
)

// The seven value columns of tables 3, in template order.
var t3Cols = []string{"natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"}

var t3ColNames = map[string]string{
	"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "public_interest": "社会公益组织",
	"legal_service": "法律服务机构", "other_org": "其他", "total": "总计",
}

var t3ColLabels = mkLabels(
	"natural_person", "自然人",
	"commercial", "商业企业",
	"research", "科研机构",
	"public_interest", "社会公益组织",
	"legal_service", "法律服务机构",
	"other_org", "其他",
	"total", "总计|合计",
)

var t3Top = mkLabels(
	"new", "本年新收政府信息公开申请数量|本年新收",
	"carried_over", "上年结转政府信息公开申请数量|上年结转",
	"results", "本年度办理结果|办理结果",
	"carried_forward", "结转下年度继续办理|结转下年度",
)

var t3Groups = mkLabels(
	"granted", "予以公开",
	"partially_granted", "部分公开(区分处理的,只计这一情形,不计其他情形)|部分公开",
	"denied", "不予公开",
	"unavailable", "无法提供",
	"not_processed", "不予处理",
	"other", "其他处理",
	"total", "总计",
)

var t3Subs = map[string][]label{
	"denied": mkLabels(
		"state_secret", "属于国家秘密",
		"prohibited_by_law", "其他法律行政法规禁止公开",
		"three_safeties", "危及“三安全一稳定”",
		"third_party", "保护第三方合法权益",
		"internal_affairs", "属于三类内部事务信息",
		"process_info", "属于四类过程性信息",
		"enforcement_files", "属于行政执法案卷",
		"query_matters", "属于行政查询事项",
	),
	"unavailable": mkLabels(
		"not_held", "本机关不掌握相关政府信息",
		"needs_creation", "没有现成信息需要另行制作",
		"unclear", "补正后申请内容仍不明确",
	),
	"not_processed": mkLabels(
		"petition", "信访举报投诉类申请",
		"duplicate", "重复申请",
		"publication", "要求提供公开出版物",
		"excessive", "无正当理由大量反复申请",
		"confirmation", "要求行政机关确认或重新出具已获取信息",
	),
	"other": mkLabels(
		"no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
		"other", "其他",
	),
}

// t3GroupKey maps a group's printed name back to its id.
var t3GroupKey = func() map[string]string {
	m := map[string]string{}
	for id, n := range t3GroupNames {
		m[n] = id
	}
	return m
}()

// Printed names of rows and groups, for messages.
var t3GroupNames = map[string]string{
	"granted": "（一）予以公开", "partially_granted": "（二）部分公开", "denied": "（三）不予公开",
	"unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理", "total": "（七）总计",
}

var t3TopNames = map[string]string{
	"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
	"carried_forward": "四、结转下年度继续办理", "results": "三、本年度办理结果",
}

// t3Order lists the row keys of table 3 in template order (2021).
var t3Order = []string{"new", "carried_over", "granted", "partially_granted",
	"denied.state_secret", "denied.prohibited_by_law", "denied.three_safeties", "denied.third_party",
	"denied.internal_affairs", "denied.process_info", "denied.enforcement_files", "denied.query_matters",
	"unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
	"not_processed.petition", "not_processed.duplicate", "not_processed.publication", "not_processed.excessive", "not_processed.confirmation",
	"other.no_correction", "other.no_fee", "other.other", "total", "carried_forward"}

// t3Rows returns the row keys of table 3 for a template, in order.
func t3Rows(tpl string) []string {
	if tpl == "2021" {
		return t3Order
	}
	var out []string
	for _, k := range t3Order {
		switch k {
		case "other.no_correction":
			out = append(out, "other")
		case "other.no_fee", "other.other":
		default:
			out = append(out, k)
		}
	}
	return out
}

// t3RowKeys are the row keys of both templates.
var t3RowKeys = append(append([]string{}, t3Order...), "other")

// t3Names and t3Keys hold, for each row key, its printed name and the
// field keys of its seven columns in t3Cols order.
var t3Names, t3Keys = func() (map[string]string, map[string][]string) {
	names, keys := map[string]string{}, map[string][]string{}
	for _, k := range t3RowKeys {
		names[k] = makeRowName(k)
		for _, col := range t3Cols {
			keys[k] = append(keys[k], "requests."+k+"."+col)
		}
	}
	return names, keys
}()

// rowName is a row key's printed label path, for messages.
func rowName(key string) string {
	if n, ok := t3Names[key]; ok {
		return n
	}
	return makeRowName(key)
}

// subKeys holds the row key of each group and sub-row id.
var subKeys = func() map[[2]string]string {
	m := map[[2]string]string{}
	for g, subs := range t3Subs {
		for _, l := range subs {
			m[[2]string{g, l.id}] = g + "." + l.id
		}
	}
	return m
}()

func subKey(group, sub string) string {
	if k, ok := subKeys[[2]string{group, sub}]; ok {
		return k
	}
	return group + "." + sub
}

// t3Slots holds the numbers in checkSlots of the keys of t3Keys.
var t3Slots = func() map[string][]int {
	m := map[string][]int{}
	for row, ks := range t3Keys {
		for _, k := range ks {
			m[row] = append(m[row], slotOf(k))
		}
	}
	return m
}()

// t3RowFieldKeys returns the field keys of a row key, in t3Cols order,
// with their numbers in checkSlots.
func t3RowFieldKeys(row string) ([]string, []int) {
	if ks, ok := t3Keys[row]; ok {
		return ks, t3Slots[row]
	}
	ks := make([]string, len(t3Cols))
	slots := make([]int, len(t3Cols))
	for i, col := range t3Cols {
		ks[i] = "requests." + row + "." + col
		slots[i] = slotOf(ks[i])
	}
	return ks, slots
}

func makeRowName(key string) string {
	if n, ok := t3TopNames[key]; ok {
		return n
	}
	g, sub, _ := strings.Cut(key, ".")
	name := t3GroupNames[g]
	if sub != "" {
		for i, l := range t3Subs[g] {
			if l.id == sub {
				name += fmt.Sprintf("/%d.%s", i+1, l.texts[0])
			}
		}
	}
	return name
}

// t3row is one data row of table 3 as printed.
type t3row struct {
	r        int
	top      string // new, carried_over, results, carried_forward or ""
	group    string // group id or ""
	groupC   *parser.Cell
	sub      string   // the sub-label's core text, "" when missing
	path     []string // the label texts printed, for messages
	strays   []*parser.Cell
	values   []*parser.Cell // in t3Cols order
	valueErr error
	byOrder  bool
	key      string // row key once identified

	pathBuf [4]string
	valBuf  [7]*parser.Cell
}

// label is the printed label path, for messages.
func (row *t3row) label() string {
	parts := make([]string, len(row.path))
	for i, p := range row.path {
		parts[i] = cleanRaw(p)
	}
	if l := strings.Join(parts, "/"); l != "" {
		return l
	}
	return fmt.Sprintf("row %d", row.r+1)
}

// table3 reads table 3 into the record and returns its template ("2021"
// or "2019"), or "" when the table was not found or not read.
func (e *extractor) table3(t *parser.Table) string {
	if t == nil {
		return ""
	}
	g := newCellGrid(t)

	// A merged label cell covers many rows: read and match it once.
	type cellInfo struct {
		core       string
		numberish  bool
		top, group match
	}
	memo := map[*parser.Cell]*cellInfo{}
	info := func(c *parser.Cell) *cellInfo {
		ci := memo[c]
		if ci == nil {
			norm := normText(c.Text)
			core := labelCore(norm)
			ci = &cellInfo{core: core, numberish: numberishNorm(norm),
				top: matchLabel(core, t3Top), group: matchLabel(core, t3Groups)}
			memo[c] = ci
		}
		return ci
	}

	// Header: rows above the first row labelled like a data row.
	first := -1
	for r := 0; r < t.NumRows && first < 0; r++ {
		for _, c := range t.Rows[r] {
			if ci := info(c); ci.top.id != "" || ci.group.id != "" && ci.core != "总计" {
				first = r
				break
			}
		}
	}
	if first < 0 {
		e.problem(Problem{Stage: StageHeader, Table: 3, Err: fmt.Errorf("no row labels found: %w", ErrLayout)})
		return ""
	}
	colIDs := make([]string, t.NumCols)
	found := map[string]int{}
	var unknown []string // header labels that name no column
	for j := 0; j < t.NumCols; j++ {
		for r := first - 1; r >= 0; r-- {
			text := g.text(r, j)
			txt := normLabel(text)
			if txt == "" || isNumberish(text) {
				continue
			}
			if m := matchLabel(txt, t3ColLabels); m.id != "" {
				colIDs[j] = m.id
				if m.fuzzy {
					e.warn("table 3: column label %q matched %s by similarity", cleanRaw(text), t3ColNames[m.id])
				}
			} else if j >= t.NumCols-7 && !slices.Contains(unknown, cleanRaw(text)) {
				// a label over a value column (the corner cell is not one)
				unknown = append(unknown, cleanRaw(text))
			}
			break
		}
		if colIDs[j] != "" {
			found[colIDs[j]]++
		}
	}
	valueStart := -1
	for j, id := range colIDs {
		if id != "" {
			valueStart = j
			break
		}
	}
	if len(found) != 7 || valueStart < 0 {
		if t.NumCols < 8 {
			e.problem(Problem{Stage: StageHeader, Table: 3, Err: fmt.Errorf("applicant columns not found: %w", ErrLayout)})
			return ""
		}
		valueStart = t.NumCols - 7
		for j := range colIDs {
			colIDs[j] = ""
			if j >= valueStart {
				colIDs[j] = t3Cols[j-valueStart]
			}
		}
		if len(unknown) > 0 {
			e.warn("table 3: applicant column headers not recognized (%s); the last 7 columns taken in template order", quoteList(unknown))
		} else {
			e.warn("table 3: applicant column headers not recognized; the last 7 columns taken in template order")
		}
	}

	// Rows: labels and values. Empty rows at the end are not rows.
	end := t.NumRows
	for end > first && rowEmpty(t.Rows[end-1]) {
		end--
	}
	rows := make([]*t3row, 0, end-first)
	store := make([]t3row, end-first) // rows is never longer
	var seenBuf [8]*parser.Cell
	for r := first; r < end; r++ {
		row := &store[r-first]
		row.r = r
		seen := seenBuf[:0]
		path := row.pathBuf[:0]
		for j := 0; j < valueStart; j++ {
			c := g.at(r, j)
			if c == nil || slices.Contains(seen, c) {
				continue
			}
			seen = append(seen, c)
			txt := strings.TrimFunc(c.Text, isSpace)
			if txt == "" {
				continue
			}
			// info folds the cell's whole text: normText drops the
			// whitespace trimmed off txt.
			cm := info(c)
			core := cm.core
			if c.Row == r && cm.numberish {
				row.strays = append(row.strays, c)
				continue
			}
			path = append(path, txt)
			if m := cm.top; m.id != "" && row.top == "" && row.group == "" {
				row.top = m.id
				if m.fuzzy && c.Row == r {
					e.warn("table 3: row label %q matched %s by similarity", cleanRaw(txt), t3TopNames[m.id])
				}
				continue
			}
			if m := cm.group; m.id != "" && row.group == "" {
				row.group, row.groupC = m.id, c
				if m.fuzzy && c.Row == r {
					e.warn("table 3: row label %q matched %s by similarity", cleanRaw(txt), t3GroupNames[m.id])
				}
				continue
			}
			// A group label whose words are garbled keeps its number:
			// (七)计 is still （七）总计.
			if row.group == "" && c.Col == valueStart-2 {
				if id := groupByNumber(txt); id != "" {
					row.group, row.groupC = id, c
					if c.Row == r {
						e.warn("table 3: row label %q identified by its number as %s", cleanRaw(txt), t3GroupNames[id])
					}
					continue
				}
			}
			if row.sub == "" {
				row.sub = core
			}
		}
		row.path = path
		row.values, row.byOrder, row.valueErr = rowValues(row.valBuf[:0], t, r, valueStart, colIDs, row.strays, t3Cols, &g)
		for _, c := range row.values {
			if slices.Contains(row.strays, c) {
				row.strays = nil // they were values of a row shifted left
				break
			}
		}
		if row.top == "results" && row.group == "" && row.sub == "" && allBlank(row.values) {
			continue // a heading row of its own
		}
		rows = append(rows, row)
	}

	nprobs := len(e.probs)
	tpl := e.identifyT3(rows)
	if tpl == "" {
		return ""
	}
	// A row missing while identifyT3 reported a problem may be one it
	// could not tell; otherwise the table does not print it.
	unsure := map[string]bool{}
	for _, p := range e.probs[nprobs:] {
		unsure[p.Row] = true
	}
	// Value cells merged over more than one identified row.
	uses := map[*parser.Cell][]*t3row{}
	for _, row := range rows {
		if row.key == "" || row.valueErr != nil {
			continue
		}
		for _, c := range row.values {
			if c.RowSpan > 1 && !slices.Contains(uses[c], row) {
				uses[c] = append(uses[c], row)
			}
		}
	}
	var merged []*parser.Cell
	for _, row := range rows {
		if row.key == "" {
			continue
		}
		if row.valueErr != nil {
			e.problem(Problem{Stage: StageRow, Table: 3, Row: rowName(row.key), Err: row.valueErr})
			continue
		}
		if row.byOrder {
			e.warn("table 3, row %q: cell spans differ from the header; values matched by order", rowName(row.key))
		}
		name := rowName(row.key)
		keys, slots := t3RowFieldKeys(row.key)
		for i, col := range t3Cols {
			c := row.values[i]
			if len(uses[c]) > 1 {
				if uses[c][0] == row {
					merged = append(merged, c)
				}
				continue
			}
			e.set(keys[i], slots[i], c, unitCount, 3, name, t3ColNames[col])
		}
	}
	e.t3Merged(merged, uses)
	// Rows the template has and the table does not.
	have := map[string]bool{}
	for _, row := range rows {
		have[row.key] = true
	}
	anyUnsure := false
	for r := range unsure {
		if _, isGroup := t3GroupKey[r]; !isGroup {
			anyUnsure = true // a row that was not identified at all
		}
	}
	for _, k := range t3Rows(tpl) {
		if have[k] {
			continue
		}
		g, _, _ := strings.Cut(k, ".")
		switch {
		case unsure[t3GroupNames[g]]:
			// its group's problem says why
		case anyUnsure:
			e.problem(Problem{Stage: StageRow, Table: 3, Row: rowName(k), Err: fmt.Errorf("row not found: %w", ErrLayout)})
		default:
			e.warn("table 3: row %q not printed; its keys are absent", rowName(k))
		}
	}
	return tpl
}

// t3Merged reads value cells merged over several rows of table 3. A
// merged zero (or blank) is each covered row's value, with a warning. A
// merged non-zero number cannot be split among the rows: it is the
// group's key when the cell covers every sub-row of a group the template
// also prints as one row (（六）其他处理), else a problem naming the cells;
// never a guess.
func (e *extractor) t3Merged(cells []*parser.Cell, uses map[*parser.Cell][]*t3row) {
	type zeroSet struct {
		rows string
		cols []string
	}
	var zeros []*zeroSet
	for _, c := range cells {
		rows := uses[c]
		col := t3Cols[slices.Index(rows[0].values, c)]
		var names []string
		for _, r := range rows {
			names = append(names, rowName(r.key))
		}
		rowList := strings.Join(names, ", ")
		res := readCell(c.Text, unitCount)
		if res.Err == nil && (res.Value == nil || isZero(*res.Value)) {
			for _, r := range rows {
				keys, slots := t3RowFieldKeys(r.key)
				i := slices.Index(t3Cols, col)
				e.set(keys[i], slots[i], c, unitCount, 3, rowName(r.key), t3ColNames[col])
			}
			var z *zeroSet
			for _, x := range zeros {
				if x.rows == rowList {
					z = x
				}
			}
			if z == nil {
				z = &zeroSet{rows: rowList}
				zeros = append(zeros, z)
			}
			z.cols = append(z.cols, t3ColNames[col])
			continue
		}
		g, _, _ := strings.Cut(rows[0].key, ".")
		whole := len(rows) == len(t3Subs[g])
		for _, r := range rows {
			if rg, _, _ := strings.Cut(r.key, "."); rg != g || r.key == g {
				whole = false
			}
		}
		groupKey := "requests." + g + "." + col
		if whole && fieldKnown(groupKey) {
			e.set(groupKey, slotOf(groupKey), c, unitCount, 3, t3GroupNames[g], t3ColNames[col])
			e.warn("table 3, column %s: one cell %q merged over rows %s; read as %s, the group's total", t3ColNames[col], cleanRaw(c.Text), rowList, groupKey)
			continue
		}
		for _, r := range rows {
			keys, _ := t3RowFieldKeys(r.key)
			e.rec.Raw[keys[slices.Index(t3Cols, col)]] = cleanRaw(c.Text)
		}
		e.problem(Problem{Stage: StageCell, Table: 3, Row: rowList, Column: t3ColNames[col], Cell: cleanRaw(c.Text),
			Err: fmt.Errorf("one number merged over %d rows cannot be split among them: %w", len(rows), ErrLayout)})
	}
	for _, z := range zeros {
		e.warn("table 3: rows %s print one merged cell per column (%s); its zero read for each row", z.rows, strings.Join(z.cols, ", "))
	}
}

// isZero reports a canonical number equal to zero.
func isZero(n Number) bool { return n == "0" }

// fieldKnown reports a key of fields.tsv (in either template).
func fieldKnown(key string) bool {
	for _, f := range Fields() {
		if f.Key == key {
			return true
		}
	}
	return false
}

// identifyT3 gives each row its key: top rows by label, group rows by
// label or, when sub-labels are missing, by place within their group.
// It returns the template the rows follow.
func (e *extractor) identifyT3(rows []*t3row) string {
	type segment struct {
		group string
		rows  []*t3row
	}
	var segs []*segment
	var cur *segment
	for _, row := range rows {
		switch {
		case row.group != "":
			if cur == nil || cur.group != row.group {
				cur = &segment{group: row.group}
				segs = append(segs, cur)
			}
			cur.rows = append(cur.rows, row)
		case row.top == "new" || row.top == "carried_over" || row.top == "carried_forward":
			row.key = row.top
			cur = nil
		case cur != nil:
			// No group label: a split table restarted its merged cells
			// empty, or the label cell is missing; the row continues the
			// group above.
			cur.rows = append(cur.rows, row)
		default:
			e.problem(Problem{Stage: StageRow, Table: 3, Row: row.label(), Err: fmt.Errorf("row not identified: %w", ErrLayout)})
		}
	}
	tpl := ""
	seen := map[string]bool{}
	for _, s := range segs {
		name := t3GroupNames[s.group]
		if seen[s.group] {
			e.problem(Problem{Stage: StageRow, Table: 3, Row: name, Err: fmt.Errorf("group printed twice: %w", ErrLayout)})
			continue
		}
		seen[s.group] = true
		subs, hasSubs := t3Subs[s.group]
		if !hasSubs {
			if len(s.rows) != 1 {
				e.problem(Problem{Stage: StageRow, Table: 3, Row: name, Err: fmt.Errorf("%d rows where 1 is expected: %w", len(s.rows), ErrLayout)})
				continue
			}
			s.rows[0].key = s.group
			continue
		}
		// 其他处理: one row (2019) or three sub-rows (2021).
		if s.group == "other" {
			if len(s.rows) == 1 && s.rows[0].sub == "" {
				s.rows[0].key = "other"
				tpl = "2019"
				continue
			}
			tpl = "2021"
		}
		ids := make([]string, len(s.rows))
		missing, fuzzy := 0, 0
		var unknown []string
		for i, row := range s.rows {
			if row.sub == "" {
				missing++
				continue
			}
			m := matchLabel(row.sub, subs)
			if m.id == "" {
				missing++
				unknown = append(unknown, row.sub)
				continue
			}
			if m.fuzzy {
				fuzzy++
				e.warn("table 3: row label %q matched %s by similarity", row.sub, rowName(s.group+"."+m.id))
			}
			ids[i] = m.id
		}
		byPos := missing > 0
		if byPos {
			if len(s.rows) != len(subs) {
				e.problem(Problem{Stage: StageRow, Table: 3, Row: name,
					Err: fmt.Errorf("%d rows, %d expected, sub-row labels missing: rows not identified: %w", len(s.rows), len(subs), ErrLayout)})
				continue
			}
			// Labels that are present must agree with the positions.
			ok := true
			for i := range ids {
				if ids[i] != "" && ids[i] != subs[i].id {
					ok = false
				}
			}
			if !ok {
				e.problem(Problem{Stage: StageRow, Table: 3, Row: name, Err: fmt.Errorf("sub-row labels out of order: %w", ErrLayout)})
				continue
			}
			for i := range ids {
				ids[i] = subs[i].id
			}
			if len(unknown) > 0 {
				e.warn("table 3: sub-row labels missing or not recognized in %s (%s); rows identified by position", name, quoteList(unknown))
			} else {
				e.warn("table 3: sub-row labels missing in %s; rows identified by position", name)
			}
		} else {
			dup := map[string]bool{}
			bad := false
			for _, id := range ids {
				if dup[id] {
					bad = true
				}
				dup[id] = true
			}
			if bad {
				e.problem(Problem{Stage: StageRow, Table: 3, Row: name, Err: fmt.Errorf("a sub-row label printed twice: %w", ErrLayout)})
				continue
			}
		}
		strays := 0
		stray := ""
		for i, row := range s.rows {
			row.key = subKey(s.group, ids[i])
			if len(row.strays) > 0 {
				strays++
				stray = cleanRaw(row.strays[0].Text)
			}
		}
		if strays > 0 {
			e.warn("table 3: %s: a stray cell (%q) before the values ignored in %d rows", name, stray, strays)
		}
	}
	for _, row := range rows {
		if row.key != "" && !strings.Contains(row.key, ".") && len(row.strays) > 0 {
			e.warn("table 3, row %q: a stray cell (%q) before the values ignored", rowName(row.key), cleanRaw(row.strays[0].Text))
		}
	}
	if tpl == "" {
		if seen["other"] {
			return ""
		}
		// Without 其他处理 the template cannot be told; the 2021 rows are
		// the ones reported missing.
		tpl = "2021"
	}
	return tpl
}

// rowValues maps the value cells of grid row r to the column ids: by grid
// column where the cells line up with the header, else by order and count
// when the count fits. strays are label-region number cells that may hold
// a value when a row is shifted left. The cells come back in the order of
// order; every id of colIDs is one of order.
//
// With a grid, value cells merged down from a row above count as this
// row's too: one cell spanning the sub-rows of a group is each row's value
// cell, and the caller decides what it means.
func rowValues(dst []*parser.Cell, t *parser.Table, r, valueStart int, colIDs []string, strays []*parser.Cell, order []string, g *cellGrid) ([]*parser.Cell, bool, error) {
	var buf [16]*parser.Cell
	vals := buf[:0]
	for _, c := range t.Rows[r] {
		if c.Col >= valueStart {
			vals = append(vals, c)
		}
	}
	if g != nil {
		above := false
		for j := valueStart; j < t.NumCols; j++ {
			if c := g.at(r, j); c != nil && c.Row < r && c.Col >= valueStart && !slices.Contains(vals, c) {
				vals = append(vals, c)
				above = true
			}
		}
		if above {
			slices.SortStableFunc(vals, func(a, b *parser.Cell) int { return a.Col - b.Col })
		}
	}
	out := append(dst[:0], make([]*parser.Cell, len(order))...)
	n := 0
	direct := true
	for _, c := range vals {
		if colIDs[c.Col] == "" && c.ColSpan == 1 && strings.TrimFunc(c.Text, isSpace) == "" {
			continue // a blank cell in a column that is not a value column
		}
		id := ""
		for k := c.Col; k < c.Col+c.ColSpan && k < len(colIDs); k++ {
			if colIDs[k] == "" || (id != "" && colIDs[k] != id) {
				direct = false
			}
			id = colIDs[k]
		}
		i := -1
		if id != "" {
			i = slices.Index(order, id)
		}
		if i < 0 || out[i] != nil {
			direct = false
			break
		}
		out[i] = c
		n++
	}
	if direct && n == len(order) {
		return out, false, nil
	}
	if len(vals) == len(order) {
		return append(out[:0], vals...), true, nil
	}
	// A row shifted left: the stray number cells of the label region are
	// the first values.
	if len(vals) < len(order) && len(strays)+len(vals) == len(order) {
		return append(append(out[:0], strays...), vals...), true, nil
	}
	return nil, false, fmt.Errorf("%d value cells where %d are expected: %w", len(vals), len(order), ErrLayout)
}

// cellGrid is the grid of a table: the cell covering each slot, nil where
// none does. It places cells as parser.Table.Grid does (a later cell over
// an earlier one where spans overlap), without the slots' copies of text.
type cellGrid struct {
	cols  int
	cells []*parser.Cell
}

func newCellGrid(t *parser.Table) cellGrid {
	g := cellGrid{cols: t.NumCols, cells: make([]*parser.Cell, t.NumRows*t.NumCols)}
	for _, row := range t.Rows {
		for _, c := range row {
			for r := c.Row; r < c.Row+c.RowSpan && r < t.NumRows; r++ {
				for k := c.Col; k < c.Col+c.ColSpan && k < t.NumCols; k++ {
					g.cells[r*g.cols+k] = c
				}
			}
		}
	}
	return g
}

// at is the cell covering slot (r, j), nil when none does.
func (g cellGrid) at(r, j int) *parser.Cell { return g.cells[r*g.cols+j] }

// text is the text of the cell covering slot (r, j): Grid(FillCopy)'s Text.
func (g cellGrid) text(r, j int) string {
	if c := g.at(r, j); c != nil {
		return c.Text
	}
	return ""
}

// rowEmpty reports whether every cell starting in a row is blank.
func rowEmpty(cells []*parser.Cell) bool {
	for _, c := range cells {
		if strings.TrimFunc(c.Text, isSpace) != "" {
			return false
		}
	}
	return true
}

func allBlank(cells []*parser.Cell) bool {
	for _, c := range cells {
		if c != nil && strings.TrimFunc(c.Text, isSpace) != "" {
			return false
		}
	}
	return true
}

// isNumberish reports whether text in a label position is a number (a
// stray value) rather than a label.
func isNumberish(s string) bool { return numberishNorm(normText(s)) }

// numberishNorm is isNumberish on text already folded by normText.
func numberishNorm(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || r == ',' || r == '-') {
			return false
		}
	}
	return true
}

// groupByNumber returns the group a label's enumerator names: (一) to (七)
// or (1) to (7) in template order; "" when there is none.
func groupByNumber(text string) string {
	t := normText(text)
	if !strings.HasPrefix(t, "(") {
		return ""
	}
	enum, _, ok := splitEnum(t)
	if !ok {
		return ""
	}
	i := strings.Index("一二三四五六七", enum)
	n := -1
	switch {
	case len(enum) == 3 && i >= 0:
		n = i / 3
	case len(enum) == 1 && enum[0] >= '1' && enum[0] <= '7':
		n = int(enum[0] - '1')
	}
	if n < 0 {
		return ""
	}
	return []string{"granted", "partially_granted", "denied", "unavailable", "not_processed", "other", "total"}[n]
}
