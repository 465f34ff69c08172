package parser

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestZZLines(t *testing.T) {
	data, _ := os.ReadFile(os.Getenv("PDFDBG"))
	rd := &pdfDoc{ctx: context.Background(), lim: Limits{}.WithDefaults(), fonts: map[string]*pdfFont{}}
	r, _, err := rd.open(data)
	if err != nil {
		t.Fatal(err)
	}
	rd.r = r
	refs, _ := rd.pageRefs()
	var pn int
	fmt.Sscan(os.Getenv("PDFPAGE"), &pn)
	pg, _ := rd.runPage(refs[pn-1], pn)
	for _, l := range buildLines(pg.glyphs, true) {
		fmt.Printf("%6.1f-%6.1f x %6.1f-%6.1f s%.1f %s |", l.y0, l.y1, l.x0, l.x1, l.size, l.text)
		for _, g := range l.glyphs {
			fmt.Printf(" %s@%.0f-%.0f", g.text, g.x0, g.x1)
		}
		fmt.Println()
	}
}
