package synth

import (
	"math/rand"
	"os"
	"sort"
	"testing"
)

func TestScratchDump(t *testing.T) {
	dir := os.Getenv("SYNTH_DUMP")
	if dir == "" {
		t.Skip()
	}
	cases := []Options{
		{Seed: 1, Template: "2021", Format: "docx"},
		{Seed: 2, Template: "2019", Format: "docx", Mess: AllMess()},
		{Seed: 3, Template: "hybrid", Format: "html", Mess: Mess{WordPaste: true, CMSChrome: true, SplitTable: true}},
		{Seed: 4, Template: "2021", Format: "html", Mess: AllMess(), PadTo: 120000},
		{Seed: 5, Template: "2021", Format: "docx", PadTo: 250000, Mess: Mess{SplitTable: true, MissingSubLabels: true, LabelVariants: true}},
	}
	for _, o := range cases {
		rep, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(dir+"/"+rep.Name, rep.Data, 0o644)
		t.Logf("%s %d bytes truth=%+v", rep.Name, len(rep.Data), rep.Truth.FailingChecks)
	}
}

func TestScratchTenK(t *testing.T) {
	if os.Getenv("SYNTH_10K") == "" {
		t.Skip()
	}
	var n, size int
	err := eachReport(1, 10000, []string{"docx"}, func(rep Report) error {
		n++
		size += docXMLSize(t, rep)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d reports, avg document.xml %d", n, size/n)
}

func TestScratchSizes(t *testing.T) {
	if os.Getenv("SYNTH_SIZES") == "" {
		t.Skip()
	}
	for _, pad := range []int{0, 250000} {
		sums := map[bool][]int{}
		for i := int64(0); i < 200; i++ {
			rep, g, _ := generate(Options{Seed: i, Format: "docx", PadTo: pad, Mess: RandomMess(rand.New(rand.NewSource(i)))})
			sums[g.style.wps] = append(sums[g.style.wps], docXMLSize(t, rep))
		}
		for k, v := range sums {
			sort.Ints(v)
			tot := 0
			for _, x := range v {
				tot += x
			}
			t.Logf("pad %d wps=%v n=%d min %d med %d max %d avg %d", pad, k, len(v), v[0], v[len(v)/2], v[len(v)-1], tot/len(v))
		}
	}
}
