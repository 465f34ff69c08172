package extract

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"ogi/parser"
	"ogi/synth"
)

var (
	corpusN    = flag.Int("corpus-n", 600, "number of synthetic reports in TestCorpus")
	corpusSeed = flag.Int64("corpus-seed", 1, "seed of the synthetic corpus in TestCorpus")
	corpusFmts = flag.String("corpus-formats", "docx,html,pdf", "formats of the synthetic corpus in TestCorpus, comma-separated")
)

// messKinds lists the mess kinds a report was generated with.
func messKinds(m synth.Mess) []string {
	b, _ := json.Marshal(m)
	var kv map[string]bool
	_ = json.Unmarshal(b, &kv)
	var out []string
	for k, v := range kv {
		if v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		out = []string{"clean"}
	}
	return out
}

// compareTruth lists every way rec differs from the truth, and how many
// of the truth's fields it got right.
func compareTruth(rec *Record, tr synth.Truth) (diffs []string, right int) {
	for k, want := range tr.Fields {
		got, ok := rec.Fields[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("field %s absent (raw %q), want %s", k, rec.Raw[k], show(want)))
		case (got == nil) != (want == nil) || got != nil && string(*got) != *want:
			diffs = append(diffs, fmt.Sprintf("field %s = %s (raw %q), want %s", k, showN(got), rec.Raw[k], show(want)))
		default:
			right++
		}
	}
	for k := range rec.Fields {
		if _, ok := tr.Fields[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("extra field %s", k))
		}
	}
	if s := deref(rec.Agency); s != tr.Agency {
		diffs = append(diffs, fmt.Sprintf("agency %q, want %q", s, tr.Agency))
	}
	if rec.Year == nil || *rec.Year != tr.Year {
		y := "null"
		if rec.Year != nil {
			y = fmt.Sprint(*rec.Year)
		}
		diffs = append(diffs, fmt.Sprintf("year %s, want %d", y, tr.Year))
	}
	if s := deref(rec.Published); s != tr.Published {
		diffs = append(diffs, fmt.Sprintf("published %q, want %q", s, tr.Published))
	}
	if s := deref(rec.Template); s != tr.Template {
		diffs = append(diffs, fmt.Sprintf("template %q, want %q", s, tr.Template))
	}
	failing := []string{}
	for _, c := range rec.Checks {
		if !c.OK {
			failing = append(failing, c.Name)
		}
	}
	sort.Strings(failing)
	if !reflect.DeepEqual(failing, tr.FailingChecks) {
		diffs = append(diffs, fmt.Sprintf("failing checks %v, want %v", failing, tr.FailingChecks))
	}
	sort.Strings(diffs)
	return diffs, right
}

// TestCorpusAllMess extracts reports with every kind of mess at once, in
// every template and format. For PDF that includes tables printed without
// rules, read from text alignment, held to the same exactness.
func TestCorpusAllMess(t *testing.T) {
	n := 15
	if testing.Short() {
		n = 3
	}
	right, total := 0, 0
	for _, tpl := range []string{"2021", "2019", "hybrid"} {
		for _, format := range []string{"docx", "html", "pdf"} {
			for seed := int64(1); seed <= int64(n); seed++ {
				rep, err := synth.Generate(synth.Options{Seed: seed, Template: tpl, Format: format, Mess: synth.AllMess()})
				if err != nil {
					t.Fatalf("synth.Generate: %v", err)
				}
				doc, err := parser.Read(context.Background(), rep.Name, rep.Data, parser.Options{})
				if err != nil {
					t.Errorf("%s %s seed %d: read: %v", tpl, format, seed, err)
					continue
				}
				rec, probs := Extract(doc)
				diffs, _ := compareTruth(rec, rep.Truth)
				for _, p := range probs {
					diffs = append(diffs, "problem: "+p.Error())
				}
				total++
				if len(diffs) == 0 {
					right++
				}
				if len(diffs) == 0 {
					continue
				}
				if len(diffs) > 8 {
					diffs = append(diffs[:8], fmt.Sprintf("… %d more", len(diffs)-8))
				}
				t.Errorf("%s %s seed %d: %d differences:\n  %s\n  warnings: %s", tpl, format, seed, len(diffs),
					strings.Join(diffs, "\n  "), strings.Join(rec.Warnings, "; "))
			}
		}
	}
	t.Logf("all mess: records entirely right %d/%d", right, total)
}

// TestCorpus extracts a generated corpus of reports in every format, all
// templates and every kind of mess, and compares each record with the
// generator's truth field by field.
func TestCorpus(t *testing.T) {
	n := *corpusN
	if testing.Short() && n > 100 {
		n = 100
	}
	reps, err := synth.Corpus(*corpusSeed, n, strings.Split(*corpusFmts, ","))
	if err != nil {
		t.Fatalf("synth.Corpus: %v", err)
	}
	type tally struct{ reports, wrong int }
	byKind := map[string]*tally{}
	fieldsRight, fieldsTotal, recsRight := 0, 0, 0
	shown := 0
	for _, rep := range reps {
		doc, err := parser.Read(context.Background(), rep.Name, rep.Data, parser.Options{})
		if err != nil {
			t.Errorf("%s: read: %v", rep.Name, err)
			continue
		}
		rec, probs := Extract(doc)
		diffs, right := compareTruth(rec, rep.Truth)
		for _, p := range probs {
			diffs = append(diffs, "problem: "+p.Error())
		}
		// The generator pairs counties and towns at random (蒲江县黄水镇), so
		// the region warnings about those pairs say nothing of the layout.
		var layout []string
		for _, w := range rec.Warnings {
			if !strings.HasPrefix(w, "region: ") {
				layout = append(layout, w)
			}
		}
		if rep.Options.Mess == (synth.Mess{}) && len(layout) > 0 {
			diffs = append(diffs, fmt.Sprintf("warnings on a clean report: %q", layout))
		}
		fieldsRight += right
		fieldsTotal += len(rep.Truth.Fields)
		kinds := append(messKinds(rep.Options.Mess), "template:"+rep.Options.Template, "format:"+rep.Format)
		for _, k := range kinds {
			if byKind[k] == nil {
				byKind[k] = &tally{}
			}
			byKind[k].reports++
			if len(diffs) > 0 {
				byKind[k].wrong++
			}
		}
		if len(diffs) == 0 {
			recsRight++
		}
		if len(diffs) == 0 {
			continue
		}
		if shown < 15 {
			shown++
			var ps []string
			for _, p := range probs {
				ps = append(ps, p.Error())
			}
			if len(diffs) > 8 {
				diffs = append(diffs[:8], fmt.Sprintf("… %d more", len(diffs)-8))
			}
			t.Errorf("%s (%s, %s): %d differences:\n  %s\n  problems: %s\n  warnings: %s", rep.Name, rep.Options.Template,
				strings.Join(messKinds(rep.Options.Mess), ","), len(diffs), strings.Join(diffs, "\n  "),
				strings.Join(ps, "; "), strings.Join(rec.Warnings, "; "))
		} else {
			t.Fail()
		}
	}
	var ks []string
	for k := range byKind {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	fmt.Fprintf(&b, "fields right %d/%d (%.4f%%), records entirely right %d/%d\n", fieldsRight, fieldsTotal,
		100*float64(fieldsRight)/float64(max(fieldsTotal, 1)), recsRight, len(reps))
	for _, k := range ks {
		fmt.Fprintf(&b, "  %-22s %4d reports, %4d wrong\n", k, byKind[k].reports, byKind[k].wrong)
	}
	t.Log(b.String())
}
