package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ogi/extract"
	"ogi/index/storetest"
)

// exportRecords are varied records plus one whose text cells try formula
// injection.
func exportRecords(t *testing.T) []extract.Record {
	t.Helper()
	recs := storetest.TextRecords(12)
	evil := "=HYPERLINK(\"http://x\",\"点击\")"
	recs[1].Agency = &evil
	recs[1].Source.Path = "@reports/-1.docx"
	recs[1].Warnings = []string{"+1 row guessed; see table 3", "second warning"}
	return recs
}

func exportAll(t *testing.T, opt Options, recs []extract.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	e, err := New(&buf, opt)
	if err != nil {
		t.Fatalf("New(%+v): %v", opt, err)
	}
	for _, r := range recs {
		if err := e.Write(r); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func TestExportCSVBOMChinese(t *testing.T) {
	recs := exportRecords(t)
	out := exportAll(t, Options{Format: "csv", BOM: true, Labels: "zh"}, recs)
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("output starts %q, want a UTF-8 BOM", out[:min(8, len(out))])
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if len(rows) != len(recs)+1 {
		t.Fatalf("rows = %d, want %d", len(rows), len(recs)+1)
	}
	header := rows[0]
	keys := extract.FieldKeys()
	if want := len(metaColumns) + len(keys) + 1; len(header) != want {
		t.Fatalf("header has %d columns, want %d", len(header), want)
	}
	for i, want := range []string{"记录ID", "文件路径", "SHA-256", "文件格式", "机关", "区划代码", "省级", "地级", "县级", "乡级", "层级", "机关类别", "机关ID", "年度", "发布日期", "模板"} {
		if header[i] != want {
			t.Errorf("header[%d] = %q, want %q", i, header[i], want)
		}
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			t.Errorf("header %q appears twice", h)
		}
		col[h] = i
	}
	for _, k := range keys {
		if _, ok := col[extract.LabelZH(k)]; !ok {
			t.Errorf("no column headed %q for %s", extract.LabelZH(k), k)
		}
	}
	negatives := 0
	for i, r := range recs {
		row := rows[i+1]
		if row[0] != r.ID {
			t.Errorf("row %d id = %q, want %q", i, row[0], r.ID)
		}
		wantYear := ""
		if r.Year != nil {
			wantYear = strconv.Itoa(*r.Year)
		}
		if row[col["年度"]] != wantYear {
			t.Errorf("row %d 年度 = %q, want %q", i, row[col["年度"]], wantYear)
		}
		if g := r.Region; g != nil && (row[col["区划代码"]] != g.Code || row[col["县级"]] != g.County || row[col["层级"]] != string(g.Level) || row[col["机关ID"]] != *r.AgencyID) {
			t.Errorf("row %d region columns %q %q %q %q, want %+v %s", i, row[col["区划代码"]], row[col["县级"]], row[col["层级"]], row[col["机关ID"]], *g, *r.AgencyID)
		}
		for _, k := range keys {
			want := ""
			if n := r.Fields[k]; n != nil {
				want = string(*n)
			}
			got := row[col[extract.LabelZH(k)]]
			if got != want {
				t.Errorf("row %d %s = %q, want %q", i, k, got, want)
			}
			if strings.HasPrefix(got, "-") {
				negatives++
			}
		}
		if i != 1 && r.Agency != nil && row[col["机关"]] != *r.Agency {
			t.Errorf("row %d 机关 = %q, want %q", i, row[col["机关"]], *r.Agency)
		}
	}
	if negatives == 0 {
		t.Errorf("no negative number in the export; the test records should have some")
	}
	evil := rows[2]
	if got := evil[col["机关"]]; got != "'"+*recs[1].Agency {
		t.Errorf("formula agency written as %q, want it prefixed with '", got)
	}
	if got := evil[col["文件路径"]]; got != "'@reports/-1.docx" {
		t.Errorf("path = %q, want '@reports/-1.docx", got)
	}
	if got := evil[col["提示"]]; got != "'+1 row guessed; see table 3\nsecond warning" {
		t.Errorf("warnings = %q", got)
	}
	// Failed checks are named.
	for i, r := range recs {
		var failed []string
		for _, c := range r.Checks {
			if !c.OK {
				failed = append(failed, c.Name)
			}
		}
		if got := rows[i+1][col["未通过的校验"]]; got != strings.Join(failed, ";") {
			t.Errorf("row %d 未通过的校验 = %q, want %q", i, got, strings.Join(failed, ";"))
		}
		// A count, as the SQLite store's checks_failed column.
		if got := rows[i+1][col["未通过的校验数"]]; got != strconv.Itoa(len(failed)) {
			t.Errorf("row %d 未通过的校验数 = %q, want %d", i, got, len(failed))
		}
	}
	// A field outside fields.tsv is kept in the last column.
	if got := rows[5][len(header)-1]; got != "requests.extra.total=4" {
		t.Errorf("extra fields of record 4 = %q, want requests.extra.total=4", got)
	}
}

func TestExportCSVKeys(t *testing.T) {
	recs := exportRecords(t)[:2]
	out := exportAll(t, Options{Format: "csv"}, recs)
	if bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Errorf("BOM written without BOM option")
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0][len(metaColumns)]; got != extract.FieldKeys()[0] {
		t.Errorf("first field header = %q, want %q", got, extract.FieldKeys()[0])
	}
	if !reflect.DeepEqual(rows[0][:3], []string{"id", "path", "sha256"}) {
		t.Errorf("header starts %q", rows[0][:3])
	}
}

func TestExportCSVLong(t *testing.T) {
	recs := exportRecords(t)
	out := exportAll(t, Options{Format: "csv-long"}, recs)
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range recs {
		want += len(r.Keys())
	}
	if len(rows)-1 != want {
		t.Errorf("csv-long has %d rows, want %d (present fields)", len(rows)-1, want)
	}
	if !reflect.DeepEqual(rows[0], []string{"id", "path", "key", "label", "value", "raw"}) {
		t.Errorf("header = %q", rows[0])
	}
	r := recs[0]
	for _, row := range rows[1:] {
		if row[0] != r.ID {
			continue
		}
		n, ok := r.Fields[row[2]]
		if !ok {
			t.Errorf("row for key %s absent from the record", row[2])
			continue
		}
		wantVal := ""
		if n != nil {
			wantVal = string(*n)
		}
		if row[4] != wantVal || row[5] != csvSafe(r.Raw[row[2]]) || row[1] != r.Source.Path {
			t.Errorf("row %q, want value %q raw %q", row, wantVal, r.Raw[row[2]])
		}
	}
}

func TestExportJSONLRoundTrip(t *testing.T) {
	recs := exportRecords(t)
	out := exportAll(t, Options{Format: "jsonl"}, recs)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	var got []extract.Record
	for sc.Scan() {
		var r extract.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, r)
	}
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("JSONL round trip differs")
	}
	if !bytes.Contains(out, []byte(`"active.fees.amount":7730.28`)) && !bytes.Contains(out, []byte(`"active.fees.amount":12.345`)) {
		t.Errorf("money not written as a JSON number")
	}
}

func TestExportXLSX(t *testing.T) {
	recs := exportRecords(t)
	out := exportAll(t, Options{Format: "xlsx"}, recs)
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"reports", "checks"}) {
		t.Errorf("sheets = %v, want reports, checks", got)
	}
	for _, sheet := range []string{"reports", "checks"} {
		p, err := f.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s panes = %+v, %v; want the header row frozen", sheet, p, err)
		}
	}
	styleID, err := f.GetCellStyle("reports", "A1")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.GetStyle(styleID); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style = %+v, %v; want bold", st, err)
	}
	rows, err := f.GetRows("reports", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(recs)+1 {
		t.Fatalf("reports rows = %d, want %d", len(rows), len(recs)+1)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if !reflect.DeepEqual(rows[0][:len(metaColumns)+len(extract.FieldKeys())+1], wideHeader("")) {
		t.Errorf("reports header differs from the CSV header")
	}
	numbers := 0
	for i, r := range recs {
		row := rows[i+1]
		if row[0] != r.ID {
			t.Errorf("row %d id = %q", i, row[0])
		}
		for _, k := range []string{"requests.new.total", "active.fees.amount", "active.licensing.items_change"} {
			c := col[k]
			cell, _ := excelize.CoordinatesToCellName(c+1, i+2)
			n := r.Fields[k]
			got := ""
			if c < len(row) {
				got = row[c]
			}
			if n == nil {
				if got != "" {
					t.Errorf("%s %s = %q, want empty", cell, k, got)
				}
				continue
			}
			if got != string(*n) {
				t.Errorf("%s %s = %q, want %q", cell, k, got, *n)
			}
			typ, err := f.GetCellType("reports", cell)
			if err != nil || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s type = %v, %v; want a number", cell, typ, err)
			}
			numbers++
		}
		if r.Year != nil {
			cell, _ := excelize.CoordinatesToCellName(col["year"]+1, i+2)
			if v, _ := f.GetCellValue("reports", cell); v != strconv.Itoa(*r.Year) {
				t.Errorf("%s year = %q, want %d", cell, v, *r.Year)
			}
		}
	}
	if numbers == 0 {
		t.Fatalf("no number cells checked")
	}
	// In the sheet XML a number cell has no t attribute (or t="n"), which
	// excelize reports as Unset; text is a shared or inline string.
	cell, _ := excelize.CoordinatesToCellName(col["agency"]+1, 3)
	if typ, _ := f.GetCellType("reports", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("agency cell %s type = %v, want a string", cell, typ)
	}
	if v, _ := f.GetCellValue("reports", cell); v != *recs[1].Agency {
		t.Errorf("agency cell %s = %q, want the text unchanged (xlsx cells are never formulas)", cell, v)
	}
	if formula, _ := f.GetCellFormula("reports", cell); formula != "" {
		t.Errorf("agency cell %s has formula %q", cell, formula)
	}

	checks, err := f.GetRows("checks")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range recs {
		want += len(r.Checks)
	}
	if len(checks)-1 != want {
		t.Errorf("checks rows = %d, want %d", len(checks)-1, want)
	}
	if !reflect.DeepEqual(checks[0], []string{"id", "agency", "year", "check", "ok", "detail"}) {
		t.Errorf("checks header = %q", checks[0])
	}
	if typ, _ := f.GetCellType("checks", "E2"); typ != excelize.CellTypeBool {
		t.Errorf("checks ok cell type = %v, want bool", typ)
	}
	if checks[1][0] != recs[0].ID || checks[1][3] != recs[0].Checks[0].Name {
		t.Errorf("first check row = %q", checks[1])
	}
}

func TestXLSXNumberTypes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want any
	}{
		{"12", int64(12)},
		{"-3", int64(-3)},
		{"7730.28", 7730.28},
		{"25%", "25%"},
		{"2/4", "2/4"},
	} {
		if got := xlsxNumber(tc.in); got != tc.want {
			t.Errorf("xlsxNumber(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestExportBadOptions(t *testing.T) {
	for _, opt := range []Options{{Format: "xls"}, {Format: ""}, {Format: "csv", Labels: "en"}} {
		if _, err := New(&bytes.Buffer{}, opt); !errors.Is(err, ErrOption) {
			t.Errorf("New(%+v) = %v, want ErrOption", opt, err)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+86 10 1234", "'+86 10 1234"},
		{"@cmd", "'@cmd"},
		{"-x", "'-x"},
		{"\tx", "'\tx"},
		{"-3", "-3"},
		{"-0.5", "-0.5"},
		{"12", "12"},
		{"25%", "25%"},
		{"-", "-"},
		{"--", "--"},
		{"额敏县", "额敏县"},
		{"", ""},
	} {
		if got := csvSafe(tc.in); got != tc.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
