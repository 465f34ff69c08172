package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"ogi/parser"
	"ogi/synth"
)

func TestZZDebug(t *testing.T) {
	p := os.Getenv("DBG")
	if p == "" {
		t.Skip()
	}
	d, err := parser.ReadFile(p, parser.Options{})
	if err != nil {
		fmt.Println("read:", err)
		if d == nil {
			return
		}
	}
	if os.Getenv("DUMP") != "" {
		for _, b := range d.Blocks {
			if b.Para != nil {
				fmt.Printf("P %q\n", b.Para.Text)
			} else {
				fmt.Printf("T %dx%d\n", b.Table.NumRows, b.Table.NumCols)
				for _, row := range b.Table.Rows {
					for _, c := range row {
						fmt.Printf("  [%d,%d r%d c%d %q]", c.Row, c.Col, c.RowSpan, c.ColSpan, c.Text)
					}
					fmt.Println()
				}
			}
		}
	}
	r, probs := Extract(d)
	b, _ := json.MarshalIndent(r, "", " ")
	os.Stdout.Write(b)
	for _, p := range probs {
		fmt.Println("PROBLEM:", p.Error())
	}
}

func TestZZWarnings(t *testing.T) {
	if os.Getenv("DBGW") == "" {
		t.Skip()
	}
	reps, _ := synthCorpus(300)
	counts := map[string]int{}
	for _, rep := range reps {
		doc, _ := parser.Read(rep.Name, rep.Data, parser.Options{})
		rec, _ := Extract(doc)
		for _, w := range rec.Warnings {
			k := w
			if len(k) > 90 {
				k = k[:90]
			}
			counts[k]++
		}
	}
	for k, v := range counts {
		fmt.Println(v, k)
	}
}

func synthCorpus(n int) ([]synth.Report, error) { return synth.Corpus(7, n, nil) }

func TestZZSynth(t *testing.T) {
	if os.Getenv("DBGS") == "" {
		t.Skip()
	}
	var seed int64
	var idx, n int
	fmt.Sscan(os.Getenv("DBGS"), &seed, &idx, &n)
	reps, _ := synth.Corpus(seed, n, nil)
	rep := reps[idx]
	os.WriteFile("/tmp/"+rep.Name, rep.Data, 0o644)
	fmt.Println("wrote /tmp/" + rep.Name)
}
