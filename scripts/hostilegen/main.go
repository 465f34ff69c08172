// Command hostilegen writes a mix of hostile inputs for the memory
// benchmark (scripts/bench-corpus.sh): pages and DOCX files built to cost
// as much as the limits allow, or more, each in several copies with
// distinct bytes so none is dropped as a duplicate.
//
// With -small N it writes instead N small distinct pages (a few hundred
// bytes each, in subdirectories of 1,000), for measuring that a run's
// memory does not grow with the number of files.
//
// Usage: go run ./scripts/hostilegen DIR [COPIES]
//
//	go run ./scripts/hostilegen -small N DIR
package main

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "-small" {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 {
			fail(fmt.Errorf("-small N: N must be a positive number"))
		}
		if err := small(os.Args[3], n); err != nil {
			fail(err)
		}
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hostilegen DIR [COPIES]")
		os.Exit(2)
	}
	dir := os.Args[1]
	copies := 4
	if len(os.Args) > 2 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "hostilegen: COPIES must be a positive number")
			os.Exit(2)
		}
		copies = n
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	kinds := []struct {
		name  string
		n     int
		write func(w io.Writer, i int) error
	}{
		{"html-million-cells.html", copies, millionCells},
		{"html-nested-containers.html", 1, nestedContainers}, // the slowest page seen: one copy
		{"html-big-text.html", copies, bigText},
		{"html-deep-divs.html", copies, deepDivs},
		{"html-near-cell-limit.html", copies, nearCellLimit},
		{"docx-bomb.docx", 2, docxBomb},
		{"docx-big-body.docx", copies, docxBigBody},
		{"docx-deep-tables.docx", copies, docxDeepTables},
		{"docx-many-parts.docx", copies, docxManyParts},
		{"garbage.html", copies, garbage},
	}
	for _, k := range kinds {
		for i := 0; i < k.n; i++ {
			name := filepath.Join(dir, fmt.Sprintf("%02d-%s", i, k.name))
			if err := writeFile(name, func(w io.Writer) error { return k.write(w, i) }); err != nil {
				fail(fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	// A file larger than --max-file-size: sparse, so it costs no disk.
	big := filepath.Join(dir, "oversize.docx")
	if f, err := os.Create(big); err == nil {
		f.Truncate(80 << 20)
		f.Close()
	}
	// A FIFO: reported as not a regular file, never opened.
	fifo := filepath.Join(dir, "pipe.html")
	os.Remove(fifo)
	syscall.Mkfifo(fifo, 0o644)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "hostilegen:", err)
	os.Exit(1)
}

func writeFile(name string, fn func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := fn(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

const head = `<html><head><meta charset="utf-8"><title>某县人民政府2024年政府信息公开工作年度报告</title></head><body>`

// millionCells: one table of a million cells in about 5 MB.
func millionCells(w io.Writer, i int) error {
	fmt.Fprintf(w, "%s<!-- %d --><p>一、总体情况</p><table><tr>", head, i)
	for c := 0; c < 1_000_000; c++ {
		if c%1000 == 0 {
			io.WriteString(w, "<tr>")
		}
		io.WriteString(w, "<td>1")
	}
	_, err := io.WriteString(w, "</table></body></html>")
	return err
}

// nestedContainers: 400 nested content containers around 400,000 empty
// tables, about 6 MB.
func nestedContainers(w io.Writer, i int) error {
	fmt.Fprintf(w, "%s<!-- %d -->", head, i)
	for d := 0; d < 400; d++ {
		io.WriteString(w, `<div class="content">`)
	}
	for t := 0; t < 400_000; t++ {
		io.WriteString(w, "<table></table>")
	}
	for d := 0; d < 400; d++ {
		io.WriteString(w, "</div>")
	}
	_, err := io.WriteString(w, "</body></html>")
	return err
}

// bigText: just under the 8 MB page limit of narrative paragraphs.
func bigText(w io.Writer, i int) error {
	fmt.Fprintf(w, "%s<!-- %d -->", head, i)
	p := "<p>本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实政府信息公开条例，主动公开政府信息。</p>\n"
	for n := 0; n < (8<<20-4096)/len(p); n++ {
		io.WriteString(w, p)
	}
	_, err := io.WriteString(w, "</body></html>")
	return err
}

// deepDivs: 200,000 nested elements.
func deepDivs(w io.Writer, i int) error {
	fmt.Fprintf(w, "%s<!-- %d -->", head, i)
	io.WriteString(w, strings.Repeat("<div>", 200_000))
	io.WriteString(w, "深")
	_, err := io.WriteString(w, strings.Repeat("</div>", 200_000)+"</body></html>")
	return err
}

// nearCellLimit: tables of report-like rows holding just under the
// 200,000-cell limit, with numbers in every cell.
func nearCellLimit(w io.Writer, i int) error {
	fmt.Fprintf(w, "%s<!-- %d --><p>三、收到和处理政府信息公开申请情况</p>", head, i)
	cells := 0
	for cells < 199_000 {
		io.WriteString(w, "<table>")
		for r := 0; r < 100 && cells < 199_000; r++ {
			io.WriteString(w, "<tr><td>（一）予以公开</td>")
			for c := 0; c < 9; c++ {
				fmt.Fprintf(w, "<td>%d</td>", (r*9+c)%97)
			}
			io.WriteString(w, "</tr>")
			cells += 10
		}
		io.WriteString(w, "</table>")
	}
	_, err := io.WriteString(w, "</body></html>")
	return err
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const docHead = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`

func docx(w io.Writer, body func(io.Writer) error, extra int) error {
	z := zip.NewWriter(w)
	z.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	ct, _ := z.Create("[Content_Types].xml")
	io.WriteString(ct, contentTypes)
	for i := 0; i < extra; i++ {
		p, _ := z.Create(fmt.Sprintf("word/media/part%d.xml", i))
		fmt.Fprintf(p, "<x>%d</x>", i)
	}
	d, err := z.Create("word/document.xml")
	if err != nil {
		return err
	}
	io.WriteString(d, docHead)
	if err := body(d); err != nil {
		return err
	}
	io.WriteString(d, `</w:body></w:document>`)
	return z.Close()
}

// docxBomb: 256 MB of empty paragraphs in a few hundred KB.
func docxBomb(w io.Writer, i int) error {
	return docx(w, func(d io.Writer) error {
		fmt.Fprintf(d, "<w:p><w:r><w:t>%d</w:t></w:r></w:p>", i)
		chunk := strings.Repeat("<w:p/>", 1<<16)
		for n := 0; n < (256<<20)/len(chunk); n++ {
			if _, err := io.WriteString(d, chunk); err != nil {
				return err
			}
		}
		return nil
	}, 0)
}

// docxBigBody: a main part just under the 32 MB part limit of distinct
// paragraphs, compressed well inside the ratio limit.
func docxBigBody(w io.Writer, i int) error {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	const han = "政府信息公开申请办理行政复议诉讼主动公开规章规范性文件"
	runes := []rune(han)
	return docx(w, func(d io.Writer) error {
		var b strings.Builder
		total := 0
		for total < 31<<20 {
			b.Reset()
			b.WriteString("<w:p><w:r><w:t>")
			for k := 0; k < 40; k++ {
				b.WriteRune(runes[rng.IntN(len(runes))])
			}
			b.WriteString(strconv.Itoa(rng.IntN(1_000_000)))
			b.WriteString("</w:t></w:r></w:p>")
			n, err := io.WriteString(d, b.String())
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	}, 0)
}

// docxDeepTables: tables nested 5,000 deep.
func docxDeepTables(w io.Writer, i int) error {
	return docx(w, func(d io.Writer) error {
		fmt.Fprintf(d, "<w:p><w:r><w:t>%d</w:t></w:r></w:p>", i)
		io.WriteString(d, strings.Repeat("<w:tbl><w:tr><w:tc>", 5000))
		io.WriteString(d, "<w:p/>")
		_, err := io.WriteString(d, strings.Repeat("</w:tc></w:tr></w:tbl>", 5000))
		return err
	}, 0)
}

// docxManyParts: more zip entries than the limit.
func docxManyParts(w io.Writer, i int) error {
	return docx(w, func(d io.Writer) error {
		_, err := fmt.Fprintf(d, "<w:p><w:r><w:t>%d</w:t></w:r></w:p>", i)
		return err
	}, 3000)
}

// garbage: random printable bytes named .html.
func garbage(w io.Writer, i int) error {
	rng := rand.New(rand.NewPCG(uint64(i), 11))
	buf := make([]byte, 2<<20)
	for k := range buf {
		buf[k] = byte(' ' + rng.IntN(95))
	}
	_, err := w.Write(buf)
	return err
}

// small writes n distinct small pages, 1,000 to a directory. Each is a
// page without report tables (not_report), the cheapest file to read, so
// what grows with n is only what the run keeps per file.
func small(dir string, n int) error {
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("%04d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		page := fmt.Sprintf("%s<p>关于第%d批政府信息公开事项的通知</p><p>编号 %08d</p></body></html>", head, i, i)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("n%06d.html", i)), []byte(page), 0o644); err != nil {
			return err
		}
	}
	return nil
}
