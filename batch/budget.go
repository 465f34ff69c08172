package batch

import (
	"archive/zip"
	"bytes"
	"strings"
	"sync"

	"ogi/parser"
)

// memBudget admits documents to the readers by the memory they are
// expected to take, first come first served: a large document waits for
// room instead of running beside others of its kind, and one larger than
// the whole budget runs alone. Without it, two costly documents read at
// once (two pages near the HTML size limit, a DOCX near the part limit)
// would push a run past its memory target however small every other
// file is.
type memBudget struct {
	mu            sync.Mutex
	cond          *sync.Cond
	free, total   int64
	next, serving uint64 // tickets, for first come first served
}

func newMemBudget(total int64) *memBudget {
	b := &memBudget{free: total, total: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until cost fits (capped at the whole budget) and takes
// it; it returns what was taken, for release.
func (b *memBudget) acquire(cost int64) int64 {
	cost = min(max(cost, 1), b.total)
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.next
	b.next++
	for t != b.serving || b.free < cost {
		b.cond.Wait()
	}
	b.free -= cost
	b.serving++
	b.cond.Broadcast()
	return cost
}

func (b *memBudget) release(cost int64) {
	b.mu.Lock()
	b.free += cost
	b.mu.Unlock()
	b.cond.Broadcast()
}

// DefaultMemBudget is the working memory the readers of one run may be
// expected to take at once (see estimateCost): with the process's other
// needs it keeps a default run under 200 MB resident.
const DefaultMemBudget = 96 << 20

// Expansion of a document's bytes into the memory reading it takes, as
// measured on hostile inputs: an HTML page's DOM costs tens of times the
// page (less once cells are capped); a DOCX costs its compressed bytes
// plus about twice the text parts it inflates.
const (
	htmlCostFactor = 24
	docxCostFactor = 2
)

// estimateCost guesses the peak memory reading data takes. For a zip it
// reads only the central directory, for the declared sizes of the parts
// the DOCX reader inflates.
func estimateCost(data []byte, lim parser.Limits) int64 {
	n := int64(len(data))
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return n * htmlCostFactor
	}
	zr, err := zip.NewReader(bytes.NewReader(data), n)
	if err != nil {
		return n
	}
	var parts int64
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if strings.HasPrefix(name, "word/") && !strings.HasPrefix(name, "word/media/") {
			parts += int64(min(f.UncompressedSize64, uint64(lim.MaxPartBytes)))
		}
	}
	return n + docxCostFactor*min(parts, lim.MaxTotalBytes)
}
